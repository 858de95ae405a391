"""IR -> the generated Django/DRF package, as ``{relative path: text}``.

Pure: no disk access, no formatting (``codegen.generator.output`` runs ruff format).
The same IR always gives the same text, whatever the hash seed.

``render_drf(api)`` -> ``{"__init__.py": ..., "schemas.py": ...,
"serializers.py": ..., "bodies.py": ..., "replies.py": ..., "operations.py": ...,
"stubs.py": ...,
"urls.py": ...}``
(plus ``apps.py`` with ``app=True``, for a standalone Django app).
"""

from __future__ import annotations

from typing import Any

from codegen.core.ir.model import Api
from codegen.core.jsonschema.from_ir import to_json_schema
from codegen.generator.render.annotations import modules_used
from codegen.generator.render.context import group_contexts, route_contexts, serializer_context
from codegen.generator.render.environment import environment
from codegen.generator.render.literals import json_text, py_literal, uses_decimal
from codegen.generator.render.records import bodies_context
from codegen.generator.render.replies import MODEL, replies_context


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def render_drf(api: Api, *, app: bool = False) -> dict[str, str]:
    """Render every generated module of ``api`` (unformatted source text)."""
    common = {"source_file": api.source_file, "sha256": api.source_sha256}
    schemas = {name: to_json_schema(schema) for name, schema in sorted(api.schemas.items())}
    serializers = [serializer_context(api.schemas[name], api) for name in sorted(api.schemas)]
    bodies = bodies_context(api)
    replies = replies_context(api)
    groups = group_contexts(api)
    operations = [op for group in groups for op in group.operations]
    serializer_text = "\n".join(repr(s) for s in serializers)
    body_texts = [m.annotation for r in bodies.records for m in r.members]
    uses_typing = bool(bodies.unions) or "typing as t" in modules_used(body_texts)
    operations_text = "\n".join(op.declaration for op in operations)
    builds = [text for op in operations for text in op.body_builds]
    stub_annotations = [arg.annotation for op in operations for arg in op.args] + [
        text for op in operations for text in (op.body_annotation or "", op.reply_type)
    ]
    files = {
        "__init__.py": _render(
            "__init__.py.jinja",
            **common,
            title=api.title,
            version=api.version,
            source_file_literal=py_literal(api.source_file),
        ),
        "schemas.py": _render(
            "schemas.py.jinja",
            **common,
            has_resources=bool(api.schema_resources),
            dialect=py_literal(api.json_schema_dialect),
        ),
        "schemas.json": json_text(
            {"schemas": schemas, "resources": dict(sorted(api.schema_resources.items()))}
        )
        + "\n",
        "serializers.py": _render(
            "serializers.py.jinja",
            **common,
            has_resources=bool(api.schema_resources),
            serializers=serializers,
            uses_decimal=uses_decimal(serializer_text),
        ),
        "bodies.py": _render(
            "bodies.py.jinja",
            **common,
            records=bodies.records,
            unions=bodies.unions,
            stdlib_imports=sorted(
                {
                    *(["dataclasses"] if bodies.records else []),
                    *bodies.modules,
                    *(["typing as t"] if uses_typing else []),
                }
            ),
        ),
        "replies.py": _render(
            "replies.py.jinja",
            **common,
            classes=replies.classes,
            stdlib_imports=sorted({*replies.modules, "typing as t"}),
        ),
        "operations.py": _render(
            "operations.py.jinja",
            **common,
            operations=operations,
            stdlib_imports=sorted(
                {*(["decimal"] if uses_decimal(operations_text) else []), *modules_used(builds)}
            ),
            uses_records=bool(builds),
            uses_bodies=any("bodies." in text for text in builds),
        ),
        "stubs.py": _render(
            "stubs.py.jinja",
            **common,
            groups=groups,
            stdlib_imports=sorted({"typing as t", *modules_used(stub_annotations)}),
            uses_bodies=any("bodies." in text for text in stub_annotations),
            uses_replies=any("replies." in op.reply_type for op in operations),
            uses_models=any(MODEL in op.reply_type for op in operations),
            example_class=groups[0].class_name if groups else "ApiViewSet",
            example_handler=operations[0].python_name if operations else "handler",
            example_reply=operations[0].reply_alias if operations else "HandlerReply",
        ),
        "urls.py": _render("urls.py.jinja", **common, routes=route_contexts(api, groups)),
    }
    if app:
        files["apps.py"] = _render("apps.py.jinja", **common, title_literal=py_literal(api.title))
    return files
