"""Kind ``unsubscribe`` (art. 21(2)-(3)): the objection is recorded per purpose at once, with
no approval and no proof of identity (it only ever stops processing), and confirmed.

It goes on the suppression list for the sender's address and for every phone number found
(in the mail, or beside the address in our own sources), and into each writable source that
keeps consent per purpose (``optout_columns``), each such change a step with its result.
Website statistics and ad networks work with cookies, not addresses: unless a source keeps
them, a person takes that part on as a manual step. The confirmation states only what was
recorded as done, and says which part waits for a person."""

from __future__ import annotations

from mailbot.domain.kinds import RequestKind
from mailbot.domain.phones import normalise
from mailbot.domain.states import RequestStatus, StepStatus
from mailbot.domain.steps import StepAction
from mailbot.handle import optouts, steps
from mailbot.handle.context import HandlerContext
from mailbot.handle.extract.changes import find_addresses
from mailbot.handle.extract.phones import find_phones
from mailbot.handle.extract.purposes import Purpose, find_purposes
from mailbot.parse.quotes import own_text
from mailbot.sources.base import Found
from mailbot.sources.factory import recorded_failures
from mailbot.store.models import Draft, Request

TEMPLATE = "unsubscribe_confirmation"
# Tracked by cookies in a browser, not by an address: the suppression list alone stops
# nothing here.
BY_COOKIE = (Purpose.STATISTICS.value, Purpose.AD_NETWORKS.value)
PHONE_COLUMNS = ("phone", "telephone", "telefoon", "tel", "mobile", "mobiel", "gsm",
                 "telefon", "handy", "telephone_number", "phone_number", "telefoonnummer")


class UnsubscribeHandler:
    kind = RequestKind.UNSUBSCRIBE
    needs_verification = False
    repeatable = False

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        if not request.sender:
            ctx.event(request, "unsubscribe_impossible", {"reason": "the mail has no sender"})
            ctx.set_status(request, RequestStatus.TRIAGE, "no address to unsubscribe")
            return
        body = ctx.mail_text(request)
        text = "\n\n".join(t for t in (request.subject, body) if t)
        finding = find_purposes(text)
        purposes = [p.value for p in finding.purposes]
        added = optouts.record(ctx.repo, request.sender, purposes, request_id=request.id,
                               now=ctx.now)
        with recorded_failures(ctx.repo) as failures:
            found = [f for f in ctx.sources.lookup(request.sender, ctx.repo) if not f.processor]
        given = _phones_given(ctx, request, body)
        phones = list(dict.fromkeys([*given, *_phones_held(ctx, found)]))
        phone_entries = optouts.record_phones(ctx.repo, phones, purposes,
                                              request_id=request.id, now=ctx.now)
        own = {request.sender, *ctx.settings.organisation.own_addresses}
        others = [a for a in find_addresses(text) if a not in own]
        applied = _apply_to_sources(ctx, request, purposes, found, failures)
        by_hand = [p for p in purposes if p in BY_COOKIE and p not in applied]
        if by_hand:
            steps.manual(ctx, request, "exclude this person from "
                         + " and ".join(p.replace("_", " ") for p in by_hand)
                         + " by hand where they can be recognised (these work with cookies, "
                         "not with the e-mail address); note what was done",
                         target="marketing", detail={"purposes": by_hand},
                         flush=False)  # written with what follows: no one needs its id
        details = dict(request.details or {})
        details.update(purposes=purposes, added=added, general=finding.general,
                       named=finding.named, kept=[p.value for p in finding.kept],
                       phones=len(phones), phone_entries=len(phone_entries))
        if others:
            details["other_addresses"] = others
        request.details = details
        ctx.event(request, "opted_out", {"purposes": purposes, "added": added,
                                         "general": finding.general, "phones": len(phones)})
        if others:
            ctx.event(request, "other_addresses_named",
                      {"addresses": others, "note": "only the sender's own address was "
                       "unsubscribed; a person decides about the others"})
        stopped = [p for p in purposes if p not in by_hand]
        # numbered in advance and written with what follows: nothing names it by a plain
        # column (no step waits for it), so it needs no flush of its own
        draft = ctx.draft(request, template=TEMPLATE, purpose="confirmation",
                          auto_submitted=True, personal_data=False, flush=False, context={
                              "name": request.inbound.sender_name or "",
                              "reference": request.reference,
                              "recorded": ctx.local_date(ctx.now),
                              "purposes": purposes, "stopped": stopped, "by_hand": by_hand,
                              "general": finding.general, "phone_given": bool(given),
                              "sources_done": any(s.status == StepStatus.DONE
                                                  for s in request.steps
                                                  if s.action == StepAction.OPT_OUT),
                              "sources_waiting": any(s.open for s in request.steps
                                                     if s.action == StepAction.OPT_OUT)})
        # The confirmation states the done steps as done and the open ones as waiting for a
        # person: it does not wait for them.
        draft.mentions = {str(s.position): str(s.status) for s in request.steps
                          if s.status == StepStatus.DONE}

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        return None  # the objection was recorded when the mail came in


def _phones_given(ctx: HandlerContext, request: Request, body: str) -> list[str]:
    """The numbers in the part of the mail the sender wrote (quoted history cut, their
    signature kept), our own numbers left out."""
    cut = own_text(body).cut_at
    written = body[:body.find(cut)] if cut and cut in body else body
    code = ctx.settings.organisation.calling_code
    ours = set(find_phones(ctx.settings.organisation.contact, code))
    return [p for p in find_phones("\n".join(t for t in (request.subject, written) if t), code)
            if p not in ours]


def _phones_held(ctx: HandlerContext, found: list[Found]) -> list[str]:
    """The numbers our own sources hold beside the sender's address."""
    code = ctx.settings.organisation.calling_code
    numbers = []
    for source in found:
        for record in source.records:
            for column, value in record.items():
                if column.lower() in PHONE_COLUMNS and value:
                    number = normalise(value, code)
                    if number is not None:
                        numbers.append(number)
    return numbers


def _apply_to_sources(ctx: HandlerContext, request: Request, purposes: list[str],
                      found: list[Found], failures: dict[str, str]) -> set[str]:
    """Set each consent column the objection covers, in every source holding the person;
    returns the purposes recorded in at least one source."""
    applied: set[str] = set()
    holding = {f.name for f in found}
    for source in ctx.sources.settings:
        columns = {p: c for p, c in source.optout_columns.items() if p in purposes}
        if not columns:
            continue
        if source.name in failures:
            steps.manual(ctx, request, f"{source.name} could not be searched "
                         f"({failures[source.name]}): set {', '.join(columns.values())} to "
                         f"{source.optout_value!r} for {request.sender} if it holds them",
                         target=source.name, action=StepAction.OPT_OUT,
                         detail={"purposes": list(columns)})
            continue
        if source.name not in holding:
            continue
        for purpose, column in columns.items():
            step = steps.add(ctx, request, StepAction.OPT_OUT, source.name,
                             status=StepStatus.PENDING, detail={"purpose": purpose,
                                                                "column": column})
            change = ctx.sources.apply_in(source.name, "update", request.sender, ctx.repo,
                                          field=column, value=source.optout_value)
            if change.done:
                steps.record(ctx, step, StepStatus.DONE, f"{column} set to "
                             f"{source.optout_value!r} in {change.rows} row(s)")
                applied.add(purpose)
            else:
                steps.failed_to_manual(ctx, step, change.manual_step or "not changed",
                                       f"set {column} to {source.optout_value!r} for the "
                                       f"person in {source.name}")
    return applied
