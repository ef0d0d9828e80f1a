"""Round twenty of issue 13: mail written in one language that borrows the object of its
request from another ("Please stop sending me de nieuwsbrief", "une copie de mes gegevens").
A sentence keeps its own grammar (verbs, negations, pronouns); a noun of nl, en, de or fr
that its language has no word for is read as what it means in the language that lends it
(``lexicons/guests.tsv``). Controls: the same nouns in mails that ask nothing, and words
that look borrowed but are the language's own ("abonnement", "portable")."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, acted, mail

from mailbot.classify import classify, needs_triage
from mailbot.classify.clauses import GUEST_CONCEPTS, GUESTS_OF, clause_lexicon, tagged
from mailbot.domain.kinds import RequestKind

# Long enough (40 words and more) that each mail is read in its own language (and English)
# only, as most mail is.
MIXED = [
    ("Hoi,\n\nSorry, mijn Nederlands is niet zo goed, I moved here last year from Leeds. "
     "Every week I get jullie nieuwsbrief and I never signed up for it, I think it came with "
     "the contract. Please stop sending me de nieuwsbrief. The contract itself is fine, I am "
     "happy with it.\n\nDank je wel!\nSophie Carter", {U}),
    ("Dear team,\n\nMy Dutch is still basic, so I write in English. I have been a customer "
     "since 2021 and I got several letters I did not understand. Could you please send me a "
     "kopie of all the gegevens you have about me? I would like to check what is stored."
     "\n\nKind regards,\nAmy Walsh", {A}),
    ("Hi there,\n\nI am writing in English because my Dutch is not good enough for this. When "
     "I signed up, someone typed my achternaam wrong, and since then all letters and the app "
     "use it. My achternaam should be Oyelaran, not Oyelaren. Please correct it in your "
     "records.\n\nBest, Kemi", {C}),
    ("Bonjour,\n\nJe suis cliente depuis trois ans et je suis contente du service. Par contre "
     "je reçois chaque semaine votre nieuwsbrief en néerlandais, que je ne lis pas, je ne "
     "parle pas la langue. Merci de ne plus m'envoyer la nieuwsbrief. Le reste peut continuer "
     "comme avant.\n\nCordialement,\nClaire Dubois", {U}),
]


@pytest.mark.parametrize(("body", "kinds"), MIXED)
def test_a_request_whose_object_is_borrowed_from_another_language(
        body: str, kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body)).kinds) == kinds


@pytest.mark.parametrize("body", [
    "Hello,\n\nI just wanted to say that I read jullie nieuwsbrief every week and I really "
    "like the tips about saving energy, especially the one about the heat pump settings last "
    "month. My neighbours read it too. Keep up the good work, and thank you for the clear "
    "explanations.\n\nBest, Tom",
    "Hoe kan mijn dochter zelf inzage vragen? Ik vraag het voor haar, zij wil het straks zelf "
    "regelen. Kan dat op die leeftijd zonder mij, of moet ik als ouder meetekenen? En hoe zou "
    "ze dat dan moeten doen, gewoon mailen naar dit adres of via de app?",
    "Presseanfrage: Auskunftsersuchen in der Energiewirtschaft. Könnten Sie mir sagen, wie "
    "viele Anfragen Sie 2025 erhalten haben und wie lange die Bearbeitung im Schnitt dauert? "
    "Redaktionsschluss ist der 2. Oktober, für die November-Ausgabe unserer Fachzeitschrift.",
])
def test_a_borrowed_noun_in_a_mail_that_asks_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


def test_a_sentence_in_another_language_borrows_nothing() -> None:
    """Read as English, a Dutch sentence does not take its Dutch nouns: it shows no English
    of its own ("Hoe kan mijn dochter zelf inzage vragen")."""
    spans = [s.concept for *_, sp in tagged("hoe kan mijn dochter zelf inzage vragen", "en")
             for s in sp]
    assert "access" not in spans and "access_noun" not in spans
    spans = [s.concept for *_, sp in tagged("please send me the inzage of my file", "en")
             for s in sp]
    assert "access_noun" in spans or "access" in spans


@pytest.mark.parametrize(("language", "word"), [
    ("nl", "abonnement"),  # Dutch: a subscription to a service, not an account
    ("en", "portable"),  # English: carried about, not a mobile phone (French)
    ("nl", "appel"),  # Dutch: an apple, not a call (French)
])
def test_a_word_of_the_language_itself_is_never_borrowed(language: str, word: str) -> None:
    lexicon = clause_lexicon(language)
    assert lexicon is not None and word not in lexicon.guests


def test_borrowed_nouns_are_the_lenders_nouns() -> None:
    """Each borrowed noun is listed, with the same concept, by one other of the four
    languages, and its own language's lexicon does not list it."""
    for language in GUESTS_OF:
        lexicon = clause_lexicon(language)
        assert lexicon is not None and lexicon.guests
        for word, entries in lexicon.guests.items():
            assert not lexicon.entries(word), (language, word)
            for entry in entries:
                assert entry.concept in GUEST_CONCEPTS
                lenders = [o for o in GUESTS_OF if o != language
                           and any(e.concept == entry.concept
                                   for e in clause_lexicon(o).entries(word))]
                assert len(lenders) == 1, (language, word, entry.concept)


def test_the_mixed_newsletter_mail_is_acted_on_when_short_too() -> None:
    assert acted("Hi, please stop sending me de nieuwsbrief. Thanks!") == {U}
    assert E in classify(mail("Please delete all my gegevens from your system. Thank you."
                              )).kinds


@pytest.mark.parametrize(("body", "kind"), [
    ("Mijn vader is in november overleden. Er komen nog steeds reclamebrieven op zijn naam. "
     "Wilt u ervoor zorgen dat er geen reclame meer naar hem wordt gestuurd?", U),
    ("My father passed away in March. Offers addressed to him keep arriving. Please stop all "
     "marketing in his name.", U),
    ("Mein Vater ist im Oktober verstorben. Trotzdem kommen weiter Werbebriefe an ihn. Bitte "
     "stellen Sie jede Werbung an ihn ein.", U),
    ("Mon mari est décédé en août. Je reçois toujours des publicités à son nom. Je vous demande "
     "d'arrêter tout envoi publicitaire à son nom.", U),
    ("My husband died last year. His account is still open. Please delete his account and "
     "all the data you hold on him.", E),
])
def test_a_request_for_a_relative_named_before_keeps_its_kind_and_waits(
        body: str, kind: RequestKind) -> None:
    """The relative is named in a sentence before the request that speaks of "him", "her":
    the request is theirs, made by the writer. Its kind is recorded, and a person checks
    the authority before anything is done."""
    verdict = classify(mail(body))
    assert kind in verdict.kinds
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Our neighbour passed away in March. Offers addressed to him keep arriving at his old "
    "house. Please stop all marketing in his name.",
    "Mein Nachbar ist verstorben. Bitte stellen Sie jede Werbung an ihn ein.",
])
def test_a_request_for_someone_not_the_writers_relative_is_still_set_aside(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Bitte löschen Sie die Fotos mit meinem Kennzeichen.",
    "Bitte löschen Sie alle Fotos, die ich dafür hochgeladen habe.",
    "Please remove that photo from the brochure and delete any other pictures of my house.",
    "Ik wil graag dat die loonstroken en dat afschrift nu bij jullie verwijderd worden.",
    "Merci de supprimer les photos de ma maison que votre technicien a prises.",
    "Please delete the call recording of my conversation with your agent last week.",
    "Ich verlange, dass Sie dieses Video löschen.",
])
def test_a_document_of_the_writers_to_erase(body: str) -> None:
    """A photo, a video, payslips or a recording of the writer's asked to be erased."""
    assert set(classify(mail(body)).kinds) == {E}


@pytest.mark.parametrize("body", [
    "Ik kan de foto in de app niet verwijderen, hoe doe ik dat?",
    "Bitte löschen Sie nicht die Fotos, die brauche ich noch für die Versicherung.",
    "De foto's van de meterkast heb ik zelf al verwijderd uit de app.",
    "Can I delete the photos from my own account page myself?",
    "I uploaded the photos of the meter cupboard in the app, can you check if they arrived?",
    # an attachment sent by mistake is not named as a document of the writer's
    "In mijn vorige mail zat de foto van de meter niet, maar de menukaart van ons buurtfeest. "
    "U mag die bijlage gewoon verwijderen.",
])
def test_a_document_named_without_asking_to_erase_it(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Jullie hebben mijn gegevens verwijderd, kunnen jullie die terugzetten?",
    "The app deleted my data, can you restore it?",
    "The app deleted my photos, can you restore them?",
    "Sie haben meine Daten gelöscht, können Sie die bitte wiederherstellen?",
    "Vous avez supprimé mes données par erreur, pouvez-vous les récupérer ?",
])
def test_asking_to_restore_what_was_erased_is_no_erasure(body: str) -> None:
    """Before, "Jullie hebben mijn gegevens verwijderd, kunnen jullie die terugzetten?" was
    an erasure acted on at once: the question read as asking for the erasure it told of."""
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Omdat ik mijn fiets wil verkopen zou ik graag een overzicht krijgen van alle gegevens "
    "die u over mij heeft.",
    "En omdat ik mijn fiets wil verkopen zou ik graag een overzicht krijgen van alle "
    "gegevens die u over mij heeft.",
    "Weil ich mein Rad verkaufen will hätte ich gern eine Übersicht aller Daten, die Sie über "
    "mich haben.",
])
def test_a_wish_after_a_clause_of_reasons_without_a_comma(body: str) -> None:
    """Dutch and German put the main clause's verb, then its subject, right after a clause of
    reasons that comes first ("... verkopen zou ik graag"): the wish there is the writer's."""
    assert set(classify(mail(body)).kinds) == {A}


@pytest.mark.parametrize("body", [
    "Omdat ik graag een overzicht wil hebben van mijn verbruik, kijk ik in de app.",
    "Weil ich gern eine Übersicht meiner Daten hätte, schaue ich in die App.",
])
def test_a_wish_inside_the_clause_of_reasons_still_asks_nothing(body: str) -> None:
    assert A not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "I signed up for a test ride in June. Since then I get follow-up mails about offers. "
    "Please stop those and delete my registration and details from the test ride.",
    "Sinds de proefrit krijg ik steeds mails met aanbiedingen. Stop daarmee en verwijder mijn "
    "gegevens van de proefrit.",
    "Seitdem bekomme ich ständig Werbemails. Bitte stoppen Sie das und löschen Sie meine "
    "Daten.",
])
def test_an_anaphor_ending_the_first_of_two_requests(body: str) -> None:
    """"Stop those and delete my details": the first request's object is what the sentences
    before named; both are asked, neither is dropped."""
    assert set(classify(mail(body)).kinds) == {E, U}


def test_a_first_clause_that_names_its_own_object_borrows_none() -> None:
    body = ("Vor zwei Jahren habe ich unter Ihrem Blogartikel über Newsletter einen Kommentar "
            "geschrieben. Bitte löschen Sie den Kommentar und mein Benutzerkonto mit allen "
            "Daten.")
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Als Verantwortliche erteilen wir Ihnen hiermit folgende Weisungen:\n\n1. Verarbeitung der "
    "Antragsdaten unserer Beschäftigten ausschließlich zur Durchführung des Leasings.\n2. "
    "Löschung der Daten ausgeschiedener Beschäftigter nach drei Monaten.\n3. Keine "
    "Übermittlung in Drittländer.\n\nBitte bestätigen Sie den Eingang.",
    "Wij geven u de volgende instructie: verwijder de gegevens van vertrokken personeelsleden "
    "na drie maanden.",
])
def test_an_instruction_about_a_companys_employees_is_no_erasure_of_the_writers(
        body: str) -> None:
    """Employees' data, named in any form ("Beschäftigter", "personeelsleden"), is a company's
    people's, not the writer's own: from anyone but a registered client it waits."""
    assert E not in classify(mail(body)).kinds


R = RequestKind.REGISTER_INSTRUCTION


@pytest.mark.parametrize(("subject", "body"), [
    ("AW: Vorschlag Löschfristen Dienstrad-Leasing",
     "Sehr geehrte Frau Dijkstra,\n\neinverstanden, bitte setzen Sie den Vorschlag so um. "
     "Ergänzend: Die Kopien der Personalausweise, die bei Antragstellung hochgeladen wurden, "
     "löschen Sie bitte bereits nach der Freigabe des Antrags.\n\nMit freundlichen Grüßen\n"
     "Markus Keller"),
    ("Re: Voorstel bewaartermijnen Fietsplan",
     "Beste Sanne,\n\nAkkoord met jullie voorstel. Aanvulling: de kopieën van de id-bewijzen "
     "graag direct na goedkeuring van de aanvraag verwijderen.\n\nGroet,\nJolien"),
])
def test_a_client_contacts_agreement_with_an_addition_is_one_instruction(
        subject: str, body: str) -> None:
    """What the client adds to our proposal (deleting its people's ID copies sooner) is part
    of the instruction, not an erasure of the writer's data; the instruction is kept for a
    person even where the second opinion doubts it."""
    verdict = classify(mail(body, subject), client_contact=True)
    assert set(verdict.kinds) == {R}
    assert needs_triage(verdict)


def test_a_client_contacts_own_request_beside_an_agreement_stays() -> None:
    body = ("Beste Sanne,\n\nAkkoord met jullie voorstel. Los daarvan: wil je mij persoonlijk "
            "afmelden voor jullie nieuwsbrief?\n\nGroet,\nJolien")
    verdict = classify(mail(body, "Re: Voorstel bewaartermijnen Fietsplan"),
                       client_contact=True)
    assert set(verdict.kinds) == {R, U}


@pytest.mark.parametrize(("subject", "body"), [
    ("afmelden nieuwsbrief", "hoi, ik heb me vorige week via de app afgemeld voor de Trapper "
     "maar kreeg er gisteren toch nog een. vandaag niet meer dus ik denk dat het nu wel gelukt "
     "is. wilde het alleen even laten weten, verder niks\n\nsanne"),
    ("FYI account deleted", "Hi,\n\nJust so you know, I've deleted my account through the app "
     "settings. The in-app delete button was hard to find. Nothing else needed from you.\n\n"
     "Ben"),
])
def test_a_writer_who_only_lets_us_know_asks_nothing(subject: str, body: str) -> None:
    verdict = classify(mail(body, subject))
    assert set(verdict.kinds) == {RequestKind.OTHER}


def test_letting_us_know_before_a_request_still_asks_it() -> None:
    body = ("Hoi, wilde het even laten weten: ik krijg nog steeds de nieuwsbrief. Meld me "
            "alsjeblieft af.")
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize(("subject", "body", "kind"), [
    ("Re: Uw verwijderverzoek - wat wij gaan verwijderen",
     "Akkoord, doe maar zo. Alleen de garantieregistratie van de accu wil ik laten staan. De "
     "rest mag weg zoals jullie schrijven.\n\nJacob", E),
    ("Re: Your erasure request - what we will delete",
     "Yes, go ahead. Please keep the warranty registration though.\n\nJacob", E),
    ("Re: Ihre Auskunftsanfrage - Rückfrage", "Einverstanden, machen Sie es so.\n\nGrüße", A),
])
def test_a_reply_agreeing_to_our_proposal_goes_on_with_its_request(
        subject: str, body: str, kind: RequestKind) -> None:
    """The kind our mail named (in the reply's subject) is recorded, and a person links it to
    the open request and reads what the writer changed: nothing is done by itself."""
    verdict = classify(mail(body, subject))
    assert set(verdict.kinds) == {kind}
    assert needs_triage(verdict)


@pytest.mark.parametrize(("subject", "body"), [
    ("Re: Uw verwijderverzoek - wat wij gaan verwijderen",
     "Ik ben het er niet mee eens, ik wil eerst weten wat er bewaard blijft."),
    ("Re: Nieuwsbrief september", "Akkoord, mooie nieuwsbrief!"),
])
def test_no_agreement_or_no_request_named_adds_nothing(subject: str, body: str) -> None:
    assert E not in classify(mail(body, subject)).kinds


def test_a_history_to_throw_away_is_data() -> None:
    body = ("Toen ik inlogde zag ik ineens een kaart met al mijn ritten van het afgelopen jaar. "
            "Dat wil ik echt niet, gooi die locatiegeschiedenis maar weg.")
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("geboortedatum verkeerd", "Bij het inloggen zag ik dat er 12-03-1986 staat. Dat is niet "
     "goed: ik ben geboren op 21-03-1968. Graag corrigeren."),
    ("", "Dans mon dossier, il est indiqué rue de la Station 71, mais c'est le numéro 17, "
     "boîte 2. Pouvez-vous corriger, s'il vous plaît ?"),
    ("", "Sur toutes vos factures, mon nom apparaît comme « Helene Lefevre ». Pourriez-vous "
     "corriger en « Hélène Lefèvre » ?"),
    ("", "My date of birth is down as 2 March 1991. It's actually 3 February 1991. Could you "
     "put it right?"),
])
def test_a_correction_asked_without_its_object_takes_the_detail_named_before(
        subject: str, body: str) -> None:
    """The detail is named in the subject or a sentence before; the plea's own words
    ("pouvez-vous", "s'il vous plaît") do not make the bare action a sentence of its own."""
    assert set(classify(mail(body, subject)).kinds) == {C}


def test_sorting_something_out_is_no_correction() -> None:
    body = ("My husband passed away in February. The bills are still in his name. What "
            "documents do you need from me to sort this out?")
    assert C not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik wil graag een kopie van alle notities die medewerkers over mij hebben gemaakt.",
    "Ich hätte gern eine Kopie von allem, was Sie über mich und meine Wallbox gespeichert "
    "haben.",
    "Je voudrais une copie de tout ce que vous avez enregistré sur moi.",
])
def test_a_copy_of_what_is_held_about_the_writer_said_in_a_clause_after_it(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {A}


@pytest.mark.parametrize("body", [
    "I sent you a copy of my passport, which you have about me now, please confirm.",
    "Ik heb een kopie van het contract dat ik met jullie heb, over mij staat daar niets in.",
])
def test_a_copy_the_writer_sent_or_holds_asks_for_no_access(body: str) -> None:
    """Before, "I sent you a copy of my passport, which you have about me now" opened an
    access case at once."""
    assert A not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Vielen Dank für die Kopie meiner Daten, sie ist vollständig.",
    "Thanks for the copy of my data, it is complete.",
    "Bedankt voor de kopie van mijn gegevens, het is compleet.",
    "Merci pour la copie de mes données, elle est complète.",
    "Many thanks for the overview of my data.",
    "Dank u wel voor het overzicht van mijn gegevens.",
])
def test_thanks_for_the_copy_received_asks_for_none(body: str) -> None:
    """Before, each opened an access case at once."""
    assert A not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Thanks in advance for sending me a copy of my data.",
    "Alvast bedankt voor het toesturen van een kopie van mijn gegevens.",
    "Merci d'avance pour la copie de mes données.",
])
def test_thanks_in_advance_still_asks(body: str) -> None:
    assert acted(body) == {A}


@pytest.mark.parametrize("body", [
    "Waarom hebben jullie mijn account verwijderd? Ik heb daar niet om gevraagd.",
    "Warum wurde mein Konto gelöscht? Das habe ich nicht beantragt.",
    "Pourquoi avez-vous supprimé mon compte ? Je n'ai rien demandé.",
    "Why did you delete my account? I never asked for that.",
])
def test_asking_why_it_was_done_asks_not_to_do_it(body: str) -> None:
    """Before, each of the first three was an erasure acted on at once."""
    assert E not in acted(body)


def test_asking_why_it_was_not_done_yet_still_asks() -> None:
    body = "Warum haben Sie meine Daten noch nicht gelöscht? Bitte löschen Sie sie jetzt."
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Mijn zoon (22) wil dat jullie zijn gegevens verwijderen, hij mailt zelf nog.",
    "My brother asked me to tell you he wants his data deleted. He will write himself.",
    "Mein Mann möchte seine Daten löschen lassen, er schreibt Ihnen selbst.",
    "Mon frère veut que vous supprimiez ses données, il vous écrira lui-même.",
    "Ik heb bij een andere winkel mijn gegevens laten verwijderen, hoe doe ik dat bij jullie?",
    "Attached is the copy of my ID you asked for, for my access request.",
    "Anbei die angeforderte Ausweiskopie für meine Auskunftsanfrage.",
])
def test_what_is_told_of_a_request_made_elsewhere_or_later_is_not_acted_on(body: str) -> None:
    """Someone else who will write themself, a request made elsewhere, an ID sent for a
    request already made: before, each but the last but one opened a case at once."""
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Kunt u bevestigen dat u mijn verzoek tot verwijdering van vorige week heeft ontvangen?",
    "Could you confirm that you received my deletion request from last week?",
    "Können Sie bestätigen, dass Sie meine Löschanfrage von letzter Woche erhalten haben?",
    "Pouvez-vous confirmer que vous avez bien reçu ma demande de suppression ?",
])
def test_asking_whether_a_request_arrived_chases_it(body: str) -> None:
    """A chase of an earlier erasure: recorded as one and held for a person to link; it
    opens no second case by itself."""
    verdict = classify(mail(body))
    assert E in verdict.kinds and needs_triage(verdict)


def test_an_adult_childs_erasure_waits_for_the_authority_check() -> None:
    """A parent may have a child's data erased (under 16); a son of 22 is a relative like any
    other, whose request the writer makes for him."""
    body = "Mijn zoon (22) wil dat jullie zijn gegevens verwijderen."
    verdict = classify(mail(body))
    assert E in verdict.kinds and needs_triage(verdict)
    assert acted("Mijn dochter (14) heeft een account bij jullie. Kunnen jullie haar gegevens "
                 "verwijderen?") == {E}


@pytest.mark.parametrize("body", [
    "De app heeft al mijn ritten verwijderd na de update, kunnen jullie kijken wat er mis is?",
    "After the update the app deleted all my rides, can you check what went wrong?",
    "Nach dem Update hat die App alle meine Fahrten gelöscht, können Sie prüfen, was los ist?",
])
def test_what_was_done_told_before_a_question_about_something_else(body: str) -> None:
    """Before, each was an erasure acted on at once: the question mark of the plea after the
    comma made the clause before it ask."""
    assert E not in acted(body)


@pytest.mark.parametrize("body", [
    "Mijn gegevens verwijderen, kunt u dat doen?",
    "Ik heb mijn account opgezegd, kunnen jullie ook al mijn gegevens verwijderen?",
    "Since I cancelled my contract last month, could you delete all my data?",
])
def test_a_plea_that_points_back_or_asks_itself_still_asks(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Kan ik mijn account tijdelijk pauzeren in plaats van verwijderen?",
    "Can I pause my account instead of deleting it?",
])
def test_the_alternative_not_chosen_is_not_asked(body: str) -> None:
    assert E not in acted(body)


@pytest.mark.parametrize("body", [
    "Ik krijg geen nieuwsbrief meer, terwijl ik die wel wil. Kunnen jullie me weer aanmelden?",
    "I stopped getting the newsletter but I want it. Can you sign me up again?",
])
def test_wanting_a_mailing_back_is_no_opt_out(body: str) -> None:
    """Before, each was an opt-out applied at once."""
    assert U not in acted(body)


@pytest.mark.parametrize("body", [
    "Muss ich mein Konto löschen, um den Newsletter abzubestellen?",
    "Do I have to delete my account to stop getting the newsletter?",
    "Wenn das noch einmal passiert, verlange ich die Löschung meiner Daten.",
    "Si cela se reproduit, je vous demanderai de supprimer toutes mes données.",
    "If this happens again I will ask you to delete all my data.",
    "Wo kann ich in der App meine Adresse ändern?",
    "Waar kan ik in de app mijn adres wijzigen?",
    "My new address is showing correctly now, thank you.",
    "Mijn adres staat nu goed in de app, bedankt.",
    "Meine Adresse ist jetzt richtig, danke.",
])
def test_questions_threats_and_reports_of_a_detail_now_right_act_on_nothing(body: str) -> None:
    """Before, the first, third, fourth, sixth and eighth were acted on at once."""
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Hoi, wanneer is mijn fiets klaar?\n\nGroet, Jan\n\nWilt u geen mails meer ontvangen van ons "
    "kantoor? Meld u dan af via de link.",
    "Hi, when will my bike be ready?\n\nJan\n\nOur office sends updates. You can unsubscribe "
    "from them with the link below.",
])
def test_an_offer_to_the_reader_to_unsubscribe_is_no_opt_out(body: str) -> None:
    """The writer's own footer tells its readers how to leave ("Meld u dan af"): before, the
    writer was unsubscribed at once."""
    assert U not in acted(body)


@pytest.mark.parametrize("body", ["Meld mij af voor de nieuwsbrief.",
                                  "Hallo, meld me af voor de Trapper aub."])
def test_unsubscribe_me_still_opts_out(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Mijn werkgever wil weten welke gegevens jullie van mij hebben voor het fietsplan. Mogen "
    "jullie die aan hem geven?",
    "My employer wants to know what data you hold about me for the bike plan.",
    "Mein Arbeitgeber möchte wissen, welche Daten Sie über mich haben.",
])
def test_what_the_writers_employer_wants_is_not_the_writers_request(body: str) -> None:
    """Before, the first opened an access case at once: the wish was the employer's."""
    assert A not in acted(body)


def test_a_writer_who_switched_to_another_company_still_asks() -> None:
    body = ("ben overgestapt naar ander bedrijf wil dat jullie al mijn gegevens verwijderen ook "
            "mijn bankrekening nummer")
    assert E in classify(mail(body, "gegevens")).kinds


@pytest.mark.parametrize("body", [
    "Ik heet sinds mijn huwelijk De Boer, maar voor jullie mag alles op Jansen blijven.",
    "I got married last month, but please keep my account in my maiden name.",
    "Ich habe geheiratet und heiße jetzt Berger. Bei Ihnen kann alles so bleiben.",
])
def test_a_detail_the_writer_wants_left_as_it_is_is_no_correction(body: str) -> None:
    """Before, the first two were corrections acted on at once."""
    assert C not in acted(body)


@pytest.mark.parametrize("body", [
    "I got married last month. My new surname is Baker, please change it on my account.",
    "Ik ben getrouwd, mijn achternaam is nu De Boer. Graag aanpassen.",
])
def test_a_new_name_asked_for_is_still_a_correction(body: str) -> None:
    assert C in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Stop met bellen over de reparatie, ik kom de fiets zelf halen.",
    "Please stop calling me about the repair, I'll pick up the bike myself.",
])
def test_calls_about_a_repair_are_no_marketing(body: str) -> None:
    """Before, the first was an opt-out applied at once."""
    assert U not in acted(body)


def test_a_question_about_shared_data_beside_an_erasure_is_not_dropped() -> None:
    """Before, the erasure was acted on and the question about what was shared dropped: one
    of two requests done, the other lost. Both are found now, and the mail waits."""
    verdict = classify(mail("Please delete my account. Also, which of my data did you share "
                            "with partners?"))
    assert {A, E} <= set(verdict.kinds)
    assert needs_triage(verdict)


def test_an_objection_to_sharing_asks_no_access() -> None:
    body = ("Je m'oppose à ce que mes données de navigation soient transmises à des réseaux "
            "publicitaires.")
    assert A not in classify(mail(body)).kinds


@pytest.mark.parametrize(("body", "kinds"), [
    ("Take me off the mailing list and bin my details.", {E, U}),
    ("Geen nieuwsbrief meer graag. Hoe komen jullie eigenlijk aan mijn adres?", {A, U}),
])
def test_the_second_request_in_everyday_words_is_found_too(
        body: str, kinds: set[RequestKind]) -> None:
    """Before, the opt-out was applied and the other request dropped."""
    assert set(classify(mail(body)).kinds) == kinds


@pytest.mark.parametrize("body", [
    "Don't send me any marketing.",
    "My new email is sam@new.example. Don't send any marketing there though.",
])
def test_a_negated_imperative_asks(body: str) -> None:
    """"Don't send me any marketing" was read as a statement; beside a new address, the
    correction acted and the opt-out was dropped."""
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", ["Don't delete my account, I still use it.",
                                  "Don't worry, I already unsubscribed myself."])
def test_a_negated_imperative_of_an_action_not_wanted_asks_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "I do not want my account deleted, I just want to know why the app logs me out.",
    "Ik wil weten waarom mijn account steeds wordt uitgelogd, mijn gegevens kloppen toch?",
])
def test_wanting_to_know_why_asks_for_no_data(body: str) -> None:
    """Before, the first opened an access case at once."""
    assert A not in acted(body)


def test_wanting_to_know_what_and_why_still_asks() -> None:
    assert acted("I want to know what data you have about me and why.") == {A}


@pytest.mark.parametrize("body", [
    "What data do you collect through the app in general?",
    "Welche Daten speichert die App grundsätzlich?",
    "Quelles données collectez-vous en général via l'application ?",
])
def test_a_question_about_the_practice_in_general_asks_for_no_ones_data(body: str) -> None:
    """Before, the first opened an access case at once."""
    assert A not in acted(body)


def test_the_writers_own_data_in_general_is_still_asked() -> None:
    assert A in classify(mail("What data do you hold about me in general?")).kinds


@pytest.mark.parametrize("body", [
    "Seit meiner Abmeldung bekomme ich keine Mails mehr, super!",
    "Depuis ma désinscription je ne reçois plus de mails, parfait !",
    "Since I unsubscribed I haven't received any more emails, great!",
])
def test_an_opt_out_behind_the_writer_asks_none(body: str) -> None:
    """Before, the German and French were opt-outs applied at once."""
    assert U not in acted(body)


def test_a_phrase_in_a_sentence_that_asks_whether_it_was_done_asks_nothing() -> None:
    """No clause reading covered this sentence, so its phrase ("gegevens te laten aanpassen")
    acted as a correction; the sentence only asks whether it was done."""
    body = "Mijn man heeft gisteren gebeld om zijn gegevens te laten aanpassen, is dat gelukt?"
    assert C not in acted(body)


@pytest.mark.parametrize("body", [
    "Gracias por la copia de mis datos, está completa.",
    "Dziękuję za kopię moich danych, jest kompletna.",
    "¿Por qué han borrado mi cuenta? No lo he pedido.",
    "Perché avete cancellato il mio account? Non l'ho chiesto.",
    "Dlaczego usunęliście moje konto? Nie prosiłem o to.",
    "Ya me he dado de baja yo mismo, gracias.",
])
def test_thanks_why_and_self_done_in_other_eu_languages_act_on_nothing(body: str) -> None:
    """Each was acted on at once before (Spanish, Italian, Polish)."""
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize(("body", "kind"), [
    ("Por favor, envíenme una copia de mis datos.", A),
    ("¿Podrían borrar mi cuenta, por favor?", E),
    ("Vorrei una copia dei miei dati, grazie.", A),
    ("Proszę usunąć moje konto.", E),
])
def test_requests_in_other_eu_languages_still_ask(body: str, kind: RequestKind) -> None:
    assert kind in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "¿Cómo puedo borrar mi cuenta en la aplicación?",
    "Come posso cancellare il mio account nell'app?",
    "Jak mogę usunąć swoje konto w aplikacji?",
    "Como posso apagar a minha conta na aplicação?",
    "Si cancelo el contrato, ¿borrarán mis datos automáticamente?",
    "Se disdico il contratto, cancellerete automaticamente i miei dati?",
    "Jeśli rozwiążę umowę, czy usuniecie moje dane automatycznie?",
])
def test_how_to_and_what_if_questions_in_other_eu_languages_act_on_nothing(body: str) -> None:
    """Each was an erasure acted on at once before."""
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Si es posible, ¿pueden borrar mis datos?",
    "Se possibile, cancellate i miei dati.",
    "Jeśli to możliwe, proszę usunąć moje dane.",
])
def test_if_possible_still_asks(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Děkuji za kopii mých údajů, je kompletní.",
    "Proč jste smazali můj účet? Nežádal jsem o to.",
    "Tack för kopian av mina uppgifter, den är komplett.",
    "Varför har ni raderat mitt konto? Det bad jag inte om.",
    "Tak for kopien af mine oplysninger, den er komplet.",
    "Hvorfor har I slettet min konto? Det bad jeg ikke om.",
    "Mulțumesc pentru copia datelor mele, este completă.",
    "De ce mi-ați șters contul? Nu am cerut asta.",
])
def test_thanks_and_why_in_czech_swedish_danish_romanian_act_on_nothing(body: str) -> None:
    """Each was acted on at once before."""
    assert acted(body) <= {RequestKind.OTHER}
