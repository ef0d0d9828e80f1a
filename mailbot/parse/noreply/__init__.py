"""Which inbound mail must never be answered, and why.

``check(mail, own_addresses=..., loop_header=...)`` runs ``RULES`` in order; the first rule
that objects gives the verdict (disposition, rule name, reason; for bounces also the
bounced Message-ID and recipients). None means a person wrote the mail.

The order puts the most certain and most specific rules first: our own mail (own address,
loop header); then the machine reports (delivery, feedback and read receipts) and the other
bounces (a mail server's mailbox, a failure notice's subject or opening); then the
automatic-reply headers, then the list and bulk-mail headers; then the sender (null
envelope sender, no-reply mailbox); and last the wording of an automatic reply (subject,
then the writer's own text), which needs the strongest care for precision.

A mail our own website form relays for a person (``relay.py``) is unwrapped before the
check, with that person as its sender: it is their request, not our mail coming back.
"""

from __future__ import annotations

from collections.abc import Iterable

from mailbot.domain.mail import LOOP_HEADER, NoReplyVerdict, ParsedMail
from mailbot.parse.noreply.autoreply import (
    AutoReplyHeader,
    AutoReplySubject,
    AutoSubmitted,
    ExchangeAutoReply,
    NoReplySender,
    OutOfOfficeText,
    PlainReadReceipt,
    PrecedenceAutoReply,
    ReadReceipt,
)
from mailbot.parse.noreply.base import Context, Rule
from mailbot.parse.noreply.bounce import (
    DeliveryReport,
    FailureNotice,
    FeedbackReport,
    MailerDaemon,
    NullSender,
)
from mailbot.parse.noreply.bulk import BulkSender, ListHeaders, PrecedenceBulk
from mailbot.parse.noreply.loop import LoopHeader, OwnAddress, OwnMailForwarded
from mailbot.parse.noreply.relay import form_relay_sender, unwrap_form_relay
from mailbot.parse.noreply.signs import automatic_signs

RULES: tuple[Rule, ...] = (
    OwnAddress(),
    LoopHeader(),
    OwnMailForwarded(),
    DeliveryReport(),
    FeedbackReport(),
    ReadReceipt(),
    MailerDaemon(),
    FailureNotice(),
    AutoSubmitted(),
    AutoReplyHeader(),
    ExchangeAutoReply(),
    PrecedenceAutoReply(),
    ListHeaders(),
    PrecedenceBulk(),
    BulkSender(),
    NullSender(),
    NoReplySender(),
    AutoReplySubject(),
    OutOfOfficeText(),
    PlainReadReceipt(),
)


def check(
    mail: ParsedMail,
    *,
    own_addresses: Iterable[str],
    loop_header: str = LOOP_HEADER,
    rules: tuple[Rule, ...] = RULES,
) -> NoReplyVerdict | None:
    """The verdict of the first rule that objects to answering ``mail``; None if none does."""
    ctx = Context(mail, frozenset(a.strip().lower() for a in own_addresses), loop_header)
    for rule in rules:
        verdict = rule.check(ctx)
        if verdict is not None:
            return verdict
    return None


__all__ = ["RULES", "Context", "Rule", "automatic_signs", "check", "form_relay_sender",
           "unwrap_form_relay"]
