"""Configuration loading and the merge / routes commands."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from openapi_spec_validator import validate
from ruamel.yaml import YAML
from typer.testing import CliRunner

from codegen.core.limits import DEFAULT_LIMITS
from codegen.core.project import ConfigError
from codegen.core.running import RunningSystem, record_path, remove_record, write_record
from codegen.core.strictness import DEFAULT_POLICY, QueryPolicy
from gateway.__main__ import app
from gateway.config import load_config, parse_api_keys_env, upstream_env_var
from tests.conftest import REPO_ROOT

SPEC = """
openapi: 3.0.3
info: {title: shop, version: "1"}
security: [{key: []}]
paths:
  /items/{id}:
    get:
      operationId: getItem
      x-specfirst-timeout: 500ms
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
"""


def project(root: Path, toml: str = "", spec: str = SPEC) -> Path:
    (root / "specs").mkdir(parents=True, exist_ok=True)
    (root / "specs" / "shop.yaml").write_text(textwrap.dedent(spec).lstrip())
    if toml:
        (root / "specfirst.toml").write_text(textwrap.dedent(toml).lstrip())
    return root


def test_defaults_without_any_configuration(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.specs_dir == tmp_path / "specs"
    assert config.service("orders").upstream is None
    assert (config.timeout, config.body_limit, config.rate_limit.enabled) == (30.0, 10485760, False)


def test_the_query_policy_is_the_projects(tmp_path: Path) -> None:
    assert load_config(tmp_path).query_policy == DEFAULT_POLICY
    (tmp_path / "specfirst.toml").write_text('[validation]\nunknown_query = "ignore"\n')
    assert load_config(tmp_path).query_policy == QueryPolicy(unknown_query="ignore")
    (tmp_path / "specfirst.toml").write_text('[validation]\nunknown_query = "drop"\n')
    with pytest.raises(ConfigError, match="unknown_query must be one of"):
        load_config(tmp_path)


def test_pyproject_section_and_environment_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst.services.orders-v2]\nupstream = "http://127.0.0.1:9/"\nprefix = "/o/"\n'
        '[tool.specfirst.gateway]\ntimeout = 2\n'
    )  # fmt: skip
    config = load_config(tmp_path)
    assert config.service("orders-v2").upstream == "http://127.0.0.1:9"
    assert config.service("orders-v2").prefix == "/o"
    assert config.timeout == 2.0
    monkeypatch.setenv(upstream_env_var("orders-v2"), "http://10.1.2.3:8000")
    assert upstream_env_var("orders-v2") == "SPECFIRST_UPSTREAM_ORDERS_V2"
    assert load_config(tmp_path).service("orders-v2").upstream == "http://10.1.2.3:8000"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[services.a]\nupstream = "ftp://x"\n',
            "services.a.upstream: upstream must be an http(s) URL",
        ),
        (
            '[services.a]\nprefix = "shop"\n',
            "services.a.prefix must be a literal path like '/orders'",
        ),
        (
            '[services.a]\nclients = ["b", 3]\n',
            "services.a.clients must be a list of service names, got ['b', 3]",
        ),
        ("[gateway]\ntimeout = -1\n", "gateway setting 'timeout' must be a non-negative number"),
        ("[gateway]\nauth = 3\n", "[gateway.auth] must be a table, got int"),
        (
            '[gateway]\nreadiness_details = "yes"\n',
            "gateway setting 'readiness_details' must be true or false, got 'yes'",
        ),
        ("[gateway\n", "cannot read configuration"),
        ("[gateway.limits]\nheader_count = 0\n",
         "gateway setting 'header_count' must be a whole number above 0"),
        ("[gateway.limits]\nbody_limit = 5\n",
         "the body limit is [gateway] body_limit, not [gateway.limits]"),
        ("[gateway.limits]\nheader_time = 5\n",
         "[gateway.limits] has unknown settings ['header_time']"),
    ],
)  # fmt: skip
def test_bad_configuration_is_a_clear_error(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "specfirst.toml").write_text(toml)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(tmp_path)


def test_limits_default_to_the_shared_ones_and_can_be_set(tmp_path: Path) -> None:
    assert load_config(tmp_path).limits == DEFAULT_LIMITS
    (tmp_path / "specfirst.toml").write_text(
        "[gateway]\nbody_limit = 1024\n[gateway.limits]\nheader_timeout = 2.5\n"
    )
    limits = load_config(tmp_path).limits
    assert (limits.body_limit, limits.header_timeout) == (1024, 2.5)
    assert limits.request_line == DEFAULT_LIMITS.request_line


def test_api_keys_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    keys = parse_api_keys_env("ci=s1:orders:read orders:write, bot=s2")
    assert [(k.subject, k.scopes) for k in keys] == [
        ("ci", ("orders:read", "orders:write")),
        ("bot", ()),
    ]
    with pytest.raises(ConfigError, match="is not subject=key"):
        parse_api_keys_env("justakey")
    (tmp_path / "specfirst.toml").write_text(
        '[gateway.auth]\napi_keys = [{subject = "dev", key = "dev-key"}]\n'
    )
    assert [k.subject for k in load_config(tmp_path).auth.api_keys] == ["dev"]
    monkeypatch.setenv("SPECFIRST_API_KEYS", "plain-1,plain-2")
    subjects = [k.subject for k in load_config(tmp_path).auth.api_keys]
    assert len(subjects) == 2 and all(s.startswith("key-") for s in subjects)


runner = CliRunner()


def test_merge_writes_json_and_yaml_deterministically(tmp_path: Path) -> None:
    root = project(tmp_path)
    first = runner.invoke(app, ["merge", "--root", str(root), "--specs", str(root / "specs")])
    assert first.exit_code == 0, first.output
    document = json.loads(first.stdout)
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["paths"]["/items/{id}"]["get"]["security"] == [{"key": []}]
    again = runner.invoke(app, ["merge", "--root", str(root), "--specs", str(root / "specs")])
    assert again.stdout == first.stdout
    out = tmp_path / "out" / "merged.yaml"
    result = runner.invoke(app, ["merge", "--root", str(root), "--specs", str(root / "specs"),
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0
    assert YAML(typ="safe").load(out.read_text()) == document


def test_routes_as_text_and_json(tmp_path: Path) -> None:
    root = project(tmp_path, '[services.shop]\nupstream = "http://127.0.0.1:8123"\n')
    args = ["--root", str(root), "--specs", str(root / "specs")]
    text = runner.invoke(app, ["routes", *args])
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines() == [
        "METHOD  PATH         SERVICE  OPERATION  UPSTREAM                          TIMEOUT  AUTH",
        "GET     /items/{id}  shop     getItem    http://127.0.0.1:8123/items/{id}  0.5s     key",
        "upstreams: as configured (no running `specfirst up` under this root)",
    ]
    rows = json.loads(runner.invoke(app, ["routes", "--format", "json", *args]).stdout)
    spec_display = Path(os.path.relpath(root / "specs" / "shop.yaml")).as_posix()
    assert rows == [
        {
            "method": "GET",
            "path": "/items/{id}",
            "service": "shop",
            "operationId": "getItem",
            "upstream": "http://127.0.0.1:8123/items/{id}",
            "timeout": 0.5,
            "security": [{"key": []}],
            "spec": f"{spec_display}#/paths/~1items~1{{id}}/get",
            "upstream_source": "configured",
        }
    ]


def test_routes_show_the_running_systems_upstreams(tmp_path: Path) -> None:
    root = project(tmp_path, '[services.shop]\nupstream = "http://127.0.0.1:8123"\n')
    args = ["--root", str(root), "--specs", str(root / "specs")]
    # This test process stands in for a running `specfirst up` (its pid is alive).
    write_record(root, RunningSystem(os.getpid(), None, {"shop": "http://127.0.0.1:40123"}))
    text = runner.invoke(app, ["routes", *args]).stdout.splitlines()
    assert "http://127.0.0.1:40123/items/{id}" in text[1]
    assert text[-1] == f"upstreams: the running system's (specfirst up, pid {os.getpid()})"
    rows = json.loads(runner.invoke(app, ["routes", "--format", "json", *args]).stdout)
    assert rows[0]["upstream"] == "http://127.0.0.1:40123/items/{id}"
    assert rows[0]["upstream_source"] == "running"
    # A record left by a process that is gone (killed without cleaning up) is ignored.
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    write_record(root, RunningSystem(int(gone.stdout), None, {"shop": "http://127.0.0.1:1"}))
    text = runner.invoke(app, ["routes", *args]).stdout.splitlines()
    assert "http://127.0.0.1:8123/items/{id}" in text[1]
    assert text[-1].startswith("upstreams: as configured")
    remove_record(root, int(gone.stdout))
    assert not record_path(root).exists()


def test_composition_errors_exit_1_with_the_report(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "specs" / "copy.yaml").write_text((root / "specs" / "shop.yaml").read_text())
    result = runner.invoke(app, ["routes", "--root", str(root), "--specs", str(root / "specs")])
    assert result.exit_code == 1
    assert "error SF501: GET /items/{id} is declared by" in result.output
    assert "error SF503: operationId 'getItem'" not in result.output  # one report per clash


def test_the_repository_specs_compose_into_a_valid_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    result = runner.invoke(app, ["merge"])
    assert result.exit_code == 0, result.output
    validate(json.loads(result.stdout))
