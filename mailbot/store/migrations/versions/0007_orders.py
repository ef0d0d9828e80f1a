"""orders: a verification says which address it proves (the sender's, or a new one)

Revision ID: 0007_orders
Revises: 0005_service
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_orders'
down_revision = '0005_service'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('verification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False,
                                      server_default='sender'))


def downgrade() -> None:
    with op.batch_alter_table('verification', schema=None) as batch_op:
        batch_op.drop_column('kind')
