"""IR operations -> the generated route table, through THE route compiler.

The generated ``urls.py`` holds one route per path template (a path key's
``#...``/``?...`` suffix removed), in declaration order, with each path
parameter's kind and each operation's selector, all computed here by
:mod:`codegen.core.routing`, the compiler the gateway and the services' URL
resolver use. A path parameter's kind comes from the facts of its IR schema
(:func:`codegen.core.routing.kinds.param_kind`); the gateway reads the same
facts from the spec's JSON.

An operation that no request can reach (an earlier one of the same method
takes all its requests: templates equal up to parameter names, or suffixes
that select nothing) is left out of the routes and reported as SF250, a
warning that ``--strict`` makes blocking: the first declared wins.

Example: ``GET /v1/{parent}`` then ``GET /v1/{name}`` -> one route
``/v1/{parent}``, and SF250 "GET /v1/{name} is unreachable: GET
/v1/{parent}, declared first, takes every request it would".
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.core.diagnostics import Diagnostic, Severity, SourceLocation
from codegen.core.ir.model import Api, Operation, Parameter, ParameterLocation
from codegen.core.routing.keys import split_key
from codegen.core.routing.kinds import ParamKind, param_kind
from codegen.core.routing.matcher import Matcher, unreachable_detail
from codegen.core.routing.select import Selector, selector_for
from codegen.core.routing.templates import TemplateError, compile_path

UNREACHABLE = "SF250"


@dataclass(frozen=True, slots=True)
class RoutedOperation:
    operation: Operation
    template: str  # the path key without its suffix
    selector: Selector
    kinds: dict[str, ParamKind]


@dataclass(frozen=True, slots=True)
class RoutePlan:
    """The operations that get a route (declaration order) and the findings."""

    operations: list[RoutedOperation]
    diagnostics: list[Diagnostic]


def path_param_kind(api: Api, param: Parameter) -> ParamKind:
    """A path parameter's kind from its IR schema's facts."""
    if param.schema is None or param.content_media_type is not None:
        return ParamKind()
    schema = api.resolve(param.schema)
    return param_kind(schema.non_null_types, schema.format, schema.enum, style=param.style)


def _routed(api: Api, op: Operation) -> RoutedOperation:
    key = split_key(op.path)
    required = [(str(p.location), p.name) for p in op.parameters if p.required]
    kinds = {
        p.name: path_param_kind(api, p)
        for p in op.parameters
        if p.location is ParameterLocation.PATH
    }
    return RoutedOperation(op, key.template, selector_for(key.suffix, required), kinds)


def plan_routes(api: Api) -> RoutePlan:
    """Every operation in declaration order, minus the unreachable ones (SF250)."""
    order = {path: index for index, path in enumerate(api.path_order)}
    operations = sorted(api.operations, key=lambda op: order.get(op.path, len(order)))
    matcher: Matcher[RoutedOperation] = Matcher()
    kept: list[RoutedOperation] = []
    diagnostics: list[Diagnostic] = []
    for op in operations:
        routed = _routed(api, op)
        try:
            compiled = compile_path(routed.template, routed.kinds)
        except TemplateError:
            continue  # reported by validation (SF111-SF114) and blocking there
        shadowed = matcher.add(compiled, op.method, routed, routed.selector)
        if shadowed is None:
            kept.append(routed)
            continue
        existing = shadowed.existing.operation
        where = op.source or SourceLocation(api.source_file, 1, 1, "")
        message = unreachable_detail(op.method.upper(), op.path, existing.path)
        diagnostics.append(
            Diagnostic(
                UNREACHABLE,
                Severity.WARNING,
                f"{message}; its handler is generated but never routed",
                where,
                hint="rename the parameters alike and merge the path items, or make the "
                "key's suffix name a required query or header parameter",
            )
        )
    return RoutePlan(kept, diagnostics)
