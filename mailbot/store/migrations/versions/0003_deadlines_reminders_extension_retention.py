"""deadlines reminders extension retention

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('digest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_digest_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest')),
    sa.UniqueConstraint('day', name=op.f('uq_digest_day'))
    )
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('point', sa.String(length=64), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_notice_outbox_id_outbox')),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_notice_request_id_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    sa.UniqueConstraint('request_id', 'kind', 'point', name=op.f('uq_notice_request_id_kind_point'))
    )
    op.create_table('extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('original_due_at', sa.Date(), nullable=False),
    sa.Column('new_due_at', sa.Date(), nullable=False),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['draft_id'], ['draft.id'], name=op.f('fk_extension_draft_id_draft')),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_extension_request_id_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extension'))
    )
    with op.batch_alter_table('extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extension_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('inbound_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_at', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('original_due_at', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('extended_months', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('extension_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): rebuilding inbound_mail or request would
    # trip the foreign keys of the rows that point at them.
    with op.batch_alter_table('request', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('purged_at')
        batch_op.drop_column('extension_reason')
        batch_op.drop_column('extended_months')
        batch_op.drop_column('original_due_at')
        batch_op.drop_column('target_at')

    with op.batch_alter_table('inbound_mail', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('purged_at')

    with op.batch_alter_table('extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extension_request_id'))

    op.drop_table('extension')
    op.drop_table('notice')
    op.drop_table('digest')
