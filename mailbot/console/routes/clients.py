"""Clients (the organisation processes data for them) and the addresses their processing
orders come from: admins add and change them."""

from __future__ import annotations

from starlette.responses import Response

from mailbot.console.auth import Role
from mailbot.console.web import Call, Pages, Refused
from mailbot.errors import NotFound
from mailbot.register.clients import client_view
from mailbot.service import clients as actions
from mailbot.store.models import Client

PAGES = Pages()


def _addresses(text: str) -> list[str]:
    return [a for a in text.replace(",", "\n").split() if a]


@PAGES.get("/clients", role=Role.ADMIN)
def listing(call: Call) -> Response:
    clients = [{**client_view(c), "contact_rows": sorted(c.contacts, key=lambda k: k.email)}
               for c in call.repo.clients.all()]
    return call.render("clients.html", clients=clients)


def _save(call: Call, name: str, *, contacts: list[str], dpo: str | None,
          address: str | None, done: str) -> Response:
    if not name:
        raise Refused(400, "error.empty", field=call.t("field.name"))
    call.acting()
    actions.add_client(call.service, name, contacts, by=call.by, dpo=dpo, address=address)
    return call.redirect("/clients", done=done)


@PAGES.post("/clients", role=Role.ADMIN)
def add(call: Call) -> Response:
    return _save(call, call.field("name").strip(), contacts=_addresses(call.field("contacts")),
                 dpo=call.field("dpo").strip() or None,
                 address=call.field("address").strip() or None, done="client_saved")


def _client(call: Call) -> Client:
    client = call.repo.clients.get(call.int_path("client_id"))
    if client is None:
        raise NotFound("no such client")
    return client


@PAGES.post("/clients/{client_id:int}", role=Role.ADMIN)
def update(call: Call) -> Response:
    client = _client(call)
    return _save(call, client.name, contacts=[], dpo=call.field("dpo"),
                 address=call.field("address"), done="client_saved")


@PAGES.post("/clients/{client_id:int}/contacts", role=Role.ADMIN)
def add_contact(call: Call) -> Response:
    client = _client(call)
    contacts = _addresses(call.field("email"))
    if not contacts:
        raise Refused(400, "error.empty", field=call.t("field.email"))
    return _save(call, client.name, contacts=contacts, dpo=None, address=None,
                 done="client_contact_added")


@PAGES.post("/clients/{client_id:int}/contacts/{contact_id:int}/remove", role=Role.ADMIN)
def remove_contact(call: Call) -> Response:
    client_id, contact_id = call.int_path("client_id"), call.int_path("contact_id")
    call.acting()
    actions.remove_contact(call.service, client_id, contact_id, by=call.by)
    return call.redirect("/clients", done="client_contact_removed")
