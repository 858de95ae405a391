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

from codegen.mock.state import MockEngine
from servicekit.contract.serve import configure


def configure_mock(package: str, hosts: list[str], engine: MockEngine) -> None:
    """Configure Django for ``package`` with every operation answering from ``engine``."""
    root = configure(package, hosts)
    stubs = importlib.import_module(f"{package}.stubs")
    urls = importlib.import_module(f"{package}.urls")
    # imported once Django is configured: the views module imports DRF
    views = importlib.import_module("servicekit.mock.views")
    root.urlpatterns = urls.build_urlpatterns(  # type: ignore[attr-defined]
        views.mock_views(stubs, engine), catch_all=True
    )


def serve_mock(parent: Path, package: str, host: str, port: int, engine: MockEngine) -> None:
    """Import ``parent/package`` and serve its mock on ``host:port`` until interrupted."""
    sys.path.insert(0, str(parent))
    configure_mock(package, [host, "127.0.0.1", "localhost", "[::1]"], engine)
    app: Any = get_asgi_application()
    uvicorn.run(app, host=host, port=port, log_level="info", lifespan="off")
