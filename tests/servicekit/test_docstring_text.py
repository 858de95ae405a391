"""Spec text that lands in generated docstrings (operation summaries, schema
and body descriptions) cannot break the generated code: AWS WorkSpaces'
``D:\\Users\\%USERNAME%`` once became a ``\\U`` escape, a syntax error that
stopped generation of the whole spec."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from tests.servicekit.harness import generate_package

AWKWARD = 'the <code>D:\\Users\\%USERNAME%</code> folder, \\N{x}, """three quotes" and a last "'


def test_backslashes_and_quotes_in_spec_text_generate_valid_code(tmp_path: Path) -> None:
    schema = {"type": "object", "description": AWKWARD, "additionalProperties": False,
              "properties": {"name": {"type": "string"}}}  # fmt: skip
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Docs", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "migrateThing",
                    "summary": AWKWARD,
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
        "components": {"schemas": {"Thing": schema}},
    }
    path = tmp_path / "docs.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    package = generate_package(path, tmp_path, "sf_docstring_text")
    stubs = importlib.import_module(f"{package.__name__}.stubs")
    (group,) = [
        v for k, v in vars(stubs).items() if k.endswith("ViewSet") and hasattr(v, "migrate_thing")
    ]
    assert "D:\\Users\\%USERNAME%" in (group.migrate_thing.__doc__ or "")
