"""raw mails: the sealed raw mail moves out of inbound_mail into raw_mail

Every step of handling a mail updates its inbound_mail row, and SQLite rewrites a whole row
to update it: a row holding a 45 MiB sealed mail cost 91 MiB of memory (and the time to
copy it) at each flush. In a table of their own, the raw mails are written once; there the
sealed mail is the row's last column, so SQLite also keeps the empty blob it is written into
(store/blobs.py) empty.

Revision ID: 0019_raw_mails
Revises: 0018_worker_beats
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = '0019_raw_mails'
down_revision = '0018_worker_beats'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'raw_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('raw', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['id'], ['inbound_mail.id'],
                                name=op.f('fk_raw_mail_id_inbound_mail'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_raw_mail')),
    )
    op.execute("INSERT INTO raw_mail (id, raw) "
               "SELECT id, raw FROM inbound_mail WHERE raw IS NOT NULL")
    # SQLite >= 3.35 drops a plain column in place: a copy of the table (batch mode) would
    # drop inbound_mail, which its foreign keys refuse (or cascade) while they are on.
    with op.batch_alter_table('inbound_mail', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('raw')


def downgrade() -> None:
    with op.batch_alter_table('inbound_mail', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('raw', sa.LargeBinary(), nullable=True))
    op.execute("UPDATE inbound_mail SET raw = "
               "(SELECT raw FROM raw_mail WHERE raw_mail.id = inbound_mail.id)")
    op.drop_table('raw_mail')
