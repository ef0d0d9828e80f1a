"""What the rules look at: one mail, its subject and own text folded and searched once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mailbot.classify.language import SUPPORTED, UNDETERMINED, decide, measure
from mailbot.classify.language import Evidence as LanguageEvidence
from mailbot.classify.lexicon import LANGUAGES, Match, index, words
from mailbot.classify.normalize import casefold, fold, fold_casefolded, has_cyrillic, has_greek
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Evidence, ParsedMail
from mailbot.parse.quotes import OwnText, own_text
from mailbot.parse.subject import FORWARD, PREFIX_RUN

# A request sits at the top of a mail; beyond this many characters of the sender's own text
# we stop reading (it keeps huge spam and pasted logs cheap).
MAX_OWN_CHARS = 4000
_LANGUAGE_CHARS = 2000  # of the own text, casefolded for the language detector
_SHORT_TEXT_WORDS = 40
_LATIN_SHARE = 0.9
_CLEAR_LEAD = 2.0  # an unsupported language this far ahead of nl/en/de/fr is not searched
# A forwarded mailing shows itself by its footer or its sender, in any language.
_FORWARD_CUT = re.compile(r"forward|doorgestuurd|weitergeleitet|transf[eé]r|inoltrat|reenviad",
                          re.IGNORECASE)
_MAILING = re.compile(
    r"unsubscribe|afmelden|uitschrijven|abmelden|abbestellen|austragen|d[eé]sinscri|d[eé]sabonn"
    r"|newsletter|nieuwsbrief|manage (?:your )?(?:e-?mail )?preferences|in (?:your|je|uw) browser"
    r"|im browser|version en ligne|\b(?:news|nieuws|newsletter|events?|marketing|promo|mailing"
    r"|presale|offers?|deals|aanbiedingen|angebote|promotions?)@"
    r"|(?:change|manage|update|edit) (?:your )?(?:\w+ )?(?:preferences|settings)"
    r"|(?:je|uw) (?:\w+ )?voorkeuren|pr[eé]f[eé]rences|(?:einstellungen|pr[aä]ferenzen) "
    r"(?:[aä]ndern|verwalten)|don.t want (?:these|this|to receive)|ne plus recevoir",
    re.IGNORECASE)
_MAILING_READ = 6000  # characters of the forwarded part searched for those signs

@dataclass(slots=True)
class Doc:
    """A mail prepared for the rules. ``body`` and ``subject`` are folded text."""

    subject_raw: str
    subject: str
    is_reply: bool
    own: OwnText
    body: str
    tokens: list[str]  # the words of ``body``
    subject_words: list[str]  # the words of ``subject`` in a new thread (a reply's: none)
    language: LanguageEvidence  # what the text says of its language, before lexicon hints
    matches: list[Match]
    subject_matches: list[Match]
    sender_words: frozenset[str]
    client_contact: bool
    html_only: bool
    quoted: tuple[tuple[int, int], ...] = ()  # passages of the body quoted from another text
    content: list[str] | None = None  # body words less greetings and names; see rules.subject
    # The mail forwards a mailing ("Fwd: Megawatt Nieuws" above the newsletter): "stop
    # hiermee" in the own text points at it.
    forwarded_mailing: bool = False
    languages: tuple[str, ...] | None = None  # the clause languages; see rules.clause


@dataclass(slots=True)
class Hit:
    """Evidence with where it came from, while the rules still weigh it."""

    evidence: Evidence
    language: str | None = None
    match: Match | None = None
    in_subject: bool = False
    at: int | None = None  # where in the body the evidence stands, when it has no match


@dataclass(slots=True)
class Findings:
    """What the rules found so far; each rule adds to it or sets things aside."""

    hits: list[Hit] = field(default_factory=list)
    dropped: list[tuple[Evidence, str]] = field(default_factory=list)  # (evidence, why)
    notes: list[Evidence] = field(default_factory=list)  # fired without speaking for a kind
    caps: dict[RequestKind, float] = field(default_factory=dict)
    masked: list[tuple[int, int]] = field(default_factory=list)
    negated: set[RequestKind] = field(default_factory=set)  # kinds a negation set aside
    # The clause readings of the body's sentences: (kind, start, end, why set aside or None).
    readings: list[tuple[RequestKind, int, int, str | None]] = field(default_factory=list)
    language: str = "und"
    # Why the whole mail waits for a person whatever the kinds found (safety rules).
    holds: list[str] = field(default_factory=list)

    def drop(self, hit: Hit, why: str) -> None:
        self.hits.remove(hit)
        self.dropped.append((hit.evidence, why))


def _search_languages(language: LanguageEvidence, words: int) -> tuple[str, ...]:
    """Which lexicons to search: a longer text clearly in nl, de or fr gets its own lexicon
    and the English one (mixed mails are common); a longer text clearly in a language
    mailbot does not answer in gets none (it goes to a person whatever it says); short or
    unclear text gets all four."""
    if words < _SHORT_TEXT_WORDS:
        return LANGUAGES
    lang = decide(language)
    if lang == UNDETERMINED:
        return LANGUAGES
    if lang not in SUPPORTED:
        best_supported = max((language.scores.get(s, 0.0) for s in SUPPORTED), default=0.0)
        if language.script or language.scores.get(lang, 0.0) >= _CLEAR_LEAD * best_supported:
            return ()
        return LANGUAGES
    return (lang,) if lang == "en" else (lang, "en")


# A passage in quotation marks of this many words or more is another text's (a phishing
# mail's "corrigeer uw gegevens binnen 48 uur", a letter cited); fewer is a name ("het
# 'recht om vergeten te worden'").
_QUOTED_WORDS = 6
_QUOTED = re.compile(r'"([^"]+)"|(?<![a-z0-9])\'(?=[a-z0-9])(.+?)(?<=[a-z0-9.!?,])\'(?![a-z0-9])')


def quoted_passages(body: str) -> tuple[tuple[int, int], ...]:
    """Where ``body`` (folded) quotes a passage of another text, inside the marks."""
    found = []
    for m in _QUOTED.finditer(body):
        group = 1 if m.group(1) is not None else 2
        if len(m.group(group).split()) >= _QUOTED_WORDS:
            found.append(m.span(group))
    return tuple(found)


def unquoted(doc: Doc) -> str:
    """The body with its quoted passages blanked: the writer's own words, where they stand."""
    if not doc.quoted:
        return doc.body
    text = doc.body
    for start, end in doc.quoted:
        text = f"{text[:start]}{' ' * (end - start)}{text[end:]}"
    return text


def prepare(mail: ParsedMail, *, client_contact: bool) -> Doc:
    subject_raw = mail.subject or ""
    prefix = PREFIX_RUN.match(subject_raw)
    subject_casefolded = casefold(subject_raw[prefix.end():] if prefix else subject_raw)
    subject = fold_casefolded(subject_casefolded)
    own = own_text(mail.text or "")
    text = own.text[:MAX_OWN_CHARS]
    whole = casefold(text)
    casefolded = whole[:_LANGUAGE_CHARS]
    body = fold_casefolded(whole)
    tokens = words(body)
    subject_tokens = words(subject)
    # Folding drops letters of non-Latin scripts (it spells Greek and Cyrillic in Latin ones):
    # if it kept nearly all, the text is Latin.
    latin = (len(body) >= _LATIN_SHARE * len(text.strip()) and not has_greek(casefolded)
             and not has_cyrillic(casefolded))
    language = measure(f"{subject_casefolded if prefix is None else ''}\n{casefolded}",
                       [*subject_tokens, *tokens] if prefix is None else tokens, latin=latin)
    if prefix is not None and decide(language) == UNDETERMINED:
        # ("Ja, akkoord. Ga je gang." under "Re: Uw verzoek ..."): a reply too short to tell
        # is in the language of the thread, which our subject was written in
        language = measure(f"{subject_casefolded}\n{casefolded}", [*subject_tokens, *tokens],
                           latin=latin)
    search = index(_search_languages(language, len(tokens))).search
    sender_name = mail.sender.name if mail.sender else ""
    return Doc(
        subject_raw=subject_raw,
        subject=subject,
        is_reply=prefix is not None,
        own=own,
        body=body,
        tokens=tokens,
        subject_words=subject_tokens if prefix is None else [],
        language=language,
        matches=search(body, set(tokens)),
        subject_matches=search(subject, set(subject_tokens)) if subject else [],
        sender_words=frozenset(words(fold(sender_name))),
        client_contact=client_contact,
        html_only=mail.html_only,
        quoted=quoted_passages(body) if ('"' in body or "'" in body) else (),
        forwarded_mailing=forwarded_mailing(mail.text or "", own, subject_raw),
    )


def forwarded_mailing(text: str, own: OwnText, subject: str) -> bool:
    """Below the own text, the mail forwards a mailing (its footer or sender shows one)."""
    if own.cut_at is None or not (FORWARD.match(subject) or _FORWARD_CUT.search(own.cut_at)):
        return False
    at = text.find(own.cut_at)
    return at >= 0 and _MAILING.search(text, at, at + _MAILING_READ) is not None
