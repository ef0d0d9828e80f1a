"""The lookups ingest makes for each mail, asked once for a group of mails: which mail holds
each dedup key, which senders are client contacts, each sender's open requests, and how many
acknowledgements and verification mails went to each sender lately. Five statements for the
group, where each mail asked them one by one.

An answer holds for the mail of its sender in the group (ingest makes groups whose senders
differ, so no other mail of the group changes it) and is asked for by the step that needs it
alone; nothing else reads it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from mailbot.domain.states import OPEN_STATUSES
from mailbot.store.models import (
    ClientContact,
    InboundMail,
    OutboxMessage,
    Request,
    Verification,
)
from mailbot.store.repository import Repository

_KEY = "mailbot.foreknown"


@dataclass(frozen=True, slots=True)
class Foreknown:
    holders: dict[str, int]  # dedup key -> the mail that holds it (keys asked, held)
    contacts: frozenset[str]  # client contact addresses among the senders (lower case)
    open_requests: dict[str, list[Request]]  # sender -> open requests, oldest first
    senders: frozenset[str]  # the senders asked about (as recorded)
    recent: dict[str, int]  # recipient -> acknowledgements since ``since``
    since: datetime
    # address (lower case) -> verifications made since ``since``, for every sender asked about
    verified: dict[str, int] = field(default_factory=dict)

    @classmethod
    def ask(cls, repo: Repository, *, keys: Collection[str], senders: Collection[str],
            purpose: str, since: datetime) -> Foreknown:
        """The answers for a group whose mails have ``keys`` and ``senders``; the recent
        messages of ``purpose`` counted since ``since``."""
        session = repo.session
        wanted = {s for s in senders if s}
        with session.no_autoflush:  # a group begins with nothing of its own pending
            holders: dict[str, int] = {
                key: holder for key, holder in session.execute(
                    select(InboundMail.dedup_key, InboundMail.id)
                    .where(InboundMail.dedup_key.in_(set(keys)))) if key is not None}
            contacts = frozenset(session.scalars(select(ClientContact.email).where(
                ClientContact.email.in_({s.strip().lower() for s in wanted})))) \
                if wanted else frozenset()
            open_requests: dict[str, list[Request]] = defaultdict(list)
            if wanted:
                for request in session.scalars(
                        select(Request).where(Request.sender.in_(wanted),
                                              Request.status.in_(OPEN_STATUSES))
                        .order_by(Request.id)):
                    open_requests[request.sender].append(request)
            recent: dict[str, int] = {
                recipient: count for recipient, count in session.execute(
                    select(OutboxMessage.recipient, func.count(OutboxMessage.id))
                    .where(OutboxMessage.recipient.in_(wanted),
                           OutboxMessage.purpose == purpose, OutboxMessage.created_at >= since)
                    .group_by(OutboxMessage.recipient))} if wanted else {}
            verified = dict.fromkeys({s.strip().lower() for s in wanted}, 0)
            if wanted:
                for address, count in session.execute(
                        select(Verification.address, func.count(Verification.id))
                        .where(Verification.address.in_(set(verified)),
                               Verification.created_at >= since)
                        .group_by(Verification.address)):
                    verified[address] = count
        return cls(holders, contacts, dict(open_requests), frozenset(wanted), recent, since,
                   verified)

    def holder(self, key: str) -> int | None:
        """The mail that held ``key`` when the group began (None: no mail)."""
        return self.holders.get(key)

    def is_contact(self, address: str) -> bool | None:
        """Whether ``address`` is a client contact; None when it was not asked."""
        if address not in self.senders:
            return None
        return address.strip().lower() in self.contacts

    def open_from(self, sender: str) -> list[Request] | None:
        """``sender``'s open requests; None when the sender was not asked about."""
        if sender not in self.senders:
            return None
        return self.open_requests.get(sender, [])

    def recent_count(self, recipient: str, since: datetime) -> int | None:
        """Acknowledgements to ``recipient`` written since ``since``; None when not asked."""
        if recipient not in self.senders or since != self.since:
            return None
        return self.recent.get(recipient, 0)

    def verification_count(self, address: str, since: datetime) -> int | None:
        """Verifications of ``address`` (lower case) written since ``since``; None when it
        was not asked."""
        return self.verified.get(address) if since == self.since else None


def current(repo: Repository) -> Foreknown | None:
    """The answers asked for the group of mails being handled, if any."""
    found = repo.info.get(_KEY)
    return found if isinstance(found, Foreknown) else None


@contextmanager
def kept(repo: Repository, foreknown: Foreknown) -> Iterator[None]:
    """``foreknown`` is the group's while inside."""
    repo.info[_KEY] = foreknown
    try:
        yield
    finally:
        repo.info.pop(_KEY, None)
