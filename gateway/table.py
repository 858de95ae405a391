"""The routing table as data: (method, template) → (service, operationId, upstream).

Built from a :class:`gateway.compose.Composition` plus the configuration, it
can be printed (``specfirst routes``), dumped as JSON, diffed and snapshot
tested. The proxy compiles it into a :class:`codegen.core.routing.matcher.Matcher`.

Example row::

    Route(method="GET", template="/orders/{id}", service="orders",
          operation_id="getOrder", upstream_url="http://127.0.0.1:8001/orders/{id}",
          timeout=30.0, security=({"bearer": ("orders:read",)},), ...)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from codegen.core.routing.select import Selector
from codegen.core.routing.templates import CompiledPath
from gateway.compose import Composition
from gateway.compose.operations import OperationEntry
from gateway.config import GatewayConfig


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    template: str
    service: str
    operation_id: str | None
    upstream: str | None  # base URL of the service, None when not configured
    upstream_template: str
    timeout: float
    security: tuple[dict[str, tuple[str, ...]], ...]
    spec: str
    pointer: str
    compiled: CompiledPath
    key: str  # the public path key as declared: ``template`` plus any ``#...``/``?...`` suffix
    selector: Selector = ()

    @property
    def label(self) -> str:
        """The operation's name in metrics and logs."""
        return self.operation_id or f"{self.method} {self.template}"

    @property
    def upstream_url(self) -> str | None:
        return None if self.upstream is None else self.upstream + self.upstream_template

    def row(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.key,
            "service": self.service,
            "operationId": self.operation_id,
            "upstream": self.upstream_url,
            "timeout": self.timeout,
            "security": [
                {name: list(scopes) for name, scopes in req.items()} for req in self.security
            ],
            "spec": f"{self.spec}#{self.pointer}",
        }


@dataclass(frozen=True)
class RoutingTable:
    routes: tuple[Route, ...]
    entries: tuple[OperationEntry, ...]

    @classmethod
    def build(cls, composition: Composition, config: GatewayConfig) -> RoutingTable:
        routes = [_route(entry, config) for entry in composition.entries]
        order = sorted(range(len(routes)), key=lambda i: (routes[i].key, routes[i].method))
        return cls(tuple(routes[i] for i in order), tuple(composition.entries[i] for i in order))

    def with_upstreams(self, upstreams: Mapping[str, str]) -> RoutingTable:
        """This table with the upstreams of the services in ``upstreams`` replaced
        (``{"orders": "http://127.0.0.1:40123"}``); other services keep theirs."""
        routes = tuple(
            replace(route, upstream=upstreams.get(route.service, route.upstream))
            for route in self.routes
        )
        return RoutingTable(routes, self.entries)

    def rows(self) -> list[dict[str, Any]]:
        return [route.row() for route in self.routes]

    def render_text(self) -> str:
        """A fixed-width table, one route per line."""
        header = ("METHOD", "PATH", "SERVICE", "OPERATION", "UPSTREAM", "TIMEOUT", "AUTH")
        lines = [header]
        for route in self.routes:
            auth = " | ".join(
                " & ".join(f"{n}[{','.join(s)}]" if s else n for n, s in req.items()) or "anonymous"
                for req in route.security
            )
            lines.append(
                (
                    route.method,
                    route.key,
                    route.service,
                    route.operation_id or "-",
                    route.upstream_url or "(no upstream configured)",
                    f"{route.timeout:g}s",
                    auth or "-",
                )
            )
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        return "\n".join(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
            for line in lines
        )


def _route(entry: OperationEntry, config: GatewayConfig) -> Route:
    service = config.service(entry.source.name)
    return Route(
        method=entry.method,
        template=entry.template,
        service=entry.source.name,
        operation_id=entry.operation_id,
        upstream=service.upstream,
        upstream_template=entry.upstream_template,
        timeout=entry.timeout if entry.timeout is not None else config.timeout,
        security=entry.security,
        spec=entry.source.display,
        pointer=entry.pointer,
        compiled=entry.compiled,
        key=entry.path_key,
        selector=entry.selector,
    )
