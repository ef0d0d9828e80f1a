"""The queries the deadline jobs run, by name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from mailbot.domain.states import (
    OPEN_STATUSES,
    RELEASED_DRAFTS,
    DraftStatus,
    ExtensionStatus,
)
from mailbot.handle import refusal
from mailbot.store.models import Digest, Draft, Extension, Notice, Request


def open_requests(session: Session) -> Sequence[Request]:
    return session.scalars(select(Request).where(Request.status.in_(OPEN_STATUSES))
                           .order_by(Request.due_at, Request.id)).all()


def notice_exists(session: Session, request_id: int, kind: str, point: str) -> bool:
    return session.scalar(select(Notice.id).where(
        Notice.request_id == request_id, Notice.kind == kind, Notice.point == point)) is not None


def last_digest_at(session: Session) -> datetime | None:
    return session.scalar(select(func.max(Digest.created_at)))


def digest_sent(session: Session, day: object) -> bool:
    return session.scalar(select(Digest.id).where(Digest.day == day)) is not None


def created_since(session: Session, since: datetime) -> Sequence[Request]:
    return session.scalars(select(Request).where(Request.created_at > since)
                           .order_by(Request.id)).all()


def waiting_for_approval(session: Session) -> Sequence[Request]:
    """Open requests with a draft that waits for staff."""
    pending = exists().where(Draft.request_id == Request.id,
                             Draft.status == DraftStatus.PENDING_APPROVAL)
    return session.scalars(select(Request).where(Request.status.in_(OPEN_STATUSES), pending)
                           .order_by(Request.due_at, Request.id)).all()


def with_pending_extension(session: Session) -> set[int]:
    """The requests with an extension waiting for its notice to leave."""
    return set(session.scalars(select(Extension.request_id)
                               .where(Extension.status == ExtensionStatus.PENDING)))


def with_refusal_sent(session: Session) -> set[int]:
    """The open requests whose refusal is on its way (closed when the scan sees it)."""
    return set(session.scalars(select(Draft.request_id).join(Request).where(
        Draft.purpose == refusal.PURPOSE, Draft.status.in_(RELEASED_DRAFTS),
        Request.status.in_(OPEN_STATUSES))))
