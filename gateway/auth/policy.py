"""Enforce an operation's OpenAPI ``security`` requirements at the edge.

``security`` is a list of requirements, any one of which suffices (OR); each
requirement names schemes that must all pass (AND), each with the scopes it
needs. An empty requirement ``{}`` allows anonymous access. Result:

* an :class:`Identity` (subject, scopes, scheme names) to send upstream, or
* a :class:`Denial`: 401 with ``WWW-Authenticate`` when credentials are
  missing or invalid, 403 when valid credentials lack a scope.

Example: requirements ``({"bearer": ("orders:write",)},)`` and a valid token
with ``scope: "orders:read"`` → ``Denial(403, "... lacks the scope 'orders:write'")``.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from codegen.core.auth.bearer import InvalidToken, JwtVerifier, UnknownKey, token_scopes
from gateway.compose.merge import scheme_supported
from gateway.config import ApiKey

Requirements = Sequence[Mapping[str, Sequence[str]]]


@dataclass(frozen=True, slots=True)
class Identity:
    subject: str
    scopes: tuple[str, ...]
    scheme: str
    api_key: bool = False  # the subject is an API key's (else a token's, or none)
    client: str = ""  # the client id of the credential (usage: never a person's id)


@dataclass(frozen=True, slots=True)
class Denial:
    status: int
    detail: str
    challenges: tuple[str, ...] = ()
    unknown_key: bool = False  # a token named a kid the key set lacks: refresh, check again


class Credentials:
    """The request's credential sources, parsed only when asked for."""

    __slots__ = ("_cookies", "_headers", "_query", "headers_raw", "query_raw")

    def __init__(self, headers: Sequence[tuple[bytes, bytes]], query: bytes) -> None:
        self.headers_raw = headers
        self.query_raw = query
        self._headers: dict[str, str] | None = None
        self._query: dict[str, list[str]] | None = None
        self._cookies: dict[str, str] | None = None

    def header(self, name: str) -> str | None:
        if self._headers is None:
            self._headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in self.headers_raw}
        return self._headers.get(name.lower())

    def query(self, name: str) -> str | None:
        if self._query is None:
            self._query = parse_qs(self.query_raw.decode("latin-1"), keep_blank_values=True)
        values = self._query.get(name)
        return values[0] if values else None

    def cookie(self, name: str) -> str | None:
        if self._cookies is None:
            jar: SimpleCookie = SimpleCookie()
            with contextlib.suppress(CookieError):
                jar.load(self.header("cookie") or "")
            self._cookies = {key: morsel.value for key, morsel in jar.items()}
        return self._cookies.get(name)


CLIENT_CLAIMS = ("client_id", "azp")


def token_client(claims: Mapping[str, Any]) -> str:
    """The OAuth client a token was issued to: ``client_id`` (RFC 9068, JWT access
    tokens) else ``azp`` (OpenID Connect's authorized party); ``""`` when the
    token names none. ``sub`` is never used: it is the end user's id."""
    for claim in CLIENT_CLAIMS:
        value = claims.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return ""


class _Refused(Exception):
    def __init__(self, detail: str, challenge: str, unknown_key: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.challenge = challenge
        self.unknown_key = unknown_key


class SecurityPolicy:
    """Checks requirements against the merged spec's security schemes."""

    def __init__(
        self,
        schemes: Mapping[str, Any],
        verifier: JwtVerifier,
        api_keys: Sequence[ApiKey] = (),
        realm: str = "specfirst",
    ) -> None:
        self.schemes = dict(schemes)
        self.verifier = verifier
        self.api_keys = {key.digest: key for key in api_keys}
        self.realm = realm

    def check(self, requirements: Requirements, credentials: Credentials) -> Identity | Denial:
        """The identity of the first satisfied requirement, or why none was."""
        known: dict[str, Identity | _Refused] = {}
        challenges: list[str] = []
        forbidden: str | None = None
        unauthorized: str | None = None
        for requirement in requirements:
            if not requirement:
                return Identity("", (), "")
            outcome = self._requirement(requirement, credentials, known)
            if isinstance(outcome, Identity):
                return outcome
            status, detail, challenge = outcome
            if challenge and challenge not in challenges:
                challenges.append(challenge)
            if status == 403:
                forbidden = forbidden or detail
            else:
                unauthorized = unauthorized or detail
        if forbidden is not None:
            return Denial(403, forbidden)
        unknown_key = any(isinstance(o, _Refused) and o.unknown_key for o in known.values())
        detail = unauthorized or "authentication is required"
        return Denial(401, detail, tuple(challenges), unknown_key)

    def _requirement(
        self,
        requirement: Mapping[str, Sequence[str]],
        credentials: Credentials,
        known: dict[str, Identity | _Refused],
    ) -> Identity | tuple[int, str, str]:
        identities: list[Identity] = []
        for name, scopes in requirement.items():
            if name not in known:
                try:
                    known[name] = self._authenticate(name, credentials)
                except _Refused as refused:
                    known[name] = refused
            outcome = known[name]
            if isinstance(outcome, _Refused):
                return (401, outcome.detail, outcome.challenge)
            missing = [scope for scope in scopes if scope not in outcome.scopes]
            if missing:
                return (403, f"the credentials of {name!r} lack the scope {missing[0]!r}", "")
            identities.append(outcome)
        owner = next((i for i in identities if i.subject), None)
        scopes = tuple(dict.fromkeys(s for i in identities for s in i.scopes))
        client = next((i.client for i in identities if i.client), "")
        if owner is None:
            return Identity("", scopes, ",".join(requirement), client=client)
        return Identity(owner.subject, scopes, ",".join(requirement), owner.api_key, client)

    def _authenticate(self, name: str, credentials: Credentials) -> Identity:
        scheme = self.schemes.get(name)
        if not isinstance(scheme, dict) or not scheme_supported(scheme):
            raise _Refused(f"the security scheme {name!r} cannot be verified by the gateway", "")
        if scheme.get("type") == "apiKey":
            return self._api_key(name, scheme, credentials)
        return self._bearer(name, credentials)

    def _api_key(self, name: str, scheme: Mapping[str, Any], credentials: Credentials) -> Identity:
        where = scheme.get("in")
        param = str(scheme.get("name", ""))
        challenge = f'ApiKey realm="{self.realm}", {where}="{param}"'
        if where == "header":
            value = credentials.header(param)
        elif where == "query":
            value = credentials.query(param)
        else:
            value = credentials.cookie(param)
        if not value:
            raise _Refused(f"an API key is required in the {where} {param!r}", challenge)
        key = self.api_keys.get(hashlib.sha256(value.encode("utf-8", "replace")).hexdigest())
        if key is None:
            raise _Refused("the API key is not valid", challenge)
        return Identity(key.subject, key.scopes, name, api_key=True, client=key.subject)

    def _bearer(self, name: str, credentials: Credentials) -> Identity:
        header = credentials.header("authorization") or ""
        kind, _, token = header.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            raise _Refused("a bearer token is required", f'Bearer realm="{self.realm}"')
        try:
            claims = self.verifier.verify(token.strip())
        except InvalidToken as exc:
            raise self._invalid_token(str(exc), isinstance(exc, UnknownKey)) from None
        return Identity(claims["sub"], token_scopes(claims), name, client=token_client(claims))

    def _invalid_token(self, detail: str, unknown_key: bool = False) -> _Refused:
        challenge = f'Bearer realm="{self.realm}", error="invalid_token", '
        return _Refused(detail, challenge + f'error_description="{detail}"', unknown_key)
