"""End to end: traffic through a real gateway (two workers, Redis) in front of the
real services, ``specfirst usage export``, then ``specfirst diff --usage`` on a
change that breaks a used and an unused parameter and body property."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from codegen.core.auth.defaults import DEV_JWT_SECRET
from tests.conftest import REPO_ROOT
from tests.e2e.system import SERVICES, running_system
from tests.security.system import start_gateway_process

pytestmark = [pytest.mark.e2e, pytest.mark.redis, pytest.mark.timeout(300)]

KEYS = {"web": "usage-key-web", "ios": "usage-key-ios"}
FLUSH = 0.3


def specfirst(*args: str, root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("specfirst")), *args]
    return subprocess.run(
        command,
        cwd=root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def send_traffic(url: str) -> None:
    with httpx.Client(base_url=url, timeout=10) as http:
        for sort in ("name", "-price", "name", "price", "-name", "name"):
            assert http.get("/products", params={"sort": sort, "limit": 5}).status_code == 200
        assert http.get("/products", params={"status": "active"}).status_code == 200
        web = {"X-API-Key": KEYS["web"]}
        ios = {"X-API-Key": KEYS["ios"]}
        category = http.post("/categories", json={"name": "Mugs", "slug": "mugs"}, headers=web)
        assert category.status_code == 201, category.text
        category_id = category.json()["id"]
        for index, headers in enumerate((web, web, ios)):
            body = {
                "sku": f"MUG-{uuid.uuid4().hex[:6].upper()}",
                "name": f"Mug {index}",
                "category_id": category_id,
                "price": "4.50",
                "currency": "EUR",
                "stock": 3,
                "status": "active",
            }
            created = http.post("/products", json=body, headers=headers)
            assert created.status_code == 201, created.text


def breaking_copy(tmp: Path, edits: list[tuple[str, str]]) -> Path:
    """specs/ copied with ``edits`` (old text, new text) applied to catalog.yaml."""
    target = tmp / f"new-{uuid.uuid4().hex[:6]}"
    shutil.copytree(REPO_ROOT / "specs", target)
    spec = target / "catalog.yaml"
    text = spec.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    spec.write_text(text, encoding="utf-8")
    return spec


# `sort` (sent by every listProducts call) loses an enum value; `q` (never sent) a
# longer maxLength; the request property `name` (in every body) and `description`
# (in none) each a longer maxLength. All four are breaking (SF435, SF433).
USED_SORT = (
    "enum: [name, -name, price, -price, created_at, -created_at]",
    "enum: [name, -name, price, -price]",
)
UNUSED_Q = (
    "SKU.\n          schema:\n            type: string\n            pattern: '^[^\\u0000]*$'\n"
    "            minLength: 1\n            maxLength: 100",
    "SKU.\n          schema:\n            type: string\n            pattern: '^[^\\u0000]*$'\n"
    "            minLength: 1\n            maxLength: 50",
)
USED_NAME = (
    "          minLength: 1\n          maxLength: 200\n          examples: [Red mug]",
    "          minLength: 1\n          maxLength: 100\n          examples: [Red mug]",
)
UNUSED_DESCRIPTION = (
    "          maxLength: 5000\n          default: ''",
    "          maxLength: 1000\n          default: ''",
)


def verdicts(output: str) -> dict[str, dict[str, Any]]:
    changes = json.loads(output)["changes"]
    return {c["message"]: c["traffic"] for c in changes if c["level"] == "breaking"}


def record_and_export(tmp_path: Path, redis_url: str, prefix: str) -> Path:
    """Traffic through the gateway, then ``specfirst usage export``; the gateway root."""
    databases = {name: f"sqlite:///{tmp_path / f'{name}.sqlite3'}" for name in SERVICES}
    settings = {
        "auth": {"jwt_secret": DEV_JWT_SECRET},
        "usage": {"enabled": True, "flush_interval": FLUSH, "redis_prefix": prefix},
    }
    keys = ",".join(f"{client}={key}" for client, key in KEYS.items())
    with running_system(tmp_path, databases) as system:
        env = {
            **{f"SPECFIRST_UPSTREAM_{n.upper()}": system.url(n) for n in SERVICES},
            "REDIS_URL": redis_url,
            "SPECFIRST_GATEWAY_API_KEYS": keys,
            "SPECFIRST_API_KEYS": ",".join(KEYS.values()),
        }
        gateway = start_gateway_process(tmp_path / "gateway", settings, env, 2)
        try:
            send_traffic(gateway.url)
            time.sleep(FLUSH * 4)
        finally:
            gateway.stop()  # a stopping worker flushes what it still holds
    root = tmp_path / "gateway"
    exported = specfirst(
        "usage",
        "export",
        "--since",
        "1d",
        "--out",
        "usage.json",
        root=root,
        env={"REDIS_URL": redis_url},
    )
    assert exported.returncode == 0, exported.stderr
    return root


def check_snapshot(root: Path) -> None:
    snapshot = json.loads((root / "usage.json").read_text())
    assert snapshot["format"] == "specfirst-usage" and snapshot["version"] == 1
    ops = {(o["method"], o["path"]): o for o in snapshot["operations"]}
    listing = ops[("GET", "/products")]
    assert listing["requests"] == 7 and listing["query"]["sort"]["requests"] == 6
    assert listing["query"]["limit"]["requests"] == 6 and "q" not in listing["query"]
    creating = ops[("POST", "/products")]
    assert creating["clients"] == {"ios": 1, "web": 2}
    assert creating["body"]["/name"]["clients"] == {"ios": 1, "web": 2}
    assert "/description" not in creating["body"]
    assert creating["statuses"] == {"201": 3} and creating["media"]["application/json"]


def check_verdicts(tmp_path: Path, root: Path) -> None:
    old = REPO_ROOT / "specs" / "catalog.yaml"
    new = breaking_copy(tmp_path, [USED_SORT, UNUSED_Q, USED_NAME, UNUSED_DESCRIPTION])
    args = ["diff", str(old), str(new), "--usage", "usage.json", "--format", "json"]
    judged = specfirst(*args, "--fail-on", "used-breaking", root=root, env={})
    assert judged.returncode == 1, judged.stderr
    found = verdicts(judged.stdout)
    sort = found[
        'GET /products: query parameter \'sort\': enum value(s) "-created_at", "created_at" removed'
    ]
    assert sort["verdict"] == "used" and sort["requests"] == 6 and sort["clients"] == 0
    assert (
        found["GET /products: query parameter 'q': maxLength lowered from 100 to 50"]["text"]
        == "unused in 1 day"
    )
    name = found[
        "POST /products request body (application/json) name: maxLength lowered from 200 to 100"
    ]
    assert name["text"] == "used by 3 requests from 2 clients in the last 1 day"
    description = [t for m, t in found.items() if "description: maxLength" in m]
    assert description and all(t["verdict"] == "unused" for t in description)


def check_unused_only(tmp_path: Path, root: Path) -> None:
    old = REPO_ROOT / "specs" / "catalog.yaml"
    unused_only = breaking_copy(tmp_path, [UNUSED_Q, UNUSED_DESCRIPTION])
    args = ["diff", str(old), str(unused_only), "--usage", "usage.json"]
    passing = specfirst(*args, "--fail-on", "used-breaking", root=root, env={})
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "traffic: unused in 1 day" in passing.stdout
    strict = specfirst(*args, "--fail-on", "breaking", root=root, env={})
    assert strict.returncode == 1

    markdown = specfirst(*args, "--format", "markdown", root=root, env={})
    assert "### Breaking changes without traffic in 1 day (3)" in markdown.stdout
    assert "with live traffic" not in markdown.stdout


def test_breaking_changes_are_judged_by_live_traffic(tmp_path: Path, redis_url: str) -> None:
    prefix = f"specfirst:test:usage:{uuid.uuid4().hex[:8]}:"
    try:
        root = record_and_export(tmp_path, redis_url, prefix)
        check_snapshot(root)
        check_verdicts(tmp_path, root)
        check_unused_only(tmp_path, root)
    finally:
        client = redis.Redis.from_url(redis_url)
        keys_found = list(client.scan_iter(match=prefix + "*"))
        if keys_found:
            client.delete(*keys_found)
        client.close()
