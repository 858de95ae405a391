"""Compare a source spec with the schema derived from code, operation by operation.

For each ``(path, method)`` in either document: presence, ``operationId``,
parameters (matched by location and name; header names case-insensitively),
request body (required, media types, schema as a request), responses (status
codes, media types, schema as a response, headers) and effective security;
plus the security schemes both declare. Schemas go through
:class:`~codegen.verify.drift.schemas.SchemaComparison`.

``compare_documents(spec, derived)`` -> ``[Difference("POST /orders",
"property 'coupon' is in the code only", "#/components/schemas/Order",
"#/components/schemas/OrderRequest/properties/coupon"), ...]``
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codegen.core.openapi import HTTP_METHODS
from codegen.verify.drift.model import Difference
from codegen.verify.drift.schemas import Doc, SchemaComparison, Sub, escape

SCHEME_FIELDS = ("type", "in", "name", "scheme", "bearerFormat", "openIdConnectUrl")


def _parameters(
    doc: Doc, path_item: Mapping[str, Any], operation: Mapping[str, Any], base: str
) -> dict[tuple[str, str], tuple[Mapping[str, Any], str]]:
    """``(in, name)`` -> (parameter, pointer); operation parameters override path-item ones."""
    found: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
    path_ptr = base.rsplit("/", 1)[0]
    for owner, ptr in ((path_item, path_ptr), (operation, base)):
        for index, raw in enumerate(owner.get("parameters") or []):
            param, where = doc.deref(raw, f"{ptr}/parameters/{index}")
            if isinstance(param, Mapping) and "name" in param:
                name = str(param["name"])
                location = str(param.get("in"))
                found[(location, name.lower() if location == "header" else name)] = (param, where)
    return found


def _security(
    doc: Doc, operation: Mapping[str, Any]
) -> frozenset[frozenset[tuple[str, frozenset[str]]]]:
    raw = operation.get("security", doc.data.get("security")) or []
    return frozenset(
        frozenset((name, frozenset(scopes or [])) for name, scopes in requirement.items())
        for requirement in raw
    )


class _OperationComparison:
    def __init__(self, source: Doc, derived: Doc, label: str) -> None:
        self.source, self.derived = source, derived
        self.schemas = SchemaComparison(source, derived, label)

    @property
    def found(self) -> list[Difference]:
        return self.schemas.found

    def add(self, message: str, left: str | None, right: str | None) -> None:
        self.schemas.add(message, left, right)

    def run(
        self,
        src: tuple[Mapping[str, Any], Mapping[str, Any], str],
        drv: tuple[Mapping[str, Any], Mapping[str, Any], str],
    ) -> None:
        (s_item, s_op, s_ptr), (d_item, d_op, d_ptr) = src, drv
        if s_op.get("operationId") != d_op.get("operationId"):
            self.add(
                f"operationId is {s_op.get('operationId')!r} in the spec, "
                f"{d_op.get('operationId')!r} in the code",
                f"{s_ptr}/operationId",
                f"{d_ptr}/operationId",
            )
        self.parameters(
            _parameters(self.source, s_item, s_op, s_ptr),
            _parameters(self.derived, d_item, d_op, d_ptr),
            s_ptr,
            d_ptr,
        )
        self.request_body(s_op, d_op, s_ptr, d_ptr)
        self.responses(s_op, d_op, s_ptr, d_ptr)
        if _security(self.source, s_op) != _security(self.derived, d_op):
            self.add(
                "effective security requirements differ", f"{s_ptr}/security", f"{d_ptr}/security"
            )

    def parameters(
        self,
        left: dict[tuple[str, str], tuple[Mapping[str, Any], str]],
        right: dict[tuple[str, str], tuple[Mapping[str, Any], str]],
        s_ptr: str,
        d_ptr: str,
    ) -> None:
        for key in sorted(set(left) | set(right)):
            label = f"{key[0]} parameter '{key[1]}'"
            if key not in right:
                self.add(f"{label} is in the spec only", left[key][1], f"{d_ptr}/parameters")
                continue
            if key not in left:
                self.add(f"{label} is in the code only", f"{s_ptr}/parameters", right[key][1])
                continue
            (a, a_ptr), (b, b_ptr) = left[key], right[key]
            if bool(a.get("required")) != bool(b.get("required")):
                self.add(
                    f"{label}: required is {bool(a.get('required'))} in the spec, "
                    f"{bool(b.get('required'))} in the code",
                    f"{a_ptr}/required",
                    f"{b_ptr}/required",
                )
            self.schemas.compare(
                Sub(a.get("schema", {}), f"{a_ptr}/schema"),
                Sub(b.get("schema", {}), f"{b_ptr}/schema"),
                "request",
            )

    def content(
        self,
        left: Mapping[str, Any],
        right: Mapping[str, Any],
        a_ptr: str,
        b_ptr: str,
        direction: str,
    ) -> None:
        for media in sorted(set(left) | set(right)):
            if media not in right:
                self.add(
                    f"media type {media} is in the spec only", f"{a_ptr}/{escape(media)}", b_ptr
                )
            elif media not in left:
                self.add(
                    f"media type {media} is in the code only", a_ptr, f"{b_ptr}/{escape(media)}"
                )
            else:
                where_a, where_b = (
                    f"{a_ptr}/{escape(media)}/schema",
                    f"{b_ptr}/{escape(media)}/schema",
                )
                self.schemas.compare(
                    Sub((left[media] or {}).get("schema", {}), where_a),
                    Sub((right[media] or {}).get("schema", {}), where_b),
                    direction,
                )

    def request_body(
        self, s_op: Mapping[str, Any], d_op: Mapping[str, Any], s_ptr: str, d_ptr: str
    ) -> None:
        a, a_ptr = self.source.deref(s_op.get("requestBody"), f"{s_ptr}/requestBody")
        b, b_ptr = self.derived.deref(d_op.get("requestBody"), f"{d_ptr}/requestBody")
        if a is None and b is None:
            return
        if a is None or b is None:
            side = "spec" if b is None else "code"
            self.add(
                f"a request body is declared in the {side} only",
                a_ptr if a else None,
                b_ptr if b else None,
            )
            return
        if bool(a.get("required")) != bool(b.get("required")):
            self.add(
                f"request body required is {bool(a.get('required'))} in the spec, "
                f"{bool(b.get('required'))} in the code",
                f"{a_ptr}/required",
                f"{b_ptr}/required",
            )
        self.content(
            a.get("content") or {},
            b.get("content") or {},
            f"{a_ptr}/content",
            f"{b_ptr}/content",
            "request",
        )

    def responses(
        self, s_op: Mapping[str, Any], d_op: Mapping[str, Any], s_ptr: str, d_ptr: str
    ) -> None:
        left = {str(k): v for k, v in (s_op.get("responses") or {}).items()}
        right = {str(k): v for k, v in (d_op.get("responses") or {}).items()}
        for status in sorted(set(left) | set(right)):
            a_ptr, b_ptr = f"{s_ptr}/responses/{status}", f"{d_ptr}/responses/{status}"
            if status not in right:
                self.add(f"response {status} is in the spec only", a_ptr, f"{d_ptr}/responses")
                continue
            if status not in left:
                self.add(f"response {status} is in the code only", f"{s_ptr}/responses", b_ptr)
                continue
            a, a_ptr = self.source.deref(left[status], a_ptr)
            b, b_ptr = self.derived.deref(right[status], b_ptr)
            self.content(
                (a or {}).get("content") or {},
                (b or {}).get("content") or {},
                f"{a_ptr}/content",
                f"{b_ptr}/content",
                "response",
            )
            self.headers(
                (a or {}).get("headers") or {},
                (b or {}).get("headers") or {},
                f"{a_ptr}/headers",
                f"{b_ptr}/headers",
            )

    def headers(
        self, left: Mapping[str, Any], right: Mapping[str, Any], a_ptr: str, b_ptr: str
    ) -> None:
        lower_left = {name.lower(): name for name in left}
        lower_right = {name.lower(): name for name in right}
        for key in sorted(set(lower_left) | set(lower_right)):
            if key not in lower_right:
                name = lower_left[key]
                self.add(
                    f"response header {name} is in the spec only", f"{a_ptr}/{escape(name)}", b_ptr
                )
            elif key not in lower_left:
                name = lower_right[key]
                self.add(
                    f"response header {name} is in the code only", a_ptr, f"{b_ptr}/{escape(name)}"
                )
            else:
                sa, sb = lower_left[key], lower_right[key]
                a, pa = self.source.deref(left[sa], f"{a_ptr}/{escape(sa)}")
                b, pb = self.derived.deref(right[sb], f"{b_ptr}/{escape(sb)}")
                self.schemas.compare(
                    Sub((a or {}).get("schema", {}), f"{pa}/schema"),
                    Sub((b or {}).get("schema", {}), f"{pb}/schema"),
                    "response",
                )


def _operations(
    doc: Doc,
) -> dict[tuple[str, str], tuple[Mapping[str, Any], Mapping[str, Any], str]]:
    found = {}
    for path, raw in (doc.data.get("paths") or {}).items():
        item, _ = doc.deref(raw, f"#/paths/{escape(path)}")
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if isinstance(operation, Mapping):
                found[(path, method)] = (item, operation, f"#/paths/{escape(path)}/{method}")
    return found


def _schemes(source: Doc, derived: Doc) -> list[Difference]:
    left = (source.data.get("components") or {}).get("securitySchemes") or {}
    right = (derived.data.get("components") or {}).get("securitySchemes") or {}
    found = []
    for name in sorted(set(left) & set(right)):
        a = {k: left[name].get(k) for k in SCHEME_FIELDS if k in left[name]}
        b = {k: right[name].get(k) for k in SCHEME_FIELDS if k in right[name]}
        if {k: str(v).lower() for k, v in a.items()} != {k: str(v).lower() for k, v in b.items()}:
            pointer = f"#/components/securitySchemes/{escape(name)}"
            found.append(
                Difference("", f"security scheme '{name}' differs: {a} vs {b}", pointer, pointer)
            )
    return found


def compare_documents(spec: Mapping[str, Any], derived: Mapping[str, Any]) -> list[Difference]:
    """Every semantic difference between ``spec`` and ``derived``, operations in path order."""
    source, code = Doc(spec), Doc(derived)
    left, right = _operations(source), _operations(code)
    found: list[Difference] = []
    for key in sorted(set(left) | set(right)):
        label = f"{key[1].upper()} {key[0]}"
        if key not in right:
            found.append(Difference(label, "operation is in the spec only", left[key][2], None))
        elif key not in left:
            found.append(Difference(label, "operation is in the code only", None, right[key][2]))
        else:
            comparison = _OperationComparison(source, code, label)
            comparison.run(left[key], right[key])
            # A component used as request and response body differs once, not twice.
            found.extend(dict.fromkeys(comparison.found))
    return found + _schemes(source, code)
