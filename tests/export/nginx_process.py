"""Find (or install from Debian packages) nginx, and run it for one test.

:func:`nginx_binary` looks for nginx on PATH and in /usr/sbin; when absent it
runs ``apt-get install -y nginx-light`` (then ``nginx``) if it may (root and
apt-get present). Where nginx stays unavailable the test skips with the
reason, or fails under ``SPECFIRST_REQUIRE_SERVICES=1`` (as in CI).

:func:`running_nginx` starts ``nginx -p PREFIX -c CONF`` in the foreground
(``daemon off``) with its own pid file and error log in the test's temporary
directory, waits until it accepts connections on 127.0.0.1, and always stops
it (SIGQUIT, then SIGKILL).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

DEBIAN_PACKAGES = ("nginx-light", "nginx")


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("SPECFIRST_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason}; SPECFIRST_REQUIRE_SERVICES=1 forbids skipping")
    pytest.skip(reason)


def _find() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def nginx_binary() -> str:
    """The nginx executable, installing it from Debian packages if needed."""
    found = _find()
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        _unavailable("nginx is not installed and cannot be installed (needs root and apt-get)")
    errors = []
    for package in DEBIAN_PACKAGES:
        result = subprocess.run(
            [apt, "install", "-y", "--no-install-recommends", package],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = _find()
        if found:
            return found
        errors.append(f"{package}: {result.stderr.strip()[-300:]}")
    _unavailable("apt-get could not install nginx: " + "; ".join(errors))


@dataclass
class Nginx:
    port: int
    process: subprocess.Popen[bytes]
    error_log: Path
    access_log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        return (
            f"--- error log ---\n{self.error_log.read_text(errors='replace')[-3000:]}\n"
            f"--- access log ---\n{self.access_log.read_text(errors='replace')[-3000:]}"
        )


def _wait_listening(nginx: Nginx, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if nginx.process.poll() is not None:
            raise RuntimeError(f"nginx exited ({nginx.process.returncode}):\n{nginx.logs()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", nginx.port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on {nginx.port} in {timeout}s:\n{nginx.logs()}")


def check_config(binary: str, prefix: Path, conf: Path) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` on ``conf``; the result carries nginx's own messages."""
    return subprocess.run(
        [binary, "-t", "-p", str(prefix), "-c", str(conf), "-g", _globals(prefix)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


def _globals(prefix: Path) -> str:
    directives = f"daemon off; pid {prefix / 'nginx.pid'}; error_log {prefix / 'error.log'} info;"
    if os.geteuid() == 0:  # workers would otherwise run as nobody, outside the tmp dir
        directives += " user root;"
    return directives


@contextlib.contextmanager
def running_nginx(binary: str, prefix: Path, conf: Path, port: int) -> Iterator[Nginx]:
    """nginx serving ``conf`` (which listens on 127.0.0.1:``port``)."""
    prefix.mkdir(parents=True, exist_ok=True)
    access = prefix / "access.log"
    with access.open("wb") as out:
        process = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(conf), "-g", _globals(prefix)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    nginx = Nginx(port, process, prefix / "error.log", access)
    try:
        _wait_listening(nginx)
        yield nginx
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
