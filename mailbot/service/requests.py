"""Staff actions on a request, named by its id or reference."""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import ParsedMail
from mailbot.domain.staff import Role
from mailbot.errors import WorkflowError
from mailbot.handle import extension, letters, refusal, special, workflow
from mailbot.parse import parse
from mailbot.service.base import Service, staff_member
from mailbot.store.models import Request

NOTE_MAX = 10_000


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    request_id: int
    reference: str | None
    kind: str
    status: str
    by: str
    draft_id: int | None = None  # the draft the action made, if any


def _outcome(request: Request, by: str, draft_id: int | None = None) -> RequestOutcome:
    return RequestOutcome(request.id, request.reference, request.kind, request.status, by,
                          draft_id)


def extend(service: Service, ident: str | int, months: int, reason: str, *,
           by: str) -> RequestOutcome:
    """Draft the notice extending the deadline by 1 or 2 months (before the first
    deadline); the extension takes effect when the notice is approved."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        draft = extension.extend(act.ctx, request, months, reason)
        return _outcome(request, act.by, draft.id)


def refuse(service: Service, ident: str | int, reason: str, *, by: str) -> RequestOutcome:
    """Draft a formal refusal (art. 12(4): with the right to complain to the Autoriteit
    Persoonsgegevens); the request is closed as rejected once it is approved."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        draft = refusal.refuse(act.ctx, request, reason)
        return _outcome(request, act.by, draft.id)


def change_kind(service: Service, ident: str | int, kind: str, *, by: str) -> RequestOutcome:
    """Handle the request as ``kind`` from the start (the same kind: confirm what the
    classifier was unsure of). Its reference, due date and mail stay."""
    try:
        wanted = RequestKind(kind)
    except ValueError:
        raise WorkflowError(f"unknown kind {kind!r}: use one of "
                            f"{', '.join(k.value for k in RequestKind)}") from None
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        workflow.change_kind(act.ctx, request, wanted, _mail(request))
        return _outcome(request, act.by)


def close(service: Service, ident: str | int, reason: str, *, by: str) -> RequestOutcome:
    """Close without a formal answer: not a GDPR request, or nothing to do."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        workflow.close(act.ctx, request, reason)
        return _outcome(request, act.by)


def reply(service: Service, ident: str | int, text: str, *, by: str) -> RequestOutcome:
    """A reply written by staff; it waits for approval like every reply."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        draft = workflow.reply(act.ctx, request, text)
        return _outcome(request, act.by, draft.id)


def research(service: Service, ident: str | int, *, by: str) -> RequestOutcome:
    """Search the sources again (after one failed) and rebuild the answer."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        workflow.research(act.ctx, request)
        return _outcome(request, act.by)


def resend_verification(service: Service, ident: str | int, *, by: str) -> RequestOutcome:
    """A new verification mail to the sender (a closed-as-unverified request opens again)."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        workflow.resend_verification(act.ctx, request)
        return _outcome(request, act.by)


def verify(service: Service, ident: str | int, reason: str, *, by: str) -> RequestOutcome:
    """The person's identity was checked another way (``reason`` says how)."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        workflow.verified_by_staff(act.ctx, request, reason)
        return _outcome(request, act.by)


def verify_new_address(service: Service, ident: str | int, reason: str, *,
                       by: str) -> RequestOutcome:
    """The new e-mail address a correction asks for was checked another way (``reason``
    says how); with the old address proven too, the correction goes on."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        workflow.verify_new_address(act.ctx, request, reason)
        return _outcome(request, act.by)


def assign(service: Service, ident: str | int, to: str | None, *, by: str) -> RequestOutcome:
    """Give the request to a staff member (``to`` None or empty: to nobody)."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        name = staff_member(act.repo, to, Role.VIEWER).name if to and to.strip() else None
        workflow.assign(act.ctx, request, name)
        return _outcome(request, act.by)


def note(service: Service, ident: str | int, text: str, *, by: str) -> RequestOutcome:
    """An internal note in the request's timeline; it never leaves the organisation."""
    text = text.strip()
    if not text:
        raise WorkflowError("a note cannot be empty")
    if len(text) > NOTE_MAX:
        raise WorkflowError(f"a note has at most {NOTE_MAX} characters")
    with service.acting(by, Role.VIEWER) as act:
        request = act.repo.requests.find(ident)
        act.ctx.event(request, "note", {"text": text})
        return _outcome(request, act.by)


def include_special(service: Service, ident: str | int, reason: str, *,
                    by: str) -> RequestOutcome:
    """Staff choose to let what mailbot writes about this request quote the special
    categories of data in its mail (art. 9); the waiting answer is rebuilt with them."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("say why the special categories of data should be included")
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        mail = request.inbound
        if not mail.special:
            raise WorkflowError(f"request {request.reference}: its mail holds no special "
                                "categories of data")
        if mail.special_included:
            raise WorkflowError(f"request {request.reference}: already included")
        mail.special_included = True
        act.ctx.event(request, "special_categories_included",
                      {"categories": special.categories(mail), "reason": reason})
        letters.refresh(act.ctx, request)
        return _outcome(request, act.by)


def _mail(request: Request) -> ParsedMail | None:
    """The request's mail parsed again (for its DMARC result), if it is still there."""
    parsed = parse(request.inbound.raw) if request.inbound.raw else None
    return parsed if isinstance(parsed, ParsedMail) else None


def step(service: Service, ident: str | int, position: int | str, done: bool, note: str, *,
         by: str) -> RequestOutcome:
    """Record the result of a step that waits for a person (done, or failed), with a note
    saying what was done or why not; the answer is rebuilt from the results."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        workflow.tick(act.ctx, request, position, done, note)
        return _outcome(request, act.by)
