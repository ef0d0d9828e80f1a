"""Our own mail coming back to us."""

from __future__ import annotations

from mailbot.domain.kinds import Disposition
from mailbot.parse.noreply.base import Context, Rule, quote


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
