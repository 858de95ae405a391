"""The merged spec through two generators client teams already use:
openapi-python-client (PyPI) and openapi-typescript (npm). Neither may
report an error or a warning about the spec; the Python client makes one
call through a live gateway, and the TypeScript output type-checks with tsc.

When a generator complains, the complaint is printed in full and the test
fails: the fix belongs in the spec or the merge, never in this check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from codegen.core.errors import UserError
from codegen.generator.output import _ruff
from gateway.compose.load import compose_specs
from gateway.config import load_config
from gateway.output import dump_document
from tests.conftest import REPO_ROOT
from tests.sdk.conftest import LiveGateway
from tests.sdk.tools import python_tool
from tests.support.npm import npm_package

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

OPENAPI_PYTHON_CLIENT = "0.29.1"
OPENAPI_TYPESCRIPT = "7.13.0"
TYPESCRIPT = "5.9.3"


def merged_spec(root: Path, target: Path) -> Path:
    composition = compose_specs(load_config(root))
    if composition.document is None:
        raise UserError("the reference specs do not compose")
    target.write_text(dump_document(composition.document, "json"), encoding="utf-8")
    return target


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # openapi-python-client formats its output with ruff post-hooks: ours is on PATH
    path = os.pathsep.join([str(Path(_ruff()).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def _python_client(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    tool = python_tool("openapi-python-client", OPENAPI_PYTHON_CLIENT)
    command = [str(tool / "openapi-python-client"), "generate", "--path", str(spec)]
    return _run([*command, "--output-path", str(out), "--overwrite"], spec.parent)


def test_openapi_python_client_accepts_the_merged_spec(tmp_path: Path) -> None:
    result = _python_client(merged_spec(REPO_ROOT, tmp_path / "openapi.json"), tmp_path / "c")
    said = result.stdout + result.stderr
    print(said)
    assert result.returncode == 0, said
    assert "Warning" not in said and "Error" not in said, said
    assert (tmp_path / "c" / "pyproject.toml").is_file()


@pytest.mark.e2e
def test_openapi_python_client_calls_through_the_gateway(
    tmp_path: Path, live_gateway: LiveGateway
) -> None:
    spec = merged_spec(live_gateway.project, tmp_path / "openapi.json")
    out = tmp_path / "client"
    generated = _python_client(spec, out)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    package = next(p.name for p in out.iterdir() if (p / "client.py").is_file())
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(out)!r})
        from {package} import Client
        from {package}.api.products import list_products

        client = Client(base_url={live_gateway.url!r})
        response = list_products.sync_detailed(client=client, limit=2)
        print(response.status_code, type(response.parsed).__name__)
        assert response.status_code == 200, response.content
        print("items on the page:", len(response.parsed.items))
        """
    )
    python = python_tool("openapi-python-client", OPENAPI_PYTHON_CLIENT) / "python"
    result = _run([str(python), "-c", script], tmp_path)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("200 ProductPage")


def test_openapi_typescript_output_type_checks(tmp_path: Path) -> None:
    spec = merged_spec(REPO_ROOT, tmp_path / "openapi.json")
    generator = npm_package("openapi-typescript", OPENAPI_TYPESCRIPT)
    compiler = npm_package("typescript", TYPESCRIPT)
    node = shutil.which("node")
    assert node is not None
    schema = tmp_path / "schema.d.ts"
    result = _run([node, str(generator / "bin" / "cli.js"), str(spec), "-o", str(schema)], tmp_path)
    said = result.stdout + result.stderr
    print(said)
    assert result.returncode == 0, said
    assert "warn" not in said.lower() and "error" not in said.lower(), said
    (tmp_path / "use.ts").write_text(
        textwrap.dedent(
            """
            import type { components, operations, paths } from "./schema";

            type Product = components["schemas"]["Product"];
            type Page = paths["/products"]["get"]["responses"][200]["content"]["application/json"];
            type PlaceOrder = operations["placeOrder"];

            export const first = (page: Page): Product | undefined => page.items[0];
            export const body = (order: PlaceOrder): unknown => order.requestBody;
            """
        ),
        encoding="utf-8",
    )
    tsc = _run(
        [node, str(compiler / "bin" / "tsc"), "--noEmit", "--strict", "schema.d.ts", "use.ts"],
        tmp_path,
    )
    assert tsc.returncode == 0, tsc.stdout + tsc.stderr
