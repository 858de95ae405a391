"""Seed a freshly started service so generated requests meet real data, not only 404s.

Two sources, both optional:

1. **The spec.** Every operation whose success response declares OpenAPI
   ``links`` is a creator: its request-body example (``example``, the first of
   ``examples``, else a body made by the instance synthesizer, :mod:`codegen.core.synth`,
   with the :data:`SEEDING` policy: the schema's own examples first, the ids of resources
   created before, otherwise the plainest valid values; always valid against the
   request view of the schema) is sent once, and
   each link's parameter (``orderId: $response.body#/id``) is remembered with
   the value the response gave. Creators that fail (their body refers to data
   not created yet) are retried after the others, up to three rounds.
2. **A fixture hook.** ``contract_fixtures.py`` beside the service's
   ``manage.py`` may define ``seed(api: SeedApi) -> None``; it runs before the
   spec seeding (whose bodies then reuse the ids it remembered), talks HTTP
   only (``api.post("/categories", json={...})``,
   ``api.dependency("catalog").post(...)``) and calls
   ``api.remember("path.productId", value)`` for values worth reusing.

Remembered values become schemathesis dictionaries bound to the parameter
with probability 0.5: half the generated requests reuse a seeded resource,
the other half keep exploring (unknown ids, 404s).
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from codegen.core.errors import UserError
from codegen.core.jsonschema.from_spec import validation_schema
from codegen.core.openapi import HTTP_METHODS, REQUEST
from codegen.core.spec.bundle import bundle
from codegen.core.spec.loader import LoadedSpec, SpecFile
from codegen.core.spec.refs import RefError
from codegen.core.synth import Optional, Policy, Unsatisfiable, Values, key_of, synthesize

HOOK_MODULE = "contract_fixtures.py"
SEED_ROUNDS = 3
BINDING_PROBABILITY = 0.5
# A body a service accepts and that links to what was created before: the schema's
# examples first, then known ids, else the plainest values; optional properties only
# when they carry an example, a default or a known id.
SEEDING = Policy(
    values=Values.MINIMAL, direction=REQUEST, examples=True, optional=Optional.INFORMATIVE
)


@dataclass
class SeedApi:
    """What a ``contract_fixtures.seed`` hook gets: HTTP clients with valid credentials."""

    client: httpx.Client
    dependencies: Mapping[str, httpx.Client] = field(default_factory=dict)
    remembered: dict[str, list[Any]] = field(default_factory=dict)

    def remember(self, key: str, value: Any) -> None:
        """Offer ``value`` for parameter ``key`` (``path.orderId``, ``query.customer_id``,
        ``body.lines[*].product_id``) in later generated requests."""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            values = self.remembered.setdefault(key, [])
            if value not in values:
                values.append(value)

    def dependency(self, name: str) -> httpx.Client:
        if name not in self.dependencies:
            raise UserError(
                f"contract_fixtures: no dependency {name!r} (known: {sorted(self.dependencies)})"
            )
        return self.dependencies[name]

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.post(path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, **kwargs)


def resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``$ref`` chains: ``{"$ref": "#/components/x/y"}`` -> the node there."""
    seen = 0
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 32:
        target: Any = spec
        for raw in node["$ref"].lstrip("#/").split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, Mapping) else None
        node, seen = target, seen + 1
    return node


class NoBody(ValueError):
    """No valid request body could be made for a creator."""


def _written(loaded: LoadedSpec, tokens: Sequence[str]) -> tuple[SpecFile, Any]:
    """The value at ``tokens`` of the root document as written, and the file it is
    written in: every ``$ref`` on the way is followed (the last value is not)."""
    file, node = loaded.root, loaded.root.data
    for token in tokens:
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            try:
                file, _, node = loaded.resolve(node["$ref"], file)
            except RefError:
                return file, None
        node = node.get(token) if isinstance(node, Mapping) else None
    return file, node


def _body_example(
    loaded: LoadedSpec, spec: Mapping[str, Any], creator: Creator, known: Mapping[str, Any]
) -> Any:
    """The creator's JSON body example, else one synthesised from its schema (None: no
    body); raises :class:`NoBody` when its schema admits no value synth can make."""
    body = resolve(spec, creator.operation.get("requestBody"))
    content = body.get("content", {}) if isinstance(body, Mapping) else {}
    for media_type, media in content.items():
        if "json" not in media_type or not isinstance(media, Mapping):
            continue
        if "example" in media:
            return media["example"]
        for named in (media.get("examples") or {}).values():
            example = resolve(spec, named)
            if isinstance(example, Mapping) and "value" in example:
                return example["value"]
        where = ["paths", creator.path, creator.method, "requestBody", "content", media_type]
        file, written = _written(loaded, [*where, "schema"])
        schema = validation_schema(loaded, file, written, direction=REQUEST)
        try:
            return synthesize(schema, dataclasses.replace(SEEDING, known=known))
        except Unsatisfiable as exc:
            raise NoBody(f"no valid body: {exc}") from None
    return None


def _parameter_locations(spec: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """operationId -> {parameter name: location}, path-item parameters included."""
    found: dict[str, dict[str, str]] = {}
    for item in (spec.get("paths") or {}).values():
        shared = [resolve(spec, p) for p in item.get("parameters", [])]
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, Mapping) or "operationId" not in operation:
                continue
            params = shared + [resolve(spec, p) for p in operation.get("parameters", [])]
            found[operation["operationId"]] = {
                p["name"]: p["in"] for p in params if isinstance(p, Mapping) and "name" in p
            }
    return found


@dataclass(frozen=True, slots=True)
class Creator:
    path: str
    method: str
    operation: Mapping[str, Any]
    links: tuple[tuple[str, str, str], ...]  # (target operationId, parameter, expression)


def creators(spec: Mapping[str, Any]) -> list[Creator]:
    """Operations on collection paths with a request body whose 2xx response has links."""
    found: list[Creator] = []
    for path, item in (spec.get("paths") or {}).items():
        for method in ("post", "put"):
            operation = item.get(method) if isinstance(item, Mapping) else None
            if not isinstance(operation, Mapping):
                continue
            links: list[tuple[str, str, str]] = []
            for status, raw_response in (operation.get("responses") or {}).items():
                response = resolve(spec, raw_response)
                if not str(status).startswith("2") or not isinstance(response, Mapping):
                    continue
                for raw_link in (response.get("links") or {}).values():
                    link = resolve(spec, raw_link)
                    target = link.get("operationId") if isinstance(link, Mapping) else None
                    for name, expression in (link.get("parameters") or {}).items():
                        if target and isinstance(expression, str):
                            links.append((target, name.split(".")[-1], expression))
            if links and operation.get("requestBody") is not None and "{" not in path:
                found.append(Creator(path, method, operation, tuple(links)))
    return found


def evaluate(expression: str, response: httpx.Response) -> Any:
    """A runtime expression against a response.

    ``$response.body#/id`` -> ``response.json()["id"]``;
    ``$response.header.Location`` -> the header's value; anything else -> None.
    """
    if expression.startswith("$response.header."):
        return response.headers.get(expression.removeprefix("$response.header."))
    if not expression.startswith("$response.body"):
        return None
    try:
        node: Any = response.json()
    except ValueError:
        return None
    pointer = expression.removeprefix("$response.body").lstrip("#")
    for raw in [t for t in pointer.split("/") if t]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, Mapping):
            node = node.get(token)
        else:
            return None
    return node


def seed_from_spec(loaded: LoadedSpec, api: SeedApi) -> list[str]:
    """Send every creator's example; remember link values. Returns one note per creator
    that never succeeded (its status, or why no body was made), so a run can say why
    seeding was partial."""
    spec = bundle(loaded)
    locations = _parameter_locations(spec)

    def covered(creator: Creator) -> bool:
        """Whether the hook already provided every value this creator's links yield."""
        keys = {f"{locations.get(t, {}).get(n)}.{n}" for t, n, _ in creator.links}
        return keys <= set(api.remembered)

    pending = [creator for creator in creators(spec) if not covered(creator)]
    notes: dict[str, str] = {}
    for _ in range(SEED_ROUNDS):
        failed: list[Creator] = []
        for creator in pending:
            known = {
                key_of(key.split(".")[-1]): values[-1] for key, values in api.remembered.items()
            }
            label = f"{creator.method.upper()} {creator.path}"
            try:
                body = _body_example(loaded, spec, creator, known)
            except NoBody as exc:
                failed.append(creator)
                notes[creator.path] = f"{label}: {exc}"
                continue
            response = api.client.request(creator.method.upper(), creator.path, json=body)
            if not response.is_success:
                failed.append(creator)
                notes[creator.path] = f"{label}: {response.status_code}"
                continue
            notes.pop(creator.path, None)
            for target, name, expression in creator.links:
                location = locations.get(target, {}).get(name)
                if location:
                    api.remember(f"{location}.{name}", evaluate(expression, response))
        if not failed or len(failed) == len(pending):
            break
        pending = failed
    return sorted(notes.values())


def seed_service(service_dir: Path, loaded: LoadedSpec, api: SeedApi) -> list[str]:
    """Seed the service in ``service_dir``: its ``contract_fixtures.seed`` hook, then the
    spec's creators (:func:`seed_from_spec`, whose notes are returned).

    Any failure of the hook (its own code) becomes a one-line user error naming the file.
    """
    hook = load_hook(service_dir)
    try:
        if hook is not None:
            hook(api)
    except Exception as exc:  # the hook is user code: report it, do not crash
        where = service_dir / HOOK_MODULE
        raise UserError(f"{where}: seed() failed: {type(exc).__name__}: {exc}") from None
    return seed_from_spec(loaded, api)


SeedHook = Callable[[SeedApi], None]


def load_hook(service_dir: Path) -> SeedHook | None:
    """``seed`` from ``<service_dir>/contract_fixtures.py``, or None when there is no such file."""
    path = service_dir / HOOK_MODULE
    if not path.is_file():
        return None
    module_spec = importlib.util.spec_from_file_location(
        f"contract_fixtures_{service_dir.name}", path
    )
    if module_spec is None or module_spec.loader is None:
        raise UserError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    hook = getattr(module, "seed", None)
    if not callable(hook):
        raise UserError(f"{path}: defines no seed(api) function")
    return hook  # type: ignore[no-any-return]


def schemathesis_bindings(remembered: Mapping[str, list[Any]]) -> dict[str, Any]:
    """``{"path.orderId": ["a", "b"]}`` -> schemathesis ``dictionaries`` + ``parameters`` tables."""
    dictionaries: dict[str, Any] = {}
    parameters: dict[str, Any] = {}
    for index, (key, values) in enumerate(sorted(remembered.items())):
        if not values:
            continue
        name = f"seed{index}"
        dictionaries[name] = {"values": list(values)}
        parameters[key] = {"dictionary": name, "probability": BINDING_PROBABILITY}
    return {"dictionaries": dictionaries, "parameters": parameters} if parameters else {}
