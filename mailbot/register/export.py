"""The processor register out of mailbot: CSV and JSON for tools, a Markdown and an HTML page
for the supervisor. One row per version of an order; only the current ones by default."""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mailbot.config import Settings, text_for
from mailbot.csvout import table
from mailbot.draft.dates import long_date
from mailbot.errors import ExportError
from mailbot.register.parse_order import NONE
from mailbot.register.vocabulary import Vocabulary, vocabulary
from mailbot.store.models import Client, RegisterEntry
from mailbot.store.repository import Repository

COLUMNS = ("processor", "processor_contact", "processor_dpo", "processor_security",
           "client", "client_address", "client_dpo", "contact", "order_key", "version",
           "status", "change", "processing", "data_subjects", "personal_data", "transfers",
           "transfers_unsafe", "security", "valid_from", "valid_to", "recorded_at",
           "request_reference")
# Our own part of the record (art. 30(2)(a) and (d)), each with the config key it comes from.
PROCESSOR_KEYS = {"processor": "organisation.name", "processor_contact": "organisation.contact",
                  "processor_dpo": "organisation.dpo",
                  "processor_security": "organisation.security_measures"}
FORMATS = ("csv", "json", "md", "html")
# What a page shows under each order; the client's address heads its section (the DPO or
# representative goes with each order: an order may name its own).
_ENTRY_COLUMNS = ("client_dpo", "contact", "processing", "data_subjects", "personal_data",
                  "transfers", "transfers_unsafe", "security", "valid_from", "valid_to",
                  "change", "recorded_at", "request_reference")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Processor:
    """Who keeps the register (art. 30(2)(a)) and our general description of our technical
    and organisational security measures (art. 30(2)(d), 32(1)); empty: not configured."""

    name: str
    contact: str = ""
    dpo: str = ""
    security: str = ""

    def values(self) -> dict[str, str]:
        return {"processor": self.name, "processor_contact": self.contact,
                "processor_dpo": self.dpo, "processor_security": self.security}

    def missing(self) -> list[str]:
        """The config keys still to set."""
        return [PROCESSOR_KEYS[k] for k, v in self.values().items() if not v]


def register_config_problems(settings: Settings) -> list[str]:
    """What the register export cannot state of ourselves (art. 30(2)(a), (d)), by key."""
    return [f"{key}: not set: the processor register export leaves our "
            f"{key.removeprefix('organisation.').replace('_', ' ')} open (art. 30(2))"
            for key in processor_of(settings, settings.organisation.language).missing()]


def processor_of(settings: Settings, language: str) -> Processor:
    org = settings.organisation
    return Processor(org.name, org.contact, org.dpo,
                     text_for(org.security_measures, language, org.language))


def transfers_text(fields: Mapping[str, str]) -> str | None:
    """Transfers outside the EEA with their safeguards: "United States (standard contractual
    clauses)", or ``none``; None when the order does not say."""
    transfers, safeguards = fields.get("transfers"), fields.get("safeguards")
    if transfers and safeguards:
        return f"{transfers} ({safeguards})"
    return transfers or safeguards


def rows(repo: Repository, *, current_only: bool = True,
         processor: Processor | None = None) -> list[Row]:
    entries = repo.register.current() if current_only else repo.register.all()
    clients = {c.id: c for c in repo.clients.all()}
    references = repo.requests.references({e.request_id for e in entries
                                           if e.request_id is not None})
    ours = (processor or Processor("")).values()
    found = [{**ours, **_row(e, clients[e.client_id], references.get(e.request_id or 0))}
             for e in entries]
    return sorted(found, key=lambda r: (r["client"].casefold(), r["order_key"].casefold(),
                                        r["version"]))


def _row(entry: RegisterEntry, client: Client, reference: str | None) -> Row:
    fields: Mapping[str, str] = entry.fields or {}
    return {
        "client": client.name,
        "client_address": client.address,
        "client_dpo": fields.get("dpo") or client.dpo,
        "contact": entry.contact_email,
        "order_key": fields.get("order_key") or entry.order_key,
        "version": entry.version,
        "status": entry.status,
        "change": entry.change,
        "processing": fields.get("processing"),
        "data_subjects": fields.get("data_subjects"),
        "personal_data": fields.get("personal_data"),
        "transfers": transfers_text(fields),
        # a transfer outside the EEA without a recorded safeguard (art. 30(2)(c), 46)
        "transfers_unsafe": bool(fields.get("transfers")) and fields.get("transfers") != NONE
        and not fields.get("safeguards"),
        "security": fields.get("security"),
        "valid_from": entry.valid_from.isoformat() if entry.valid_from else None,
        "valid_to": entry.valid_to.isoformat() if entry.valid_to else None,
        "recorded_at": entry.created_at.isoformat(),
        "request_reference": reference,
    }


def to_csv(found: Sequence[Row]) -> str:
    return table(COLUMNS, found)


def to_json(found: Sequence[Row]) -> str:
    return json.dumps(list(found), ensure_ascii=False, indent=2) + "\n"


def _readable(key: str, value: Any, words: Vocabulary) -> str:
    if value is None or value == "":
        return "-"
    if key in ("valid_from", "valid_to"):
        return long_date(date.fromisoformat(value), words.language)
    if key == "recorded_at":
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M %Z").strip()
    if key == "transfers_unsafe":
        return words.page["transfers_unsafe"] if value else "-"
    if key in ("status", "change") or (key == "transfers" and value == NONE):
        return words.values.get(value, value)
    if key == "transfers" and value.startswith(f"{NONE} ("):
        return words.values[NONE] + value[len(NONE):]
    return str(value)


def _by_client(found: Sequence[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in found:
        grouped[row["client"]].append(row)
    return grouped


def _heading(row: Row, words: Vocabulary) -> str:
    return (f"{row['order_key']}: {words.page['version']} {row['version']}, "
            f"{words.values.get(row['status'], row['status'])}")


def _intro(words: Vocabulary, processor: Processor, produced: datetime,
           current_only: bool) -> list[str]:
    """Our own part of the record (art. 30(2)(a), (d)); what is not configured is said so."""
    missing = words.page["not_configured"]
    ours = [f"{words.columns[key]}: {value or missing.format(key=PROCESSOR_KEYS[key])}"
            for key, value in processor.values().items()]
    return [*ours,
            f"{words.page['generated']}: {long_date(produced.date(), words.language)}",
            words.page["current_only"] if current_only else words.page["with_history"]]


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def to_markdown(found: Sequence[Row], *, language: str, processor: Processor,
                produced: datetime, current_only: bool) -> str:
    words = vocabulary(language)
    cols = words.columns
    lines = [f"# {_md(words.page['title'])}", ""]
    lines += [f"{_md(line)}  " for line in _intro(words, processor, produced, current_only)]
    if not found:
        lines += ["", words.page["empty"]]
    for client, entries in _by_client(found).items():
        first = entries[0]
        lines += ["", f"## {_md(words.page['client'])}: {_md(client)}", ""]
        lines.append(f"- {_md(cols['client_address'])}: "
                     f"{_md(_readable('client_address', first['client_address'], words))}")
        for row in entries:
            lines += ["", f"### {_md(_heading(row, words))}", "", "| | |", "| --- | --- |"]
            lines += [f"| {_md(cols[key])} | {_md(_readable(key, row[key], words))} |"
                      for key in _ENTRY_COLUMNS]
    return "\n".join(lines) + "\n"


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem;
     border-bottom: 1px solid #999; } h3 { font-size: 1.05rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem;
         border-bottom: 1px solid #ddd; }
th { width: 16rem; font-weight: 600; }
.superseded { color: #666; }
@media print { body { margin: 0; } section { break-inside: avoid-page; } }
"""


def to_html(found: Sequence[Row], *, language: str, processor: Processor,
            produced: datetime, current_only: bool) -> str:
    words = vocabulary(language)
    cols = words.columns

    def e(text: object) -> str:
        return html.escape(str(text), quote=True)

    title = words.page["title"]
    parts = ["<!DOCTYPE html>", f'<html lang="{e(words.language)}">', "<head>",
             '<meta charset="utf-8">', f"<title>{e(title)}</title>",
             f"<style>{_STYLE}</style>", "</head>", "<body>", f"<h1>{e(title)}</h1>",
             "<p>" + "<br>".join(e(line) for line in _intro(words, processor, produced,
                                                              current_only)) + "</p>"]
    if not found:
        parts.append(f"<p>{e(words.page['empty'])}</p>")
    for client, entries in _by_client(found).items():
        first = entries[0]
        parts += ["<section>", f"<h2>{e(words.page['client'])}: {e(client)}</h2>",
                  f"<p>{e(cols['client_address'])}: "
                  f"{e(_readable('client_address', first['client_address'], words))}</p>"]
        for row in entries:
            parts += [f'<article class="{e(row["status"])}">',
                      f"<h3>{e(_heading(row, words))}</h3>", "<table>"]
            parts += [f"<tr><th>{e(cols[key])}</th>"
                      f"<td>{e(_readable(key, row[key], words))}</td></tr>"
                      for key in _ENTRY_COLUMNS]
            parts += ["</table>", "</article>"]
        parts.append("</section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def render(found: Sequence[Row], fmt: str, *, language: str = "en",
           processor: Processor | None = None, produced: datetime,
           current_only: bool = True) -> str:
    if fmt == "csv":
        return to_csv(found)
    if fmt == "json":
        return to_json(found)
    if fmt in ("md", "html"):
        page = to_markdown if fmt == "md" else to_html
        return page(found, language=language, processor=processor or Processor(""),
                    produced=produced, current_only=current_only)
    raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
