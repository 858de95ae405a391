"""The system the problem docs are recorded from: three services and a gateway.

The services run on SQLite (``python -m servicekit.serve``, as ``specfirst up``
runs them) and the gateway (``python -m gateway gateway``, one worker) in front
of them, with the development credentials and no rate limits, all on
127.0.0.1 ephemeral ports.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from codegen.core.auth.defaults import DEV_API_KEY, DEV_JWT_SECRET
from tests.e2e.system import SERVICES, System, running_system
from tests.gateway.conftest import Proc
from tests.security.system import start_gateway_process


@dataclass(frozen=True)
class ProblemSystem:
    system: System
    gateway: Proc

    def base_url(self, via: str) -> str:
        """``"gateway"`` or ``"<name> service"`` -> its base URL."""
        if via == "gateway":
            return self.gateway.url
        return self.system.url(via.removesuffix(" service"))


@contextlib.contextmanager
def problem_system(workdir: Path) -> Iterator[ProblemSystem]:
    databases = {name: f"sqlite:///{workdir / f'{name}.sqlite3'}" for name in SERVICES}
    with running_system(workdir, databases) as system:
        env = {
            **{f"SPECFIRST_UPSTREAM_{n.upper()}": system.url(n) for n in SERVICES},
            "SPECFIRST_API_KEYS": DEV_API_KEY,
        }
        settings = {"auth": {"jwt_secret": DEV_JWT_SECRET}}
        gateway = start_gateway_process(workdir / "gateway", settings, env, workers=1)
        try:
            yield ProblemSystem(system, gateway)
        finally:
            gateway.stop()
