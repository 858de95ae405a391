"""Verify bearer JWTs: HS256 with a configured secret, RS256 with a JWKS (:mod:`gateway.auth.jwks`).

The key and the accepted algorithm are chosen from *our* configuration and
the token's ``kid``, never from the token's ``alg`` alone: an HMAC token is
only checked against the configured secret, an RSA token only against an RSA
key of the JWKS file (so an RSA public key can never be used as an HMAC
secret: no algorithm confusion), and ``alg: none`` is always refused.
``exp`` is required; ``nbf``, ``iat``, ``aud`` and ``iss`` are checked when
configured (``aud``/``iss`` then required).

Example::

    verifier = JwtVerifier(secret="s3cret", audience="api")
    verifier.verify(token)  # → {"sub": "alice", "scope": "orders:read", ...}
    verifier.verify(none_alg_token)  # raises InvalidToken("alg 'none' is not accepted")
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, cast

import jwt

from gateway.auth.jwks import KeySet, load_jwks

HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
RSA_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
_CACHE_LIMIT = 10_000


class InvalidToken(Exception):
    """The token was refused; the message says why (safe to show a client)."""


class UnknownKey(InvalidToken):
    """The token names a ``kid`` the key set does not hold (a refresh may find it)."""


class JwtVerifier:
    """Verifies tokens and caches the claims of good ones until they expire."""

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
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = (claims, float(claims["exp"]) + self.leeway)
        return claims

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
            keys = self.keyset.keys
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


def token_scopes(claims: dict[str, Any]) -> tuple[str, ...]:
    """Scopes of a token: ``scope`` (space separated) or ``scp`` (list or string)."""
    for name in ("scope", "scp"):
        value = claims.get(name)
        if isinstance(value, str):
            return tuple(value.split())
        if isinstance(value, list):
            return tuple(str(v) for v in value)
    return ()
