"""The errors mailbot raises, translated from third-party errors at each adapter's boundary.

    MailbotError
    ├── ConfigError                 bad or missing configuration; start-up stops, naming the key
    ├── StoreError                  the database
    │   ├── SchemaNotCurrent        migrations have not been applied
    │   └── DecryptionError         a sealed column cannot be opened with the configured keys
    ├── MailboxError                the mail source (IMAP server or Maildir)
    │   ├── MailboxUnavailable      cannot connect or lost the connection; retried with backoff
    │   └── MailboxProtocolError    the server answered something we cannot work with
    ├── SendError                   the outgoing SMTP server
    │   ├── TransientSendError      4xx or network trouble; the outbox retries with backoff
    │   └── PermanentSendError      5xx; the outbox marks the message failed
    ├── SourceUnavailable           a data source (SQL database, CSV file) cannot be read now
    ├── TemplateError               a reply template is missing or uses an undefined value
    ├── NotFound                    a record named on the command line does not exist
    ├── WorkflowError               a step not allowed now (approving twice, data to an
    │   │                           unverified address...)
    │   └── LinkRefused             a one-time verification link that cannot verify
    ├── ClientError                 a business client or contact cannot be added as asked
    ├── ExportError                 an export that cannot be made (an unknown format)
    └── UserError                   a console account cannot be created or changed as asked

The first ones live here; WorkflowError in handle/context.py (LinkRefused in handle/verify.py),
ClientError in register/clients.py, ExportError in register/export.py and UserError in
console/users.py, beside the code that raises them.
Parsing never raises: what cannot be parsed is recorded as quarantined with its error.
"""

from __future__ import annotations


class MailbotError(Exception):
    """Base of every error mailbot raises on purpose."""


class ConfigError(MailbotError):
    """Configuration is wrong; the message names the key (``section.key``)."""


class StoreError(MailbotError):
    """The database failed or holds something unexpected."""


class SchemaNotCurrent(StoreError):
    """The database schema is behind the code; run ``mailbot db upgrade``."""


class DecryptionError(StoreError):
    """A sealed value cannot be opened with any configured key."""


class MailboxError(MailbotError):
    """The mail source failed."""


class MailboxUnavailable(MailboxError):
    """The mail source cannot be reached; the daemon reconnects with backoff."""


class MailboxProtocolError(MailboxError):
    """The mail source answered something unusable."""


class SendError(MailbotError):
    """Sending a message failed."""


class TransientSendError(SendError):
    """A temporary failure: try again later."""


class PermanentSendError(SendError):
    """The server refused the message for good."""


class SourceUnavailable(MailbotError):
    """A data source cannot be searched or changed now; staff see it as a manual step."""


class TemplateError(MailbotError):
    """A reply template is missing or refers to an undefined value."""


class NotFound(MailbotError):
    """A record that was asked for does not exist."""
