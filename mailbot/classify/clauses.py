"""Requests found per sentence, as an action and its object in the same clause.

A sentence's words are mapped to their lemmas (``lexicons/forms/<lang>.tsv``, built from
simplemma by ``scripts/build_lemma_forms.py``) and tagged with the concepts of
``lexicons/clauses/<lang>.toml`` ("erase", "data", "channel", "nomore", ...). A *frame*
(``lexicons/clauses/frames.toml``) names the concepts that together make a request:
"erase" + "data" is an erasure whatever the words ("wissen" + "gegevens", "get rid of" +
"details"). Each frame found is then checked in its clause:

- a negation before it in the clause, or right after it, cancels it ("ik wil me niet
  afmelden", "löschen Sie mein Konto nicht"), unless the negation is the request itself
  ("geen nieuwsbrief meer") or says the writer cannot do it ("ik kan me niet afmelden");
- a clause that opens with a condition ("als ik mijn account verwijder, ...") requests nothing;
- a clause about invoices, orders or the contract is not about marketing or personal data;
- a sentence about another supplier is no correction.

Pure: data files are loaded once; ``find`` does no I/O.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import compress
from typing import NamedTuple

from mailbot.classify.language import common_words
from mailbot.classify.lexicon import words
from mailbot.domain.kinds import RequestKind
from mailbot.parse.alternation import any_of, may_match, search
from mailbot.preload import preloaded

# Languages with a clause lexicon.
CLAUSE_LANGUAGES = ("nl", "en", "de", "fr", "es", "it", "pt", "pl", "cs", "sv", "da", "ro",
                    "hr", "el", "sk", "sl", "bg", "et", "fi", "ga", "hu", "lt", "lv", "mt")
# Languages read with a close neighbour's lexicon, their hits still in their own language:
# Slovak asks with the words Czech does ("prosim", "vymazte moje udaje", "pristup", "kopiu").
BORROWED = {"sk": "cs"}
_NEGATION_REACH = 6  # words before a frame in which a negation cancels it
_AFTER_REACH = 2  # words after it ("verwijder mijn account niet")
_HELD_REACH = 4  # "no longer" this near to "stored", "bewaren": not wanting it kept
_INABILITY_REACH = 3
_GAP = 6  # "a ... b": b within this many words after a
_FINAL_GAP = 14  # ... or within this many, as the last word of the clause
_MEMO = 50_000  # words whose entries each lexicon remembers
_AFFIX = 3  # affix entries are looked up by their first (prefix) or last (suffix) letters
# A German month's name after a day's number and its dot ("3. März"), as folded.
_MONTH_AFTER = (r"[ \t]+(?:januar|februar|marz|april|mai|juni|juli|august|september|oktober"
                r"|november|dezember|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dez)\b")
_SENTENCE = re.compile(
    # ("art. 15 DSGVO", "Abs. 3", "nr. 2": an abbreviation before a number ends no sentence)
    r"(?=[.!?;:])(?!(?:(?<=\bart)|(?<=\babs)|(?<=\bnr)|(?<=\bno)|(?<=\blid)|(?<=\bpar)|(?<=\bal)"
    r"|(?<=\bsec)|(?<=\bziff)|(?<=\bcl)|(?<=\bodst)|(?<=\bust))\.[ \t]+\d)"
    # ("Frau Dr. Hartmann", "Mr. Smith", "mevr. De Vries": a title before a name ends none)
    r"(?!(?:(?<=\bdr)|(?<=\bmr)|(?<=\bmrs)|(?<=\bms)|(?<=\bprof)|(?<=\bdhr)|(?<=\bmevr)"
    r"|(?<=\bmw)|(?<=\bmme)|(?<=\bmlle)|(?<=\bdrs)|(?<=\bing)|(?<=\bir)"
    # ("dieses Foto bzw. die Ausweiskopie", "bijv. de nieuwsbrief", "haal mij a.u.b. van
    # de lijst", "z.B. die Werbung": no end either)
    r"|(?<=\bbzw)|(?<=\bggf)|(?<=\bevtl)|(?<=\binkl)|(?<=\bbijv)|(?<=\bresp)|(?<=\bincl)"
    r"|(?<=\bzgn)|(?<=\bvgl)|(?<=\bevt)|(?<=\bca)|(?<=\b[a-z]\.[a-z]))\.[ \t]+[a-z])"
    # ("am 3. März", "vom 15. Juni": a German day's number before its month ends nothing)
    rf"(?!(?<=\d)\.{_MONTH_AFTER})"
    r"[.!?;:]+(?=\s|$)|\n+|(?P<item>(?:^|(?<=\n)|\s)(?:\(?\d{1,2}[.)]|[-*\u2022]|\(?[a-h]\))(?=\s)"
    rf"(?!{_MONTH_AFTER}))")
# ("On her behalf we request: (a) access ...; and (b) erasure ...": a lettered item follows a
# colon, a semicolon or "and", or starts a line; "see note (a) below" has none)
_LETTER_AFTER = re.compile(r"(?:^|[:;\n]|\b(?:and|en|und|et|or|of|oder|ou))\s*$")
_LETTER_LOOK = 12  # characters before a lettered item in which that is looked for
_TOKEN = re.compile(r"[a-z0-9]+|,")
_ADDRESS = re.compile(r"[^\s<>()\[\],;:]+@[^\s<>()\[\],;:]+\.[a-z]{2,}")  # no words in it
# "niet-noodzakelijke", "non-essential": one word, no negation of the sentence; a longer
# compound ("do-not-call", "niet-bellen-lijst") is read word by word, as its lexicon entry is.
_COMPOUND_NEGATION = re.compile(r"(?<!-)\b(niet|non|nicht|not|un)-(?=[a-z]+\b(?!-))")
_LEAD_WORDS = 6  # a sentence this short ending in a colon is read with the next one too
UNSURE = 0.6  # the weight of a frame whose negation may be an inability
_UNDONE = frozenset({"optout", "stop", "remove", "withdraw", "object"})  # a "no" before these

# Pronouns are read as written: "ben", "was" are forms of the verb "zijn", and "ist" of
# "sein", not the possessives "zijn", "sein".
_PRONOUNS = frozenset({"me", "my", "their", "self"})
# Read as written too: the forms of being tracked are listed in full, and another word's
# lemma is no such form ("volgende" is no form of "volgen" here, "suivant" of "suivre").
_AS_WRITTEN = _PRONOUNS | {"track", "tracked", "you"}
_IMPERATIVE = frozenset({"erase", "correct", "send", "know", "stop", "remove", "optout", "close",
                         "withdraw", "disable", "see", "share"})


@dataclass(frozen=True, slots=True)
class Part:
    how: str  # "word", "suffix" or "prefix"
    text: str

    def matches(self, token: str, lemma: str) -> bool:
        if self.how == "word":
            return token == self.text or lemma == self.text
        if self.how == "suffix":
            return len(token) > len(self.text) + 2 and token.endswith(self.text)
        return token.startswith(self.text)


@dataclass(frozen=True, slots=True)
class Entry:
    concept: str
    parts: tuple[Part, ...]
    gap: bool  # "a ... b": the last part may come up to _GAP words after the others
    single: bool = False  # one word: it matches wherever its first part does
    exact: bool = False  # a pronoun: the word itself, never another word's lemma
    # the whole word its second part is, when that part must follow the first right away:
    # most entries tried fail on it, so ``tag`` checks it before ``_match``
    second: str | None = None


@dataclass(frozen=True, slots=True)
class Frame:
    kind: RequestKind
    needs: tuple[frozenset[str], ...]
    unless: frozenset[str]
    weight: float
    negative: bool  # the frame's own negation is the request ("geen nieuwsbrief meer")
    near: tuple[tuple[int, int, int], ...]  # (group i, group j, n): j follows i within n words
    mood: bool  # the sentence must ask: a wish, a question, an imperative, or few words
    name: str = ""  # the frame's wording class, e.g. "unsubscribe_clause/nomore+channel"
    borrowed: bool = False  # only with its object named in a sentence before
    # its condition is its scope ("if you sold my data, tell me to whom"): a plea that opens
    # the main clause after it asks, and the condition does not set it aside
    scoped: bool = False
    # only in a sentence of nothing but its own words ("Geen nieuwsbrieven, geen acties.")
    bare: bool = False

    @staticmethod
    def named(kind: RequestKind, needs: tuple[frozenset[str], ...]) -> str:
        return f"{kind}_clause/" + "+".join(sorted(g)[0] for g in needs)


_TYPO_LENGTH = 7  # shorter words are too near to other words to read a typo in
_WRITTEN_OUT = re.compile(r"(?<=[a-z])[aou]e")


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def _typo_table(words: Sequence[str], real: Sequence[str]) -> dict[str, str]:
    """Each key word and its one-letter deletions, to the key word: a token within one
    insertion, deletion, substitution or swap of a key word shares one of them. ``real``:
    words near a key word that mean something else ("anmelden" beside "abmelden")."""
    table: dict[str, str] = {}
    for word in words:
        for form in (word, *_deletions(word)):
            table.setdefault(form, word)
    table.update(dict.fromkeys(real, ""))
    return table


@dataclass(frozen=True, slots=True)
class ClauseLexicon:
    language: str
    by_word: dict[str, tuple[Entry, ...]]  # entries whose first part is a whole word
    by_suffix: dict[str, tuple[Entry, ...]]  # first part "*word", by its last three letters
    by_prefix: dict[str, tuple[Entry, ...]]  # first part "word*", by its first three letters
    forms: dict[str, str]
    clause_breaks: frozenset[str]
    # "möchte ich aber nicht mehr bekommen": a break word inside its clause is a particle; it
    # breaks only after a comma or opening the sentence (``[syntax] weak_breaks``)
    weak_breaks: frozenset[str]
    # "..., dus graag verwijderen": after a comma these open a clause of their own, which a
    # negation before them does not reach (``[syntax] consequences``)
    consequences: frozenset[str]
    # "no answer to my request to delete": a negation that takes one of these nouns negates
    # the noun, not the clause (``[syntax] negated_nouns``)
    negated_nouns: frozenset[str]
    # "Ich möchte nicht, dass ...": a clause these open after a comma is what the wish before
    # it wants or, negated, does not (``[syntax] complementizers``)
    complementizers: frozenset[str]
    # "zu": an infinitive clause after a comma, governed by the clause before it
    # (``[syntax] infinitive``)
    infinitive: frozenset[str]
    # "weil", "because": a clause of reasons; a wish in it asks nothing (``[syntax] causal``)
    causal: frozenset[str]
    # "inzage in de verdeelsleutel", "a copy of the letter": what an access word takes, after
    # these words and articles (``[syntax] object_preps``, ``object_articles``)
    object_preps: frozenset[str]
    object_articles: frozenset[str]
    withdraw: re.Pattern[str] | None
    conditional: re.Pattern[str] | None
    # "Anders dien ik een klacht in": what follows if we do not act (a threat, not an act).
    otherwise: re.Pattern[str] | None
    someday: re.Pattern[str] | None  # "jemals", "ever": a condition that may never hold
    # "I'll be asking you", "werde ich verlangen": what the writer will do, not does now
    future: re.Pattern[str] | None
    # "Voordat jullie mijn gegevens verwijderen wil ik eerst een kopie": a clause that opens
    # with "before" sets no condition on the main clause after it, which starts where its
    # verb comes before its subject ("wil ik", "mochte ich").
    before: re.Pattern[str] | None
    main_clause: re.Pattern[str] | None
    # "what happens to my data if I unsubscribe": the action's own subject is the writer, put
    # in a condition just before it (``[cues] if_writer``, matched at the words' end)
    if_writer: re.Pattern[str] | None
    anaphors: frozenset[str]  # "dit", "daarmee", "that": the object named just before
    yours: frozenset[str]  # "je collega", "your colleague": one of ours, not a third party
    articles: frozenset[str]  # anaphors that are also articles ("le", "la", "les")
    subject_pointer: re.Pattern[str] | None
    pitch: re.Pattern[str] | None
    transactional: re.Pattern[str] | None
    accounts: re.Pattern[str] | None  # invoices, amounts, orders (not marketing or one's data)
    reminder: re.Pattern[str] | None = None  # a chase of an earlier request
    # "voordat ik iets beslis", "before I decide": the writer has not decided to ask yet
    undecided: re.Pattern[str] | None = None
    also_asks: re.Pattern[str] | None = None  # "while you're at it": a second request follows
    previous_occupant: re.Pattern[str] | None = None  # "the previous tenant": not the writer
    # "before I decide": an undecided cue after which a clause may still ask to know first
    decide_after: re.Pattern[str] | None = None
    # "hoeven", "need", "brauchen", "besoin" (lemmas): "die uitnodigingen hoef ik niet meer te
    # krijgen" does not say the mail stopped coming, it asks to stop it (``[syntax] need_verbs``)
    need_verbs: frozenset[str] = frozenset()
    # "stop maar niet", "meld me toch niet af": words between an action and its negation that
    # leave it negated (``[syntax] modal_particles``)
    modal_particles: frozenset[str] = frozenset()
    # "Akkoord met jullie voorstel", "Einverstanden, wie vorgeschlagen": a client contact who
    # agrees to what we proposed gives an instruction (``[cues] agrees_proposal``)
    agrees_proposal: re.Pattern[str] | None = None
    # "Re: Vorschlag Löschfristen": a subject that names our proposal (``[cues] proposal``)
    proposal: re.Pattern[str] | None = None
    # "Akkoord, doe maar zo.", "Yes, go ahead": a reply that opens by agreeing to what our
    # mail below it proposed (``[cues] agrees_reply``, matched at the reply's start)
    agrees_reply: re.Pattern[str] | None = None
    # "Je maintiens ma demande": a reply that keeps the request our mail asked about
    keeps_request: re.Pattern[str] | None = None
    # our own website, newsletter or privacy statement named ("auf Ihrer Website"): a detail
    # wrong there is our text, not the writer's data (``[cues] our_publication``)
    our_publication: re.Pattern[str] | None = None
    # an invoice, an amount or hours: an amendment of these changes no order (``invoice``)
    invoice: re.Pattern[str] | None = None
    # "voor jullie mag alles op Jansen blijven", "please keep my account in my maiden name":
    # the writer wants a detail left as it is (``[cues] keep_as_is``)
    keep_as_is: re.Pattern[str] | None = None
    # the writer wants back what was erased or closed (``[cues] restore``)
    restore: re.Pattern[str] | None = None
    # "Dus uit de nieuwsbrief en alles wissen", "Konto und Daten löschen": a clause without a
    # subject or a subordinating word (``[syntax] finite_words``) that ends in an action's
    # infinitive, not after "te"/"zu" (``[syntax] infinitive_particles``), asks for it
    finite_words: frozenset[str] = frozenset()
    # where data lies with another organisation ("bij de huisarts": ``[syntax] at_place``)
    at_place: frozenset[str] = frozenset()
    # where a detail is to be put right ("on my account", "in mijn account": ``[syntax]
    # in_place``), not what
    in_place: frozenset[str] = frozenset()
    infinitive_particles: frozenset[str] = frozenset()
    possessive_after: bool = False  # the possessive follows its noun ("sotului meu")
    # "ich würde mich freuen, wenn ...", "I'd appreciate it if ...": a wish whose object is
    # the clause after it, no condition (matched at the end of the words before that clause)
    glad_if: re.Pattern[str] | None = None
    # "dit is geen verzoek", "ce n'est pas une demande": the writer says they ask nothing
    says_no_request: re.Pattern[str] | None = None
    no_request_context: re.Pattern[str] | None = None
    # "do I need to ask you to ...", "moet ik apart om ... vragen": how to make a request
    how_to: re.Pattern[str] | None = None
    how_to_said: re.Pattern[str] | None = None
    # "die neue Adresse habe ich schon im Portal eingetragen": the writer changed it already
    self_done: re.Pattern[str] | None = None
    # "namens mijn moeder", "as executor", "als Alleinerbe": the writer acts for someone
    representative: re.Pattern[str] | None = None
    # "mijn vader is in januari overleden", "my late husband": someone the mail speaks of died
    deceased: re.Pattern[str] | None = None
    # A sentence that says its request words ask nothing (``SENTENCE_ASIDES``): cue name to
    # its pattern
    asides: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # a greeting that opens a sentence before a comma ("hallo, is mijn afmelding verwerkt?"):
    # the sentence's own words start after it
    salutation: re.Pattern[str] | None = None
    # A correction verb said as done, not asked: after a passive or past auxiliary ("whatever
    # was noted", "a bien ete enregistree"), or a participle opening a clause after a comma
    # ("votre demande, enregistree sous le numero").
    done: frozenset[str] = frozenset()
    participles: tuple[str, ...] = ()
    # The imperative is the verb's base form ("tell me"), so another form of it ("told me")
    # opens no plea.
    base_imperative: bool = False
    # "zoekmachine-exploitanten, welke de gegevens verwerken": a question word followed by an
    # article or a pronoun, not by the noun it asks about, opens a relative clause.
    relative: frozenset[str] = frozenset()
    relative_next: frozenset[str] = frozenset()
    # "alles wat u van mij hebt", "tout ce que vous avez": a question word after a word for
    # "everything" is a relative pronoun, and the clause it opens is an object, not a question.
    quantifiers: tuple[tuple[str, ...], ...] = ()
    marks: frozenset[str] = frozenset()  # words that show a sentence is in this language
    # "wat", "which", "qui": after a request's words they open a clause of their own
    relative_after: frozenset[str] = frozenset()
    # "Eine Löschung brauche ich im Moment nicht": a negation ending the clause negates it
    # (``[syntax] final_negation``: languages that put it there)
    final_negation: bool = False
    # "just", "gewoon", "einfach", "juste": words before an imperative that leave it one
    # ("Just stop the newsletter") (``[syntax] fillers``)
    fillers: frozenset[str] = frozenset()
    # "can you delete my account." without its question mark: an inverted modal and "you"
    # opening a sentence plead (``[syntax] pleas``, each as its words)
    pleas: tuple[tuple[str, ...], ...] = ()
    permissions: tuple[tuple[str, ...], ...] = ()  # leave given: "u kunt", "you may"
    # the writer asked by someone else ("my son asked me to", "mein Sohn hat mich gebeten"):
    # the writer named as an object is not the one a request is for (``[syntax] asked_me``)
    asked_me: tuple[tuple[str, ...], ...] = ()
    # "met", "via", "please": the small words a sentence of nothing but a request's own words
    # may hold besides them ("Geen e-mail met aanbiedingen, geen sms.") (``[syntax] joiners``)
    joiners: frozenset[str] = frozenset()
    # "unsubcribe", "newsleter": the key words a mis-typed word of one edit stands for,
    # by each of their one-letter deletions (``[syntax] typo_words``).
    typos: dict[str, str] = field(default_factory=dict)
    # "loescht", "Aenderung": umlauts written out as ae, oe, ue (``[syntax] umlauts``)
    umlauts: bool = False
    # "Omdat ik mijn fiets wil verkopen zou ik graag ...": without a comma, a clause of
    # reasons put first ends before the main clause's verb and its subject, which follows
    # it (``[syntax] inverted_subjects``: "ik", "wij" in languages that invert)
    inverted_subjects: frozenset[str] = frozenset()
    # "ik", "I", "ich", "je": the writer as a verb's subject (``[syntax] writer_subjects``)
    writer_subjects: frozenset[str] = frozenset()
    # "ontvangen", "received", "erhalten", "recu": receiving done (``[syntax] received``)
    received: frozenset[str] = frozenset()
    # "gestopt", "stopped", "eingestellt", "arretee": stopping done (``[syntax] stopped``)
    stopped: frozenset[str] = frozenset()
    # "Please stop sending me de nieuwsbrief", "Löschen Sie bitte meinen account": a noun of
    # another of the four languages, embedded in a sentence that shows itself as this one's
    # (``_guest_nouns``, ``_shows``)
    guests: dict[str, tuple[Entry, ...]] = field(default_factory=dict, compare=False)
    # the words of its ``child`` and ``family`` entries but "my" (``_relative_words``)
    relatives: frozenset[str] = frozenset()
    # the end of the contract as a condition ("als het abonnement afgelopen is")
    contract_end: re.Pattern[str] | None = None
    # only once something else holds ("kan pas verwijderd worden als de tickets gebruikt
    # zijn", "only after the festival", "if I change my mind"): not now
    deferred: re.Pattern[str] | None = None
    # possessives that never stand for the writer ("deren", "their", "hun", "leurs")
    others_own: frozenset[str] = frozenset()
    # words of source before an account a thing is taken out of ("uit", "from", "aus")
    sources: frozenset[str] = frozenset()
    # words after which an action word is a noun ("the update", "das Update")
    determiners: frozenset[str] = frozenset()
    # pronouns written onto a verb's end, longest first (``[syntax] enclitics``: "me", "mi")
    enclitics: tuple[str, ...] = ()
    memo: dict[str, tuple[Entry, ...]] = field(default_factory=dict, compare=False)

    def entries(self, token: str) -> tuple[Entry, ...]:
        """The entries whose first part matches ``token`` (remembered per word)."""
        found = self.memo.get(token)
        if found is None:
            lemma = self.forms.get(token, token)
            found = (*self.by_word.get(token, ()),
                     *(e for e in (self.by_word.get(lemma, ()) if lemma != token else ())
                       if not e.exact),
                     *(e for e in (*self.by_suffix.get(token[-_AFFIX:], ()),
                                   *self.by_prefix.get(token[:_AFFIX], ()))
                       if e.parts[0].matches(token, lemma)))
            if not found and len(token) >= _TYPO_LENGTH and lemma == token:
                meant = self.typos.get(token)
                if meant is None:
                    gone = _deletions(token)
                    meant = "" if self.typos.keys().isdisjoint(gone) else next(
                        (w for d in gone if (w := self.typos.get(d))), "")
                found = self.by_word.get(meant, ()) if meant else ()
            if not found and self.umlauts and _WRITTEN_OUT.search(token):
                found = self.entries(_WRITTEN_OUT.sub(lambda m: m.group()[0], token))
            if not found and self.enclitics:
                # ("envienme una copia", "cancellatemi": a pronoun written onto its verb)
                # the verb's entries, and the pronoun's own of one word ("me": the writer)
                found = next(((*e, *(p for p in self.entries(c) if len(p.parts) == 1))
                              for c in self.enclitics if token.endswith(c)
                              and len(token) - len(c) >= _STEM
                              and (e := self.entries(token[:-len(c)]))), ())
            if len(self.memo) < _MEMO:
                self.memo[token] = found
        return found


class Span(NamedTuple):
    concept: str
    start: int  # token positions in the sentence, end exclusive
    end: int
    gap: bool = False  # from an "a ... b" entry: the words between are not its own


@dataclass(frozen=True, slots=True)
class ClauseHit:
    """A frame found in a sentence, or set aside with a reason (``why``)."""

    kind: RequestKind
    rule: str
    language: str
    weight: float
    text: str  # the sentence, folded
    at: int  # where the sentence starts in the text searched
    why: str | None = None
    hold: str | None = None  # why the mail waits for a person, whatever the second opinion


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    at: int
    question: bool = False
    item: bool = False  # a list item ("1. een kopie van mijn gegevens"): it asks, like a line
    lead: bool = False  # ends in a colon ("graag aanpassen:"): what follows is its object


def _closes(folded: str, start: int, end: int) -> bool:
    """The ")" of a marker at ``start:end`` closes a parenthesis opened on its line."""
    line = folded.rfind("\n", 0, start) + 1
    return folded.count("(", line, end) >= folded.count(")", line, end)


def sentences(folded: str) -> Iterator[Sentence]:
    """Sentences and list items of a folded text, with their offsets."""
    start = 0
    item = False
    number = 0  # of the last numbered item
    for m in _SENTENCE.finditer(folded):
        marker = m.group("item")
        letter = marker is not None and marker.strip(" \n\t()").isalpha()
        if letter and not _LETTER_AFTER.search(folded, max(0, m.start() - _LETTER_LOOK),
                                               m.start() + 1):
            continue  # "see note (a) below", "plan a) is fine"
        if (marker is not None and marker.endswith(")") and not letter
                and _closes(folded, m.start(), m.end())):
            continue  # "mon numero (+33 6 00 00 12 34) de vos listes": no "34)" item
        if m.start() > start:
            yield Sentence(folded[start:m.start()], start, "?" in m.group(), item,
                           m.group().endswith(":"))
        start = m.end()
        item = False
        if marker is not None:
            # "1." or "2." in running text is often a citation ("clanku 4. stavka 1."):
            # an item is a bullet, "n)", a line's first word, or the next number of a list.
            digits = marker.strip(" \n(.)")
            if not digits.isdigit() or marker.endswith(")") or m.start() == 0 or (
                    folded[m.start()] == "\n" or folded[m.start() - 1] == "\n"):
                item = True
            elif int(digits) == 1:
                item = folded[max(0, m.start() - 2):m.start()].rstrip().endswith(":")
            else:
                item = number > 0 and int(digits) == number + 1
            if digits.isdigit() and item:
                number = int(digits)
    if start < len(folded):
        yield Sentence(folded[start:], start, item=item)


# A quoted title of a few words ('the monthly "Your energy story" e-mails', „Megawatt
# Aktuell"): read as its last word, so that it keeps the words around it near each other.
_ASIDE = re.compile(r"\(([^()\n]{3,120})\)")


def _without_commas(m: re.Match[str]) -> str:
    return f"({m.group(1).replace(',', ' ')})"


_QUOTE_MARKS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
_TITLE = re.compile('["\u201c\u201e\u00ab] ?((?:[^"\u201c\u201d\u201e\u00ab\u00bb\n ]+ ){1,7}'
                    '[^"\u201c\u201d\u201e\u00ab\u00bb\n ]+) ?["\u201d\u201c\u00bb]')


# A phone, customer or meter number ("07700 900417", "5581-0046-77"): one word.
_LONG_NUMBER = re.compile(r"(?<![\w.])\+?\d[\d \-./]{4,}\d(?![\w])")
_DIGIT = re.compile(r"\d")


def quoted_titles(text: str) -> list[tuple[int, int]]:
    """Where ``text`` (folded) quotes a title or label of a few words, which the clauses read
    as one word ('the "delete my account" button')."""
    if not _QUOTE_MARKS.intersection(text):
        return []
    return [m.span() for m in _TITLE.finditer(text)]


def _last_word(m: re.Match[str]) -> str:
    words = _TOKEN.findall(m.group(1))
    return f" {words[-1]} " if words else " "


@lru_cache(maxsize=8)  # the same text is read in several languages
def _split(text: str) -> tuple[tuple[Sentence, tuple[str, ...]], ...]:
    """The sentences of ``text`` with their words (and commas), empty ones left out."""
    split: list[tuple[Sentence, tuple[str, ...]]] = []
    lead: tuple[Sentence, tuple[str, ...]] | None = None
    for sentence in sentences(text):
        text = sentence.text
        if "-" in text:
            text = _COMPOUND_NEGATION.sub(r"\1", text)
        if "@" in text:
            text = _ADDRESS.sub(" ", text)
        if _QUOTE_MARKS.intersection(text):
            text = _TITLE.sub(_last_word, text)
        if "(" in text:
            # ("die foto (en de gezichtsscan, als dat iets anders is) verwijderen": an aside's
            # comma opens no clause of the sentence around it)
            text = _ASIDE.sub(_without_commas, text)
        if _DIGIT.search(text):  # (most sentences hold none: no pass of _LONG_NUMBER)
            text = _LONG_NUMBER.sub(" 0 ", text)
        tokens = tuple(_TOKEN.findall(text))
        if not tokens:
            continue
        if lead is not None and len(lead[1]) <= _LEAD_WORDS and (
                sentence.item or len(tokens) <= _LEAD_WORDS * 3):
            # "graag aanpassen: - functie: directeur": the lead is read with what follows.
            head, words_ = lead
            split.append((Sentence(f"{head.text}: {sentence.text}", head.at, sentence.question,
                                   head.item), (*words_, ",", *tokens)))
        split.append((sentence, tokens))
        lead = (sentence, tokens) if sentence.lead else None
    return tuple(split)


def _parse_entry(concept: str, source: str) -> Entry:
    # "=note": the word as written only, not a form of it ("notes" is a noun)
    exact = source.startswith("=")
    source = source.removeprefix("=")
    gap = " ... " in source
    parts: list[Part] = []
    for chunk in source.split(" ... ") if gap else [source]:
        for raw in chunk.split():
            pieces = words(raw.strip("*"))
            for n, text in enumerate(pieces):
                how = "word"
                if raw.startswith("*") and n == 0:
                    how = "suffix"
                elif raw.endswith("*") and n == len(pieces) - 1:
                    how = "prefix"
                parts.append(Part(how, text))
    if gap and (len(parts) < 2 or len(words(source.split(" ... ")[1].strip("*"))) != 1):
        raise ValueError(f"'a ... b' takes one word after the dots: {source!r}")
    if not parts:
        raise ValueError(f"empty concept entry in {concept}: {source!r}")
    head = parts[:-1] if gap else parts
    second = head[1].text if len(head) > 1 and head[1].how == "word" else None
    return Entry(concept, tuple(parts), gap, len(parts) == 1 and not gap,
                 exact or concept in _AS_WRITTEN, second)


def _data(path: str) -> dict:
    return tomllib.loads(resources.files("mailbot.classify").joinpath(path).read_text("utf-8"))


def _any(patterns: Sequence[str]) -> re.Pattern[str] | None:
    return any_of(patterns) if patterns else None


@cache
def clause_lexicon(language: str) -> ClauseLexicon | None:
    """The lexicon that reads ``language``: its own, or the one it borrows (``BORROWED``)."""
    own = BORROWED.get(language, language)
    base = resources.files("mailbot.classify").joinpath("lexicons")
    if not base.joinpath(f"clauses/{own}.toml").is_file():
        return None
    data = _data(f"lexicons/clauses/{own}.toml")
    by_word: dict[str, list[Entry]] = {}
    by_suffix: dict[str, list[Entry]] = {}
    by_prefix: dict[str, list[Entry]] = {}
    for concept, sources in data["concepts"].items():
        for source in sources:
            entry = _parse_entry(concept, source)
            first = entry.parts[0]
            if first.how == "word":
                by_word.setdefault(first.text, []).append(entry)
            elif len(first.text) < _AFFIX:
                raise ValueError(f"{language}: an affix needs {_AFFIX}+ letters: {source!r}")
            elif first.how == "suffix":
                by_suffix.setdefault(first.text[-_AFFIX:], []).append(entry)
            else:
                by_prefix.setdefault(first.text[:_AFFIX], []).append(entry)
    forms: dict[str, str] = {}
    table = base.joinpath(f"forms/{own}.tsv")
    if table.is_file():
        for line in table.read_text("utf-8").splitlines():
            form, _, lemma = line.partition("\t")
            if lemma and not form.startswith("#"):
                forms[form] = lemma
    cues = data.get("cues", {})
    guests = _guest_nouns(own)
    return ClauseLexicon(
        language=language,
        guests=guests,
        by_word={w: tuple(e) for w, e in by_word.items()},
        by_suffix={w: tuple(e) for w, e in by_suffix.items()},
        by_prefix={w: tuple(e) for w, e in by_prefix.items()},
        forms=forms,
        clause_breaks=frozenset(data.get("syntax", {}).get("clause_breaks", ())),
        weak_breaks=frozenset(data.get("syntax", {}).get("weak_breaks", ())),
        consequences=frozenset(data.get("syntax", {}).get("consequences", ())),
        negated_nouns=frozenset(data.get("syntax", {}).get("negated_nouns", ())),
        complementizers=frozenset(data.get("syntax", {}).get("complementizers", ())),
        infinitive=frozenset(data.get("syntax", {}).get("infinitive", ())),
        causal=frozenset(data.get("syntax", {}).get("causal", ())),
        inverted_subjects=frozenset(data.get("syntax", {}).get("inverted_subjects", ())),
        writer_subjects=frozenset(data.get("syntax", {}).get("writer_subjects", ())),
        received=frozenset(data.get("syntax", {}).get("received", ())),
        stopped=frozenset(data.get("syntax", {}).get("stopped", ())),
        object_preps=frozenset(data.get("syntax", {}).get("object_preps", ())),
        object_articles=frozenset(data.get("syntax", {}).get("object_articles", ())),
        withdraw=_any(cues.get("withdraw", ())),
        conditional=_any(cues.get("conditional", ())),
        otherwise=_any(cues.get("otherwise", ())),
        someday=_any(cues.get("someday", ())),
        future=_any(cues.get("future", ())),
        before=_any(cues.get("before", ())),
        main_clause=_any(cues.get("main_clause", ())),
        if_writer=_any(cues.get("if_writer", ())),
        anaphors=frozenset(data.get("syntax", {}).get("anaphors", ())),
        yours=frozenset(data.get("syntax", {}).get("yours", ())),
        articles=frozenset(data.get("syntax", {}).get("articles", ())),
        done=frozenset(data.get("syntax", {}).get("done", ())),
        participles=tuple(data.get("syntax", {}).get("participles", ())),
        base_imperative=bool(data.get("syntax", {}).get("base_imperative", False)),
        relative=frozenset(data.get("syntax", {}).get("relative", ())),
        relative_next=frozenset(data.get("syntax", {}).get("relative_next", ())),
        quantifiers=tuple(tuple(_TOKEN.findall(p))
                          for p in data.get("syntax", {}).get("quantifiers", ())),
        marks=frozenset(data.get("syntax", {}).get("marks", ())),
        relative_after=frozenset(data.get("syntax", {}).get("relative_after", ())),
        umlauts=bool(data.get("syntax", {}).get("umlauts")),
        final_negation=bool(data.get("syntax", {}).get("final_negation")),
        fillers=frozenset(data.get("syntax", {}).get("fillers", ())),
        joiners=frozenset(data.get("syntax", {}).get("joiners", ())),
        pleas=tuple(tuple(_TOKEN.findall(p)) for p in data.get("syntax", {}).get("pleas", ())),
        permissions=tuple(tuple(_TOKEN.findall(p))
                          for p in data.get("syntax", {}).get("permissions", ())),
        sources=frozenset(data.get("syntax", {}).get("sources", ())),
        contract_end=_any(cues.get("contract_end", ())),
        deferred=_any(cues.get("deferred", ())),
        others_own=frozenset(data.get("syntax", {}).get("others_own", ())),
        determiners=frozenset(data.get("syntax", {}).get("determiners", ())),
        enclitics=tuple(sorted(data.get("syntax", {}).get("enclitics", ()), key=len,
                               reverse=True)),
        asked_me=tuple(tuple(_TOKEN.findall(p))
                       for p in data.get("syntax", {}).get("asked_me", ())),
        typos=_typo_table([w for w in data.get("syntax", {}).get("typo_words", ())
                           if w in by_word], data.get("syntax", {}).get("typo_not", ())),
        subject_pointer=_any(cues.get("subject_pointer", ())),
        pitch=_any(cues.get("pitch", ())),
        transactional=_any(cues.get("transactional", ())),
        accounts=_any(cues.get("accounts", ())),
        reminder=_any(cues.get("reminder", ())),
        undecided=_any(cues.get("undecided", ())),
        also_asks=_any(cues.get("also_asks", ())),
        previous_occupant=_any(cues.get("previous_occupant", ())),
        decide_after=_any(cues.get("decide_after", ())),
        need_verbs=frozenset(data.get("syntax", {}).get("need_verbs", ())),
        modal_particles=frozenset(data.get("syntax", {}).get("modal_particles", ())),
        agrees_proposal=_any(cues.get("agrees_proposal", ())),
        proposal=_any(cues.get("proposal", ())),
        agrees_reply=_any(cues.get("agrees_reply", ())),
        keeps_request=_any(cues.get("keeps_request", ())),
        our_publication=_any(cues.get("our_publication", ())),
        invoice=_any(cues.get("invoice", ())),
        keep_as_is=_any(cues.get("keep_as_is", ())),
        restore=_any(cues.get("restore", ())),
        finite_words=frozenset(data.get("syntax", {}).get("finite_words", ())),
        at_place=frozenset(data.get("syntax", {}).get("at_place", ())),
        in_place=frozenset(data.get("syntax", {}).get("in_place", ())),
        infinitive_particles=frozenset(data.get("syntax", {}).get("infinitive_particles", ())),
        possessive_after=bool(data.get("syntax", {}).get("possessive_after", False)),
        glad_if=_any(cues.get("glad_if", ())),
        says_no_request=_any(cues.get("says_no_request", ())),
        no_request_context=_any(cues.get("no_request_context", ())),
        how_to=_any(cues.get("how_to", ())),
        how_to_said=_any(cues.get("how_to_said", ())),
        self_done=_any(cues.get("self_done", ())),
        representative=_any(cues.get("representative", ())),
        deceased=_any(cues.get("deceased", ())),
        salutation=_any(cues.get("salutation", ())),
        asides={name: pattern for name, *_ in SENTENCE_ASIDES
                if (pattern := _any(cues.get(name, ()))) is not None},
        relatives=_relatives(data.get("concepts", {})),
    )


# Nouns a sentence of one of the four languages may take from another ("Please stop sending
# me de nieuwsbrief", "Ik wil een copy van mijn data"): the objects of a request, never its
# verbs, negations or pronouns, which carry the sentence's own grammar. Which words, per
# language: ``lexicons/guests.tsv`` (scripts/build_guests.py).
GUEST_CONCEPTS = frozenset({"mailing", "channel", "list", "data", "field", "account",
                            "marketing", "recording", "system", "partner", "consent",
                            "access", "access_noun", "erase_noun", "correct_noun",
                            "document"})
GUEST_LENGTH = 5  # shorter words ("post", "file", "list", "data") mean other things across
GUESTS_OF = ("nl", "en", "de", "fr")


@cache
def _guest_table() -> dict[str, dict[str, tuple[str, ...]]]:
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    path = resources.files("mailbot.classify").joinpath("lexicons/guests.tsv")
    for line in path.read_text("utf-8").splitlines() if path.is_file() else ():
        if line and not line.startswith("#"):
            language, word, concepts = line.split("\t")
            table.setdefault(language, {})[word] = tuple(concepts.split(","))
    return table


def _guest_nouns(language: str) -> dict[str, tuple[Entry, ...]]:
    return {word: tuple(Entry(c, (Part("word", word),), False, True, False, None)
                        for c in concepts)
            for word, concepts in _guest_table().get(language, {}).items()}


@cache
def _own_words() -> dict[str, str]:
    """The everyday words of one language of ``GUESTS_OF`` that no other of them shares."""
    owners: dict[str, set[str]] = {}
    for language in GUESTS_OF:
        for word in common_words(language):
            owners.setdefault(word, set()).add(language)
    return {w: next(iter(o)) for w, o in owners.items() if len(o) == 1}


def _shows(tokens: Sequence[str], language: str) -> bool:
    """The sentence holds more everyday words of ``language`` alone than of any other of
    ``GUESTS_OF`` alone: it is written in it, whatever nouns it borrows."""
    own = _own_words()
    counts = dict.fromkeys(GUESTS_OF, 0)
    for token in tokens:
        if (of := own.get(token)) is not None:
            counts[of] += 1
    mine = counts.pop(language)
    return mine > max(counts.values())


@cache
def article_words(language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words for "article" and the names of the GDPR of a language's clause lexicon
    (``[article]``), for the article references of the languages without a phrase lexicon."""
    article = article_table(language)
    return tuple(article.get("words", ())), tuple(article.get("laws", ()))


@cache
def article_table(language: str) -> dict:
    """The ``[article]`` table of a language's clause lexicon (empty without one): its
    ``words`` and ``laws``, and the ``numbered`` words and ``law_first`` of the languages
    that write the number or the law first."""
    if not resources.files("mailbot.classify").joinpath(
            f"lexicons/clauses/{language}.toml").is_file():
        return {}
    return _data(f"lexicons/clauses/{language}.toml").get("article", {})


# The languages most mail comes in: their lexicons are read by the warm-up (the others when
# a mail first needs them: all sixteen cost a worker 4 MiB).
PRELOADED_LANGUAGES = ("nl", "en", "de", "fr")


@preloaded
def _main_lexicons() -> tuple[ClauseLexicon | None, ...]:
    return tuple(clause_lexicon(language) for language in PRELOADED_LANGUAGES)


@preloaded
def _frames_by_first() -> dict[str, tuple[int, ...]]:
    """The positions of the frames in ``frames()``, by each concept of their first group."""
    index: dict[str, list[int]] = {}
    for n, frame in enumerate(frames()[0]):
        for concept in frame.needs[0]:
            index.setdefault(concept, []).append(n)
    return {c: tuple(f) for c, f in index.items()}


@preloaded
def frames() -> tuple[tuple[Frame, ...], int]:
    data = _data("lexicons/clauses/frames.toml")
    found = []
    for f in data["frame"]:
        kind = RequestKind(f["kind"])
        needs = tuple(frozenset(group.split("|")) for group in f["needs"])
        found.append(Frame(kind, needs, frozenset(f.get("unless", ())), float(f["weight"]),
                           bool(f.get("negative")),
                           tuple((int(i), int(j), int(n)) for i, j, n in f.get("near", ())),
                           bool(f.get("mood")), Frame.named(kind, needs),
                           bool(f.get("borrowed")), bool(f.get("scoped")),
                           bool(f.get("bare"))))
    return tuple(found), int(data["window"])


def tag(tokens: Sequence[str], lexicon: ClauseLexicon) -> list[Span]:
    """Every concept the words of one sentence express, with where."""
    forms = lexicon.forms
    lemmas: list[str] | None = None
    spans: list[Span] = []
    last = len(tokens) - 1
    # most words start no entry: they are passed over in C (``compress``), looked up at once
    each = list(map(lexicon.memo.get, tokens))
    if None in each:  # (a word not yet remembered)
        each = [lexicon.entries(t) if e is None else e for t, e in zip(tokens, each, strict=True)]
    guests = lexicon.guests
    if guests and not all(each) and not guests.keys().isdisjoint(tokens):
        borrowed = [i for i, t in enumerate(tokens) if not each[i] and t in guests]
        if borrowed and _shows(tokens, lexicon.language):
            for i in borrowed:
                each[i] = guests[tokens[i]]
    for i in compress(range(len(tokens)), each):
        token = tokens[i]
        if token == ",":
            continue
        entries = each[i]
        found = []
        for entry in entries:
            if entry.single:
                found.append((i + 1, entry))
                continue
            if lemmas is None:
                lemmas = [forms.get(t, t) for t in tokens]
            second = entry.second
            if second is not None and (i == last or (tokens[i + 1] != second and (
                    entry.exact or lemmas[i + 1] != second))):
                continue
            end = _match(entry, tokens, lemmas, i)
            if end is not None:
                found.append((end, entry))
        if len(found) == 1:
            end, entry = found[0]
            spans.append(Span(entry.concept, i, end, entry.gap))
        elif found:
            # Of the entries starting here, only the longest count ("get rid of" is not "get").
            longest = max(end for end, _ in found)
            # (a wish a gap entry starts with still asks: "mogen ... uit")
            gapped = any(e.gap for _, e in found)
            spans.extend(Span(e.concept, i, end, e.gap) for end, e in found
                         if end == longest or e.gap or (gapped and e.concept == "want"))
    if lexicon.relative:
        spans = [s for s in spans if s.concept != "qword" or not (
            tokens[s.start] in lexicon.relative and s.end < len(tokens)
            and tokens[s.end] in lexicon.relative_next)]
    if lexicon.quantifiers:
        spans = [s for s in spans if s.concept != "qword"
                 or not _after_quantifier(tokens, s.start, lexicon.quantifiers)]
    if lexicon.done or lexicon.participles:
        spans = [s for s in spans if s.concept != "correct" or not _done(tokens, s, lexicon)]
    # Words inside a longer run of words are that run only ("remove me from" is no "me").
    runs = [s for s in spans if s.end - s.start > 1 and not s.gap]
    if not runs:
        return spans
    return [s for s in spans if not any(
        r.start < s.start and s.end <= r.end and r is not s for r in runs)]


_DONE_REACH = 2  # "has been updated", "a bien ete enregistree"


def _after_quantifier(tokens: Sequence[str], at: int,
                      quantifiers: Sequence[tuple[str, ...]]) -> bool:
    """Word ``at`` follows one of ``quantifiers`` (a comma between them allowed: "alles,
    was Sie haben")."""
    before = list(tokens[max(0, at - 4):at])
    if before and before[-1] == ",":
        before.pop()
    return any(len(q) <= len(before) and tuple(before[-len(q):]) == q for q in quantifiers)


def _done(tokens: Sequence[str], span: Span, lexicon: ClauseLexicon) -> bool:
    """The action at ``span`` is said as done to something, not asked for."""
    if any(t in lexicon.done for t in tokens[max(0, span.start - _DONE_REACH):span.start]):
        return True
    word = tokens[span.start]
    return (span.start > 0 and tokens[span.start - 1] == "," and span.end - span.start == 1
            and lexicon.forms.get(word, word) != word and word.endswith(lexicon.participles)
            if lexicon.participles else False)


def _match(entry: Entry, tokens: Sequence[str], lemmas: Sequence[str], i: int) -> int | None:
    """Where ``entry`` ends when it starts at word ``i`` (whose first part matches it)."""
    parts = entry.parts
    head = parts[:-1] if entry.gap else parts
    if entry.exact:  # ("=stellen ... ein": "eine" is no form of "ein" here)
        lemmas = tokens
    j = i
    for part in head[1:]:
        j += 1
        if j >= len(tokens) or not part.matches(tokens[j], lemmas[j]):
            return None
    if not entry.gap:
        return j + 1
    last = parts[-1]
    for k in range(j + 1, min(len(tokens), j + 1 + _FINAL_GAP)):
        if tokens[k] == ",":
            return None
        # Near, or farther as the clause's last word: a separable verb's particle ("trek ik
        # mijn toestemming voor het gebruik van mijn gegevens voor marketingdoeleinden in").
        if last.matches(tokens[k], lemmas[k]) and (
                k - j <= _GAP or k + 1 == len(tokens) or tokens[k + 1] == ","):
            return k + 1
    return None


def _place(frame: Frame, spans: Sequence[Span], window: int,
           closing: dict[int, int] | None = None) -> tuple[int, int] | None:
    """The narrowest place in the sentence where every group of ``frame`` is expressed.
    ``closing``: where a "no more" that ends its clause stands, and where that clause begins:
    it reaches the whole clause ("Die reclamefolders in de brievenbus hoeven niet meer")."""
    closing = closing or {}
    by_group = [[s for s in spans if s.concept in group] for group in frame.needs]
    if not all(by_group):
        return None
    best: tuple[int, int] | None = None
    for anchor in by_group[0]:
        chosen = [anchor]
        for g, others in enumerate(by_group[1:], 1):
            candidates = [s for s in others if (s.start, s.end) != (anchor.start, anchor.end)
                          and (_near_ok(frame, g, s, chosen)
                               or _in_closed_clause(s, anchor, closing))]
            if not candidates:
                break
            chosen.append(min(candidates, key=lambda s: abs(s.start - anchor.start)))
        else:
            start = min(s.start for s in chosen)
            end = max(s.end for s in chosen)
            if end - start <= window and (best is None or end - start < best[1] - best[0]):
                best = (start, end)
    return best


def _in_closed_clause(span: Span, anchor: Span, closing: dict[int, int]) -> bool:
    """``span`` stands in the clause that the "no more" at ``anchor`` ends, before it."""
    return anchor.start in closing and closing[anchor.start] <= span.start < anchor.start


def _closing(tokens: Sequence[str], spans: Sequence[Span]) -> dict[int, int]:
    """Each "no more" that ends its clause (but for its final verbs), with where the clause
    begins."""
    found = {}
    for s in spans:
        if s.concept == "nomore" and _ends_clause(s.end, tokens, spans):
            found[s.start] = max((i + 1 for i in range(s.start) if tokens[i] == ","), default=0)
    return found


_FINAL_VERBS = frozenset({"receive", "contact", "send", "want"})


def _ends_clause(at: int, tokens: Sequence[str], spans: Sequence[Span]) -> bool:
    """Only the clause's final verbs follow ``at`` ("... nicht mehr bekommen", "... niet meer
    ontvangen"): what stands before in the clause is what they take."""
    verbs = {i for s in spans if s.concept in _FINAL_VERBS for i in range(s.start, s.end)}
    for i in range(at, len(tokens)):
        if tokens[i] == ",":
            return True
        if i not in verbs:
            return False
    return True


def _near_ok(frame: Frame, g: int, span: Span, chosen: Sequence[Span]) -> bool:
    for i, j, n in frame.near:
        if j == g and i < len(chosen):
            other = chosen[i]
            if max(span.start - other.end, other.start - span.end) > n:
                return False
    return True


def _clause_start(tokens: Sequence[str], start: int, breaks: frozenset[str],
                  *, commas: bool = True) -> int:
    """Where the clause holding ``start`` begins: after a break word or (``commas``) a comma."""
    for i in range(start - 1, -1, -1):
        if (commas and tokens[i] == ",") or tokens[i] in breaks:
            return i + 1
    return 0


def _clause_end(tokens: Sequence[str], end: int, breaks: frozenset[str],
                *, commas: bool = True) -> int:
    for i in range(end, len(tokens)):
        if (commas and tokens[i] == ",") or tokens[i] in breaks:
            return i
    return len(tokens)


def _concept_at(spans: Sequence[Span], concept: str, lo: int, hi: int) -> Span | None:
    return next((s for s in spans if s.concept == concept and lo <= s.start < hi), None)


def _manner(neg: Span, spans: Sequence[Span]) -> bool:
    """The negation is part of a phrase of manner ("sans delai", "without undue delay")."""
    return any(s.concept == "manner" and s.start <= neg.start < s.end for s in spans)


def _negation(frame: Frame, tokens: Sequence[str], spans: Sequence[Span], place: tuple[int, int],
              breaks: frozenset[str], relatives: frozenset[str] = frozenset(), *,
              final: bool = False, consequences: frozenset[str] = frozenset(),
              nouns: frozenset[str] = frozenset(),
              complementizers: frozenset[str] = frozenset(),
              infinitive: frozenset[str] = frozenset(),
              particles: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """The negation that cancels the frame at ``place``, and where it stands. For requests
    other than opt-outs, "stop" and "no more" negate too ("stop sending me ..." asks for no
    data)."""
    start, end = place
    if frame.negative:
        # "ik wil me niet afmelden voor de nieuwsbrief": the negation is of the opt-out (in
        # the frame's clause: "niet verwijderen, maar stuur geen nieuwsbrieven meer" asks).
        lo = _clause_start(tokens, start, breaks)
        hi = _clause_end(tokens, end, breaks)
        for neg in spans:
            if neg.concept == "neg" and lo <= neg.start < hi and not _manner(neg, spans) and any(
                    s.concept in _UNDONE and (0 < s.start - neg.start <= _AFTER_REACH + 1 or (
                        # ("melden Sie mich nicht ab", "stop maar niet met de nieuwsbrief")
                        s.gap and s.start < neg.start < s.end) or (
                        s.end <= neg.start and all(t == _PARTICLE or t in particles
                                                   for t in tokens[s.end:neg.start])))
                    for s in spans):
                return " ".join(tokens[neg.start:neg.end]), neg.start
        return None
    cues = {"neg"} if frame.kind is RequestKind.UNSUBSCRIBE else {"neg", "stop", "nomore"}
    needed = set().union(*frame.needs)
    lo = max(_clause_start(tokens, start, breaks), start - _NEGATION_REACH)
    action = _action(frame, spans, place)
    if action is not None and action.start > start and (
            opens := _clause_start(tokens, action.start, breaks)) == action.start:
        # ("You don't need to keep my data, delete it"): an action that opens a clause of
        # its own after its object's is not negated in the object's clause
        lo = max(lo, opens)
    # ("alles te verwijderen wat niet meer nodig is": the relative clause's "niet meer")
    hi = min(_clause_end(tokens, end, breaks | relatives), end + _AFTER_REACH)
    for span in spans:
        if (frame.kind is RequestKind.ERASURE and span.concept == "nomore" and any(
                s.concept == "hold" and abs(s.start - span.start) <= _HELD_REACH for s in spans)):
            continue  # "möchte ich nicht mehr gespeichert haben": why to erase, not a negation
        if span.concept in cues and lo <= span.start < hi and not _manner(span, spans) and not any(
                s.concept in needed and s.concept not in cues and not (
                    s.gap and s.concept in _UNDONE)  # ("stop maar niet met de nieuwsbrief")
                and s.start <= span.start < s.end for s in spans) and not _embedded(
                span, tokens, spans, frame, place, relatives) and not _after_consequence(
                span, tokens, spans, frame, consequences) and nouns.isdisjoint(
                tokens[span.end:span.end + _NOUN_REACH]):
            # (a negation inside the frame's own words, "klopt niet", is part of them)
            return " ".join(tokens[span.start:span.end]), span.start
    opening = _clause_start(tokens, start, breaks)
    if 1 < opening < len(tokens) and tokens[opening - 1] == ",":
        wish = _clause_start(tokens, opening - 1, breaks)
        neg = _concept_at(spans, "neg", wish, opening - 1)
        # ", dass ..." after a negated wish; ", mein Konto zu löschen" after any negation
        acts = {s.start for s in spans if s.concept in frame.needs[0]}
        governed = (tokens[opening] in complementizers
                    and _concept_at(spans, "want", wish, opening - 1) is not None) or any(
            tokens[i] in infinitive and i + 1 in acts
            for i in range(opening, _clause_end(tokens, end, breaks)))
        if neg is not None and governed:
            return " ".join(tokens[neg.start:neg.end]), neg.start
    if final and frame.kind is not RequestKind.UNSUBSCRIBE:
        # ("den Newsletter möchte ich nicht" is itself the opt-out)
        last = _clause_end(tokens, end, breaks | relatives) - 1
        for span in spans:
            if (span.concept == "neg" and span.end - 1 == last and span.start >= end
                    and not _manner(span, spans) and not any(
                        s.concept in needed and s.start <= span.start < s.end for s in spans)):
                return " ".join(tokens[span.start:span.end]), span.start
    return None


_NOUN_REACH = 2  # "geen enkele reactie", "no reply yet"


def _after_consequence(neg: Span, tokens: Sequence[str], spans: Sequence[Span], frame: Frame,
                       consequences: frozenset[str]) -> bool:
    """The frame's action follows the negation after a comma and a word of consequence ("ik
    wil niet dat die kopie blijft rondslingeren, dus graag verwijderen"): another clause."""
    if not consequences:
        return False
    acts = [s.start for s in spans if s.concept in frame.needs[0] and s.start > neg.end]
    return bool(acts) and any(tokens[i] == "," and tokens[i + 1] in consequences
                              for i in range(neg.end, min(acts) - 1))


def _embedded(neg: Span, tokens: Sequence[str], spans: Sequence[Span], frame: Frame,
              place: tuple[int, int], relatives: frozenset[str]) -> bool:
    """The negation stands in a relative clause between the frame's object and its final
    verb ("dat alles wat jullie niet hoeven te bewaren verwijderd wordt")."""
    start, end = place
    if not any(tokens[i] in relatives for i in range(start, neg.start)):
        return False
    return any(s.concept in frame.needs[0] and neg.end <= s.start < end + 1 for s in spans)


def hypothetical(text: str, at: int, language: str) -> bool:
    """The sentence of ``text`` (folded) holding offset ``at`` states a condition or what
    follows otherwise ("als ik geen bevestiging krijg, dien ik een klacht in"; "otherwise
    I will complain"), read as ``language``."""
    lexicon = clause_lexicon(language)
    if lexicon is None:
        return False
    for sentence in sentences(text):
        if sentence.at <= at < sentence.at + len(sentence.text):
            opening = " ".join(_TOKEN.findall(sentence.text.strip()))
            if (lexicon.before is not None and lexicon.main_clause is not None
                    and lexicon.before.match(opening)):
                main = lexicon.main_clause.search(sentence.text)
                if main is not None and sentence.at + main.start() <= at:
                    return False
            return any(p is not None and p.search(opening)
                       for p in (lexicon.conditional, lexicon.otherwise))
    return False


@lru_cache(maxsize=32)  # find and the safety rules read the same text in the same language
def tagged(text: str, language: str, marked: bool = False,
           ) -> tuple[tuple[Sentence, tuple[str, ...], list[Span]], ...]:
    """The sentences of ``text`` with their words and the concepts they express. ``marked``:
    only the sentences that hold one of the language's mark words (``[syntax] marks``: "the",
    "please"), what a mail in another language may say in this one."""
    lexicon = clause_lexicon(language)
    if lexicon is None:
        return ()
    skip = lexicon.marks if marked else None
    return tuple((sentence, tokens, [] if skip and skip.isdisjoint(tokens)
                  else _tagged_words(tokens, language)) for sentence, tokens in _split(text))


@lru_cache(maxsize=1024)  # the same sentence stands in the body, its own text and a hit's
def _tagged_words(tokens: tuple[str, ...], language: str) -> list[Span]:
    lexicon = clause_lexicon(language)
    assert lexicon is not None
    spans = tag(tokens, lexicon)
    # ("verzoek om inzage ex artikel 15 AVG": "under", the legal Latin, not an ex-partner;
    # "ook niet in de spam", "nothing in my spam folder": where mail lands, not a mailing;
    # "can the newsletter stop being so long?": a way of being that ends, not the mailing)
    return [s for s in spans if not (
        s.concept == "stop" and s.end < len(tokens) and tokens[s.end] == "being") and not (
        s.concept == "third_party" and tokens[s.start] == "ex" and s.end < len(tokens)
        and tokens[s.end].startswith("art")) and not (
        tokens[s.start].startswith("spam")
        and not _IN.isdisjoint(tokens[max(0, s.start - 3):s.start]))]


_IN = frozenset({"in", "im", "dans"})


def mentions(text: str, language: str, concept: str) -> bool:
    """Some sentence of ``text`` (folded) expresses ``concept`` in ``language``."""
    return any(s.concept == concept for *_, spans in tagged(text, language) for s in spans)


def _read(text: str, language: str, marked: bool,
          ) -> tuple[tuple[Sentence, tuple[str, ...], list[Span]], ...]:
    # called as the other readers call it, so that the cache serves them all
    return tagged(text, language, True) if marked else tagged(text, language)


def personal(text: str, language: str) -> bool:
    """``text`` (folded) speaks of the writer ("me", "mijn", "mich") in ``language``."""
    lexicon = clause_lexicon(language)
    return lexicon is not None and _personal(_TOKEN.findall(text), (), lexicon)


def said(text: str, language: str, concept: str, marked: bool = False) -> list[str]:
    """The words of each place where some sentence of ``text`` (folded) expresses
    ``concept`` in ``language`` (``marked``: as ``tagged``)."""
    return [" ".join(tokens[s.start:s.end]) for _, tokens, spans in _read(text, language, marked)
            for s in spans if s.concept == concept]


def find(text: str, language: str, *, offset: int = 0, subject: bool = False,
         short: bool = False, processor: bool = False, topic: str = "",
         marked: bool = False, mailing: bool = False) -> list[ClauseHit]:
    """Frames found in ``text`` (folded) read as ``language``, kept or set aside. ``subject``:
    the text is a subject line; ``short``: the whole mail says only a few words;
    ``processor``: the mail is about data processed for a client (a processing order);
    ``marked``: only the sentences with the language's mark words (``tagged``);
    ``mailing``: the mail forwards a mailing, which an anaphor or a bare action may stand for
    ("Stop hiermee aub." above a forwarded newsletter)."""
    lexicon = clause_lexicon(language)
    if lexicon is None or not text:
        return []
    hits: list[ClauseHit] = []
    sentences_ = _read(text, language, marked)
    # Data processed for a client, named anywhere in the mail ("Wijziging verwerkingsopdracht
    # VO-2024-09: ... 2. na de einddatum alle testgegevens verwijderen"), is nobody's own.
    # What the writer asks for themself ("could you take me off the invitation list") is
    # still their own.
    said = {s.concept for *_, spans in sentences_ for s in spans}
    processor = processor or "processor_context" in said
    # "Mijn vader is overleden. ... Kunnen jullie zijn gegevens verwijderen?": someone named
    # before, spoken of as "zijn", "sie", "her" (a child's data excepted: a parent may ask).
    child = any(_own_child(spans) for *_, spans in sentences_) or (
        "third_party" in said and lexicon.representative is not None
        and search(lexicon.representative, text) is not None)
    others = "third_party" in said and not child
    # "Mijn vader is overleden. ... Wilt u ervoor zorgen dat er geen reclame meer naar hem
    # wordt gestuurd?": the writer's own relative, named before, is whom "hem" asks for
    relative = others and any(_own_relative(tokens, spans, language) is not None
                              for _, tokens, spans in sentences_)
    before: list[list[Span]] = []  # the spans of the sentences before, nearest last
    in_list = False  # the sentence before was a list item
    tried: list[tuple[Sentence, tuple[str, ...], list[Span]]] = []
    # A new thread's subject names what the body is about ("Verkeerde aanhef" ... "Wilt u dit
    # corrigeren?"): an anaphor or a bare action may stand for what it names.
    topics = [list(spans) for *_, spans in tagged(topic, language)] if topic else []
    if mailing:
        topics.append([Span(c, 0, 1) for c in _MAILING_OBJECTS])
    plea = False  # the list's lead asks ("Can you update my preferences as follows:")
    for sentence, tokens, spans in sentences_:
        tokens = _particles(tokens, lexicon)
        before = before[-_ANAPHOR_REACH:]
        # (the items of a list are one thing an anaphor after it may point back to: "- vier
        # mails - twee sms'jes - een brief ... ik wil dit allemaal niet meer")
        listed = sentence.item and bool(before) and in_list
        in_list = sentence.item
        carried = plea and not sentence.item  # the sentence right after a pleading lead
        if not sentence.item:
            plea = sentence.lead and any(s.concept == "want" for s in spans)
        if (sentence.item or carried) and (plea or carried) and spans and not any(
                s.concept == "want" for s in spans):
            # "1) no newsletter 2) no phone calls": each item carries the lead's plea
            tokens, spans = (*tokens, _UNSAID), [*spans, Span("want", len(tokens),
                                                            len(tokens) + 1)]
        if not spans:
            if sum(t != "," for t in tokens) > _ELLIPSIS_WORDS:
                # (a few words naming nothing, "het is gewoon Hoekstra", keep the thread)
                before.append([])
            continue
        readings = [(tokens, spans, False)]
        more_tokens, more_spans = _resolved(tokens, spans, before, lexicon, topics)
        if more_spans is not spans:
            # The object borrowed from before serves only the action that lacks it.
            readings.append((more_tokens, more_spans, True))
        if listed:
            before[-1] = [*before[-1], *spans]
        else:
            before.append(spans)
        seen: set[str] = set()
        for reading, found, borrowed in readings:
            hits.extend(_frames_in(sentence, reading, found, borrowed, seen, lexicon,
                                   processor=processor, others=others, child=child,
                                   relative=relative, offset=offset,
                                   asks=subject or short))
        if any(s.concept == "do_it" for s in spans) and _asks(sentence, spans, False):
            # "Ik probeer me af te melden, maar de link doet het niet. Willen jullie het voor
            # mij doen?": the plea asks what the sentences before only told of trying
            for earlier, reading, found in tried[-_ANAPHOR_REACH:]:
                hits.extend(h for h in _frames_in(earlier, reading, found, False, set(),
                                                  lexicon, processor=processor,
                                                  others=others, child=child, relative=relative,
                                                  offset=offset, asks=True)
                            if h.why is None)
        tried.append((sentence, tokens, spans))
    return hits


_UNREAD = "\0"  # (not yet read)


def _frames_in(sentence: Sentence, tokens: tuple[str, ...], spans: list[Span], borrowed: bool,
               seen: set[str], lexicon: ClauseLexicon, *, processor: bool, others: bool,
               child: bool, offset: int, asks: bool, relative: bool = False,
               ) -> Iterator[ClauseHit]:
    """The frames one reading of a sentence expresses (each frame once per sentence)."""
    all_frames, window = frames()
    spans = _headless_relative(sentence, tokens, spans, lexicon)
    concepts = {s.concept for s in spans}
    closing = _closing(tokens, spans) if lexicon.final_negation else None
    if "third_party" in concepts and (child or all(
            s.start > 0 and tokens[s.start - 1] in lexicon.yours
            for s in spans if s.concept == "third_party")):
        # a parent asking for a child named in the mail ("en tant que mere ... le concernant");
        # "je collega", "your colleague": one of ours
        concepts.discard("third_party")
        yours_at = {s.start - 1 for s in spans if s.concept == "third_party"}
        if all(s.start in yours_at for s in spans if s.concept == "their"):
            concepts.discard("their")  # ("Ihre Kollegin": "ihre" is yours here, not theirs)
    if "third_party" in concepts and "partner" in concepts and all(
            any(p.concept == "partner" and p.start == s.start for p in spans)
            and not any(m.concept == "my" and m.end == s.start for m in spans)
            for s in spans if s.concept == "third_party"):
        # "marketing partners", "ad partners": businesses, not the writer's partner
        concepts.discard("third_party")
    grouped = "group" in concepts
    personal = _personal(tokens, spans, lexicon) if processor or others or grouped else True
    if (processor or grouped) and not personal:
        # "alle klantgegevens vernietigen", "delete the subscriber data": data of people a
        # company holds, not the writer's own
        concepts.add("processor_context")
    if others and "their" in concepts and (not personal or (
            _theirs(tokens, spans) and not _mine(tokens, spans))):
        # "zijn nieuwe adres", "seine neue Anschrift": the detail asked about is theirs,
        # though the writer asks for it ("kunnen jullie mij vertellen ...")
        concepts.add("third_party")
    elif (lexicon.others_own and not child and not relative and not others
          and _theirs(tokens, spans) and not _mine(tokens, spans) and any(
            s.concept == "their" and tokens[s.start] in lexicon.others_own for s in spans)):
        # "löschen Sie deren Teilnahmedaten", "delete their records": a possessive that is
        # never the writer's, whoever was named before
        concepts.add("third_party")
    candidates = {n for c in concepts for n in _frames_by_first().get(c, ())}
    if not candidates:
        return
    first = _first_word(tokens, lexicon)
    cause = _reasons(tokens, lexicon)
    aside: str | None = _UNREAD  # what the whole sentence says, read for the first frame
    for frame in (all_frames[n] for n in sorted(candidates)):
        if frame.name in seen or (borrowed and (frame.needs[0].isdisjoint(_ACTIONS)
                                                or "neg" in frame.needs[0])):
            continue
        if frame.borrowed and not borrowed:
            continue
        if frame.bare and (not _bare(frame, tokens, spans, lexicon.joiners) or (
                sentence.item and "want" not in concepts)):
            # (an item under a lead that asks nothing, "This is what I received: 1) no
            # newsletter", tells what came)
            continue
        if any(group.isdisjoint(concepts) for group in frame.needs[1:]):
            continue
        place = _place(frame, spans, window, closing)
        if place is None:
            continue
        seen.add(frame.name)
        seen.update(SUPERSEDES.get(frame.name, ()))
        hit = ClauseHit(frame.kind, frame.name, lexicon.language, frame.weight,
                        sentence.text.strip(), offset + sentence.at)
        if concepts >= _ELSEWHERE:
            yield _aside(hit, ELSEWHERE)
            continue
        if frame.kind in _HELD_SOMEWHERE and _held_elsewhere(tokens, spans, lexicon):
            yield _aside(hit, HELD_ELSEWHERE)
            continue
        if (sentence.question and ((not concepts.isdisjoint({"need", *_REQUEST_NOUNS})
                                    and _names_id(tokens, lexicon)) or (
                lexicon.how_to is not None and search(lexicon.how_to, sentence.text)))) or (
                lexicon.how_to_said is not None and search(lexicon.how_to_said, sentence.text)):
            # ("Do you need a copy of my passport for an access request?")
            yield _aside(hit, HOW_TO)
            continue
        if concepts.isdisjoint(_NOT_YET) and (("done" in concepts
                                               and not _for_a_purpose(spans, "done")) or (
                frame.kind is RequestKind.ACCESS and "arrived" in concepts)):
            yield _aside(hit, ARRIVED)
            continue
        if aside is _UNREAD:
            aside = _sentence_aside(sentence, lexicon)
        if aside is not None:
            yield _aside(hit, aside)
            continue
        if (frame.kind is RequestKind.CORRECTION and sentence.question
                and not concepts.isdisjoint(_STILL)
                and any("old" in group for group in frame.needs)):
            yield _aside(hit, STILL_HELD)
            continue
        if (frame.kind is RequestKind.UNSUBSCRIBE and sentence.question
                and "stop" in set().union(*frame.needs)
                and not lexicon.stopped.isdisjoint(tokens)):
            # ("Ik krijg sinds mei geen nieuwsbrief meer. Is die gestopt?": whether it
            # stopped, not a wish that it stop)
            yield _aside(hit, ASKS_IF_STOPPED)
            continue
        if frame.mood and (_anothers_wish(spans) if not sentence.question else (
                _anothers_wish(_before_comma(tokens, spans))
                and not _pleads(tokens, _first_word(tokens, lexicon), lexicon))):
            # ("Mijn werkgever wil inzage in mijn gegevens, mag dat zomaar?": asks whether it
            # may, not for it; "..., kunnen jullie dat sturen?" pleads and is read)
            yield _aside(hit, ANOTHERS_WISH)
            continue
        if frame.mood and sentence.question and _told_before_a_plea(
                tokens, spans, place, frame.needs[0], lexicon):
            yield _aside(hit, STATES)
            continue
        if (frame.mood or _named_as_noun(frame, tokens, spans, place, lexicon)) and not _asks(
                sentence, spans, asks, first, cause) and not _pleads(
                tokens, first, lexicon) and not _bare(
                frame, tokens, spans, lexicon.joiners) and not _pleads_after_comma(
                tokens, spans, lexicon, scoped=frame.scoped) and not _final_infinitive(
                tokens, spans, lexicon):
            yield _aside(hit, STATES)
            continue
        yield _checked(hit, frame, tokens, spans, place, lexicon, concepts, relative)


ERASE_FROM_MARKETING = "unsubscribe_clause/erase+marketing"
# A frame that reads a sentence more narrowly than another: one reading of it is evidence
# enough (frames.toml lists the narrow one first).
SUPERSEDES = {"unsubscribe_clause/nomore+mailing": ("unsubscribe_clause/nomore+channel",
                                                    "unsubscribe_clause/nomore+channel+me"),
              "unsubscribe_clause/nomore+channel+me": ("unsubscribe_clause/nomore+channel",),
              "unsubscribe_clause/optout+mailing": ("unsubscribe_clause/optout",)}
_WRITER = frozenset({"me", "my", "self", "about_me", "everything"})
_QUALIFIED = 2  # "fichier de prospection": a file, qualified by the words just after it


def _only_marketing(spans: Sequence[Span], lo: int, hi: int) -> bool:
    """The clause erases from marketing files only: it names marketing, and every system the
    sentence names is a marketing one, marketing right before or after it ("vos fichiers de
    prospection"; not "votre fichier de prospection et votre CRM")."""
    marketing = [s.start for s in spans if s.concept == "marketing"]
    return any(lo <= m < hi for m in marketing) and all(
        any(s.start - 1 <= m <= s.end + _QUALIFIED for m in marketing)
        for s in spans if s.concept == "system")


_ANAPHOR_REACH = 2  # sentences back that an anaphor may point to
_ANAPHOR_AFTER = 1  # words between an action and the anaphor that is its object ("Sie")
# What a sentence may name that leaves a request of a kind for a person to read: a time or a
# language the writer would rather have ("niet meer voor negen uur", "auf Englisch"), not
# every call or mail stopped; the app where the writer looks at the data themself ("mijn
# gegevens bekijken in de app, maar de pagina laadt niet"), not a copy asked for.
LIMITS = {RequestKind.UNSUBSCRIBE: frozenset({"time_window", "in_language", "other_channel",
                                               "until"}),
          RequestKind.ACCESS: frozenset({"in_app"}),
          RequestKind.ERASURE: frozenset({"duplicate"})}
_CONTRACT_END_HOLD = "asked for when the contract ends: a person plans the date"
_DEFERRED_HOLD = ("asked for only once something else holds, or as a question of when: a "
                  "person reads when")
_IF_WRITER_REACH = 6  # words between a condition's opening and its verb
_INSTEAD_REACH = 1  # "in plaats van (te) verwijderen", "instead of deleting"
_SINCE_REACH = 1  # "seit meiner Abmeldung", "depuis ma désinscription"
_MAILING_OBJECTS = ("channel", "list")  # what a forwarded mailing is
_ELLIPSIS_WORDS = 4  # "Graag stopzetten": an action this short without its object
_PLACE_WORDS = 3  # "in jullie klantbestand", "in your records", "in Ihrem System"
_UNSAID = "_"  # the place of an object left unsaid
_PARTICLE = "~"  # a break word read as a particle
# What an anaphor may stand for: the things a request acts on.
_OBJECTS = frozenset({"field", "channel", "data", "list", "account", "marketing", "recording",
                      "system", "id_copy", "copy_doc", "preferences"})
_OTHER_ACTIONS = frozenset({"erase", "erase_noun", "correct", "correct_noun"})
_ACTIONS = frozenset({"correct", "stop", "erase", "remove", "optout", "disable", "refuse",
                      "nomore", "object", "exclude", "should_be"})
_SENDING = frozenset({"channel", "marketing", "list"})
_UNWANTED = frozenset({"want", "neg", "receive"})
_CLOSE_ACCOUNT = "/close+account"
_UNWANTED_ALL = frozenset({"want", "neg", "everything"})  # "das alles möchte ich nicht"
_REPLACED = frozenset({"old", "new"})
_HELD = frozenset({"data", "field", "account", "recording", "system", "copy_doc", "id_copy"})
_TAKES = {"correct": frozenset({"field", "data"}), "stop": _SENDING, "optout": _SENDING,
          "disable": _SENDING, "erase": _HELD | _SENDING, "remove": _HELD | _SENDING,
          "refuse": _SENDING, "nomore": _SENDING, "object": _SENDING | {"partner", "share"},
          "exclude": _SENDING, "should_be": frozenset({"field"})}


def _ends(span: Span, tokens: Sequence[str], spans: Sequence[Span]) -> bool:
    """Only "no more" words follow ``span`` in its sentence ("I don't want them anymore")."""
    return all(t == "," or any(s.concept == "nomore" and s.start <= i < s.end for s in spans)
               for i, t in enumerate(tokens[span.end:], span.end))


_NOMORE_WORDS = 2  # words besides "no more", a wish and the anaphor ("dank u")
_NOMORE_REACH = 3  # "ne plus m en envoyer"


def _clause_of_nomore(tokens: Sequence[str], spans: Sequence[Span], lexicon: ClauseLexicon,
                      ) -> tuple[Sequence[str], list[Span]]:
    """The clause that holds the "no more", its spans shifted to it ("Ik heb nergens om
    gevraagd en ik wil dit allemaal niet meer": the words of the last clause count)."""
    at = next(s.start for s in spans if s.concept == "nomore")
    lo = _clause_start(tokens, at, lexicon.clause_breaks)
    hi = _clause_end(tokens, at, lexicon.clause_breaks)
    return tokens[lo:hi], [Span(s.concept, s.start - lo, s.end - lo, s.gap)
                           for s in spans if lo <= s.start and s.end <= hi]


def _other_words(tokens: Sequence[str], spans: Sequence[Span], lexicon: ClauseLexicon) -> int:
    covered = {i for s in spans for i in range(s.start, s.end)}
    return sum(1 for i, t in enumerate(tokens)
               if t != "," and i not in covered and t not in lexicon.anaphors)


def _first_clause_resolved(tokens: Sequence[str], spans: list[Span],
                           before: Sequence[Sequence[Span]],
                           lexicon: ClauseLexicon) -> list[Span]:
    """``spans`` with an anaphor in a first clause that names no object of its own standing
    for what the sentences before name, where a later clause names its own ("Since then I
    get mails about offers. Please stop those and delete my details")."""
    cut = next((i for i, t in enumerate(tokens) if t in lexicon.clause_breaks), None)
    if not cut or not before:  # (none, or the sentence opens with it: "And stop those")
        return spans
    first = {s.concept for s in spans if s.end <= cut}
    actions = first & _ACTIONS
    if not actions or first & _OBJECTS:
        return spans
    # (the anaphor is the clause's last word, the action's object: "stop those and",
    # "stoppen Sie das und", "stop daarmee en")
    at = cut - 1
    if (tokens[at] not in lexicon.anaphors or not any(
            s.concept in _ACTIONS and at - _ANAPHOR_AFTER <= s.end <= at for s in spans)):
        return spans
    fitting = frozenset().union(*(_TAKES[c] for c in actions))
    objects = sorted({s.concept for earlier in before for s in earlier if s.concept in fitting})
    return [*spans, *(Span(c, at, at + 1) for c in objects)]


def _last_clause_resolved(tokens: Sequence[str], spans: list[Span],
                          lexicon: ClauseLexicon) -> list[Span]:
    """``spans`` with an anaphor in the sentence's last clause standing for what the clauses
    before it name ("Ik krijg steeds sms'jes met aanbiedingen, ik wil die niet meer")."""
    cut = max((i for i, t in enumerate(tokens) if t == ","), default=-1)
    if cut < 0:
        return spans
    last = {s.concept for s in spans if s.start > cut}
    actions = last & _ACTIONS
    if not actions or last & _OBJECTS:
        return spans
    at = next((i for i in range(cut + 1, len(tokens)) if tokens[i] in lexicon.anaphors
               and tokens[i] not in lexicon.articles), None)
    if at is None and actions == {"refuse"}:
        # ("je recois des sms de pub, je veux plus": the refusal's object left unsaid)
        at = next(s.start for s in spans if s.start > cut and s.concept == "refuse")
    if at is None:
        return spans
    fitting = frozenset().union(*(_TAKES[c] for c in actions))
    objects = sorted({s.concept for s in spans if s.start < cut and s.concept in fitting})
    return [*spans, *(Span(c, at, at + 1) for c in objects)]


def _placed(tokens: Sequence[str], spans: Sequence[Span], lexicon: ClauseLexicon) -> bool:
    """Every account the clause names comes after a word of place ("on my account")."""
    accounts = [s.start for s in spans if s.concept == "account"]
    return bool(accounts) and all(
        not lexicon.in_place.isdisjoint(tokens[max(0, at - _IN_PLACE_REACH):at])
        for at in accounts)


_IN_PLACE_REACH = 2  # "on my account", "in uw account"


def _resolved(tokens: tuple[str, ...], spans: list[Span], before: Sequence[Sequence[Span]],
              lexicon: ClauseLexicon, topics: Sequence[Sequence[Span]] = (),
              ) -> tuple[tuple[str, ...], list[Span]]:
    """``tokens`` and ``spans`` with the object of an action taken from the sentences just
    before: at an anaphor ("Wilt u dit corrigeren?", "Stop daarmee."), or at
    the end of a few words that name none ("Graag stopzetten.", "Bitte sofort aufhoren.")."""
    if not lexicon.anaphors:
        return tokens, spans
    concepts = {s.concept for s in spans}
    if any(s.concept == "refuse" and not _ends(s, tokens, spans) for s in spans):
        # "dat wil ik niet missen": a wish not to miss it, not a refusal
        concepts.discard("refuse")
    named = concepts & (_OBJECTS - {"system"})
    if "correct" in concepts and _placed(tokens, spans, lexicon):
        # ("Could someone fix it on my account please?": where, not what)
        named.discard("account")
    # ("Na fakturach moje nazwisko jest zapisane jako ... Prosze o poprawienie danych": the
    # data to correct are the details named before)
    general = named == {"data"} and any(
        c.concept == "correct" and d.concept == "data" and c.start < d.start
        for c in spans for d in spans)
    if named and not general:
        spans = _last_clause_resolved(tokens, spans, lexicon)
        return tokens, _first_clause_resolved(tokens, spans, before, lexicon)
    acting = concepts & _ACTIONS
    if not acting and (concepts >= _UNWANTED or concepts >= _UNWANTED_ALL):
        # "Ik krijg sms'jes met aanbiedingen. Ik wil die niet ontvangen.", "... Aber das
        # alles möchte ich nicht.": a wish not to receive what was named before refuses it
        acting = {"refuse"}
    if not acting:
        return tokens, spans
    if acting == {"nomore"} and _other_words(
            *_clause_of_nomore(tokens, spans, lexicon), lexicon) > _NOMORE_WORDS:
        # "Dat hoeft niet meer.", "No more of those please." point back; "Dat is al een
        # tijd niet meer zo", "ik woon daar niet meer" tell of something else
        return tokens, spans
    fitting = frozenset().union(*(_TAKES[c] for c in acting))
    actions = {s.start for s in spans if s.concept in _ACTIONS or (
        "refuse" in acting and s.concept == "receive")}
    # (an anaphor that is also an article stands for an object only before the action, or
    # beside "no more": "ne plus m'en envoyer")
    nomore = {s.start for s in spans if s.concept == "nomore"}
    # (of several, the one nearest an action: "ik heb ze nodig, dus als jullie ze verwijderen
    # ...": the second "ze" is what is erased, in the clause of the condition)
    at = min((i for i, t in enumerate(tokens) if t in lexicon.anaphors and (
        t not in lexicon.articles or _next_word(tokens, i, lexicon) in actions
        or any(abs(i - k) <= _NOMORE_REACH for k in nomore))),
        key=lambda i: (min((abs(i - a) for a in actions), default=0), i), default=None)
    # The subject serves an anaphor, or a bare action that repeats its own ("Functie
    # bijwerken" ... "Graag bijwerken.").
    # ("geboortedatum verkeerd" ... "Graag corrigeren.": a correction's bare action takes
    # the detail the subject names)
    topical = [t for t in topics if at is not None or acting & {
        s.concept for s in t} or {s.concept for s in t} == set(_MAILING_OBJECTS) or (
        "correct" in acting and any(s.concept == "field" for s in t))]
    objects = sorted({s.concept for earlier in (*before, *topical) for s in earlier
                      if s.concept in fitting})
    if not objects:
        return tokens, spans
    if general:
        at, fitting = next(s.start for s in spans if s.concept == "data"), frozenset({"field"})
        objects = sorted({s.concept for earlier in before for s in earlier
                          if s.concept in fitting})
        if not objects:
            return tokens, spans
    if at is None and "correct" in acting and concepts >= _REPLACED:
        # ("Merci de remplacer l'ancien par le nouveau"): the old one is the detail
        at = next(s.start for s in spans if s.concept == "old")
    if at is None:
        # ("Graag corrigeren in jullie klantbestand": where, not what)
        allowed = _ELLIPSIS_WORDS + (_PLACE_WORDS if "system" in concepts else 0)
        # (a correction's plea words do not count: "Pouvez-vous corriger, s'il vous plaît ?")
        # ("hoeft niet meer, dank je": the "no more" clause, not the thanks after it)
        said = (_other_words(tokens, spans, lexicon) if acting == {"correct"}
                else len(_clause_of_nomore(tokens, spans, lexicon)[0]) if acting == {"nomore"}
                else sum(t != "," for t in tokens))
        if said > allowed and "refuse" not in concepts:
            return tokens, spans
        at, tokens = len(tokens), (*tokens, _UNSAID)
    refusal = [Span("refuse", s.start, s.end) for s in spans if s.concept == "neg"
               ] if "refuse" in acting and "refuse" not in concepts else []
    if any(_speaks_of_writer(earlier, fitting) for earlier in before):
        # ("Jullie hoeven mijn gegevens niet meer te hebben. Haal ze maar weg.": "ze" stands
        # for the writer's own data, not for someone named earlier in the mail)
        spans = [s for s in spans if not (s.concept == "their" and s.start == at)]
    return tokens, [*spans, *refusal, *(Span(c, at, at + 1) for c in objects)]


def _speaks_of_writer(spans: Sequence[Span], objects: frozenset[str]) -> bool:
    """A sentence names an object of the writer's own, and nobody else."""
    concepts = {s.concept for s in spans}
    return bool(concepts & objects) and "self" in concepts and not concepts & {
        "their", "third_party"}


def _personal(tokens: Sequence[str], spans: Sequence[Span], lexicon: ClauseLexicon) -> bool:
    """The sentence speaks of the writer ("me", "mijn", "mich"), also inside a longer run of
    words ("take me off"); "my" before someone else ("mijn ex-man", "my former tenant",
    "meine verstorbene Mutter") speaks of them."""
    others = {s.start for s in spans if s.concept == "third_party"}
    return any(e.concept in ("me", "self") and len(e.parts) == 1
               and not others & {i + 1, i + 2}
               for i, t in enumerate(tokens) for e in lexicon.by_word.get(t, ()))


def _own_child(spans: Sequence[Span]) -> bool:
    """The writer's child ("mijn dochter", "my son", "meine Tochter", "ma fille"), not any
    child named ("we hebben samen twee kinderen")."""
    mine = {s.start for s in spans if s.concept in ("my", "self")}
    return any(s.concept == "child" and mine & {s.start - 1, s.start - 2} for s in spans)


def _own_relative(tokens: Sequence[str], spans: Sequence[Span], language: str,
                  concepts: tuple[str, ...] = ("child", "family")) -> str | None:
    """The words naming the writer's child or relative ("mijn moeder", "my son", "meinem
    Mann", "ma fille"), not any relative named ("his wife") nor the writer's ex."""
    mine = {s.start for s in spans if s.concept in ("self",)}
    # ("meine Frau": an entry of its own, whose "meine" is no span of its own)
    mine |= {s.start for s in spans if s.concept in concepts and s.end - s.start > 1
             and tokens[s.start] in _my_words(language)}
    lexicon = clause_lexicon(language)
    after = lexicon is not None and lexicon.possessive_after
    for s in spans:
        if s.concept in concepts:
            owner = s.start if s.start in mine else next(
                (at for at in (s.start - 1, s.start - 2) if at in mine), None)
            if owner is not None:
                return " ".join(tokens[owner:s.end])
            if after and s.end in mine:
                return " ".join(tokens[s.start:s.end + 1])
    return None


@cache
def _my_words(language: str) -> frozenset[str]:
    """The one-word entries of a language's ``self`` concept ("mijn", "meine", "ma")."""
    lexicon = clause_lexicon(language)
    if lexicon is None:
        return frozenset()
    return frozenset(w for w, entries in lexicon.by_word.items()
                     if any(e.concept == "self" and len(e.parts) == 1 for e in entries))


@cache
def _relative_words(language: str) -> frozenset[str]:
    """Every word of a language's ``child`` and ``family`` entries but "my" ("meinem Mann"),
    of its own lexicon (one it borrows names none)."""
    if not resources.files("mailbot.classify").joinpath(
            f"lexicons/clauses/{language}.toml").is_file():
        return frozenset()
    lexicon = clause_lexicon(language)
    return lexicon.relatives if lexicon is not None else frozenset()


def _relatives(concepts: dict) -> frozenset[str]:
    """``_relative_words`` of a lexicon's concepts, read when it loads (not by parsing its
    file again when a mail first names someone's relative)."""
    def words(*names: str) -> set[str]:
        return {w for name in names for entry in concepts.get(name, ())
                for w in _TOKEN.findall(entry)}
    return frozenset(words("child", "family") - words("my", "self"))


def for_relative(text: str, language: str, *, child: bool = True) -> str | None:
    """The words of the first sentence of ``text`` (folded) that names the writer's relative
    (``child``: or child) in ``language``, who a request in it is for; without ``child``, a
    sentence that names the writer as its object is the writer's own."""
    concepts = ("child", "family") if child else ("family",)
    if _relative_words(language).isdisjoint(_TOKEN.findall(text)):
        return None  # (most sentences name nobody's relative: no tagging for them)
    lexicon = clause_lexicon(language)
    asked_me = lexicon.asked_me if lexicon is not None else ()
    for _, tokens, spans in tagged(text, language):
        if not child and any(s.concept == "me" for s in spans) and not _holds(tokens, asked_me):
            continue  # "remove me as my brother's contact": the writer's own
        named = _own_relative(tokens, spans, language, concepts)
        if named is None and not child and any(_adult(tokens, s) for s in spans
                                               if s.concept == "child"):
            # ("Mijn zoon (22) wil dat jullie zijn gegevens verwijderen": an adult child is a
            # relative like any other, not a child whose data a parent may have erased)
            named = _own_relative(tokens, spans, language, ("child",))
        if named is not None:
            return named
    return None


def _holds(tokens: Sequence[str], phrases: Sequence[tuple[str, ...]]) -> bool:
    """One of ``phrases`` (each as its words) stands in ``tokens``."""
    return any(tuple(tokens[i:i + len(p)]) == p
               for p in phrases for i in range(len(tokens) - len(p) + 1) if tokens[i] == p[0])


_STEM = 4  # the shortest verb an enclitic pronoun is read off

_ADULT_AGE = 16  # the age from which the organisation deletes a child's data only on their word
_AGE_REACH = 3  # "zoon (22)", "son, 22,", "Sohn, der 22 ist"


def _adult(tokens: Sequence[str], span: Span) -> bool:
    """An age of 16 or more is told right after the child named at ``span``."""
    return any(t.isdigit() and _ADULT_AGE <= int(t) < 130
               for t in tokens[span.end:span.end + _AGE_REACH])


def theirs(text: str, language: str) -> bool:
    """Some sentence of ``text`` (folded) speaks of someone else's data ("haar gegevens",
    "seine Daten", "what you hold about him"; not "delete my number from his account") in
    ``language``."""
    return any((_theirs(tokens, spans) and not _mine(tokens, spans))
               or any(s.concept == "about_them" for s in spans)
               for _, tokens, spans in tagged(text, language))


_OWNED = frozenset({"field", "data", "account", "moved"})
_OWNER_REACH = 2  # "zijn nieuwe adres", "his current address"


def _theirs(tokens: Sequence[str], spans: Sequence[Span]) -> bool:
    """A detail in the sentence is owned by someone else: "their" just before it, with at
    most one word between ("zijn nieuwe adres", "his new address", "seine neue Anschrift")."""
    owners = {s.start for s in spans if s.concept == "their"}
    mine = {s.start for s in spans if s.concept in ("self", "my")} - owners
    for detail in (s for s in spans if s.concept in _OWNED):
        for at in range(detail.start - 1, detail.start - 1 - _OWNER_REACH, -1):
            if at in mine:
                break  # "löschen Sie meine Daten": the nearest owner is the writer
            if at in owners:
                return True
    return False


def _reasons(tokens: Sequence[str], lexicon: ClauseLexicon) -> tuple[int, int] | None:
    """Where a clause of reasons ("weil", "because") begins and ends (at a comma)."""
    at = next((i for i, t in enumerate(tokens) if t in lexicon.causal), None)
    if at is None:
        return None
    end = next((j for j in range(at, len(tokens)) if tokens[j] == ","), len(tokens))
    if lexicon.inverted_subjects and all(t in lexicon.clause_breaks for t in tokens[:at]):
        # ("En omdat ik de fiets verkoop zou ik graag een overzicht krijgen": "zou ik" opens
        # the main clause; "omdat ik", "en ik" do not)
        end = next((j for j in range(at + 2, end - 1)
                    if tokens[j + 1] in lexicon.inverted_subjects
                    and tokens[j] not in lexicon.finite_words
                    and tokens[j] not in lexicon.clause_breaks), end)
    return at, end


def _mine(tokens: Sequence[str], spans: Sequence[Span]) -> bool:
    """A detail in the sentence is the writer's own: "my" right before it ("delete my name and
    number from his account")."""
    owners = {s.start for s in spans if s.concept in ("self", "my")}
    others = {i for s in spans if s.concept in ("their", "third_party")
              for i in range(s.start, s.end)}
    return any(detail.start - 1 in owners and detail.start - 1 not in others
               for detail in spans if detail.concept in _OWNED)


def _asks(sentence: Sentence, spans: Sequence[Span], terse: bool, first: int = 0,
          cause: tuple[int, int] | None = None) -> bool:
    """The sentence asks for something: a wish or a plea, a question, an imperative (its
    first word after a leading "en", "and", "und": ``first``); or it is a subject line or a
    mail of a few words ("Kopie gegevens s.v.p.")."""
    if terse or sentence.question or sentence.item:
        return True
    # (a wish in a clause of reasons, "..., weil ich lieber die Ladekarte benutze", is not one)
    # ("Don't send me any marketing": an imperative after a negation that opens the sentence)
    negated = {s.end for s in spans if s.concept == "neg" and s.start in (0, first)}
    return any((s.concept == "want" and (cause is None or not cause[0] < s.start < cause[1]))
               or ((s.start in (0, first) or s.start in negated) and s.concept in _IMPERATIVE)
               for s in spans)


_MAILINGS = frozenset({"channel", "mailing", "list", "marketing", "contact", "partner", "share",
                       "track", "tracked"})
_ACCOUNT_OBJECTS = frozenset({"data", "about_me", "everything", "field", "document",
                              "recording", "me"})


def _taken_from_account(frame: Frame, tokens: Sequence[str], spans: Sequence[Span], lo: int,
                        hi: int, lexicon: ClauseLexicon) -> bool:
    """The frame's only object is the account named after a word of source ("uit mijn
    account", "from my account", "aus meinem Konto", "de mon compte"), and a thing one owns
    (``possession``: a card, a bike, a device) stands between the action and it."""
    if not lexicon.sources or "account" not in set().union(*frame.needs[1:]):
        return False
    here = [s for s in spans if lo <= s.start < hi]
    if any(s.concept in _ACCOUNT_OBJECTS for s in here) or not any(
            s.concept == "possession" for s in here):
        return False
    accounts = [s for s in here if s.concept == "account"]
    actions = [s for s in here if s.concept in frame.needs[0]]
    if not accounts or not actions:
        return False
    for a in accounts:
        source = next((k for k in range(a.start - 1, max(lo, a.start - 3) - 1, -1)
                       if tokens[k] in lexicon.sources), None)
        # the thing stands between the action and the source, or before the source when
        # the action ends the clause ("mijn oude fiets uit mijn account verwijderen")
        if source is None or not any(v.end < source or (v.start >= a.end and source - lo >= 2)
                                     for v in actions):
            return False
    return True


def _named_as_noun(frame: Frame, tokens: Sequence[str], spans: Sequence[Span],
                   place: tuple[int, int], lexicon: ClauseLexicon) -> bool:
    """Every word of change in ``frame``'s place follows a determiner ("the update about my
    address", "since the last app update"): a thing named, which asks only as a sentence
    asks, not a verb."""
    if not lexicon.determiners or "correct" not in frame.needs[0] or any(
            s.concept == "neg" for s in spans):
        # (a request noun, "this objection", asks as it is; "not a change to our order" is
        # for the negation to read)
        return False
    actions = [s for s in spans if s.concept == "correct" and place[0] <= s.start < place[1]]
    return bool(actions) and all(s.start > 0 and tokens[s.start - 1] in lexicon.determiners
                                 for s in actions)


def _glad_if(before: Sequence[str], lexicon: ClauseLexicon) -> bool:
    """The words before a conditional clause end in a wish it is the object of."""
    if lexicon.glad_if is None or not before:
        return False
    text = " ".join(t for t in before if t != ",")
    return any(m.end() == len(text) for m in lexicon.glad_if.finditer(text))


_ACCESS_WORDS = frozenset({"access", "access_noun"})
_OWN_OBJECTS = frozenset({*_WRITER, "data", "field", "account", "recording", "system", "source"})


def _other_object(tokens: Sequence[str], spans: Sequence[Span], lo: int, hi: int,
                  lexicon: ClauseLexicon) -> str | None:
    """The word an access word of the clause takes, when it names no data of anyone's and
    the clause names no data and not the writer ("inzage in de verdeelsleutel")."""
    if not lexicon.object_preps or any(s.concept in _OWN_OBJECTS and lo <= s.start < hi
                                       for s in spans):
        return None
    covered = {i for s in spans for i in range(s.start, s.end)}
    for s in spans:
        if s.concept not in _ACCESS_WORDS or not lo <= s.start < hi:
            continue
        j = s.end
        if j >= len(tokens) or tokens[j] not in lexicon.object_preps:
            continue
        j += 1
        while j < len(tokens) and tokens[j] in lexicon.object_articles:
            j += 1
        if j < len(tokens) and tokens[j] != "," and j not in covered:
            return tokens[j]
    return None


def _next_word(tokens: Sequence[str], i: int, lexicon: ClauseLexicon) -> int:
    """The position of the word after ``i``, fillers passed over ("het gewoon weghalen")."""
    i += 1
    while i < len(tokens) and tokens[i] in lexicon.fillers:
        i += 1
    return i


def _particles(tokens: tuple[str, ...], lexicon: ClauseLexicon) -> tuple[str, ...]:
    """``tokens`` with each weak break word inside its clause made a particle (no break)."""
    if lexicon.weak_breaks.isdisjoint(tokens):
        return tokens
    return tuple(_PARTICLE if t in lexicon.weak_breaks and i and tokens[i - 1] != "," else t
                 for i, t in enumerate(tokens))


def _anothers_wish(spans: Sequence[Span]) -> bool:
    """Every wish of the sentence is another party's, named right before it ("Mijn werkgever
    wil weten welke gegevens jullie van mij hebben", "my employer wants to know")."""
    wants = [s for s in spans if s.concept == "want"]
    owned = {s.end for s in spans if s.concept in ("my", "self")}
    # (the party is the subject, the writer's: "mijn werkgever wil", not "naar ander bedrijf
    # wil dat jullie ...", where the writer wills)
    ends = {s.end for s in spans if s.concept == "elsewhere" and s.start in owned}
    return bool(wants) and all(w.start in ends for w in wants)


_HELD_SOMEWHERE = frozenset({RequestKind.ACCESS, RequestKind.ERASURE})
_PLACE_REACH = 3  # "bij de huisarts", "bei meinem Arzt": the place's word a few words before


def _held_elsewhere(tokens: Sequence[str], spans: Sequence[Span],
                    lexicon: ClauseLexicon) -> bool:
    """The data named lies with another organisation ("inzage in mijn dossier bij de
    huisarts", "my records at the hospital"): a word of place before that organisation, after
    the data."""
    if not lexicon.at_place:
        return False
    data_ends = [s.end for s in spans if s.concept in ("data", "system", "account")]
    return any(s.concept == "elsewhere" and any(end <= s.start for end in data_ends)
               and not lexicon.at_place.isdisjoint(tokens[max(0, s.start - _PLACE_REACH):s.start])
               for s in spans)


def _before_comma(tokens: Sequence[str], spans: Sequence[Span]) -> list[Span]:
    """The spans of the sentence's first clause, up to its first comma."""
    comma = next((i for i, t in enumerate(tokens) if t == ","), len(tokens))
    return [s for s in spans if s.end <= comma]


def _told_before_a_plea(tokens: Sequence[str], spans: Sequence[Span],
                        place: tuple[int, int], action: frozenset[str],
                        lexicon: ClauseLexicon) -> bool:
    """In a question, the frame lies in a clause that tells what was done ("de app heeft al
    mijn ritten verwijderd", "the app deleted all my rides": an action word in another form
    than its own, no wish) before a comma and a plea that asks something else of its own
    ("kunnen jullie kijken wat er mis is?"; not "..., can you do that?", which points back)."""
    start, end = place
    comma = next((i for i in range(end, len(tokens)) if tokens[i] == ","), None)
    if comma is None or not lexicon.pleas:
        return False
    after = tokens[comma + 1:]
    plea = next((p for p in lexicon.pleas if tuple(after[:len(p)]) == p), None)
    if plea is None or any(t in lexicon.anaphors for t in after[len(plea):]) or any(
            s.concept in action and s.start > comma for s in spans):
        # (a plea that points back, or asks the same action itself: "ik heb mijn account
        # verwijderd, kunnen jullie nu ook mijn gegevens wissen?")
        return False
    clause = [s for s in spans if s.end <= comma]
    if any(s.concept == "want" for s in clause):
        return False
    actions = [s for s in clause if s.concept in _ACTIONS and start <= s.start < end]
    return bool(actions) and all(
        lexicon.forms.get(tokens[s.start], tokens[s.start]) != tokens[s.start]
        for s in actions)


def _pleads(tokens: Sequence[str], first: int, lexicon: ClauseLexicon) -> bool:
    """The sentence, or a clause after a comma ("hi, can you ..."), opens with a plea of the
    language ("can you", "konnen sie", "kunt u")."""
    starts = {first, *(i + 1 for i, t in enumerate(tokens) if t == ",")}
    if any(tokens[i:i + len(p)] == p for i in starts for p in lexicon.pleas):
        return True
    # leave given, of what is the writer's own ("you can delete all my data", "Sie können
    # meine alte Adresse löschen"; not "you can delete the data held under it")
    return any(tokens[i:i + len(p)] == p and _own_in_clause(tokens, i + len(p), lexicon)
               for i in starts for p in lexicon.permissions)


def _own_in_clause(tokens: Sequence[str], at: int, lexicon: ClauseLexicon) -> bool:
    """A possessive of the writer's ("mijn", "my", "meine", "mes") in the clause from ``at``."""
    end = next((i for i in range(at, len(tokens)) if tokens[i] == ","), len(tokens))
    # (a possessive, not "me": "and confirm to me when that's done" owns nothing)
    return any({"my"} <= (concepts := {e.concept for e in lexicon.entries(t)})
               and "me" not in concepts for t in tokens[at:end])


_BARE_WORDS = 10


def _names_id(tokens: Sequence[str], lexicon: ClauseLexicon) -> bool:
    """The sentence names an identity document ("a copy of my passport", "Ausweiskopie")."""
    return any(e.concept == "id_copy" for t in tokens for e in lexicon.entries(t))


def _pleads_after_comma(tokens: Sequence[str], spans: Sequence[Span], lexicon: ClauseLexicon,
                        *, scoped: bool) -> bool:
    """An imperative opens a clause after a comma or a word of consequence ("so take me off
    it"): in a frame whose condition is its scope
    ("als jullie mijn gegevens hebben verkocht, laat me dan weten aan wie"), or with the
    writer just after it ("..., puis effacez toutes mes donnees"; not a list of actions: "uw
    klanten kunnen hun gegevens inzien, corrigeren en laten verwijderen")."""
    writer = {s.start for s in spans if s.concept in _WRITER}
    for s in spans:
        # ("..., dus haal me er maar af": the writer inside a separable verb's span; "take me
        # off": inside a phrase's span)
        if s.concept not in _IMPERATIVE or not (
                scoped or s.end in writer or s.start + 1 in writer or any(
                    e.concept in _WRITER for k in range(s.start + 1, s.end - 1)
                    for e in lexicon.by_word.get(tokens[k], ()))
                # ("..., arrêtez de m'envoyer de la pub")
                or (s.end + 1 in writer and s.end < len(tokens)
                    and tokens[s.end] in lexicon.infinitive_particles)):
            continue
        word = tokens[s.start]
        if lexicon.base_imperative and lexicon.forms.get(word, word) != word:
            continue
        i = s.start - 1
        therefore = False  # ("... nooit aangevraagd dus haal me eraf": no comma needed)
        while i >= 0 and (tokens[i] in lexicon.fillers or tokens[i] in lexicon.clause_breaks):
            therefore = therefore or tokens[i] in lexicon.consequences
            i -= 1
        if i >= 0 and (tokens[i] == "," or therefore):
            return True
    return False


_ELSEWHERE = frozenset({"elsewhere", "asked_before"})
_REQUEST_NOUNS = frozenset({"access_noun", "erase_noun", "correct_noun"})
_NOT_YET = frozenset({"neg", "nomore"})
_STILL = frozenset({"still", "still_have"})
_NOT_OURS = frozenset({"by_them", "service_plan"})
STATES = "states, does not ask"
ANOTHERS_WISH = "tells what another party wants, does not ask it"
ELSEWHERE = "tells of a request made to someone else"
HELD_ELSEWHERE = "speaks of data another organisation holds"
ANOTHERS_SHARING = "speaks of another party sharing the data, not of us"
HOW_TO = "asks how to make a request, not for it"
NONE_NEW = "an old detail with no new one: not a correction"
ARRIVED = "says what was asked for has come or been done"
STILL_HELD = "asks whether an old detail is still held, not to correct it"
WE_RECEIVED = "asks whether we received something, not for a copy"
ASKS_IF_STOPPED = "asks whether a mailing stopped, not that it stop"
NOT_DATA = ", not marketing or personal data"  # ("about 'atelier', not marketing or ...")
# Reasons that speak of the sentence whichever language's words read it.
SENTENCE_FACTS = frozenset({ELSEWHERE, HOW_TO, ARRIVED, STILL_HELD})

# What a whole sentence may say that makes its request words ask nothing: the cue list in
# ``[cues]`` of lexicons/clauses/<lang>.toml, why, and whether only a question says it.
SENTENCE_ASIDES = (
    ("thanked", "thanks for what was done, does not ask for it", False),
    ("if_i", "asks what would follow if the writer did something", True),
    ("reported", "tells what someone said would be done, does not ask it", False),
    ("done_question", "asks whether it was done, does not ask to do it", True),
    ("done_whether", "asks to be told whether it was done, does not ask to do it", False),
    ("generic", "asks about requests in general, makes none", False),
    ("may_ask", "tells what the writer may ask, does not ask it", False),
    ("scope_question", "asks what an opt-out covers, does not ask for one", True),
    ("consequence_question", "asks what an opt-out would cost, does not ask for one", True),
    ("opted_out", "says the writer opted out already", False),
    ("keep_wish", "wishes to keep receiving it", False),
    ("self_did", "says the writer did it themself, asks nothing more", False),
    ("self_service", "asks whether the writer can do it themself, does not ask for it", True),
    ("self_can", "says the writer can do it themself, does not ask for it", False),
    ("own_sending", "tells how the writer would send something, not what we send", False),
    ("retention_question", "asks how long data is kept, does not ask to erase it", True),
    ("automatic_question", "asks whether data goes by itself, does not ask to erase it", True),
    ("practice_question", "asks what the organisation does, of nobody's data in particular",
     True),
    ("fact_check", "asks whether a statement is right, does not ask for anything", True),
    ("worth_question", "asks whether a request would be worth it, does not make it", True),
    ("overdone", "calls the request too much, does not make it", False),
    ("held_right", "says the detail held is right, asks no correction", False),
    ("what_needed", "asks what data is needed, not what is held", False),
    ("right_question", "asks whether the writer has the right, does not use it", True),
    ("broken_button", "reports a quoted button or link that does not work", False),
    ("no_reply", "asks not to reply to this mail, not to stop any mailing", False),
)


def aside_at(text: str, at: int, language: str) -> str | None:
    """What the whole sentence of ``text`` (folded) around ``at`` says that makes its request
    words ask nothing (``SENTENCE_ASIDES``), read in ``language``."""
    lexicon = clause_lexicon(language)
    if lexicon is None or not lexicon.asides:
        return None
    sentence = next((s for s in sentences(text) if s.at <= at < s.at + len(s.text)), None)
    return None if sentence is None else _sentence_aside(sentence, lexicon)


def limited_at(text: str, at: int, language: str, kind: RequestKind) -> bool:
    """The sentence of ``text`` (folded) around ``at`` names what leaves a request of ``kind``
    for a person to read (``LIMITS``)."""
    limits = LIMITS.get(kind)
    if not limits:
        return False
    sentence = next((spans for s, _, spans in tagged(text, language)
                     if s.at <= at < s.at + len(s.text)), None)
    return sentence is not None and any(sp.concept in limits for sp in sentence)


def after_salutation(text: str, lexicon: ClauseLexicon) -> str:
    """``text`` (folded) without the greeting that opens it ("beste mevrouw Jansen, ",
    "bonsoir madame verhoeven,")."""
    greeting = lexicon.salutation.match(text) if lexicon.salutation is not None else None
    return text[greeting.end():] if greeting else text


def _sentence_aside(sentence: Sentence, lexicon: ClauseLexicon) -> str | None:
    text = after_salutation(sentence.text.strip(), lexicon)
    return next((why for name, why, asked in SENTENCE_ASIDES
                 if (not asked or sentence.question) and name in lexicon.asides
                 and search(lexicon.asides[name], text)), None)


def _only_calls(spans: Sequence[Span], lo: int, hi: int) -> bool:
    """The clause's only channel is a call ("bellen", "anrufen", "nachfassen"): no mailing,
    no offer named."""
    calls = {s.start for s in spans if s.concept == "call" and lo <= s.start < hi}
    channels = [s for s in spans if s.concept in ("channel", "list") and lo <= s.start < hi]
    return bool(calls) and all(s.start in calls for s in channels)


def _since_then(tokens: Sequence[str], spans: Sequence[Span], breaks: frozenset[str]) -> bool:
    """A "no more" and a "since" stand in one clause ("sinds uw bevestiging ben ik niet meer
    gebeld", "no more newsletters since May"; not "since Monday I get calls, no more calls")."""
    ends = [s.start for s in spans if s.concept in ("nomore", "neg")]

    def joined(a: int, b: int) -> bool:
        return all(t != "," and t not in breaks for t in tokens[a:b])
    return any(any((e > s.end and joined(s.end, e)) or (e < s.start and joined(e, s.start))
                   for e in ends) for s in spans if s.concept == "since")


_ERASING = frozenset({"erase", "remove"})


def _headless_relative(sentence: Sentence, tokens: Sequence[str], spans: list[Span],
                       lexicon: ClauseLexicon) -> list[Span]:
    """``spans`` without the question word that opens a statement's first clause when an
    erasure follows the comma: "Wat jullie over mij hebben, mag weg", "Was Sie über mich
    haben, kann weg" name what is to go; they ask nothing about it."""
    if sentence.question or "," not in tokens:
        return spans
    comma = tokens.index(",")
    first = _first_word(tokens, lexicon)
    if not any(s.concept == "qword" and s.start == first < comma for s in spans) or not any(
            s.concept in _ERASING and s.start > comma for s in spans):
        return spans
    return [s for s in spans if not (s.concept == "qword" and s.start == first)]


def _final_infinitive(tokens: Sequence[str], spans: Sequence[Span],
                      lexicon: ClauseLexicon) -> bool:
    """The sentence's last clause has no subject and ends in an action's infinitive: a
    request as Dutch and German say it without a verb of wishing ("Dus uit de nieuwsbrief en
    alles wissen"; not "..., dat ik alles kan wissen", "ob Unternehmen Daten löschen", nor
    "om alles te wissen")."""
    if not lexicon.finite_words:
        return False
    last = len(tokens)
    while last and tokens[last - 1] == ",":
        last -= 1
    action = next((s for s in spans if s.end == last and s.end - s.start == 1
                   and s.concept in _IMPERATIVE), None)
    if action is None:
        return False
    word = tokens[action.start]
    if not word.endswith("n") or lexicon.forms.get(word, word) != word or (
            action.start and tokens[action.start - 1] in lexicon.infinitive_particles):
        return False  # ("afmelding", a noun; "gewist", a participle)
    opening = _clause_start(tokens, action.start, lexicon.clause_breaks)
    return lexicon.finite_words.isdisjoint(tokens[opening:last])


def _needed_no_more(tokens: Sequence[str], spans: Sequence[Span],
                    lexicon: ClauseLexicon) -> bool:
    """A verb of needing comes before the word of receiving ("I don't need to receive your
    invites anymore", "je n'ai plus besoin de recevoir"): the writer wants it no more."""
    if not lexicon.need_verbs:
        return False
    receive = min((s.start for s in spans if s.concept == "receive"), default=0)
    return any(lexicon.forms.get(t, t) in lexicon.need_verbs for t in tokens[:receive])


def _first_word(tokens: Sequence[str], lexicon: ClauseLexicon) -> int:
    """Where a sentence's own words begin, after a joining word or a filler ("en", "hey")."""
    return next((i for i, t in enumerate(tokens) if t != ","
                 and t not in lexicon.clause_breaks and t not in lexicon.fillers), 0)


def _bare(frame: Frame, tokens: Sequence[str], spans: Sequence[Span],
          joiners: frozenset[str] = frozenset()) -> bool:
    """A short sentence of nothing but the frame's own words, and the small words between
    them ("Geen mail, geen telefoon, geen post.", "Geen e-mail met aanbiedingen, geen sms."),
    demands what it names, though it has no verb."""
    words = [i for i, t in enumerate(tokens) if t != "," and t not in joiners]
    if not words or len(words) > _BARE_WORDS:
        return False
    needed = set().union(*frame.needs) | {"neg", "nomore", "want"}
    if "channel" in needed:
        needed.add("field")  # "geen telefoon": the phone as a way to reach the writer
    return all(any(s.concept in needed and s.start <= i < s.end for s in spans) for i in words)


def _main_clause(tokens: Sequence[str], lo: int, start: int, lexicon: ClauseLexicon) -> int:
    """Where the clause of the frame starting at ``start`` begins: after a "before" clause
    opening at ``lo``, at the main clause's verb; else ``lo``."""
    if (lexicon.before is None or lexicon.main_clause is None
            or not lexicon.before.match(" ".join(tokens[lo:lo + 3]))):
        return lo
    for k in range(lo + 2, start):
        if lexicon.main_clause.match(" ".join(tokens[k:k + 2])):
            return k
    return lo


def _action(frame: Frame, spans: Sequence[Span], place: tuple[int, int]) -> Span | None:
    """The span of the frame's action (its first group) within ``place``."""
    start, end = place
    return next((s for s in spans if s.concept in frame.needs[0] and start <= s.start < end),
                None)


def _conditional_action(frame: Frame, tokens: Sequence[str], spans: Sequence[Span],
                        place: tuple[int, int], lo: int, lexicon: ClauseLexicon) -> bool:
    """The frame's action stands in a later clause that opens with a condition ("vermeld
    de bron, voor zover ik ze niet zelf heb verstrekt": not providing them is the writer's,
    and a condition)."""
    assert lexicon.conditional is not None
    action = _action(frame, spans, place)
    if action is None:
        return False
    at = _clause_start(tokens, action.start, lexicon.clause_breaks)
    return at > lo and bool(lexicon.conditional.search(
        " ".join(t for t in tokens[at:] if t != ",")))


def _if_writer(frame: Frame, tokens: Sequence[str], spans: Sequence[Span],
               place: tuple[int, int], lo: int, lexicon: ClauseLexicon) -> bool:
    """The frame's action is the writer's own, in a condition opened just before it ("what
    happens to my data if I unsubscribe", "que deviennent mes données si je me désabonne")."""
    if lexicon.if_writer is None:
        return False
    action = _action(frame, spans, place)
    if action is None:
        return False
    before = " ".join(t for t in tokens[max(lo, action.start - _IF_WRITER_REACH):action.start]
                      if t != ",")
    return bool(lexicon.if_writer.search(before))


_PURPOSE_REACH = 2  # words between "so that" and what it is for ("so that everything is correct")


def _for_a_purpose(spans: Sequence[Span], concept: str) -> bool:
    """Every place of ``concept`` closely follows words of purpose ("so that", "so it")."""
    ends = [s.end for s in spans if s.concept == "purpose"]
    return all(any(0 <= s.start - e <= _PURPOSE_REACH for e in ends)
               for s in spans if s.concept == concept)


_HAVE = frozenset({"ai", "avons"})  # (French "avoir", which the concept "hold" leaves out)


def _none_new(tokens: Sequence[str], spans: Sequence[Span]) -> bool:
    """Every new detail the sentence names is one the writer says they do not have ("ik heb
    nog geen nieuw nummer", "eine neue habe ich noch nicht"): in its clause, between commas,
    a negation and a verb of having."""
    def clause(at: int) -> tuple[int, int]:
        lo = max((i for i in range(at) if tokens[i] == ","), default=-1) + 1
        hi = next((i for i in range(at, len(tokens)) if tokens[i] == ","), len(tokens))
        return lo, hi
    news = [s for s in spans if s.concept == "new"]
    return bool(news) and all(
        any(x.concept == "neg" and lo <= x.start < hi for x in spans) and (
            any(x.concept == "hold" and lo <= x.start < hi for x in spans)
            or not _HAVE.isdisjoint(tokens[lo:hi]))
        for lo, hi in (clause(s.start) for s in news))


_TO = frozenset({"met", "aan", "naar", "with", "to", "mit", "an", "avec", "a", "au", "aux"})


def _another_shares(tokens: Sequence[str], spans: Sequence[Span]) -> bool:
    """Another party ("de school", "my bank") stands before the sharing as its subject, not
    after "with" or "to" as its recipient."""
    share = min((s.start for s in spans if s.concept == "share"), default=-1)
    return any(s.concept == "elsewhere" and s.start < share
               and (s.start == 0 or tokens[s.start - 1] not in _TO) for s in spans)


# ("welche Daten Sie über mich erhalten": which data, about the writer, is access)
_ASKED_OF_ME = frozenset({"me", "about_me", "qword"})


def _we_received(frame: Frame, tokens: Sequence[str], spans: Sequence[Span],
                 place: tuple[int, int], lexicon: ClauseLexicon) -> bool:
    """The frame's only action is receiving done, and its receiver is the organisation
    ("Hebben jullie mijn gegevens ontvangen?", "Did you receive my details?"): "you" stands
    before it, and neither the writer (as a subject or an object) nor a question word is in
    its clause."""
    breaks = lexicon.clause_breaks
    lo = _clause_start(tokens, place[0], breaks)
    hi = _clause_end(tokens, place[1], breaks)
    here = [s for s in spans if lo <= s.start < hi]
    actions = {s.concept for s in here if s.concept in frame.needs[0]}
    if actions != {"receive"} or any(s.concept in _ASKED_OF_ME for s in here) or any(
            t in lexicon.writer_subjects for t in tokens[lo:hi]):
        return False
    receive = min(s.start for s in here if s.concept == "receive")
    return any(s.concept == "you" and s.start < receive for s in here) and any(
        t in lexicon.received for t in tokens[receive:hi])


def _old_place(spans: Sequence[Span], hi: int) -> bool:
    """An old detail is named before ``hi`` (the opt-out's clause ends there) and before any
    new one: where the writer no longer wants something sent, not what."""
    old = min((s.start for s in spans if s.concept == "old" and s.start < hi), default=None)
    return old is not None and all(s.start > old for s in spans if s.concept in _RENEWED)


_RENEWED = frozenset({"new", "moved"})


def _checked(hit: ClauseHit, frame: Frame, tokens: Sequence[str], spans: Sequence[Span],
             place: tuple[int, int], lexicon: ClauseLexicon, concepts: set[str],
             relative: bool = False) -> ClauseHit:
    breaks = lexicon.clause_breaks
    start, end = place
    lo = _main_clause(tokens, _clause_start(tokens, start, breaks), start, lexicon)
    hi = _clause_end(tokens, end, breaks)
    unless = frame.unless & concepts
    if frame.kind is RequestKind.ERASURE and "field" in set().union(*frame.needs):
        # ("meld mij af voor de nieuwsbrief, en verwijder daarna mijn e-mailadres": the
        # newsletter is the clause's after a joining word, not the detail's to erase)
        first = _clause_start(tokens, start, breaks, commas=False)
        last = _clause_end(tokens, end, breaks, commas=False)
        unless = frame.unless & {s.concept for s in spans if first <= s.start < last}
    if "need" in unless and frame.kind is RequestKind.ACCESS:
        # ("Welche Daten haben Sie über mich gespeichert, und wozu brauchen Sie diese?": the
        # need is asked in a clause of its own, after what is held)
        last = _clause_end(tokens, end, breaks, commas=True)
        if all(s.start >= last for s in spans if s.concept == "need"):
            unless = unless - {"need"}
    if "new" in unless and _none_new(tokens, spans):
        # ("remove my old mobile number, I don't have a new one yet": nothing replaces it)
        unless = unless - {"new"}
    if "old" in unless and hit.kind is RequestKind.UNSUBSCRIBE and not _old_place(
            spans, _clause_end(tokens, end, breaks)):
        # ("stuur op het nieuwe adres geen folders meer, daar zaten we op het oude ook niet
        # op te wachten", "geen nieuwsbrief meer, ook niet op mijn oude adres": an opt-out;
        # "not to my old address, but to ..." moves a mailing)
        unless = unless - {"old"}
    if "is_right" in unless and _for_a_purpose(spans, "is_right"):
        # ("please change it in your system so it is correct next time": what the
        # correction is for, not a state)
        unless = unless - {"is_right"}
    if unless:
        return _aside(hit, f"says {sorted(unless)[0]!r}, not a request")
    if (hit.kind is RequestKind.UNSUBSCRIBE and "share" in set().union(*frame.needs)
            and "you" not in concepts and _another_shares(tokens, spans)):
        # ("Ik wil niet dat de school mijn gegevens deelt met anderen": another party's
        # sharing, not ours; "dat jullie mijn gegevens delen met de school" is ours)
        return _aside(hit, ANOTHERS_SHARING)
    if hit.kind is RequestKind.ACCESS and _we_received(frame, tokens, spans, place, lexicon):
        return _aside(hit, WE_RECEIVED)
    if hit.kind is RequestKind.ACCESS and (other := _other_object(tokens, spans, lo, hi,
                                                                   lexicon)):
        return _aside(hit, f"about {other!r}, not personal data")
    clause = " ".join(t for t in tokens[lo:hi] if t != ",")
    negation = _negation(frame, tokens, spans, place, breaks, lexicon.relative_after,
                         final=lexicon.final_negation, consequences=lexicon.consequences,
                         nouns=lexicon.negated_nouns, complementizers=lexicon.complementizers,
                         infinitive=lexicon.infinitive, particles=lexicon.modal_particles)
    if negation is not None:
        cue, at = negation
        if _concept_at(spans, "inability", max(0, at - _INABILITY_REACH), at + _INABILITY_REACH):
            return ClauseHit(hit.kind, hit.rule, hit.language, min(hit.weight, UNSURE),
                             hit.text, hit.at)
        return _aside(hit, f"negated by {cue!r}")
    if lexicon.conditional is not None and not frame.scoped:
        opening = " ".join(t for t in tokens[lo:] if t != ",")
        # ("Als het abonnement afgelopen is wil ik dat jullie mijn gegevens wissen", "Mein
        # Konto kann erst gelöscht werden, wenn ..."): asked, for later
        words = " ".join(t for t in tokens if t != ",")
        for pattern, hold in ((lexicon.contract_end, _CONTRACT_END_HOLD),
                              (lexicon.deferred, _DEFERRED_HOLD)):
            if pattern is not None and search(pattern, words):
                return ClauseHit(hit.kind, hit.rule, hit.language, min(hit.weight, UNSURE),
                                 hit.text, hit.at, hold=hold)
        if lexicon.conditional.search(opening) and not _glad_if(tokens[:lo], lexicon):
            return _aside(hit, "a condition, not a request")
        if lo > 0 and lexicon.someday is not None:
            # "Sollten Sie meine Daten jemals weitergeben, verlange ich deren Löschung": what
            # follows a condition that may never hold asks nothing now
            before = " ".join(t for t in tokens[:lo] if t != ",")
            if lexicon.conditional.search(before) and lexicon.someday.search(before):
                return _aside(hit, "follows a condition that may never hold")
            # "If I get one more call, I'll be asking you to erase everything": a threat
            if (lexicon.conditional.search(before) and lexicon.future is not None
                    and lexicon.future.match(" ".join(t for t in tokens[lo:] if t != ","))):
                return _aside(hit, "what the writer will do if a condition holds")
        if _conditional_action(frame, tokens, spans, place, lo, lexicon) or _if_writer(
                frame, tokens, spans, place, lo, lexicon):
            return _aside(hit, "a condition, not a request")
    if (hit.kind is RequestKind.UNSUBSCRIBE and "day" in concepts
            and concepts.isdisjoint(_MAILINGS)):
        # "Ich möchte mich vom Sehtest am Samstag abmelden": a session on a day, not a mailing
        return _aside(hit, f"about a session on a day{NOT_DATA}")
    if hit.kind is RequestKind.UNSUBSCRIBE and not concepts.isdisjoint(_NOT_OURS):
        # "Ik wil niet meer gebeld worden door die club" (another company's calls),
        # "unsubscribe from the Boiler Care plan" (a service, not a mailing)
        return _aside(hit, "about another company's calls or a service plan, not our mail")
    if hit.kind is RequestKind.UNSUBSCRIBE and frame.negative and "why" in concepts:
        # "Bitte prüfen Sie, warum die Mails nicht ankommen": asks why it stopped
        return _aside(hit, "asks why the mail stopped, does not ask to stop it")
    if (hit.kind is RequestKind.UNSUBSCRIBE and frame.negative
            and {"receive", "look_into"} <= concepts):
        # "Je ne reçois plus votre newsletter depuis un mois, pouvez-vous vérifier ?": the
        # wish is that someone looks into it
        return _aside(hit, "asks to look into mail that stopped, does not ask to stop it")
    if (hit.kind is RequestKind.UNSUBSCRIBE and frame.negative and "receive" in concepts
            and "want" not in concepts and not _pleads(tokens, _first_word(tokens, lexicon),
                                                       lexicon)
            and not _needed_no_more(tokens, spans, lexicon)):
        # "ik ontvang de nieuwsbrief niet meer", "why don't I get your emails anymore?": it
        # says the mail no longer arrives; it asks for nothing to stop
        return _aside(hit, "says it no longer arrives, does not ask to stop it")
    if (hit.kind is RequestKind.UNSUBSCRIBE and frame.negative and lexicon.accounts is not None
            and _only_calls(spans, lo, hi) and "marketing" not in concepts
            and (matter := lexicon.accounts.search(" ".join(t for t in tokens if t != ",")))):
        # "U mag de offerte verwijderen en hoeft me er niet meer over te bellen": no more
        # calls about one quote, invoice or order, not about offers
        return _aside(hit, f"no more calls about {matter.group()!r}, not marketing")
    if (hit.kind is RequestKind.UNSUBSCRIBE and frame.negative and "want" not in concepts
            and "stop" not in concepts and _since_then(tokens, spans, breaks)):
        # "Sinds uw bevestiging ben ik niet meer gebeld", "since then no more calls, thanks":
        # it tells what has stopped since, and asks nothing
        return _aside(hit, "says what has stopped since, does not ask to stop it")
    if hit.kind is RequestKind.ACCESS or (hit.kind is RequestKind.UNSUBSCRIBE and not any(
            s.concept == "marketing" and lo <= s.start < hi for s in spans)):
        # ("withdraw the consent I gave for marketing when I signed my contract": the
        # marketing named is what is asked about, whatever else the clause says)
        about = transactional_in(clause, hit.language)
        if about:
            return _aside(hit, f"about {about.group()!r}{NOT_DATA}")
    if (hit.kind is RequestKind.ACCESS and not concepts & _WRITER and "want" not in concepts
            and hit.weight > UNSURE):
        # "Wer hat dann Zugriff auf die Verbrauchsdaten?", "who can see the data?": a question
        # about data in general, no word of the writer's own and no wish: a person decides
        hit = ClauseHit(hit.kind, hit.rule, hit.language, UNSURE, hit.text, hit.at)
    if hit.kind is RequestKind.ACCESS and "notify_recipients" in concepts:
        # "Please also inform any recipients to whom my data have been disclosed (art. 19)":
        # the erasure's or correction's notice to them, not a list for the writer
        return _aside(hit, "asks to tell the recipients, not to be told who they are")
    if hit.kind is RequestKind.ACCESS and "regain" in concepts:
        # "Hoe krijg ik weer toegang tot mijn gegevens in de app?", "I can't log in to see my
        # details": getting into an account, not a copy of the data
        return _aside(hit, "asks to get into an account, not for the data")
    if hit.kind is RequestKind.ACCESS and any(
            s.concept == "security" and lo <= s.start < hi for s in spans):
        # "Kunt u mij vertellen of jullie die gegevens versleuteld opslaan?": how the data
        # is kept, not what it is
        return _aside(hit, "asks how the data is kept safe, not for the data")
    if hit.kind is RequestKind.ACCESS and any(
            s.concept in _OTHER_ACTIONS and lo <= s.start < hi for s in spans):
        # "een bevestiging dat mijn gegevens zijn verwijderd", "te bevestigen dat de gegevens
        # zijn aangepast": word of the erasure or correction asked, not a copy of the data
        return _aside(hit, "about the erasure or correction asked, not access")
    if hit.kind is RequestKind.ERASURE and _only_marketing(spans, lo, hi):
        # "supprimer mon numero de vos fichiers de prospection", "delete my address from
        # your marketing database": out of the marketing, an opt-out, not every record
        return ClauseHit(RequestKind.UNSUBSCRIBE, ERASE_FROM_MARKETING, hit.language,
                         hit.weight, hit.text, hit.at)
    if hit.rule == "correction_clause/field+old" and _none_new(tokens, spans):
        # ("remove my old number, I don't have a new one yet"): nothing replaces it
        return _aside(hit, NONE_NEW)
    if hit.kind is RequestKind.ERASURE and {"old", "new"} <= concepts and not _none_new(
            tokens, spans):
        # "remove the old number and use this one instead": a replacement, the correction
        return _aside(hit, "an old detail replaced by a new one: a correction")
    if "instead" in concepts and any(
            a.concept in frame.needs[0] and 0 <= a.start - s.end <= _INSTEAD_REACH
            for s in spans if s.concept == "instead" for a in spans):
        # "Can I pause my account instead of deleting it?": the alternative not chosen
        return _aside(hit, "names what the writer would rather not have done")
    if hit.kind is RequestKind.UNSUBSCRIBE and "since" in concepts and any(
            o.concept == "optout" and 0 <= o.start - c.end <= _SINCE_REACH
            for c in spans if c.concept == "since" for o in spans):
        # "Seit meiner Abmeldung bekomme ich keine Mails mehr": the opt-out is behind
        return _aside(hit, "says the writer opted out already")
    if hit.kind is RequestKind.ACCESS and "why" in concepts and any(
            w.concept == "why" and 0 <= w.start - k.end <= 1
            for k in spans if k.concept == "know" for w in spans):
        # "I just want to know why the app logs me out": the reason for something, not data
        return _aside(hit, "asks why something is so, not for the data")
    if hit.kind is RequestKind.ERASURE and _taken_from_account(frame, tokens, spans, lo, hi,
                                                               lexicon):
        # "Please remove my old credit card from my account", "mijn oude fiets uit mijn
        # account verwijderen": something taken out of the account, which may be a detail
        # ("meine alte Festnetznummer ... aus dem Kundenkonto") or a thing: a person reads it
        hit = ClauseHit(hit.kind, hit.rule, hit.language, min(hit.weight, UNSURE), hit.text,
                        hit.at, hold="something taken out of the account may be a thing, not "
                        "the writer's data: a person reads what is to go")
    if hit.kind is RequestKind.ERASURE and "restore" in concepts:
        # "Jullie hebben mijn gegevens verwijderd, kunnen jullie die terugzetten?": what was
        # erased is wanted back
        return _aside(hit, "asks to restore what was erased, not to erase")
    if hit.kind is RequestKind.CORRECTION and "supplier" in concepts:
        return _aside(hit, "about another supplier, not a correction")
    if hit.rule.endswith(_CLOSE_ACCOUNT) and "supplier" in concepts:
        # "Please close my account, I'm switching suppliers": the supply ends, which is a
        # contract's matter; nothing asks for the data to go
        return _aside(hit, "closes a supply for another supplier, not an erasure")
    if "processor_context" in concepts:
        return _aside(hit, "about data processed for a client, not the writer's own")
    if "third_party" in concepts and not _own_child(spans) and _own_relative(
            tokens, spans, lexicon.language) is None:
        # (the writer's own relative is someone the writer may ask for: ``ForARelative``
        # holds that request for a person)
        if relative:
            # (named in a sentence before: the request is theirs, unsure, for a person)
            return ClauseHit(hit.kind, hit.rule, hit.language, min(hit.weight, UNSURE),
                             hit.text, hit.at)
        return _aside(hit, "about someone else: a person decides")
    return hit


@preloaded
def transactional() -> re.Pattern[str]:
    """Every language's invoice and order words: mails mix them ("opt out of paper
    statements" in a Dutch mail)."""
    return _every_language("transactional")


@preloaded
def event_mailings() -> re.Pattern[str]:
    """Every language's words for an invitation or a survey (``[cues] event_mailing``)."""
    return _every_language("event_mailing")


def _every_language(cue_name: str) -> re.Pattern[str]:
    """One cue list of every clause lexicon, read from each lexicon's file alone: the
    languages whose mails never come are not loaded for it."""
    base = resources.files("mailbot.classify").joinpath("lexicons/clauses")
    patterns = []
    for language in CLAUSE_LANGUAGES:
        if language not in BORROWED and base.joinpath(f"{language}.toml").is_file():
            cues = _data(f"lexicons/clauses/{language}.toml").get("cues", {})
            patterns.extend(cues.get(cue_name, ()))
    return any_of(patterns)


_EVENT_REACH = 40  # characters before an order word in which an invitation names it


def transactional_in(clause: str, language: str | None) -> re.Match[str] | None:
    """The first invoice or order word of any language in ``clause``, leaving out a word
    that is an everyday word of the clause's own language (Dutch "les", a lesson, is the
    French article), one that an invitation or a survey just before names ("invitations
    a des ateliers", "enquetes de satisfaction apres chaque commande"), and one that begins a
    compound naming data ("Trainingsdaten")."""
    common = common_words(language) if language else frozenset()
    lexicon = clause_lexicon(language) if language else None
    own = lexicon.transactional if lexicon is not None else None
    for m in transactional().finditer(clause):
        start = m.start()
        while start and clause[start - 1].isalpha():
            start -= 1
        end = m.end()
        while end < len(clause) and clause[end].isalpha():
            end += 1
        if event_mailings().search(clause, max(0, m.start() - _EVENT_REACH), m.start()) or (
                event_mailings().match(clause, end + 1)):
            # ("die webinar uitnodigingen": the invitation just after names it too)
            continue
        word = clause[start:end]
        if clause.endswith(_UNTIL_NOTICE, 0, start):
            continue  # ("bel me tot nader order niet meer": until further notice)
        if word.endswith(_DATA_ENDINGS) and len(word) > m.end() - m.start() + 3:
            continue  # ("eine Kopie meiner Trainingsdaten": data, whatever they are of)
        if word not in common or (own is not None and own.search(word)):
            return m
    return None


_UNTIL_NOTICE = "nader "  # the Dutch "tot nader order", no order at all
# the ends of compounds that name data ("Trainingsdaten", "klantgegevens", "trainingdata")
_DATA_ENDINGS = ("daten", "gegevens", "data", "donnees", "historie", "verlauf")


def _aside(hit: ClauseHit, why: str) -> ClauseHit:
    return ClauseHit(hit.kind, hit.rule, hit.language, hit.weight, hit.text, hit.at, why)


def cue(name: str, text: str, language: str) -> re.Match[str] | None:
    """The first match of one of a language's cue lists ("withdraw", "pitch", ...)."""
    lexicon = clause_lexicon(language)
    pattern = getattr(lexicon, name, None) if lexicon is not None else None
    return search(pattern, text) if pattern is not None else None


def cues(name: str, text: str, language: str) -> list[re.Match[str]]:
    lexicon = clause_lexicon(language)
    pattern = getattr(lexicon, name, None) if lexicon is not None else None
    if pattern is None or not may_match(pattern, text):
        return []
    return list(pattern.finditer(text))
