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


# What the replies say of the demo's sources, in the four languages (nl, en, de, fr).
TEXTS: dict[str, dict[str, str]] = {name: dict(zip(("nl", "en", "de", "fr"), texts,
                                                   strict=True)) for name, texts in {
    "crm_admin": ("klantenadministratie", "customer administration", "Kundenverwaltung",
                  "gestion de la clientèle"),
    "invoicing": ("facturering", "invoicing", "Rechnungsstellung", "facturation"),
    "service": ("klantenservice", "customer service", "Kundendienst", "service client"),
    "crm_categories": ("naam, adres, telefoonnummer, e-mailadres en klant sinds",
                       "name, address, telephone number, e-mail address and customer since",
                       "Name, Anschrift, Telefonnummer, E-Mail-Adresse und Kunde seit",
                       "nom, adresse, téléphone, adresse e-mail et date d'entrée en relation"),
    "accountant": ("ons administratiekantoor", "our accountant", "unser Steuerbüro",
                   "notre cabinet comptable"),
    "hosting": ("onze hostingprovider", "our hosting provider", "unser Hosting-Anbieter",
                "notre hébergeur"),
    "crm_retention": ("7 jaar na de laatste factuur (fiscale bewaarplicht)",
                      "7 years after the last invoice (tax law)",
                      "7 Jahre nach der letzten Rechnung (steuerliche Aufbewahrungspflicht)",
                      "7 ans après la dernière facture (obligation fiscale)"),
    "crm_origin": ("uzelf, toen u klant werd", "you, when you became a customer",
                   "von Ihnen selbst, als Sie Kunde wurden",
                   "vous-même, lorsque vous êtes devenu(e) client(e)"),
    "newsletter": ("onze nieuwsbrief sturen", "sending our newsletter",
                   "Versand unseres Newsletters", "envoi de notre newsletter"),
    "newsletter_categories": ("e-mailadres, voornaam en de onderwerpen die u koos",
                              "e-mail address, first name and the topics you chose",
                              "E-Mail-Adresse, Vorname und die von Ihnen gewählten Themen",
                              "adresse e-mail, prénom et les sujets que vous avez choisis"),
    "mailing_service": ("onze verzendpartner voor e-mail", "our mailing service provider",
                        "unser E-Mail-Versanddienstleister",
                        "notre prestataire d'envoi d'e-mails"),
    "until_unsubscribe": ("tot u zich afmeldt", "until you unsubscribe",
                          "bis Sie sich abmelden", "jusqu'à votre désinscription"),
    "subscribed": ("uzelf, toen u zich aanmeldde op onze website",
                   "you, when you subscribed on our website",
                   "von Ihnen selbst, als Sie sich auf unserer Website angemeldet haben",
                   "vous-même, lors de votre inscription sur notre site"),
    "requests": ("uw verzoeken over uw persoonsgegevens behandelen",
                 "handling your requests about your personal data",
                 "Bearbeitung Ihrer Anträge zu Ihren personenbezogenen Daten",
                 "traitement de vos demandes concernant vos données personnelles"),
    "mailbox_categories": ("e-mailadres, uw berichten, uw verzoeken en bezwaren",
                           "e-mail address, your messages, your requests and objections",
                           "E-Mail-Adresse, Ihre Nachrichten, Ihre Anträge und Widersprüche",
                           "adresse e-mail, vos messages, vos demandes et oppositions"),
    "mailbox_retention": ("zolang nodig om uw verzoek te behandelen, daarna alleen een kort "
                          "verslag dat het is afgehandeld",
                          "as long as needed to handle your request, and a minimal record "
                          "that it was handled",
                          "so lange, wie die Bearbeitung Ihres Antrags es erfordert, danach "
                          "nur ein kurzer Vermerk über die Erledigung",
                          "le temps nécessaire au traitement de votre demande, puis une brève "
                          "trace de ce traitement"),
    "wrote": ("uzelf, toen u ons schreef", "you, when you wrote to us",
              "von Ihnen selbst, als Sie uns geschrieben haben",
              "vous-même, lorsque vous nous avez écrit"),
    "profiling": (
        "Met uw toestemming plaatsen advertentienetwerken cookies op onze website. Daarmee "
        "stellen zij een profiel van uw interesses op om u advertenties te tonen die daarbij "
        "passen. Wij nemen geen besluiten over u die uitsluitend op geautomatiseerde "
        "verwerking berusten en die rechtsgevolgen voor u hebben.",
        "With your consent, advertising networks place cookies on our website. With them "
        "they build a profile of your interests to show you advertisements that match it. We "
        "take no decisions about you based solely on automated processing that have legal "
        "effects for you.",
        "Mit Ihrer Einwilligung setzen Werbenetzwerke Cookies auf unserer Website. Damit "
        "erstellen sie ein Profil Ihrer Interessen, um Ihnen dazu passende Werbung zu zeigen. "
        "Wir treffen keine ausschließlich automatisierten Entscheidungen über Sie, die Ihnen "
        "gegenüber rechtliche Wirkung entfalten.",
        "Avec votre consentement, des réseaux publicitaires déposent des cookies sur notre "
        "site. Ils établissent ainsi un profil de vos centres d'intérêt afin de vous montrer "
        "des publicités adaptées. Nous ne prenons aucune décision fondée exclusivement sur un "
        "traitement automatisé produisant des effets juridiques à votre égard."),
}.items()}


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
            "purposes": [TEXTS["crm_admin"], TEXTS["invoicing"], TEXTS["service"]],
            "categories": [TEXTS["crm_categories"]],
            "recipients": [TEXTS["accountant"], TEXTS["hosting"]],
            "no_transfers": True,
            "retention": TEXTS["crm_retention"],
            "origin": TEXTS["crm_origin"],
        },
        {
            "name": "Newsletter list",
            "type": "csv",
            "role": "controller",
            "path": newsletter.as_posix(),
            "email_column": "email",
            "writable": True,
            "purposes": [TEXTS["newsletter"]],
            "categories": [TEXTS["newsletter_categories"]],
            "recipients": [TEXTS["mailing_service"]],
            "no_transfers": True,
            "retention": TEXTS["until_unsubscribe"],
            "origin": TEXTS["subscribed"],
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
            "purposes": [TEXTS["requests"]],
            "categories": [TEXTS["mailbox_categories"]],
            "no_recipients": True,
            "no_transfers": True,
            "retention": TEXTS["mailbox_retention"],
            "origin": TEXTS["wrote"],
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
        lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string
