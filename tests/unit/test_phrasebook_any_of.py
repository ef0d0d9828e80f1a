"""``phrasebook.any_of`` shares one word boundary among neighbouring phrases; it must match
exactly what the plain alternation of the expanded phrases matches: the same spans, the same
groups, in the same order, for every phrase section compiled through ``compile_any`` or
joined with it (the child checks' birth words and cues), over the written corpus's texts and
over texts made of the phrases themselves."""

from __future__ import annotations

import csv
import random
import re
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from mailbot.classify.normalize import fold
from mailbot.handle.extract import child, child_data, phrasebook
from mailbot.handle.extract.phrasebook import LANGUAGES, any_of, compile_any, expand, section
from mailbot.handle.extract.purposes import find_purposes

# (topic, section names, flags, space) as the extractors compile them
_COMPILED = (
    ("purposes", ("content_mailings", "event_mailings", "sales_calls", "statistics",
                  "ad_networks", "all_mailings", "all_marketing", "keep", "split", "except"),
     0, " "),
    ("phones", ("cue",), re.IGNORECASE, " "),
    ("changes", None, re.IGNORECASE, r"\s+"),
)
# the sections of data/child.toml joined into one alternation (child.py, child_data.py)
_CHILD = ("birth", "guardian", "self_birth", "their_data", "name_cue", "address_cue",
          "email_cue", "own_too")


def _sections() -> list[tuple[str, str, int, str]]:
    out = []
    for topic, names, flags, space in _COMPILED:
        if names is None:
            names = tuple(sorted({name for table in phrasebook.load(topic).values()
                                  for name, value in table.items() if isinstance(value, list)
                                  and all(isinstance(v, str) for v in value)}))
        out += [(topic, name, flags, space) for name in names]
    return out


def _texts() -> list[str]:
    from bench.flood import WRITTEN
    texts = []
    raws = []
    for manifest in ("manifest-nl.csv", "manifest-intl.csv"):
        if not (WRITTEN / manifest).exists():
            continue
        with (WRITTEN / manifest).open(encoding="utf-8") as rows:
            raws += [(WRITTEN / row["path"]).read_bytes() for row in csv.DictReader(rows)]
    for raw in raws:
        mail = message_from_bytes(raw, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        body = mail.get_body(("plain", "html"))
        texts.append(f"{mail['Subject'] or ''}\n{body.get_content() if body else ''}")
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    made = _texts()
    rng = random.Random(7)
    topics = [topic for topic, _, _, _ in _COMPILED] + ["child"]
    words = [w for topic in topics for table in phrasebook.load(topic).values()
             for value in table.values() if isinstance(value, list)
             for phrase in value if isinstance(phrase, str)
             for w in re.findall(r"[a-zà-ÿ]+", phrase)]
    for _ in range(300):
        made.append(" ".join(rng.choice(words) + rng.choice(("", "s", "en", ",", ".", "-"))
                             for _ in range(rng.randint(3, 40))))
    return made


@pytest.mark.parametrize(("topic", "name", "flags", "space"), _sections())
def test_any_of_matches_as_the_plain_alternation(
        topic: str, name: str, flags: int, space: str, texts: list[str]) -> None:
    phrases = section(topic, name)
    if not phrases:
        pytest.skip("no phrases")
    plain = re.compile("|".join(expand(p, space) for p in phrases), flags)
    shared = compile_any(phrases, flags, space)
    assert shared is not None
    assert shared.groups == plain.groups
    assert shared.pattern != plain.pattern or not any(p[:1].isalnum() for p in phrases[1:])
    _same_matches(shared, plain, texts)


@pytest.mark.parametrize(("lang", "name"), [(lang, name) for lang in LANGUAGES
                                            for name in _CHILD])
def test_the_child_checks_join_their_phrases_with_any_of(
        lang: str, name: str, texts: list[str]) -> None:
    phrases = child.child_phrases(lang, name)
    plain = re.compile("|".join(expand(p) for p in phrases))
    shared = re.compile(any_of(phrases))
    assert shared.groups == plain.groups
    number = LANGUAGES.index(lang)
    compiled = (child.languages()[number].birth.pattern if name == "birth"
                else getattr(child_data._cues()[number], name.removesuffix("_cue")).pattern)
    assert shared.pattern in compiled  # what the check runs is any_of's
    _same_matches(shared, plain, texts)


def _same_matches(shared: re.Pattern[str], plain: re.Pattern[str], texts: list[str]) -> None:
    for text in texts:
        for subject in (text, fold(text)):
            assert ([(m.span(), m.groups()) for m in shared.finditer(subject)]
                    == [(m.span(), m.groups()) for m in plain.finditer(subject)])


def test_runs_share_one_boundary_and_keep_their_order() -> None:
    assert any_of(["ab", "cd", "-x", "ef"]) == r"\b(?:(?:ab)\b|(?:cd)\b)|(?:-x)\b|\b(?:(?:ef)\b)"
    assert any_of(["x <gap2> y"], r"\s+") == expand("x <gap2> y", r"\s+").replace(
        r"\b", r"\b(?:", 1) + ")"
    assert re.compile(any_of(["nieuwsbrief", "nieuws"])).findall("de nieuwsbrief") == [
        "nieuwsbrief"]


def test_an_objection_names_the_same_purposes() -> None:
    found = find_purposes("Haal me van de nieuwsbrief en bel me niet meer. "
                          "De uitnodigingen wil ik blijven ontvangen.")
    assert [p.value for p in found.purposes] == ["content_mailings", "sales_calls"]
    assert [p.value for p in found.kept] == ["event_mailings"]
    assert not found.general
