"""Cross-site request forgery: every form carries a token that a forged request cannot know.

Signed in, the token belongs to the session (stored with it); before signing in (the login and
language forms) it is a random value in its own cookie that the form must repeat."""

from __future__ import annotations

import hmac
import secrets

FIELD = "csrf_token"
COOKIE = "mailbot_csrf"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def valid(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))
