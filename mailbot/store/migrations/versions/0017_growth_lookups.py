"""growth lookups: indexes for what was found by a foreign key or a date with a full scan, so
that the deadline scan, the digest, the retention purge and sending stay flat as the stored
volume grows (bench/growth.py)

Revision ID: 0017_growth_lookups
Revises: 0016_workers
Create Date: 2026-12-04
"""

from alembic import op

revision = '0017_growth_lookups'
down_revision = '0016_workers'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_outbox_inbound_id', 'outbox', ['inbound_id']),
    ('ix_outbox_request_id', 'outbox', ['request_id']),
    ('ix_draft_outbox_id', 'draft', ['outbox_id']),
    ('ix_draft_purpose_status', 'draft', ['purpose', 'status']),
    ('ix_request_step_draft_id', 'request_step', ['draft_id']),
    ('ix_request_step_outbox_id', 'request_step', ['outbox_id']),
    ('ix_request_created_at', 'request', ['created_at']),
    ('ix_request_purged_closed', 'request', ['purged_at', 'closed_at']),
    ('ix_verification_status_expires', 'verification', ['status', 'expires_at']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
