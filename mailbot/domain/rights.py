"""Rights a data subject may ask for that mailbot does not carry out itself: a person answers
them, within the deadline of the request they came with. Pure."""

from __future__ import annotations

from enum import StrEnum


class OtherRight(StrEnum):
    PORTABILITY = "portability"  # art. 20: the data in a machine-readable form
    RESTRICTION = "restriction"  # art. 18: the processing restricted
    OBJECTION = "objection"  # art. 21(1): an objection on grounds of one's situation


ARTICLES = {OtherRight.PORTABILITY: "20", OtherRight.RESTRICTION: "18",
            OtherRight.OBJECTION: "21(1)"}
