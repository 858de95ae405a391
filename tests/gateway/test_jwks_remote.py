"""The gateway's fetched key set (gateway.auth.jwks.RemoteKeySet) and its configuration."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from codegen.core.auth.bearer import JwtVerifier, UnknownKey
from gateway.auth.jwks import RemoteKeySet
from gateway.config import ConfigError, load_config
from tests.support.issuer import Issuer


def test_a_rotated_in_key_is_found_by_one_shared_fetch(issuer: Issuer) -> None:
    old = issuer.add_key()
    keyset = RemoteKeySet(lambda: issuer.url, min_interval=60.0)
    verifier = JwtVerifier(keyset=keyset)

    async def scenario() -> None:
        assert await keyset.refresh() is True
        assert verifier.verify(issuer.token(old))["sub"] == "stub-admin"
        new = issuer.add_key()
        with pytest.raises(UnknownKey):
            verifier.verify(issuer.token(new))
        keyset.min_interval = 0.0
        issuer.delay = 0.2
        changed = await asyncio.gather(*(keyset.refresh() for _ in range(10)))
        assert changed == [True] * 10 and issuer.fetches == 2  # single flight
        assert verifier.verify(issuer.token(new))["sub"] == "stub-admin"

    asyncio.run(scenario())


def test_refreshes_are_rate_limited_and_failures_keep_the_keys(issuer: Issuer) -> None:
    kid = issuer.add_key()
    clock = [100.0]
    keyset = RemoteKeySet(lambda: issuer.url, min_interval=10.0, clock=lambda: clock[0])

    async def scenario() -> None:
        await keyset.refresh()
        for _ in range(5):
            assert await keyset.refresh() is False
        assert issuer.fetches == 1
        clock[0] += 10.0
        issuer.close()  # the issuer is gone: the keys held stay
        assert await keyset.refresh() is False
        assert list(keyset.keys) == [kid] and keyset.fetches == 2

    asyncio.run(scenario())


def test_while_no_key_is_held_a_refresh_waits_one_second_not_the_interval(
    issuer: Issuer,
) -> None:
    """The issuer publishes its first key only at its first login: that token must
    pass the edge within a second, not after ``min_interval``."""
    clock = [100.0]
    keyset = RemoteKeySet(lambda: issuer.url, min_interval=10.0, clock=lambda: clock[0])

    async def scenario() -> None:
        assert await keyset.refresh() is False and keyset.keys == {}  # nothing published yet
        kid = issuer.add_key()
        clock[0] += 0.5
        assert await keyset.refresh() is False and issuer.fetches == 1
        clock[0] += 0.5
        assert await keyset.refresh() is True and list(keyset.keys) == [kid]
        issuer.add_key()
        clock[0] += 1.0  # a key is held now: the full interval applies again
        assert await keyset.refresh() is False and issuer.fetches == 2

    asyncio.run(scenario())


def test_no_route_for_the_path_yet_is_not_an_error() -> None:
    keyset = RemoteKeySet(lambda: None, min_interval=0.0)
    assert asyncio.run(keyset.refresh()) is False
    assert keyset.keys == {}


def test_jwks_url_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "specfirst.toml"
    toml.write_text('[gateway.auth]\njwks_url = "/.well-known/jwks.json"\njwks_min_refresh = 2\n')
    auth = load_config(tmp_path).auth
    assert (auth.jwks_url, auth.jwks_min_refresh, auth.jwks_max_age) == (
        "/.well-known/jwks.json", 2.0, 300.0,
    )  # fmt: skip
    monkeypatch.setenv("SPECFIRST_JWKS_URL", "https://id.example/jwks")
    assert load_config(tmp_path).auth.jwks_url == "https://id.example/jwks"
    monkeypatch.setenv("SPECFIRST_JWKS_URL", "ftp://x")
    with pytest.raises(ConfigError, match="must be a path"):
        load_config(tmp_path)
    monkeypatch.delenv("SPECFIRST_JWKS_URL")
    toml.write_text('[gateway.auth]\njwks_url = "/j"\njwks_file = "k.json"\n')
    with pytest.raises(ConfigError, match="not both"):
        load_config(tmp_path)
