"""Get the schema drf-spectacular derives from a service's code, from the service itself.

``codegen`` never imports Django: it runs the service's own
``manage.py spectacular --format openapi-json`` in a subprocess (with a
throwaway SQLite database and the spec path set), exactly what the
service serves at ``/schema/derived.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from codegen.core.errors import UserError
from codegen.verify.contract.process import service_env
from codegen.verify.contract.targets import ServiceTarget

DERIVE_TIMEOUT = 180


def derived_schema(target: ServiceTarget) -> dict[str, Any]:
    """``manage.py spectacular`` output of ``target`` as a dict."""
    with tempfile.TemporaryDirectory(prefix=f"specfirst-drift-{target.name}-") as tmp:
        out = Path(tmp) / "derived.json"
        env = service_env(target, f"sqlite:///{Path(tmp) / 'drift.sqlite3'}", {})
        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "spectacular",
                "--format",
                "openapi-json",
                "--file",
                str(out),
            ],
            cwd=target.directory,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=DERIVE_TIMEOUT,
            check=False,
        )
        if result.returncode != 0 or not out.is_file():
            tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
            raise UserError(f"{target.name}: manage.py spectacular failed:\n{tail}")
        try:
            data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise UserError(
                f"{target.name}: manage.py spectacular wrote invalid JSON: {exc}"
            ) from None
        return data
