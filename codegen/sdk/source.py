"""Where an SDK's spec comes from: one service, the gateway's merged
document, or any spec file. Each gives the IR plus a label and hash for the
generated files' headers, and a default package name.

``--service orders`` -> ``specs/orders.yaml`` -> package ``orders_client``;
``--merged`` -> the gateway's composition of every spec (through
:func:`gateway.compose.load.compose_specs`, so the SDK matches what the
gateway serves) -> package ``<gateway title>_client``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from codegen import load_api
from codegen.console import UserError
from codegen.diagnostics import Diagnostic, Severity
from codegen.ir import names
from codegen.ir.model import Api
from codegen.sdk.render import Source
from gateway.compose.load import compose_specs, spec_files
from gateway.config import load_config
from gateway.output import dump_document


class SpecRejected(UserError):
    """The spec has findings that block generation (printed by the command)."""

    def __init__(self, label: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{label}: blocking errors; no SDK was generated", exit_code=1)
        self.diagnostics = diagnostics


@dataclass(frozen=True, slots=True)
class LoadedSource:
    api: Api
    source: Source
    default_package: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _display(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()


def _package(stem: str) -> str:
    return f"{names.identifier(stem, fallback='api')}_client".replace("__", "_")


def _load(path: str, label: str, sha256: str | None = None) -> tuple[Api, Source, list[Diagnostic]]:
    api, diagnostics = load_api(path)
    if api is None or any(d.severity is Severity.ERROR for d in diagnostics):
        raise SpecRejected(label, diagnostics)
    return api, Source(label, sha256 or api.source_sha256), diagnostics


def from_spec(path: Path) -> LoadedSource:
    """Any spec file."""
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    label = path.as_posix()
    api, source, found = _load(label, label)
    return LoadedSource(api, source, _package(path.stem), found)


def from_service(name: str, root: Path, specs: Path | None) -> LoadedSource:
    """The spec of service ``name`` (its file stem in the specs folder)."""
    config = load_config(root, specs)
    files = {path.stem: path for path in spec_files(config.specs_dir)}
    if name not in files:
        known = ", ".join(sorted(files)) or "none"
        raise UserError(f"no service {name!r} in {_display(config.specs_dir)} (services: {known})")
    label = _display(files[name])
    api, source, found = _load(label, label)
    return LoadedSource(api, source, _package(name), found)


def from_merged(root: Path, specs: Path | None) -> LoadedSource:
    """The gateway's merged document of every spec in the specs folder."""
    config = load_config(root, specs)
    composition = compose_specs(config)
    errors = [d for d in composition.diagnostics if d.severity is Severity.ERROR]
    label = f"{_display(config.specs_dir)}/ (merged)"
    if composition.document is None or errors:
        raise SpecRejected(label, composition.diagnostics)
    text = dump_document(composition.document, "json")
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with tempfile.TemporaryDirectory(prefix="specfirst-sdk-") as tmp:
        merged = Path(tmp) / "merged.json"
        merged.write_text(text, encoding="utf-8")
        api, source, found = _load(str(merged), label, sha256)
    return LoadedSource(api, source, _package(config.title), found)
