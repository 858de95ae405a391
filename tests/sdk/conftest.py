"""A live system for the SDK's end-to-end tests: the three reference
services and a gateway in front of them, on 127.0.0.1 ephemeral ports,
started once per session when a test asks for it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from codegen.core.auth.defaults import DEV_API_KEY, DEV_JWT_SECRET
from tests.conftest import REPO_ROOT
from tests.e2e.system import SERVICES, running_system
from tests.gateway.conftest import Proc, start_gateway


@dataclass(frozen=True)
class LiveGateway:
    proc: Proc
    project: Path  # holds specs/, as the gateway read them

    @property
    def url(self) -> str:
        return self.proc.url


@pytest.fixture(scope="session")
def live_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveGateway]:
    workdir = tmp_path_factory.mktemp("sdk-live")
    project = workdir / "project"
    shutil.copytree(REPO_ROOT / "specs", project / "specs")
    databases = {name: f"sqlite:///{workdir / f'{name}.sqlite3'}" for name in SERVICES}
    with running_system(workdir, databases) as system:
        env = {f"SPECFIRST_UPSTREAM_{name.upper()}": system.url(name) for name in SERVICES}
        env |= {"SPECFIRST_JWT_SECRET": DEV_JWT_SECRET, "SPECFIRST_API_KEYS": DEV_API_KEY}
        proc = start_gateway(project, env=env)
        try:
            yield LiveGateway(proc, project)
        finally:
            proc.stop()
