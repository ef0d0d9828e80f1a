"""Round eighteen of issue 13, from probes in the style of formal and long mail: a writer who
wants to know first and decide after still asks to know; a guardian, a parent with parental
authority or a legal representative acts for someone else, and a person checks that first."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, acted, mail

from mailbot.classify import classify
from mailbot.classify.classifier import needs_triage, triage_reasons, wording
from mailbot.domain.kinds import RequestKind


@pytest.mark.parametrize("body", [
    "Voordat ik beslis wat ik ermee doe, wil ik eerst weten welke gegevens jullie van mij "
    "hebben vastgelegd.",
    "Before I decide whether to close my account, I would like to know what data you hold "
    "about me.",
    "Avant de décider, je voudrais savoir quelles données vous détenez sur moi.",
])
def test_knowing_first_and_deciding_after_still_asks_to_know(body: str) -> None:
    assert A in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "Ik overweeg om inzage te vragen in wat jullie over mij hebben vastgelegd, maar ik heb "
    "het nog niet besloten.",
    "I was going to ask for a copy of my data, but I found the download button.",
    "Before I decide, how long does an access request usually take?",
])
def test_an_undecided_writer_still_asks_nothing(body: str) -> None:
    assert A not in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "I write as the legal guardian of my son Tim (12). Please delete all data you hold about "
    "him, including his account.",
    "Ik ben de voogd van Lisa (14). Verwijder alstublieft al haar gegevens.",
    "Ich bin für meine Tochter (13) sorgeberechtigt. Bitte löschen Sie alle ihre Daten.",
    "En tant que titulaire de l'autorité parentale, je vous demande de supprimer les données "
    "de ma fille.",
])
def test_a_guardian_acts_for_someone_else(body: str) -> None:
    verdict = classify(mail(body, "Verzoek"))
    assert E in verdict.kinds
    assert not acted(body, "Verzoek")
    assert any("someone else" in reason for reason in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "Your request has been received. Please do not reply to this email.",
    "Gelieve niet te antwoorden op deze e-mail.",
    "U kunt hier niet op antwoorden.",
    "Bitte antworten Sie nicht auf diese E-Mail.",
    "Merci de ne pas répondre à cet e-mail.",
])
def test_do_not_reply_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body, "Re: uw verzoek")).kinds


@pytest.mark.parametrize("body", [
    "Please do not reply to this email, just remove me from the list.",
    "Niet op deze mail reageren, haal me gewoon van de verzendlijst.",
    "Please don't email me again.",
])
def test_an_opt_out_beside_do_not_reply_still_asks(body: str) -> None:
    assert U in classify(mail(body, "Re")).kinds


@pytest.mark.parametrize(("body", "kind"), [
    ("Graag geen post meer voor mijn zoon, hij woont hier niet meer.", U),
    ("Please stop sending my mother your newsletters, she is 89 and finds them confusing.", U),
    ("Mijn moeder wil geen nieuwsbrief meer ontvangen.", U),
    ("Merci de ne plus envoyer de publicité à ma fille.", U),
    ("Kunt u mij sturen welke gegevens u van mijn vader heeft?", A),
])
def test_an_opt_out_or_a_copy_for_a_relative_is_theirs_and_waits(body: str, kind: object) -> None:
    verdict = classify(mail(body, "Verzoek"))
    assert kind in verdict.kinds
    assert any("someone else" in reason for reason in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "Ik ben getrouwd en heet voortaan De Boer, de achternaam van mijn man. Wilt u mijn naam "
    "aanpassen?",
    "Please remove me as my brother's emergency contact and delete my phone number.",
])
def test_a_relative_named_beside_the_writers_own_request_holds_nothing(body: str) -> None:
    verdict = classify(mail(body, "Verzoek"))
    assert not any("someone else" in reason for reason in triage_reasons(verdict))


def test_the_ex_partner_is_still_someone_else() -> None:
    verdict = classify(mail("Mijn ex-partner wil geen nieuwsbrief meer, haal haar eraf.",
                            "Nieuwsbrief"))
    assert U not in acted("Mijn ex-partner wil geen nieuwsbrief meer, haal haar eraf.")
    assert needs_triage(verdict)


def test_a_bulgarian_mail_is_bulgarian_though_folding_spells_it_in_latin_letters() -> None:
    body = "\n".join(("Уважаеми господа,", "моля да изтриете личните ми данни.",
                      "С уважение,", "Иван Петров"))  # noqa: RUF001
    verdict = classify(mail(body, "Искане"))
    assert verdict.language == "bg"


@pytest.mark.parametrize("body", [
    "PrivacyFlow automatiseert het hele proces: identiteitscontrole, zoeken en verwijderen "
    "volgens uw bewaarbeleid. Klanten zoals een landelijke fietsketen gingen van vier uur naar "
    "twintig minuten per inzageverzoek. Zullen we volgende week een demo inplannen?",
    "Our tool automates the whole process for access requests. Customers like a national bike "
    "chain went from four hours to twenty minutes per DSAR.",
])
def test_a_vendors_claims_make_an_offer_of_services(body: str) -> None:
    verdict = classify(mail(body, "DSAR's"))
    assert verdict.kinds == (RequestKind.OTHER,)


@pytest.mark.parametrize("body", [
    "Ik krijg elke week een mail met puntenacties en elk kwartaal het magazine. Ik wil beide "
    "niet meer ontvangen.",
    "Ik krijg de nieuwsbrief en de sms-acties. Ik wil ze allebei niet meer ontvangen.",
    "Sie schicken mir Newsletter und Werbebriefe. Beides möchte ich nicht mehr erhalten.",
])
def test_both_refers_to_the_mailings_named_before(body: str) -> None:
    assert U in classify(mail(body, "Post")).kinds


@pytest.mark.parametrize("body", [
    "Do you delete my data if I ask?",
    "Verwijderen jullie mijn gegevens als ik daarom vraag?",
    "Löschen Sie meine Daten, wenn ich darum bitte?",
    "Supprimez-vous mes données si je le demande ?",
    "Would you delete my account if I cancelled my lease?",
])
def test_a_question_what_would_follow_if_the_writer_asked_asks_nothing(body: str) -> None:
    assert E not in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "Could you delete my data if I send you a copy of my ID?",
    "Would you please delete my account?",
    "Ik vraag u hierbij mijn gegevens te verwijderen.",
])
def test_a_plea_with_a_condition_still_asks(body: str) -> None:
    assert E in acted(body, "Verzoek")


def test_swedish_please_pleads() -> None:
    assert E in acted("Hej, snälla radera mitt konto och alla mina uppgifter. Tack, Anna",
                      "Radera")


@pytest.mark.parametrize("body", [
    "Ich möchte derzeit weder Auskunft noch Löschung beantragen, sondern einfach verstehen, wo "
    "meine Daten liegen.",
    "I want neither a copy of my data nor its deletion, I just want to understand where it is "
    "stored.",
    "Je ne demande ni l'accès ni la suppression de mes données, je veux seulement comprendre où "
    "elles sont stockées.",
])
def test_neither_nor_negates_both(body: str) -> None:
    verdict = classify(mail(body, "Vraag"))
    assert not {A, E} & set(verdict.kinds)


@pytest.mark.parametrize("body", [
    "Ich möchte weder Newsletter noch Anrufe mehr bekommen.",
    "I want neither newsletters nor calls from you anymore.",
    "Je ne veux plus ni newsletter ni appels.",
])
def test_neither_nor_of_mailings_opts_out_of_both(body: str) -> None:
    assert U in classify(mail(body, "Werbung")).kinds


def test_time_that_passed_shares_nothing() -> None:
    body = ("I asked for a copy of my data a month ago. That period has now passed and I have "
            "received neither the data nor any explanation.")
    assert U not in classify(mail(body, "Second request")).kinds
    assert U in classify(mail("Please do not pass my data to third parties.", "Data")).kinds


@pytest.mark.parametrize(("body", "kinds"), [
    ("I am the carer for my brother Sam. Sam has a new mobile number, please replace the old "
     "number on his account with 07700 900286. Please stop sending him promotional text "
     "messages.", {C, U}),
    ("Je suis l'aidante de ma mère. À sa demande, je vous prie de remplacer son ancienne "
     "adresse par celle de la résidence.", {C}),
    ("Je suis chargé du règlement de la succession de M. Caron. Je vous prie de clôturer son "
     "compte et de cesser tout envoi publicitaire au nom du défunt.", {E, U}),
    ("We act for Mr Okonkwo. On his behalf we request that you erase all personal data you "
     "hold about him and cease all direct marketing to him.", {E, U}),
])
def test_a_representatives_requests_for_the_one_they_act_for_keep_their_kinds(
        body: str, kinds: set[object]) -> None:
    verdict = classify(mail(body, "Verzoek"))
    assert kinds <= set(verdict.kinds)
    assert any("someone else" in reason for reason in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "Als executeur van de nalatenschap van mijn oom, overleden op 3 maart, verzoek ik u zijn "
    "gegevens te verwijderen.",
    "As executor of the estate of the late Mr Grey, I ask you to delete his data.",
    "Als Testamentsvollstrecker von Herrn Maier, verstorben am 2. Mai, bitte ich Sie, seine "
    "Daten zu löschen.",
    "Je suis chargé du règlement de la succession de M. Caron, décédé le 15 février. Je vous "
    "prie d'effacer ses données.",
])
def test_a_death_told_after_a_name_holds_the_mail(body: str) -> None:
    verdict = classify(mail(body, "Verzoek"))
    assert E in verdict.kinds
    assert any("someone who died" in reason for reason in triage_reasons(verdict))


def test_a_body_that_goes_on_from_its_subject_reads_the_subject_as_asked() -> None:
    verdict = classify(mail("...and while you're at it, please delete my mobile number from "
                            "my account altogether.", "Please stop the texts"))
    assert {E, U} <= set(verdict.kinds)


@pytest.mark.parametrize("body", [
    "Graag afmelden voor de nieuwsbrief. En als jullie toch bezig zijn: ik stond op de "
    "wachtlijst voor een laadpaal, maar die aanmelding mag helemaal weg.",
    "Bitte keine Newsletter mehr. Und wenn Sie schon dabei sind: die alte Anmeldung zum "
    "Probefahrttag kann auch weg.",
])
def test_a_second_request_not_understood_holds_the_first(body: str) -> None:
    assert not acted(body, "Afmelden")


@pytest.mark.parametrize("body", [
    "Graag geen nieuwsbrief meer.",
    "Keine Werbung mehr bitte.",
    "Plus de publicité svp.",
])
def test_no_more_of_a_marketing_mailing_is_a_class_of_its_own(body: str) -> None:
    verdict = classify(mail(body, "Re"))
    [request] = [r for r in verdict.requests if r.kind is U]
    assert wording(request) == "unsubscribe_clause/nomore+mailing"


@pytest.mark.parametrize("body", [
    "No more of those texts now please, it's paid.",
    "Ik lees mijn mail op dat adres niet meer, gebruik voortaan k.jansen@example.org.",
])
def test_no_more_of_a_neutral_channel_is_not_that_class(body: str) -> None:
    verdict = classify(mail(body, "Re"))
    assert all(wording(r) != "unsubscribe_clause/nomore+mailing" for r in verdict.requests)


@pytest.mark.parametrize("body", [
    "Please delete the data of my partner, she no longer lives here.",
    "Verwijder alstublieft de gegevens van mijn moeder.",
])
def test_an_erasure_of_a_relatives_data_waits_for_the_authority(body: str) -> None:
    verdict = classify(mail(body, "Verzoek"))
    assert E not in acted(body, "Verzoek")
    assert needs_triage(verdict)


def test_a_parents_erasure_of_a_childs_data_goes_on() -> None:
    assert E in acted("Mijn zoon (12) deed mee aan jullie quiz. Verwijder alstublieft al "
                      "zijn gegevens.", "Quiz")


@pytest.mark.parametrize("body", [
    "Ik krijg steeds post voor de vorige bewoner, mevrouw Jansen. Zij woont hier al een jaar "
    "niet meer. Kunnen jullie dat adres aanpassen?",
    "I keep getting letters for the previous occupant, John Smith. He moved out last year. "
    "Can you update that address?",
])
def test_post_for_a_previous_occupant_waits_for_a_person(body: str) -> None:
    assert not acted(body, "Post")


@pytest.mark.parametrize("body", [
    "Je ne souhaite plus recevoir vos invitations à des ateliers beauté ni vos enquêtes de "
    "satisfaction après chaque commande.",
    "Ik wil geen uitnodigingen voor jullie workshops meer ontvangen.",
    "Please stop sending me invitations to your workshops and surveys after every order.",
    "Bitte schicken Sie mir keine Einladungen zu Ihren Kursen mehr.",
])
def test_an_invitation_to_a_workshop_or_a_survey_after_an_order_is_a_mailing(body: str) -> None:
    assert U in classify(mail(body, "Invitations")).kinds


@pytest.mark.parametrize("body", [
    "Please stop sending me paper invoices.",
    "Ik wil geen herinneringen meer over mijn bestelling.",
])
def test_an_order_or_invoice_without_an_invitation_is_still_a_transaction(body: str) -> None:
    assert U not in acted(body, "Post")
