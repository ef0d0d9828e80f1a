"""HTML to text: what a reader of a converted HTML-only mail sees."""

from __future__ import annotations

import pytest

from mailbot.parse.html import html_to_text
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
