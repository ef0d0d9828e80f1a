"""Authentication-Results (RFC 8601): only our own receiving servers are believed."""

from __future__ import annotations

import pytest

from mailbot.domain.mail import Address, ParsedMail
from mailbot.handle import authresults
from mailbot.handle.verify import dmarc_verified
from mailbot.parse import parse

TRUSTED = ("mx.example.org",)
PASS = "mx.example.org; dmarc=pass (p=none dis=none) header.from=example.org"


def parsed(*fields: str, sender: str = "sanne.jansen@example.org") -> ParsedMail:
    raw = {"from": (f"Sanne Jansen <{sender}>",),
           **({"authentication-results": fields} if fields else {})}
    return ParsedMail(
        message_id="m-1@mail.example.org", sender=Address(sender, "Sanne Jansen"),
        envelope_sender=sender, reply_to=(), to=(Address("privacy@example.org"),), cc=(),
        subject="Inzage", date=None, in_reply_to=None, references=(),
        text="Stuur me mijn gegevens.", html_only=False, content_type="text/plain",
        attachments=(), headers=raw, raw_headers=raw)


@pytest.mark.parametrize(("fields", "expected"), [
    pytest.param([PASS], True, id="trusted-pass"),
    pytest.param(["mx.attacker.test; dmarc=pass header.from=example.org"], False,
                 id="untrusted-authserv-id-claiming-pass"),
    pytest.param(["mx.example.org; dmarc=fail (p=reject) header.from=example.org"], False,
                 id="dmarc-fail"),
    pytest.param(["mx.example.org; dmarc=none header.from=example.org"], False,
                 id="dmarc-none"),
    pytest.param(["mx.example.org; dmarc=pass"], False, id="missing-header-from"),
    pytest.param(["mx.example.org; dmarc=pass header.from=other.example.net"], False,
                 id="other-domain"),
    pytest.param(["mx.example.org; dmarc=pass header.from=sub.example.org"], False,
                 id="other-subdomain"),
    pytest.param(["mx.example.org; spf=pass smtp.mailfrom=example.org; "
                  "dkim=pass header.d=example.org"], False, id="spf-and-dkim-are-not-dmarc"),
    pytest.param(["mx.example.org; none"], False, id="no-result"),
    pytest.param(["mx.example.org 1; dmarc=pass header.from=example.org"], True,
                 id="version-after-authserv-id"),
    pytest.param(['"mx.example.org"; dmarc=pass header.from=example.org'], True,
                 id="quoted-authserv-id"),
    pytest.param(["MX.Example.ORG; DMARC=Pass header.from=EXAMPLE.org"], True,
                 id="case-insensitive"),
    pytest.param(["mx.example.org (Postfix; a=b \"c\" (nested; dmarc=fail)); "
                  "dmarc=pass (p=reject; escaped \\) paren) header.from=example.org"], True,
                 id="comments-with-separators"),
    pytest.param(["mx.example.org; dmarc=pass (comment without end header.from=example.org"],
                 False, id="unclosed-comment-swallows-the-rest"),
    pytest.param(["mx.example.org; spf=pass smtp.mailfrom=\"sanne jansen\"@example.org; "
                  "dkim=pass header.i=@example.org header.b=\"abc=\";dmarc=pass action=none "
                  "header.from=example.org;compauth=pass reason=100"], True,
                 id="several-results-no-spaces"),
    pytest.param(["mx.example.org; dmarc = pass header . from = example.org"], True,
                 id="white-space-around-separators"),
    pytest.param(["mx.attacker.test; dmarc=pass header.from=example.org",
                  "mx.example.org; dmarc=fail header.from=example.org"], False,
                 id="several-untrusted-pass-trusted-fail"),
    pytest.param(["relay.example.org; dkim=pass header.d=example.org", PASS,
                  "mx.attacker.test; dmarc=fail header.from=example.org"], True,
                 id="several-trusted-pass-among-others"),
    pytest.param(["mx.example.org; dmarc=fail header.from=example.org",
                  "mx.example.org; dmarc=pass header.from=example.org"], False,
                 id="forged-trusted-field-below-the-real-one"),
    pytest.param(["mx.example.org; dkim=pass header.d=example.org", PASS], False,
                 id="topmost-trusted-without-dmarc-decides-not-verified"),
    pytest.param([], False, id="no-header"),
])
def test_dmarc_pass_is_believed_only_from_a_trusted_server(fields: list[str],
                                                           expected: bool) -> None:
    assert dmarc_verified(parsed(*fields), TRUSTED) is expected


def test_an_empty_trusted_list_believes_nothing() -> None:
    assert dmarc_verified(parsed(PASS), ()) is False
    assert dmarc_verified(parsed(PASS), ("",)) is False


def test_several_trusted_servers() -> None:
    field = "mx2.example.org; dmarc=pass header.from=example.org"
    assert dmarc_verified(parsed(field), ("mx1.example.org", "MX2.example.org"))


def test_an_international_from_domain_matches_its_a_label() -> None:
    field = "mx.example.org; dmarc=pass header.from=xn--bcher-kva.example"
    assert dmarc_verified(parsed(field, sender="anna@bücher.example"), TRUSTED)


def test_folded_fields_in_a_real_mail() -> None:
    raw = (
        b"Authentication-Results: mx.example.org;\r\n"
        b"\tdkim=pass (2048-bit key; unprotected) header.d=example.org\r\n"
        b"\theader.i=@example.org header.b=\"AbCdEf12\";\r\n"
        b"\tdmarc=pass (p=quarantine dis=none)\r\n"
        b"\t  header.from=example.org\r\n"
        b"Authentication-Results: mx.attacker.test; dmarc=fail header.from=example.org\r\n"
        b"From: Sanne Jansen <sanne.jansen@example.org>\r\n"
        b"To: privacy@example.org\r\n"
        b"Subject: Inzage\r\n"
        b"Message-ID: <folded-1@mail.example.org>\r\n"
        b"\r\n"
        b"Stuur me mijn gegevens.\r\n")
    mail = parse(raw)
    assert isinstance(mail, ParsedMail)
    assert dmarc_verified(mail, TRUSTED)
    assert not dmarc_verified(mail, ("mx.attacker.test",))


def test_a_mail_without_from_is_never_verified() -> None:
    mail = parsed(PASS)
    assert not dmarc_verified(ParsedMail(**{**{f: getattr(mail, f) for f in
                                              mail.__slots__}, "sender": None}), TRUSTED)


def test_the_parser_reads_every_part() -> None:
    result = authresults.parse(
        'mx.example.org 1 (Postfix); dkim/1 = pass reason="good signature" '
        "header.d=example.org header.s=s1; spf=softfail smtp.mailfrom=\"a b\"@example.org; "
        "dmarc=pass header.from=example.org")
    assert result is not None
    assert (result.authserv_id, result.version) == ("mx.example.org", 1)
    dkim, spf, dmarc = result.results
    assert (dkim.method, dkim.result, dkim.reason) == ("dkim", "pass", "good signature")
    assert dkim.properties == {"header.d": "example.org", "header.s": "s1"}
    assert (spf.result, spf.properties["smtp.mailfrom"]) == ("softfail", "a b@example.org")
    assert dmarc.properties == {"header.from": "example.org"}


@pytest.mark.parametrize("value", ["", "   ", "; dmarc=pass header.from=example.org",
                                   "(only a comment)"])
def test_fields_without_authserv_id_are_ignored(value: str) -> None:
    assert authresults.parse(value) is None
    assert not dmarc_verified(parsed(value), TRUSTED)


def raw_mail(*fields: str, sender: str = "Sanne Jansen <sanne.jansen@example.org>") -> bytes:
    head = "".join(f"Authentication-Results: {f}\r\n" for f in fields)
    return (f"{head}From: {sender}\r\nTo: privacy@example.org\r\nSubject: Inzage\r\n"
            "Message-ID: <table-1@mail.example.org>\r\n\r\nStuur me mijn gegevens.\r\n"
            ).encode()


CUSTOMER, ATTACKER = "customer@example.org", "mallory@attacker.test"
ENCODED_PASS = "=?utf-8?q?mx.example.org=3B_dmarc=3Dpass_header.from=3Dexample.org?="


# Every way of forging a DMARC pass that issue 10 names, read from raw mail as it arrives.
@pytest.mark.parametrize(("fields", "sender", "expected"), [
    pytest.param([PASS], "Sanne Jansen <sanne.jansen@example.org>", True, id="plain-pass"),
    pytest.param(["mx.example.org; spf=pass smtp.mailfrom=attacker.test",
                  "mx.example.org; dmarc=pass header.from=example.org"], CUSTOMER, False,
                 id="topmost-trusted-has-no-dmarc-forged-pass-below"),
    pytest.param(["mx.example.org; dmarc=pass header.from=attacker.test",
                  "mx.example.org; dmarc=pass header.from=example.org"], CUSTOMER, False,
                 id="topmost-trusted-passes-another-domain-forged-pass-below"),
    pytest.param(["mx.example.org; dmarc=fail header.from=example.org",
                  "mx.example.org; dmarc=pass header.from=example.org"], CUSTOMER, False,
                 id="topmost-trusted-fails-forged-pass-below"),
    pytest.param(["mx.example.org; dmarc=pass header.from=example.org "
                  "dmarc=fail header.from=example.org"], CUSTOMER, False,
                 id="pass-and-fail-in-one-field"),
    pytest.param(["mx.example.org; dmarc=pass; dmarc=fail header.from=example.org"],
                 CUSTOMER, False, id="pass-without-header-from-beside-a-fail"),
    pytest.param(["mx.example.org; dmarc=pass"], CUSTOMER, False, id="no-header-from"),
    pytest.param(["mx.example.org; dmarc=none header.from=example.org"], CUSTOMER, False,
                 id="dmarc-none"),
    pytest.param(["mx.example.org; dmarc=temperror header.from=example.org"], CUSTOMER,
                 False, id="dmarc-temperror"),
    pytest.param(["mx.attacker.test; dmarc=pass header.from=example.org"], CUSTOMER, False,
                 id="untrusted-pass-only"),
    pytest.param([PASS], f"{CUSTOMER} <{ATTACKER}>", False,
                 id="display-name-holds-the-customer-pass-for-the-customer-domain"),
    pytest.param([PASS], f'"{CUSTOMER}" <{ATTACKER}>', False,
                 id="quoted-display-name-holds-the-customer"),
    pytest.param(["mx.example.org; dmarc=pass header.from=attacker.test"],
                 f"{CUSTOMER} <{ATTACKER}>", True,
                 id="display-name-trick-verifies-only-the-angle-bracket-address"),
    pytest.param([ENCODED_PASS], CUSTOMER, False, id="rfc2047-encoded-authserv-id-and-pass"),
    pytest.param([f"{ENCODED_PASS} (comment)"], CUSTOMER, False,
                 id="rfc2047-encoded-word-with-comment"),
    pytest.param(["=?utf-8?b?bXguZXhhbXBsZS5vcmc=?=; dmarc=pass header.from=example.org"],
                 CUSTOMER, False, id="rfc2047-base64-authserv-id"),
    pytest.param(["mx.example.org; dmarc=pass header.from==?utf-8?q?example.org?="],
                 CUSTOMER, False, id="rfc2047-encoded-header-from"),
    pytest.param([PASS], f"{CUSTOMER}, {ATTACKER}", False, id="two-from-addresses"),
    pytest.param([], CUSTOMER, False, id="no-field"),
])
def test_what_counts_as_a_dmarc_pass(fields: list[str], sender: str, expected: bool) -> None:
    mail = parse(raw_mail(*fields, sender=sender))
    assert isinstance(mail, ParsedMail)
    assert dmarc_verified(mail, TRUSTED) is expected


def test_the_from_address_is_the_one_in_angle_brackets() -> None:
    for sender in (f"{CUSTOMER} <{ATTACKER}>", f'"{CUSTOMER}" <{ATTACKER}>',
                   f"=?utf-8?q?customer=40example.org?= <{ATTACKER}>"):
        mail = parse(raw_mail(PASS, sender=sender))
        assert isinstance(mail, ParsedMail) and mail.sender is not None
        assert (mail.sender.addr, mail.sender.name_address) == (ATTACKER, CUSTOMER)
    plain = parse(raw_mail(PASS))
    assert isinstance(plain, ParsedMail) and plain.sender is not None
    assert plain.sender.name_address is None


def test_the_decoded_value_is_still_there_for_staff_but_never_trusted() -> None:
    mail = parse(raw_mail(ENCODED_PASS))
    assert isinstance(mail, ParsedMail)
    assert mail.headers["authentication-results"] == (
        "mx.example.org; dmarc=pass header.from=example.org",)
    assert mail.raw_headers["authentication-results"] == (ENCODED_PASS,)
    assert not dmarc_verified(mail, TRUSTED)
