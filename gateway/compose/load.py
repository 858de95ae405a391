"""Find and load every spec in the specs folder through the project loader.

Every ``*.yaml``, ``*.yml`` and ``*.json`` directly inside the folder is one
service, named after its file stem (fragments reached through ``$ref`` live
in sub-folders). Each is loaded with :func:`codegen.core.spec.loader.load_spec`
and made self-contained with :func:`codegen.core.spec.bundle.bundle`; loader
diagnostics pass through unchanged, and a spec that cannot be loaded is left
out (its errors stop composition).

Example: ``specs/orders.yaml`` → ``SourceSpec(service=ServiceConfig("orders", ...),
display="specs/orders.yaml", document={...bundled...})``.
"""

from __future__ import annotations

import os
from pathlib import Path

from codegen.core.diagnostics import Diagnostic, Severity, SourceLocation
from codegen.core.project import spec_files
from codegen.core.spec.bundle import bundle
from codegen.core.spec.loader import LoadedSpec, load_spec
from gateway.compose.merge import Composition, compose
from gateway.compose.source import SourceSpec
from gateway.config import GatewayConfig


def _display(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return path.as_posix()


def _source(loaded: LoadedSpec, config: GatewayConfig, name: str) -> SourceSpec:
    root = loaded.root

    def locate(pointer: str) -> SourceLocation:
        return loaded.locate(root, pointer)

    return SourceSpec(config.service(name), root.display, bundle(loaded), locate)


def load_sources(config: GatewayConfig) -> tuple[list[SourceSpec], list[Diagnostic]]:
    """Load every spec of ``config.specs_dir``; (sources, loader diagnostics)."""
    sources: list[SourceSpec] = []
    diagnostics: list[Diagnostic] = []
    files = spec_files(config.specs_dir)
    if not files:
        where = _display(config.specs_dir, Path.cwd())
        diagnostics.append(
            Diagnostic(
                "SF500",
                Severity.ERROR,
                f"no OpenAPI specs (*.yaml, *.yml, *.json) found in {where}",
                SourceLocation(where, 1, 1, ""),
                hint="put one spec per service in the specs folder or pass --specs",
            )
        )
    for path in files:
        loaded, found = load_spec(_display(path, Path.cwd()))
        diagnostics.extend(found)
        if loaded is not None:
            sources.append(_source(loaded, config, path.stem))
    return sources, diagnostics


def compose_specs(config: GatewayConfig) -> Composition:
    """Load and compose every spec; loader errors make the composition fail."""
    sources, diagnostics = load_sources(config)
    composition = compose(
        sources,
        title=config.title,
        version=config.version,
        rate_limited=config.rate_limit.enabled,
    )
    composition.diagnostics[:0] = diagnostics
    if any(d.severity is Severity.ERROR for d in diagnostics):
        composition.document = None
    return composition
