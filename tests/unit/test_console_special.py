"""Special categories of data in a request's mail, as staff see them in the console: the
flag with the categories, and the action that lets replies quote them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.store.models import Event, Request
from tests.harness.mails import mail
from tests.unit.console_support import (
    APPROVER,
    DMARC,
    NOW,
    VIEWER,
    Clock,
    add_staff,
    console_settings,
    deliver,
    signed_in,
    text_of,
)

TEXT = "Ik ben lid van GroenLinks. Stuur mij een overzicht van mijn gegevens."


@pytest.fixture
def app(tmp_path: Path, smtp_sink, app_factory) -> App:
    app = app_factory(console_settings(tmp_path, smtp_sink.url))
    add_staff(app)
    return app


def test_the_request_page_flags_special_categories_and_staff_include_them(
        app: App) -> None:
    clock = Clock()
    deliver(app, mail(TEXT, headers=DMARC), NOW - timedelta(days=1))
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        ident, reference = request.id, request.reference
    viewer = signed_in(app, clock, VIEWER)
    page = text_of(viewer.get(f"/requests/{reference}").text)
    assert "special categories" in page and "political opinions" in page
    assert "Kept out of replies, forwards and access overviews." in page
    assert "Include them in replies" not in page  # a viewer may not

    approver = signed_in(app, clock, APPROVER)
    assert "Include them in replies" in approver.get(f"/requests/{reference}").text
    response = approver.post(f"/requests/{ident}/include-special",
                             {"reason": "the person asked us to pass it on"})
    assert response.status_code == 303
    page = text_of(approver.get(response.headers["location"]).text)
    assert "Included in replies by staff." in page
    with app.uow() as uow:
        event = uow.session.scalars(select(Event).where(
            Event.action == "special_categories_included")).one()
        assert (event.actor, event.detail["categories"]) == (APPROVER, ["political"])
