"""Gateway API HTTPRoutes (``gateway.networking.k8s.io/v1``) from the routing table.

For clusters that route at the ingress instead of through the specfirst
gateway: every operation becomes exactly one match (its method plus its
path), all-literal templates as ``Exact`` paths and templated ones as
``RegularExpression`` paths (the regex the nginx export uses, RE2-compatible),
pointing at the owning service. Operations of one service with the same
timeout share a rule (``timeouts.request`` from ``x-specfirst-timeout``);
every rule removes the gateway's identity headers so a client cannot forge
them. The API's size limits (16 rules per route, 64 matches per rule, fewer
than 128 matches per route) are respected by splitting into ``<service>``,
``<service>-2``, ...

Example: ``GET /orders/{orderId}`` (timeout 30 s, service orders) →
``{"path": {"type": "RegularExpression", "value": "^/orders/[^/]+$"},
"method": "GET"}`` in a rule with ``backendRefs: [{name: orders, port: 8000}]``
and ``timeouts: {request: 30s}``.

Note: Gateway API leaves the precedence between two RegularExpression
matches to the implementation; Exact matches always win, as the gateway's
literal-before-template rule requires.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from codegen.core.routing.regex import path_regex
from gateway.export.k8s.names import PORT, K8sOptions, k8s_name, labels
from gateway.export.nginx import IDENTITY_HEADERS, ExportError
from gateway.table import Route, RoutingTable

MAX_RULES = 16
MAX_MATCHES_PER_RULE = 64
MAX_MATCHES_PER_ROUTE = 127
Manifest = dict[str, Any]


def path_match(route: Route) -> dict[str, str]:
    """``/orders`` → Exact ``/orders``; ``/orders/{id}`` → RegularExpression ``^/orders/[^/]+$``."""
    if route.compiled.params:
        return {"type": "RegularExpression", "value": path_regex(route.compiled)}
    return {"type": "Exact", "value": route.template}


def gateway_duration(seconds: float) -> str:
    """``30.0`` → ``"30s"``; ``0.25`` → ``"250ms"`` (Gateway API duration syntax)."""
    milliseconds = max(1, round(seconds * 1000))
    if milliseconds % 1000 == 0:
        return f"{milliseconds // 1000}s"
    return f"{milliseconds}ms"


def _rule(service: str, timeout: float, routes: Sequence[Route]) -> dict[str, Any]:
    return {
        "matches": [{"path": path_match(r), "method": r.method} for r in routes],
        "filters": [
            {
                "type": "RequestHeaderModifier",
                "requestHeaderModifier": {"remove": list(IDENTITY_HEADERS)},
            }
        ],
        "backendRefs": [{"name": k8s_name(service), "port": PORT}],
        "timeouts": {"request": gateway_duration(timeout)},
    }


def _chunks(routes: Sequence[Route], size: int) -> Iterator[Sequence[Route]]:
    for start in range(0, len(routes), size):
        yield routes[start : start + size]


def _service_rules(service: str, routes: Sequence[Route]) -> list[dict[str, Any]]:
    by_timeout: dict[float, list[Route]] = {}
    for route in routes:
        by_timeout.setdefault(route.timeout, []).append(route)
    return [
        _rule(service, timeout, chunk)
        for timeout in sorted(by_timeout)
        for chunk in _chunks(by_timeout[timeout], MAX_MATCHES_PER_RULE)
    ]


def _pack(rules: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rules into routes within the API's limits, in order."""
    packs: list[list[dict[str, Any]]] = [[]]
    count = 0
    for rule in rules:
        size = len(rule["matches"])
        if len(packs[-1]) == MAX_RULES or count + size > MAX_MATCHES_PER_ROUTE:
            packs.append([])
            count = 0
        packs[-1].append(rule)
        count += size
    return packs


def http_routes(table: RoutingTable, options: K8sOptions) -> list[Manifest]:
    """One or more HTTPRoutes per service, covering every operation exactly once."""
    by_service: dict[str, list[Route]] = {}
    for route in table.routes:
        if route.template != route.upstream_template:
            raise ExportError(
                f"service {route.service!r} is mounted under a prefix; HTTPRoutes cannot strip "
                "a prefix from templated paths: route it through the specfirst gateway instead"
            )
        by_service.setdefault(route.service, []).append(route)
    manifests = []
    for service in sorted(by_service):
        for number, rules in enumerate(_pack(_service_rules(service, by_service[service]))):
            name = k8s_name(service) + ("" if number == 0 else f"-{number + 1}")
            spec: dict[str, Any] = {"parentRefs": [{"name": options.gateway_name}]}
            if options.hostnames:
                spec["hostnames"] = list(options.hostnames)
            spec["rules"] = rules
            manifests.append(
                {
                    "apiVersion": "gateway.networking.k8s.io/v1",
                    "kind": "HTTPRoute",
                    "metadata": {"name": name, "labels": labels(service, "route")},
                    "spec": spec,
                }
            )
    return manifests
