"""The nginx exporter without nginx: syntax helpers, errors, and the CLI's messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codegen.cli.app import app
from codegen.core.routing.kinds import schema_kind
from codegen.core.routing.regex import path_regex
from codegen.core.routing.templates import compile_path
from gateway.export.nginx import ExportError
from gateway.export.nginx_syntax import duration, json_text, quote
from tests.export.nginx_process import check_config, nginx_binary
from tests.export.project import write_project


@pytest.mark.parametrize(
    ("template", "schemas", "regex"),
    [
        ("/orders", {}, "^/orders$"),
        ("/a.b/{id}", {"id": {"type": "integer"}}, r"^/a\.b/-?[0-9]+$"),
        ("/k/{k}", {"k": {"enum": ["x+y", "b"]}}, r"^/k/(?:b|x\+y)$"),
        ("/f/{name}.{ext}", {}, r"^/f/[^/]+\.[^/]+$"),
        ("/u/{id}", {"id": {"type": "string", "format": "uuid"}},
         "^/u/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
    ],
)  # fmt: skip
def test_location_regex(template: str, schemas: dict[str, dict[str, object]], regex: str) -> None:
    kinds = {name: schema_kind(schema) for name, schema in schemas.items()}
    assert path_regex(compile_path(template, kinds)) == regex


def test_quote_survives_nginx_unescaping() -> None:
    # nginx turns \\ into \ and \" into " inside quoted strings.
    assert quote('^/a\\.b"$') == '"^/a\\\\.b\\"$"'


def test_json_text_never_lets_nginx_read_a_variable() -> None:
    assert json_text('say "$x"\n') == 'say \\"\\u0024x\\"\\u000a'


@pytest.mark.parametrize(("seconds", "text"), [(30.0, "30000ms"), (0.25, "250ms"), (0.0, "1ms")])
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_a_service_without_upstream_is_a_clear_error(tmp_path: Path) -> None:
    write_project(tmp_path, {"a": "http://127.0.0.1:1"}, {}, 1024)  # b, c, down: none
    result = CliRunner().invoke(
        app, ["export", "nginx", "--out", str(tmp_path / "x.conf"), "--root", str(tmp_path)]
    )
    assert isinstance(result.exception, ExportError) and result.exception.exit_code == 2
    assert str(result.exception) == (
        "no upstream URL for b, c, down; set [tool.specfirst.services.<name>] upstream = "
        '"http://host:port" or SPECFIRST_UPSTREAM_B, SPECFIRST_UPSTREAM_C, SPECFIRST_UPSTREAM_DOWN'
    )
    assert not (tmp_path / "x.conf").exists()


def test_prefix_and_base_path_become_a_rewrite(tmp_path: Path) -> None:
    urls = {"a": "http://127.0.0.1:1", "b": "http://127.0.0.1:2", "down": "http://127.0.0.1:4"}
    urls["c"] = "http://127.0.0.1:3/base"
    write_project(tmp_path, urls, {"c": "/legacy"}, 1024)
    out = tmp_path / "nginx.conf"
    result = CliRunner().invoke(
        app, ["export", "nginx", "--out", str(out), "--root", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert 'rewrite "^/legacy(/.*)$" "/base$1" break;' in text
    assert 'location = "/legacy/ping" {' in text


def test_config_file_is_deterministic(tmp_path: Path) -> None:
    urls = {n: f"http://127.0.0.1:{i + 1}" for i, n in enumerate(("a", "b", "c", "down"))}
    write_project(tmp_path, urls, {}, 1024)
    texts = []
    for seed in ("1", "2"):  # set and dict orders must not leak into the output
        out = tmp_path / f"nginx-{seed}.conf"
        subprocess.run(
            [sys.executable, "-c", "from codegen.cli.app import main; main()", "export", "nginx",
             "--out", str(out), "--root", str(tmp_path)],
            check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        texts.append(out.read_text())
    assert texts[0] == texts[1]


def test_the_gateways_limits_become_nginx_directives(tmp_path: Path) -> None:
    urls = {n: f"http://127.0.0.1:{i + 1}" for i, n in enumerate(("a", "b", "c", "down"))}
    write_project(tmp_path, urls, {}, 2048)
    with (tmp_path / "specfirst.toml").open("a", encoding="utf-8") as toml:
        toml.write(
            "[gateway.limits]\nheader_timeout = 7\nbody_timeout = 3.5\nkeepalive_timeout = 20\n"
            "header_line = 16000\nheader_bytes = 65536\n"
        )
    out = tmp_path / "nginx.conf"
    result = CliRunner().invoke(
        app, ["export", "nginx", "--out", str(out), "--root", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in out.read_text().splitlines()]
    assert "client_header_timeout 7000ms;" in lines
    assert "client_body_timeout 3500ms;" in lines
    assert "keepalive_timeout 20000ms;" in lines
    # one 16k buffer holds the longest line; four of them the whole 64 KiB of headers
    assert "large_client_header_buffers 4 16k;" in lines
    assert "client_max_body_size 2048;" in lines
    (tmp_path / "prefix").mkdir()
    checked = check_config(nginx_binary(), tmp_path / "prefix", out)
    assert checked.returncode == 0, checked.stderr
