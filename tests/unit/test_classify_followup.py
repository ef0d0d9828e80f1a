"""Linking a mail to the open request it follows up."""

from __future__ import annotations

from test_classify_support import mail

from mailbot.classify import classify
from mailbot.classify.followup import OpenRequest, find_follow_up
from mailbot.domain.kinds import RequestKind

OPEN = OpenRequest(7, "MB-2026-00007", RequestKind.ACCESS,
                   frozenset({"<ack-7@privacy.example.test>"}))


def follow(body: str, subject: str = "", **kw: object) -> object:
    m = mail(body, subject, **kw)  # type: ignore[arg-type]
    return find_follow_up(m, classify(m), [OPEN])


def test_our_reference_in_the_subject() -> None:
    found = follow("Hoe staat het hiermee?", "Re: Ontvangstbevestiging [MB-2026-00007]")
    assert found is not None and found.request_id == 7 and found.new_kinds == ()


def test_an_answer_to_our_mail() -> None:
    found = follow("Any news?", "Your request", in_reply_to="<ack-7@privacy.example.test>")
    assert found is not None and found.reason == "answers a mail about it"


def test_a_chase_in_words_when_one_request_is_open() -> None:
    for text in ("Ik heb nog steeds geen antwoord op mijn verzoek.",
                 "I still have no answer to my request.",
                 "Ich habe noch keine Antwort erhalten.",
                 "Je n'ai toujours pas de réponse à ma demande."):
        assert follow(text) is not None, text


def test_a_chase_with_two_open_requests_links_neither() -> None:
    other = OpenRequest(8, "MB-2026-00008", RequestKind.ERASURE)
    m = mail("Nog steeds geen antwoord.")
    assert find_follow_up(m, classify(m), [OPEN, other]) is None


def test_a_new_kind_in_a_follow_up_is_a_new_request() -> None:
    found = follow("Over MB-2026-00007: verwijder daarna ook mijn account.")
    assert found is not None and found.new_kinds == (RequestKind.ERASURE,)


def test_no_open_request_no_follow_up() -> None:
    m = mail("Nog steeds geen antwoord.")
    assert find_follow_up(m, classify(m), []) is None
