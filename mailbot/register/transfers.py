"""Transfers outside the EEA (art. 44-46 GDPR) that a processing order names without a
safeguard: staff are warned before they approve the order into the register.

A transfer needs an adequacy decision or appropriate safeguards (standard contractual
clauses, binding corporate rules, ...). The order's transfers field is read as transfers
outside the EEA (that is what its label asks); it is flagged when it names a transfer and
neither the safeguards field nor the transfers text names a safeguard, or when either says
there is none ("zonder waarborgen", "without safeguards", "ohne Garantien", "sans
garanties"). Pure: no database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from mailbot.register.parse_order import NONE
from mailbot.register.vocabulary import fold

_SAFEGUARD = (r"waarborg\w*|safeguards?|scc'?s?|standa\w*contract\w*|modelcontract\w*"
              r"|standard contractual clauses?|model clauses?|bcr'?s?"
              r"|bindende bedrijfsvoorschriften|binding corporate rules?|adequa\w*"
              r"|data privacy framework|dpf"
              r"|garantien|garanties?|standardvertragsklauseln|standarddatenschutzklauseln"
              r"|angemessenheitsbeschluss|verbindliche interne datenschutzvorschriften"
              r"|clauses contractuelles types|decision d.adequation"
              r"|regles d.entreprise contraignantes"
              r"|artikel 4[5-9]|article 4[5-9]|art\.? 4[5-9]")
_WITHOUT = re.compile(rf"(?<!\w)(?:zonder|geen|without|no|none|niet|not|ohne|keine?|sans|"
                      rf"aucune?|pas de)(?: \w+){{0,3}} "
                      rf"(?:{_SAFEGUARD})(?!\w)")
_NAMES_SAFEGUARD = re.compile(rf"(?<!\w)(?:{_SAFEGUARD})(?!\w)")
_NO_VALUE = re.compile(r"(?:geen|none|no|nee|n\.?v\.?t\.?|n/?a|niet van toepassing|"
                       r"not applicable|zonder|without|keine?|nein|ohne|entfallt|aucune?|"
                       r"non|sans(?: objet)?|neant|-)(?!\w)")


def unsafe_transfer(fields: Mapping[str, str]) -> str | None:
    """Why the transfers in ``fields`` need a look before approval; None when there are none
    or a safeguard is named."""
    transfers = (fields.get("transfers") or "").strip()
    if not transfers or transfers == NONE or transfers.startswith(f"{NONE} ("):
        return None
    safeguards = (fields.get("safeguards") or "").strip()
    said = fold(f"{transfers} ; {safeguards}")
    no_safeguard = bool(_WITHOUT.search(said)) or bool(
        safeguards and _NO_VALUE.match(fold(safeguards)))
    if not no_safeguard and (safeguards or _NAMES_SAFEGUARD.search(fold(transfers))):
        return None
    return (f"transfer outside the EEA without safeguards: {transfers}"
            + (f" (safeguards: {safeguards})" if safeguards else "")
            + ". Art. 44-46 GDPR allow it only under an adequacy decision or appropriate "
              "safeguards (standard contractual clauses, binding corporate rules): check "
              "with the client before approving")
