"""IMAP mail source (imapclient): UID SEARCH for unmarked mail, a keyword or a move as the
mark, IDLE (or polling) to wait for new mail."""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from mailbot.config import Mailbox
from mailbot.errors import MailboxError, MailboxProtocolError, MailboxUnavailable, OAuthError
from mailbot.mailbox.deletion import Deletion, DeletionOutcome, MailKey
from mailbot.mailbox.imap_delete import ImapDeleter
from mailbot.mailbox.imap_errors import translated
from mailbot.mailbox.source import HEADER_LIMIT, KEPT_BYTES, FetchedMessage

if TYPE_CHECKING:
    from mailbot.oauth.tokens import XOAuth2Login

log = logging.getLogger(__name__)

FETCH_ITEMS = ("BODY.PEEK[]", "INTERNALDATE", "RFC822.SIZE")
# of a mail over the limit: the header and the text's start, each bounded (the bulk of a
# mail can be in its header as well as in an attachment)
LIMITED_ITEMS = (f"BODY.PEEK[HEADER]<0.{HEADER_LIMIT}>", f"BODY.PEEK[TEXT]<0.{KEPT_BYTES}>",
                 "INTERNALDATE")
FETCH_CHUNK = 50  # mails read with one FETCH
FETCH_BYTES = 4 * 1024 * 1024  # and about this much of them at most
IDLE_SLICE = 0.5  # longest wait inside IDLE before looking at `stop` again
CLOSE_TIMEOUT = 2.0


@dataclass(frozen=True, slots=True)
class ImapTarget:
    host: str
    port: int
    tls: bool
    folder: str
    username: str
    password: str
    oauth: XOAuth2Login | None = None  # log in with XOAUTH2 and its tokens, not the password

    @property
    def name(self) -> str:
        scheme = "imaps" if self.tls else "imap"
        host = f"[{self.host}]" if ":" in self.host else self.host
        user = quote(self.username, safe="")
        return f"{scheme}://{user}@{host}:{self.port}/{quote(self.folder)}"


@dataclass(frozen=True, slots=True)
class ImapInspection:
    """What ``ImapSource.inspect`` saw; ``uidvalidity`` is None when the folder is missing."""

    capabilities: frozenset[str]
    uidvalidity: int | None
    messages: int | None
    processed_folder_exists: bool | None  # None: no mailbox.processed_folder configured


class ImapSource:
    """One IMAP folder. Not thread-safe: one thread drives it."""

    def __init__(
        self, target: ImapTarget, settings: Mailbox, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.target = target
        self.name = target.name
        self._settings = settings
        self._ssl_context = ssl_context
        self._client: IMAPClient | None = None
        self._uidvalidity = 0
        self._handed_out = 0  # highest UID pending() has passed (yielded or found gone)
        self._use_idle = False

    # -- MailSource --------------------------------------------------------------------

    def open(self) -> None:
        self._connect()
        client = self._connected()
        try:
            self._login(client)
            with self._translated("open"):
                self._use_idle = self._settings.idle and self._client.has_capability("IDLE")
                folder = self._settings.processed_folder
                if folder and not self._client.folder_exists(folder):
                    self._client.create_folder(folder)
                self._select(check=True)
        except BaseException:
            self.close()
            raise
        self._handed_out = 0

    def pending(self) -> Iterator[FetchedMessage]:
        client = self._connected()
        with self._translated("search"):
            self._select()
            uids = sorted(client.search(self._criteria()))
        yield from self._read(uids)

    def open_readonly(self) -> int:
        """Log in and EXAMINE the folder, creating and marking nothing (``mailbot import``
        reads an archive this way); returns how many mails it holds."""
        self._connect()
        client = self._connected()
        try:
            self._login(client)
            with self._translated("open"):
                if not client.folder_exists(self.target.folder):
                    raise MailboxProtocolError(f"{self.name}: no such folder")
                info = client.select_folder(self.target.folder, readonly=True)
        except BaseException:
            self.close()
            raise
        self._uidvalidity = int(info[b"UIDVALIDITY"])
        return int(info.get(b"EXISTS") or 0)

    def everything(self) -> Iterator[FetchedMessage]:
        """Every mail of the folder opened by ``open_readonly``, oldest UID first."""
        client = self._connected()
        with self._translated("search"):
            uids = sorted(client.search(["ALL"]))
        yield from self._read(uids)

    def _read(self, uids: list[int]) -> Iterator[FetchedMessage]:
        client = self._connected()
        with self._translated("fetch"):
            sizes = {uid: int(found.get(b"RFC822.SIZE") or 0) for uid, found in
                     client.fetch(uids, ["RFC822.SIZE"]).items()} if uids else {}
        for chunk in _chunks(uids, sizes, self._settings.max_size):
            client = self._connected()  # the caller may have lost or reopened it meanwhile
            size = sizes.get(chunk[0], 0)
            if size > self._settings.max_size:
                # Never read a mail over the limit whole: its header and its body's start.
                [uid] = chunk
                with self._translated("fetch"):
                    data = client.fetch([uid], LIMITED_ITEMS).get(uid)
                self._handed_out = max(self._handed_out, uid)
                header = data.get(b"BODY[HEADER]<0>") if data is not None else None
                if data is None or header is None:
                    continue
                yield self._message(uid, {**data, b"BODY[]": bytes(header)
                                          + bytes(data.get(b"BODY[TEXT]<0>") or b"")},
                                    size=size)
                continue
            with self._translated("fetch"):
                found = client.fetch(chunk, FETCH_ITEMS)
            self._handed_out = max(self._handed_out, chunk[-1])
            for uid in chunk:
                data = found.pop(uid, None)
                if data is None or data.get(b"BODY[]") is None:
                    continue  # expunged by someone else since the search
                yield self._message(uid, data)

    def mark_recorded(self, msg: FetchedMessage) -> None:
        client = self._connected()
        if msg.mailbox != self.name:
            raise ValueError(f"{msg.mailbox} is not from {self.name}")
        if msg.uidvalidity != self._uidvalidity:
            # The UID may now name another message; this one comes again under the new
            # UIDVALIDITY and the database recognises it by its Message-ID.
            log.warning(
                "%s: UIDVALIDITY changed (%s -> %s); not marking UID %s",
                self.name,
                msg.uidvalidity,
                self._uidvalidity,
                msg.uid,
            )
            return
        uid = int(msg.uid)
        with self._translated(f"mark UID {uid}"):
            if self._settings.processed_folder and not msg.truncated:
                self._move(client, [uid], self._settings.processed_folder)
            else:
                client.add_flags([uid], [self._settings.keyword], silent=True)

    def mark_all(self, msgs: Sequence[FetchedMessage]) -> None:
        """Mark every one of ``msgs`` as recorded, in as few commands as the server allows."""
        client = self._connected()
        if any(msg.mailbox != self.name for msg in msgs):
            raise ValueError(f"a mail not from {self.name}")
        current = [msg for msg in msgs if msg.uidvalidity == self._uidvalidity]
        if len(current) < len(msgs):
            log.warning("%s: UIDVALIDITY changed to %s; not marking %s mails", self.name,
                        self._uidvalidity, len(msgs) - len(current))
        moved = [int(m.uid) for m in current
                 if self._settings.processed_folder and not m.truncated]
        flagged = [int(m.uid) for m in current
                   if not self._settings.processed_folder or m.truncated]
        with self._translated(f"mark {len(current)} mails"):
            if moved:
                self._move(client, moved, self._settings.processed_folder or "")
            if flagged:
                client.add_flags(flagged, [self._settings.keyword], silent=True)

    def delete_original(self, key: MailKey) -> Deletion:
        """Delete the mail recorded under ``key`` (see mailbox/imap_delete.py); the folder
        is selected again afterwards, so fetching and waiting go on as before."""
        if key.mailbox != self.name:
            return Deletion(key, DeletionOutcome.FAILED,
                            f"recorded from {key.mailbox}, not from {self.name}")
        try:
            with self._translated(f"delete UID {key.uid}"):
                deleter = ImapDeleter(self._connected(), self.target.folder,
                                      self._settings.processed_folder)
                result = deleter.delete(key)
        except MailboxError as exc:
            result = Deletion(key, DeletionOutcome.FAILED, str(exc), error=exc)
        if self._client is not None:
            try:
                with self._translated("select the folder again"):
                    self._select()
            except MailboxError as exc:  # the next pending() selects (or reconnects) anew
                log.warning("%s", exc)
        return result

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        client = self._connected()
        deadline = time.monotonic() + timeout
        if stop.is_set():
            return False
        if self._has_new(client):
            return True
        if self._use_idle:
            return self._idle_wait(client, deadline, stop)
        return self._poll_wait(client, deadline, stop)

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.socket().settimeout(min(CLOSE_TIMEOUT, self._settings.timeout))
            client.logout()
        except Exception:
            self._shutdown(client)

    def inspect(self) -> ImapInspection:
        """Log in and look at the folders, changing nothing (STATUS, never SELECT): for
        ``mailbot check``. Raises MailboxError when the server or the login fails."""
        self._connect()
        client = self._connected()
        try:
            self._login(client)
            with self._translated("look at the folder"):
                capabilities = frozenset(c.decode("ascii", "replace").upper()
                                         for c in client.capabilities())
                folder = self.target.folder
                uidvalidity = messages = None
                if client.folder_exists(folder):
                    status = client.folder_status(folder, ["UIDVALIDITY", "MESSAGES"])
                    uidvalidity = int(status[b"UIDVALIDITY"])
                    messages = int(status[b"MESSAGES"])
                processed = self._settings.processed_folder
                return ImapInspection(
                    capabilities=capabilities, uidvalidity=uidvalidity, messages=messages,
                    processed_folder_exists=client.folder_exists(processed)
                    if processed else None)
        finally:
            self.close()

    # -- connection ----------------------------------------------------------------------

    def _connect(self) -> None:
        self.close()
        with self._translated("connect"):
            self._client = IMAPClient(
                self.target.host,
                self.target.port,
                ssl=self.target.tls,
                ssl_context=self._context(),
                timeout=self._settings.timeout,
            )
            self._client.normalise_times = False
            # imapclient turns imaplib's debug output on (level 5) to log it, and imaplib
            # then formats the repr of every response, a whole mail three times over, even
            # though mailbot never logs it (logsetup.CHATTY): off.
            self._client._imap.debug = 0

    def _context(self) -> ssl.SSLContext | None:
        if not self.target.tls:
            return None
        return self._ssl_context or ssl.create_default_context()

    def _login(self, client: IMAPClient) -> None:
        if self.target.oauth is not None:
            self._oauth_login(client, self.target.oauth)
            return
        try:
            with self._translated("login"):
                client.login(self.target.username, self.target.password)
        except MailboxProtocolError as exc:
            cause = _server_words(exc)
            raise MailboxUnavailable(
                f"{self.name}: login as {self.target.username!r} refused: {cause}; "
                "check mailbox.username and mailbox.password"
            ) from exc

    def _oauth_login(self, client: IMAPClient, login: XOAuth2Login) -> None:
        """XOAUTH2; a token the server refuses is dropped and a new one tried once (the
        provider may have ended it early)."""
        for attempt in (1, 2):
            try:
                token = login.tokens.access_token()
            except OAuthError as exc:
                raise MailboxUnavailable(f"{self.name}: no OAuth2 token to log in as "
                                         f"{login.user!r}: {exc}") from exc
            try:
                with self._translated("XOAUTH2 login"):
                    client.oauth2_login(login.user, token)
                return
            except MailboxProtocolError as exc:
                login.tokens.invalidate(token)
                if attempt == 2:
                    raise MailboxUnavailable(
                        f"{self.name}: XOAUTH2 login as {login.user!r} refused with a new "
                        f"token: {_server_words(exc)}; check that the app may reach this "
                        "mailbox and mailbox.oauth2.scope") from exc
                log.info("%s: the server refused the OAuth2 token; asking for a new one",
                         self.name)

    def _connected(self) -> IMAPClient:
        if self._client is None:
            raise MailboxUnavailable(f"{self.name}: not connected; call open() first")
        return self._client

    def _lost(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            self._shutdown(client)

    @staticmethod
    def _shutdown(client: IMAPClient) -> None:
        try:
            client.shutdown()
        except Exception:
            log.debug("closing the IMAP socket failed", exc_info=True)

    def _translated(self, action: str) -> AbstractContextManager[None]:
        return translated(self.name, action, self._lost)

    def _select(self, check: bool = False) -> None:
        client = self._connected()
        info = client.select_folder(self.target.folder)
        self._uidvalidity = int(info[b"UIDVALIDITY"])
        if check:
            self._check_folder(info)

    def _check_folder(self, info: dict[bytes, Any]) -> None:
        if b"READ-ONLY" in info:
            raise MailboxProtocolError(
                f"{self.name}: the folder is read-only for {self.target.username!r}; "
                "mailbot needs to mark recorded mail"
            )
        permanent = info.get(b"PERMANENTFLAGS")
        if self._settings.processed_folder or permanent is None:
            return  # no PERMANENTFLAGS means every flag is permanent (RFC 3501)
        allowed = {flag.lower() for flag in permanent}
        if b"\\*" not in allowed and self._settings.keyword.encode().lower() not in allowed:
            raise MailboxProtocolError(
                f"{self.name}: the server does not allow the keyword "
                f"{self._settings.keyword!r} (PERMANENTFLAGS lacks \\*); set "
                "mailbox.processed_folder to move recorded mail to a folder instead"
            )

    # -- reading and marking -----------------------------------------------------------

    def _criteria(self) -> list[str]:
        if self._settings.processed_folder:  # a mail too large to take stays, marked
            return ["UNDELETED", "UNKEYWORD", self._settings.keyword]
        return ["UNKEYWORD", self._settings.keyword]

    def _message(self, uid: int, data: dict[bytes, Any],
                 size: int | None = None) -> FetchedMessage:
        raw = bytes(data[b"BODY[]"])
        internaldate = data.get(b"INTERNALDATE")
        if isinstance(internaldate, datetime):
            if internaldate.tzinfo is None:
                internaldate = internaldate.replace(tzinfo=UTC)
            internaldate = internaldate.astimezone(UTC)
        return FetchedMessage(
            raw=raw,
            mailbox=self.name,
            uidvalidity=self._uidvalidity,
            uid=str(uid),
            internaldate=internaldate if isinstance(internaldate, datetime) else None,
            size=size if size is not None else int(data.get(b"RFC822.SIZE", len(raw))),
            truncated=size is not None,
        )

    def _move(self, client: IMAPClient, uids: list[int], folder: str) -> None:
        try:
            self._move_once(client, uids, folder)
        except IMAPClient.Error as exc:
            if "TRYCREATE" not in str(exc) or isinstance(exc, IMAPClient.AbortError):
                raise
            client.create_folder(folder)
            self._move_once(client, uids, folder)

    @staticmethod
    def _move_once(client: IMAPClient, uids: list[int], folder: str) -> None:
        if client.has_capability("MOVE"):
            client.move(uids, folder)
            return
        client.copy(uids, folder)
        client.add_flags(uids, ["\\Deleted"], silent=True)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:
            client.expunge()  # without UIDPLUS only all \Deleted mail can be expunged

    # -- waiting -------------------------------------------------------------------------

    def _has_new(self, client: IMAPClient) -> bool:
        with self._translated("check for new mail"):
            client.noop()
            return any(uid > self._handed_out for uid in client.search(self._criteria()))

    def _poll_wait(self, client: IMAPClient, deadline: float, stop: threading.Event) -> bool:
        while True:
            wake = min(deadline, time.monotonic() + self._settings.poll_interval)
            if stop.wait(max(0.0, wake - time.monotonic())):
                return False
            if time.monotonic() >= deadline:
                return False
            if self._has_new(client):
                return True

    def _idle_wait(self, client: IMAPClient, deadline: float, stop: threading.Event) -> bool:
        while True:
            with self._translated("IDLE"):
                client.idle()
                outcome = self._idle_round(client, deadline, stop)
                _text, leftovers = client.idle_done()
            if _announces_mail(leftovers):
                return True
            if outcome is not None:
                return outcome

    def _idle_round(
        self, client: IMAPClient, deadline: float, stop: threading.Event
    ) -> bool | None:
        """Wait inside one IDLE: True on new mail, False on stop or timeout, None when IDLE
        should be re-issued (renewal time, or a wake-up without data: a dead connection
        makes the DONE that follows fail)."""
        renew_at = time.monotonic() + self._settings.idle_renew
        while True:
            now = time.monotonic()
            if stop.is_set() or now >= deadline:
                return False
            if now >= renew_at:
                return None
            slice_ = min(IDLE_SLICE, deadline - now, renew_at - now)
            responses = client.idle_check(timeout=slice_)
            if any(_is_bye(response) for response in responses):
                self._lost()
                raise MailboxUnavailable(f"{self.name}: the server closed the connection")
            if _announces_mail(responses):
                return True
            if not responses and time.monotonic() - now < slice_ / 2:
                return None


def _chunks(uids: Sequence[int], sizes: dict[int, int], limit: int) -> Iterator[list[int]]:
    """``uids`` in runs fetched with one command each (at most FETCH_CHUNK mails and about
    FETCH_BYTES); a mail over ``limit`` alone."""
    chunk: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if size > limit:
            if chunk:
                yield chunk
            yield [uid]
            chunk, total = [], 0
            continue
        if chunk and (len(chunk) >= FETCH_CHUNK or total + size > FETCH_BYTES):
            yield chunk
            chunk, total = [], 0
        chunk.append(uid)
        total += size
    if chunk:
        yield chunk


def _server_words(exc: MailboxProtocolError) -> str:
    cause = str(exc.__cause__ if isinstance(exc.__cause__, LoginError) else exc)
    if cause.startswith(("b'", 'b"')):
        cause = cause[2:-1]  # imapclient shows the server's answer as a bytes repr
    return cause


def _announces_mail(responses: Sequence[tuple[Any, ...]]) -> bool:
    return any(len(r) >= 2 and r[1] == b"EXISTS" for r in responses)


def _is_bye(response: tuple[Any, ...]) -> bool:
    return len(response) >= 1 and response[0] == b"BYE"
