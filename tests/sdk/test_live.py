"""End to end: the SDK generated from the merged spec, installed with pip
into a throwaway virtual environment, drives the reference services through
a live gateway (see ``live_scenario.py`` for the steps)."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from codegen.cli.commands.sdk import from_merged
from codegen.core.auth.defaults import DEV_API_KEY, DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DEV_JWT_SECRET
from codegen.generator.output import FileSet
from codegen.generator.sdk import render_sdk
from tests.sdk.conftest import LiveGateway

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(600)]
SCENARIO = Path(__file__).with_name("live_scenario.py")


def throwaway_venv(where: Path) -> Path:
    """A venv whose extra packages are this environment's (via a .pth file):
    offline, fast, and the SDK itself is installed for real by pip."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(purelib, "specfirst-deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python


def test_sdk_scenario_through_the_gateway(tmp_path: Path, live_gateway: LiveGateway) -> None:
    loaded = from_merged(live_gateway.project, None)
    out = tmp_path / "sdk"
    FileSet(out, render_sdk(loaded.api, loaded.source, "shop_client", "shop-client")).write()
    python = throwaway_venv(tmp_path / "venv")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    result = subprocess.run(
        [str(python), str(SCENARIO), "shop_client", live_gateway.url],
        cwd=tmp_path,
        env={
            "SDK_API_KEY": DEV_API_KEY,
            "SDK_JWT_SECRET": DEV_JWT_SECRET,
            "PATH": "/usr/bin",
            "SDK_JWT_ISSUER": DEV_JWT_ISSUER,
            "SDK_JWT_AUDIENCE": DEV_JWT_AUDIENCE,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    print(result.stdout)
    assert result.returncode == 0, (
        result.stdout + result.stderr + live_gateway.proc.output()[-3000:]
    )
    assert result.stdout.rstrip().endswith("SDK scenario passed")
    assert "caught NotFoundError: status 404" in result.stdout
    assert "caught UnprocessableEntityError (a ValidationError): status 422" in result.stdout
