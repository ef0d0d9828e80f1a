"""drafts verification optouts register

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('optout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_optout_request_id_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_optout')),
    sa.UniqueConstraint('email', 'purpose', name=op.f('uq_optout_email_purpose'))
    )
    with op.batch_alter_table('optout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_optout_email'), ['email'], unique=False)

    op.create_table('register_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('order_key', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('change', sa.String(length=16), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('missing', sa.JSON(), nullable=False),
    sa.Column('contact_email', sa.String(length=320), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_register_entry_client_id_client')),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_register_entry_request_id_request')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['register_entry.id'], name=op.f('fk_register_entry_supersedes_id_register_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_entry')),
    sa.UniqueConstraint('client_id', 'order_key', 'version', name=op.f('uq_register_entry_client_id_order_key_version'))
    )
    with op.batch_alter_table('register_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_entry_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_entry_order_key'), ['order_key'], unique=False)

    op.create_table('verification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=998), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_verification_request_id_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verification')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_verification_token_hash'))
    )
    with op.batch_alter_table('verification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verification_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_verification_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_verification_request_id'), ['request_id'], unique=False)

    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.LargeBinary(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.Column('personal_data', sa.Boolean(), nullable=False),
    sa.Column('auto_submitted', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_draft_outbox_id_outbox')),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_draft_request_id_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft'))
    )
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_status'), ['status'], unique=False)

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('dpo', sa.String(length=320), nullable=True))

    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('verification_method', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('child', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
        batch_op.drop_column('child')
        batch_op.drop_column('verification_method')
        batch_op.drop_column('verified_at')
        batch_op.drop_column('details')

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('dpo')
        batch_op.drop_column('address')

    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_status'))
        batch_op.drop_index(batch_op.f('ix_draft_request_id'))

    op.drop_table('draft')
    with op.batch_alter_table('verification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verification_request_id'))
        batch_op.drop_index(batch_op.f('ix_verification_message_id'))
        batch_op.drop_index(batch_op.f('ix_verification_address'))

    op.drop_table('verification')
    with op.batch_alter_table('register_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_entry_order_key'))
        batch_op.drop_index(batch_op.f('ix_register_entry_client_id'))

    op.drop_table('register_entry')
    with op.batch_alter_table('optout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_optout_email'))

    op.drop_table('optout')
