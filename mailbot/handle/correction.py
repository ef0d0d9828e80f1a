"""Kind ``correction`` (art. 16): read what is to change and plan a step per source that holds
the person: a change mailbot applies when staff approve, a manual step where it cannot (free
text, a source it cannot write), a forward to the client for data we hold for them (art.
28(3)(e)) and a notice to each recipient (art. 19). The confirmation states each change as
it was applied, and waits while a change waits for a person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import RequestStatus, StepStatus
from mailbot.domain.steps import StepAction
from mailbot.errors import WorkflowError
from mailbot.handle import address_change, optouts, processor, steps
from mailbot.handle.context import HandlerContext
from mailbot.handle.extract.changes import find_changes
from mailbot.handle.notify import notify_steps, run_notify
from mailbot.handle.outcome import Letter, mentions, results, write
from mailbot.sources.base import Found
from mailbot.sources.factory import recorded_failures
from mailbot.store.models import Draft, Request, Step

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
        with recorded_failures(ctx.repo) as failures:  # unreadable: no old value shown
            found = ctx.sources.lookup(request.sender, ctx.repo)
        for change in changes:
            change["old"] = _current(found, change["field"])
        details = dict(request.details or {})
        details["changes"] = changes
        request.details = details
        ctx.event(request, "changes_found", {"fields": [c["field"] for c in changes]})
        new_email = next((c["value"].strip().lower() for c in changes
                          if c["field"] == "email"), None)
        if new_email is not None:
            ctx.event(request, "email_change", {
                "note": "the new address gets only a code to prove it; no personal data goes "
                        "there, and the confirmation goes to the address the request came "
                        "from"})
            if not address_change.proven(request, new_email):
                address_change.wait_for(ctx, request, new_email)
                return
        own = own_sources(ctx)
        controller = [f for f in found if not f.processor and f.name not in own]
        for group in _groups(changes):
            _plan(ctx, request, group, controller, failures)
        applied = [{"field": g.field, "value": g.value} for g in _groups(changes)
                   if g.field != "text"]
        if changes:
            for client in processor.clients(ctx, [f for f in found if f.processor]):
                processor.forward(ctx, request, client, {"changes": applied})
            notify_steps(ctx, request, [f.settings for f in controller], "correction",
                         {"changes": applied})
        write(ctx, request, self.letter(ctx, request))

    def letter(self, ctx: HandlerContext, request: Request) -> Letter:
        done = results(request)
        changes = []
        for group in _groups((request.details or {}).get("changes", [])):
            mine = [r for r in done if r["detail"].get("group") == group.field
                    and r["action"] in (StepAction.CORRECT, StepAction.MANUAL)]
            status = _group_status(mine)
            parts = [(f, v) for f, v in group.tries if f != "address"] \
                if group.field == "address" else [(group.field, group.value)]
            changes += [{"field": f, "value": v, "status": status} for f, v in parts]
        return Letter(TEMPLATE, {
            "name": request.inbound.sender_name or "", "reference": request.reference,
            "received": ctx.local_date(request.received_at),
            "changes": changes,
            "email_change": any(c["field"] == "email" and c["status"] == StepStatus.DONE
                                for c in changes),
            "forwards": processor.told(done),
            "notified": sorted({r["target"] for r in done if r["action"] == StepAction.NOTIFY
                                and r["status"] == StepStatus.DONE})},
            purpose=PURPOSE, personal_data=True, mentions=mentions(request))

    def carry_out(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        """Staff approved: apply each planned change (the e-mail address last: once it
        changed, the sources no longer know the old one), then tell the recipients. A new
        e-mail address not proven yet changes nothing."""
        for change in (request.details or {}).get("changes", []):
            if change["field"] == "email" and not address_change.proven(
                    request, change["value"].strip().lower()):
                raise WorkflowError(f"request {request.reference} changes the e-mail address "
                                    f"to {change['value']}, which is not proven: nothing is "
                                    "changed until the old and the new address are")
        planned = [s for s in request.steps if s.status == StepStatus.PLANNED]
        for step in sorted(planned, key=lambda s: (s.detail or {}).get("group") == "email"):
            if step.action != StepAction.CORRECT:
                continue
            value = str((step.detail or {}).get("value", ""))
            parts = [str(v) for f, v in (step.detail or {}).get("tries", [])
                     if f != "address"] or [value]
            if draft.version > 1 and not all(p in draft.body for p in parts):
                steps.failed_to_manual(
                    ctx, step, f"the confirmation was edited and no longer says {value!r}",
                    f"{step.target}: set {(step.detail or {}).get('group')} for "
                    f"{request.sender} by hand, as the person asked")
                continue
            _apply(ctx, request, step)
        for step in planned:
            if step.action == StepAction.NOTIFY and step.status == StepStatus.PLANNED:
                run_notify(ctx, request, step)
        details = dict(request.details or {})
        details["applied_at"] = ctx.now.isoformat()
        request.details = details

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        return None


def _plan(ctx: HandlerContext, request: Request, group: _Group, controller: list[Found],
          failures: dict[str, str]) -> None:
    """The steps of one change: in each controller source that holds the person, mailbot's
    own records for a name or address, a manual step for what mailbot cannot do."""
    email = request.sender
    base = {"group": group.field, "value": group.value, "email": email}
    if group.field == "text":
        steps.manual(ctx, request, f"apply by hand what the person asked: {group.value}",
                     detail=base)
        return
    made = 0
    for found in controller:
        columns = {column.lower() for record in found.records for column in record}
        if not any(field in columns for field, _ in group.tries):
            continue  # the source keeps no such data: nothing to correct there
        detail = {**base, "tries": [list(t) for t in group.tries]}
        if found.settings.writable:
            steps.add(ctx, request, StepAction.CORRECT, found.name, status=StepStatus.PLANNED,
                      detail=detail)
        else:
            steps.manual(ctx, request, f"{found.name}: set {group.field} to {group.value!r} "
                         f"for {email} by hand", target=found.name, detail=detail,
                         action=StepAction.CORRECT)
        made += 1
    for name in failures:
        steps.manual(ctx, request, f"{name} could not be searched: set {group.field} to "
                     f"{group.value!r} for {email} there by hand if it holds the person",
                     target=name, detail=base, action=StepAction.CORRECT)
        made += 1
    if group.field in ("name", "email"):
        steps.add(ctx, request, StepAction.CORRECT, steps.OWN, status=StepStatus.PLANNED,
                  detail=base)
        made += 1
    if not made:
        steps.manual(ctx, request, f"no source holds data for {email}: find where its "
                     f"{group.field} is kept and set it to {group.value!r}, or record why "
                     "nothing was changed", detail=base, action=StepAction.CORRECT)


def _apply(ctx: HandlerContext, request: Request, step: Step) -> None:
    detail = step.detail or {}
    group = _Group(detail["group"], detail["value"],
                   tuple(tuple(t) for t in detail.get("tries", [])))  # type: ignore[misc]
    if step.target == steps.OWN:
        rows = _correct_own(ctx, request, group)
        steps.record(ctx, step, StepStatus.DONE, f"{rows} records")
        return
    applied: dict[str, str] = {}
    rows = 0
    reasons = []
    for field, value in group.tries:
        change = ctx.sources.apply_in(step.target, "update", request.sender, ctx.repo,
                                      field=field, value=value)
        if change.done and change.rows:
            applied[field] = value
            rows = max(rows, change.rows)
        elif change.manual_step:
            reasons.append(change.manual_step)
    if applied:
        step.detail = {**detail, "applied": applied}
        steps.record(ctx, step, StepStatus.DONE, f"{rows} records: " + ", ".join(
            f"{f} = {v!r}" for f, v in applied.items()))
    else:
        fields = ", ".join(f for f, _ in group.tries)
        steps.failed_to_manual(
            ctx, step, reasons[0] if len(group.tries) == 1 and reasons
            else f"no column {fields} could be changed",
            manual_step(ctx, step.target, f"{step.target}: set {group.field} to "
                        f"{group.value!r} for {request.sender} by hand"))


def _group_status(mine: list[dict[str, Any]]) -> str:
    """One change as the answer may state it: done (every step done), failed (a step
    failed and nobody took it over), or waiting."""
    replaced = {r["detail"].get("instead_of") for r in mine}
    live = [r for r in mine if r["position"] not in replaced]
    if not live:
        return str(StepStatus.WAITING)
    if all(r["status"] == StepStatus.DONE for r in live):
        return str(StepStatus.DONE)
    if any(r["status"] == StepStatus.FAILED for r in live):
        return str(StepStatus.FAILED)
    return str(StepStatus.WAITING)


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
