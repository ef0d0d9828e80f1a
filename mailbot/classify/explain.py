"""``mailbot classify FILE.eml``: why a mail got the kinds it got, as JSON and as text."""

from __future__ import annotations

from typing import Any

from mailbot.classify.classifier import run, triage_reasons
from mailbot.domain.mail import Evidence, ParsedMail


def explain(mail: ParsedMail, *, client_contact: bool = False) -> dict[str, Any]:
    """A JSON-able account of the classification of ``mail``."""
    result = run(mail, client_contact=client_contact)
    c, doc, found = result.classification, result.doc, result.found
    reasons = triage_reasons(c)
    return {
        "language": c.language,
        "requests": [
            {"kind": str(r.kind), "confidence": r.confidence,
             "evidence": [_evidence(e) for e in r.evidence]}
            for r in c.requests
        ],
        "triage": bool(reasons),
        "triage_reasons": reasons,
        "evidence": [_evidence(h.evidence) for h in found.hits]
        + [_evidence(e) for e in found.notes],
        "set_aside": [{**_evidence(e), "why": why} for e, why in found.dropped],
        "text": {
            "subject": doc.subject_raw,
            "reply": doc.is_reply,
            "html_only": doc.html_only,
            "own_chars": len(doc.own.text),
            "quoted_from": doc.own.cut_at,
            "quoted_lines": doc.own.quoted_lines,
            "signature_removed": doc.own.signature,
        },
        "client_contact": client_contact,
    }


def render_explanation(d: dict[str, Any]) -> str:
    """The plain-text form of :func:`explain`'s dict."""
    lines = [f"language: {d['language']}"]
    for r in d["requests"]:
        lines.append(f"request: {r['kind']} (confidence {r['confidence']:.2f})")
        lines.extend(f"  - {_line(e)}" for e in r["evidence"])
    lines.append("triage: " + ("yes, " + "; ".join(d["triage_reasons"]) if d["triage"] else "no"))
    notes = [e for e in d["evidence"] if e["kind"] is None]
    if notes:
        lines.append("also fired:")
        lines.extend(f"  - {_line(e)}" for e in notes)
    if d["set_aside"]:
        lines.append("set aside:")
        lines.extend(f"  - {_line(e)}: {e['why']}" for e in d["set_aside"])
    text = d["text"]
    read = f"read: {text['own_chars']} characters of the sender's own text"
    if text["quoted_from"]:
        read += f"; quoted history from {text['quoted_from']!r} on not read"
    if text["quoted_lines"]:
        read += f"; {text['quoted_lines']} '>' lines not read"
    if text["signature_removed"]:
        read += "; signature removed"
    lines.append(read)
    return "\n".join(lines)


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"rule": e.rule, "kind": None if e.kind is None else str(e.kind),
            "matched": e.matched, "weight": e.weight}


def _line(e: dict[str, Any]) -> str:
    kind = f" -> {e['kind']}" if e["kind"] else ""
    return f"{e['rule']}{kind}: {e['matched']!r}"
