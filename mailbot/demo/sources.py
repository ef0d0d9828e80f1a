"""The demo's data sources, with invented people: a SQLite "CRM" and a CSV "newsletter list"
(our own data), and a CSV export "Klant B.V. webshop customers" that we hold as processor for
the client Klant B.V. Noor de Vries appears only in that export.

``write_demo_sources`` creates the files once (later runs keep what corrections and erasures
changed) and returns the ``[[sources]]`` part of the demo config."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from mailbot.store.files import private_dir

CLIENT = "Klant B.V."

CRM_ROWS = (
    ("Sanne Jansen", "Dorpsstraat 12", "1234 AB", "Utrecht", "+31 30 000 0112",
     "sanne.jansen@example.org", "2019-03-14"),
    ("Pieter Bakker", "Molenweg 5", "2345 BC", "Zwolle", "+31 38 000 0105",
     "p.bakker@example.org", "2021-09-01"),
    ("Alex Morgan", "Kerkplein 3", "3456 CD", "Leiden", "+31 71 000 0103",
     "alex.morgan@example.org", "2022-01-20"),
    ("Jordan Lee", "Havenkade 40", "4567 DE", "Rotterdam", "+31 10 000 0140",
     "jordan.lee@example.org", "2020-06-30"),
    ("Willem Smit", "Lindelaan 8", "5678 EF", "Arnhem", "+31 26 000 0108",
     "willem.smit@example.org", "2018-11-02"),
)
NEWSLETTER = (
    ("email", "first_name", "subscribed_on", "topics"),
    ("Sanne.Jansen@Example.org", "Sanne", "2023-02-01", "events; product news"),
    ("p.bakker@example.org", "Pieter", "2021-09-01", "product news"),
    ("fatima.elamrani@example.org", "Fatima", "2024-05-17", "events"),
    ("willem.smit@example.org", "Willem", "2019-01-10", "product news"),
)
WEBSHOP = (
    ("customer_no", "name", "email", "delivery_address", "last_order", "orders"),
    ("K-1001", "Sanne Jansen", "sanne.jansen@example.org", "Dorpsstraat 12, Utrecht",
     "2026-10-02", "4"),
    ("K-1002", "Fatima el Amrani", "fatima.elamrani@example.org", "Beukenlaan 21, Breda",
     "2026-08-15", "2"),
    ("K-1003", "Noor de Vries", "noor.devries@example.org", "Stationsweg 7, Haarlem",
     "2026-11-03", "1"),
)


def write_demo_sources(directory: Path) -> str:
    directory = directory.resolve()
    private_dir(directory)
    crm = directory / "crm.sqlite"
    newsletter = directory / "newsletter.csv"
    webshop = directory / "klant-bv-webshop.csv"
    if not crm.exists():
        _write_crm(crm)
    if not newsletter.exists():
        _write_csv(newsletter, NEWSLETTER, ",")
    if not webshop.exists():
        _write_csv(webshop, WEBSHOP, ";")
    return "\n".join(_table(source) for source in (
        {
            "name": "CRM",
            "type": "sql",
            "role": "controller",
            "url": f"sqlite:///{crm.as_posix()}",
            "query": "SELECT name, street, postcode, city, phone, email, customer_since "
                     "FROM customers WHERE lower(email) = lower(:email)",
            "update_query": "UPDATE customers SET {field} = :value "
                            "WHERE lower(email) = lower(:email)",
            "erase_query": "DELETE FROM customers WHERE lower(email) = lower(:email)",
            "writable": True,
            "purposes": ["customer administration", "invoicing", "customer service"],
            "categories": ["name", "address", "telephone number", "e-mail address",
                           "customer since"],
            "recipients": ["our accountant", "our hosting provider"],
            "retention": "7 years after the last invoice (tax law)",
            "origin": "you, when you became a customer",
        },
        {
            "name": "Newsletter list",
            "type": "csv",
            "role": "controller",
            "path": newsletter.as_posix(),
            "email_column": "email",
            "writable": True,
            "purposes": ["sending our newsletter"],
            "categories": ["e-mail address", "first name", "topics you chose"],
            "recipients": ["our mailing service provider"],
            "retention": "until you unsubscribe",
            "origin": "you, when you subscribed on our website",
        },
        {
            "name": "Klant B.V. webshop customers",
            "type": "csv",
            "role": "processor",
            "client": CLIENT,
            "path": webshop.as_posix(),
            "email_column": "email",
            "delimiter": ";",
            "purposes": [f"order fulfilment on behalf of {CLIENT}"],
            "categories": ["name", "e-mail address", "delivery address", "order history"],
            "retention": f"as instructed by {CLIENT}",
            "origin": f"{CLIENT}",
        },
        {
            "name": "Privacy mailbox",
            "type": "own",
            "role": "controller",
            "purposes": ["handling your requests about your personal data"],
            "categories": ["e-mail address", "your messages", "your requests and objections"],
            "retention": "as long as needed to handle your request, and a minimal record "
                         "that it was handled",
            "origin": "you, when you wrote to us",
        },
    ))


def _write_crm(path: Path) -> None:
    partial = path.with_name(path.name + ".tmp")
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial)
    try:
        with connection:
            connection.execute(
                "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, street TEXT, "
                "postcode TEXT, city TEXT, phone TEXT, email TEXT, customer_since TEXT)")
            connection.executemany(
                "INSERT INTO customers (name, street, postcode, city, phone, email, "
                "customer_since) VALUES (?, ?, ?, ?, ?, ?, ?)", CRM_ROWS)
    finally:
        connection.close()
    partial.replace(path)


def _write_csv(path: Path, rows: Sequence[Sequence[str]], delimiter: str) -> None:
    partial = path.with_name(path.name + ".tmp")
    with partial.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    partial.replace(path)


def _table(source: dict[str, object]) -> str:
    lines = ["[[sources]]"]
    for key, value in source.items():
        lines.append(f"{key} = {_toml(value)}")
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string
