"""The routing table compiled to an nginx configuration (``specfirst export nginx``).

One ``upstream`` per service (keepalive pool), one ``location`` per path
template, and nginx-generated errors answered as RFC 9457 problem documents
shaped like the gateway's own (``type``, ``title``, ``status``, ``detail``,
``instance``, ``code``, ``request_id``).

Location order mirrors :class:`codegen.core.routing.matcher.Matcher`: all-literal
templates become exact locations (``location = /orders``), which nginx
checks before any regex; templated ones become regex locations sorted by
:attr:`codegen.core.routing.templates.CompiledPath.precedence`, because nginx
uses the first regex location that matches. The path is chosen first and the method
second, as in the gateway: a known path with an undeclared method is a 405
problem with ``Allow``; an unknown path is a 404 problem.

Timeouts are per operation (``x-specfirst-timeout``, else the gateway
default). nginx's proxy timeouts cannot vary by method inside one location,
so when the methods of one template differ in timeout (or in owning
service), the location serves the largest group itself and hands each other
group to a named location through an internal status code
(``if ($request_method = POST) { return 591; }`` + ``error_page 591 =
@specfirst_r3_1``). Internal codes 590-599 never reach a client.

Paths the gateway refuses before routing (an encoded ``/``, dot segments, empty
segments: :mod:`codegen.core.routing.canonical`) get the same 400 problem
(``code: non_canonical_path``) through internal code 590.

Example: ``GET /orders/{orderId}`` owned by ``orders`` at
``http://127.0.0.1:8003`` becomes::

    upstream specfirst_orders { server 127.0.0.1:8003; keepalive 32; ... }
    location ~ "^/orders/[^/]+$" {
        ...
        if ($request_method !~ "^(GET|HEAD)$") { return 405; }
        proxy_read_timeout 30000ms;
        proxy_pass http://specfirst_orders;
    }
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from codegen.core.errors import UserError
from codegen.core.limits import EdgeLimits
from codegen.core.problems import CATALOG
from codegen.core.routing.regex import literal, path_regex
from gateway.config import GatewayConfig, upstream_env_var
from gateway.export.nginx_syntax import duration, json_text, quote
from gateway.headers import IDENTITY_HEADERS as IDENTITY_HEADER_NAMES
from gateway.table import Route, RoutingTable

NON_CANONICAL_CODE = 590
FIRST_INTERNAL_CODE = 591
MAX_HANDLER_GROUPS = 9  # internal codes 591..599
UPSTREAM_KEEPALIVE_TIMEOUT = "4s"  # below gunicorn's 5 s keep-alive: nginx closes first
# Hop-by-hop request headers (RFC 9110 §7.6.1) that must not reach a service;
# Connection is replaced by "" so upstream keepalive works.
HOP_BY_HOP_REQUEST = (
    "Keep-Alive",
    "Proxy-Authorization",
    "Proxy-Connection",
    "TE",
    "Trailer",
    "Upgrade",
)
HOP_BY_HOP_RESPONSE = ("Keep-Alive", "Proxy-Authenticate", "Proxy-Connection", "Trailer")
IDENTITY_HEADERS = tuple(h.decode().title() for h in IDENTITY_HEADER_NAMES)
REQUEST_ID_PATTERN = "^[A-Za-z0-9._~:+=/-]{1,128}$"  # the gateway's accepted request ids
# A path (before '?') is only echoed in problem documents when it is made of these.
SAFE_INSTANCE = "^([A-Za-z0-9._~:/@!&()*+,;=%-]*)([?].*)?$"
# Paths the gateway refuses with 400 (codegen.core.routing.canonical): '.'/'..'
# segments (also encoded), '//', and an encoded '/' that nginx would decode
# into a segment separator.
NON_CANONICAL = "^[^?]*(//|/([.]|%2[eE]){1,2}([/?]|$)|%2[fF])"


class ExportError(UserError):
    """The configuration cannot be exported (e.g. a service has no upstream)."""


@dataclass(frozen=True, slots=True)
class NginxOptions:
    listen: str = "8080"
    server_name: str = "_"
    worker_processes: str = "auto"
    keepalive: int = 32
    temp_dir: str | None = None  # None: nginx's compiled-in temp paths


@dataclass(frozen=True, slots=True)
class Upstream:
    name: str  # nginx upstream block name
    scheme: str
    hostport: str
    base_path: str  # path part of the service's base URL, '' when none


@dataclass(frozen=True, slots=True)
class Handler:
    """How one group of methods on one template is proxied."""

    upstream: Upstream
    timeout: float
    prefix: str  # public prefix to strip before proxying


def upstream_for(service: str, url: str | None) -> Upstream:
    """``("orders", "http://127.0.0.1:8003")`` → ``Upstream("specfirst_orders", ...)``."""
    if url is None:
        raise ExportError(
            f"service {service!r} has no upstream URL; set [tool.specfirst.services.{service}] "
            f'upstream = "http://host:port" or {upstream_env_var(service)}'
        )
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname
    name = "specfirst_" + re.sub(r"[^A-Za-z0-9_]", "_", service)
    return Upstream(name, parts.scheme, f"{host}:{port}", parts.path.rstrip("/"))


def render_nginx(table: RoutingTable, config: GatewayConfig, options: NginxOptions) -> str:
    """The whole nginx.conf (main context included) for ``table``."""
    missing = sorted({route.service for route in table.routes if route.upstream is None})
    if missing:
        raise ExportError(
            f"no upstream URL for {', '.join(missing)}; set [tool.specfirst.services.<name>] "
            f'upstream = "http://host:port" or {", ".join(map(upstream_env_var, missing))}'
        )
    upstreams = {
        route.service: upstream_for(route.service, route.upstream) for route in table.routes
    }
    if not upstreams:
        raise ExportError("the routing table is empty: there is nothing to export")
    locations = location_order(table)
    lines = [
        "# Generated by specfirst from the gateway's routing table. Do not edit;",
        "# run 'specfirst export nginx'. Run: nginx -p PREFIX -c THIS_FILE",
        f"worker_processes {options.worker_processes};",
        "events { worker_connections 4096; }",
        "http {",
        *_indent(_http_prelude(config, options, upstreams.values())),
        *_indent(_server(config, options, upstreams, locations)),
        "}",
    ]
    return "\n".join(lines) + "\n"


def location_order(table: RoutingTable) -> list[list[Route]]:
    """Routes grouped by template, literal templates first, then matcher order."""
    by_template: dict[str, list[Route]] = {}
    for route in table.routes:
        by_template.setdefault(route.template, []).append(route)
    groups = list(by_template.values())
    return sorted(
        groups,
        key=lambda rs: (
            bool(rs[0].compiled.params),
            rs[0].compiled.precedence,
            rs[0].template,
        ),
    )


def _indent(lines: Iterable[str], depth: int = 1) -> list[str]:
    pad = "    " * depth
    return [pad + line if line else line for line in lines]


def _http_prelude(
    config: GatewayConfig, options: NginxOptions, upstreams: Iterable[Upstream]
) -> list[str]:
    lines = [
        'log_format specfirst_json escape=json \'{"time":"$time_iso8601",'
        '"request_id":"$specfirst_request_id","remote_addr":"$remote_addr",'
        '"method":"$request_method","uri":"$request_uri","status":$status,'
        '"bytes":$body_bytes_sent,"duration":$request_time,'
        '"upstream":"$upstream_addr","upstream_duration":"$upstream_response_time"}\';',
        "access_log /dev/stdout specfirst_json;",
        "server_tokens off;",
        "sendfile on;",
        *_client_limits(config.limits),
    ]
    if options.temp_dir:
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            lines.append(f"{kind}_temp_path {quote(options.temp_dir + '/' + kind)};")
    lines += [
        "",
        "# X-Request-ID: kept when well formed, else nginx's own random id.",
        "map $http_x_request_id $specfirst_request_id {",
        f"    {quote('~' + REQUEST_ID_PATTERN)} $http_x_request_id;",
        "    default $request_id;",
        "}",
        "map $request_uri $specfirst_instance {",
        f"    {quote('~' + SAFE_INSTANCE)} $1;",
        '    default "";',
        "}",
        "map $request_uri $specfirst_non_canonical {",
        f"    {quote('~' + NON_CANONICAL)} 1;",
        "    default 0;",
        "}",
        "# The Host header each service expects (its own address, as the gateway sends).",
        "map $proxy_host $specfirst_upstream_host {",
        *(f"    {u.name} {quote(u.hostport)};" for u in upstreams),
        '    default "";',
        "}",
    ]
    for upstream in upstreams:
        lines += [
            "",
            f"upstream {upstream.name} {{",
            f"    server {upstream.hostport} max_fails={config.breaker.failures} "
            f"fail_timeout={max(1, math.ceil(config.breaker.reset))}s;",
            f"    keepalive {options.keepalive};",
            f"    keepalive_timeout {UPSTREAM_KEEPALIVE_TIMEOUT};",
            "}",
        ]
    return lines


def _client_limits(limits: EdgeLimits) -> list[str]:
    """The gateway's ``[gateway.limits]`` in nginx's terms: header and body read
    timeouts, idle keep-alive, and header buffers that hold the longest request line
    or header line in one buffer and ``header_bytes`` in all of them.
    (``client_max_body_size`` is set per server; nginx has no header-count limit.)"""
    line = max(limits.request_line, limits.header_line)
    size_k = max(1, math.ceil(line / 1024))
    count = max(2, math.ceil(limits.header_bytes / (size_k * 1024)))
    return [
        f"client_header_timeout {duration(limits.header_timeout)};",
        f"client_body_timeout {duration(limits.body_timeout)};",
        f"keepalive_timeout {duration(limits.keepalive_timeout)};",
        f"large_client_header_buffers {count} {size_k}k;",
    ]


def _server(
    config: GatewayConfig,
    options: NginxOptions,
    upstreams: dict[str, Upstream],
    leaves: Sequence[list[Route]],
) -> list[str]:
    lines = [
        "",
        "server {",
        f"    listen {options.listen};",
        f"    server_name {options.server_name};",
        f"    client_max_body_size {config.body_limit};",
        "    merge_slashes off;",
        *_indent(_proxy_defaults(config)),
        *_indent(_error_pages()),
        f"    error_page {NON_CANONICAL_CODE} = @specfirst_non_canonical;",
        f"    if ($specfirst_non_canonical) {{ return {NON_CANONICAL_CODE}; }}",
        "    location / { return 404; }",
    ]
    for index, routes in enumerate(leaves):
        lines += _indent(_location(index, routes, upstreams))
    lines += _indent(_problem_locations(config))
    lines.append("}")
    return lines


def _proxy_defaults(config: GatewayConfig) -> list[str]:
    lines = [
        "proxy_http_version 1.1;",
        f"proxy_connect_timeout {duration(config.connect_timeout)};",
        "proxy_next_upstream error;  # retry only connection failures, idempotent methods only",
        f"proxy_next_upstream_tries {1 + config.retries};",
        "proxy_set_header Host $specfirst_upstream_host;",
        'proxy_set_header Connection "";',
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Forwarded-Host $http_host;",
        "proxy_set_header X-Request-ID $specfirst_request_id;",
    ]
    lines += [f'proxy_set_header {name} "";' for name in HOP_BY_HOP_REQUEST]
    lines.append("# Identity headers are set only by the specfirst gateway: never forwarded.")
    lines += [f'proxy_set_header {name} "";' for name in IDENTITY_HEADERS]
    lines += [f"proxy_hide_header {name};" for name in (*HOP_BY_HOP_RESPONSE, "X-Request-ID")]
    lines.append("add_header X-Request-ID $specfirst_request_id always;")
    return lines


def _error_pages() -> list[str]:
    return [
        "error_page 404 = @specfirst_404;",
        "error_page 413 = @specfirst_413;",
        "error_page 502 503 = @specfirst_502;",
        "error_page 504 = @specfirst_504;",
    ]


def _allow(routes: Sequence[Route]) -> list[str]:
    methods = {route.method for route in routes}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _handler(route: Route, upstreams: dict[str, Upstream]) -> Handler:
    prefix = route.template[: len(route.template) - len(route.upstream_template)]
    return Handler(upstreams[route.service], route.timeout, prefix)


def _method_groups(
    routes: Sequence[Route], upstreams: dict[str, Upstream]
) -> list[tuple[Handler, list[str]]]:
    """Methods grouped by handler; the largest group first (ties: first method)."""
    groups: dict[Handler, list[str]] = {}
    for route in routes:
        groups.setdefault(_handler(route, upstreams), []).append(route.method)
    get_handler = next((h for h, ms in groups.items() if "GET" in ms), None)
    if get_handler is not None and "HEAD" not in {r.method for r in routes}:
        groups[get_handler].append("HEAD")
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), sorted(item[1])))
    if len(ordered) > MAX_HANDLER_GROUPS:
        raise ExportError(f"{routes[0].template}: too many distinct method handlers for nginx")
    return [(handler, sorted(methods)) for handler, methods in ordered]


def _location(index: int, routes: Sequence[Route], upstreams: dict[str, Upstream]) -> list[str]:
    path = routes[0].compiled
    template = routes[0].template
    allow = _allow(routes)
    if path.params:
        opening = f"location ~ {quote(path_regex(path))} {{"
    else:
        opening = f"location = {quote(template)} {{"
    owners = ", ".join(f"{r.method} {r.service}.{r.operation_id or '-'}" for r in routes)
    lines = ["", f"# {template}: {owners}", opening]
    body = [*_error_pages(), f"error_page 405 = @specfirst_405_{index};"]
    body.append(f"if ($request_method !~ {quote('^(' + '|'.join(allow) + ')$')}) {{ return 405; }}")
    groups = _method_groups(routes, upstreams)
    for number, (_, methods) in enumerate(groups[1:]):
        code = FIRST_INTERNAL_CODE + number
        body.append(f"error_page {code} = @specfirst_r{index}_{number};")
        body += [f"if ($request_method = {method}) {{ return {code}; }}" for method in methods]
    body += _proxy(groups[0][0])
    lines += _indent(body)
    lines.append("}")
    for number, (handler, methods) in enumerate(groups[1:]):
        lines += [f"location @specfirst_r{index}_{number} {{  # {', '.join(methods)}"]
        lines += _indent(_proxy(handler))
        lines.append("}")
    detail = f"$request_method is not allowed on {json_text(template)}; allowed: {', '.join(allow)}"
    lines += _problem_location(
        f"@specfirst_405_{index}",
        405,
        detail=detail,
        code="method_not_allowed",
        extra_headers=[f"add_header Allow {quote(', '.join(allow))} always;"],
    )
    return lines


def _proxy(handler: Handler) -> list[str]:
    timeout = duration(handler.timeout)
    lines = [f"proxy_send_timeout {timeout};", f"proxy_read_timeout {timeout};"]
    if handler.prefix or handler.upstream.base_path:
        pattern = quote("^" + literal(handler.prefix) + "(/.*)$")
        lines.append(f"rewrite {pattern} {quote(handler.upstream.base_path + '$1')} break;")
    lines.append(f"proxy_pass {handler.upstream.scheme}://{handler.upstream.name};")
    return lines


def _problem_location(
    name: str, status: int, *, detail: str, code: str, extra_headers: Sequence[str] = ()
) -> list[str]:
    kind = CATALOG[code]  # type and title of the problem profile
    body = (
        '{"type":"'
        + kind.type
        + '","title":"'
        + kind.title
        + '","status":'
        + str(status)
        + ',"detail":"'
        + detail
        + '","instance":"$specfirst_instance","code":"'
        + code
        + '","request_id":"$specfirst_request_id"}'
    )
    return [
        f"location {name} {{",
        "    default_type application/problem+json;",
        "    add_header X-Request-ID $specfirst_request_id always;",
        *_indent(extra_headers),
        f"    return {status} {quote(body)};",
        "}",
    ]


PROBLEMS = (  # (status, detail, code); {limit} is the body limit
    (404, "no route matches $request_method $specfirst_instance", "route_not_found"),
    (413, "the request body exceeds the limit of {limit} bytes", "body_too_large"),
    (502, "the upstream service is unavailable or sent an invalid response", "bad_gateway"),
    (504, "the upstream service did not answer in time", "upstream_timeout"),
)


def _problem_locations(config: GatewayConfig) -> list[str]:
    lines = [""]
    lines += _problem_location(
        "@specfirst_non_canonical",
        400,
        detail="the path has an encoded '/', a dot segment or an empty segment, which are "
        "not routed",
        code="non_canonical_path",
    )
    for status, detail, code in PROBLEMS:
        lines += _problem_location(
            f"@specfirst_{status}",
            status,
            detail=detail.format(limit=config.body_limit),
            code=code,
        )
    return lines
