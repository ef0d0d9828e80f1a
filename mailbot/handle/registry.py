"""The handler of each request kind."""

from __future__ import annotations

from mailbot.domain.kinds import RequestKind
from mailbot.handle.base import KindHandler, KindRule


def handlers() -> dict[RequestKind, KindHandler]:
    from mailbot.handle.access import AccessHandler
    from mailbot.handle.correction import CorrectionHandler
    from mailbot.handle.erasure import ErasureHandler
    from mailbot.handle.other import OtherHandler
    from mailbot.handle.register_instruction import RegisterInstructionHandler
    from mailbot.handle.unsubscribe import UnsubscribeHandler

    found: list[KindHandler] = [AccessHandler(), CorrectionHandler(), ErasureHandler(),
                                UnsubscribeHandler(), RegisterInstructionHandler(),
                                OtherHandler()]
    return {h.kind: h for h in found}


_HANDLERS: dict[RequestKind, KindHandler] = {}


def handler_for(kind: str) -> KindHandler:
    if not _HANDLERS:
        _HANDLERS.update(handlers())
    return _HANDLERS[RequestKind(kind)]


def kind_rules() -> list[KindRule]:
    """The rules every mail passes before its requests are recorded."""
    from mailbot.handle.erasure import ChildUnder16

    return [ChildUnder16()]
