"""growth: indexes that keep the per-sender rate limit and the request list flat as the
stored volume grows (bench/growth.py)

Revision ID: 0013_growth
Revises: 0011_outcomes
Create Date: 2026-12-04
"""

from alembic import op


revision = '0013_growth'
down_revision = '0011_outcomes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_recipient')
        batch_op.create_index('ix_outbox_recipient_purpose_created',
                              ['recipient', 'purpose', 'created_at'], unique=False)
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.create_index('ix_request_due_id', ['due_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.drop_index('ix_request_due_id')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_recipient_purpose_created')
        batch_op.create_index('ix_outbox_recipient', ['recipient'], unique=False)
