"""Mailing-list, newsletter and other bulk mail."""

from __future__ import annotations

from mailbot.domain.kinds import Disposition
from mailbot.parse.noreply.base import Context, Rule, quote


class ListHeaders(Rule):
    name = "list-headers"
    disposition = Disposition.LIST
    description = ("A mailing-list header (RFC 2369/2919): List-Id, List-Unsubscribe, "
                   "List-Post, List-Help, List-Subscribe, List-Owner, List-Archive; or the "
                   "older Mailing-List / X-Mailing-List.")

    HEADERS = ("list-id", "list-unsubscribe", "list-post", "list-help", "list-subscribe",
               "list-owner", "list-archive", "mailing-list", "x-mailing-list")

    def reason(self, ctx: Context) -> str | None:
        for name in self.HEADERS:
            value = ctx.header(name)
            if value is not None:
                return f"mailing-list header {name}: {quote(value)}"
        return None


class PrecedenceBulk(Rule):
    name = "precedence-bulk"
    disposition = Disposition.LIST
    description = "Precedence or X-Precedence is bulk, list or junk."

    def reason(self, ctx: Context) -> str | None:
        for name in ("precedence", "x-precedence"):
            value = ctx.header(name)
            if value is not None and value.split(";")[0].strip().lower() in (
                "bulk", "list", "junk"
            ):
                return f"{name}: {quote(value)}"
        return None


class BulkSender(Rule):
    """Headers that bulk-mail services put on campaigns.

    - X-Mailchimp-* and X-MC-User: Mailchimp campaigns.
    - X-Campaign, X-CampaignID, X-Campaign-Id... (any X-Campaign*): campaign ids of
      newsletter tools (Mailchimp, Campaign Monitor, Sendinblue/Brevo, ...).
    - Feedback-ID: the id bulk senders give Gmail's feedback loop (RFC-less, Google's
      bulk sender guidelines); person-to-person mail does not carry it.
    - X-CSA-Complaints: member header of the Certified Senders Alliance (marketing mail).
    - X-Report-Abuse: Mailchimp's and others' abuse contact on campaign mail.
    """

    name = "bulk-sender"
    disposition = Disposition.LIST
    description = ("Campaign markers of bulk-mail services: X-Mailchimp-*, X-MC-User, "
                   "X-Campaign*, Feedback-ID, X-CSA-Complaints, X-Report-Abuse.")

    EXACT = ("x-mc-user", "feedback-id", "x-csa-complaints", "x-report-abuse")
    PREFIXES = ("x-mailchimp-", "x-campaign")

    def reason(self, ctx: Context) -> str | None:
        headers = ctx.mail.headers
        for name in self.EXACT:
            if name in headers:
                return f"bulk-mail header {name}: {quote(headers[name][0])}"
        for name, values in headers.items():
            if name.startswith(self.PREFIXES):
                return f"bulk-mail header {name}: {quote(values[0])}"
        return None
