"""The OAuth2 accounts' standing as the daemon left it in the database, for `mailbot health`,
/healthz, `mailbot check` and `mailbot oauth status`: an account is unhealthy while its
provider refuses the grant (row ``oauth_token``, status ``refused``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from mailbot.config import Settings
from mailbot.domain.states import GrantStatus
from mailbot.errors import StoreError
from mailbot.store.uow import UnitOfWork


@dataclass(frozen=True)
class TokenStatus:
    account: str  # mailbox or smtp (smtp using the mailbox's grant is not listed apart)
    provider: str
    ok: bool
    status: str  # ok, refused, or none (no token asked for yet)
    error: str | None
    refused_at: datetime | None
    expires_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("refused_at", "expires_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @property
    def line(self) -> str:
        if self.ok:
            return f"oauth2 {self.account} ({self.provider}): {self.status}"
        return f"oauth2 {self.account} ({self.provider}): grant refused: {self.error}"


def configured_accounts(settings: Settings) -> dict[str, str]:
    """account name -> provider, for every OAuth2 account the settings use."""
    found = {}
    if settings.mailbox.auth == "oauth2" and settings.mailbox.oauth2 is not None:
        found["mailbox"] = settings.mailbox.oauth2.provider
    if settings.smtp.auth == "oauth2" and settings.smtp.oauth2 is not None:
        found["smtp"] = settings.smtp.oauth2.provider
    return found


def token_status(settings: Settings, uow: Callable[[], UnitOfWork]) -> list[TokenStatus]:
    """One entry per configured OAuth2 account; empty without OAuth2. Raises StoreError
    when the database cannot be read."""
    accounts = configured_accounts(settings)
    if not accounts:
        return []
    with uow() as unit:
        rows = {row.account: row for row in unit.repo.oauth.all()}
        found = []
        for name, provider in accounts.items():
            row = rows.get(name)
            if row is None:
                found.append(TokenStatus(name, provider, True, "none", None, None, None))
                continue
            refused = row.status == GrantStatus.REFUSED
            found.append(TokenStatus(name, provider, not refused, str(row.status), row.error,
                                     row.refused_at, row.expires_at))
    return found


def token_problems(settings: Settings, uow: Callable[[], UnitOfWork]) -> list[str]:
    """One line per account whose grant is refused (health's problems)."""
    try:
        return [s.line for s in token_status(settings, uow) if not s.ok]
    except StoreError as exc:
        return [f"oauth2: cannot read the accounts' standing: {exc}"]
