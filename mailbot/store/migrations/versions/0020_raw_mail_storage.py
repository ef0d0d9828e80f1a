"""raw mails: on PostgreSQL the sealed raw mail is stored out of line, uncompressed

A large raw mail is written and read in pieces of its sealed token (store/blobs.py):
``raw || piece`` and ``substring(raw FROM n FOR m)``. With the column's storage EXTERNAL,
PostgreSQL reads a slice without decompressing the value from its start (a Fernet token is
base64 of ciphertext, which does not compress anyway). SQLite has no such setting.

Revision ID: 0020_raw_mail_storage
Revises: 0019_raw_mails
Create Date: 2026-12-05
"""

from alembic import op

revision = '0020_raw_mail_storage'
down_revision = '0019_raw_mails'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE raw_mail ALTER COLUMN raw SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE raw_mail ALTER COLUMN raw SET STORAGE EXTENDED")
