from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest

from mailbot.send.compose import (
    MAX_REFERENCES,
    compose_reply,
    make_message_id,
    message_bytes,
)

DOMAIN = "example.org"


def reply(**changes):
    arguments = {
        "from_address": "privacy@example.org",
        "from_name": "Privacy team",
        "to": "jan@example.net",
        "subject": "Re: Request received",
        "body": "Dear Jan,\n\nWe received your request.\n",
        "message_id": make_message_id(DOMAIN, "ack", "42"),
        "in_reply_to": "<original@mail.example.net>",
        "references": ["<root@mail.example.net>"],
        "loop_value": "ack-42",
        "language": "en",
        "date": datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
    } | changes
    return compose_reply(**arguments)


def parsed(message):
    """What a receiving mail client sees."""
    return message_from_bytes(message_bytes(message), policy=policy.default)


def text(message):
    """The body as the receiver reads it (the parser keeps the wire's CRLF)."""
    return message.get_content().replace("\r\n", "\n")


class TestMessageId:
    def test_is_stable_and_well_formed(self):
        first = make_message_id(DOMAIN, "ack", "42")
        assert first == make_message_id(DOMAIN, "ack", "42")
        assert first.startswith("<ack.42.") and first.endswith("@example.org>")

    @pytest.mark.parametrize(
        ("purpose", "key", "domain"),
        [("reply", "42", DOMAIN), ("ack", "43", DOMAIN), ("ack", "42", "example.net")],
    )
    def test_differs_when_any_input_differs(self, purpose, key, domain):
        assert make_message_id(domain, purpose, key) != make_message_id(DOMAIN, "ack", "42")

    def test_keys_that_look_alike_after_cleaning_still_differ(self):
        assert make_message_id(DOMAIN, "ack", "a b") != make_message_id(DOMAIN, "ack", "a/b")

    def test_odd_keys_give_a_valid_id(self):
        message_id = make_message_id("Voorbeeld.NL", "ack", "x>\r\nBcc: evil@example.com")
        assert all(33 <= ord(c) <= 126 for c in message_id)
        assert message_id.count("<") == message_id.count(">") == 1
        assert message_id.endswith("@voorbeeld.nl>")

    def test_international_domain_is_punycoded(self):
        assert make_message_id("bücher.example", "ack", "1").endswith("@xn--bcher-kva.example>")

    @pytest.mark.parametrize("domain", ["", "exa mple.org", "example.org>\r\nX: y", "a@b.org"])
    def test_bad_domain_is_refused(self, domain):
        with pytest.raises(ValueError):
            make_message_id(domain, "ack", "1")

    def test_empty_key_is_refused(self):
        with pytest.raises(ValueError):
            make_message_id(DOMAIN, "ack", "")


class TestHeaders:
    def test_addresses_subject_date_and_id(self):
        message = parsed(reply())
        assert message["From"] == "Privacy team <privacy@example.org>"
        assert message["To"] == "jan@example.net"
        assert message["Subject"] == "Re: Request received"
        assert message["Date"] == "Fri, 01 Mar 2024 12:00:00 +0000"
        assert message["Message-ID"] == make_message_id(DOMAIN, "ack", "42")

    def test_threading_headers(self):
        message = parsed(reply())
        assert message["In-Reply-To"] == "<original@mail.example.net>"
        assert message["References"] == "<root@mail.example.net> <original@mail.example.net>"

    def test_references_given_as_a_whole_header_value(self):
        message = parsed(reply(references=["<a@x> <b@x>\r\n <c@x>"], in_reply_to="<c@x>"))
        assert message["References"] == "<a@x> <b@x> <c@x>"

    def test_a_bare_original_id_gets_brackets(self):
        message = parsed(reply(in_reply_to="original@mail.example.net", references=[]))
        assert message["In-Reply-To"] == "<original@mail.example.net>"
        assert message["References"] == "<original@mail.example.net>"

    def test_no_original_no_threading_headers(self):
        message = parsed(reply(in_reply_to=None, references=[]))
        assert "In-Reply-To" not in message
        assert "References" not in message

    def test_long_reference_chains_keep_the_root_and_the_latest(self):
        chain = [f"<m{n}@x>" for n in range(50)]
        message = parsed(reply(references=chain, in_reply_to="<last@x>"))
        ids = message["References"].split()
        assert len(ids) == MAX_REFERENCES
        assert ids[0] == "<m0@x>"
        assert ids[-2:] == ["<m49@x>", "<last@x>"]

    def test_garbage_in_the_original_ids_is_dropped(self):
        message = parsed(
            reply(references=["not an id", "<" + "a" * 300 + "@x>"], in_reply_to="<ok@x> junk")
        )
        assert message["References"] == "<ok@x>"

    def test_auto_reply_headers(self):
        message = parsed(reply())
        assert message["Auto-Submitted"] == "auto-replied"
        assert message["X-Auto-Response-Suppress"] == "All"
        assert message["X-Mailbot-Loop"] == "ack-42"
        assert message["Content-Language"] == "en"
        assert "Precedence" not in message

    def test_approved_reply_is_not_auto_submitted_but_suppresses_out_of_office(self):
        message = parsed(reply(auto_submitted=False))
        assert "Auto-Submitted" not in message
        assert message["X-Auto-Response-Suppress"] == "OOF, AutoReply"

    def test_custom_loop_header(self):
        message = parsed(reply(loop_header="X-Acme-Loop", loop_value="v"))
        assert message["X-Acme-Loop"] == "v"
        assert "X-Mailbot-Loop" not in message

    @pytest.mark.parametrize("name", ["Subject", "content-foo", "X-Bad:", "X Bad", ""])
    def test_loop_header_must_not_clash_or_be_malformed(self, name):
        with pytest.raises(ValueError):
            reply(loop_header=name)

    def test_naive_date_is_utc_and_aware_date_keeps_its_offset(self):
        assert parsed(reply(date=datetime(2024, 3, 1, 12, 0)))["Date"].endswith("+0000")
        cet = datetime(2024, 3, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
        assert parsed(reply(date=cet))["Date"] == "Fri, 01 Mar 2024 13:00:00 +0100"

    def test_default_date_is_now(self):
        before = datetime.now(UTC).replace(microsecond=0)
        date = parsed(reply(date=None))["Date"].datetime
        assert before <= date <= datetime.now(UTC)

    @pytest.mark.parametrize(
        "changes",
        [
            {"to": "not-an-address"},
            {"to": "a@example.net, b@example.net"},
            {"from_address": "privacy"},
            {"message_id": "no-brackets@example.org"},
            {"message_id": "<two> <ids@x>"},
            {"language": "en\r\nBcc: x@y"},
            {"loop_value": "\r\n"},
        ],
    )
    def test_malformed_arguments_are_refused(self, changes):
        with pytest.raises(ValueError):
            reply(**changes)


class TestBody:
    def test_plain_utf8_text(self):
        message = parsed(reply(body="Beste Zoë,\r\nwij hebben uw verzoek ontvangen.\r\n"))
        assert message.get_content_type() == "text/plain"
        assert message.get_content_charset() == "utf-8"
        assert message["Content-Transfer-Encoding"] == "quoted-printable"
        assert text(message) == "Beste Zoë,\nwij hebben uw verzoek ontvangen.\n"

    def test_short_ascii_text_goes_unencoded(self):
        message = parsed(reply(body="Dear Jan,\n"))
        assert message["Content-Transfer-Encoding"] == "7bit"

    def test_long_lines_survive(self):
        line = "x" * 2000
        assert text(parsed(reply(body=line + "\n"))) == line + "\n"

    def test_wire_form_is_7bit_with_crlf(self):
        data = message_bytes(reply(from_name="Zoë", subject="Über", body="Grüße\n"))
        assert data.isascii()
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


class TestInternational:
    def test_non_ascii_names_and_subjects_round_trip(self):
        message = reply(
            from_name="Stichting Zoë — Privacy",
            to="Jürgen Müller <juergen@example.org>",
            subject="Re: Auskunftsersuchen nach Art. 15 DSGVO — Bestätigung für Jürgen",
        )
        data = message_bytes(message)
        assert b"=?utf-8?" in data
        back = parsed(message)
        assert back["From"].addresses[0].display_name == "Stichting Zoë — Privacy"
        assert back["To"].addresses[0].display_name == "Jürgen Müller"
        assert back["To"].addresses[0].addr_spec == "juergen@example.org"
        assert back["Subject"] == (
            "Re: Auskunftsersuchen nach Art. 15 DSGVO — Bestätigung für Jürgen"
        )

    def test_long_subject_is_folded_and_unfolds_intact(self):
        subject = "Bevestiging van uw verzoek " * 8
        data = message_bytes(reply(subject=subject))
        assert max(len(line) for line in data.split(b"\r\n")) <= 78
        assert parsed(reply(subject=subject))["Subject"] == subject.strip()


INJECTIONS = [
    "x\r\nBcc: evil@example.com",
    "x\nBcc: evil@example.com",
    "x\rBcc: evil@example.com",
    "x\u2028Bcc: evil@example.com",
    "x\x85Bcc: evil@example.com",
    "x\r\n\r\nBody injected",
]


class TestHeaderInjection:
    @pytest.mark.parametrize("value", INJECTIONS)
    @pytest.mark.parametrize("field", ["subject", "from_name", "loop_value"])
    def test_line_breaks_in_free_text_fold_into_one_line(self, field, value):
        message = reply(**{field: value})
        back = parsed(message)
        assert "Bcc" not in back
        assert text(back) == "Dear Jan,\n\nWe received your request.\n"
        header_block = message_bytes(message).split(b"\r\n\r\n", 1)[0]
        assert not any(line.lower().startswith(b"bcc") for line in header_block.split(b"\r\n"))
        assert not any(line.startswith(b"Body") for line in header_block.split(b"\r\n"))

    def test_free_text_keeps_its_words(self):
        assert parsed(reply(subject="Re: one\r\ntwo"))["Subject"] == "Re: one two"

    @pytest.mark.parametrize("value", INJECTIONS)
    def test_injection_through_the_recipient_is_refused(self, value):
        with pytest.raises(ValueError):
            reply(to=value.replace("x", "jan@example.net", 1))

    @pytest.mark.parametrize("value", INJECTIONS)
    def test_injection_through_the_original_ids_is_dropped(self, value):
        original = value.replace("x", "<a@x>", 1)
        back = parsed(reply(in_reply_to=original, references=[original]))
        assert "Bcc" not in back
        assert back["In-Reply-To"] == "<a@x>"
        assert back["References"] == "<a@x>"

    def test_injection_through_the_message_id_is_refused(self):
        with pytest.raises(ValueError):
            reply(message_id="<a@x>\r\nBcc: evil@example.com")
