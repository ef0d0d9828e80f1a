"""Queries about the OAuth2 accounts' tokens and standing."""

from __future__ import annotations

from sqlalchemy import select

from mailbot.store.base import Queries
from mailbot.store.models import OAuthToken


class OAuthQueries(Queries):
    def get(self, account: str, *, for_update: bool = False) -> OAuthToken | None:
        query = select(OAuthToken).where(OAuthToken.account == account)
        if for_update:
            query = query.with_for_update()
        return self.session.scalar(query)

    def all(self) -> list[OAuthToken]:
        return list(self.session.scalars(select(OAuthToken).order_by(OAuthToken.account)))
