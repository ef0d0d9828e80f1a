"""The classify rules, each a small named object; ``RULES`` is the order they run in."""

from __future__ import annotations

from mailbot.classify.rules.article import ArticleReference
from mailbot.classify.rules.base import Rule
from mailbot.classify.rules.clause import (
    ClauseRequest,
    ObjectOfAnother,
    OfferOfServices,
    QuotedTitle,
    SentenceAside,
    Withdrawal,
)
from mailbot.classify.rules.context import (
    AgreesUnderOurMail,
    Complaint,
    OtherRights,
    ReasonToLeave,
    Reminder,
    ThanksOnly,
)
from mailbot.classify.rules.order import ProcessingOrder
from mailbot.classify.rules.phrases import Negation, NotARequest, RequestPhrase, Transactional
from mailbot.classify.rules.safety import (
    AboutTransactions,
    AlsoAsks,
    Deceased,
    ForARelative,
    KeepAsIs,
    ListedRequests,
    OrderContext,
    PreviousOccupant,
    Representative,
    SaysNoRequest,
    Undecided,
)
from mailbot.classify.rules.subject import BareKeyword, SubjectKeyword
from mailbot.domain.kinds import RequestKind

RULES: tuple[Rule, ...] = (
    NotARequest(),
    RequestPhrase(RequestKind.ACCESS),
    RequestPhrase(RequestKind.CORRECTION),
    RequestPhrase(RequestKind.ERASURE),
    RequestPhrase(RequestKind.UNSUBSCRIBE),
    Negation(),
    Transactional(),
    ClauseRequest(),
    ArticleReference(),
    SentenceAside(),
    QuotedTitle(),
    ObjectOfAnother(),
    SubjectKeyword(),
    BareKeyword(),
    ReasonToLeave(),
    OtherRights(),
    Reminder(),
    AgreesUnderOurMail(),
    Complaint(),
    ProcessingOrder(),
    Withdrawal(),
    OfferOfServices(),
    ThanksOnly(),
    AboutTransactions(),
    OrderContext(),
    ListedRequests(),
    AlsoAsks(),
    Undecided(),
    SaysNoRequest(),
    KeepAsIs(),
    Representative(),
    ForARelative(),
    PreviousOccupant(),
    Deceased(),
)

__all__ = [
    "RULES",
    "AboutTransactions",
    "AgreesUnderOurMail",
    "AlsoAsks",
    "ArticleReference",
    "BareKeyword",
    "ClauseRequest",
    "Complaint",
    "Deceased",
    "ForARelative",
    "KeepAsIs",
    "ListedRequests",
    "Negation",
    "NotARequest",
    "ObjectOfAnother",
    "OfferOfServices",
    "OrderContext",
    "OtherRights",
    "PreviousOccupant",
    "ProcessingOrder",
    "QuotedTitle",
    "ReasonToLeave",
    "Reminder",
    "Representative",
    "RequestPhrase",
    "Rule",
    "SaysNoRequest",
    "SentenceAside",
    "SubjectKeyword",
    "ThanksOnly",
    "Transactional",
    "Undecided",
    "Withdrawal",
]
