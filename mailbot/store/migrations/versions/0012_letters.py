"""letters: special categories of data found in a mail, and staff's choice to include them

Revision ID: 0012_letters
Revises: 0010_oauth
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = '0012_letters'
down_revision = '0010_oauth'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of inbound_mail would trip the foreign keys on SQLite
    op.add_column('inbound_mail', sa.Column('special', sa.LargeBinary(), nullable=True))
    op.add_column('inbound_mail', sa.Column('special_included', sa.Boolean(), nullable=False,
                                            server_default=sa.false()))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), for the same reason.
    with op.batch_alter_table('inbound_mail', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('special_included')
        batch_op.drop_column('special')
