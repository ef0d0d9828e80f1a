"""Each kind of data source against real files and real SQLite databases."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from mailbot.config import Source
from mailbot.errors import ConfigError, NotWritable
from mailbot.sources.csvfile import CsvSource
from mailbot.sources.factory import SourceUnavailable, recorded_failures, source_factory
from mailbot.sources.own import OwnSource, beyond
from mailbot.sources.registry import SourceRegistry
from mailbot.sources.sql import SqlSource, sql_engine
from mailbot.store.models import InboundMail, OptOut, Request
from mailbot.store.uow import UnitOfWork

QUERY = ("SELECT name, city, phone, email, customers_since FROM customers "
         "WHERE lower(email) = lower(:email)")


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    path = tmp_path / "crm.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, "
                           "city TEXT, phone TEXT, email TEXT, customers_since INTEGER)")
        connection.executemany(
            "INSERT INTO customers (name, city, phone, email, customers_since) "
            "VALUES (?, ?, ?, ?, ?)",
            [("Pieter Bakker", "Zwolle", None, "P.Bakker@Example.org", 2021),
             ("Willem Smit", "Arnhem", "+31 26 000 0108", "willem.smit@example.org", 2018)])
    connection.close()
    return path


def sql_settings(path: Path, **extra: Any) -> Source:
    return Source(name="CRM", type="sql", url=f"sqlite:///{path}", query=QUERY, **extra)


@pytest.fixture
def sql_source(crm: Path) -> Iterator[Callable[..., SqlSource]]:
    engines = []

    def make(**extra: Any) -> SqlSource:
        settings = sql_settings(crm, **extra)
        engine = sql_engine(settings)
        engines.append(engine)
        return SqlSource(settings, engine)

    yield make
    for engine in engines:
        engine.dispose()


def crm_rows(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name, city FROM customers ORDER BY id").fetchall()
    connection.close()
    return rows


WRITABLE = {"update_query": "UPDATE customers SET {field} = :value "
                            "WHERE lower(email) = lower(:email)",
            "erase_query": "DELETE FROM customers WHERE lower(email) = lower(:email)",
            "writable": True}


def test_sql_lookup_matches_case_insensitively_and_gives_text(sql_source) -> None:
    source = sql_source()
    assert source.lookup("p.bakker@EXAMPLE.ORG") == [{
        "name": "Pieter Bakker", "city": "Zwolle", "phone": "", "email": "P.Bakker@Example.org",
        "customers_since": "2021"}]
    assert source.lookup("nobody@example.org") == []


def test_sql_update_changes_only_a_column_the_query_returns(sql_source, crm: Path) -> None:
    source = sql_source(**WRITABLE)
    assert source.update("p.bakker@example.org", "City", "Deventer") == 1
    assert crm_rows(crm) == [("Pieter Bakker", "Deventer"), ("Willem Smit", "Arnhem")]
    for field in ("id", "city = 'x', name", "city; DROP TABLE customers"):
        with pytest.raises(NotWritable, match="not one of the query's columns"):
            source.update("p.bakker@example.org", field, "x")
    assert crm_rows(crm)[0] == ("Pieter Bakker", "Deventer")
    # The value is a parameter, never SQL.
    assert source.update("p.bakker@example.org", "city", "x'); DROP TABLE customers; --") == 1
    assert crm_rows(crm)[0] == ("Pieter Bakker", "x'); DROP TABLE customers; --")


def test_sql_erase_removes_the_persons_rows(sql_source, crm: Path) -> None:
    assert sql_source(**WRITABLE).erase("P.BAKKER@example.org") == 1
    assert crm_rows(crm) == [("Willem Smit", "Arnhem")]


def test_sql_without_statements_is_not_writable(sql_source) -> None:
    source = sql_source()
    with pytest.raises(NotWritable, match="no update_query"):
        source.update("p.bakker@example.org", "city", "Deventer")
    with pytest.raises(NotWritable, match="no erase_query"):
        source.erase("p.bakker@example.org")


def test_sql_failures_are_translated(tmp_path: Path, crm: Path) -> None:
    missing = sql_settings(tmp_path / "gone.sqlite")
    engine = sql_engine(missing)
    with pytest.raises(SourceUnavailable, match=r"database file not found: gone\.sqlite"):
        SqlSource(missing, engine).lookup("p.bakker@example.org")
    assert not (tmp_path / "gone.sqlite").exists()  # not quietly created
    wrong = Source(name="CRM", type="sql", url=f"sqlite:///{crm}",
                   query="SELECT * FROM clients WHERE email = :email")
    engine = sql_engine(wrong)
    with pytest.raises(SourceUnavailable, match="database error: no such table: clients"):
        SqlSource(wrong, engine).lookup("p.bakker@example.org")
    engine.dispose()


def test_sql_settings_that_can_never_work_stop_start_up(crm: Path) -> None:
    with pytest.raises(ConfigError, match="'CRM': query must take :email"):
        source_factory(Source(name="CRM", type="sql", url=f"sqlite:///{crm}",
                              query="SELECT * FROM customers"))
    with pytest.raises(ConfigError, match=r"'CRM': update_query must take \{field\}"):
        source_factory(sql_settings(crm, update_query="UPDATE customers SET city = :value "
                                                      "WHERE email = :email"))
    with pytest.raises(ConfigError, match="'CRM': url"):
        source_factory(Source(name="CRM", type="sql", url="nosuchdb://host/db", query=QUERY))


NEWSLETTER = "email;first_name;topics\r\nSanne.Jansen@Example.org;Sanne;events\r\n" \
             "fatima.elamrani@example.org;Fatima;\"product news; events\"\r\n"


def csv_source(path: Path, **extra: Any) -> CsvSource:
    return CsvSource(Source(name="Newsletter", type="csv", path=path, delimiter=";", **extra))


def test_csv_lookup_matches_case_insensitively(tmp_path: Path) -> None:
    path = tmp_path / "newsletter.csv"
    path.write_bytes(b"\xef\xbb\xbf" + NEWSLETTER.encode())  # as Excel writes it
    source = csv_source(path)
    assert source.lookup(" sanne.jansen@example.org") == [
        {"email": "Sanne.Jansen@Example.org", "first_name": "Sanne", "topics": "events"}]
    assert source.lookup("FATIMA.ELAMRANI@example.org")[0]["topics"] == "product news; events"
    assert source.lookup("nobody@example.org") == []


def test_csv_update_and_erase_rewrite_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "newsletter.csv"
    path.write_bytes(b"\xef\xbb\xbf" + NEWSLETTER.encode())
    path.chmod(0o640)
    source = csv_source(path)
    assert source.update("sanne.jansen@example.org", "Topics", "none") == 1
    assert path.read_bytes() == b"\xef\xbb\xbf" + NEWSLETTER.replace(
        "Sanne;events", "Sanne;none").encode()
    assert path.stat().st_mode & 0o777 == 0o640
    assert source.update("nobody@example.org", "topics", "x") == 0
    with pytest.raises(NotWritable, match=r"'phone' is not a column of newsletter\.csv"):
        source.update("sanne.jansen@example.org", "phone", "x")
    assert source.erase("SANNE.JANSEN@example.org") == 1
    assert path.read_bytes() == b"\xef\xbb\xbf" + (
        b"email;first_name;topics\r\nfatima.elamrani@example.org;Fatima;"
        b"\"product news; events\"\r\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newsletter.csv"]  # no leftovers


def test_csv_failures_are_translated(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match=r"file not found: absent\.csv"):
        csv_source(tmp_path / "absent.csv").lookup("sanne.jansen@example.org")
    other = tmp_path / "other.csv"
    other.write_text("mail;name\nsanne.jansen@example.org;Sanne\n", encoding="utf-8")
    with pytest.raises(SourceUnavailable, match="has no column 'email'"):
        csv_source(other).lookup("sanne.jansen@example.org")
    assert csv_source(other, email_column="MAIL").lookup("sanne.jansen@example.org")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("email;name\nsanne.jansen@example.org;Ren\xe9\n".encode("latin-1"))
    with pytest.raises(SourceUnavailable, match="not UTF-8"):
        csv_source(latin).lookup("sanne.jansen@example.org")
    with pytest.raises(ConfigError, match="delimiter must be one character"):
        source_factory(Source(name="N", type="csv", path=other, delimiter=";;"))


def add_request(uow: UnitOfWork, sender: str, reference: str, kind: str,
                at: datetime) -> Request:
    mail = InboundMail(mailbox="INBOX", uidvalidity=1, uid=reference, raw_sha256="0" * 64,
                       raw_size=10, received_at=at, fetched_at=at, disposition="request",
                       sender=sender, subject=f"Subject of {reference}", body_text="...")
    request = Request(reference=reference, inbound=mail, kind=kind, status="done",
                      language="nl", sender=sender, received_at=at, due_at=date(2026, 12, 20),
                      confidence=1.0, created_at=at, updated_at=at)
    uow.repo.add(request)
    uow.repo.flush()
    return request


def test_own_records_are_the_requests_mails_and_opt_outs(store) -> None:
    earlier = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    settings = Source(name="Privacy mailbox", type="own")
    with store() as uow:
        first = add_request(uow, "sanne.jansen@example.org", "MB-2026-00001", "unsubscribe",
                            earlier)
        add_request(uow, "sanne.jansen@example.org", "MB-2026-00002", "access", now)
        add_request(uow, "jordan.lee@example.org", "MB-2026-00003", "erasure", now)
        uow.repo.add(OptOut(email="sanne.jansen@example.org", purpose="content_mailings",
                            request_id=first.id, created_at=earlier))
        uow.repo.flush()
        source = OwnSource(settings, uow.repo)
        records = source.lookup("Sanne.Jansen@example.org")
        assert records == [
            {"reference": "MB-2026-00001", "kind": "unsubscribe",
             "received": "2026-03-02 09:30 UTC"},
            {"reference": "MB-2026-00002", "kind": "access", "received": "2026-11-20 10:00 UTC"},
            {"mail_received": "2026-03-02 09:30 UTC", "subject": "Subject of MB-2026-00001",
             "references": "MB-2026-00001"},
            {"mail_received": "2026-11-20 10:00 UTC", "subject": "Subject of MB-2026-00002",
             "references": "MB-2026-00002"},
            {"opt_out": "content_mailings", "since": "2026-03-02 09:30 UTC"},
        ]
        assert [r.get("reference") or r.get("references") or r["opt_out"]
                for r in beyond(records, {"MB-2026-00002"})] == [
            "MB-2026-00001", "MB-2026-00001", "content_mailings"]
        with pytest.raises(NotWritable, match="correction handler"):
            source.update("sanne.jansen@example.org", "name", "x")
        with pytest.raises(NotWritable, match="erasure handler"):
            source.erase("sanne.jansen@example.org")


def test_the_registry_reports_a_failing_source_and_goes_on(store, tmp_path: Path,
                                                           crm: Path) -> None:
    newsletter = tmp_path / "newsletter.csv"
    newsletter.write_text(NEWSLETTER, encoding="utf-8")
    settings = [
        Source(name="Gone", type="csv", path=tmp_path / "gone.csv"),
        sql_settings(crm, **WRITABLE),
        Source(name="Newsletter", type="csv", path=newsletter, delimiter=";"),
    ]
    registry = SourceRegistry.from_settings(settings)
    with store() as uow:
        with recorded_failures(uow.repo) as failures:
            found = registry.lookup("p.bakker@example.org", uow.repo)
        assert [f.name for f in found] == ["CRM"]
        assert failures == {"Gone": "file not found: gone.csv"}
        # Outside a recording block a failure is only logged.
        assert [f.name for f in registry.lookup("SANNE.JANSEN@example.org", uow.repo)] == [
            "Newsletter"]
        changes = registry.update("p.bakker@example.org", "city", "Deventer", uow.repo)
        assert [(c.source, c.done, c.rows) for c in changes] == [("CRM", True, 1),
                                                                 ("Gone", False, 0)]
        assert "could not be searched" in changes[1].manual_step  # unreachable: by hand
        changes = registry.erase("sanne.jansen@example.org", uow.repo)
        assert [(c.source, c.done) for c in changes] == [("Newsletter", False), ("Gone", False)]
        assert "erase every record" in changes[0].manual_step  # not writable: by hand
    assert crm_rows(crm)[0] == ("Pieter Bakker", "Deventer")


def test_a_change_to_an_unreachable_source_becomes_a_manual_step(tmp_path: Path,
                                                                 store) -> None:
    path = tmp_path / "newsletter.csv"
    path.write_text(NEWSLETTER, encoding="utf-8")
    open_source = source_factory(Source(name="Newsletter", type="csv", path=path,
                                        delimiter=";", writable=True))
    with store() as uow:
        source = open_source(uow.repo)
        assert source.lookup("sanne.jansen@example.org")
        path.unlink()
        with pytest.raises(NotWritable, match="could not be changed now: file not found"):
            source.erase("sanne.jansen@example.org")


def test_the_demo_sources_hold_the_sample_senders(tmp_path: Path, store) -> None:
    import tomllib

    from mailbot.demo.sources import write_demo_sources

    text = write_demo_sources(tmp_path / "demo")
    assert write_demo_sources(tmp_path / "demo") == text  # a second start keeps the files
    settings = [Source(**s) for s in tomllib.loads(text)["sources"]]
    registry = SourceRegistry.from_settings(settings)
    with store() as uow, recorded_failures(uow.repo) as failures:
        def where(email: str) -> dict[str, str]:
            return {f.name: f.settings.role for f in registry.lookup(email, uow.repo)}

        for sender in ("sanne.jansen@example.org", "p.bakker@example.org",
                       "alex.morgan@example.org", "jordan.lee@example.org",
                       "fatima.elamrani@example.org"):
            assert "controller" in where(sender).values(), sender
        assert where("sanne.jansen@example.org")["Klant B.V. webshop customers"] == "processor"
        assert where("noor.devries@example.org") == {
            "Klant B.V. webshop customers": "processor"}
    assert failures == {}
    for source in registry.settings:
        assert source.purposes and source.categories and source.retention and source.origin
