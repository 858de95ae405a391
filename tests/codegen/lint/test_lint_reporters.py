"""Lint reporters: text, JSON, SARIF 2.1.0 (validated structurally) and GitHub annotations."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from codegen.core.diagnostics import Diagnostic, Severity, SourceLocation
from codegen.designer.lint.catalogue import RULES
from codegen.designer.lint.reporters import (
    artifact_uri,
    render_github,
    render_json,
    render_sarif,
    render_text,
)

# The parts of the SARIF 2.1.0 schema (OASIS) that our output uses, with the
# constraints the standard puts on them.
SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {"$ref": "#/$defs/reportingDescriptor"},
                                    },
                                },
                            }
                        },
                    },
                    "results": {"type": "array", "items": {"$ref": "#/$defs/result"}},
                },
            },
        },
    },
    "$defs": {
        "message": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}},
        },
        "reportingDescriptor": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "shortDescription": {"$ref": "#/$defs/message"},
                "fullDescription": {"$ref": "#/$defs/message"},
                "help": {"$ref": "#/$defs/message"},
                "defaultConfiguration": {
                    "type": "object",
                    "properties": {
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "enabled": {"type": "boolean"},
                    },
                },
            },
        },
        "result": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "level": {"enum": ["none", "note", "warning", "error"]},
                "message": {"$ref": "#/$defs/message"},
                "locations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "physicalLocation": {
                                "type": "object",
                                "required": ["artifactLocation", "region"],
                                "properties": {
                                    "artifactLocation": {
                                        "type": "object",
                                        "required": ["uri"],
                                        "properties": {"uri": {"type": "string"}},
                                    },
                                    "region": {
                                        "type": "object",
                                        "properties": {
                                            "startLine": {"type": "integer", "minimum": 1},
                                            "startColumn": {"type": "integer", "minimum": 1},
                                        },
                                    },
                                },
                            },
                            "logicalLocations": {"type": "array"},
                        },
                    },
                },
            },
        },
    },
}

FINDINGS = [
    Diagnostic(
        "SF316",
        Severity.ERROR,
        "POST /orders is a write without a security requirement; anyone can call it",
        SourceLocation("specs/my orders.yaml", 9, 5, "/paths/~1orders/post"),
        "Add a `security` requirement.",
    ),
    Diagnostic(
        "SF304",
        Severity.WARNING,
        "GET /orders has no summary, 100% sure:\nreally",
        SourceLocation("specs/orders.yaml", 6, 5, "/paths/~1orders/get"),
        None,
    ),
    Diagnostic(
        "SF010",
        Severity.ERROR,
        "$ref 'x.yaml' cannot be loaded",
        SourceLocation("specs/orders.yaml", 3, 1, "/components/schemas/X/$ref"),
    ),
    Diagnostic(
        "SF321",
        Severity.INFO,
        "GET /orders has no description",
        SourceLocation("specs/orders.yaml", 6, 5, "/paths/~1orders/get"),
    ),
]


def test_sarif_is_structurally_valid_and_complete() -> None:
    log = json.loads(render_sarif(FINDINGS))
    jsonschema.Draft202012Validator(SARIF_SUBSET).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.id for rule in RULES]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("SF316", "error"),
        ("SF304", "warning"),
        ("SF010", "error"),
        ("SF321", "note"),
    ]
    for result in results:
        if "ruleIndex" in result:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert "ruleIndex" not in results[2]  # a loader diagnostic is not a lint rule
    location = results[0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "specs/my%20orders.yaml"
    assert location["physicalLocation"]["region"] == {"startLine": 9, "startColumn": 5}
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "#/paths/~1orders/post"


def test_github_annotations_escape_and_locate() -> None:
    lines = render_github(FINDINGS).splitlines()
    assert lines[0] == (
        "::error file=specs/my orders.yaml,line=9,col=5,title=SF316 write-security-missing::"
        "POST /orders is a write without a security requirement; anyone can call it "
        "[#/paths/~1orders/post] Fix: Add a `security` requirement."
    )
    assert lines[1] == (
        "::warning file=specs/orders.yaml,line=6,col=5,title=SF304 summary-missing::"
        "GET /orders has no summary, 100%25 sure:%0Areally [#/paths/~1orders/get]"
    )
    assert lines[2].startswith("::error file=specs/orders.yaml,line=3,col=1,title=SF010::")
    assert lines[3].startswith("::notice ")


def test_json_report_has_rule_names_and_locations() -> None:
    data = json.loads(render_json(FINDINGS[:1]))
    assert data == [
        {
            "code": "SF316",
            "rule": "write-security-missing",
            "severity": "error",
            "message": FINDINGS[0].message,
            "hint": "Add a `security` requirement.",
            "location": {
                "file": "specs/my orders.yaml",
                "line": 9,
                "column": 5,
                "pointer": "/paths/~1orders/post",
            },
        }
    ]


def test_text_report_ends_with_counts() -> None:
    text = render_text(FINDINGS)
    assert "specs/my orders.yaml:9:5 #/paths/~1orders/post: error SF316: POST /orders" in text
    assert text.splitlines()[-1] == "2 error(s), 1 warning(s)"


def test_sarif_uri_of_an_absolute_path_is_a_file_uri() -> None:
    assert artifact_uri("/tmp/my specs/a.yaml") == "file:///tmp/my%20specs/a.yaml"
    assert artifact_uri("specs/a.yaml") == "specs/a.yaml"


def test_github_escapes_commas_and_colons_in_properties() -> None:
    odd = Diagnostic(
        "SF304",
        Severity.WARNING,
        "x: y, z",
        SourceLocation("specs/a,b:c.yaml", 1, 2, ""),
    )
    assert render_github([odd]) == (
        "::warning file=specs/a%2Cb%3Ac.yaml,line=1,col=2,title=SF304 summary-missing::x: y, z [#]"
    )
