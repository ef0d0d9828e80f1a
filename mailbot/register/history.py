"""The versions of each processing order: new, amended, ended. Nothing is deleted.

For one (client, order key) the newest version is the current one; every older version is
``superseded``. An amendment copies the current fields and changes what the mail gives;
an ending copies them, sets the end date and the status ``ended``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from mailbot.register.parse_order import (
    LIST_FIELDS,
    Intent,
    ParsedOrder,
    missing_fields,
    order_key,
)
from mailbot.store.models import RegisterEntry
from mailbot.store.repository import Repository

ACTIVE, SUPERSEDED, ENDED = "active", "superseded", "ended"
NEW, AMENDED = "new", "amended"


def find_key(repo: Repository, client_id: int, order: ParsedOrder, *, subject: str,
             text: str) -> str | None:
    """Which order of this client the mail is about.

    The client's own name for it first; else an existing order named in the subject (and,
    for a change or an ending, in the text); else the key made from the categories of
    processing; else, for a change or an ending, the client's only open order.
    """
    if order.fields.get("order_key"):
        return order_key(order.fields["order_key"])
    existing = {e.order_key: e for e in repo.register.current(client_id)}
    haystack = f" {order_key(subject)} "
    if order.intent != "new":
        haystack += f" {order_key(text)} "
    named = [key for key in existing if f" {key} " in haystack]
    if named:
        return max(named, key=len)
    derived = order.order_key
    if derived in existing:
        return derived
    if order.intent != "new":
        wanted = (ACTIVE, ENDED) if order.intent == "end" else (ACTIVE,)
        open_orders = [key for key, e in existing.items() if e.status in wanted]
        if len(open_orders) == 1:
            return open_orders[0]
    return derived


def record(repo: Repository, *, client_id: int, key: str, order: ParsedOrder,
           contact_email: str, request_id: int | None, now: datetime) -> RegisterEntry | None:
    """Add the version ``order`` makes; None for an ending of an order that is not there."""
    entry = plan(repo, client_id=client_id, key=key, order=order)
    if entry is None:
        return None
    previous = repo.register.latest(client_id, key)
    entry.contact_email, entry.request_id, entry.created_at = contact_email, request_id, now
    if previous is not None:
        previous.status = SUPERSEDED
    repo.add(entry)
    repo.flush()
    return entry


def plan(repo: Repository, *, client_id: int, key: str,
         order: ParsedOrder) -> RegisterEntry | None:
    """The version ``order`` would add, not added (for staff to review before it is); None
    for an ending of an order that is not there."""
    previous = repo.register.latest(client_id, key)
    if order.intent == "end":
        if previous is None:
            return None
        fields = dict(previous.fields)
        if order.fields.get("end"):
            fields["end"] = order.fields["end"]
        entry = _version(previous, fields, change=ENDED, status=ENDED, intent="end",
                         valid_from=previous.valid_from, valid_to=_date(fields.get("end")))
    elif previous is not None and previous.status == ACTIVE:
        fields = merge(previous.fields, order)
        entry = _version(previous, fields, change=AMENDED, status=ACTIVE, intent="new",
                         valid_from=order.start or previous.valid_from,
                         valid_to=order.end or previous.valid_to)
    else:
        fields = dict(order.fields)
        entry = _version(previous, fields, change=NEW, status=ACTIVE, intent="new",
                         valid_from=order.start, valid_to=order.end)
    if "order_key" not in entry.fields:
        entry.fields = {**entry.fields, "order_key": _title(previous, entry.fields, key)}
    entry.order_key, entry.client_id = key, client_id
    return entry


def merge(previous: Mapping[str, str], order: ParsedOrder) -> dict[str, str]:
    """An amendment on top of the current fields: a labelled value replaces the old one;
    categories found in free text are added to it. Activities named in the free text of a
    change mail name the order being changed, so they do not add a category."""
    fields = dict(previous)
    for field, value in order.fields.items():
        if field in order.labelled or field not in LIST_FIELDS or not fields.get(field):
            fields[field] = value
        elif field != "processing":
            fields[field] = _union(fields[field], value)
    return fields


def _union(old: str, new: str) -> str:
    items = [item.strip() for item in re.split(r"[;,]", old) if item.strip()]
    known = {item.casefold() for item in items}
    added = [item.strip() for item in re.split(r"[;,]", new)
             if item.strip() and item.strip().casefold() not in known]
    return ("; " if ";" in old else ", ").join([*items, *added])


def _version(previous: RegisterEntry | None, fields: dict[str, str], *, change: str,
             status: str, intent: Intent, valid_from: date | None,
             valid_to: date | None) -> RegisterEntry:
    if valid_from is not None:
        fields["start"] = valid_from.isoformat()
    if valid_to is not None:
        fields["end"] = valid_to.isoformat()
    return RegisterEntry(
        version=previous.version + 1 if previous else 1, status=status, change=change,
        fields=fields, missing=list(missing_fields(fields, intent)),
        supersedes_id=previous.id if previous else None,
        valid_from=valid_from, valid_to=valid_to)


def _title(previous: RegisterEntry | None, fields: Mapping[str, str], key: str) -> str:
    """How the register names an order the client gave no name: as before, else by its
    categories of processing as written (when the key was made from them), else the key."""
    if previous is not None and previous.fields.get("order_key"):
        return str(previous.fields["order_key"])
    processing = fields.get("processing", "")
    return processing if processing and order_key(processing)[:80] == key else key


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
