"""Gateway configuration: ``[tool.specfirst]`` in pyproject.toml or ``specfirst.toml``.

Everything has a default, so an empty configuration works: every spec in
``specs/`` is a service named after its file stem, mounted without a prefix.
Upstream URLs come from the configuration and are overridden by
``SPECFIRST_UPSTREAM_<NAME>`` (name upper-cased, other characters → ``_``).

Example (pyproject.toml; in specfirst.toml drop the ``tool.specfirst`` prefix)::

    [tool.specfirst]
    specs = "specs"
    [tool.specfirst.services.orders]
    upstream = "http://127.0.0.1:8001"
    prefix = ""
    [tool.specfirst.gateway]
    timeout = 30.0
    body_limit = 10485760
    rate_limit = { rate = 50.0, burst = 100 }
    [tool.specfirst.gateway.limits]   # defaults close to nginx's: docs/gateway.md
    header_timeout = 60.0
    [tool.specfirst.gateway.cors]     # off unless allow_origins lists origins
    allow_origins = ["https://app.example"]
    allow_credentials = true
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from codegen.core.auth.defaults import DEV_IDENTITY_PRIVATE_KEY
from codegen.core.limits import DEFAULT_LIMITS, EdgeLimits
from codegen.core.project import ConfigError, read_specfirst_table, service_clients, specs_dir
from codegen.core.strictness import DEFAULT_POLICY, QueryPolicy, policy_from_table


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    name: str
    upstream: str | None = None
    prefix: str = ""
    mock: bool = False  # routed to `specfirst serve --mock` (gateway/mocks.py)
    mock_stateful: bool = False
    clients: tuple[str, ...] = ()  # the services it calls directly (`clients = [...]`)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A known API key, stored only as its SHA-256 digest."""

    digest: str
    subject: str
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuthConfig:
    jwt_secret: str | None = None
    jwks_file: Path | None = None
    # an issuer's JWKS: an http(s) URL, or a path the routing table sends to a service
    jwks_url: str | None = None
    jwks_min_refresh: float = 10.0  # seconds between fetches for an unknown kid
    jwks_max_age: float = 300.0  # seconds between background refreshes
    audience: str | None = None
    issuer: str | None = None
    leeway: float = 0.0
    api_keys: tuple[ApiKey, ...] = ()
    # PEM of the Ed25519 key that signs forwarded identities (codegen.core.auth.forwarded)
    identity_key: str = DEV_IDENTITY_PRIVATE_KEY


@dataclass(frozen=True, slots=True)
class RateLimitConfig:
    """Token bucket: ``rate`` tokens per second, ``burst`` capacity. 0 = off."""

    rate: float = 0.0
    burst: int = 0
    redis_url: str | None = None
    redis_prefix: str = "specfirst:rl:"

    @property
    def enabled(self) -> bool:
        return self.rate > 0 and self.burst > 0


@dataclass(frozen=True, slots=True)
class UsageConfig:
    """``[gateway.usage]``: live usage recording (docs/usage.md). Off by default.

    ``store = "auto"`` keeps counters in Redis when ``redis_url`` (or
    ``REDIS_URL``) is set, else in the SQLite file ``sqlite_path``."""

    enabled: bool = False
    store: str = "auto"  # auto | redis | sqlite
    redis_url: str | None = None
    redis_prefix: str = "specfirst:usage:"
    sqlite_path: Path = Path(".specfirst/usage.sqlite3")
    flush_interval: float = 5.0  # seconds between batches
    retention_days: int = 35
    max_fields: int = 2000  # counters per operation and day
    max_properties: int = 256  # body pointers recorded per request
    max_pending: int = 100_000  # requests waiting for the next flush, per worker
    inspect_limit: int = 64 * 1024  # larger bodies are counted, not read
    max_held: int = 8 * 1024 * 1024  # body bytes held until the next flush, per worker

    @property
    def backend(self) -> str:
        """``redis`` or ``sqlite``: what ``store`` resolves to."""
        if self.store == "auto":
            return "redis" if self.redis_url else "sqlite"
        return self.store


@dataclass(frozen=True, slots=True)
class BreakerConfig:
    failures: int = 5
    reset: float = 10.0


DEFAULT_EXPOSE_HEADERS = ("ETag", "Location", "Retry-After", "X-Request-ID")


@dataclass(frozen=True, slots=True)
class CorsConfig:
    """``[gateway.cors]``: which browser origins may call the API (see gateway/cors.py).

    Allowed methods and request headers are not configured: they come from the
    routing table; ``allow_headers`` only adds to them.
    """

    allow_origins: tuple[str, ...] = ()  # exact origins, or "*"; empty: CORS off
    allow_credentials: bool = False
    max_age: int = 600  # seconds a browser may cache a preflight answer
    expose_headers: tuple[str, ...] = DEFAULT_EXPOSE_HEADERS
    allow_headers: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return bool(self.allow_origins)


@dataclass(frozen=True, slots=True)
class GatewayConfig:
    root: Path
    specs_dir: Path
    config_files: tuple[Path, ...] = ()
    services: Mapping[str, ServiceConfig] = field(default_factory=dict)
    title: str = "specfirst gateway"
    version: str = "1.0.0"
    timeout: float = 30.0
    connect_timeout: float = 5.0
    limits: EdgeLimits = DEFAULT_LIMITS
    retries: int = 1
    validate_requests: bool = False
    query_policy: QueryPolicy = DEFAULT_POLICY  # [tool.specfirst.validation], when validating
    readiness_details: bool = False  # /readyz names each upstream, its URL and its answer
    pool_size: int = 256
    breaker: BreakerConfig = BreakerConfig()
    rate_limit: RateLimitConfig = RateLimitConfig()
    auth: AuthConfig = AuthConfig()
    cors: CorsConfig = CorsConfig()
    usage: UsageConfig = UsageConfig()

    @property
    def body_limit(self) -> int:
        return self.limits.body_limit

    def service(self, name: str) -> ServiceConfig:
        """The configuration of service ``name`` with environment overrides."""
        base = self.services.get(name, ServiceConfig(name))
        override = os.environ.get(upstream_env_var(name))
        if override:
            _check_url(override, upstream_env_var(name))
            return replace(base, upstream=override.rstrip("/"))
        return base


def upstream_env_var(name: str) -> str:
    """``orders-v2`` → ``SPECFIRST_UPSTREAM_ORDERS_V2``."""
    return "SPECFIRST_UPSTREAM_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def load_config(root: Path | str = ".", specs: Path | str | None = None) -> GatewayConfig:
    """Read the configuration under ``root`` (``specfirst.toml`` wins over
    pyproject.toml); ``specs`` overrides the configured specs folder."""
    root = Path(root)
    table, files = read_specfirst_table(root)
    section = _table(table, "gateway", "tool.specfirst")
    raw_services = _table(table, "services", "tool.specfirst")
    services = {
        name: _service(name, _table(raw_services, name, "services"))
        for name in sorted(raw_services)
    }
    return GatewayConfig(
        root=root,
        specs_dir=specs_dir(root, table, specs),
        config_files=files,
        services=services,
        title=str(section.get("title", "specfirst gateway")),
        version=str(section.get("version", "1.0.0")),
        timeout=_number(section, "timeout", 30.0),
        connect_timeout=_number(section, "connect_timeout", 5.0),
        limits=_limits(section, _table(section, "limits", "gateway")),
        retries=int(_number(section, "retries", 1)),
        validate_requests=bool(section.get("validate_requests", False)),
        query_policy=policy_from_table(table),
        readiness_details=_flag(section, "readiness_details"),
        pool_size=int(_number(section, "pool_size", 256)),
        breaker=_breaker(_table(section, "breaker", "gateway")),
        rate_limit=_rate_limit(_table(section, "rate_limit", "gateway")),
        auth=_auth(root, _table(section, "auth", "gateway")),
        cors=_cors(_table(section, "cors", "gateway")),
        usage=_usage(root, _table(section, "usage", "gateway")),
    )


def _table(parent: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = parent.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(
            f"[{where}.{key}] must be a table, got {type(value).__name__}".lstrip(".")
        )
    return value


def _number(section: Mapping[str, Any], key: str, default: float) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"gateway setting {key!r} must be a non-negative number, got {value!r}")
    return float(value)


def _flag(section: Mapping[str, Any], key: str) -> bool:
    value = section.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"gateway setting {key!r} must be true or false, got {value!r}")
    return value


def _check_url(url: str, where: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: upstream must be an http(s) URL, got {url!r}")


def _service(name: str, raw: Mapping[str, Any]) -> ServiceConfig:
    upstream = raw.get("upstream")
    if upstream is not None:
        _check_url(str(upstream), f"services.{name}.upstream")
        upstream = str(upstream).rstrip("/")
    prefix = str(raw.get("prefix", "")).rstrip("/")
    if prefix and (not prefix.startswith("/") or "{" in prefix or "//" in prefix):
        raise ConfigError(
            f"services.{name}.prefix must be a literal path like '/orders', got {prefix!r}"
        )
    mock, stateful = raw.get("mock", False), raw.get("mock_stateful", False)
    if not isinstance(mock, bool) or not isinstance(stateful, bool):
        raise ConfigError(f"services.{name}.mock and mock_stateful must be true or false")
    return ServiceConfig(name, upstream, prefix, mock, stateful, service_clients(name, raw))


def _limits(section: Mapping[str, Any], raw: Mapping[str, Any]) -> EdgeLimits:
    """``[gateway.limits]`` over :data:`DEFAULT_LIMITS`; the body limit is
    ``[gateway] body_limit``. Sizes and counts are whole numbers above 0."""
    if "body_limit" in raw:
        raise ConfigError("the body limit is [gateway] body_limit, not [gateway.limits]")
    known = set(EdgeLimits.__dataclass_fields__) - {"body_limit", "json_depth"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            f"[gateway.limits] has unknown settings {unknown}; known: {sorted(known)}"
        )
    values: dict[str, Any] = {}
    for name, default in asdict(DEFAULT_LIMITS).items():
        if name == "json_depth":  # the services' rule too: not the gateway's alone to change
            values[name] = default
            continue
        source = section if name == "body_limit" else raw
        value = _number(source, name, default)
        if isinstance(default, int):
            if value < 1 or value != int(value):
                raise ConfigError(f"gateway setting {name!r} must be a whole number above 0")
            value = int(value)
        values[name] = value
    return EdgeLimits(**values)


_ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?|https?://\[[0-9a-f:.]+\](:[0-9]{1,5})?")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _names(raw: Mapping[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = raw.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[gateway.cors] {key} must be a list of strings, got {value!r}")
    return tuple(value)


def _cors(raw: Mapping[str, Any]) -> CorsConfig:
    """``[gateway.cors]``: origins are ``scheme://host[:port]`` exactly as a
    browser sends them (lower case, no path, no trailing slash), or ``"*"``."""
    known = set(CorsConfig.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"[gateway.cors] has unknown settings {unknown}; known: {sorted(known)}")
    origins = _names(raw, "allow_origins", ())
    for origin in origins:
        if origin != "*" and not _ORIGIN.fullmatch(origin):
            raise ConfigError(
                f"[gateway.cors] allow_origins: {origin!r} is not an origin; write it as a "
                "browser sends it: scheme://host[:port] in lower case, without a path "
                "or a trailing slash (e.g. 'https://app.example:8443'), or '*'"
            )
    credentials = _flag(raw, "allow_credentials")
    if credentials and "*" in origins:
        raise ConfigError(
            "[gateway.cors] allow_credentials = true with allow_origins = ['*'] would let any "
            "web site call the API with its visitors' credentials; list the origins instead"
        )
    max_age = _number(raw, "max_age", 600)
    if max_age != int(max_age):
        raise ConfigError("gateway setting 'max_age' must be a whole number of seconds")
    headers = {
        key: _names(raw, key, default)
        for key, default in (("expose_headers", DEFAULT_EXPOSE_HEADERS), ("allow_headers", ()))
    }
    for key, names in headers.items():
        bad = [name for name in names if not _HEADER_NAME.fullmatch(name)]
        if bad:
            raise ConfigError(f"[gateway.cors] {key}: {bad} are not header names")
    return CorsConfig(origins, credentials, int(max_age), **headers)


def _breaker(raw: Mapping[str, Any]) -> BreakerConfig:
    return BreakerConfig(
        failures=max(1, int(_number(raw, "failures", 5))), reset=_number(raw, "reset", 10.0)
    )


def _rate_limit(raw: Mapping[str, Any]) -> RateLimitConfig:
    rate = _number(raw, "rate", 0.0)
    burst = int(_number(raw, "burst", max(1.0, rate)))
    return RateLimitConfig(
        rate=rate,
        burst=burst,
        redis_url=os.environ.get("REDIS_URL") or None,
        redis_prefix=str(raw.get("redis_prefix", "specfirst:rl:")),
    )


_USAGE_STORES = ("auto", "redis", "sqlite")
_USAGE_DEFAULTS = UsageConfig()


def _usage(root: Path, raw: Mapping[str, Any]) -> UsageConfig:
    known = set(UsageConfig.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"[gateway.usage] has unknown settings {unknown}; known: {sorted(known)}")
    store = raw.get("store", "auto")
    if store not in _USAGE_STORES:
        choices = list(_USAGE_STORES)
        raise ConfigError(f"gateway.usage.store must be one of {choices}, got {store!r}")
    redis_url = raw.get("redis_url") or os.environ.get("REDIS_URL") or None
    if store == "redis" and not redis_url:
        raise ConfigError("gateway.usage.store is 'redis' but no redis_url or REDIS_URL is set")
    whole = {
        name: int(_number(raw, name, getattr(_USAGE_DEFAULTS, name)))
        for name in ("retention_days", "max_fields", "max_properties", "max_pending",
                     "inspect_limit", "max_held")
    }  # fmt: skip
    if min(whole.values()) < 1:
        raise ConfigError("gateway.usage sizes and retention_days must be at least 1")
    interval = _number(raw, "flush_interval", _USAGE_DEFAULTS.flush_interval)
    if interval <= 0:
        raise ConfigError("gateway.usage.flush_interval must be above 0 seconds")
    return UsageConfig(
        enabled=_flag(raw, "enabled"),
        store=store,
        redis_url=str(redis_url) if redis_url else None,
        redis_prefix=str(raw.get("redis_prefix", _USAGE_DEFAULTS.redis_prefix)),
        sqlite_path=root / str(raw.get("sqlite_path", _USAGE_DEFAULTS.sqlite_path)),
        flush_interval=interval,
        **whole,
    )


def _auth(root: Path, raw: Mapping[str, Any]) -> AuthConfig:
    secret_env = str(raw.get("jwt_secret_env", "SPECFIRST_JWT_SECRET"))
    jwks = os.environ.get("SPECFIRST_JWKS_FILE") or raw.get("jwks_file")
    jwks_url = _jwks_url(os.environ.get("SPECFIRST_JWKS_URL") or raw.get("jwks_url"))
    if jwks and jwks_url:
        raise ConfigError("gateway.auth: set jwks_file or jwks_url, not both")
    keys = [_api_key(entry) for entry in raw.get("api_keys", [])]
    if os.environ.get("SPECFIRST_API_KEYS"):  # as the services read it: replaces the defaults
        keys = parse_plain_keys(os.environ["SPECFIRST_API_KEYS"])
    keys.extend(parse_api_keys_env(os.environ.get("SPECFIRST_GATEWAY_API_KEYS", "")))
    return AuthConfig(
        jwt_secret=os.environ.get(secret_env) or raw.get("jwt_secret"),
        jwks_file=(root / str(jwks)) if jwks else None,
        jwks_url=jwks_url,
        jwks_min_refresh=_number(raw, "jwks_min_refresh", 10.0),
        jwks_max_age=_number(raw, "jwks_max_age", 300.0),
        audience=os.environ.get("SPECFIRST_JWT_AUDIENCE") or raw.get("audience"),
        issuer=os.environ.get("SPECFIRST_JWT_ISSUER") or raw.get("issuer"),
        leeway=_number(raw, "leeway", 0.0),
        api_keys=tuple(keys),
        identity_key=_identity_key(root, raw),
    )


def _jwks_url(value: Any) -> str | None:
    """``/.well-known/jwks.json`` (a routed path) or an http(s) URL; ``""`` turns it off."""
    if not value:
        return None
    url = str(value)
    parts = urlsplit(url)
    routed = url.startswith("/") and not url.startswith("//")
    if not routed and (parts.scheme not in ("http", "https") or not parts.hostname):
        raise ConfigError(
            f"gateway.auth.jwks_url: must be a path (/...) or an http(s) URL, got {url!r}"
        )
    return url


def _identity_key(root: Path, raw: Mapping[str, Any]) -> str:
    """``SPECFIRST_IDENTITY_KEY`` (PEM text), else the file ``identity_key_file``
    names, else the public development key."""
    if os.environ.get("SPECFIRST_IDENTITY_KEY"):
        return os.environ["SPECFIRST_IDENTITY_KEY"]
    path = raw.get("identity_key_file")
    if not path:
        return DEV_IDENTITY_PRIVATE_KEY
    try:
        return (root / str(path)).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"gateway.auth.identity_key_file: cannot read {path}: {exc}") from None


def _api_key(entry: Any) -> ApiKey:
    if not isinstance(entry, dict) or "subject" not in entry:
        raise ConfigError("each gateway.auth.api_keys entry needs 'subject' and 'key' or 'sha256'")
    digest = entry.get("sha256") or (
        hashlib.sha256(str(entry["key"]).encode()).hexdigest() if "key" in entry else None
    )
    if not digest:
        raise ConfigError(f"API key for {entry['subject']!r} needs 'key' or 'sha256'")
    return ApiKey(str(digest).lower(), str(entry["subject"]), tuple(entry.get("scopes", ())))


def key_subject(key: str) -> str:
    """The subject of a key known without one: ``key-`` + 12 hex digits of its SHA-256."""
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def parse_plain_keys(text: str) -> list[ApiKey]:
    """``SPECFIRST_API_KEYS`` as the services read it: comma-separated keys,
    each its own subject (see :func:`key_subject`), without scopes."""
    keys = [part.strip() for part in text.split(",") if part.strip()]
    return [ApiKey(hashlib.sha256(k.encode()).hexdigest(), key_subject(k)) for k in keys]


def parse_api_keys_env(text: str) -> list[ApiKey]:
    """``SPECFIRST_GATEWAY_API_KEYS="ci=secret1:orders.read orders.write,bot=secret2"``
    → two keys with subjects, the first with two scopes."""
    keys: list[ApiKey] = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        subject, sep, rest = item.partition("=")
        if not sep or not subject or not rest:
            raise ConfigError(
                f"SPECFIRST_GATEWAY_API_KEYS entry {item!r} is not subject=key[:scopes]"
            )
        key, _, scopes = rest.partition(":")
        keys.append(
            ApiKey(hashlib.sha256(key.encode()).hexdigest(), subject, tuple(scopes.split()))
        )
    return keys
