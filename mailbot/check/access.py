"""What an access reply says beside the data (art. 15(1) and (2)): per controller source its
purposes, kinds of data, recipients, retention, origin and transfers; and whether automated
decisions or profiling take place. Each must be stated in the config, or the draft shows
"[to be completed by staff]" or says what nobody confirmed."""

from __future__ import annotations

from mailbot.check.item import Item, failed, passed
from mailbot.config import Settings

TEXTS = ("purposes", "categories", "retention", "origin")
STATED = ("recipients", "transfers")  # an empty list is a statement, when written down


def access(settings: Settings) -> Item:
    name = "access replies"
    missing = []
    controller = [s for s in settings.sources if s.role == "controller" and s.type != "own"]
    for source in controller:
        keys = [k for k in TEXTS if not getattr(source, k)]
        keys += [k for k in STATED if k not in source.model_fields_set]
        if keys:
            missing.append(f"source {source.name!r} does not state {', '.join(keys)}")
    if "automated_decisions" not in settings.access.model_fields_set:
        missing.append("access.automated_decisions (profiling) is not stated")
    if missing:
        return failed(name, "; ".join(missing),
                      "set them in the config: recipients = [] and transfers = [] state "
                      "'none'; access.automated_decisions = \"\" states that there are none")
    return passed(name, f"{len(controller)} controller source(s) state purposes, kinds of "
                  "data, recipients, retention, origin and transfers; automated decisions "
                  "stated")
