"""Who is calling: identity the gateway signed, or the credentials themselves.

Tried in this order by :class:`SpecIdentityAuthentication`:

1. **Through the gateway**: the gateway has checked the operation's security
   requirements and forwards the result as ``X-Specfirst-Identity``, a token
   it signs with its Ed25519 key for this method, path and service
   (:mod:`codegen.core.auth.forwarded`). The service verifies it with the
   public key ``SPECFIRST_IDENTITY_PUBLIC_KEY``; one that does not verify
   (forged, tampered, expired, for another service or another request) is a
   401 problem, never a fallback to anything weaker.
2. **Plain identity headers** (``X-Specfirst-Subject``, ``X-Specfirst-Scopes``,
   ``X-Specfirst-Auth-Scheme``) are ignored: anyone who reaches the service's
   port could send them. ``SPECFIRST_TRUST_IDENTITY_HEADERS=1`` accepts them
   for local experiments only; production mode refuses to start with it.
3. **Directly** (development, nginx deployments, service-to-service): the
   credentials are verified here against the spec's ``securitySchemes``:
   ``http``/``bearer`` schemes take a JWT verified by the rule the gateway's
   edge applies (:class:`codegen.core.auth.bearer.JwtVerifier`): HS256 signed
   with ``SPECFIRST_JWT_SECRET``, or RS256 signed by a key of the login's JWKS
   (``SPECFIRST_JWKS_URL``, or the issuer's own keys where
   ``SPECFIRST_JWKS_SOURCE`` names them); ``exp``, a non-empty ``sub`` and the
   configured ``iss`` and ``aud`` required. ``apiKey`` schemes take one of
   ``SPECFIRST_API_KEYS`` in the declared header, query parameter or cookie.

Invalid credentials are a 401 problem; absent credentials leave the request
anonymous, and :mod:`servicekit.security` decides whether that is enough.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from codegen.core.auth.bearer import (
    InvalidToken,
    JwtVerifier,
    KeySet,
    PolledKeySet,
    http_jwks,
    token_scopes,
)
from codegen.core.auth.forwarded import (
    IDENTITY_HEADER,
    ForwardedIdentityError,
    IdentityVerifier,
)
from servicekit.contract.canonical import raw_path
from servicekit.spec import security_schemes

SUBJECT_HEADER = "X-Specfirst-Subject"
SCOPES_HEADER = "X-Specfirst-Scopes"
SCHEME_HEADER = "X-Specfirst-Auth-Scheme"


@dataclass(frozen=True, slots=True)
class Identity:
    """A verified caller; DRF's ``request.user``.

    ``schemes`` names the security schemes the caller satisfied (e.g.
    ``{"bearerAuth"}``); ``via`` is ``"gateway"`` (signed by it), ``"direct"``
    (credentials verified here) or ``"headers"`` (plain headers, development only).
    """

    subject: str
    scopes: frozenset[str]
    schemes: frozenset[str]
    via: str

    @property
    def is_authenticated(self) -> bool:
        return True

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


@dataclass(frozen=True, slots=True)
class BearerSettings:
    """What verifies a bearer token here (the Django settings of that name)."""

    secret: str
    audience: str
    issuer: str
    jwks_url: str | None
    jwks_source: str | None  # dotted path of a callable returning the JWKS document
    jwks_min_refresh: float

    @classmethod
    def configured(cls) -> BearerSettings:
        return cls(
            settings.SPECFIRST_JWT_SECRET,
            settings.SPECFIRST_JWT_AUDIENCE,
            settings.SPECFIRST_JWT_ISSUER,
            settings.SPECFIRST_JWKS_URL,
            getattr(settings, "SPECFIRST_JWKS_SOURCE", None),
            settings.SPECFIRST_JWKS_MIN_REFRESH,
        )


@lru_cache(maxsize=8)
def bearer_verifier(config: BearerSettings) -> JwtVerifier:
    """The verifier of one configuration (its keys are cached and refreshed inside
    it, on an unknown ``kid`` at most once per ``jwks_min_refresh`` seconds)."""
    source: Callable[[], Any] | None = None
    if config.jwks_source:
        source = import_string(config.jwks_source)
    elif config.jwks_url:
        source = http_jwks(config.jwks_url)
    keyset = KeySet()
    if source is not None:
        label = config.jwks_source or config.jwks_url or ""
        keyset = PolledKeySet(source, label, min_interval=config.jwks_min_refresh)
    return JwtVerifier(config.secret or None, None, config.audience, config.issuer, keyset=keyset)


def decode_token(token: str) -> Mapping[str, Any]:
    """The claims of a bearer token the configured verifier accepts; 401 otherwise."""
    try:
        return bearer_verifier(BearerSettings.configured()).verify_refreshing(token)
    except InvalidToken as exc:
        raise exceptions.AuthenticationFailed(f"The bearer token is refused: {exc}.") from None


def key_id(key: str) -> str:
    """A stable, non-secret name for an API key: ``api-key:`` + 12 hex digits of its SHA-256."""
    return "api-key:" + hashlib.sha256(key.encode()).hexdigest()[:12]


def _valid_api_key(candidate: str, keys: Iterable[str]) -> bool:
    return any(hmac.compare_digest(candidate.encode(), key.encode()) for key in keys)


def _split(value: str, sep: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(sep) if part.strip())


@lru_cache(maxsize=4)
def identity_verifier(public_key_pem: str, service: str) -> IdentityVerifier:
    """The verifier of forwarded identities for ``service`` (keys parsed once)."""
    return IdentityVerifier(public_key_pem, audience=service)


def forwarded_identity(request: Request, token: str) -> Identity:
    """The identity in the gateway's signed token; 401 unless it was signed for this request."""
    verifier = identity_verifier(
        settings.SPECFIRST_IDENTITY_PUBLIC_KEY, settings.SPECFIRST_SERVICE_NAME
    )
    path = raw_path(request) or request.path
    try:
        found = verifier.verify(token, request.method or "", path)
    except ForwardedIdentityError as exc:
        raise exceptions.AuthenticationFailed(f"{str(exc).capitalize()}.") from None
    return Identity(found.subject, frozenset(found.scopes), frozenset(found.schemes), "gateway")


class SpecIdentityAuthentication(BaseAuthentication):
    """DRF authentication: the gateway's signed identity, else the spec's schemes."""

    def authenticate(self, request: Request) -> tuple[Identity, None] | None:
        headers = request.headers
        token = headers.get(IDENTITY_HEADER)
        if token:
            return forwarded_identity(request, token.strip()), None
        if settings.SPECFIRST_TRUST_IDENTITY_HEADERS and headers.get(SUBJECT_HEADER):
            identity = Identity(
                subject=headers[SUBJECT_HEADER].strip(),
                scopes=_split(headers.get(SCOPES_HEADER, ""), None),
                schemes=_split(headers.get(SCHEME_HEADER, ""), ","),
                via="headers",
            )
            return identity, None
        for name, scheme in security_schemes().items():
            direct = self._direct(request, name, scheme)
            if direct is not None:
                return direct, None
        return None

    def _direct(self, request: Request, name: str, scheme: Mapping[str, Any]) -> Identity | None:
        kind = scheme.get("type")
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            header = request.headers.get("Authorization", "")
            prefix, _, token = header.partition(" ")
            if prefix.lower() != "bearer" or not token.strip():
                return None
            claims = decode_token(token.strip())
            return Identity(
                subject=str(claims["sub"]),
                scopes=frozenset(token_scopes(claims)),
                schemes=frozenset({name}),
                via="direct",
            )
        if kind == "apiKey":
            value = self._api_key_value(request, scheme)
            if value is None:
                return None
            if not _valid_api_key(value, settings.SPECFIRST_API_KEYS):
                raise exceptions.AuthenticationFailed(
                    f"The API key in {scheme['name']} is not valid."
                )
            return Identity(
                subject=key_id(value), scopes=frozenset(), schemes=frozenset({name}), via="direct"
            )
        return None

    @staticmethod
    def _api_key_value(request: Request, scheme: Mapping[str, Any]) -> str | None:
        where, key_name = scheme.get("in"), str(scheme.get("name", ""))
        if where == "header":
            value = request.headers.get(key_name)
        elif where == "query":
            value = request.query_params.get(key_name)
        elif where == "cookie":
            value = request.COOKIES.get(key_name)
        else:
            value = None
        return value or None

    def authenticate_header(self, request: Request) -> str:
        """The ``WWW-Authenticate`` challenge; its presence makes DRF answer 401, not 403."""
        realm = settings.SPECFIRST_SERVICE_NAME
        for scheme in security_schemes().values():
            if scheme.get("type") == "http":
                return f'{str(scheme.get("scheme", "Bearer")).capitalize()} realm="{realm}"'
        return f'ApiKey realm="{realm}"'
