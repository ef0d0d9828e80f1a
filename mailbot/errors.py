"""The errors mailbot raises, translated from third-party errors at each adapter's boundary.

    MailbotError
    ├── ConfigError                 bad or missing configuration; start-up stops, naming the key
    ├── StoreError                  the database
    │   ├── SchemaNotCurrent        migrations have not been applied
    │   ├── DecryptionError         a sealed column cannot be opened with the configured keys
    │   └── Conflict                a unique key is taken: someone else did it first
    ├── MailboxError                the mail source (IMAP server or Maildir)
    │   ├── MailboxUnavailable      cannot connect or lost the connection; retried with backoff
    │   └── MailboxProtocolError    the server answered something we cannot work with
    ├── OAuthError                  getting an OAuth2 access token (XOAUTH2 logins)
    │   ├── TokenUnavailable        the token endpoint cannot be reached or failed; retried
    │   └── GrantRefused            invalid_grant, revoked consent, a wrong secret: a person
    │                               must act; logged once, staff told, health fails
    ├── SendError                   the outgoing SMTP server
    │   ├── TransientSendError      4xx or network trouble; the outbox retries with backoff
    │   └── PermanentSendError      5xx; the outbox marks the message failed
    ├── SourceError                 a data source (SQL database, CSV file, our own records)
    │   ├── SourceUnavailable       it cannot be read now; staff see it and search again later
    │   └── NotWritable             mailbot cannot change it: the change is a manual step
    ├── TemplateError               a reply template is missing or uses an undefined value
    ├── NotFound                    a record named on the command line or in the console
    ├── WorkflowError               a step not allowed now (approving twice, data to an
    │   │                           unverified address, an empty reason...)
    │   ├── IllegalTransition       a state machine (domain/states.py) refused the move
    │   ├── ExtensionNotAllowed     an extension the law does not allow
    │   ├── LinkRefused             a one-time verification link that cannot verify
    │   ├── Stale                   a draft changed since the approver read it
    │   └── NotAllowed              the staff member is unknown, disabled or lacks the role
    ├── ClientError                 a business client or contact cannot be added as asked
    ├── ExportError                 an export that cannot be made (an unknown format)
    ├── UserError                   a console account cannot be created or changed as asked
    └── Refused                     a console page answers with an HTTP status and a message

Every class is defined here; the code that raises one imports it from here.
Parsing never raises: what cannot be parsed is recorded as quarantined with its error.
"""

from __future__ import annotations

from typing import Literal


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


class Conflict(StoreError):
    """A unique key is taken (another process recorded the same thing first); the
    transaction is spoilt and must be rolled back."""


class MailboxError(MailbotError):
    """The mail source failed."""


class MailboxUnavailable(MailboxError):
    """The mail source cannot be reached; the daemon reconnects with backoff."""


class MailboxProtocolError(MailboxError):
    """The mail source answered something unusable."""


class OAuthError(MailbotError):
    """No OAuth2 access token could be had."""


class TokenUnavailable(OAuthError):
    """The token endpoint cannot be reached or failed for now; asked again with backoff."""


class GrantRefused(OAuthError):
    """The token endpoint refused the grant (``invalid_grant``, revoked consent, a wrong
    client secret...): nothing changes until a person acts. ``code`` is the OAuth2 error."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class SendError(MailbotError):
    """Sending a message failed."""


class TransientSendError(SendError):
    """A temporary failure: try again later."""


class PermanentSendError(SendError):
    """The server refused the message for good."""


class SourceError(MailbotError):
    """A data source failed or refused."""


class SourceUnavailable(SourceError):
    """A data source cannot be searched or changed now; staff see it and search again."""


class NotWritable(SourceError):
    """The source cannot be changed by mailbot: the change is a manual step for staff."""


class TemplateError(MailbotError):
    """A reply template is missing or refers to an undefined value."""


class NotFound(MailbotError):
    """A record that was asked for does not exist."""


class WorkflowError(MailbotError):
    """A step that is not allowed now (approving twice, data to an unverified address...)."""


class IllegalTransition(WorkflowError):
    """A record cannot go from its state to the one asked (see domain/states.py)."""


class ExtensionNotAllowed(WorkflowError):
    """An extension the law does not allow (too late, or more than two months in all)."""


RefusalReason = Literal["unknown", "used", "closed", "expired"]


class LinkRefused(WorkflowError):
    """A one-time link that cannot verify (any more); ``reason`` says why."""

    def __init__(self, message: str, reason: RefusalReason) -> None:
        super().__init__(message)
        self.reason = reason


class Stale(WorkflowError):
    """The record changed since the person acting on it read it."""


class NotAllowed(WorkflowError):
    """The staff member named is unknown or disabled, or their role does not allow this."""


class ClientError(MailbotError):
    """A client cannot be registered as asked (a bad address, a contact of another client)."""


class ExportError(MailbotError):
    """An export that cannot be made (an unknown format)."""


class UserError(MailbotError):
    """A console user cannot be added or changed as asked (bad name, role or password)."""


class Refused(MailbotError):
    """A console page stops with an HTTP ``status`` and the message ``key`` (translated, with
    ``values``): no sign-in, a bad form, a role too low."""

    def __init__(self, status: int, key: str, **values: object) -> None:
        super().__init__(key)
        self.status, self.key, self.values = status, key, values
