"""Kind ``correction`` (art. 16): read what is to change, draft a confirmation that repeats it
(personal data: it waits for staff), and on approval apply it to every writable source.
What mailbot cannot change itself becomes a manual step that staff see with the request."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import RequestStatus
from mailbot.errors import WorkflowError
from mailbot.handle import address_change, optouts
from mailbot.handle.context import HandlerContext
from mailbot.handle.extract.changes import find_changes
from mailbot.sources.base import Found
from mailbot.sources.factory import recorded_failures
from mailbot.sources.registry import Change
from mailbot.store.models import Draft, Request

TEMPLATE = "correction_confirmation"
PURPOSE = "confirmation"
ADDRESS_PARTS = ("street", "postcode", "city")
OWN_STORE = "mailbot's own records"


@dataclass(frozen=True, slots=True)
class _Group:
    """One change as staff think of it, and the source fields to try for it: an address is
    tried as street, postcode and city, and as one ``address`` column."""

    field: str
    value: str
    tries: tuple[tuple[str, str], ...]

    def said_in(self, text: str) -> bool:
        """Whether ``text`` (a confirmation staff may have edited) still says this change."""
        values = [v for f, v in self.tries if f != "address"] or [self.value]
        return all(v in text for v in values)


def _groups(changes: list[dict[str, str]]) -> list[_Group]:
    parts = {c["field"]: c["value"] for c in changes if c["field"] in ADDRESS_PARTS}
    groups = []
    if parts:
        whole = ", ".join(v for v in (parts.get("street"), " ".join(
            v for v in (parts.get("postcode"), parts.get("city")) if v)) if v)
        tries = (*((f, parts[f]) for f in ADDRESS_PARTS if f in parts), ("address", whole))
        groups.append(_Group("address", whole, tuple(tries)))
    for change in changes:
        if change["field"] not in ADDRESS_PARTS:
            groups.append(_Group(change["field"], change["value"],
                                 ((change["field"], change["value"]),)))
    # The e-mail address last: once it changed, the sources no longer know the old one.
    return sorted(groups, key=lambda g: g.field == "email")


@dataclass(slots=True)
class _Outcome:
    source: str
    done: bool = False
    rows: int = 0
    manual_step: str = ""


class CorrectionHandler:
    kind = RequestKind.CORRECTION
    needs_verification = True
    repeatable = True

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        if not request.sender:
            ctx.set_status(request, RequestStatus.TRIAGE, "no address to answer")
            return
        ignore = {request.sender, *ctx.settings.organisation.own_addresses}
        changes = [c.as_dict() for c in find_changes(ctx.mail_text(request), ignore=ignore)]
        with recorded_failures(ctx.repo):  # a source that cannot be read shows no old value
            found = ctx.sources.lookup(request.sender, ctx.repo)
        for change in changes:
            change["old"] = _current(found, change["field"])
        details = dict(request.details or {})
        details["changes"] = changes
        request.details = details
        ctx.event(request, "changes_found", {"fields": [c["field"] for c in changes]})
        new_email = next((c["value"].strip().lower() for c in changes
                          if c["field"] == "email"), None)
        email_change = new_email is not None
        if new_email is not None:
            ctx.event(request, "email_change", {
                "note": "the new address gets only a code to prove it; no personal data goes "
                        "there, and the confirmation goes to the address the request came "
                        "from"})
            if not address_change.proven(request, new_email):
                address_change.wait_for(ctx, request, new_email)
                return
        ctx.draft(request, template=TEMPLATE, purpose=PURPOSE, personal_data=True, context={
            "name": request.inbound.sender_name or "", "reference": request.reference,
            "received": ctx.local_date(request.received_at), "changes": changes,
            "email_change": email_change})

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        details = dict(request.details or {})
        if draft.purpose != PURPOSE or "applied_at" in details:
            return
        for change in details.get("changes", []):
            if change["field"] == "email" and not address_change.proven(
                    request, change["value"].strip().lower()):
                raise WorkflowError(f"request {request.reference} changes the e-mail address "
                                    f"to {change['value']}, which is not proven: nothing is "
                                    "changed until the old and the new address are")
        email = request.sender
        steps: list[str] = []
        applied: list[dict[str, object]] = []
        own = own_sources(ctx)
        for group in _groups(details.get("changes", [])):
            if group.field == "text":
                steps.append(f"apply by hand what the person asked: {group.value}")
                continue
            if draft.version > 1 and not group.said_in(draft.body):
                steps.append(f"the confirmation was edited and no longer says {group.value!r}:"
                             f" set {group.field} for {email} by hand, as the sent text says")
                continue
            results = [c for field, value in group.tries
                       for c in ctx.sources.update(email, field, value, ctx.repo)
                       if c.source not in own]
            outcome = _by_source(ctx, group, results, email)
            rows = _correct_own(ctx, request, group)
            if rows:
                outcome.append(asdict(_Outcome(min(own, default=OWN_STORE), True, rows)))
            applied.append({"field": group.field, "sources": outcome})
            steps += [str(o["manual_step"]) for o in outcome if not o["done"]]
            ctx.event(request, "correction_applied", {"field": group.field,
                                                      "value": group.value,
                                                      "sources": outcome})
        details.update(applied_at=ctx.now.isoformat(), applied=applied, manual_steps=steps)
        request.details = details
        if not any(a["sources"] for a in applied):
            ctx.event(request, "correction_no_source", {
                "note": "no source holds data for this address; nothing was changed"})
        if steps:
            ctx.event(request, "manual_steps", {"steps": steps})


def _current(found: list[Found], field: str) -> dict[str, str]:
    """What each source holds now in a column named ``field``, for staff to compare with
    the new value (never sent: the confirmation repeats only the new values)."""
    current: dict[str, str] = {}
    for source in found:
        values = dict.fromkeys(value.strip() for record in source.records
                               for column, value in record.items()
                               if column.lower() == field and value.strip())
        if values:
            current[source.name] = "; ".join(values)
    return current


def own_sources(ctx: HandlerContext) -> set[str]:
    """The configured sources that are mailbot's own store: the handlers change that store
    themselves (the source only reads it)."""
    return {s.name for s in ctx.sources.settings if s.type == "own"}


def _correct_own(ctx: HandlerContext, request: Request, group: _Group) -> int:
    """Apply a change to what mailbot keeps itself: the name its mail records show, and the
    suppression list, which must follow a person to a new address. Rows changed."""
    if group.field == "name":
        mails = ctx.repo.inbound.from_sender(request.sender)
        for mail in mails:
            mail.sender_name = group.value
        return len(mails)
    if group.field == "email":
        return len(optouts.record(ctx.repo, group.value,
                                  optouts.purposes_of(ctx.repo, request.sender),
                                  request_id=request.id, now=ctx.now))
    return 0


def manual_step(ctx: HandlerContext, source: str, step: str) -> str:
    """``step`` for staff, saying whose data it is when the source is a processor's."""
    settings = next((s for s in ctx.sources.settings if s.name == source), None)
    if settings is not None and settings.role == "processor":
        return f"{step} (we hold this data for {settings.client}: ask them, do not change " \
               "it on our own)"
    return step


def _by_source(ctx: HandlerContext, group: _Group, results: list[Change],
               email: str) -> list[dict[str, object]]:
    """Per source: changed (some field of the group changed a row), or a manual step."""
    outcome: dict[str, _Outcome] = {}
    for change in results:
        entry = outcome.setdefault(change.source, _Outcome(change.source))
        if change.done and change.rows:
            entry.done, entry.rows = True, entry.rows + change.rows
        elif change.manual_step and len(group.tries) == 1:
            entry.manual_step = change.manual_step
    fields = ", ".join(f for f, _ in group.tries)
    for entry in outcome.values():
        if entry.done:
            entry.manual_step = ""
            continue
        if not entry.manual_step:
            entry.manual_step = (f"{entry.source}: set {group.field} to {group.value!r} for "
                                 f"{email} (no column {fields} could be changed)")
        entry.manual_step = manual_step(ctx, entry.source, entry.manual_step)
    return [asdict(entry) for entry in outcome.values()]
