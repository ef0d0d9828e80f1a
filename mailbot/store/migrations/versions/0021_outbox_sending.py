"""outbox sending: the message a worker has on its way to the server, so that one whose
worker stopped meanwhile is held as uncertain instead of sent twice

Revision ID: 0021_outbox_sending
Revises: 0020_raw_mail_storage
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = '0021_outbox_sending'
down_revision = '0020_raw_mail_storage'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of outbox would trip the foreign keys on SQLite
    op.add_column('outbox', sa.Column('sending', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('sending')
