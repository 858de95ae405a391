"""Validate HTTPRoutes against the Gateway API's own schema, offline after one install.

HTTPRoute is a CRD, so the Kubernetes API schemas in ``kubernetes-validate``
do not cover it. The npm package ``@kubernetes-models/gateway-api`` ships
validators compiled from the Gateway API CRDs' OpenAPI schemas (it ships no
plain JSON schema file to vendor); :func:`validate_http_routes` installs it
once through :func:`tests.support.npm.npm_package` (cached in ``.cache/npm``;
skips or, under ``SPECFIRST_REQUIRE_SERVICES=1``, fails where npm cannot
install it) and runs them with node on every route.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.support.npm import _unavailable, npm_package

PACKAGE = "@kubernetes-models/gateway-api"
VERSION = "2.0.0"

_SCRIPT = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [moduleFile, docsFile] = process.argv.slice(2);
const { HTTPRoute } = await import(pathToFileURL(moduleFile).href);
const results = JSON.parse(readFileSync(docsFile, "utf8")).map((doc) => {
  try { new HTTPRoute(doc).validate(); return null; }
  catch (error) { return String(error && error.message || error); }
});
console.log(JSON.stringify(results));
"""


def validate_http_routes(routes: list[dict[str, Any]], workdir: Path) -> list[str | None]:
    """One entry per route: ``None`` when valid, else the validator's message."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed; cannot run the Gateway API validators")
    package = npm_package(PACKAGE, VERSION)
    module = package / "gateway.networking.k8s.io" / "v1" / "HTTPRoute.js"
    script = workdir / "validate-httproute.mjs"
    script.write_text(_SCRIPT, encoding="utf-8")
    docs = workdir / "httproutes.json"
    docs.write_text(json.dumps(routes), encoding="utf-8")
    result = subprocess.run(
        [str(node), str(script), str(module), str(docs)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        raise AssertionError(f"the Gateway API validator failed to run: {result.stderr}")
    outcome: list[str | None] = json.loads(result.stdout)
    return outcome
