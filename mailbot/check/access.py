"""What an access reply says beside the data (art. 15(1) and (2)): per controller source its
purposes, kinds of data, recipients, retention, origin and transfers; whether automated
decisions or profiling take place. Each must be stated in the config
(``access_config_problems``), or the reply leaves a gap for staff."""

from __future__ import annotations

from mailbot.access_config import access_config_problems
from mailbot.check.item import Item, failed, passed
from mailbot.config import Settings


def access(settings: Settings) -> Item:
    name = "access replies"
    missing = access_config_problems(settings)
    if missing:
        return failed(name, "; ".join(missing),
                      'set the keys named in the config, e.g. privacy.profiling = "We take no '
                      'decisions about you by automated means alone."; no_recipients = true '
                      "and no_transfers = true state 'none'")
    controller = [s for s in settings.sources if s.role == "controller" and s.type != "own"]
    return passed(name, f"{len(controller)} controller source(s) state purposes, kinds of "
                  "data, recipients, retention, origin and transfers; profiling is stated")
