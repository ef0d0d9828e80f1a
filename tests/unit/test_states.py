"""The state machines of domain/states.py: what may follow what, and what may not."""

from __future__ import annotations

import pytest

from mailbot.domain.states import (
    DRAFTS,
    EXTENSIONS,
    OUTBOX,
    REQUESTS,
    VERIFICATIONS,
    DraftStatus,
    Machine,
    OutboxStatus,
    RequestStatus,
)
from mailbot.errors import IllegalTransition, WorkflowError
from mailbot.store.models import Draft, OutboxMessage, Request

MACHINES = [REQUESTS, DRAFTS, OUTBOX, VERIFICATIONS, EXTENSIONS]


def reachable(machine: Machine, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        state = todo.pop()
        for target in machine.next_states(state):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_every_state_can_end(machine: Machine) -> None:
    assert machine.terminal
    for state in machine.states:
        assert state in machine.terminal or reachable(machine, state) & machine.terminal, state


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_a_terminal_state_is_never_left(machine: Machine) -> None:
    for state in machine.terminal:
        for target in machine.states:
            with pytest.raises(IllegalTransition):
                machine.move(state, target)


def test_a_machine_must_say_something_of_every_state() -> None:
    with pytest.raises(ValueError, match="no moves given"):
        Machine("draft", DraftStatus, {DraftStatus.SENT: set()})


def test_the_request_machine_ends_only_in_done_rejected_or_closed() -> None:
    assert REQUESTS.terminal == {RequestStatus.DONE, RequestStatus.REJECTED,
                                 RequestStatus.CLOSED}
    # a request closed as unverified can come back when staff verify the person
    assert REQUESTS.allows(RequestStatus.UNVERIFIED, RequestStatus.ACKNOWLEDGED)
    assert not REQUESTS.allows(RequestStatus.NEW, RequestStatus.UNVERIFIED)


def test_a_draft_is_sent_only_through_the_outbox() -> None:
    draft = Draft(id=7, status=DraftStatus.PENDING_APPROVAL)
    with pytest.raises(IllegalTransition, match="draft 7 is pending_approval: it cannot "
                                                "become sent"):
        draft.move(DraftStatus.SENT)
    for step in (DraftStatus.APPROVED, DraftStatus.QUEUED, DraftStatus.SENT):
        draft.move(step)
    assert draft.status is DraftStatus.SENT
    assert draft.can_move(DraftStatus.FAILED)  # a bounce after it left
    assert not draft.can_move(DraftStatus.PENDING_APPROVAL)


def test_an_illegal_move_is_a_workflow_error_and_changes_nothing() -> None:
    request = Request(id=3, status=RequestStatus.DONE)
    with pytest.raises(WorkflowError):
        request.move(RequestStatus.TRIAGE)
    assert request.status is RequestStatus.DONE
    message = OutboxMessage(id=4, status=OutboxStatus.FAILED)
    assert not message.can_move(OutboxStatus.SENT)
