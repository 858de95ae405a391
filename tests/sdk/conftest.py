"""A live system for the SDK's end-to-end tests: the three reference
services and a gateway in front of them, on 127.0.0.1 ephemeral ports,
started once per session when a test asks for it. The login's access tokens
live :data:`ACCESS_TOKEN_TTL` seconds, so a test sees the SDK renew one; the
gateway verifies them with the JWKS it reads from customers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from codegen.core.auth.defaults import DEV_API_KEY, DEV_JWT_SECRET
from tests.conftest import REPO_ROOT
from tests.e2e.system import SERVICES, running_system, service_environment
from tests.gateway.conftest import Proc, start_gateway

ACCESS_TOKEN_TTL = 6  # seconds


@dataclass(frozen=True)
class LiveGateway:
    proc: Proc
    project: Path  # holds specs/, as the gateway read them
    services: dict[str, str]  # name -> URL of the service's own port
    environment: dict[str, str]  # what the services run with (databases, ...)

    @property
    def url(self) -> str:
        return self.proc.url


@pytest.fixture(scope="session")
def live_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveGateway]:
    workdir = tmp_path_factory.mktemp("sdk-live")
    project = workdir / "project"
    shutil.copytree(REPO_ROOT / "specs", project / "specs")
    databases = {name: f"sqlite:///{workdir / f'{name}.sqlite3'}" for name in SERVICES}
    extra = {"SPECFIRST_ACCESS_TOKEN_TTL": str(ACCESS_TOKEN_TTL)}
    with running_system(workdir, databases, extra) as system:
        urls = {name: system.url(name) for name in SERVICES}
        ports = {name: int(url.rsplit(":", 1)[1]) for name, url in urls.items()}
        environment = {**service_environment(ports, databases), **extra}
        env = {f"SPECFIRST_UPSTREAM_{name.upper()}": url for name, url in urls.items()}
        env |= {"SPECFIRST_JWT_SECRET": DEV_JWT_SECRET, "SPECFIRST_API_KEYS": DEV_API_KEY}
        env |= {"SPECFIRST_JWKS_URL": "/.well-known/jwks.json"}  # the login's keys, routed
        proc = start_gateway(project, env=env)
        try:
            yield LiveGateway(proc, project, urls, environment)
        finally:
            proc.stop()
