"""Cut a mail body down to what its sender wrote: quoted history and signatures removed.

Recognised (in nl/en/de/fr and the neighbouring languages mail clients speak):

- ``>`` quoted lines, anywhere;
- reply headers: "On ... wrote:", "Op ... schreef ...:", "Am ... schrieb ...:", "Le ... a écrit :",
  also wrapped over two or three lines;
- separators: "-----Original Message-----" and its translations, forwarded-message markers;
- Outlook header blocks: a "From:/Van:/Von:/De:" line followed by "Sent:/To:/Subject:" lines;
- signatures: the "-- " delimiter, "Sent from my ..." lines, and a closing salutation
  ("Met vriendelijke groet", "Kind regards", ...) followed only by a few short lines.

Everything from the first reply header, separator or header block on is quoted history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_REPLY_VERB = (
    r"wrote|schreef|geschreven|schrieb|geschrieben|a (?:e|é)crit"
    r"|escribi(?:o|ó)|ha scritto|escreveu|napsal(?:\(a\))?"
    r"|napisa(?:l|ł)(?:\(a\))?|skrev|kirjoitti|je napisao|написал(?:\(\u0430\))?|έγραψε"
)
_REPLY_START = (
    r"(?:-{2,} ?)?(?:on|op|am|le|el|il|em|dne|w dniu|den|d\.|pa|på|dana|в|στις)\b"
)
# The header ends with a colon; between the prefix and the verb: a date and/or an address.
_REPLY_HEADER = re.compile(
    rf"^(?:{_REPLY_START}.{{0,300}}?\b(?:{_REPLY_VERB})\b.{{0,120}}?"
    rf"|.{{0,200}}?(?:@|\d).{{0,200}}?\b(?:{_REPLY_VERB})\b.{{0,120}}?)\s?:\s*$",
)
_REPLY_PREFIX = re.compile(_REPLY_START)
_HAS_VERB = re.compile(rf"\b(?:{_REPLY_VERB})\b")
_SEPARATOR = re.compile(
    r"^[-_=* ]{2,}\s*(?:original message|oorspronkelijk bericht|origineel bericht"
    r"|urspr(?:u|ü)ngliche nachricht|message d'origine|message original|forwarded message"
    r"|doorgestuurd bericht|weitergeleitete nachricht|message transf(?:e|é)r(?:e|é)"
    r"|messaggio originale|mensaje original|mensagem original|p(?:u|ů)vodn(?:i|í) zpr(?:a|á)va"
    r"|oprindelig meddelelse|ursprungligt meddelande|wiadomo(?:s|ś)(?:c|ć) oryginalna)"
    r"\s*[-_=* ]{2,}\s*$"
    r"|^(?:begin forwarded message|begin doorgestuurd bericht|anfang der weitergeleiteten"
    r" nachricht|d(?:e|é)but du message r(?:e|é)exp(?:e|é)di(?:e|é))\s*:\s*$"
)
_HEADER_FROM = re.compile(
    r"^\*?(?:from|van|von|de|da|od|fra|fr(?:a|å)n|desde|от|από)\s?\*?\s?:\s?\*?\s?\S"
)
_HEADER_OTHER = re.compile(
    r"^\*?(?:sent|verzonden|gesendet|envoy(?:e|é)|inviato|enviado|date|datum|data|fecha|to|aan"
    r"|an|a|à|para|per|subject|onderwerp|betreff|objet|oggetto|asunto|assunto|cc|bcc"
    r"|gesendet am|sendt|skickat|wys(?:l|ł)ano|odesl(?:a|á)no|předmět|temat|emne|(?:a|ä)mne)"
    r"\s?\*?\s?:"
)
_SENT_FROM = re.compile(
    r"^(?:sent from my|sent from (?:mail|outlook)|sent with|get outlook for"
    r"|verzonden (?:vanaf|met|van)"
    r"|verstuurd (?:vanaf|met|van)|von meinem|gesendet (?:von|mit)|envoy(?:e|é) (?:de|depuis)"
    r"|inviato da|enviado desde|enviado do)\b.{0,60}$"
)
_SENT_FROM_STARTS = frozenset({"se", "ge", "ve", "vo", "en", "in"})  # how _SENT_FROM lines begin
_SALUTATION = re.compile(
    r"^(?:met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?"
    r"|met (?:hartelijke |beste )?groet(?:en)?|groet(?:en|jes)?|mvg|gr\.?"
    r"|kind regards|best regards|regards|best wishes|best|cheers|sincerely"
    r"|yours (?:sincerely|truly)"
    r"|mit freundlichen gr(?:u|ü)(?:ß|ss)en|freundliche gr(?:u|ü)(?:ß|ss)e|viele gr(?:u|ü)(?:ß|ss)e"
    r"|beste gr(?:u|ü)(?:ß|ss)e|lg|vg|mfg|gru(?:ß|ss)"
    r"|cordialement|bien (?:a|à) vous|salutations|bien cordialement|meilleures salutations"
    r"|(?:many |a lot of )?thanks(?: again| in advance)?|thank you(?: in advance)?|thx"
    r"|(?:alvast )?(?:bedankt|dank (?:je|u)(?: ?wel)?)|(?:vielen )?dank(?:e(?: sch(?:o|ö)n)?)?"
    r"|merci(?: d['\u2019]avance| beaucoup)?)"
    r"[ ,.!]*$"
)
# A legal footer under the mail: everything from its first line on is nobody's words. Its
# openings, in the languages the rest of this module reads.
_DISCLAIMER = re.compile(
    r"(?:^|[.!?] )(?:disclaimer\b|confidentiality notice"
    r"|(?:this|the information (?:contained )?in this|the content of this)"
    r" (?:e-?mail|message|communication)"
    r"\b.{0,80}\b(?:confidential|intended (?:solely|only)"
    r"|privileged)|if you (?:are not|have received this)\b.{0,60}\b(?:intended recipient|in error)"
    r"|(?:dit|deze) (?:e-?mail|bericht)(?:bericht)?\b.{0,60}\b(?:uitsluitend bestemd|is alleen"
    r" bestemd|vertrouwelijk)|(?:de )?informatie (?:in|verzonden met|opgenomen in) (?:dit|deze)"
    r" (?:e-?mail|bericht)(?:bericht)?\b.{0,60}\b(?:vertrouwelijk|uitsluitend|alleen bestemd)"
    r"|indien u (?:niet de (?:beoogde )?geadresseerde|dit bericht"
    r" (?:per abuis|ten onrechte|onterecht))"
    r"|diese (?:e-?mail|nachricht)\b.{0,60}\b(?:vertraulich|ausschlie(?:ss|ß)lich f(?:u|ü)r)"
    r"|wenn sie nicht der (?:richtige|beabsichtigte) (?:adressat|empf(?:a|ä)nger)"
    r"|(?:ce|le pr(?:e|é)sent) (?:message|courriel|e-?mail)\b.{0,60}\b(?:confidentiel|"
    r"exclusivement|destin(?:e|é) (?:uniquement|exclusivement))"
    r"|les informations contenues dans ce (?:message|courriel|e-?mail)"
    r"|si vous (?:n['\u2019])?(?:e|ê)tes pas (?:le|la) destinataire)"
)
_MAX_READ = 12_000  # characters of a body looked at; the classifier reads at most 4,000
_MAX_SIGNATURE_LINES = 6
_MAX_SIGNATURE_LINE = 60


@dataclass(frozen=True, slots=True)
class OwnText:
    """The sender's own words, and what was cut to get them (for the explanation)."""

    text: str
    cut_at: str | None = None  # the line where quoted history began, as written
    quoted_lines: int = 0  # ">" lines dropped above the cut
    signature: bool = False


@lru_cache(maxsize=16)  # the no-reply checks, verification and classify ask for the same mail
def own_text(body: str) -> OwnText:
    """Return the part of ``body`` its sender wrote, without quoted history or signature."""
    lines = body[:_MAX_READ].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    colon = [line.rstrip().endswith(":") for line in lines]
    colon += [False, False]
    kept: list[str] = []
    cut_at: str | None = None
    quoted = 0
    signature = False
    header_end = -1  # the last line of a reply header the reply is written below
    for i, line in enumerate(lines):
        stripped = line.strip()
        if i <= header_end:
            continue
        if not stripped:
            kept.append("")
            continue
        first = stripped[0]
        if first == ">":
            quoted += 1
            continue
        if line.rstrip(" ") == "--" or stripped == "__":
            signature = True
            break
        near_colon = colon[i] or colon[i + 1] or colon[i + 2]
        if near_colon or first in "-_=*" or ":" in stripped[:20]:
            lowered = stripped.lower()
            if _starts_history(lines, i, lowered, near_colon):
                cut_at = stripped
                if any(kept) or not _quoted_below(lines, i):
                    break
                # Nothing written above the quote: the reply is below it (bottom-posting).
                header_end = _header_end(lines, i)
                continue
        if stripped[:2].lower() in _SENT_FROM_STARTS and _SENT_FROM.match(stripped.lower()):
            signature = True
            continue
        if any(kept) and _DISCLAIMER.search(stripped.lower()):
            signature = True
            break
        kept.append(line)
    signature = _drop_closing(kept) or signature
    return OwnText("\n".join(kept).strip(), cut_at, quoted, signature)


def _starts_history(lines: list[str], i: int, lowered: str, colon_near: bool) -> bool:
    if lowered[0] in "-_=*" and _SEPARATOR.match(lowered):
        return True
    if (lowered[0] in "-_" and len(set(lowered)) == 1 and len(lowered) >= 20
            and _next_is_header(lines, i)):
        return True
    if ":" in lowered[:20] and _HEADER_FROM.match(lowered) and _next_is_header(lines, i):
        return True
    return colon_near and _is_reply_header(lines, i, lowered)


def _header_end(lines: list[str], i: int) -> int:
    """The line a reply header starting at ``i`` ends on, wrapped over up to three lines
    ("... het volgende" / "geschreven:")."""
    return next((k for k in range(i, min(i + 3, len(lines)))
                 if lines[k].rstrip().endswith(":")), i)


def _quoted_below(lines: list[str], i: int) -> bool:
    """The lines after a reply header are ">" quotes, so the sender may write below them."""
    ends = _header_end(lines, i)
    following = [line.strip() for line in lines[ends + 1:ends + 4] if line.strip()]
    return bool(following) and following[0].startswith(">")


def _next_is_header(lines: list[str], i: int) -> bool:
    """True when one of the next few non-empty lines is a mail header such as "Sent:"."""
    seen = 0
    for line in lines[i + 1:i + 8]:
        stripped = line.strip().lower()
        if not stripped:
            continue
        if _HEADER_OTHER.match(stripped) or _HEADER_FROM.match(stripped):
            return True
        seen += 1
        if seen >= 2:
            return False
    return False


def _is_reply_header(lines: list[str], i: int, lowered: str) -> bool:
    """"On ... wrote:" on this line, or starting here and wrapped over up to three lines."""
    if _header_line(lowered):
        return True
    if not (_REPLY_PREFIX.match(lowered) or lowered[0].isdigit()):
        return False
    joined = lowered
    for following in lines[i + 1:i + 3]:
        following = following.strip().lower()
        if not following or following.startswith(">") or len(joined) > 400:
            return False
        joined = f"{joined} {following}"
        if _header_line(joined):
            return True
    return False


def _header_line(text: str) -> bool:
    return text.endswith(":") and bool(_HAS_VERB.search(text)) and bool(_REPLY_HEADER.match(text))


def _drop_closing(kept: list[str]) -> bool:
    """Cut a closing salutation and the short name/address lines after it, if that is all."""
    filled = [n for n, line in enumerate(kept) if line.strip()]
    # Only the last few lines can be a closing: the first line never is.
    first = max(1, len(filled) - 1 - _MAX_SIGNATURE_LINES)
    for pos, n in enumerate(filled[first:], first):
        if not _SALUTATION.match(kept[n].strip().lower()):
            continue
        rest = [kept[m].strip() for m in filled[pos + 1:]]
        if len(rest) <= _MAX_SIGNATURE_LINES and all(
            len(r) <= _MAX_SIGNATURE_LINE and not r.endswith(("?", ".")) for r in rest
        ):
            del kept[n:]
            return True
    return False
