"""oauth: the OAuth2 accounts' sealed tokens and whether the provider still honours the grant

Revision ID: 0010_oauth
Revises: 0013_growth
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa


revision = '0010_oauth'
down_revision = '0013_growth'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'oauth_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account', sa.String(length=32), nullable=False),
        sa.Column('provider', sa.String(length=16), nullable=False),
        sa.Column('client_id', sa.String(length=255), nullable=False),
        sa.Column('seed_hash', sa.String(length=64), nullable=True),
        sa.Column('refresh_token', sa.LargeBinary(), nullable=True),
        sa.Column('access_token', sa.LargeBinary(), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('refused_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_token')),
        sa.UniqueConstraint('account', name=op.f('uq_oauth_token_account')),
    )


def downgrade() -> None:
    op.drop_table('oauth_token')
