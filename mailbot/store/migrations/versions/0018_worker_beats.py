"""worker beats: each running worker says it is alive, so several mailboxes spread over them

Revision ID: 0018_worker_beats
Revises: 0017_growth_lookups
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = '0018_worker_beats'
down_revision = '0017_growth_lookups'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'worker_beat',
        sa.Column('holder', sa.String(length=200), nullable=False),
        sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('holder', name=op.f('pk_worker_beat')),
    )


def downgrade() -> None:
    op.drop_table('worker_beat')
