"""Real processes on 127.0.0.1 ephemeral ports, always stopped.

:class:`ManagedProcess` starts a command with its output in a log file, waits
until a health URL answers 200 and stops the process (SIGTERM, then SIGKILL)
on exit. :func:`service_process` builds the command for a Django service:
``manage.py migrate`` first, then gunicorn serving ``<name>_site.wsgi``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from codegen.core.errors import UserError
from codegen.core.limits import PROBLEM_WORKER, gunicorn_limit_options
from codegen.verify.contract.targets import ServiceTarget

STARTUP_TIMEOUT = 60.0


def free_port() -> int:
    """An ephemeral TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def log_tail(path: Path, lines: int = 30) -> str:
    if not path.is_file():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@dataclass
class ManagedProcess:
    """One started process; ``base_url`` answers once :meth:`wait_ready` returned."""

    label: str
    argv: Sequence[str]
    cwd: Path
    env: Mapping[str, str]
    base_url: str
    log_path: Path
    health_path: str = "/readyz"
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        log = self.log_path.open("ab")
        try:
            self._process = subprocess.Popen(  # argv is built by us, never from a shell string
                list(self.argv),
                cwd=self.cwd,
                env=dict(self.env),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            log.close()

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        url = self.base_url + self.health_path
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise UserError(
                    f"{self.label} exited with status {self._process.returncode} while starting;"
                    f" its log ({self.log_path}) ends with:\n{log_tail(self.log_path)}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=2.0).status_code == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise UserError(
            f"{self.label} did not answer 200 on {url} within {timeout:.0f}s;"
            f" its log ({self.log_path}) ends with:\n{log_tail(self.log_path)}"
        )

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def service_env(
    target: ServiceTarget, database_url: str, extra: Mapping[str, str]
) -> dict[str, str]:
    """The environment one service runs with: its own database and spec, nothing inherited
    that could point it at another service's database."""
    env = {key: value for key, value in os.environ.items() if not key.endswith("DATABASE_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": target.settings_module,
            f"{target.name.upper()}_DATABASE_URL": database_url,
            "SPECFIRST_SPEC_PATH": str(target.spec.resolve()),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def migrate(target: ServiceTarget, env: Mapping[str, str], log_path: Path) -> None:
    """``manage.py migrate --noinput`` into the fresh database; its output goes to the log."""
    manage(target, env, log_path, "migrate", "--noinput", "-v", "0")


def manage(target: ServiceTarget, env: Mapping[str, str], log_path: Path, *args: str) -> None:
    """``manage.py ARGS`` of ``target``; its output goes to the log, a failure is a user error."""
    with log_path.open("ab") as log:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=target.directory,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=180,
            check=False,
        )
    if result.returncode != 0:
        raise UserError(
            f"{target.name}: manage.py {args[0]} failed; its log ({log_path}) ends with:\n"
            f"{log_tail(log_path)}"
        )


def service_process(
    target: ServiceTarget, env: Mapping[str, str], workdir: Path, port: int
) -> ManagedProcess:
    """A gunicorn process (1 worker, threaded) serving ``target`` on ``port``, with
    the worker and the request limits ``servicekit.serve`` runs (a request line past
    gunicorn's default of 4094 bytes is no 414 HTML page here either)."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        f"{target.name}_site.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--worker-class",
        PROBLEM_WORKER,
        *gunicorn_limit_options(),
        "--threads",
        "4",
        "--graceful-timeout",
        "5",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    return ManagedProcess(
        label=f"service {target.name}",
        argv=argv,
        cwd=target.directory,
        env=env,
        base_url=f"http://127.0.0.1:{port}",
        log_path=workdir / f"{target.name}.log",
    )


@contextlib.contextmanager
def running(processes: list[ManagedProcess]) -> Iterator[list[ManagedProcess]]:
    """Stop every process in ``processes`` (even ones appended inside the block) on exit."""
    try:
        yield processes
    finally:
        for process in reversed(processes):
            process.stop()
