"""Clients (the organisation processes data for them) and the addresses their processing
orders come from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mailbot.domain.staff import Role
from mailbot.errors import ClientError, NotFound
from mailbot.register.clients import add_client as register_client
from mailbot.service.base import Service
from mailbot.store.models import Event


def add_client(service: Service, name: str, contacts: Iterable[str], *, by: str,
               dpo: str | None = None, address: str | None = None) -> dict[str, Any]:
    """Register a client (or add to one: contacts are added, a DPO or address given
    replaces the one recorded). Returns the client as a dict."""
    contacts = list(contacts)
    with service.acting(by, Role.ADMIN) as act:
        if not name.strip():
            raise ClientError("a client needs a name")
        known = act.repo.clients.by_name(name) is not None
        saved = register_client(act.repo, name, contacts, dpo=dpo, address=address,
                                now=act.ctx.now)
        only_contacts = known and contacts and dpo is None and address is None
        action = "client_contact_added" if only_contacts else "client_saved"
        act.repo.add(Event(at=act.ctx.now, actor=act.by, action=action,
                           detail={"client": saved["name"], "contacts": contacts,
                                   "dpo": dpo, "address": address}))
        return saved


def remove_contact(service: Service, client_id: int, contact_id: int, *, by: str) -> str:
    """Orders from this address are no longer taken as the client's. Returns the address."""
    with service.acting(by, Role.ADMIN) as act:
        client = act.repo.clients.get(client_id)
        contact = act.repo.clients.contact(contact_id)
        if client is None or contact is None or contact.client_id != client.id:
            raise NotFound(f"no contact {contact_id} of client {client_id}")
        address = contact.email
        client.contacts.remove(contact)
        act.repo.add(Event(at=act.ctx.now, actor=act.by, action="client_contact_removed",
                           detail={"client": client.name, "email": address}))
        act.repo.flush()
        return address
