"""request special: a flag on each request whose mail holds special categories of data

Revision ID: 0015_request_special
Revises: 0014_optout_phones
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0015_request_special'
down_revision = '0014_optout_phones'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of request would trip the foreign keys on SQLite
    op.add_column('request', sa.Column('special', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.execute("UPDATE request SET special = true WHERE inbound_id IN "
                "(SELECT id FROM inbound_mail WHERE special IS NOT NULL)")


def downgrade() -> None:
    with op.batch_alter_table('request', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('special')
