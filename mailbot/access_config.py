"""What an access reply (art. 15) needs from the configuration, and what is missing.

An access reply states every fact from configuration or data; nothing is filled in with a
reassuring default. Whatever is not configured leaves a gap in the draft for staff, and is
reported here for ``mailbot check`` and the start-up log."""

from __future__ import annotations

from mailbot.config import Settings, Source, Text, missing_languages

# Art. 15(1) information every controller source must declare.
REQUIRED = {
    "purposes": "purposes (art. 15(1)(a))",
    "categories": "categories of data (art. 15(1)(b))",
    "retention": "retention period (art. 15(1)(d))",
    "origin": "origin of the data (art. 15(1)(g))",
}


def access_config_problems(settings: Settings) -> list[str]:
    """One line per missing or incomplete item, naming the config key to set."""
    problems = []
    if not settings.privacy.profiling:
        problems.append("privacy.profiling: not set: access replies cannot say whether "
                        "automated decisions or profiling are used (art. 15(1)(h)); "
                        "describe them, or say that there are none")
    else:
        problems += _languages("privacy.profiling", settings.privacy.profiling)
    for source in settings.sources:
        if source.role == "controller":
            problems += _source_problems(source)
    return problems


def _source_problems(source: Source) -> list[str]:
    key = f"sources[{source.name}]"
    problems = [f"{key}.{name}: not set: access replies leave out the {what}"
                for name, what in REQUIRED.items() if not getattr(source, name)]
    if not source.recipients and not source.no_recipients:
        problems.append(f"{key}.recipients: not set: access replies cannot say who receives "
                        "the data (art. 15(1)(c)); list them, or set no_recipients = true")
    if not source.transfers and not source.no_transfers:
        problems.append(f"{key}.transfers: not set: access replies cannot say whether the "
                        "data leaves the EU (art. 15(2)); list the transfers, or set "
                        "no_transfers = true")
    for n, transfer in enumerate(source.transfers):
        if not transfer.safeguards:
            problems.append(f"{key}.transfers[{n}].safeguards: not set: a transfer outside "
                            "the EU needs its safeguard (art. 46) or adequacy decision "
                            "(art. 45)")
    texts: list[tuple[str, Text]] = [
        *((f"{key}.purposes[{n}]", t) for n, t in enumerate(source.purposes)),
        *((f"{key}.categories[{n}]", t) for n, t in enumerate(source.categories)),
        *((f"{key}.recipients[{n}]", t) for n, t in enumerate(source.recipients)),
        (f"{key}.retention", source.retention), (f"{key}.origin", source.origin),
        *((f"{key}.labels.{c}", t) for c, t in source.labels.items()),
    ]
    for n, transfer in enumerate(source.transfers):
        texts += [(f"{key}.transfers[{n}].{name}", getattr(transfer, name))
                  for name in ("country", "recipient", "safeguards")]
    for name, text in texts:
        if text:
            problems += _languages(name, text)
    return problems


def _languages(key: str, text: Text) -> list[str]:
    missing = missing_languages(text)
    if not missing:
        return []
    return [f"{key}: no text in {', '.join(missing)}: replies in "
            f"{'that language' if len(missing) == 1 else 'those languages'} show another"]
