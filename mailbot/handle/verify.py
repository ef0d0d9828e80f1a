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
is enough. The code has 8 digits, so it is an HMAC keyed with a per-row salt (the row's token
hash: random, unique, already stored) over address and code. The verification draft that staff
see has code and link blanked once the mail is in the outbox.

Which replies count:

- The sender must be the verification's address. A reply from any other address never
  verifies (it is recorded for staff): the data would go to the From address anyway, and the
  code proves only that whoever answers reads mail for that address.
- A reply threaded to our verification mail (In-Reply-To/References name its Message-ID)
  counts with the code anywhere in it, quoted part included: the Message-ID and the code only
  reached the person's mailbox, so hitting "reply" proves control just as typing does.
- A mail that is not threaded must carry the code in the sender's own text, outside quotes
  (``mailbot.parse.quotes.own_text``): a new mail that merely carries a copy of our mail
  (forwarded around and sent back, or pasted by whoever got hold of it) shows no answer to
  our question, while typing the code, or replying in the thread, does.
- A mail without anything code-shaped is not an answer: it is classified and handled like any
  other mail, so a question about the verification reaches staff.
- Every distinct code-shaped token checked counts as one attempt, and no more tokens are
  checked than attempts remain: a mail listing a million numbers is a million guesses, not
  one. After ``max_attempts`` wrong codes the verification fails; an answer (or the link)
  after ``code_ttl_days`` finds it expired. Either way the person gets a
  ``verification_failed`` mail once (one that simply runs out, :func:`expire_overdue`, sends
  none), the requests keep waiting and staff decide (verify another way, or close as
  unverified); no new code is sent by itself, so a guesser cannot simply start over.
- A mail that is not threaded, holds a wrong code-shaped token and says much more than a code
  (over :data:`SHORT_ANSWER_WORDS` words of the sender's own text) is taken for a new
  message that happens to contain a number (a phone or customer number), not as an attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from mailbot.domain.mail import ParsedMail
from mailbot.domain.states import (
    DraftStatus,
    RequestStatus,
    VerificationKind,
    VerificationStatus,
)
from mailbot.errors import LinkRefused
from mailbot.handle import authresults
from mailbot.handle.context import HandlerContext
from mailbot.handle.drafts import queue
from mailbot.parse.quotes import own_text
from mailbot.store.models import InboundMail, Request, Verification

CODE_DIGITS = 8
SHORT_ANSWER_WORDS = 40
MAX_TOKEN_LENGTH = 200
# Eight digits, as written or split 4+4 by a space, dot or hyphen; never part of a longer
# number ("06 1234 5678", "NL91 ABNA 0417 1643 00", "0612345678" hold none).
_CODE = re.compile(r"(?<!\w)(?<!\d[ .,/-])(\d{4})[ .-]?(\d{4})(?!\w)(?![ .,/-]\d)")
_WORD = re.compile(r"\w+")
_URLSAFE = re.compile(r"[A-Za-z0-9_-]+")


def dmarc_verified(mail: ParsedMail, trusted_authserv_ids: Sequence[str]) -> bool:
    """True when a trusted receiving server recorded ``dmarc=pass`` for the From domain
    (:func:`mailbot.handle.authresults.dmarc_verified` says which field counts)."""
    return authresults.dmarc_verified(mail, trusted_authserv_ids)


def begin(ctx: HandlerContext, requests: list[Request], *, address: str | None = None,
          kind: VerificationKind = VerificationKind.SENDER, template: str = "verification",
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
        request_id=first.id, address=address, code_hash=_code_hash(token_hash, address, code),
        token_hash=token_hash, status=VerificationStatus.PENDING, attempts=0,
        max_attempts=settings.max_attempts, kind=kind,
        created_at=ctx.now, expires_at=ctx.now + timedelta(days=settings.code_ttl_days))
    ctx.repo.add(verification)
    ctx.repo.flush()
    link = (f"{settings.link_base_url.rstrip('/')}/verify/{token}"
            if settings.link_base_url else None)
    expires = verification.expires_at.astimezone(ctx.zone)
    draft = ctx.draft(
        first, template=template, purpose="verification", recipient=address,
        personal_data=False, needs_approval=False, auto_submitted=True,
        context={**_people(ctx, first, requests), **(context or {}), "code": code,
                 "link": link,
                 "recipient": address, "expires": expires.date(),
                 "expires_time": expires.strftime("%H:%M")})
    try:
        outbox = queue(ctx, draft)
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
            "max_attempts": verification.max_attempts}, outbox_id=outbox.id)
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
    expired); the audit trail says what happened.
    """
    sender = mail.sender.addr.lower() if mail.sender else None
    threaded = _by_message_ids(ctx, (mail.in_reply_to, *mail.references))
    if threaded:
        tokens = _code_tokens(mail.text)
        if not tokens:
            return None
        own = [v for v in threaded if v.address == sender]
        if not own:
            for verification in threaded:
                _event(ctx, verification, "verification_wrong_sender", {
                    "reply_inbound_id": inbound.id, "from": sender,
                    "why": f"a reply came from {sender or 'no address'}, not from "
                           f"{verification.address}: it does not verify"})
            return []
        return _answer(ctx, own, tokens, inbound, threaded=True)
    if sender is None:
        return None
    pending = _pending_for(ctx, sender)
    if not pending:
        return None
    own_words = own_text(mail.text).text
    tokens = _code_tokens(own_words)
    if not tokens:
        return None
    if not any(_matches(v, tokens) for v in pending) and (
            len(_WORD.findall(_CODE.sub(" ", own_words))) > SHORT_ANSWER_WORDS):
        return None
    return _answer(ctx, pending, tokens, inbound, threaded=False)


def confirm_token(ctx: HandlerContext, token: str) -> list[Request]:
    """Verify by one-time link; the requests may proceed. Raises :class:`LinkRefused`."""
    verification = _by_token(ctx, token)
    if verification.status == VerificationStatus.PENDING and verification.expires_at <= ctx.now:
        _close(ctx, verification, VerificationStatus.EXPIRED, "the link was used after it expired")
    _refuse_unless_pending(verification)
    return _verified(ctx, verification, "link", {})


def check_token(ctx: HandlerContext, token: str) -> Verification:
    """The pending verification behind ``token``, changing nothing; else LinkRefused."""
    verification = _by_token(ctx, token)
    if verification.status == VerificationStatus.PENDING and verification.expires_at <= ctx.now:
        raise LinkRefused("this link has expired", "expired")
    _refuse_unless_pending(verification)
    return verification


def _by_token(ctx: HandlerContext, token: str) -> Verification:
    verification = None
    if 0 < len(token) <= MAX_TOKEN_LENGTH and _URLSAFE.fullmatch(token):
        verification = ctx.repo.verifications.by_token_hash(_sha256(token))
    if verification is None:
        raise LinkRefused("this link is not valid", "unknown")
    return verification


def _refuse_unless_pending(verification: Verification) -> None:
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
            inbound: InboundMail, *, threaded: bool) -> list[Request]:
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
    matched = [v for v in still_open if _matches(v, tokens)]
    if matched:  # the tokens were meant for these: no attempt counts against the others
        return [r for v in matched for r in _verified(ctx, v, "code", detail)]
    for verification in still_open:
        verification.attempts += min(len(tokens), _remaining(verification))
        _event(ctx, verification, "verification_code_wrong", {
            **detail, "attempts": verification.attempts,
            "max_attempts": verification.max_attempts})
        if verification.attempts >= verification.max_attempts:
            _close(ctx, verification, VerificationStatus.FAILED, "too many wrong codes",
                   detail=detail)
    return []


def _remaining(verification: Verification) -> int:
    return max(0, verification.max_attempts - verification.attempts)


def _matches(verification: Verification, tokens: list[str]) -> bool:
    """Whether one of the first tokens (no more than attempts remain) is the code."""
    return any(hmac.compare_digest(
        _code_hash(verification.token_hash, verification.address, token),
        verification.code_hash) for token in tokens[:_remaining(verification)])


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


def _by_message_ids(ctx: HandlerContext, ids: Sequence[str | None]) -> list[Verification]:
    wanted = {f"<{i.strip('<>')}>" for i in ids if i}
    if not wanted:
        return []
    return ctx.repo.verifications.by_message_ids(wanted)


def _pending_for(ctx: HandlerContext, address: str) -> list[Verification]:
    return ctx.repo.verifications.pending_for(address)


def _sent_since(ctx: HandlerContext, address: str, since: datetime) -> int:
    return ctx.repo.verifications.sent_since(address, since)


def _code_tokens(text: str) -> list[str]:
    """The distinct code-shaped tokens in ``text``, in order of appearance."""
    return list(dict.fromkeys(a + b for a, b in _CODE.findall(text or "")))


def _code_hash(salt: str, address: str, code: str) -> str:
    return hmac.new(salt.encode(), f"{address}\0{code}".encode(), hashlib.sha256).hexdigest()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
