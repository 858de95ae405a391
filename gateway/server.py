"""Run the gateway under uvicorn (uvloop + httptools), with N worker processes.

Each worker's HTTP protocol enforces the configured connection limits
(:mod:`gateway.limits`: ``[gateway.limits]``, read once at start).

With one worker the app runs in this process. With more, uvicorn's
supervisor runs the workers on one shared socket (and ``/metrics`` sums them
through a temporary directory, :mod:`gateway.metrics_share`), except that SIGHUP is
*forwarded* to every worker (each reloads its routing table in place, keeping
requests in flight and the old table if the new specs do not compose)
instead of replacing the workers.

Example: ``serve(root=Path("."), specs=None, host="127.0.0.1", port=8000, workers=2)``.
"""

from __future__ import annotations

import logging
import os
import signal
import tempfile
from pathlib import Path

import uvicorn
from uvicorn.supervisors.multiprocess import Multiprocess

from gateway.app import ROOT_ENV, SPECS_ENV
from gateway.config import load_config
from gateway.limits import LimitedConfig
from gateway.metrics_share import DIRECTORY_ENV

log = logging.getLogger("specfirst.gateway")
APP = "gateway.app:create_app_from_env"


class ForwardingSupervisor(Multiprocess):
    """uvicorn's multiprocess supervisor, with SIGHUP forwarded to workers."""

    def handle_hup(self) -> None:
        log.info("SIGHUP: asking %d workers to reload their routing tables", len(self.processes))
        for process in self.processes:
            if process.pid is not None:
                os.kill(process.pid, signal.SIGHUP)


def serve(
    *,
    root: Path,
    specs: Path | None,
    host: str,
    port: int,
    workers: int,
    access_log: bool = True,
    log_level: str = "info",
) -> None:
    os.environ[ROOT_ENV] = str(root)
    if specs is not None:
        os.environ[SPECS_ENV] = str(specs)
    logging.basicConfig(level=getattr(logging, log_level.upper(), logging.INFO))
    logging.getLogger("specfirst.gateway.access").setLevel(
        logging.INFO if access_log else logging.WARNING
    )
    config = LimitedConfig(
        APP,
        limits=load_config(root, specs).limits,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        lifespan="on",
        access_log=False,
        server_header=False,
        proxy_headers=False,  # the gateway is the edge: X-Forwarded-For is not trusted
        log_level=log_level,
        timeout_graceful_shutdown=30,
    )
    if workers <= 1:
        uvicorn.Server(config).run()
        return
    sock = config.bind_socket()
    with tempfile.TemporaryDirectory(prefix="specfirst-gateway-metrics-") as shared:
        os.environ[DIRECTORY_ENV] = shared  # the workers sum their /metrics through it
        ForwardingSupervisor(config, sockets=[sock]).run()
