"""Verify bearer JWTs: the one rule the gateway's edge and the services apply.

HS256 with a configured secret, RS256 with keys by ``kid`` from a JWKS. The
key and the accepted algorithm are chosen from *our* configuration and the
token's ``kid``, never from the token's ``alg`` alone: an HMAC token is only
checked against the configured secret, an RSA token only against an RSA key of
the key set (so an RSA public key can never be used as an HMAC secret: no
algorithm confusion), and ``alg: none`` is always refused. ``exp`` and a
non-empty ``sub`` are required; ``nbf`` and ``iat`` are checked when present;
``aud`` and ``iss`` are checked (and then required) when configured.

Where the keys come from is the caller's: :class:`KeySet` holds them;
:class:`PolledKeySet` refreshes them from a source (a JWKS URL, or the issuer's
own database) when a token names an unknown ``kid``, at most once per
``min_interval``, and every ``max_age`` seconds. The gateway's asynchronous
fetcher (``gateway.auth.jwks``) uses the same :func:`refresh_allowed` and
:func:`jwks_document`.

Example::

    verifier = JwtVerifier(secret="s3cret", audience="api")
    verifier.verify(token)  # → {"sub": "alice", "scope": "orders:read", ...}
    verifier.verify(none_alg_token)  # raises InvalidToken("alg 'none' is not accepted")
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

import httpx
import jwt

log = logging.getLogger("specfirst.auth")
HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
RSA_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
MAX_JWKS_BYTES = 1024 * 1024
EMPTY_RETRY = 1.0  # seconds between fetches while no key is held
_CACHE_LIMIT = 10_000
Keys = Mapping[str, tuple[Any, str | None]]


class InvalidToken(Exception):
    """The token was refused; the message says why (safe to show a client)."""


class UnknownKey(InvalidToken):
    """The token names a ``kid`` the key set does not hold (a refresh may find it)."""


class JwksError(ValueError):
    """A JWKS cannot be used; the message says where and why."""


def parse_jwks(data: Any, source: str) -> dict[str, tuple[Any, str | None]]:
    """RSA signing keys of a JWKS document by ``kid`` (``""`` for a key without one).

    Keys of other types, or for another ``use``, are skipped; an RSA key that
    cannot be loaded makes the whole set unusable (:class:`JwksError`).
    """
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        raise JwksError(f"{source}: a JWKS must be an object with a 'keys' array")
    found: dict[str, tuple[Any, str | None]] = {}
    for index, jwk in enumerate(keys):
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA":
            continue
        if jwk.get("use") not in (None, "sig"):
            continue
        try:
            found[str(jwk.get("kid", ""))] = (jwt.PyJWK(jwk).key, jwk.get("alg"))
        except jwt.PyJWTError as exc:
            raise JwksError(f"{source}: key {index} is not a usable RSA key: {exc}") from None
    return found


def load_jwks(path: Path) -> dict[str, tuple[Any, str | None]]:
    """The keys of a JWKS file (:func:`parse_jwks`)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise JwksError(f"{path}: cannot read JWKS: {exc}") from None
    return parse_jwks(data, str(path))


def jwks_document(url: str, status: int, content: bytes) -> Any:
    """The JSON of a fetched JWKS; :class:`JwksError` for a refusal, an oversized
    set or a body that is not JSON."""
    if status != 200:
        raise JwksError(f"{url}: answered {status}")
    if len(content) > MAX_JWKS_BYTES:
        raise JwksError(f"{url}: larger than {MAX_JWKS_BYTES} bytes")
    try:
        return json.loads(content)
    except ValueError as exc:
        raise JwksError(f"{url}: not JSON: {exc}") from None


def refresh_allowed(
    last_attempt: float | None, now: float, min_interval: float, holds_keys: bool
) -> bool:
    """Whether a fetch may start: one per ``min_interval`` (tokens with made-up
    ``kid``s must not turn a verifier into a load generator), or per
    :data:`EMPTY_RETRY` while no key is held (the system's first token must not
    wait out a lock-out that protects keys nobody has yet)."""
    interval = min_interval if holds_keys else min(min_interval, EMPTY_RETRY)
    return last_attempt is None or now - last_attempt >= interval


class KeySet:
    """Keys by ``kid``, replaced whole and never mutated, so a verification
    always sees one consistent set; a local set (a JWKS file's) never changes."""

    def __init__(self, keys: Keys | None = None) -> None:
        self.keys: Keys = dict(keys or {})

    def current(self) -> Keys:
        """The keys to verify with now."""
        return self.keys


class PolledKeySet(KeySet):
    """Keys read from ``source()`` (a JWKS document) on first use, after
    ``max_age`` seconds, and on an unknown ``kid`` as :func:`refresh_allowed`
    permits; single-flight across threads. A failed read keeps the keys held."""

    def __init__(
        self,
        source: Callable[[], Any],
        label: str,
        *,
        min_interval: float = 10.0,
        max_age: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.source = source
        self.label = label
        self.min_interval = min_interval
        self.max_age = max_age
        self.clock = clock
        self.fetches = 0
        self._last_attempt: float | None = None
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def current(self) -> Keys:
        """The keys, read first when none were read yet or they are older than ``max_age``."""
        fetched = self._fetched_at
        if fetched is None or self.clock() - fetched >= self.max_age:
            self.refresh()
        return self.keys

    def refresh(self) -> bool:
        """Read the keys again unless :func:`refresh_allowed` says no; True when they changed."""
        with self._lock:
            now = self.clock()
            if not refresh_allowed(self._last_attempt, now, self.min_interval, bool(self.keys)):
                return False
            self._last_attempt = now
            self.fetches += 1
            try:
                keys = parse_jwks(self.source(), self.label)
            except (httpx.HTTPError, ValueError) as exc:  # JwksError is a ValueError
                log.warning("JWKS: cannot read %s: %s; keeping %d key(s)", self.label, exc,
                            len(self.keys))  # fmt: skip
                return False
            self._fetched_at = now
            changed = set(keys) != set(self.keys)
            self.keys = keys
            return changed


def http_jwks(url: str, timeout: float = 2.0) -> Callable[[], Any]:
    """A :class:`PolledKeySet` source that GETs the JWKS at ``url`` (size-capped)."""

    def fetch() -> Any:
        response = httpx.get(url, headers={"Accept": "application/json"}, timeout=timeout)
        return jwks_document(url, response.status_code, response.content)

    return fetch


class JwtVerifier:
    """Verifies tokens (see the module doc) and caches the claims of good ones
    until they expire."""

    def __init__(
        self,
        secret: str | None = None,
        jwks_file: Path | None = None,
        audience: str | None = None,
        issuer: str | None = None,
        leeway: float = 0.0,
        *,
        keyset: KeySet | None = None,
    ) -> None:
        self.secret = secret
        if keyset is None:
            keyset = KeySet(load_jwks(jwks_file) if jwks_file else {})
        self.keyset = keyset
        self.audience = audience
        self.issuer = issuer
        self.leeway = leeway
        self._cache: dict[str, tuple[dict[str, Any], float]] = {}

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a valid token; :class:`InvalidToken` otherwise."""
        cached = self._cache.get(token)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        claims = self._decode(token)
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise InvalidToken("the token names no subject (a non-empty 'sub' is required)")
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = (claims, float(claims["exp"]) + self.leeway)
        return claims

    def verify_refreshing(self, token: str) -> dict[str, Any]:
        """:meth:`verify`, once more after the key set found new keys when the
        token names an unknown ``kid`` (synchronous key sets only)."""
        try:
            return self.verify(token)
        except UnknownKey:
            keyset = self.keyset
            if not isinstance(keyset, PolledKeySet) or not keyset.refresh():
                raise
        return self.verify(token)

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken("the token is not a well-formed JWT") from None
        alg = header.get("alg")
        if not isinstance(alg, str) or alg.lower() == "none":
            raise InvalidToken("alg 'none' is not accepted")
        key = self._key(alg, header.get("kid"))
        options: dict[str, Any] = {"require": ["exp"], "verify_aud": self.audience is not None}
        if self.audience is not None:
            options["require"].append("aud")
        if self.issuer is not None:
            options["require"].append("iss")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options=cast(Any, options),
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise InvalidToken("the token is not valid yet (nbf)") from None
        except jwt.InvalidAudienceError:
            raise InvalidToken("the token's audience is not accepted") from None
        except jwt.InvalidIssuerError:
            raise InvalidToken("the token's issuer is not accepted") from None
        except jwt.MissingRequiredClaimError as exc:
            raise InvalidToken(f"the token has no {exc.claim!r} claim") from None
        except jwt.PyJWTError:
            raise InvalidToken("the token's signature is not valid") from None
        return claims

    def _key(self, alg: str, kid: object) -> Any:
        if alg in HMAC_ALGORITHMS:
            if not self.secret:
                raise InvalidToken(f"{alg} tokens are not accepted")
            return self.secret
        if alg in RSA_ALGORITHMS:
            keys = self.keyset.current()
            entry = keys.get(str(kid)) if kid is not None else None
            if entry is None and kid is None and len(keys) == 1:
                entry = next(iter(keys.values()))
            if entry is None:
                raise UnknownKey("the token's signing key is not known")
            key, key_alg = entry
            if key_alg is not None and key_alg != alg:
                raise InvalidToken(f"the key {kid!r} is not for {alg}")
            return key
        raise InvalidToken(f"alg {alg!r} is not accepted")


def token_scopes(claims: Mapping[str, Any]) -> tuple[str, ...]:
    """Scopes of a token, in order, from the usual claims: ``scope`` (space
    separated), ``scopes`` and ``scp`` (lists or strings)."""
    found: dict[str, None] = {}
    for name in ("scope", "scopes", "scp"):
        value = claims.get(name)
        if isinstance(value, str):
            found.update(dict.fromkeys(value.split()))
        elif isinstance(value, list):
            found.update(dict.fromkeys(str(item) for item in value))
    return tuple(found)
