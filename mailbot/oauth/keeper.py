"""The OAuth2 accounts' tokens and standing in the database (table ``oauth_token``, tokens
sealed like every other secret), and the staff mail when a provider refuses a grant."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from mailbot.config import Settings
from mailbot.domain.states import GRANTS, GrantStatus
from mailbot.draft.render import Renderer
from mailbot.errors import Conflict, GrantRefused, StoreError, TemplateError
from mailbot.oauth.tokens import Account, Saved
from mailbot.send.outbox import enqueue
from mailbot.store.models import OAuthToken
from mailbot.store.uow import UnitOfWork

log = logging.getLogger(__name__)
STAFF_TEMPLATE = "staff_oauth_refused"


class DatabaseKeeper:
    def __init__(self, uow: Callable[[], UnitOfWork], settings: Settings, renderer: Renderer,
                 clock: Callable[[], datetime]) -> None:
        self.uow = uow
        self.settings = settings
        self.renderer = renderer
        self.clock = clock

    def load(self, account: Account) -> Saved | None:
        try:
            with self.uow() as uow:
                row = uow.repo.oauth.get(account.name)
                if row is None:
                    return None
                return Saved(row.client_id, row.seed_hash, row.refresh_token,
                             row.access_token, row.expires_at)
        except StoreError as exc:
            log.warning("cannot read the saved OAuth2 tokens of %s: %s", account.name, exc)
            return None

    def save(self, account: Account, saved: Saved) -> None:
        def change(uow: UnitOfWork, row: OAuthToken, now: datetime) -> None:
            row.client_id = saved.client_id
            row.seed_hash = saved.seed_hash
            row.refresh_token = saved.refresh_token
            row.access_token = saved.access_token
            row.expires_at = saved.expires_at
            if row.status != GrantStatus.OK:
                row.status = GRANTS.move(row.status, GrantStatus.OK, f"grant of {account.name}")
            row.error = row.refused_at = row.notified_at = None

        self._change(account, change)

    def forget_access(self, account: Account) -> None:
        def change(uow: UnitOfWork, row: OAuthToken, now: datetime) -> None:
            row.access_token = row.expires_at = None

        self._change(account, change)

    def refused(self, account: Account, error: GrantRefused, fix: str) -> None:
        def change(uow: UnitOfWork, row: OAuthToken, now: datetime) -> None:
            if row.status != GrantStatus.REFUSED:
                row.status = GRANTS.move(row.status, GrantStatus.REFUSED,
                                         f"grant of {account.name}")
                row.refused_at = now
            row.error = f"{error} (fix: {fix})"
            row.access_token = row.expires_at = None
            if row.notified_at is None and self._tell_staff(uow, account, error, fix, now):
                row.notified_at = now

        self._change(account, change)

    # -- the row ---------------------------------------------------------------------------

    def _change(self, account: Account,
                change: Callable[[UnitOfWork, OAuthToken, datetime], None]) -> None:
        for _attempt in range(2):  # a second process may insert the row at the same moment
            try:
                with self.uow() as uow:
                    now = self.clock()
                    row = uow.repo.oauth.get(account.name, for_update=True)
                    if row is None:
                        row = OAuthToken(account=account.name,
                                         provider=account.settings.provider,
                                         client_id=account.settings.client_id or "",
                                         status=GrantStatus.OK, updated_at=now)
                        uow.repo.add(row)
                    row.provider = account.settings.provider
                    change(uow, row, now)
                    row.updated_at = now
                    uow.repo.flush()
                    uow.commit()
                    return
            except Conflict:
                continue
            except StoreError as exc:
                log.warning("cannot save the OAuth2 state of %s: %s", account.name, exc)
                return

    def _tell_staff(self, uow: UnitOfWork, account: Account, error: GrantRefused, fix: str,
                    now: datetime) -> bool:
        recipient = self.settings.deadlines.staff_address
        if recipient is None:
            log.warning("deadlines.staff_address is not set: no staff mail about the refused "
                        "OAuth2 grant of %s", account.name)
            return False
        org = self.settings.organisation
        try:
            rendered = self.renderer.render(STAFF_TEMPLATE, org.language, {
                "organisation": org.name, "address": org.address, "account": account.name,
                "user": account.user, "provider": account.settings.provider,
                "client_id": account.settings.client_id or "", "error": str(error),
                "code": error.code, "fix": fix, "key": account.key})
            enqueue(uow.repo, self.settings, purpose=f"staff_oauth.{account.name}",
                    id_purpose="staff_oauth", key=f"staff_oauth.{account.name}", to=recipient,
                    subject=rendered.subject, body=rendered.body, language=rendered.language,
                    now=now, inbound_id=None, request_id=None)
        except (TemplateError, ValueError) as exc:
            log.error("cannot write the staff mail about the refused OAuth2 grant: %s", exc)
            return False
        return True
