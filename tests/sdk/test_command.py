"""``specfirst sdk``: option handling, deterministic output across processes
and hash seeds, and ``--check`` listing stale and orphan files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codegen.cli.app import app
from codegen.core.errors import UserError
from tests.conftest import REPO_ROOT
from tests.sdk.support import PETS_SPEC

runner = CliRunner()


@pytest.fixture
def pets_spec(write_spec: Callable[..., Path]) -> Path:
    return write_spec(PETS_SPEC, "pets.yaml")


def _tree(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _specfirst(args: list[str], seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    command = [sys.executable, "-c", "from codegen.cli.app import main; main()", *args]
    result = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("source", ["--spec", "--merged"])
def test_output_is_byte_identical_across_hash_seeds(
    source: str, pets_spec: Path, tmp_path: Path
) -> None:
    args = ["--spec", str(pets_spec)] if source == "--spec" else ["--merged"]
    _specfirst(["sdk", *args, "--out", str(tmp_path / "a"), "--package", "api"], "1")
    _specfirst(["sdk", *args, "--out", str(tmp_path / "b"), "--package", "api"], "4242")
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert len(first) == 11
    assert first == second


def test_check_lists_stale_and_orphan_files(pets_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    args = ["sdk", "--spec", str(pets_spec), "--out", str(out), "--package", "pets"]
    assert runner.invoke(app, args).exit_code == 0
    clean = runner.invoke(app, [*args, "--check"])
    assert clean.exit_code == 0, clean.output
    assert f"up to date: {out}" in clean.output

    (out / "pets" / "client.py").write_text("# edited\n", encoding="utf-8")
    (out / "pets" / "extra.py").write_text("", encoding="utf-8")
    (out / "build" / "lib").mkdir(parents=True)  # pip's build artifacts are ignored
    (out / "build" / "lib" / "x.py").write_text("", encoding="utf-8")
    (out / ".ruff_cache").mkdir()
    (out / ".ruff_cache" / "CACHEDIR.TAG").write_text("", encoding="utf-8")
    stale = runner.invoke(app, [*args, "--check"])
    assert stale.exit_code == 1
    assert f"stale: {out / 'pets' / 'client.py'}" in stale.output
    assert f"orphan: {out / 'pets' / 'extra.py'}" in stale.output
    assert "build" not in stale.output.replace(str(tmp_path), "")
    assert ".ruff_cache" not in stale.output

    assert runner.invoke(app, args).exit_code == 0  # regenerating repairs it
    assert runner.invoke(app, [*args, "--check"]).exit_code == 0
    assert not (out / "pets" / "extra.py").exists()


def test_exactly_one_source_is_required(pets_spec: Path, tmp_path: Path) -> None:
    both = runner.invoke(app, ["sdk", "--merged", "--spec", str(pets_spec), "--out", "x"])
    assert isinstance(both.exception, UserError) and both.exception.exit_code == 2
    assert "give exactly one of --service NAME, --merged or --spec PATH" in str(both.exception)


def test_refuses_a_directory_it_does_not_own(pets_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["sdk", "--spec", str(pets_spec), "--out", str(out)])
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 2
    assert "does not hold a generated SDK" in str(result.exception)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_unknown_service_names_the_known_ones(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["sdk", "--service", "nope", "--out", str(tmp_path / "x"), "--root", str(REPO_ROOT)]
    )
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 2
    assert "no service 'nope'" in str(result.exception)
    assert "catalog" in str(result.exception)


def test_service_default_package_name(tmp_path: Path) -> None:
    out = tmp_path / "orders"
    args = ["sdk", "--service", "orders", "--out", str(out), "--root", str(REPO_ROOT)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (out / "orders_client" / "client.py").is_file()
    header = (out / "orders_client" / "client.py").read_text(encoding="utf-8").splitlines()[0]
    assert "from specs/orders.yaml (sha256:" in header or "orders.yaml (sha256:" in header


def test_blocking_spec_errors_exit_1(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    spec = write_spec("openapi: 3.1.0\ninfo: {title: T}\npaths: {}\n", "bad.yaml")
    result = runner.invoke(app, ["sdk", "--spec", str(spec), "--out", str(tmp_path / "x")])
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 1
    assert "bad.yaml: blocking errors; no SDK was generated" in str(result.exception)
    assert "SF1" in result.output  # the findings are printed
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("package", ["Shop", "shop-client", "class", "1shop"])
def test_package_must_be_a_lower_case_identifier(
    package: str, pets_spec: Path, tmp_path: Path
) -> None:
    args = ["sdk", "--spec", str(pets_spec), "--out", str(tmp_path / "x"), "--package", package]
    result = runner.invoke(app, args)
    assert isinstance(result.exception, UserError)
    assert str(result.exception) == f"--package {package!r} is not a lower-case Python package name"
    assert not (tmp_path / "x").exists()
