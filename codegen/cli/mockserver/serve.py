"""Serving a generated package with mock answers (``specfirst serve --mock``).

Django is configured exactly as for ``specfirst serve``
(:func:`servicekit.contract.serve.configure`); only the URL patterns bind the
mock ViewSets of :mod:`.views` instead of the 501 stubs.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import uvicorn
from django.core.asgi import get_asgi_application
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from servicekit import problems
from servicekit.contract.serve import configure, make_importable, problem_page, served_hosts

from codegen.core.strictness import DEFAULT_POLICY, QueryPolicy
from codegen.designer.mock.state import MockEngine


def ready(request: HttpRequest) -> JsonResponse:
    """``/readyz`` of a mock: it is ready once it serves (the gateway asks)."""
    return JsonResponse({"status": "ok", "mock": True})


def configure_mock(
    package: str, hosts: list[str], engine: MockEngine, policy: QueryPolicy = DEFAULT_POLICY
) -> None:
    """Configure Django for ``package`` with every operation answering from ``engine``
    (requests validated under the project's query ``policy``, as a service's are)."""
    root = configure(package, hosts, policy)
    stubs = importlib.import_module(f"{package}.stubs")
    urls = importlib.import_module(f"{package}.urls")
    # imported once Django is configured: the views module imports DRF
    views = importlib.import_module("codegen.cli.mockserver.views")
    served = urls.build_urlpatterns(views.mock_views(stubs, engine))
    # after the spec's own routes (a spec declaring /readyz keeps it), before the 404s
    root.urlpatterns = [  # type: ignore[attr-defined]
        problem_page(),
        *served,
        path("readyz", ready),
        re_path(r"", problems.not_found),
    ]


def configure_many(mounts: list[tuple[str, str, MockEngine]], hosts: list[str]) -> None:
    """Several mocks in one process: ``(prefix, package, engine)`` serves
    ``package`` under ``/prefix/`` (used to test many specs at once)."""
    root = configure(mounts[0][1], hosts)
    views = importlib.import_module("codegen.cli.mockserver.views")
    patterns: list[Any] = []
    for prefix, package, engine in mounts:
        stubs = importlib.import_module(f"{package}.stubs")
        urls = importlib.import_module(f"{package}.urls")
        served = urls.build_urlpatterns(views.mock_views(stubs, engine), catch_all=True)
        patterns.append(path(f"{prefix}/", include(served)))
    root.urlpatterns = [problem_page(), *patterns]  # type: ignore[attr-defined]


def serve_many(
    parent: Path, mounts: list[tuple[str, str, MockEngine]], host: str, port: int
) -> None:
    """Serve every mount of :func:`configure_many` on ``host:port`` until interrupted."""
    sys.path.insert(0, str(parent))
    configure_many(mounts, [host, "127.0.0.1", "localhost"])
    app: Any = get_asgi_application()
    uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="off")


def mock_application(
    parent: Path, package: str, host: str, engine: MockEngine, policy: QueryPolicy = DEFAULT_POLICY
) -> Any:
    """Import ``parent/package`` and return the ASGI application of its mock."""
    make_importable(parent, package)
    configure_mock(package, served_hosts(host), engine, policy)
    return get_asgi_application()
