"""Is a mail a follow-up of a request that is still open? Pure: the caller passes the
sender's open requests.

A mail from the same address is a follow-up of an open request when it names the request's
reference ("MB-2025-00042", in the subject or the text), answers one of the mails about it
(In-Reply-To or References holds the Message-ID of the request's own mail or of a mail we
sent about it), or chases an answer ("nog geen antwoord op mijn verzoek", "still no
answer") while that sender has exactly one open request. A follow-up is linked to its
request and opens no new one, unless it also asks for something of another kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mailbot.classify.normalize import fold
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Classification, ParsedMail
from mailbot.parse.alternation import any_of
from mailbot.parse.quotes import own_text
from mailbot.preload import preloaded

REFERENCE = re.compile(r"\bMB-\d{4}-\d{5,}\b", re.IGNORECASE)
_CHASE = (
    # nl
    r"\b(?:nog )?(?:steeds )?geen (?:antwoord|reactie|bericht)\b",
    r"\bnog niets (?:van u|van jullie|gehoord|ontvangen)\b",
    r"\bwanneer (?:krijg|ontvang|hoor) ik\b",
    r"\bhoe staat het (?:met|ervoor)\b",
    # en
    r"\bstill (?:no|not (?:had|received|heard)|waiting)\b",
    r"\b(?:no|not yet (?:had|received) an?) (?:answer|reply|response)\b",
    r"\bhaven.t (?:had|received|heard)\b",
    r"\bany (?:update|news) on (?:my|this)\b",
    r"\bfollow(?:ing)? up on my\b",
    # de
    r"\b(?:noch )?keine (?:antwort|ruckmeldung|reaktion)\b",
    r"\bwarte (?:immer )?noch\b",
    r"\bwie ist der stand\b",
    # fr
    r"\btoujours (?:pas de|aucune|sans) (?:reponse|nouvelle|retour)\b",
    r"\b(?:pas|aucune) (?:encore )?(?:de )?reponse\b",
    r"\bj.attends (?:toujours|encore)\b",
)


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """What the linking needs of a request still open for the sender."""

    id: int
    reference: str
    kind: RequestKind
    message_ids: frozenset[str] = field(default=frozenset())  # ours and the request's own


@dataclass(frozen=True, slots=True)
class FollowUp:
    request_id: int
    reason: str
    new_kinds: tuple[RequestKind, ...]  # kinds the mail asks for that the request is not


@preloaded
def _chase() -> re.Pattern[str]:
    return any_of(_CHASE)


def _ids(values: Iterable[str | None]) -> set[str]:
    return {v.strip().strip("<>").lower() for v in values if v}


def find_follow_up(mail: ParsedMail, classification: Classification,
                   open_requests: Sequence[OpenRequest]) -> FollowUp | None:
    """The open request ``mail`` follows up, or None. ``open_requests`` are the sender's."""
    if not open_requests:
        return None
    linked, reason = _linked(mail, open_requests)
    if linked is None:
        return None
    asked = {k for k in classification.kinds if k is not RequestKind.OTHER}
    return FollowUp(linked.id, reason, tuple(sorted(asked - {linked.kind})))


def _linked(mail: ParsedMail, open_requests: Sequence[OpenRequest]
            ) -> tuple[OpenRequest | None, str]:
    by_reference = {r.reference.upper(): r for r in open_requests if r.reference}
    text = own_text(mail.text or "").text
    for m in REFERENCE.finditer(f"{mail.subject or ''}\n{text}"):
        request = by_reference.get(m.group().upper())
        if request is not None:
            return request, f"names {request.reference}"
    answered = _ids([mail.in_reply_to, *mail.references])
    for request in open_requests:
        if answered & _ids(request.message_ids):
            return request, "answers a mail about it"
    if len(open_requests) == 1 and _chase().search(fold(f"{mail.subject}\n{text}")):
        return open_requests[0], "asks after it"
    return None, ""
