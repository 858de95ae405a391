"""Lint reporters: text, JSON, SARIF 2.1.0 and GitHub Actions annotations.

Each reporter is a pure function from sorted diagnostics to a string, listed in
:data:`REPORTERS` by its ``--format`` name. Diagnostics that are not lint rules
(loader errors such as SF010) are reported the same way, without rule metadata.

Example (``github``): a SF304 warning at specs/orders.yaml:12:5 becomes ``::warning
file=specs/orders.yaml,line=12,col=5,title=SF304 summary-missing::GET /orders has no summary``
(on one line).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePath
from urllib.parse import quote

from codegen.core.diagnostics import Diagnostic, Severity, render_text
from codegen.designer.lint.catalogue import RULES, RULES_BY_KEY

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
DOCS_URI = "docs/lint.md"


def _tool_version() -> str:
    try:
        return version("specfirst")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0"


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A JSON array: each finding with its rule name and location fields."""
    items = []
    for d in diagnostics:
        data = d.to_json()
        rule = RULES_BY_KEY.get(d.code)
        data["rule"] = rule.name if rule else None
        items.append(data)
    return json.dumps(items, indent=2, sort_keys=True)


def artifact_uri(file: str) -> str:
    """A SARIF artifact URI: relative paths stay relative (resolved against the
    repository by code scanning), absolute ones become ``file://`` URIs.

    Example: ``"specs/my orders.yaml"`` → ``"specs/my%20orders.yaml"``.
    """
    path = PurePath(file)
    if path.is_absolute():
        return Path(file).as_uri()
    return quote(path.as_posix())


def render_sarif(diagnostics: Sequence[Diagnostic]) -> str:
    """One SARIF 2.1.0 run; ``tool.driver.rules`` lists the whole catalogue."""
    index = {rule.id: n for n, rule in enumerate(RULES)}
    rules = [
        {
            "id": rule.id,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.reason},
            "help": {"text": f"{rule.fix} See {DOCS_URI}, {rule.id}."},
            "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity], "enabled": rule.enabled},
        }
        for rule in RULES
    ]
    results = []
    for d in diagnostics:
        result: dict[str, object] = {
            "ruleId": d.code,
            "level": SARIF_LEVELS[d.severity],
            "message": {"text": d.message + (f" ({d.hint})" if d.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(d.location.file)},
                        "region": {"startLine": d.location.line, "startColumn": d.location.column},
                    },
                    "logicalLocations": [
                        {"fullyQualifiedName": "#" + d.location.pointer, "kind": "member"}
                    ],
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "specfirst",
                        "version": _tool_version(),
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one annotation per finding."""
    lines = []
    for d in diagnostics:
        rule = RULES_BY_KEY.get(d.code)
        title = f"{d.code} {rule.name}" if rule else d.code
        props = ",".join(
            [
                f"file={_escape_property(d.location.file)}",
                f"line={d.location.line}",
                f"col={d.location.column}",
                f"title={_escape_property(title)}",
            ]
        )
        message = f"{d.message} [#{d.location.pointer}]"
        if d.hint:
            message += f" Fix: {d.hint}"
        lines.append(f"::{GITHUB_LEVELS[d.severity]} {props}::{_escape_data(message)}")
    return "\n".join(lines)


REPORTERS: dict[str, Callable[[Sequence[Diagnostic]], str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
}
