"""The reply and forward prefixes of a subject: one list, for classify and the no-reply rules."""

from __future__ import annotations

import pytest
from test_classify_support import mail
from test_noreply_rules import OWN, make

from mailbot.classify.document import prepare
from mailbot.parse.noreply import Context
from mailbot.parse.subject import FORWARD, PREFIX_RUN, REPLY_OR_FORWARD


@pytest.mark.parametrize("subject", [
    "Re: x", "RE : x", "Aw: x", "Antw: x", "Antwoord: x", "SV: x", "VS: x", "R: x", "Rif: x",
    "Ref: x", "Réf: x", "RÉF : x", "Odp: x", "Vá: x", "VÁ: x", "Re[2]: x", "AW(3): x",
    "Fwd: x", "FW: x", "WG: x", "TR: x", "Doorst: x", "Doorsturen: x", "RV: x", "Enc: x",
    "Fwd[2]: x",
])
def test_every_prefix_is_a_reply_or_forward(subject: str) -> None:
    assert REPLY_OR_FORWARD.match(subject)
    found = PREFIX_RUN.match(subject)
    assert found is not None
    assert subject[found.end():] == "x"


@pytest.mark.parametrize("subject", ["Fwd: x", "fw: x", "WG: x", "TR: x", "Doorst: x",
                                     "Doorsturen: x", "RV: x", "Enc: x", "Fwd(2): x"])
def test_forward_prefixes(subject: str) -> None:
    assert FORWARD.match(subject)


@pytest.mark.parametrize("subject", ["Re: x", "Antwoord: x", "R: x", "Odp: x", "Vá: x",
                                     "Re: Fwd: x"])
def test_a_reply_is_no_forward(subject: str) -> None:
    assert FORWARD.match(subject) is None


@pytest.mark.parametrize("subject", [
    "Reply needed", "Ref 12345: x", "Rvb: x", "Encrypted: x", "Tra: x", "Revoke consent",
    "Question: Re x",
])
def test_words_that_only_begin_like_a_prefix_are_none(subject: str) -> None:
    assert REPLY_OR_FORWARD.match(subject) is None
    assert PREFIX_RUN.match(subject) is None


def test_the_whole_run_of_prefixes_is_stripped() -> None:
    subject = "  Re: Fwd: AW[2]: RV: Enc: Verwijder mijn account"
    found = PREFIX_RUN.match(subject)
    assert found is not None
    assert subject[found.end():] == "Verwijder mijn account"


@pytest.mark.parametrize("subject", ["RV: Afmelden", "Enc: Afmelden", "Doorsturen: Afmelden",
                                     "Odp(2): Afmelden"])
def test_classify_reads_these_subjects_as_replies(subject: str) -> None:
    doc = prepare(mail("Graag.", subject), client_contact=False)
    assert doc.is_reply
    assert doc.subject == "afmelden"


@pytest.mark.parametrize(("subject", "replied", "forwarded"), [
    ("Antwoord: My data", True, False),
    ("R: My data", True, False),
    ("Rif: My data", True, False),
    ("Réf: My data", True, False),
    ("Odp: My data", True, False),
    ("Vá: My data", True, False),
    ("Re(2): My data", True, False),
    ("Doorsturen: My data", True, True),
    ("My data", False, False),
])
def test_the_no_reply_context_uses_the_same_prefixes(subject: str, replied: bool,
                                                     forwarded: bool) -> None:
    ctx = Context(make(subject=subject), OWN, "X-Mailbot-Loop")
    assert ctx.replied_or_forwarded is replied
    assert ctx.forwarded is forwarded
