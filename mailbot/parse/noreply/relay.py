"""Mail our own website form relays: sent from one of our own domain's no-reply or own
addresses, on behalf of the person who filled in the form.

Such a mail is no loop and no machine's reply: it is that person's request. The person's
address is the Reply-To (when it is not ours), or else the form's labelled e-mail field
("E-mailadres: ...", "Email address: ...", "E-Mail-Adresse: ...", "Adresse e-mail : ...").
``unwrap_form_relay`` gives the mail with that person as its sender, so the no-reply check,
classification, acknowledgement and verification all deal with the person. Mail carrying
our loop header is our own and is never unwrapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from mailbot.domain.mail import LOOP_HEADER, Address, ParsedMail

_NOREPLY = re.compile(r"(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|webform|web[-_.]?form"
                      r"|forms?|website|www|contact)(?:[-+_.].*)?", re.IGNORECASE)
_FIELD = re.compile(
    r"^[ \t>*-]*(?:e-?mail(?:[- ]?ad(?:res|ress|resse))?|adresse (?:e-?mail|electronique|"
    r"électronique)|courriel|correo(?: electr[oó]nico)?|indirizzo e-?mail)[ \t]*:[ \t]*"
    r"<?([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+?)>?[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
_MAX_TEXT = 5000  # form fields stand at the top of the relayed text


def form_relay_sender(mail: ParsedMail, own_addresses: Iterable[str], *,
                      loop_header: str = LOOP_HEADER) -> Address | None:
    """The person a website-form relay speaks for, or None when ``mail`` is no such relay."""
    sender = mail.sender
    if sender is None or mail.header(loop_header) is not None:
        return None
    own = {a.strip().lower() for a in own_addresses}
    domains = {a.rpartition("@")[2] for a in own}
    if sender.domain not in domains:
        return None
    local = sender.addr.partition("@")[0]
    if sender.addr not in own and not _NOREPLY.fullmatch(local):
        return None
    for address in mail.reply_to:
        if address.domain not in domains:
            return address
    m = _FIELD.search((mail.text or "")[:_MAX_TEXT])
    if m is not None:
        addr = m.group(1).strip(".,;").lower()
        if addr.rpartition("@")[2] not in domains:
            return Address(addr)
    return None


def unwrap_form_relay(mail: ParsedMail, own_addresses: Iterable[str], *,
                      loop_header: str = LOOP_HEADER) -> ParsedMail:
    """``mail`` with the person as its sender when it is a website-form relay; else as is."""
    person = form_relay_sender(mail, own_addresses, loop_header=loop_header)
    return mail if person is None else replace(mail, sender=person)
