"""The evidence pack of one request, for the Autoriteit Persoonsgegevens: the mail's hash,
the timeline, every step with its result, who approved what, and every message sent with
its Message-ID and the SMTP server's answer. JSON, or one self-contained HTML page."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from mailbot.service.base import Service
from mailbot.store import views
from mailbot.store.models import Request
from mailbot.store.repository import Repository


def collect(repo: Repository, request: Request) -> dict[str, Any]:
    mail = request.inbound
    events = repo.events.of(request_id=request.id, inbound_id=request.inbound_id)
    answers = {e.outbox_id: (e.detail or {}).get("server", "") for e in events
               if e.action == "sent" and e.outbox_id}
    messages = [{"message_id": m.message_id.strip("<>"), "purpose": m.purpose,
                 "recipient": m.recipient,
                 "status": str(m.status), "created_at": _iso(m.created_at),
                 "sent_at": _iso(m.sent_at), "smtp_answer": answers.get(m.id, ""),
                 "last_error": m.last_error or ""}
                for m in repo.outbox.of_request(request)]
    return {
        "reference": request.reference, "kind": request.kind, "status": str(request.status),
        "sender": request.sender, "received_at": _iso(request.received_at),
        "due_at": request.due_at.isoformat(), "closed_at": _iso(request.closed_at),
        "verified": {"at": _iso(request.verified_at),
                     "method": request.verification_method},
        "mail": {"message_id": mail.message_id, "sha256": mail.raw_sha256,
                 "size": mail.raw_size, "mailbox": mail.mailbox, "uid": mail.uid},
        "steps": [{k: v for k, v in views.step_view(s).items() if k != "detail"}
                  for s in request.steps],
        "decisions": [{"draft_id": d.id, "purpose": d.purpose, "status": str(d.status),
                       "version": d.version, "decided_by": d.decided_by,
                       "decided_at": _iso(d.decided_at), "reason": d.reason}
                      for d in request.drafts],
        "messages": messages,
        "timeline": [{"at": _iso(e.at), "actor": e.actor, "action": e.action,
                      "detail": e.detail} for e in events],
    }


def pack(service: Service, ident: str | int, fmt: str = "json") -> str:
    with service.reading() as repo:
        data = collect(repo, repo.requests.find(ident))
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    return html(data)


def html(data: dict[str, Any]) -> str:
    def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
        head = "".join(f"<th>{escape(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(f"<td>{escape(_text(r.get(c)))}</td>"
                                        for c in columns) + "</tr>" for r in rows)
        return (f'<table border="1" cellpadding="3"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(_text(data[k]))}</dd>"
                    for k in ("reference", "kind", "status", "sender", "received_at",
                              "due_at", "closed_at", "verified"))
    mail = "".join(f"<dt>{escape(k)}</dt><dd>{escape(_text(v))}</dd>"
                   for k, v in data["mail"].items())
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        f"<title>Evidence {escape(str(data['reference']))}</title>"
        "</head><body>"
        f"<h1>Evidence {escape(str(data['reference']))}</h1><dl>{facts}</dl>"
        f"<h2>Mail</h2><dl>{mail}</dl>"
        "<h2>Steps</h2>" + table(data["steps"], ["position", "what", "status", "result",
                                                "note", "by", "at"])
        + "<h2>Decisions</h2>" + table(data["decisions"], ["draft_id", "purpose", "status",
                                                          "version", "decided_by",
                                                          "decided_at", "reason"])
        + "<h2>Messages sent</h2>" + table(data["messages"], [
            "message_id", "purpose", "recipient", "status", "sent_at", "smtp_answer",
            "last_error"])
        + "<h2>Timeline</h2>" + table(data["timeline"], ["at", "actor", "action", "detail"])
        + "</body></html>\n")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
