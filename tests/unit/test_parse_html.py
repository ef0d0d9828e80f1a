"""HTML to text: what a reader of a converted HTML-only mail sees."""

from __future__ import annotations

import re

import pytest

from mailbot.parse.html import _PIECE_TAGS, _pieces, html_to_text
from mailbot.parse.quotes import own_text


def test_blocks_become_lines_and_inline_elements_do_not() -> None:
    markup = "<div>Dear <b>team</b>,</div><p>please <a href='x'>delete</a> me.</p>Sam<br>Vries"

    assert html_to_text(markup) == "Dear team,\n\nplease delete me.\n\nSam\nVries"


@pytest.mark.parametrize(
    "markup",
    [
        "<script>var secret = 1;</script>visible",
        "<style type='text/css'>.a { color: red }</style>visible",
        "<head><title>Title</title></head><body>visible</body>",
        "<!-- a comment -->visible",
        "<template><p>hidden</p></template>visible",
    ],
)
def test_invisible_content_is_dropped(markup: str) -> None:
    assert html_to_text(markup) == "visible"


def test_unclosed_script_swallows_nothing_before_it() -> None:
    assert html_to_text("<p>before</p><script>never closed") == "before"


def test_entities_are_decoded_and_spaces_collapsed() -> None:
    text = html_to_text("<p>caf&eacute; &amp; th&#233; &#x20AC;5&nbsp;&nbsp; &lt;ok&gt;</p>\n\n\n")

    assert text == "café & thé €5 <ok>"


def test_tables_and_lists_stay_readable() -> None:
    markup = "<table><tr><td>Name</td><td>Sam</td></tr><tr><td>City</td><td>Delft</td></tr>"
    markup += "</table><ul><li>one</li><li>two</li></ul>"

    assert html_to_text(markup) == "Name Sam\nCity Delft\n\n- one\n- two"


def test_preformatted_text_keeps_its_line_breaks() -> None:
    assert html_to_text("<pre>a\n  b</pre>") == "a\nb"


@pytest.mark.parametrize(
    "markup", ["<", "<<<>>>", "<!DOCTYPE", "<![CDATA[ x", "</p></div>", "<a href='", "&#99999999;"]
)
def test_broken_markup_never_raises(markup: str) -> None:
    assert isinstance(html_to_text(markup), str)


def test_unclosed_and_stray_tags_are_read_as_a_browser_would() -> None:
    assert html_to_text("<div>one<p>two<ul><li>three<li>four") == "one\n\ntwo\n\n- three\n- four"
    assert html_to_text("<div><p>one<p>two</div>three") == "one\n\ntwo\n\nthree"
    assert html_to_text("a</p>b") == "a\n\nb"  # a stray </p> is an empty paragraph
    assert html_to_text("one</div>two</td>three") == "onetwothree"
    assert html_to_text("<b><i>bold</b> italic</i>") == "bold italic"
    assert html_to_text("<p>cut</p") == "cut"


def test_nested_tables_keep_their_cells_apart() -> None:
    markup = "<table><tr><td>a<table><tr><td>b</td><td>c</td></tr></table></td><td>d</td></tr>"

    assert html_to_text(markup + "</table>") == "a\n\nb c\n\nd"


@pytest.mark.parametrize(
    "markup",
    [
        "<script>document.write('</div><p>hidden')</script><div>visible</div>",
        "<!-- <p>hidden</p> -->visible<!---->",
        "<![CDATA[ hidden ]]>visible",
        "<iframe><p>hidden</p></iframe><noembed>hidden</noembed>visible",
        "<object data='x.swf'><p>hidden</p></object>visible",
        "<svg><text>hidden</text></svg>visible",
        "<head><noscript><img alt='hidden'></noscript></head>visible",
    ],
)
def test_markup_that_is_not_shown_stays_hidden(markup: str) -> None:
    assert html_to_text(markup) == "visible"


def test_characters_outside_the_basic_plane_and_odd_references_are_decoded() -> None:
    assert html_to_text("<p>😀 𝄞 &#x1F600; &#128512; &#x1D11E;</p>") == "😀 𝄞 😀 😀 𝄞"
    assert html_to_text("a&nbsp;&nbsp;b&#160;c &#65;&#x42; &#128;") == "a b c AB €"
    assert html_to_text("&#0;|&#99999999;|&amp;amp;|&eacute") == "\ufffd|\ufffd|&amp;|é"


def test_image_text_and_line_breaks_are_kept() -> None:
    assert html_to_text("<p>a<img alt='x &amp; y'>b<br>c</p><img src=z>") == "ax & yb\nc"


def test_nul_characters_cannot_forge_breaks() -> None:
    assert html_to_text("a\x00Lb\x00Pc<pre>d\x00[e   f</pre>") == "aLbPc\n\nd[e f"
    assert html_to_text("caf\ud800e") == "caf?e"  # a lone surrogate from a lenient codec


def test_a_five_megabyte_document_keeps_every_word() -> None:
    row = "<tr><td>Name</td><td><a href='mailto:sam@example.org'>Sam</a></td></tr>"
    rows = 5_000_000 // len(row)

    text = html_to_text("<table>" + row * rows + "</table>")

    assert text.split() == ["Name", "Sam"] * rows


HOSTILE = {
    "nesting": "<div>" * 100_000 + "deep",
    "reopened formatting": "".join(f"<div><b id={i}>t</div>" for i in range(50_000)),
    "open attribute": "<a b='" * 100_000,
    "open comments": "<!--" * 100_000,
    "brackets": "<" * 1_000_000,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_markup_is_parsed_in_bounded_pieces(name: str) -> None:
    """Tree building grows with tags times nesting depth: long markup goes in pieces, with no
    attributes on formatting elements. (How long these take: bench/html_text.py.)"""
    markup = HOSTILE[name]

    pieces = _pieces(markup)

    assert all(piece.count("<") <= _PIECE_TAGS + 9 for piece in pieces)  # 9: the cell context
    assert not any(re.search(r"<b\s", piece) for piece in pieces)
    assert isinstance(html_to_text(markup), str)


def test_hostile_markup_keeps_its_text() -> None:
    assert html_to_text(HOSTILE["nesting"]) == "deep"
    assert html_to_text(HOSTILE["reopened formatting"]).split() == ["t"] * 50_000


def test_a_script_is_never_cut_where_long_markup_is_split() -> None:
    paragraphs = "".join(f"<p>paragraph {i}</p>" for i in range(1_500))
    script = "<script>" + 'if (a<b && c>d) { say("hidden"); } ' * 3_000 + "</script>"

    text = html_to_text(paragraphs + script + paragraphs)

    assert len(_pieces(paragraphs + script + paragraphs)) > 2
    assert "hidden" not in text
    assert text.count("paragraph") == 3_000


def test_own_text_stops_at_the_quoted_message() -> None:
    assert own_text("Please delete me.\n\nOn Mon, 3 Jun 2024 at 10:00, Privacy <\n"
                    "privacy@example.org> wrote:\n> Automatic reply").text == "Please delete me."
    assert own_text("Graag.\n\nOp ma 3 jun 2024 om 10:00 schreef Privacy <p@example.org>:\n"
                    "> tekst").text == "Graag."
    assert own_text("Bitte.\n\nAm 03.06.2024 um 10:00 schrieb Privacy:\n> Text").text == "Bitte."
    assert own_text("Merci.\n\nLe 3 juin 2024 à 10:00, Privacy a écrit :\n> texte").text == "Merci."
    assert own_text("Hi\n\nVan: Privacy\nVerzonden: maandag\nAan: Sam\n\nold").text == "Hi"
    assert own_text("Hi\n-----Original Message-----\nFrom: x").text == "Hi"
    assert own_text("> quoted first\nmine\n> quoted\nalso mine").text == "mine\nalso mine"
    assert own_text("On the other hand I wrote: nothing\nmore").text == (
        "On the other hand I wrote: nothing\nmore"
    )
