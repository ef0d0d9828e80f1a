"""The HTTP session every OAuth2 token request goes through (requests, with msal and
google-auth on top of it); imported only when a provider asks for a token, so a worker
without OAuth2 never loads requests (issue 12, a worker's memory)."""

from __future__ import annotations

from typing import Any

import requests

from mailbot.config import OAuth2


def _verify(settings: OAuth2) -> str | bool:
    return str(settings.ca_file) if settings.ca_file else True


class HttpSession(requests.Session):
    """A session that trusts ``oauth2.ca_file`` when set (requests would let the
    REQUESTS_CA_BUNDLE environment variable override a session's ``verify``) and gives
    every request the configured timeout (msal and google-auth take the session as is)."""

    def __init__(self, settings: OAuth2) -> None:
        super().__init__()
        self.verify = _verify(settings)
        self._ca_file = settings.ca_file is not None
        self._timeout = settings.timeout

    def request(self, method: str | bytes, url: str | bytes,  # type: ignore[override]
                *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        return super().request(method, url, *args, **kwargs)

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any,
                                   cert: Any) -> dict[str, Any]:
        merged = super().merge_environment_settings(url, proxies, stream, verify, cert)
        if self._ca_file and verify in (None, True):
            merged["verify"] = self.verify
        return merged
