"""Kind ``erasure`` (art. 17): once the sender proved control of the address, the handler
plans the steps: search every source; erase in each writable controller source, restrict
where a source must keep the data by law (art. 17(3)(b)), forward what we hold for a client
to that client (art. 28(3)(e)), tell the recipients (art. 19), delete the mail's original
from the mailbox and erase mailbot's own records (all but the minimal record that the
request was handled); what mailbot cannot do becomes a manual step. Staff approving the
confirmation carries out the planned steps; the confirmation states their results.

Mail about a child under 16 is handled as erasure too (``mark_child`` flags it), unless a
young person asks something else about themselves. A parent's mail about their child
erases the child's data (the address or name given for the child), not the parent's,
unless the parent asks for their own data to be erased too ("en wis ook mijn gegevens"):
then both are, each step marked with whose data it concerns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import DetectedRequest, Evidence
from mailbot.domain.states import RequestStatus, StepStatus
from mailbot.domain.steps import StepAction
from mailbot.handle import optouts, own_erasure, processor, steps
from mailbot.handle.context import HandlerContext
from mailbot.handle.extract.child import ChildSign, is_child
from mailbot.handle.extract.child_data import ChildData, Writer, child_data
from mailbot.handle.notify import notify_steps, run_notify
from mailbot.handle.outcome import Letter, mentions, results, write
from mailbot.mailbox.deletion import MailKey
from mailbot.sources.base import Found
from mailbot.sources.factory import recorded_failures
from mailbot.store.models import Draft, Request, Step

TEMPLATE = "erasure_confirmation"
PURPOSE = "confirmation"
# Whose data a step concerns (a step's detail "whose"): the sender's own, a child's their
# parent wrote about, or that parent's own data when they asked for that too.
OWN_DATA, CHILD, PARENT = "own", "child", "parent"


def mark_child(ctx: HandlerContext, request: Request, sign: ChildSign) -> None:
    """Flag ``request`` as being about a child under 16, with the words that showed it; an
    erasure of a child's data is due sooner (deadlines.child_erasure_days)."""
    request.child = True
    ctx.event(request, "child_flagged", {**sign.as_dict(), "about": sign.about})
    if request.kind == RequestKind.ERASURE:
        days = ctx.settings.deadlines.child_erasure_days
        sooner = ctx.local_date(request.received_at) + timedelta(days=days)
        if sooner < request.due_at:
            ctx.event(request, "due_brought_forward", {
                "from": request.due_at.isoformat(), "to": sooner.isoformat(),
                "why": f"a child's data: within {days} days"})
            request.due_at = sooner


class ChildUnder16:
    """A kind rule: a mail about a child under 16 asks for erasure as well (art. 17(1)(f)),
    whatever else it asks, and each of its requests is flagged."""

    name = "child_under_16"

    def sign(self, text: str, received: date) -> ChildSign | None:
        return is_child(text, received)

    def amend(self, detected: Sequence[DetectedRequest],
              sign: ChildSign) -> list[DetectedRequest]:
        if any(d.kind == RequestKind.ERASURE for d in detected):
            return list(detected)
        # A young person asking something about themselves asks that, and no more.
        if sign.about == "self" and any(d.kind != RequestKind.OTHER for d in detected):
            return list(detected)
        evidence = Evidence(self.name, RequestKind.ERASURE, sign.evidence)
        return [*detected, DetectedRequest(RequestKind.ERASURE, 1.0, (evidence,))]

    def mark(self, ctx: HandlerContext, request: Request, sign: ChildSign) -> None:
        mark_child(ctx, request, sign)


def subject_of(ctx: HandlerContext, request: Request) -> tuple[str | None, ChildData | None]:
    """Whose data is to be erased: the sender's, or for a parent writing about their child,
    the child's address (None when the mail gives the child's name or postal address only)
    and what the mail says of the child."""
    if not request.child:
        return request.sender, None
    about = child_data(ctx.mail_text(request), ctx.local_date(request.received_at),
                       known_addresses=[request.sender,
                                        *ctx.settings.organisation.own_addresses])
    if about is None or about.writer != Writer.PARENT:
        return request.sender, about
    return (about.email.lower() if about.email else None), about


class ErasureHandler:
    kind = RequestKind.ERASURE
    needs_verification = True
    repeatable = True

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        if not request.sender:
            ctx.set_status(request, RequestStatus.TRIAGE, "no address to answer")
            return
        email, child = subject_of(ctx, request)
        for_child = child is not None and child.writer == Writer.PARENT
        # a parent's own data is left alone unless they asked for that too
        own_too = for_child and child is not None and child.own_too
        whose = CHILD if for_child else OWN_DATA
        found = _search(ctx, request, email, whose) if email else []
        by_name: list[Found] = []
        if for_child and child is not None and not email and (child.name or child.address):
            by_name = _search_by_name(ctx, request, child.name) if child.name else []
            blind = [s.name for s in ctx.sources.settings if s.type != "own"
                     and not (child.name and (s.name_query or s.name_column))]
            if blind:
                given = ", ".join(v for v in (child.name, child.address, child.email) if v)
                # these sources cannot look people up by name: a person searches, erases
                # and ticks it off; the answer states it only once that is recorded
                steps.manual(ctx, request, f"search {', '.join(blind)} for the child's data "
                             f"({given}) by name and address, and erase it; leave the "
                             "parent's data alone", target="child",
                             detail={"name": child.name or "", "address": child.address or "",
                                     "whose": CHILD, "sources": blind},
                             action=StepAction.ERASE)
        elif for_child and not email:
            steps.manual(ctx, request, "the mail gives nothing to find the child by: ask the "
                         "parent for the child's e-mail or postal address", target="child",
                         detail={"whose": CHILD})
        own_found = _search(ctx, request, request.sender, PARENT) if own_too else []
        own = {s.name for s in ctx.sources.settings if s.type == "own"}
        holders = [(email or "", whose, [f for f in found if not f.processor
                                         and f.name not in own])]
        if own_too:
            holders.append((request.sender, PARENT, [f for f in own_found if not f.processor
                                                     and f.name not in own]))
        for address, mark, controller in holders:
            for f in controller:
                _plan_source(ctx, request, f.settings, address, mark)
        for f in by_name:
            if not f.processor and f.name not in own:
                _plan_by_name(ctx, request, f, child.name if child else "")
        held = [f for f in (*found, *own_found, *by_name) if f.processor]
        for client in processor.clients(ctx, held):
            processor.forward(ctx, request, client)
        for address, mark, controller in holders:
            notify_steps(ctx, request, [f.settings for f in controller], "erasure",
                         {"email": address, "whose": mark})
        if not for_child or own_too:
            if ctx.mailbox is not None:  # None: a context without a mailbox (a unit test)
                mails = ctx.repo.inbound.from_sender(request.sender)
                steps.add(ctx, request, StepAction.DELETE_MAILBOX_COPY, steps.MAILBOX,
                          status=StepStatus.PLANNED, detail={"mails": [m.id for m in mails]})
            steps.add(ctx, request, StepAction.ERASE, steps.OWN, status=StepStatus.PLANNED,
                      detail={"email": request.sender})
        details = dict(request.details or {})
        holding = list(dict.fromkeys(f.name for f in (*found, *own_found, *by_name)))
        details.update(sources_with_data=holding,
                       child_not_found=bool(for_child and not email and not by_name and not any(
                           s.open for s in request.steps if (s.detail or {}).get("whose")
                           == CHILD)),
                       child=request.child, for_child=for_child, own_too=own_too)
        request.details = details
        ctx.event(request, "erasure_planned", {
            "sources": holding,
            "child": request.child, "own_too": own_too})
        write(ctx, request, self.letter(ctx, request))

    def letter(self, ctx: HandlerContext, request: Request) -> Letter:
        done = results(request)
        by = {(r["action"], r["status"]) for r in done}
        days = ctx.settings.deadlines.child_erasure_days
        received = ctx.local_date(request.received_at)
        priority = bool(request.child and ctx.local_date(ctx.now) <=
                        received + timedelta(days=days))
        return Letter(TEMPLATE, {
            "reference": request.reference,
            "received": received,
            "child": request.child,
            "for_child": bool((request.details or {}).get("for_child")),
            "priority": priority,
            "own_too": bool((request.details or {}).get("own_too")),
            "child_not_found": bool((request.details or {}).get("child_not_found")),
            "erased": [r["target"] for r in done if r["action"] == StepAction.ERASE
                       and r["status"] == StepStatus.DONE
                       and r["detail"].get("whose") != PARENT],
            "parent_erased": [r["target"] for r in done if r["action"] == StepAction.ERASE
                              and r["status"] == StepStatus.DONE
                              and r["detail"].get("whose") == PARENT],
            "own_erased": (StepAction.ERASE, StepStatus.DONE) in by and any(
                r["target"] == steps.OWN and r["status"] == StepStatus.DONE
                and r["action"] == StepAction.ERASE for r in done),
            "mailbox_deleted": (StepAction.DELETE_MAILBOX_COPY, StepStatus.DONE) in by,
            "restricted": sorted({r["detail"].get("reason", "") for r in done
                                  if r["action"] == StepAction.RESTRICT
                                  and r["status"] == StepStatus.DONE}),
            "forwards": processor.told(done),
            "notified": sorted({r["target"] for r in done if r["action"] == StepAction.NOTIFY
                                and r["status"] == StepStatus.DONE}),
            "not_done": _not_done(done),
            "optouts": bool(optouts.purposes_of(ctx.repo, request.sender))},
            purpose=PURPOSE, mentions=mentions(request))

    def carry_out(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        """Staff approved the erasure: carry out every planned step, in order, the mailbox
        copy and mailbot's own records last."""
        planned = [s for s in request.steps if s.status == StepStatus.PLANNED]
        last = (StepAction.DELETE_MAILBOX_COPY, StepAction.ERASE)
        for step in sorted(planned, key=lambda s: (s.target in (steps.OWN, steps.MAILBOX),
                                                   s.position)):
            if step.action == StepAction.NOTIFY:
                continue  # told once the erasure is done, below
            if step.action == StepAction.DELETE_MAILBOX_COPY:
                _delete_copies(ctx, request, step)
            elif step.action in last and step.target == steps.OWN:
                erased = own_erasure.erase_address(ctx.repo, request.sender,
                                                   keep_draft_ids=[draft.id])
                steps.record(ctx, step, StepStatus.DONE, "the content of the person's mail "
                             "and records was erased")
                step.detail = {"erased": erased.as_dict()}
            else:
                _apply(ctx, step)
        for step in planned:
            if step.action == StepAction.NOTIFY and step.status == StepStatus.PLANNED:
                run_notify(ctx, request, step)
        details = dict(request.details or {})
        details["erased_at"] = ctx.now.isoformat()
        request.details = details

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        return None


def _search(ctx: HandlerContext, request: Request, email: str, whose: str) -> list[Found]:
    """Search every source for ``email``, each search recorded as a step; a source that
    could not be searched becomes a manual step."""
    with recorded_failures(ctx.repo) as failures:
        found = ctx.sources.lookup(email, ctx.repo)
    holding = {f.name: f for f in found}
    for source in ctx.sources.settings:
        if source.name in failures:
            steps.add(ctx, request, StepAction.SEARCH, source.name,
                      status=StepStatus.FAILED, result=failures[source.name],
                      detail={"whose": whose})
            steps.manual(ctx, request, f"{source.name} could not be searched: search "
                         f"it for {email} and erase what it holds",
                         target=source.name, action=StepAction.ERASE,
                         detail={"email": email, "whose": whose})
        else:
            rows = len(holding[source.name].records) if source.name in holding else 0
            steps.add(ctx, request, StepAction.SEARCH, source.name,
                      status=StepStatus.DONE, result=f"{rows} records",
                      detail={"rows": rows, "email": email, "whose": whose})
    return found


def _search_by_name(ctx: HandlerContext, request: Request, name: str) -> list[Found]:
    """Search the sources that can look people up by name for a child known only by name,
    each search a step; one that could not be searched becomes a manual step."""
    with recorded_failures(ctx.repo) as failures:
        found = ctx.sources.lookup_name(name, ctx.repo)
    holding = {f.name: f for f in found}
    for source in ctx.sources.settings:
        if not (source.name_query or source.name_column):
            continue
        if source.name in failures:
            steps.add(ctx, request, StepAction.SEARCH, source.name, status=StepStatus.FAILED,
                      result=failures[source.name], detail={"whose": CHILD, "name": name})
            steps.manual(ctx, request, f"{source.name} could not be searched: search it for "
                         f"{name} and erase the child's records", target=source.name,
                         action=StepAction.ERASE, detail={"name": name, "whose": CHILD})
        else:
            rows = len(holding[source.name].records) if source.name in holding else 0
            steps.add(ctx, request, StepAction.SEARCH, source.name, status=StepStatus.DONE,
                      result=f"{rows} records", detail={"rows": rows, "name": name,
                                                        "whose": CHILD})
    return found


def _plan_by_name(ctx: HandlerContext, request: Request, found: Found, name: str) -> None:
    """The records a source holds under the child's name are erased by the one e-mail
    address they hold (staff see it in the plan before they approve); several people of
    that name, or records without an address, are for a person to sort out."""
    column = found.settings.email_column.lower()
    emails = {value.strip().lower() for record in found.records
              for key, value in record.items() if key.lower() in (column, "email")
              and "@" in (value or "")}
    if len(emails) == 1 and all(any(v and v.strip().lower() in emails for v in r.values())
                                for r in found.records):
        _plan_source(ctx, request, found.settings, emails.pop(), CHILD)
        return
    steps.manual(ctx, request, f"{found.name}: {len(found.records)} records under the name "
                 f"{name}; decide which are the child's and erase those by hand",
                 target=found.name, action=StepAction.ERASE,
                 detail={"name": name, "whose": CHILD, "rows": len(found.records)})


def _plan_source(ctx: HandlerContext, request: Request, source: Any, email: str,
                 whose: str) -> None:
    if source.retention_reason:
        detail = {"reason": source.retention_reason, "email": email, "whose": whose}
        if source.restrict_query and source.writable:
            steps.add(ctx, request, StepAction.RESTRICT, source.name,
                      status=StepStatus.PLANNED, detail=detail)
        else:
            steps.manual(ctx, request, f"{source.name} must keep the data of {email} "
                         f"({source.retention_reason}): restrict it by hand so that it is "
                         "used for nothing else", target=source.name, detail=detail,
                         action=StepAction.RESTRICT)
    elif source.writable:
        steps.add(ctx, request, StepAction.ERASE, source.name, status=StepStatus.PLANNED,
                  detail={"email": email, "whose": whose})
    else:
        steps.manual(ctx, request, f"{source.name}: erase every record of {email} by hand",
                     target=source.name, detail={"email": email, "whose": whose},
                     action=StepAction.ERASE)


def _apply(ctx: HandlerContext, step: Step) -> None:
    email = (step.detail or {}).get("email", "")
    what = "restrict" if step.action == StepAction.RESTRICT else "erase"
    change = ctx.sources.apply_in(step.target, what, email, ctx.repo)
    if change.done:
        steps.record(ctx, step, StepStatus.DONE, f"{change.rows} records")
    else:
        steps.failed_to_manual(ctx, step, change.manual_step or "not possible",
                               f"{step.target}: {what} every record of {email} by hand")


def _delete_copies(ctx: HandlerContext, request: Request, step: Step) -> None:
    """Delete the originals of the person's mails from the mailbox."""
    mails = [m for i in (step.detail or {}).get("mails", [])
             if (m := ctx.repo.inbound.get(i)) is not None]
    if ctx.mailbox is None:
        steps.failed_to_manual(ctx, step, "the mailbox is not reachable from here",
                               "delete the person's mails from the mailbox by hand")
        return
    outcomes = []
    source = ctx.mailbox()
    try:
        source.open()
        for mail in mails:
            deletion = source.delete_original(MailKey(
                mail.mailbox, mail.uidvalidity, mail.uid, mail.raw_sha256, mail.message_id,
                mail.internaldate))
            outcomes.append(deletion)
    except Exception as exc:
        steps.failed_to_manual(ctx, step, f"the mailbox could not be opened: {exc}",
                               "delete the person's mails from the mailbox by hand")
        return
    finally:
        source.close()
    step.detail = {**(step.detail or {}), "deletions": [d.as_dict() for d in outcomes]}
    if all(d.done for d in outcomes):
        steps.record(ctx, step, StepStatus.DONE, "; ".join(d.detail for d in outcomes)
                     or "no mail to delete")
    else:
        left = "; ".join(f"UID {d.key.uid}: {d.detail}" for d in outcomes if not d.done)
        steps.failed_to_manual(ctx, step, left, "delete these mails from the mailbox by hand")


def _not_done(done: list[dict[str, Any]]) -> bool:
    """Whether a step the person's data depends on ended without success (and nobody took
    it over)."""
    replaced = {r["detail"].get("instead_of") for r in done}
    return any(r["status"] == StepStatus.FAILED and r["position"] not in replaced
               and r["action"] in (StepAction.ERASE, StepAction.RESTRICT, StepAction.MANUAL,
                                   StepAction.DELETE_MAILBOX_COPY)
               for r in done)
