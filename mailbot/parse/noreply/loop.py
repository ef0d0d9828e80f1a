"""Our own mail coming back to us."""

from __future__ import annotations

import re

from mailbot.domain.kinds import Disposition
from mailbot.parse.noreply.base import Context, Rule, quote

# The sender line of a forwarded mail's header block, in the languages mail programs write.
_FROM_LINE = re.compile(r"^[ \t>*]*(?:from|van|von|de|da|od|fra|från|fran|apo|από|от)\s*:(.*)$",
                        re.IGNORECASE | re.MULTILINE)
_HEADER_LINES = 6  # lines after the forward marker in which its sender line stands
_HEADER_CHARS = 2_000  # (of a forward of any size, only its head is read)
_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


class OwnAddress(Rule):
    name = "own-address"
    disposition = Disposition.LOOP
    description = "From is one of the organisation's own addresses."

    def reason(self, ctx: Context) -> str | None:
        sender = ctx.mail.sender
        if sender is not None and sender.addr in ctx.own_addresses:
            return f"sent from our own address {sender.addr}"
        return None


class LoopHeader(Rule):
    name = "loop-header"
    disposition = Disposition.LOOP
    description = "Carries the loop header that mailbot puts on every mail it sends."

    def reason(self, ctx: Context) -> str | None:
        value = ctx.mail.header(ctx.loop_header)
        if value is not None:
            return f"carries our loop header {ctx.loop_header}: {quote(value)}"
        return None


class OwnMailForwarded(Rule):
    name = "own-mail-forwarded"
    disposition = Disposition.LOOP
    description = ("Forwards a mail from one of the organisation's own addresses, without a "
                   "word of its own (an automatic forward of our acknowledgement).")

    def reason(self, ctx: Context) -> str | None:
        own = ctx.own
        if own.text.strip() or own.cut_at is None or not ctx.own_addresses:
            return None
        at = ctx.mail.text.find(own.cut_at)
        head = "\n".join(ctx.mail.text[at:at + _HEADER_CHARS].splitlines()[1:_HEADER_LINES + 1])
        m = _FROM_LINE.search(head)
        if m is None:
            return None
        for address in _ADDRESS.findall(m.group(1).lower()):
            if address in ctx.own_addresses:
                return f"forwards our own mail from {address} without a word of its own"
        return None
