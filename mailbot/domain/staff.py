"""Who may do what: the roles of staff members, each allowing what the one before allows."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"  # reads everything, adds internal notes
    APPROVER = "approver"  # also edits, approves and rejects drafts, acts on requests
    ADMIN = "admin"  # also manages clients, their contacts and the staff accounts

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)
