"""Issue 13, round seven: the classes of wrong automatic actions that 200 mails written
blind showed (someone else's new address, a withdrawal by "I found the link", an erasure
from marketing files only, a question about data in general, "I no longer receive it",
a wish to keep receiving is kept), each as a rule that holds whatever the wording."""

from __future__ import annotations

import pytest
from test_classify_support import acted, mail

from mailbot.classify import classify, needs_triage, triage_reasons
from mailbot.domain.kinds import RequestKind
from mailbot.handle.extract.purposes import Purpose, find_purposes

A = RequestKind.ACCESS
C = RequestKind.CORRECTION
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE


@pytest.mark.parametrize("body", [
    "Mijn ex-man is verhuisd zonder zijn nieuwe adres door te geven. Kunnen jullie mij "
    "vertellen welk adres hij bij jullie heeft opgegeven?",
    "Letters keep arriving for the previous tenant. Can you tell me what his new address "
    "is, so I can forward his post?",
    "Mein ehemaliger Mieter ist ausgezogen. Können Sie mir seine neue Anschrift mitteilen?",
    "Mon ancien locataire est parti. Pouvez-vous me donner sa nouvelle adresse ?",
])
def test_someone_elses_new_address_is_no_correction(body: str) -> None:
    verdict = classify(mail(body))
    assert C not in verdict.kinds
    assert needs_triage(verdict)


@pytest.mark.parametrize(("body", "kind"), [
    ("Mijn dochter is 14. Wilt u haar gegevens en haar account verwijderen?", E),
    ("Bitte löschen Sie meine Daten aus Ihren Systemen. Einer Ihrer Mitarbeiter hatte meine "
     "Visitenkarte.", E),
    ("Ik ben verhuisd. Mijn nieuwe adres is Dorpsstraat 12, 1234 AB Ergens. Graag aanpassen.",
     C),
])
def test_the_writers_own_and_their_childs_data_still_go(body: str, kind: RequestKind) -> None:
    assert kind in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Bonjour, je voudrais me désabonner de\n\nAh, en fait c'est bon, j'ai trouvé le lien en "
    "bas du mail et ça a marché. Désolé !",
    "Please unsubscribe me from the newsletter. Oh wait, I found the unsubscribe link, "
    "all sorted now.",
    "Bitte tragen Sie mich aus dem Newsletter aus. Ah, hab den Link doch gefunden, hat "
    "geklappt.",
    "Graag afmelden voor de nieuwsbrief. Oh, de link toch gevonden, het is gelukt.",
])
def test_a_withdrawal_by_having_found_the_link_holds_the_mail(body: str) -> None:
    verdict = classify(mail(body))
    assert U not in acted(body)
    assert any("withdrawn" in r for r in triage_reasons(verdict))


def test_an_erasure_from_marketing_files_only_is_an_opt_out() -> None:
    verdict = classify(mail("Je m'oppose au démarchage. Merci de supprimer mon numéro de vos "
                            "fichiers de prospection."))
    assert set(verdict.kinds) == {U}


def test_an_erasure_from_the_crm_as_well_stays_an_erasure() -> None:
    verdict = classify(mail("Je vous demande de supprimer mes coordonnées de votre fichier de "
                            "prospection et de votre CRM."))
    assert E in verdict.kinds


@pytest.mark.parametrize("body", [
    "Ich überlege, einen Smart Meter einbauen zu lassen. Wer hat dann Zugriff auf die "
    "Verbrauchsdaten, und wie oft werden sie ausgelesen?",
    "We are thinking of installing a smart meter. Who has access to the meter data then?",
])
def test_a_question_about_data_in_general_waits_for_a_person(body: str) -> None:
    assert A not in acted(body)


@pytest.mark.parametrize("body", [
    "Hallo, ik ontvang jullie nieuwsbrief sinds maart niet meer. Kunnen jullie kijken?",
    "Hi, I no longer receive your newsletter since March. Could you check what went wrong?",
    "Hallo, ich bekomme Ihren Newsletter seit März nicht mehr. Können Sie nachsehen?",
    "Bonjour, je ne reçois plus votre newsletter depuis mars. Pouvez-vous vérifier ?",
    "Why don't I get your emails anymore?",
])
def test_mail_that_no_longer_arrives_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik wil jullie nieuwsbrief niet meer ontvangen.",
    "I don't want to receive your newsletter anymore.",
    "Ich möchte Ihren Newsletter nicht mehr erhalten.",
    "Je ne souhaite plus recevoir votre newsletter.",
    "Ik ontvang liever geen mails meer van jullie.",
])
def test_not_wanting_to_receive_is_still_an_opt_out(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Stop met bellen alsjeblieft. De nieuwsbrief wil ik wel blijven ontvangen.",
    "Bitte keine Anrufe mehr. Den Newsletter möchte ich weiterhin erhalten.",
])
def test_a_wish_to_keep_receiving_is_kept_by_the_opt_out(body: str) -> None:
    """Not a hold: the opt-out's purposes leave out what the person still wants."""
    assert U in classify(mail(body)).kinds
    found = find_purposes(body)
    assert Purpose.SALES_CALLS in found.purposes
    assert Purpose.CONTENT_MAILINGS in found.kept


@pytest.mark.parametrize(("body", "kind"), [
    ("Le 3 février dernier, je vous ai adressé une demande d'accès à mes données "
     "personnelles. Je n'ai reçu aucune réponse. Merci de donner suite à ma demande.", A),
    ("Op 3 februari heb ik u een verzoek gestuurd om mijn gegevens te verwijderen. Ik heb "
     "nog steeds niets gehoord.", E),
])
def test_a_chase_records_the_kind_it_chases_and_waits(body: str, kind: RequestKind) -> None:
    verdict = classify(mail(body))
    assert kind in verdict.kinds
    assert needs_triage(verdict)
