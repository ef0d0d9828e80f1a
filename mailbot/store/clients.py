"""Queries about business clients and their contacts. Client names are compared without
case everywhere: "Klant B.V." and "klant b.v." are one client."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from mailbot.store.base import Queries
from mailbot.store.models import Client, ClientContact


class ClientQueries(Queries):
    def get(self, client_id: int) -> Client | None:
        return self.session.get(Client, client_id)

    def by_name(self, name: str) -> Client | None:
        return self.session.scalar(select(Client).where(
            func.lower(Client.name) == " ".join(name.split()).lower()))

    def all(self) -> Sequence[Client]:
        return self.session.scalars(select(Client).order_by(Client.name)).all()

    def contact(self, contact_id: int) -> ClientContact | None:
        return self.session.get(ClientContact, contact_id)

    def contact_for(self, address: str) -> ClientContact | None:
        """The registered client contact with this address, if any."""
        return self.session.scalar(
            select(ClientContact).where(ClientContact.email == address.strip().lower()))

    def first_contact(self, client: Client) -> str | None:
        return self.session.scalar(
            select(ClientContact.email).where(ClientContact.client_id == client.id)
            .order_by(ClientContact.id).limit(1))
