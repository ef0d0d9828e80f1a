"""What a step of a request's outcome is: the action and what it acts on. Pure."""

from __future__ import annotations

from enum import StrEnum


class StepAction(StrEnum):
    SEARCH = "search"  # search source X for the person
    ERASE = "erase"  # erase in source X (or mailbot's own records)
    RESTRICT = "restrict"  # restrict instead of erase: X must keep it by law (art. 17(3)(b))
    CORRECT = "correct"  # correct a field in source X
    FORWARD = "forward"  # forward the request to client Y (art. 28(3)(e))
    NOTIFY = "notify"  # tell recipient Z of the erasure or correction (art. 19)
    DELETE_MAILBOX_COPY = "delete_mailbox_copy"  # the original mail in the mailbox
    OPT_OUT = "opt_out"  # record an objection in source X (a consent column set off)
    MANUAL = "manual"  # a step staff carry out by hand and tick off
    OTHER_RIGHT = "other_right"  # a right mailbot does not carry out (portability, ...)


# Steps an answer reports on that the person must be able to rely on: the answer waits for
# their result. A notification of a recipient is named only once it is done, and a search
# is what the answer is built from. Another right asked in the same mail holds the answer
# until a person has answered it (in the answer or apart) and ticked it off.
REPORTED = frozenset({StepAction.ERASE, StepAction.RESTRICT, StepAction.CORRECT,
                      StepAction.FORWARD, StepAction.DELETE_MAILBOX_COPY, StepAction.MANUAL,
                      StepAction.OPT_OUT, StepAction.OTHER_RIGHT})
