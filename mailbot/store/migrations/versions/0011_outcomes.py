"""outcomes: the steps of each request with their recorded results; the steps an answer
states

Revision ID: 0011_outcomes
Revises: 0007_orders
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0011_outcomes'
down_revision = '0007_orders'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('request_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.LargeBinary(), nullable=True),
    sa.Column('instruction', sa.LargeBinary(), nullable=True),
    sa.Column('result', sa.LargeBinary(), nullable=True),
    sa.Column('note', sa.LargeBinary(), nullable=True),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['draft.id'], name=op.f('fk_request_step_draft_id_draft')),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_request_step_outbox_id_outbox')),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_request_step_request_id_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_step')),
    sa.UniqueConstraint('request_id', 'position', name=op.f('uq_request_step_request_id_position'))
    )
    with op.batch_alter_table('request_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_step_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_request_step_status'), ['status'], unique=False)
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mentions', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.drop_column('mentions')
    with op.batch_alter_table('request_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_step_status'))
        batch_op.drop_index(batch_op.f('ix_request_step_request_id'))
    op.drop_table('request_step')
