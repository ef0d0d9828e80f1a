"""Proof that a sender controls the address personal data would go to.

A request that may disclose or change personal data proceeds only when its From address is
proven: by a DMARC pass that one of our own receiving servers recorded
(:func:`dmarc_verified`), or by an answer to a verification mail (:func:`begin`): the code
sent back (:func:`match_reply`) or the one-time link confirmed (:func:`confirm_token`). Until
then the requests wait in ``awaiting_verification`` and the audit trail says why. We never ask
for a copy of an identity document.

One verification per mail: the requests of one mail share one code, one link and one mail,
so the person answers once. The row hangs on the mail's first request; the requests it
releases are those of the same mail, from the same address, still awaiting verification.
Proof is per mail, not per address: answering confirms these requests too ("ignore this if
you did not ask"), so a forged erasure request never rides along on the person's own one.
Verification mails to one address follow the acknowledgement's rate limit
(``acknowledge.rate_limit_count`` per ``rate_limit_window``): forged requests cannot make
mailbot flood someone's mailbox; beyond it the requests wait for staff.

Secrets are stored as hashes only. The link token has 256 random bits, so its plain SHA-256
is enough. The code has 8 digits, so it is an HMAC keyed with the server secret
(:mod:`mailbot.handle.codes`): the database alone does not give it away. The verification
draft that staff see has code and link blanked once the mail is in the outbox.

Which replies count (the sender's own text is read: quotes and forwarded parts cut off):

- The sender must be the verification's address. A reply from any other address never
  verifies (it is recorded for staff): the data would go to the From address anyway, and the
  code proves only that whoever answers reads mail for that address.
- A refusal in the own text ("Ik heb dit NIET aangevraagd", "not me", "fraud", "dat klopt
  niet"; nl, en, de, fr in ``parse/data/answers.toml``), threaded to our verification mail or
  giving its code, disputes the requests: they close as ``disputed``, nothing is done for
  them, and staff are told. A code quoted below a "no" proves nothing but that the mail
  arrived. A "no" after the proof (the link clicked by someone who reads the mailbox) stops
  the requests still open the same way, and the proof no longer counts; staff also hear of
  requests already done. The person gets no mail: it could only confirm something.
- The code counts when the own text gives it and says yes, or says nothing else (a
  greeting, "Hier is de code:", the sender's name); a threaded reply whose own text says yes
  counts with the code in its quote. A reply with a code and anything else (an empty reply,
  a question, a text we cannot read as yes) waits for staff, who read it on the request page
  and in ``mailbot requests show``.
- A mail without anything code-shaped is not an answer: it is classified and handled like any
  other mail, so a question about the verification reaches staff.
- Wrong codes count only in replies threaded to our verification mail (In-Reply-To or
  References name its Message-ID, which only the address's owner has), and only against the
  one verification it answers (the one In-Reply-To names, else the last in References). A
  mail that is not threaded never fails anyone's pending checks: anyone can send one in
  another's name. Every distinct code-shaped token of a threaded reply counts as
  one attempt, and no more tokens are checked than attempts remain. After ``max_attempts``
  wrong codes the verification fails; an answer (or the link) after ``code_ttl_days`` finds it
  expired. Either way the person gets a ``verification_failed`` mail once (one that simply
  runs out, :func:`expire_overdue`, sends none), the requests keep waiting and staff decide.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from mailbot.domain.mail import ParsedMail
from mailbot.domain.states import (
    REQUESTS,
    DraftStatus,
    OutboxStatus,
    RequestStatus,
    VerificationKind,
    VerificationStatus,
)
from mailbot.errors import LinkRefused
from mailbot.handle import authresults, codes, extension, steps
from mailbot.handle.context import HandlerContext
from mailbot.handle.drafts import queue
from mailbot.parse.answer import Said, read_answer, says_nothing
from mailbot.parse.quotes import own_text
from mailbot.send.outbox import enqueue
from mailbot.store import foreknown
from mailbot.store.models import InboundMail, Request, Verification
from mailbot.store.repository import Repository

log = logging.getLogger(__name__)

TEMPLATE = "verification"  # the verification mail's template
CODE_DIGITS = 8
MAX_TOKEN_LENGTH = 200
# Eight digits, as written or split 4+4 by a space, dot or hyphen; never part of a longer
# number ("06 1234 5678", "NL91 ABNA 0417 1643 00", "0612345678" hold none).
_CODE = re.compile(r"(?<!\w)(?<!\d[ .,/-])(\d{4})[ .-]?(\d{4})(?!\w)(?![ .,/-]\d)")
_URLSAFE = re.compile(r"[A-Za-z0-9_-]+")


def dmarc_verified(mail: ParsedMail, trusted_authserv_ids: Sequence[str]) -> bool:
    """True when a trusted receiving server recorded ``dmarc=pass`` for the From domain
    (:func:`mailbot.handle.authresults.dmarc_verified` says which field counts)."""
    return authresults.dmarc_verified(mail, trusted_authserv_ids)


def begin(ctx: HandlerContext, requests: list[Request], *, address: str | None = None,
          kind: VerificationKind = VerificationKind.SENDER, template: str = TEMPLATE,
          context: dict[str, object] | None = None) -> Verification | None:
    """Send one verification mail for ``requests`` (one mail, one sender); they wait for it.
    None when no mail could go out (no address, the rate limit): the events say why.
    ``kind`` NEW_ADDRESS proves ``address``, the one a correction moves the data to, with
    its own ``template`` (one request; :mod:`mailbot.handle.address_change`)."""
    if not requests:
        return None
    first = requests[0]
    address = (address if address is not None else first.sender or "").strip().lower()
    settings = ctx.settings.verification
    if "@" not in address:
        for request in requests:
            ctx.event(request, "verification_impossible",
                      {"why": "the mail has no usable From address to send a code to; "
                              "staff must decide"})
        return None
    limit = ctx.settings.acknowledge
    since = ctx.now - timedelta(seconds=limit.rate_limit_window)
    if _sent_since(ctx, address, since) >= limit.rate_limit_count:
        for request in requests:
            ctx.event(request, "verification_rate_limited", {
                "why": f"{limit.rate_limit_count} verification mails went to {address} "
                       "within the acknowledge rate limit window already; no more are sent, "
                       "staff must decide", "address": address})
        return None
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    token = secrets.token_urlsafe(32)
    token_hash = _sha256(token)
    verification = Verification(
        id=ctx.repo.number(Verification), request_id=first.id, address=address,
        code_hash=codes.code_hash(ctx.settings, address, code),
        token_hash=token_hash, status=VerificationStatus.PENDING, attempts=0,
        max_attempts=settings.max_attempts, kind=kind,
        created_at=ctx.now, expires_at=ctx.now + timedelta(days=settings.code_ttl_days))
    ctx.repo.add(verification)  # written with the transaction's next flush
    link = (f"{settings.link_base_url.rstrip('/')}/verify/{token}"
            if settings.link_base_url else None)
    expires = verification.expires_at.astimezone(ctx.zone)
    draft = ctx.draft(
        first, template=template, purpose="verification", recipient=address,
        personal_data=False, needs_approval=False, auto_submitted=True, flush=False,
        context={**_people(ctx, first, requests), **(context or {}), "code": code,
                 "link": link,
                 "recipient": address, "expires": expires.date(),
                 "expires_time": expires.strftime("%H:%M")})
    try:
        outbox = queue(ctx, draft, flush=False)  # written with what follows
    except ValueError as exc:  # an address that cannot be written to
        draft.move(DraftStatus.REJECTED)
        draft.reason = f"cannot be sent: {exc}"
        verification.move(VerificationStatus.FAILED)
        for request in requests:
            ctx.event(request, "verification_impossible",
                      {"why": f"the verification mail cannot be sent to {address}: {exc}; "
                              "staff must decide", "verification_id": verification.id})
        return None
    verification.message_id = outbox.message_id
    if link:
        draft.body = draft.body.replace(link, "[link]")
    draft.body = draft.body.replace(code, "[code]")
    trusted = ctx.settings.verification.trusted_authserv_ids
    why = ("the sender's address is not proven: no DMARC pass recorded by a trusted "
           f"receiving server ({', '.join(trusted)})" if trusted else
           "the sender's address is not proven: no trusted receiving server is configured "
           "(verification.trusted_authserv_ids), so every sender gets a code")
    if kind == VerificationKind.NEW_ADDRESS:
        why = (f"the correction would send the person's data to {address}: that address "
               "must be proven as well as the old one")
    for request in requests:
        ctx.event(request, "verification_sent", {
            "why": why, "verification_id": verification.id, "address": address,
            "methods": ["code", "link"] if link else ["code"],
            "expires_at": verification.expires_at.isoformat(),
            "max_attempts": verification.max_attempts}, outbox=outbox)
    return verification


def withdraw(ctx: HandlerContext, request: Request, why: str, *,
             replaced: bool = False) -> None:
    """Close the pending verifications of ``request``'s mail that no request waits for any
    more, or all of them when a new one ``replaced`` them: a late answer proves nothing."""
    siblings = [r.id for r in request.inbound.requests]
    for verification in ctx.repo.verifications.pending_for_requests(siblings):
        if replaced or not waiting_requests(ctx, verification):
            verification.move(VerificationStatus.WITHDRAWN)
            ctx.event(request, "verification_withdrawn",
                      {"verification_id": verification.id, "why": why})


def match_reply(ctx: HandlerContext, mail: ParsedMail,
                inbound: InboundMail) -> list[Request] | None:
    """The requests a reply to a verification mail releases; None when it is no such reply.

    An empty list: it was an answer, but it proves nothing (wrong code, other address,
    expired, unclear, or a "no, I did not ask for this" that disputes the requests); the
    audit trail says what happened and staff can read the answer on the request.
    """
    sender = mail.sender.addr.lower() if mail.sender else None
    own_words = own_text(mail.text or "").text
    own_tokens = _code_tokens(own_words)
    with ctx.repo.no_autoflush():  # pending: the mails' own columns, no verification
        threaded = _replied_to(ctx, mail)
    if not threaded and (sender is None or not own_tokens):
        return None  # no reply to our mail and no code in it: no answer to read (most mail)
    answer = read_answer(own_words)
    plain = says_nothing(_CODE.sub(" ", own_words), [mail.sender.name] if mail.sender else [])
    if threaded:
        own = [v for v in threaded if v.address == sender]
        if not own:
            if not _code_tokens(mail.text):
                return None
            for verification in threaded:
                _event(ctx, verification, "verification_wrong_sender", {
                    "reply_inbound_id": inbound.id, "from": sender,
                    "why": f"a reply came from {sender or 'no address'}, not from "
                           f"{verification.address}: it does not verify"})
            return []
        if answer.said is Said.REFUSAL:
            _dispute(ctx, own, inbound, answer.cue, threaded=True)
            return []
        if not own_tokens:
            quoted = _code_tokens(mail.text)
            if answer.said is Said.YES and quoted:
                matched = [v for v in own if v.status == VerificationStatus.PENDING
                           and v.expires_at > ctx.now and _matches(ctx, v, quoted)]
                if matched:  # "Ja, klopt" above our mail: the code came back in its quote
                    return [r for v in matched for r in _verified(
                        ctx, v, "code", {"reply_inbound_id": inbound.id, "threaded": True,
                                         "answer": "yes, code quoted"})]
            if not quoted:
                return None  # a question or another matter: classified like any mail
            _unclear(ctx, own, inbound, "the reply's own text neither gives the code nor "
                                        "says yes")
            return []
        return _answer(ctx, own, own_tokens, inbound, threaded=True, answer=answer.said,
                       plain=plain)
    if sender is None or not own_tokens:
        return None
    with ctx.repo.no_autoflush():
        pending = _pending_for(ctx, sender)
    if not pending:
        return None
    matched = [v for v in pending if _matches(ctx, v, own_tokens)]
    if not matched:
        # Not threaded to our mail: it never counts against anyone's pending checks.
        return None
    if answer.said is Said.REFUSAL:
        _dispute(ctx, matched, inbound, answer.cue, threaded=False)
        return []
    return _answer(ctx, matched, own_tokens, inbound, threaded=False, answer=answer.said,
                   plain=plain)


def confirm_token(ctx: HandlerContext, token: str) -> list[Request]:
    """Verify by one-time link; the requests may proceed. Raises :class:`LinkRefused`, or
    :class:`~mailbot.errors.Conflict` when another transaction wrote first (try again)."""
    verification = _by_token(ctx, token)
    if verification.status == VerificationStatus.PENDING and verification.expires_at <= ctx.now:
        _close(ctx, verification, VerificationStatus.EXPIRED, "the link was used after it expired")
    _refuse_unless_pending(ctx, verification)
    if not ctx.repo.verifications.take(verification):
        raise LinkRefused("this link has been used already", "used")
    return _verified(ctx, verification, "link", {})


def check_token(ctx: HandlerContext, token: str) -> Verification:
    """The pending verification behind ``token``, changing nothing; else LinkRefused."""
    verification = _by_token(ctx, token)
    if verification.status == VerificationStatus.PENDING and verification.expires_at <= ctx.now:
        raise LinkRefused("this link has expired", "expired")
    _refuse_unless_pending(ctx, verification)
    return verification


def _by_token(ctx: HandlerContext, token: str) -> Verification:
    verification = None
    if 0 < len(token) <= MAX_TOKEN_LENGTH and _URLSAFE.fullmatch(token):
        verification = ctx.repo.verifications.by_token_hash(_sha256(token))
    if verification is None:
        raise LinkRefused("this link is not valid", "unknown")
    return verification


def _refuse_unless_pending(ctx: HandlerContext, verification: Verification) -> None:
    if verification.status == VerificationStatus.VERIFIED and any(
            r.status == RequestStatus.DISPUTED for r in _concerned(ctx, verification)):
        raise LinkRefused("the address's owner disputed the requests after this link was "
                          "used", "closed")
    if verification.status == VerificationStatus.VERIFIED:
        raise LinkRefused("this link has been used already", "used")
    if verification.status == VerificationStatus.EXPIRED:
        raise LinkRefused("this link has expired", "expired")
    if verification.status != VerificationStatus.PENDING:
        raise LinkRefused(f"this verification is closed ({verification.status})", "closed")


def expire_overdue(ctx: HandlerContext) -> int:
    """Mark pending verifications past their expiry as expired (for a periodic job)."""
    overdue = ctx.repo.verifications.overdue(ctx.now)
    for verification in overdue:
        _close(ctx, verification, VerificationStatus.EXPIRED,
               "no answer before the code expired", notify=False)
    return len(overdue)


def waiting_requests(ctx: HandlerContext, verification: Verification) -> list[Request]:
    """The requests ``verification`` would release: same mail, same address, still waiting."""
    first = ctx.repo.requests.get(verification.request_id)
    if first is None:
        return []
    if verification.kind == VerificationKind.NEW_ADDRESS:
        return [first] if first.status == RequestStatus.AWAITING_VERIFICATION else []
    return ctx.repo.requests.waiting_for_verification(first.inbound_id, verification.address)


def _answer(ctx: HandlerContext, verifications: list[Verification], tokens: list[str],
            inbound: InboundMail, *, threaded: bool, answer: Said, plain: bool) -> list[Request]:
    detail: dict[str, object] = {"reply_inbound_id": inbound.id, "threaded": threaded}
    still_open: list[Verification] = []
    for verification in verifications:
        if verification.status == VerificationStatus.VERIFIED:
            _event(ctx, verification, "verification_repeated",
                   {**detail, "why": "the address was verified already"})
        elif verification.status != VerificationStatus.PENDING:
            _event(ctx, verification, "verification_reply_after_close", {
                **detail, "status": verification.status,
                "why": f"an answer came after the verification {verification.status}; "
                       "staff decide"})
        elif verification.expires_at <= ctx.now:
            _close(ctx, verification, VerificationStatus.EXPIRED,
                   "an answer came after the code expired", detail=detail)
        else:
            still_open.append(verification)
    matched = [v for v in still_open if _matches(ctx, v, tokens)]
    if matched:  # the tokens were meant for these: no attempt counts against the others
        if answer is not Said.YES and not plain:
            _unclear(ctx, matched, inbound, "the code came with words that neither say yes "
                                            "nor say nothing: a person reads them")
            return []
        return [r for v in matched for r in _verified(ctx, v, "code", detail)]
    if not threaded:
        return []
    for verification in still_open:
        verification.attempts += min(len(tokens), _remaining(verification))
        _event(ctx, verification, "verification_code_wrong", {
            **detail, "attempts": verification.attempts,
            "max_attempts": verification.max_attempts})
        if verification.attempts >= verification.max_attempts:
            _close(ctx, verification, VerificationStatus.FAILED, "too many wrong codes",
                   detail=detail)
    return []


def _dispute(ctx: HandlerContext, verifications: list[Verification], inbound: InboundMail,
             cue: str, *, threaded: bool) -> None:
    """The address's owner says they did not ask: the requests still open close as disputed,
    nothing more is done for them, and staff are told (also of those already done). No mail
    goes to the person: they asked for nothing."""
    stopped: list[Request] = []
    finished: list[Request] = []
    withdrawn: list[dict[str, str]] = []
    left: list[dict[str, str]] = []
    address = verifications[0].address
    for verification in verifications:
        before = verification.status
        concerned = _concerned(ctx, verification)
        stop = [r for r in concerned if REQUESTS.allows(r.status, RequestStatus.DISPUTED)]
        done = [r for r in concerned if r.status == RequestStatus.DONE]
        if before == VerificationStatus.PENDING:
            verification.move(VerificationStatus.DISPUTED)
        elif not stop and not done:
            _event(ctx, verification, "verification_reply_after_close", {
                "reply_inbound_id": inbound.id, "status": before,
                "why": "a refusal came after the requests closed; staff decide"})
            continue
        why = (f"the owner of {verification.address} answered that they did not ask for "
               f"this ({cue!r}): nothing more is done; staff check with them")
        _event(ctx, verification, "verification_disputed", {
            "reply_inbound_id": inbound.id, "threaded": threaded, "cue": cue, "why": why,
            "verification_status": before}, waiting=stop + done or None)
        for request in stop:
            _stop(ctx, request, verification, why)
        for request in stop + done:
            taken, gone = _withdraw_outbox(ctx, request, why)
            withdrawn += taken
            left += gone
        stopped += stop
        finished += done
    if stopped or finished:
        _alert_staff(ctx, inbound, stopped, finished, address, cue)
        if withdrawn:  # else staff_disputed says it all
            _tell_staff_outbox(ctx, inbound, stopped + finished, withdrawn, left)


def _concerned(ctx: HandlerContext, verification: Verification) -> list[Request]:
    """The requests ``verification`` asks about: those of its mail from its address (a new
    address's code: only the correction that would move the data there)."""
    first = ctx.repo.requests.get(verification.request_id)
    if first is None:
        return []
    if verification.kind == VerificationKind.NEW_ADDRESS:
        return [first]
    return [r for r in first.inbound.requests
            if (r.sender or "").lower() == verification.address]


def _stop(ctx: HandlerContext, request: Request, verification: Verification, why: str) -> None:
    ctx.set_status(request, RequestStatus.DISPUTED, why)
    ctx.withdraw(request.drafts, why)
    steps.cancel_open(ctx, request, why)
    extension.settle(ctx, request)
    if (verification.kind == VerificationKind.SENDER and request.verified_at is not None
            and request.verification_method in ("code", "link")):
        # the proof came from this address's mailbox, whose owner now says no
        ctx.event(request, "verification_revoked", {
            "verification_id": verification.id, "was": request.verification_method,
            "verified_at": request.verified_at.isoformat(), "why": why})
        request.verified_at = None
        request.verification_method = None


def _withdraw_outbox(ctx: HandlerContext, request: Request,
                     why: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Take back every message about ``request`` still waiting in the outbox (its draft
    with it), each recorded; what it withdrew, and what had left already, for staff."""
    withdrawn, left = [], []
    for row in sorted(ctx.repo.outbox.for_request(request.id), key=lambda r: r.id):
        if row.purpose.startswith("staff_"):
            continue  # mail to staff about the request, this dispute's alert included
        draft = ctx.repo.drafts.for_outbox(row.id)
        what = {"reference": request.reference or str(request.id),
                "what": draft.purpose if draft is not None else row.purpose.split(".")[0],
                "recipient": row.recipient}
        if row.status == OutboxStatus.PENDING:
            row.move(OutboxStatus.WITHDRAWN)
            row.last_error = f"withdrawn: {why}"[:500]
            if draft is not None and draft.can_move(DraftStatus.REJECTED):
                draft.move(DraftStatus.REJECTED)
                draft.reason = f"withdrawn from the outbox: {why}"
                draft.updated_at = ctx.now
            ctx.event(request, "outbox_withdrawn", {
                "outbox_id": row.id, "purpose": what["what"], "why": why}, outbox_id=row.id)
            withdrawn.append(what)
        elif row.status in (OutboxStatus.SENT, OutboxStatus.BOUNCED) and row.sent_at:
            left.append({**what, "sent": ctx.local_date(row.sent_at).isoformat()})
    return withdrawn, left


def _tell_staff_outbox(ctx: HandlerContext, reply: InboundMail, requests: list[Request],
                       withdrawn: list[dict[str, str]], left: list[dict[str, str]]) -> None:
    """Staff hear which messages about the disputed requests were stopped in the outbox and
    which had left already (beside the staff_disputed mail)."""
    recipient = ctx.settings.deadlines.staff_address
    if recipient is None:
        return
    first = requests[0]
    rendered = ctx.renderer.render("staff_withdrawn", ctx.settings.organisation.language, {
        **ctx.organisation(), "references": [r.reference for r in requests],
        "withdrawn": withdrawn, "left": left})
    enqueue(ctx.repo, ctx.settings, purpose=f"staff_withdrawn.{reply.id}"[:40],
            id_purpose="staff_withdrawn", key=f"staff_withdrawn.{reply.id}", to=recipient,
            subject=rendered.subject, body=rendered.body, language=rendered.language,
            now=ctx.now, inbound_id=first.inbound_id, request_id=first.id)


def _unclear(ctx: HandlerContext, verifications: list[Verification], inbound: InboundMail,
             why: str) -> None:
    for verification in verifications:
        _event(ctx, verification, "verification_reply_unclear",
               {"reply_inbound_id": inbound.id, "why": f"{why}; staff read the answer"})


def _alert_staff(ctx: HandlerContext, reply: InboundMail, stopped: list[Request],
                 finished: list[Request], address: str, cue: str) -> None:
    first = (stopped or finished)[0]
    log.warning("request %s disputed by the owner of its address (reply mail %s)%s",
                first.reference, reply.id,
                ", after it was done" if finished and not stopped else "")
    recipient = ctx.settings.deadlines.staff_address
    if recipient is None:
        return
    rendered = ctx.renderer.render("staff_disputed", ctx.settings.organisation.language, {
        **ctx.organisation(),
        "requests": [{"reference": r.reference, "kind": r.kind} for r in stopped],
        "finished": [{"reference": r.reference, "kind": r.kind} for r in finished],
        "received": ctx.local_date(first.received_at), "cue": cue})
    enqueue(ctx.repo, ctx.settings, purpose=f"staff_disputed.{reply.id}"[:40],
            id_purpose="staff_disputed", key=f"staff_disputed.{reply.id}", to=recipient,
            subject=rendered.subject, body=rendered.body, language=rendered.language,
            now=ctx.now, inbound_id=first.inbound_id, request_id=first.id)


def _remaining(verification: Verification) -> int:
    return max(0, verification.max_attempts - verification.attempts)


def _matches(ctx: HandlerContext, verification: Verification, tokens: list[str]) -> bool:
    """Whether one of the first tokens (no more than attempts remain) is the code."""
    return any(codes.code_matches(ctx.settings, verification.code_hash, verification.address,
                                  token, legacy_salt=verification.token_hash)
               for token in tokens[:_remaining(verification)])


def _verified(ctx: HandlerContext, verification: Verification, method: str,
              detail: dict[str, object]) -> list[Request]:
    verification.move(VerificationStatus.VERIFIED)
    verification.verified_at = ctx.now
    waiting = waiting_requests(ctx, verification)
    _event(ctx, verification, "verification_confirmed",
           {**detail, "method": method, "address": verification.address}, waiting=waiting)
    return waiting


def _close(ctx: HandlerContext, verification: Verification, status: VerificationStatus,
           why: str, *, detail: dict[str, object] | None = None, notify: bool = True) -> None:
    verification.move(status)
    waiting = waiting_requests(ctx, verification)
    _event(ctx, verification, f"verification_{status}", {
        **(detail or {}), "why": why,
        "staff": "the requests keep waiting: verify the sender another way, or close them "
                 "as unverified"}, waiting=waiting)
    if not notify:
        return
    first = ctx.repo.requests.get(verification.request_id)
    if first is None:
        return
    draft = ctx.draft(first, template="verification_failed", purpose="verification_failed",
                      recipient=verification.address, personal_data=False,
                      needs_approval=False, auto_submitted=True,
                      context={**_people(ctx, first, waiting or [first]),
                               "reason": "expired" if status == VerificationStatus.EXPIRED
                               else "attempts"})
    queue(ctx, draft)


def _event(ctx: HandlerContext, verification: Verification, action: str,
           detail: dict[str, object], *, waiting: list[Request] | None = None) -> None:
    """Record ``action`` on each waiting request (or the first one when none waits)."""
    targets = waiting if waiting is not None else waiting_requests(ctx, verification)
    if not targets:
        first = ctx.repo.requests.get(verification.request_id)
        targets = [first] if first is not None else []
    for request in targets:
        ctx.event(request, action, {"verification_id": verification.id, **detail})


def _people(ctx: HandlerContext, first: Request, shown: list[Request]) -> dict[str, object]:
    """What both verification templates show: the name, the references, when it was asked."""
    return {"name": first.inbound.sender_name or "",
            "received": ctx.local_date(first.received_at),
            "requests": [{"reference": r.reference, "kind": r.kind} for r in shown]}


def _replied_to(ctx: HandlerContext, mail: ParsedMail) -> list[Verification]:
    """The one verification mail of ours that ``mail`` answers: the one In-Reply-To names,
    else the last of ours in References. A reply never counts against another."""
    named = [f"<{i.strip('<>')}>" for i in (mail.in_reply_to, *reversed(mail.references))
             if i]
    if not named:
        return []
    ours = {v.message_id: v for v in ctx.repo.verifications.by_message_ids(set(named))}
    return next(([ours[i]] for i in named if i in ours), [])


def _pending_for(ctx: HandlerContext, address: str) -> list[Verification]:
    return ctx.repo.verifications.pending_for(address)


def _sent_since(ctx: HandlerContext, address: str, since: datetime) -> int:
    # those not written yet counted from the session: what is pending goes out later at once
    known = foreknown.current(ctx.repo)
    written = known.verification_count(address, since) if known is not None else None
    if written is None:
        return ctx.repo.verifications.sent_since(address, since, pending=True)
    return written + ctx.repo.verifications.unwritten_count(address, since)


def _code_tokens(text: str) -> list[str]:
    """The distinct code-shaped tokens in ``text``, in order of appearance."""
    return list(dict.fromkeys(a + b for a, b in _CODE.findall(text or "")))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


ANSWER_SHOWN = 2_000  # characters of an answer's own text shown to staff


def answers(ctx_repo: Repository, request: Request) -> list[dict[str, object]]:
    """The answers to this request's verification mails, as staff read them: when, from
    whom, how they were taken, and the sender's own text (quotes cut off)."""
    seen: dict[int, dict[str, object]] = {}
    for event in ctx_repo.events.of(request_id=request.id, inbound_id=request.inbound_id):
        inbound_id = (event.detail or {}).get("reply_inbound_id")
        if not isinstance(inbound_id, int) or inbound_id in seen:
            continue
        mail = ctx_repo.inbound.get(inbound_id)
        if mail is None:
            continue
        seen[inbound_id] = {"inbound_id": inbound_id, "received_at": mail.received_at,
                            "sender": mail.sender, "taken_as": event.action,
                            "text": own_text(mail.body_text or "").text[:ANSWER_SHOWN]}
    return list(seen.values())
