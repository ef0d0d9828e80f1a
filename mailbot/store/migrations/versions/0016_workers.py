"""workers: the mailbox lease that lets one of several workers fetch a mailbox at a time

Revision ID: 0016_workers
Revises: 0015_request_special
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = '0016_workers'
down_revision = '0015_request_special'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'mailbox_lease',
        sa.Column('mailbox', sa.String(length=500), nullable=False),
        sa.Column('holder', sa.String(length=200), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('mailbox', name=op.f('pk_mailbox_lease')),
    )


def downgrade() -> None:
    op.drop_table('mailbox_lease')
