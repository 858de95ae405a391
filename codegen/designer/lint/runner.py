"""Run the lint rules on one spec: checks → configuration → waivers → diagnostics.

Example: linting a spec whose ``POST /orders`` has no security, with the
default configuration, gives ``[Diagnostic("SF316", ERROR, "POST /orders is a
write without a security requirement; anyone can call it", <specs/x.yaml:9:5
#/paths/~1orders/post>, hint=<the rule's fix>)]``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from codegen.core.diagnostics import Diagnostic, sort_key
from codegen.core.spec.loader import LoadedSpec, load_spec
from codegen.designer.lint import waivers
from codegen.designer.lint.catalogue import RULES_BY_KEY
from codegen.designer.lint.config import LintConfig
from codegen.designer.lint.document import Document
from codegen.designer.lint.findings import Finding
from codegen.designer.lint.rules import CHECKS


def lint_loaded(loaded: LoadedSpec, config: LintConfig) -> list[Diagnostic]:
    """Every finding of every active rule that no waiver covers, sorted."""
    doc = Document(loaded)
    active = config.active
    findings = [f for check in CHECKS for f in check(doc) if f.rule in active]
    valid_waivers, invalid_waivers = waivers.collect(doc)
    kept, used = waivers.apply(findings, valid_waivers)
    kept += invalid_waivers + waivers.unused(valid_waivers, used, active)
    return sorted(_diagnostics(doc, kept, config), key=sort_key)


def lint_path(path: str | os.PathLike[str], config: LintConfig) -> list[Diagnostic]:
    """Load and lint one spec; the loader's own diagnostics come first."""
    loaded, diagnostics = load_spec(path)
    if loaded is None:
        return diagnostics
    return [*diagnostics, *lint_loaded(loaded, config)]


def _diagnostics(
    doc: Document, findings: Iterable[Finding], config: LintConfig
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple[str, str, str, str]] = set()
    for finding in findings:
        severity = config.severity_of(finding.rule)
        key = (finding.rule, finding.node.file.display, finding.node.pointer, finding.message)
        if severity is None or key in seen:
            continue
        seen.add(key)
        rule = RULES_BY_KEY[finding.rule]
        out.append(
            Diagnostic(rule.id, severity, finding.message, doc.locate(finding.node), rule.fix)
        )
    return out
