"""The mock engine: stateless answers, or (``--stateful``) remembered resources.

Resource identity is derived from the spec, never from names of particular
specs: a *collection* is a path template with a POST; its *item* template is
the collection template plus one path parameter (``/orders`` ->
``/orders/{orderId}``). A create (a POST answering 2xx with an object) stores
the generated response merged with the request body (keys the response
schema accepts) under the item path; the item id is what a link of the
response takes for the item's parameter (``$response.body#/id``), else the
property named like the parameter, else ``id``. The ``Location`` header (when
declared) points at that path. Then GET of the path answers the stored
object, PUT/PATCH update it, DELETE removes it, and an item that is not
stored answers 404 when the operation declares 404.

``POST /pets {"name": "Rex"}`` -> 201, ``Location: /pets/17``; ``GET /pets/17``
-> ``{"id": 17, "name": "Rex"}``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from codegen.core.spec.loader import load_spec
from codegen.core.validator import validation_error
from codegen.designer.lint.document import Document
from codegen.designer.mock.catalog import Operation, read_operations
from codegen.designer.mock.responder import (
    MockAnswer,
    MockRequest,
    Responder,
    default_response,
    parse_prefer,
    pick_media,
    response_for_code,
    status_code,
)

_PARAM = re.compile(r"\{([^{}]+)\}")


def item_templates(operations: list[Operation]) -> dict[str, tuple[str, str]]:
    """Item template -> (collection template, item parameter), for each collection
    with a POST: the operations its create response links to (the parameter the
    link fills from ``$response``), and the collection path plus one parameter.

    ``{"/pets/{petId}": ("/pets", "petId")}``.
    """
    collections = {op.path for op in operations if op.method == "post"}
    found: dict[str, tuple[str, str]] = {}
    for op in operations:
        head, _, last = op.path.rstrip("/").rpartition("/")
        match = _PARAM.fullmatch(last)
        collection = next((c for c in collections if c.rstrip("/") == head.rstrip("/")), None)
        if match and collection is not None:
            found[op.path] = (collection, match.group(1))
    found.update(_linked_items(operations))
    return found


def _linked_items(operations: list[Operation]) -> dict[str, tuple[str, str]]:
    """Item templates named by the links of create responses."""
    by_id = {op.operation_id: op for op in operations if op.operation_id}
    found: dict[str, tuple[str, str]] = {}
    for op in operations:
        response = default_response(op) if op.method == "post" else None
        for link in response.links if response is not None else ():
            target = by_id.get(link.operation_id or "")
            if target is None:
                continue
            own = set(_PARAM.findall(op.path))
            for name, expression in link.parameters.items():
                rest = set(_PARAM.findall(target.path)) - {name}
                if str(expression).startswith("$response.body#/") and rest <= own:
                    found.setdefault(target.path, (op.path, name))
    return found


def fill(template: str, values: Mapping[str, Any]) -> str | None:
    """``fill("/pets/{id}", {"id": 7})`` -> ``"/pets/7"``; None if a value is missing."""
    missing = [name for name in _PARAM.findall(template) if name not in values]
    if missing:
        return None
    return _PARAM.sub(lambda m: quote(str(values[m.group(1)]), safe=""), template)


def item_path(
    request: MockRequest, collection: str, item: str, parameter: str, identity: Any
) -> str:
    """The concrete item path for a create answered at ``request.path``, keeping
    any prefix the server is mounted under."""
    values = {**request.path_params, parameter: identity}
    served = fill(collection, request.path_params)
    filled = fill(item, values)
    if served is not None and filled is not None and request.path.endswith(served):
        return request.path[: len(request.path) - len(served)] + filled
    path = request.path.rstrip("/") + "/" + quote(str(identity), safe="")
    return path + "/" if item.endswith("/") else path


def overlay(generated: Any, sent: Any) -> Any:
    """``sent`` completed by ``generated`` where it lacks keys (readOnly ones).

    ``overlay({"id": 1, "n": "x"}, {"n": "y"})`` -> ``{"id": 1, "n": "y"}``;
    list items are completed from the first generated item.
    """
    if isinstance(sent, dict) and isinstance(generated, dict):
        return {**generated, **{k: overlay(generated.get(k), v) for k, v in sent.items()}}
    if isinstance(sent, list) and isinstance(generated, list) and generated:
        return [overlay(generated[0], item) for item in sent]
    return sent


def _json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        return None


class MockEngine:
    """Answers every operation of one spec; thread-safe."""

    def __init__(
        self, operations: list[Operation], *, seed: int = 0, stateful: bool = False
    ) -> None:
        self.responder = Responder(operations, seed=seed)
        self.operations = {(op.method, op.path): op for op in operations}
        self.by_id = {op.operation_id: op for op in operations if op.operation_id}
        self.stateful = stateful
        self.items = item_templates(operations)
        linked = _linked_items(operations)
        self.collections = {collection: item for item, (collection, _) in self.items.items()}
        self.collections.update({collection: item for item, (collection, _) in linked.items()})
        self.store: dict[str, Any] = {}
        self.lock = threading.Lock()

    def answer(self, method: str, template: str, request: MockRequest) -> MockAnswer:
        operation = self.operations[(method, template)]
        if self.stateful and not parse_prefer(request.prefer):
            with self.lock:
                if method == "post" and template in self.collections:
                    return self.create(operation, request)
                if template in self.items:
                    stateful = self.item(operation, request)
                    if stateful is not None:
                        return stateful
        return self.responder.answer(operation, request)

    def create(self, operation: Operation, request: MockRequest) -> MockAnswer:
        answer = self.responder.answer(operation, request)
        response = default_response(operation)
        if not 200 <= answer.status < 300 or not isinstance(answer.data, dict) or response is None:
            return answer
        media = pick_media(response, request.accept)
        schema = media.schema if media is not None else None
        created = self.merged(answer.data, _json(request.body), schema)
        item_template = self.collections[operation.path]
        parameter = self.items[item_template][1]
        identity = self.identity(operation, created, parameter)
        path = item_path(request, operation.path, item_template, parameter, identity)
        self.store[path] = created
        headers = dict(answer.headers)
        for header in response.headers:
            if header.name.lower() == "location" and validation_error(header.schema, path) is None:
                headers[header.name] = path
        body = json.dumps(created, ensure_ascii=False).encode()
        return MockAnswer(answer.status, headers, answer.media_type, body, created)

    def merged(self, generated: dict[str, Any], sent: Any, schema: Any) -> dict[str, Any]:
        """The generated representation with each sent key the schema accepts."""
        created = dict(generated)
        if not isinstance(sent, dict) or schema is None:
            return created
        for key, value in sent.items():
            for candidate in (overlay(created.get(key), value), value):
                trial = {**created, key: candidate}
                if validation_error(schema, trial) is None:
                    created = trial
                    break
        return created

    def identity(self, operation: Operation, created: Mapping[str, Any], parameter: str) -> Any:
        response = default_response(operation)
        for link in response.links if response else ():
            expression = link.parameters.get(parameter)
            if isinstance(expression, str) and expression.startswith("$response.body#/"):
                key = expression.removeprefix("$response.body#/").split("/")[0]
                if key in created and not isinstance(created[key], dict | list):
                    return created[key]
        for key in (parameter, "id"):
            if key in created and not isinstance(created[key], dict | list | None):
                return created[key]
        return len(self.store) + 1

    def item(self, operation: Operation, request: MockRequest) -> MockAnswer | None:
        """The stateful answer for an item path, or None to answer statelessly."""
        stored = self.store.get(request.path)
        if stored is None:
            missing = response_for_code(operation, 404)
            if missing is None or missing.status != "404":
                return None
            return self.responder.render(operation, request, 404, missing)
        response = default_response(operation)
        if response is None:
            return None
        if operation.method == "delete":
            del self.store[request.path]
            return self.responder.render(operation, request, status_code(response.status), response)
        if operation.method in ("put", "patch"):
            sent = _json(request.body)
            if isinstance(sent, dict):
                # PUT and PATCH both keep stored keys the client did not send
                # (readOnly ones such as the id), so the resource stays whole.
                stored = self.store[request.path] = {**stored, **sent}
        return self.responder.render(
            operation, request, status_code(response.status), response, data=stored
        )


def engine_for_spec(spec: str, *, seed: int = 0, stateful: bool = False) -> MockEngine:
    """The engine for the spec file ``spec`` (already validated by generation)."""
    loaded, _ = load_spec(spec)
    if loaded is None:
        raise ValueError(f"{spec}: cannot be loaded")
    return MockEngine(read_operations(Document(loaded)), seed=seed, stateful=stateful)
