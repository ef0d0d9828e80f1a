"""Delivery status notifications (bounces) and other reports mail servers send back."""

from __future__ import annotations

import re

from mailbot.domain.kinds import Disposition
from mailbot.domain.mail import NoReplyVerdict
from mailbot.parse.headers import split_params
from mailbot.parse.noreply import dsn, phrases
from mailbot.parse.noreply.base import Context, Rule, quote

_DSN_FIELDS = (
    re.compile(r"^final-recipient:[ \t]*\S", re.IGNORECASE | re.MULTILINE),
    re.compile(r"^action:[ \t]*(?:failed|delayed|delivered|relayed|expanded)\b",
               re.IGNORECASE | re.MULTILINE),
    re.compile(r"^status:[ \t]*[245]\.\d{1,3}\.\d{1,3}\b", re.IGNORECASE | re.MULTILINE),
)
_DAEMON_MAILBOX = re.compile(r"(?:mailer[-_.]?daemon|mail[-_.]?daemon|post[-_.]?master)",
                             re.IGNORECASE)
_DAEMON_NAME = re.compile(
    r"\s*\"?(?:mailer[- ]?daemon|mail delivery (?:subsystem|system|service)|"
    r"mail deliver(?:y)? system)\b",
    re.IGNORECASE,
)


def report_type(ctx: Context) -> str:
    """The report-type of a multipart/report mail, lower-cased ("" for other mail)."""
    if ctx.mail.content_type != "multipart/report":
        return ""
    value = ctx.header("content-type") or ""
    return split_params(value)[1].get("report-type", "").lower()


class BounceRule(Rule):
    """A rule whose verdict also names the bounced message and recipients when it can."""

    disposition = Disposition.BOUNCE

    def verdict(self, ctx: Context, reason: str) -> NoReplyVerdict:
        return NoReplyVerdict(
            disposition=self.disposition,
            rule=self.name,
            reason=reason,
            bounced_message_id=dsn.bounced_message_id(ctx.mail),
            bounced_recipients=dsn.bounced_recipients(ctx.mail, ctx.own_addresses),
        )


class DeliveryReport(BounceRule):
    name = "delivery-report"
    description = ("A delivery status notification (RFC 3464): multipart/report with "
                   "report-type=delivery-status, or its status fields in the body.")

    def reason(self, ctx: Context) -> str | None:
        kind = report_type(ctx)
        if kind in ("delivery-status", "global-delivery-status"):
            return f"multipart/report; report-type={kind}"
        text = ctx.mail.text
        if ("ecipient:" in text or "ECIPIENT:" in text) and not ctx.forwarded and all(
            f.search(text, 0, 50_000) for f in _DSN_FIELDS
        ):
            return "delivery status fields (Final-Recipient, Action, Status) in the body"
        return None


class FeedbackReport(BounceRule):
    name = "feedback-report"
    description = ("An abuse or spam complaint report (ARF, RFC 5965): multipart/report with "
                   "report-type=feedback-report. Recorded with the bounces.")

    def reason(self, ctx: Context) -> str | None:
        if report_type(ctx) == "feedback-report":
            return "multipart/report; report-type=feedback-report (abuse feedback report)"
        return None


class MailerDaemon(BounceRule):
    name = "mailer-daemon"
    description = ("Sent by a mail server's own mailbox: MAILER-DAEMON, postmaster, or "
                   "'Mail Delivery Subsystem/System' (in From or Return-Path).")

    def reason(self, ctx: Context) -> str | None:
        mail = ctx.mail
        for addr in (mail.sender.addr if mail.sender else "", mail.envelope_sender or ""):
            if addr and _DAEMON_MAILBOX.fullmatch(addr.partition("@")[0]):
                return f"sent by the mail server mailbox {addr}"
        from_value = mail.header("from") or ""
        if _DAEMON_NAME.match(from_value) or (
            mail.sender is not None and _DAEMON_NAME.match(mail.sender.name)
        ):
            return f"sent by {quote(from_value)}"
        return None


class FailureNotice(BounceRule):
    name = "failure-notice"
    description = ("A delivery failure report without the standard structure: subject or "
                   "opening sentence of qmail, Exim, Postfix, Sendmail, Exchange, Gmail... "
                   "(phrases in parse/data/bounce.toml).")

    def reason(self, ctx: Context) -> str | None:
        found = phrases.bounce().subject.match(ctx.mail.subject)
        if found:
            return f"subject of a delivery failure notice: {quote(ctx.mail.subject)}"
        if ctx.replied_or_forwarded:
            return None
        found = phrases.bounce().body.search(ctx.opening)
        if found:
            return f"text of a delivery failure notice: {quote(found[0])}"
        return None


class NullSender(BounceRule):
    name = "null-sender"
    description = ("The envelope sender is null (Return-Path: <>), which only notifications "
                   "use (RFC 5321 section 4.5.5).")

    def reason(self, ctx: Context) -> str | None:
        if ctx.mail.envelope_sender == "":
            return "null envelope sender (Return-Path: <>)"
        return None
