"""IR → every file of a client package: ``{relative path: text}``, pure.

Layout (``package`` is the import name)::

    pyproject.toml  README.md
    <package>/__init__.py  models.py  client.py  async_client.py
    <package>/config.py  errors.py  _runtime.py  _adapters.py  py.typed

Python files are ruff-formatted by :func:`codegen.generator.output.format_python`
before they are compared or written, so the output is byte-stable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codegen.core.auth.login import token_endpoint
from codegen.core.changelog import for_readme
from codegen.core.ir.model import Api, SchemaNode
from codegen.core.jsonschema.from_ir import instance_schema
from codegen.core.synth import Optional, Policy, Unsatisfiable, Values, synthesize
from codegen.generator.render.literals import py_literal
from codegen.generator.sdk.environment import environment
from codegen.generator.sdk.models import generate_models
from codegen.generator.sdk.operations import OperationView, operation_views
from codegen.generator.sdk.tidy import tidy_python
from codegen.generator.sdk.types import TYPING_IMPORTS

DEFAULT_EXAMPLE_URL = "http://localhost:8000"
ERROR_NAMES: tuple[str, ...] = (
    "ApiConnectionError",
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "GatewayTimeoutError",
    "MethodNotAllowedError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "PreconditionRequiredError",
    "ProblemDetails",
    "ProblemErrorEntry",
    "RateLimitError",
    "ServerError",
    "ServiceUnavailableError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "ValidationError",
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A README call is short and readable: the spec's examples first, else the plainest
# valid value, required properties only.
EXAMPLE_POLICY = Policy(
    values=Values.MINIMAL, examples=True, optional=Optional.NONE, direction="request"
)
# security scheme -> runtime kind
_HTTP_SCHEMES = {"bearer": "bearer", "basic": "basic"}


@dataclass(frozen=True, slots=True)
class Source:
    """Where the spec came from, for headers: ``label`` and its sha256."""

    label: str
    sha256: str


def render_sdk(
    api: Api, source: Source, package: str, distribution: str, changelog: str | None = None
) -> dict[str, str]:
    """Every file of the client package for ``api``, formatted; the README ends
    with ``changelog`` (the spec's CHANGELOG.md) when there is one."""
    header = (
        environment()
        .get_template("_header.jinja")
        .render(comment="#", source=source.label, sha256=source.sha256[:16])
    )
    models_source, names = generate_models(api, header)
    views = operation_views(api, names)
    context = _context(api, source=source, package=package, distribution=distribution, views=views)
    context["changelog"] = for_readme(changelog) if changelog else None
    env = environment()
    files = {f"{package}/models.py": models_source}
    for template, target in (
        ("__init__.py.jinja", f"{package}/__init__.py"),
        ("config.py.jinja", f"{package}/config.py"),
        ("errors.py.jinja", f"{package}/errors.py"),
        ("_runtime.py.jinja", f"{package}/_runtime.py"),
        ("_adapters.py.jinja", f"{package}/_adapters.py"),
        ("py.typed.jinja", f"{package}/py.typed"),
        ("pyproject.toml.jinja", "pyproject.toml"),
        ("README.md.jinja", "README.md"),
    ):
        files[target] = env.get_template(template).render(context)
    for is_async, target, class_name in (
        (False, "client.py", "Client"),
        (True, "async_client.py", "AsyncClient"),
    ):
        files[f"{package}/{target}"] = env.get_template("client.py.jinja").render(
            context, is_async=is_async, class_name=class_name
        )
    return tidy_python(files)


def _context(
    api: Api,
    *,
    source: Source,
    package: str,
    distribution: str,
    views: list[OperationView],
) -> dict[str, Any]:
    adapters = _adapters(views)
    types = [*adapters, *(p.type for op in views for p in op.params)]
    types += [op.return_type for op in views]
    types += [op.pagination.item_type for op in views if op.pagination]
    default_url = next((url for url in api.servers if _absolute(url)), None)
    schemes = [
        (name, *_scheme_kind(scheme.type, scheme.scheme, scheme.location, scheme.parameter_name))
        for name, scheme in sorted(api.security_schemes.items())
    ]
    api_key_schemes = [s for s in schemes if s[1].startswith("apiKey")]
    login = token_endpoint(api)
    exports = ["AsyncClient", "Client", "ClientConfig", "models", *ERROR_NAMES]
    return {
        "title": api.title,
        "version": api.version,
        "source": source.label,
        "sha256": source.sha256[:16],
        "comment": "#",
        "package": package,
        "distribution": distribution,
        "operations": views,
        "adapters": adapters,
        "typing_imports": _typing_imports(types),
        "pagination": any(op.pagination for op in views),
        "default_base_url": default_url,
        "example_base_url": default_url or DEFAULT_EXAMPLE_URL,
        "security_schemes": schemes,
        "has_api_key": bool(api_key_schemes),
        "api_key_where": _where(api_key_schemes),
        "has_bearer": any(s[1] == "bearer" for s in schemes),
        "login": login,
        "error_names": ERROR_NAMES,
        "exports": sorted([*exports, "TokenSet"] if login else exports),
        **_readme_examples(api, views),
    }


def _absolute(url: str) -> bool:
    return url.startswith(("http://", "https://")) and "{" not in url


def _scheme_kind(
    kind: str, scheme: str | None, location: str | None, parameter: str | None
) -> tuple[str, str]:
    """``("apiKey", None, "header", "X-API-Key")`` -> ``("apiKey-header", "X-API-Key")``."""
    if kind == "apiKey":
        return f"apiKey-{location or 'header'}", parameter or ""
    if kind == "http":
        return _HTTP_SCHEMES.get(scheme or "", "other"), ""
    if kind in ("oauth2", "openIdConnect"):
        return "bearer", ""
    return "other", ""


def _where(api_key_schemes: list[tuple[str, str, str]]) -> str:
    places = sorted({f"{kind.removeprefix('apiKey-')} {name}" for _, kind, name in api_key_schemes})
    return ", ".join(places)


def _adapters(views: list[OperationView]) -> dict[str, str]:
    """``{type expression: adapter name}`` for every typed body and result."""
    types: set[str] = set()
    for op in views:
        if op.body and op.body.kind in ("json", "form", "multipart") and op.body.type != "Any":
            types.add(op.body.type)
        types.update(o.type for o in op.outcomes if o.kind == "json" and o.type != "Any")
    return {t: f"ADAPTER_{index}" for index, t in enumerate(sorted(types), start=1)}


def _typing_imports(types: list[str]) -> list[str]:
    """The import lines of :data:`TYPING_IMPORTS` that ``types`` use."""
    used = {word for text in types for word in _WORD.findall(text)}
    lines = []
    for line in TYPING_IMPORTS:
        module, _, imported = line.removeprefix("from ").partition(" import ")
        wanted = [name for name in imported.split(", ") if name in used]
        if wanted:
            lines.append(f"from {module} import {', '.join(wanted)}")
    return lines


def _call(api: Api, op: OperationView) -> str:
    """``client.get_product("3fa8...")`` with example arguments from the spec."""
    ir = next(o for o in api.operations if o.operation_id == op.operation_id)
    examples = {(p.name, p.location.value): p for p in ir.parameters}
    args = []
    for param in op.params:
        if not param.required:
            continue
        ir_param = examples[param.wire_name, param.location]
        given = [e.value for e in ir_param.examples if e.value is not None]
        text = py_literal(_example(api, ir_param.schema, given))
        args.append(text if param.location == "path" else f"{param.python_name}={text}")
    if op.body and op.body.required and ir.request_body:
        media = next(m for m in ir.request_body.content if m.media_type == op.body.media_type)
        value = py_literal(_example(api, media.schema, [e.value for e in media.examples]))
        if op.body.type.startswith("models."):
            args.append(f"body={op.body.type}.model_validate({value})")
        elif op.body.kind == "json":
            args.append(f"body={value}")
    return f"{op.name}({', '.join(args)})"


def _example(api: Api, node: SchemaNode | None, given: list[Any]) -> Any:
    """A value for ``node`` by :data:`EXAMPLE_POLICY`, the first valid of ``given``
    (the parameter's or media type's own examples) preferred; None when no
    schema is declared or nothing satisfies it."""
    if node is None:
        return given[0] if given else None
    schema = instance_schema(api, node, "request")
    if given:
        schema = {**schema, "examples": [*given, *schema.get("examples", [])]}
    try:
        return synthesize(schema, EXAMPLE_POLICY)
    except Unsatisfiable:
        return None


def _readme_examples(api: Api, views: list[OperationView]) -> dict[str, Any]:
    picks: list[OperationView] = []
    for wanted in ("post", "get", "patch", "put", "delete"):
        found = [op for op in views if op.method == wanted and op not in picks]
        # a create (no path parameters) for POST; a read of one item for the rest
        found.sort(key=lambda op: (bool(op.path_params) == (wanted == "post"), op.path))
        if found:
            picks.append(found[0])
    picks = picks[:3]
    first = picks[0] if picks else None
    examples = [f"result = client.{_call(api, op)}\nprint(result)" for op in picks]
    paginated = next((op for op in views if op.pagination), None)
    getter = next((op for op in views if op.method == "get" and op.path_params), first)
    return {
        "examples": examples or ["# this API has no operations"],
        "paginated": {
            "iter_name": paginated.iter_name,
            "iter_pages_name": paginated.iter_pages_name,
            "first_arg": "",
        }
        if paginated
        else None,
        "error_example": f"client.{_call(api, getter)}" if getter else "pass",
        "async_example": f"print(await client.{_call(api, first)})" if first else "pass",
    }
