"""optout phones: the suppression list holds phone numbers beside e-mail addresses

Revision ID: 0014_optout_phones
Revises: 0012_letters
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0014_optout_phones'
down_revision = '0012_letters'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('optout', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=20), nullable=True))
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=True)
        batch_op.create_index(batch_op.f('ix_optout_phone'), ['phone'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_optout_phone_purpose'),
                                          ['phone', 'purpose'])


def downgrade() -> None:
    op.execute("DELETE FROM optout WHERE email IS NULL")
    with op.batch_alter_table('optout', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_optout_phone_purpose'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_optout_phone'))
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=False)
        batch_op.drop_column('phone')
