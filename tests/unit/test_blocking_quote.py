"""The blocking SMTP session quotes an address once and then remembers it: the same text as
aiosmtplib's ``quote_address`` every time, and a refused address refused every time."""

from __future__ import annotations

import pytest
from aiosmtplib.email import quote_address as aiosmtplib_quote

from mailbot.send import blocking

ADDRESSES = ("privacy@example.org", "Persoon 1 <flood1@example.org>", "  a.b@example.org ",
             '"quoted local"@example.org', "jürgen@example.de", "",
             "bounce+tag=x@lists.example.org")


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_same_quoting_as_aiosmtplib_every_time(address: str) -> None:
    expected = aiosmtplib_quote(address)
    assert blocking.quote_address(address) == expected
    assert blocking.quote_address(address) == expected


def test_the_sender_is_quoted_once_for_a_round() -> None:
    blocking.quote_address.cache_clear()
    for _ in range(5):
        blocking.quote_address("privacy@example.org")
    info = blocking.quote_address.cache_info()
    assert (info.misses, info.hits) == (1, 4)


def test_a_refused_address_is_refused_every_time() -> None:
    bad = "<>"
    for _ in range(2):
        with pytest.raises(ValueError):
            aiosmtplib_quote(bad)
        with pytest.raises(ValueError):
            blocking.quote_address(bad)
