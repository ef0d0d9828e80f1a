"""Mail sources: IMAP (imapclient) and Maildir. The daemon loop reads ``pending()`` mail,
commits it to the database, then calls ``mark_recorded()``; ``wait()`` blocks until new
mail may be there. Errors are MailboxUnavailable (reconnect with ``Backoff``) or
MailboxProtocolError (the server refused something). ``delete_original(MailKey)`` removes a
recorded mail's original (erasure, retention) and reports a ``Deletion``; it never raises
for mailbox trouble."""

from mailbot.mailbox.backoff import Backoff
from mailbot.mailbox.deletion import Deletion, DeletionOutcome, MailKey
from mailbot.mailbox.factory import open_source
from mailbot.mailbox.source import FetchedMessage, MailSource

__all__ = ["Backoff", "Deletion", "DeletionOutcome", "FetchedMessage", "MailKey", "MailSource",
           "open_source"]
