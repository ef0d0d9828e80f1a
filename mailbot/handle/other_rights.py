"""Rights mailbot does not carry out itself (portability, restriction, an objection under
art. 21(1)) asked in a mail with a request it does handle: the request goes on as usual, and
each such right becomes a step a person answers and ticks off. The request's answer waits for
those steps (domain/steps.REPORTED), and the acknowledgement says that a person answers
them."""

from __future__ import annotations

from collections.abc import Sequence

from mailbot.classify.rights import CARRIERS
from mailbot.domain.rights import ARTICLES, OtherRight
from mailbot.domain.states import StepStatus
from mailbot.domain.steps import StepAction
from mailbot.handle import steps
from mailbot.handle.context import HandlerContext
from mailbot.store.models import Request, Step

_NAMES = {OtherRight.PORTABILITY: "data portability",
          OtherRight.RESTRICTION: "restriction of processing",
          OtherRight.OBJECTION: "objection to the processing"}


def plan(ctx: HandlerContext, requests: Sequence[Request],
         rights: Sequence[OtherRight]) -> list[Step]:
    """A step for each of ``rights`` on the first request that can carry them; none when
    no request can (the classifier then held the whole mail for a person)."""
    carrier = next((r for kind in CARRIERS for r in requests if r.kind == kind), None)
    if carrier is None:
        return []
    return [steps.add(ctx, carrier, StepAction.OTHER_RIGHT,
                      f"{_NAMES[right]} (art. {ARTICLES[right]})",
                      status=StepStatus.WAITING, detail={"right": str(right)},
                      instruction=(f"the person also asks for {_NAMES[right]} (art. "
                                   f"{ARTICLES[right]} GDPR), which mailbot does not carry "
                                   "out: answer it, in this request's answer or apart, "
                                   "before its due date, then tick this step off"),
                      flush=False)  # written with what follows: no one needs its id
            for right in rights]


def asked(requests: Sequence[Request]) -> list[str]:
    """The other rights a person answers, as recorded on ``requests`` (in their order)."""
    return [str((s.detail or {}).get("right")) for r in requests for s in r.steps
            if s.action == StepAction.OTHER_RIGHT and s.status != StepStatus.CANCELLED]
