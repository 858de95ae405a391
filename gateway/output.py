"""Serialise the merged document deterministically, as JSON or YAML.

Key order is the composition's (already deterministic); JSON is indented
with a trailing newline; YAML goes through ruamel.yaml (the project's YAML
library) in block style.

Example: ``dump_document({"openapi": "3.1.0"}, "yaml")`` → ``"openapi: 3.1.0\\n"``.
"""

from __future__ import annotations

import io
import json
from typing import Any

from ruamel.yaml import YAML


def dump_document(document: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()
