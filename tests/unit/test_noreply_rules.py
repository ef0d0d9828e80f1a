"""Each no-reply rule: a mail it must catch, and a near miss it must leave to a person."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mailbot.domain.kinds import Disposition
from mailbot.domain.mail import NoReplyVerdict, ParsedMail
from mailbot.parse import parse
from mailbot.parse.noreply import RULES, Context, check

OWN = frozenset({"privacy@example.org", "info@example.org"})
Build = Callable[[], ParsedMail]
PERSON_BODY = "Dear privacy team,\n\nplease send me a copy of my personal data.\n\nSam de Vries\n"


def make(headers: str = "", body: str = PERSON_BODY, *, subject: str = "My data",
         sender: str = "Sam de Vries <sam.devries@example.org>") -> ParsedMail:
    raw = (f"From: {sender}\nTo: privacy@example.org\nSubject: {subject}\n"
           f"Date: Mon, 3 Jun 2024 10:00:00 +0200\nMessage-ID: <m1@example.org>\n"
           f"{headers}{'' if not headers or headers.endswith(chr(10)) else chr(10)}\n{body}")
    result = parse(raw.encode("utf-8"))
    assert isinstance(result, ParsedMail), result
    return result


def verdict(mail: ParsedMail) -> NoReplyVerdict | None:
    return check(mail, own_addresses=OWN)


def rule_says(name: str, mail: ParsedMail) -> NoReplyVerdict | None:
    rule = next(r for r in RULES if r.name == name)
    return rule.check(Context(mail, OWN, "X-Mailbot-Loop"))


def test_a_person_writing_is_answered() -> None:
    assert verdict(make()) is None


def test_rules_are_listed_in_order_with_unique_names_and_descriptions() -> None:
    names = [rule.name for rule in RULES]

    assert len(names) == len(set(names)) >= 15
    assert names[:3] == ["own-address", "loop-header", "own-mail-forwarded"]
    assert all(rule.description and rule.disposition is not Disposition.REQUEST
               for rule in RULES)


OUR_ACK = ("---------- Forwarded message ---------\nFrom: Privacy <privacy@example.org>\n"
           "Date: Tue, 2 Jun 2026\nSubject: We have received your request\n"
           "To: <sam.devries@example.org>\n\nDear customer, we have received your request.\n")

# (rule, mail it catches, disposition)
HITS = [
    ("own-address", lambda: make(sender="Privacy <PRIVACY@example.org>"), Disposition.LOOP),
    ("loop-header", lambda: make("X-Mailbot-Loop: privacy@example.org"), Disposition.LOOP),
    ("loop-header", lambda: make("x-mailbot-loop:"), Disposition.LOOP),
    ("delivery-report",
     lambda: make('Content-Type: multipart/report; report-type="delivery-status"; boundary=b',
                  "--b\nContent-Type: text/plain\n\nfailed\n--b--\n"),
     Disposition.BOUNCE),
    ("delivery-report",
     lambda: make("", "Final-Recipient: rfc822; a@example.test\nAction: failed\nStatus: 5.1.1\n"),
     Disposition.BOUNCE),
    ("feedback-report",
     lambda: make("Content-Type: multipart/report; report-type=feedback-report; boundary=b",
                  "--b\nContent-Type: text/plain\n\nabuse report\n--b--\n"),
     Disposition.BOUNCE),
    ("read-receipt",
     lambda: make("Content-Type: multipart/report; report-type=disposition-notification; "
                  "boundary=b", "--b\nContent-Type: text/plain\n\nRead\n--b--\n"),
     Disposition.AUTO_REPLY),
    ("mailer-daemon", lambda: make(sender="MAILER-DAEMON@mx.example.test"), Disposition.BOUNCE),
    ("mailer-daemon", lambda: make(sender="postmaster@mx.example.test"), Disposition.BOUNCE),
    ("mailer-daemon", lambda: make(sender="Mail Delivery Subsystem <bounces@mx.example.test>"),
     Disposition.BOUNCE),
    ("mailer-daemon", lambda: make(sender="MAILER-DAEMON <>"), Disposition.BOUNCE),
    ("mailer-daemon", lambda: make("Return-Path: <MAILER-DAEMON>"), Disposition.BOUNCE),
    ("failure-notice", lambda: make(subject="Undeliverable: My data"), Disposition.BOUNCE),
    ("failure-notice", lambda: make(subject="Unzustellbar: Ihre Anfrage"), Disposition.BOUNCE),
    ("failure-notice", lambda: make(subject="Onbestelbaar: Uw verzoek"), Disposition.BOUNCE),
    ("failure-notice", lambda: make(subject="Non remis : Votre demande"), Disposition.BOUNCE),
    ("failure-notice", lambda: make(subject="Delivery Status Notification (Failure)"),
     Disposition.BOUNCE),
    ("failure-notice",
     lambda: make("", "Hi. This is the qmail-send program at mx.example.test.\n"),
     Disposition.BOUNCE),
    ("failure-notice",
     lambda: make("", "Delivery has failed to these recipients or groups:\n\nx@example.test\n"),
     Disposition.BOUNCE),
    ("auto-submitted", lambda: make("Auto-Submitted: auto-replied"), Disposition.AUTO_REPLY),
    ("auto-submitted", lambda: make("Auto-Submitted: auto-generated (failure)"),
     Disposition.AUTO_REPLY),
    ("autoreply-header", lambda: make("X-Autoreply: yes"), Disposition.AUTO_REPLY),
    ("autoreply-header", lambda: make("X-Autorespond: vacation"), Disposition.AUTO_REPLY),
    ("autoreply-header", lambda: make("X-FC-MachineGenerated: true"), Disposition.AUTO_REPLY),
    ("exchange-auto-reply", lambda: make("X-Auto-Response-Suppress: All"),
     Disposition.AUTO_REPLY),
    ("exchange-auto-reply", lambda: make("X-Auto-Response-Suppress: DR, OOF, AutoReply"),
     Disposition.AUTO_REPLY),
    ("exchange-auto-reply",
     lambda: make("X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent"),
     Disposition.AUTO_REPLY),
    ("exchange-auto-reply", lambda: make("X-MS-Exchange-Inbox-Rules-Loop: sam@example.test"),
     Disposition.AUTO_REPLY),
    ("precedence-auto-reply", lambda: make("Precedence: auto_reply"), Disposition.AUTO_REPLY),
    ("precedence-auto-reply", lambda: make("X-Precedence: auto_reply"), Disposition.AUTO_REPLY),
    ("list-headers", lambda: make("List-Id: News <news.example.test>"), Disposition.LIST),
    ("list-headers", lambda: make("List-Unsubscribe: <mailto:leave@example.test>"),
     Disposition.LIST),
    ("list-headers", lambda: make("List-Post: <mailto:list@example.test>"), Disposition.LIST),
    ("list-headers", lambda: make("List-Help: <mailto:help@example.test>"), Disposition.LIST),
    ("precedence-bulk", lambda: make("Precedence: bulk"), Disposition.LIST),
    ("precedence-bulk", lambda: make("Precedence: list"), Disposition.LIST),
    ("precedence-bulk", lambda: make("X-Precedence: junk"), Disposition.LIST),
    ("bulk-sender", lambda: make("X-Mailchimp-Campaign: 1234"), Disposition.LIST),
    ("bulk-sender", lambda: make("X-CampaignID: spring-sale"), Disposition.LIST),
    ("bulk-sender", lambda: make("Feedback-ID: 1:campaign:esp.example.test"), Disposition.LIST),
    ("null-sender", lambda: make("Return-Path: <>"), Disposition.BOUNCE),
    ("noreply-sender", lambda: make(sender="Shop <no-reply@shop.example.test>"),
     Disposition.AUTO_REPLY),
    ("noreply-sender", lambda: make(sender="donotreply@shop.example.test"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Automatic reply: My data"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Out of Office: My data"), Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Automatisch antwoord: Uw verzoek"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Afwezig"), Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Abwesenheitsnotiz: Ihre Anfrage"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Automatische Antwort: Ihre Anfrage"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Réponse automatique : Votre demande"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Absence du bureau"), Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Auto: My data"), Disposition.AUTO_REPLY),
    ("own-mail-forwarded", lambda: make("", OUR_ACK, subject="Fwd: We have received your request"),
     Disposition.LOOP),
    ("autoreply-subject", lambda: make(subject="Αυτόματη απάντηση: Αίτημα διαγραφής"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Odpowiedź automatyczna: Wniosek"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Automatikus válasz: Re: kérelme"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Risposta automatica: Richiesta"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Automatiskt svar: Begäran"),
     Disposition.AUTO_REPLY),
    ("autoreply-subject", lambda: make(subject="Autoodpowiedź: żądanie usunięcia danych"),
     Disposition.AUTO_REPLY),
    ("out-of-office-text",
     lambda: make("", "This is an automatic reply. Your message has been received.\n"),
     Disposition.AUTO_REPLY),
    ("out-of-office-text",
     lambda: make("", "Ik ben afwezig tot en met 14 juni. Voor dringende zaken: bel 0.\n"),
     Disposition.AUTO_REPLY),
    ("out-of-office-text",
     lambda: make("", "Ik ben momenteel niet aanwezig en vanaf maandag weer bereikbaar. Voor "
                      "dringende zaken kunt u bellen met 010-0000000.\n"),
     Disposition.AUTO_REPLY),
    ("out-of-office-text",
     lambda: make("", "Ich bin nicht im Büro und ab Montag wieder erreichbar. In dringenden "
                      "Fällen wenden Sie sich an das Sekretariat.\n"),
     Disposition.AUTO_REPLY),
    ("out-of-office-text",
     lambda: make("", "Je suis absente et de retour le lundi 17 juin. Pour toute urgence, "
                      "contactez l'accueil.\n"),
     Disposition.AUTO_REPLY),    ("out-of-office-text",
     lambda: make("", "Dit e-mailadres is niet meer in gebruik. Stuur uw bericht voortaan naar "
                      "sam.new@example.org. Dit bericht wordt automatisch verzonden.\n"),
     Disposition.AUTO_REPLY),
]


@pytest.mark.parametrize(("name", "build", "disposition"), HITS,
                         ids=[f"{h[0]}-{i}" for i, h in enumerate(HITS)])
def test_rule_catches(name: str, build: Build, disposition: Disposition) -> None:
    result = verdict(build())

    assert result is not None
    assert (result.rule, result.disposition) == (name, disposition)
    assert result.reason


# (rule, a mail that looks a bit like what it catches but was written by a person)
NEAR_MISSES = [
    ("own-address", lambda: make(sender="Privacy Fan <privacy@example.org.test>")),
    ("own-address", lambda: make("Cc: privacy@example.org")),
    ("loop-header", lambda: make("X-Mailbot-Looping: no")),
    ("delivery-report", lambda: make("Content-Type: multipart/mixed; boundary=b",
                                     "--b\nContent-Type: text/plain\n\nhi\n--b--\n")),
    ("delivery-report",
     lambda: make("", "Final-Recipient: rfc822; x@example.test\nAction: failed\nStatus: 5.1.1\n",
                  subject="Fwd: a bounce I got - please delete my data")),
    ("mailer-daemon", lambda: make(sender="Daemon Tools Fan <daemon.fan@example.test>")),
    ("mailer-daemon", lambda: make(sender="Mail Delivery Fan <postmaster.fan@example.test>")),
    ("failure-notice", lambda: make(subject="Fwd: Undeliverable: My data")),
    ("failure-notice", lambda: make(subject="Re: Delivery failure of my letter")),
    ("failure-notice", lambda: make("", "I got an error: 'Delivery has failed to these "
                                        "recipients or groups' when mailing you.\n")),
    ("auto-submitted", lambda: make("Auto-Submitted: no")),
    ("autoreply-header", lambda: make("X-Autoreply: no")),
    ("exchange-auto-reply", lambda: make("X-Auto-Response-Suppress: None")),
    ("exchange-auto-reply", lambda: make("X-Auto-Response-Suppress: DR, RN, NRN")),
    ("exchange-auto-reply", lambda: make("X-MS-Exchange-Inbox-Rules-Loop: info@example.org")),
    ("precedence-auto-reply", lambda: make("Precedence: normal")),
    ("list-headers", lambda: make("X-List-Of-Wishes: delete everything")),
    ("precedence-bulk", lambda: make("Precedence: first-class")),
    ("bulk-sender", lambda: make("X-Mailer: Campaign-free mail client 1.0")),
    ("null-sender", lambda: make("Return-Path: <sam.devries@example.org>")),
    ("noreply-sender", lambda: make(sender="Noreen Plyer <noreen.plyer@example.test>")),
    ("noreply-sender", lambda: make(sender="reply@example.test")),
    ("autoreply-subject", lambda: make(subject="Re: Automatic reply: My data")),
    ("autoreply-subject", lambda: make(subject="About my absence from the office records")),
    ("autoreply-subject", lambda: make(subject="Autoverzekering: verwijder mijn gegevens")),
    ("autoreply-subject", lambda: make(subject="Afwezigheidsregistratie inzien")),
    ("autoreply-subject", lambda: make(subject="Re: Risposta automatica che ho ricevuto")),
    ("own-mail-forwarded", lambda: make("", "Why did I get this? Please delete my data.\n\n"
                                            + OUR_ACK, subject="Fwd: We have received")),
    ("own-mail-forwarded", lambda: make("", OUR_ACK.replace("privacy@example.org",
                                                           "noprivacy@example.org"),
                                        subject="Fwd: We have received")),
    ("own-mail-forwarded", lambda: make("", OUR_ACK.replace("privacy@example.org",
                                                           "news@shop.example"),
                                        subject="Fwd: We have received")),
    ("out-of-office-text", lambda: make("", "I was away but now please send me my data.\n")),
    ("out-of-office-text",
     lambda: make("", "I am away but back on Monday, please delete my data then.\n")),
    ("out-of-office-text",
     lambda: make("", "Je suis absente et de retour le lundi 17 juin. Merci d'effacer mes "
                      "données.\n")),
    ("out-of-office-text",
     lambda: make("", "I am on holiday until 3 June; please send my data to my home address "
                      "after that.\n")),
    ("out-of-office-text",
     lambda: make("", "Please delete my data.\n\nOn Mon, 3 Jun 2024 at 10:00, Privacy <"
                      "privacy@example.org> wrote:\n> This is an automatic reply. I am out of "
                      "the office until Monday. For urgent matters call us.\n")),
    ("out-of-office-text",
     lambda: make("", "This is an automatic reply I got from you:\nI am out of the office "
                      "until Monday. For urgent matters call.\nPlease delete my data.\n",
                  subject="Fwd: your reply")),
]


@pytest.mark.parametrize(("name", "build"), NEAR_MISSES,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(NEAR_MISSES)])
def test_rule_leaves_near_miss_to_a_person(name: str, build: Build) -> None:
    mail = build()

    assert rule_says(name, mail) is None
    assert verdict(mail) is None


def test_own_addresses_are_compared_without_case_or_spaces() -> None:
    mail = make(sender="privacy@example.org")

    result = check(mail, own_addresses=[" Privacy@Example.ORG "])

    assert result is not None and result.rule == "own-address"


def test_the_loop_header_name_can_be_configured() -> None:
    mail = make("X-Acme-Loop: 1")

    assert verdict(mail) is None
    result = check(mail, own_addresses=OWN, loop_header="X-Acme-Loop")
    assert result is not None and result.rule == "loop-header"


def test_the_first_rule_that_objects_decides() -> None:
    mail = make("Auto-Submitted: auto-replied\nList-Id: x <x.example.test>",
                sender="MAILER-DAEMON@mx.example.test")

    result = verdict(mail)

    assert result is not None and result.rule == "mailer-daemon"


_NL_RECEIPT = ("Uw bericht\n\n  Aan: ria.hofman@example.org\n  Onderwerp: Uw inzageverzoek\n"
               "  Verzonden: dinsdag 24 maart 2026 11:48\n\nis gelezen op dinsdag 24 maart 2026 "
               "13:05.\n")
_EN_RECEIPT = ("Your message\n\nTo: m.ellis@example.org\nSubject: Your access request\n"
               "Sent: Tuesday, 26 May 2026 08:55:10\n\nwas read on Tuesday, 26 May 2026 "
               "09:12:44.\n")
_FR_RECEIPT = ("Votre message\n\n  À : o.perrin@example.org\n  Objet : Votre demande d'accès\n"
               "  Envoyé : vendredi 29 mai 2026 16:10:22\n\na été lu le vendredi 29 mai 2026 "
               "17:36:05.\n")


@pytest.mark.parametrize(("subject", "body"), [
    ("Gelezen: Uw inzageverzoek", _NL_RECEIPT),
    ("Read: Your access request", _EN_RECEIPT),
    ("Lu : Votre demande d'accès", _FR_RECEIPT),
])
def test_a_receipt_sent_as_plain_text_is_machine_mail(subject: str, body: str) -> None:
    found = verdict(make(body=body, subject=subject))
    assert found is not None
    assert found.rule == "plain-read-receipt"
    assert found.disposition is Disposition.AUTO_REPLY


@pytest.mark.parametrize(("subject", "body"), [
    # a person's subject that starts like a receipt, over a request
    ("Read: my access request", PERSON_BODY),
    # a receipt's text under a person's own subject: a person quotes what they got
    ("Mijn inzageverzoek", _NL_RECEIPT),
    # a person forwarding a receipt, asking about it
    ("Read: Your access request",
     "Why did you never answer? See below.\n\n---------- Forwarded message ---------\n"
     + _EN_RECEIPT),
])
def test_a_receipts_subject_or_text_alone_is_a_persons_mail(subject: str, body: str) -> None:
    found = rule_says("plain-read-receipt", make(body=body, subject=subject))
    assert found is None
