"""Clients (the organisation processes data for them) and the addresses their orders come
from."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from mailbot.errors import ClientError
from mailbot.store.models import Client, ClientContact
from mailbot.store.repository import Repository


def client_view(client: Client) -> dict[str, Any]:
    return {"id": client.id, "name": client.name, "address": client.address,
            "dpo": client.dpo, "contacts": sorted(c.email for c in client.contacts)}


def add_client(repo: Repository, name: str, contacts: Iterable[str], *, dpo: str | None = None,
               address: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Register ``name`` (or add to it): contacts are added, a DPO or address given replaces
    the one recorded. An address that is another client's contact is refused."""
    name = " ".join(name.split())
    if not name:
        raise ClientError("a client needs a name")
    wanted = []
    for raw in contacts:
        email = raw.strip().lower()
        local, at, domain = email.partition("@")
        if not (local and at and "." in domain) or " " in email:
            raise ClientError(f"not an e-mail address: {raw!r}")
        wanted.append(email)
    client = repo.clients.by_name(name)
    if client is None:
        client = Client(name=name, created_at=now or datetime.now(UTC))
        repo.add(client)
    for email in wanted:
        other = repo.clients.contact_for(email)
        if other is not None and other.client is not client:
            raise ClientError(f"{email} is already a contact of client {other.client.name!r}")
    known = {c.email for c in client.contacts}
    for email in wanted:
        if email not in known:
            client.contacts.append(ClientContact(email=email))
            known.add(email)
    if dpo is not None:
        client.dpo = dpo.strip() or None
    if address is not None:
        client.address = address.strip() or None
    repo.flush()
    return client_view(client)
