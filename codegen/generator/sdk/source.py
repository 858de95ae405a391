"""Where an SDK's spec comes from: one service, any spec file, or a document given
as text. Each gives the IR plus a label and hash for the generated files' headers,
and a default package name.

``--service orders`` -> ``specs/orders.yaml`` -> package ``orders_client``;
``--merged`` -> the gateway's composition of every spec, which the CLI composes
(:func:`codegen.cli.commands.sdk.from_merged`, so the SDK matches what the gateway
serves) and hands over as text to :func:`from_document` -> package
``<gateway title>_client``. The generator itself never imports the gateway.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from codegen.core import load_api
from codegen.core.changelog import read_changelog
from codegen.core.diagnostics import Diagnostic, Severity
from codegen.core.errors import UserError
from codegen.core.ir import names
from codegen.core.ir.model import Api
from codegen.core.project import read_specfirst_table, spec_files, specs_dir
from codegen.generator.sdk.render import Source


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
    changelog: str | None = None  # the spec's CHANGELOG.md (codegen.core.changelog)


def display_path(path: Path) -> str:
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
    return LoadedSource(api, source, _package(path.stem), found, read_changelog(path))


def from_service(name: str, root: Path, specs: Path | None) -> LoadedSource:
    """The spec of service ``name`` (its file stem in the specs folder)."""
    table, _ = read_specfirst_table(root)
    folder = specs_dir(root, table, specs)
    files = {path.stem: path for path in spec_files(folder)}
    if name not in files:
        known = ", ".join(sorted(files)) or "none"
        raise UserError(f"no service {name!r} in {display_path(folder)} (services: {known})")
    label = display_path(files[name])
    api, source, found = _load(label, label)
    return LoadedSource(api, source, _package(name), found, read_changelog(files[name]))


def from_document(text: str, label: str, stem: str) -> LoadedSource:
    """A JSON document given as ``text`` (hashed as given), named ``label`` in the
    headers, with package ``<stem>_client`` by default."""
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with tempfile.TemporaryDirectory(prefix="specfirst-sdk-") as tmp:
        document = Path(tmp) / "document.json"
        document.write_text(text, encoding="utf-8")
        api, source, found = _load(str(document), label, sha256)
    return LoadedSource(api, source, _package(stem), found)
