"""Serving a generated package at once, with nothing implemented.

``specfirst serve SPEC`` generates the spec into a temporary package, builds
its ASGI :func:`application` and serves it with :func:`run`: Django is
configured programmatically (no project, no database), every operation
validates its request and answers 501, and uvicorn serves (no autoreloader).
``/_specfirst/problems``, the catalogue the problems' ``type`` URIs point into,
is served before the spec's routes.
"""

from __future__ import annotations

import compileall
import importlib
import secrets
import sys
import types
from pathlib import Path
from typing import Any

import django
import uvicorn
from django.conf import settings
from django.core.asgi import get_asgi_application

from codegen.core.strictness import DEFAULT_POLICY, QueryPolicy


def settings_for(
    apps: list[str], hosts: list[str], root_urlconf: str, policy: QueryPolicy = DEFAULT_POLICY
) -> dict[str, Any]:
    """The settings of a served generated package (no project, no database); ``policy``
    is the project's ``[tool.specfirst.validation]``, as a service reads it."""
    return {
        "DEBUG": False,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": hosts,
        "INSTALLED_APPS": ["rest_framework", "drf_spectacular", *apps],
        "MIDDLEWARE": [
            "django.middleware.common.CommonMiddleware",  # sets Content-Length
            "servicekit.contract.canonical.CanonicalPathMiddleware",
        ],
        "APPEND_SLASH": False,
        "ROOT_URLCONF": root_urlconf,
        "DATABASES": {},
        "USE_TZ": True,
        "REST_FRAMEWORK": {
            "DEFAULT_AUTHENTICATION_CLASSES": [],
            "DEFAULT_PERMISSION_CLASSES": [],
            "UNAUTHENTICATED_USER": None,
            "EXCEPTION_HANDLER": "servicekit.problems.exception_handler",
            "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
            "URL_FORMAT_OVERRIDE": None,  # ?format= is the spec's parameter, not DRF's
        },
        "SPECFIRST_RAISE_CONTRACT_ERRORS": False,
        "SPECFIRST_QUERY_POLICY": policy,
        "LOGGING": {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "root": {"handlers": ["console"], "level": "WARNING"},
        },
    }


def configure(
    package: str, hosts: list[str], policy: QueryPolicy = DEFAULT_POLICY
) -> types.ModuleType:
    """Configure Django for ``package`` and return its root URLconf module."""
    root = types.ModuleType(f"{package}_serve_urls")
    sys.modules[root.__name__] = root
    settings.configure(**settings_for([package], hosts, root.__name__, policy))
    django.setup()
    urls = importlib.import_module(f"{package}.urls")
    served = urls.build_urlpatterns(None, catch_all=True)
    vars(root).update(
        urlpatterns=[problem_page(), *served],
        handler404="servicekit.problems.not_found",
        handler500="servicekit.problems.server_error",
    )
    return root


def problem_page() -> Any:
    """The URL pattern of ``/_specfirst/problems`` (imported once Django is configured:
    servicekit's views import DRF)."""
    return importlib.import_module("servicekit.urls").PROBLEM_PAGE


def application(parent: Path, package: str, host: str, policy: QueryPolicy = DEFAULT_POLICY) -> Any:
    """Import ``parent/package`` and return its ASGI application."""
    make_importable(parent, package)
    configure(package, served_hosts(host), policy)
    return get_asgi_application()


def make_importable(parent: Path, package: str) -> None:
    """Put ``parent`` on ``sys.path`` with ``package`` compiled to bytecode.

    The generated modules of a large spec are megabytes of source (13 MB for
    GitHub's REST API): compiling them is most of what importing them costs,
    and ``compileall`` spreads the files over one process per core.
    """
    compileall.compile_dir(parent / package, quiet=1, workers=0)
    sys.path.insert(0, str(parent))


def served_hosts(host: str) -> list[str]:
    """``ALLOWED_HOSTS`` of a server bound to ``host`` (and the loopback names)."""
    return [host, "127.0.0.1", "localhost", "[::1]"]


def run(app: Any, host: str, port: int) -> None:
    """Serve ``app`` on ``host:port`` until interrupted (uvicorn, no autoreloader)."""
    uvicorn.run(app, host=host, port=port, log_level="info", lifespan="off")
