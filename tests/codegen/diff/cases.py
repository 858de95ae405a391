"""The before/after table: (id, old spec, new spec, expected check, expected level).

``expected check None`` means "no change at all". For a non-breaking or
potentially breaking expectation the test also asserts that nothing more
severe was reported, so a case proves both the check and the classification.
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.designer.diff.catalogue import Level
from tests.codegen.diff.builders import (
    OK,
    Spec,
    document,
    json_content,
    obj,
    operation,
    parameters,
    query,
    ref,
    request,
    response,
    secured,
    string,
)

B, P, N = Level.BREAKING, Level.POTENTIALLY_BREAKING, Level.NON_BREAKING


@dataclass(frozen=True)
class Case:
    id: str
    old: Spec
    new: Spec
    check: str | None
    level: Level | None = None


def _two_ops() -> Spec:
    return document(
        {"/items": {"get": operation(), "delete": operation()}, "/other": {"get": operation()}}
    )


ITEM = {
    "/items/{id}": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": string()}],
        "get": operation(),
    }
}
ITEM_RENAMED = {
    "/items/{itemId}": {
        "parameters": [{"name": "itemId", "in": "path", "required": True, "schema": string()}],
        "get": operation(),
    }
}
ORDER = obj({"id": string(), "total": {"type": "number"}}, ["id", "total"])
TREE = obj({"name": string(), "children": {"type": "array", "items": ref("Tree")}})


def _pet(kind: str, **extra: object) -> dict[str, object]:
    return obj({"kind": string(), kind: string(**extra)}, ["kind"])


CASES: list[Case] = [
    # paths and operations
    Case(
        "path-removed",
        _two_ops(),
        document({"/items": {"get": operation(), "delete": operation()}}),
        "SF401",
        B,
    ),
    Case(
        "operation-removed",
        _two_ops(),
        document({"/items": {"get": operation()}, "/other": {"get": operation()}}),
        "SF402",
        B,
    ),
    Case("path-added", document({"/items": {"get": operation()}}), _two_ops(), "SF403", N),
    Case(
        "operation-added",
        document({"/items": {"get": operation()}}),
        document({"/items": {"get": operation(), "delete": operation()}}),
        "SF404",
        N,
    ),
    Case(
        "operation-deprecated",
        document({"/items": {"get": operation()}}),
        document({"/items": {"get": operation(deprecated=True)}}),
        "SF405",
        N,
    ),
    Case(
        "operation-id-changed",
        document({"/items": {"get": operation(operationId="listItems")}}),
        document({"/items": {"get": operation(operationId="getItems")}}),
        "SF406",
        P,
    ),
    Case("path-param-renamed", document(ITEM), document(ITEM_RENAMED), "SF407", N),
    # parameters
    Case(
        "required-param-added", parameters(), parameters(query("tenant", required=True)), "SF410", B
    ),
    Case("optional-param-added", parameters(), parameters(query("q")), "SF411", N),
    Case("param-removed", parameters(query("q")), parameters(), "SF412", P),
    Case(
        "param-made-required",
        parameters(query("q")),
        parameters(query("q", required=True)),
        "SF413",
        B,
    ),
    Case(
        "param-made-optional",
        parameters(query("q", required=True)),
        parameters(query("q")),
        "SF414",
        N,
    ),
    Case(
        "param-type-changed",
        parameters(query("n", {"type": "integer"})),
        parameters(query("n", {"type": "boolean"})),
        "SF415",
        B,
    ),
    Case(
        "param-location-changed",
        parameters(query("tenant")),
        parameters({"name": "tenant", "in": "header", "schema": string()}),
        "SF416",
        B,
    ),
    Case(
        "param-style-changed",
        parameters(query("ids", {"type": "array", "items": string()})),
        parameters(query("ids", {"type": "array", "items": string()}, style="pipeDelimited")),
        "SF417",
        B,
    ),
    Case(
        "param-maximum-down",
        parameters(query("limit", {"type": "integer", "maximum": 100})),
        parameters(query("limit", {"type": "integer", "maximum": 50})),
        "SF433",
        B,
    ),
    Case(
        "param-enum-value-added",
        parameters(query("sort", string(enum=["asc"]))),
        parameters(query("sort", string(enum=["asc", "desc"]))),
        "SF441",
        N,
    ),
    Case(
        "param-via-component-ref",
        parameters(
            {"$ref": "#/components/parameters/Limit"},
            components={"parameters": {"Limit": query("limit", {"type": "integer", "maximum": 9})}},
        ),
        parameters(
            {"$ref": "#/components/parameters/Limit"},
            components={"parameters": {"Limit": query("limit", {"type": "integer", "maximum": 5})}},
        ),
        "SF433",
        B,
    ),
    # request bodies
    Case(
        "request-body-added-required",
        document({"/items": {"post": operation()}}),
        request(string()),
        "SF420",
        B,
    ),
    Case(
        "request-body-made-required",
        request(string(), required=False),
        request(string()),
        "SF421",
        B,
    ),
    Case(
        "request-body-removed",
        request(string()),
        document({"/items": {"post": operation()}}),
        "SF422",
        P,
    ),
    Case(
        "request-media-type-removed",
        document(
            {
                "/items": {
                    "post": operation(
                        requestBody={
                            "content": {
                                **json_content(string()),
                                "text/plain": {"schema": string()},
                            }
                        }
                    )
                }
            }
        ),
        request(string(), required=False),
        "SF423",
        B,
    ),
    Case(
        "request-media-type-added",
        request(string(), required=False),
        document(
            {
                "/items": {
                    "post": operation(
                        requestBody={
                            "content": {
                                **json_content(string()),
                                "text/plain": {"schema": string()},
                            }
                        }
                    )
                }
            }
        ),
        "SF424",
        N,
    ),
    Case(
        "optional-body-added",
        document({"/items": {"post": operation()}}),
        request(string(), required=False),
        "SF425",
        N,
    ),
    Case("body-made-optional", request(string()), request(string(), required=False), "SF425", N),
    # request schemas: narrowing (breaking)
    Case(
        "request-required-property-added",
        request(obj({"a": string()})),
        request(obj({"a": string(), "b": string()}, ["b"])),
        "SF430",
        B,
    ),
    Case(
        "request-property-made-required",
        request(obj({"a": string()})),
        request(obj({"a": string()}, ["a"])),
        "SF431",
        B,
    ),
    Case(
        "request-type-changed",
        request(obj({"a": string()})),
        request(obj({"a": {"type": "integer"}})),
        "SF432",
        B,
    ),
    Case(
        "request-max-length-down",
        request(string(maxLength=10)),
        request(string(maxLength=5)),
        "SF433",
        B,
    ),
    Case(
        "request-min-length-up",
        request(string(minLength=1)),
        request(string(minLength=3)),
        "SF433",
        B,
    ),
    Case(
        "request-minimum-up",
        request({"type": "integer", "minimum": 0}),
        request({"type": "integer", "minimum": 1}),
        "SF433",
        B,
    ),
    Case(
        "request-maximum-added",
        request({"type": "integer"}),
        request({"type": "integer", "maximum": 10}),
        "SF433",
        B,
    ),
    Case(
        "request-exclusive-minimum-30",
        request({"type": "number", "minimum": 0}, openapi="3.0.3"),
        request({"type": "number", "minimum": 0, "exclusiveMinimum": True}, openapi="3.0.3"),
        "SF433",
        B,
    ),
    Case(
        "request-max-items-down",
        request({"type": "array", "items": string(), "maxItems": 5}),
        request({"type": "array", "items": string(), "maxItems": 2}),
        "SF433",
        B,
    ),
    Case(
        "request-unique-items-added",
        request({"type": "array", "items": string()}),
        request({"type": "array", "items": string(), "uniqueItems": True}),
        "SF433",
        B,
    ),
    Case(
        "request-pattern-added", request(string()), request(string(pattern="^[A-Z]+$")), "SF434", B
    ),
    Case(
        "request-enum-value-removed",
        request(string(enum=["a", "b"])),
        request(string(enum=["a"])),
        "SF435",
        B,
    ),
    Case("request-enum-introduced", request(string()), request(string(enum=["a"])), "SF435", B),
    Case(
        "request-additional-properties-closed",
        request(obj({"a": string()})),
        request(obj({"a": string()}, additionalProperties=False)),
        "SF436",
        B,
    ),
    Case(
        "request-null-removed", request({"type": ["string", "null"]}), request(string()), "SF437", B
    ),
    Case(
        "request-oneof-variant-removed",
        request(
            {"oneOf": [ref("A"), ref("B")]}, {"A": obj({"a": string()}), "B": obj({"b": string()})}
        ),
        request({"oneOf": [ref("A")]}, {"A": obj({"a": string()}), "B": obj({"b": string()})}),
        "SF438",
        B,
    ),
    # request schemas: changed (potentially breaking)
    Case(
        "request-pattern-changed",
        request(string(pattern="^a")),
        request(string(pattern="^b")),
        "SF439",
        P,
    ),
    Case("request-format-added", request(string()), request(string(format="uuid")), "SF439", P),
    Case(
        "request-multiple-of-changed",
        request({"type": "integer", "multipleOf": 2}),
        request({"type": "integer", "multipleOf": 3}),
        "SF439",
        P,
    ),
    Case(
        "request-property-removed",
        request(obj({"a": string(), "b": string()})),
        request(obj({"a": string()})),
        "SF440",
        P,
    ),
    # request schemas: widening (non-breaking)
    Case(
        "request-max-length-up",
        request(string(maxLength=5)),
        request(string(maxLength=10)),
        "SF441",
        N,
    ),
    Case(
        "request-minimum-down",
        request({"type": "integer", "minimum": 5}),
        request({"type": "integer", "minimum": 1}),
        "SF441",
        N,
    ),
    Case(
        "request-enum-value-added",
        request(string(enum=["a"])),
        request(string(enum=["a", "b"])),
        "SF441",
        N,
    ),
    Case("request-pattern-removed", request(string(pattern="^a")), request(string()), "SF441", N),
    Case(
        "request-additional-properties-opened",
        request(obj({"a": string()}, additionalProperties=False)),
        request(obj({"a": string()})),
        "SF441",
        N,
    ),
    Case(
        "request-type-widened",
        request({"type": "integer"}),
        request({"type": "number"}),
        "SF441",
        N,
    ),
    Case(
        "request-null-allowed-30",
        request(string(), openapi="3.0.3"),
        request(string(nullable=True), openapi="3.0.3"),
        "SF441",
        N,
    ),
    Case(
        "request-property-made-optional",
        request(obj({"a": string()}, ["a"])),
        request(obj({"a": string()})),
        "SF441",
        N,
    ),
    Case(
        "request-optional-property-added",
        request(obj({"a": string()})),
        request(obj({"a": string(), "b": string()})),
        "SF442",
        N,
    ),
    # responses: statuses and media types
    Case(
        "response-status-removed",
        document({"/items": {"get": {"responses": {**OK, "404": {"description": "nf"}}}}}),
        document({"/items": {"get": {"responses": OK}}}),
        "SF450",
        B,
    ),
    Case(
        "error-status-added",
        document({"/items": {"get": {"responses": OK}}}),
        document({"/items": {"get": {"responses": {**OK, "404": {"description": "nf"}}}}}),
        "SF451",
        N,
    ),
    Case(
        "success-status-changed",
        document({"/items": {"post": {"responses": OK}}}),
        document({"/items": {"post": {"responses": {"201": {"description": "created"}}}}}),
        "SF452",
        B,
    ),
    Case(
        "success-status-added",
        document({"/items": {"post": {"responses": OK}}}),
        document({"/items": {"post": {"responses": {**OK, "202": {"description": "later"}}}}}),
        "SF453",
        P,
    ),
    Case(
        "response-media-type-removed",
        document(
            {
                "/items": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    **json_content(string()),
                                    "text/csv": {"schema": string()},
                                },
                            }
                        }
                    }
                }
            }
        ),
        response(string()),
        "SF454",
        B,
    ),
    Case(
        "response-media-type-added",
        response(string()),
        document(
            {
                "/items": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    **json_content(string()),
                                    "text/csv": {"schema": string()},
                                },
                            }
                        }
                    }
                }
            }
        ),
        "SF455",
        N,
    ),
    # response schemas: weakening (breaking)
    Case(
        "response-property-removed",
        response(obj({"a": string(), "b": string()})),
        response(obj({"a": string()})),
        "SF456",
        B,
    ),
    Case(
        "response-required-property-removed",
        response(ORDER),
        response(obj({"id": string()}, ["id"])),
        "SF456",
        B,
    ),
    Case(
        "response-made-optional",
        response(obj({"a": string()}, ["a"])),
        response(obj({"a": string()})),
        "SF457",
        B,
    ),
    Case(
        "response-made-nullable-31",
        response(obj({"a": string()})),
        response(obj({"a": {"type": ["string", "null"]}})),
        "SF458",
        B,
    ),
    Case(
        "response-made-nullable-30",
        response(obj({"a": string()}), openapi="3.0.3"),
        response(obj({"a": string(nullable=True)}), openapi="3.0.3"),
        "SF458",
        B,
    ),
    Case(
        "response-enum-value-added",
        response(string(enum=["open"])),
        response(string(enum=["open", "lost"])),
        "SF459",
        B,
    ),
    Case(
        "response-type-changed",
        response(obj({"a": string()})),
        response(obj({"a": {"type": "integer"}})),
        "SF460",
        B,
    ),
    Case(
        "response-type-widened",
        response({"type": "integer"}),
        response({"type": "number"}),
        "SF460",
        B,
    ),
    Case(
        "response-oneof-variant-added",
        response({"oneOf": [ref("A")]}, {"A": obj({"a": string()}), "B": obj({"b": string()})}),
        response(
            {"oneOf": [ref("A"), ref("B")]}, {"A": obj({"a": string()}), "B": obj({"b": string()})}
        ),
        "SF465",
        B,
    ),
    # response schemas: strengthening (non-breaking) and loosening (potentially breaking)
    Case(
        "response-property-added",
        response(obj({"a": string()})),
        response(obj({"a": string(), "b": string()})),
        "SF461",
        N,
    ),
    Case(
        "response-made-required",
        response(obj({"a": string()})),
        response(obj({"a": string()}, ["a"])),
        "SF462",
        N,
    ),
    Case(
        "response-enum-value-removed",
        response(string(enum=["a", "b"])),
        response(string(enum=["a"])),
        "SF462",
        N,
    ),
    Case(
        "response-null-removed",
        response({"type": ["string", "null"]}),
        response(string()),
        "SF462",
        N,
    ),
    Case(
        "response-max-length-down",
        response(string(maxLength=10)),
        response(string(maxLength=5)),
        "SF462",
        N,
    ),
    Case(
        "response-max-length-up",
        response(string(maxLength=5)),
        response(string(maxLength=10)),
        "SF463",
        P,
    ),
    Case(
        "response-pattern-removed", response(string(pattern="^a")), response(string()), "SF463", P
    ),
    Case(
        "response-format-changed",
        response(string(format="date")),
        response(string(format="date-time")),
        "SF464",
        P,
    ),
    # response headers
    Case(
        "response-header-removed",
        document(
            {
                "/items": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                            }
                        }
                    }
                }
            }
        ),
        document({"/items": {"get": {"responses": OK}}}),
        "SF466",
        B,
    ),
    Case(
        "response-header-added",
        document({"/items": {"get": {"responses": OK}}}),
        document(
            {
                "/items": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                            }
                        }
                    }
                }
            }
        ),
        "SF467",
        N,
    ),
    Case(
        "response-header-made-optional",
        document(
            {
                "/items": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "headers": {"Location": {"required": True, "schema": string()}},
                            }
                        }
                    }
                }
            }
        ),
        document(
            {
                "/items": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "headers": {"Location": {"schema": string()}},
                            }
                        }
                    }
                }
            }
        ),
        "SF468",
        B,
    ),
    # security
    Case("security-added", secured(None), secured([{"key": []}]), "SF470", B),
    Case("security-scheme-replaced", secured([{"key": []}]), secured([{"oauth": []}]), "SF470", B),
    Case(
        "security-scope-added",
        secured([{"oauth": ["read"]}]),
        secured([{"oauth": ["read", "write"]}]),
        "SF471",
        B,
    ),
    Case(
        "security-alternative-added",
        secured([{"oauth": ["read"]}]),
        secured([{"oauth": ["read"]}, {"key": []}]),
        "SF472",
        N,
    ),
    Case(
        "security-scope-removed",
        secured([{"oauth": ["read", "write"]}]),
        secured([{"oauth": ["read"]}]),
        "SF472",
        N,
    ),
    Case(
        "security-scheme-changed",
        secured([{"key": []}]),
        document(
            {"/items": {"get": operation(security=[{"key": []}])}},
            components={
                "securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "key"}}
            },
        ),
        "SF473",
        B,
    ),
    Case(
        "request-format-int32-to-int64",
        request({"type": "integer", "format": "int32"}),
        request({"type": "integer", "format": "int64"}),
        "SF441",
        N,
    ),
    Case(
        "response-format-int32-to-int64",
        response({"type": "integer", "format": "int32"}),
        response({"type": "integer", "format": "int64"}),
        "SF463",
        P,
    ),
    Case(
        "media-type-parameters-ignored",
        request(string()),
        document(
            {
                "/items": {
                    "post": operation(
                        requestBody={
                            "required": True,
                            "content": {"application/json; charset=utf-8": {"schema": string()}},
                        }
                    )
                }
            }
        ),
        None,
    ),
    # documentation, reordering and moves: never breaking
    Case(
        "description-changed",
        document({"/items": {"get": operation(description="Old.")}}),
        document({"/items": {"get": operation(description="New.")}}),
        "SF490",
        N,
    ),
    Case(
        "schema-description-changed",
        request(string(description="old")),
        request(string(description="new")),
        "SF490",
        N,
    ),
    Case(
        "inline-moved-to-components",
        request(obj({"a": string(maxLength=3)}, ["a"])),
        request(ref("Thing"), {"Thing": obj({"a": string(maxLength=3)}, ["a"])}),
        None,
    ),
    Case(
        "reordered",
        document(
            {
                "/a": {"get": operation(), "post": operation()},
                "/b": {"get": operation(parameters=[query("x"), query("y")])},
            }
        ),
        document(
            {
                "/b": {"get": operation(parameters=[query("y"), query("x")])},
                "/a": {"post": operation(), "get": operation()},
            }
        ),
        None,
    ),
    Case(
        "nullable-30-vs-31",
        request(string(nullable=True), openapi="3.0.3"),
        request({"type": ["string", "null"]}),
        None,
    ),
    Case(
        "nullable-ref-30-vs-anyof-null-31",
        response(
            obj({"a": {"$ref": "#/components/schemas/A", "nullable": True}}),
            {"A": string()},
            openapi="3.0.3",
        ),
        response(obj({"a": {"anyOf": [ref("A"), {"type": "null"}]}}), {"A": string()}),
        None,
    ),
    Case(
        "nullable-honoured-in-31-as-the-ir-does",
        request({"type": "string", "nullable": True}),
        request({"type": ["string", "null"]}),
        None,
    ),
    Case(
        "response-ref-made-nullable-30",
        response(obj({"a": ref("A")}), {"A": string()}, openapi="3.0.3"),
        response(
            obj({"a": {"$ref": "#/components/schemas/A", "nullable": True}}),
            {"A": string()},
            openapi="3.0.3",
        ),
        "SF458",
        B,
    ),
    Case(
        "exclusive-minimum-30-vs-31",
        request({"type": "number", "minimum": 0, "exclusiveMinimum": True}, openapi="3.0.3"),
        request({"type": "number", "exclusiveMinimum": 0}),
        None,
    ),
    Case(
        "anyof-null-equals-type-null",
        response(obj({"m": {"type": ["string", "null"]}})),
        response(obj({"m": {"anyOf": [string(), {"type": "null"}]}})),
        None,
    ),
    Case(
        "explicit-default-style",
        parameters(query("q")),
        parameters(query("q", style="form", explode=True)),
        None,
    ),
    Case(
        "ref-to-oneof-response",
        response(ref("A"), {"A": obj({"a": string()}), "B": obj({"b": string()})}),
        response(
            {"oneOf": [ref("A"), ref("B")]}, {"A": obj({"a": string()}), "B": obj({"b": string()})}
        ),
        "SF465",
        B,
    ),
    Case(
        "ref-to-oneof-request",
        request(ref("A"), {"A": obj({"a": string()}), "B": obj({"b": string()})}),
        request(
            {"oneOf": [ref("A"), ref("B")]}, {"A": obj({"a": string()}), "B": obj({"b": string()})}
        ),
        "SF441",
        N,
    ),
    Case(
        "read-only-property-changed-in-request",
        request(obj({"status": string(readOnly=True, enum=["a"])})),
        request(obj({"status": string(readOnly=True, enum=["a", "b"])})),
        None,
    ),
    Case(
        "property-made-read-only-in-request",
        request(obj({"note": string()})),
        request(obj({"note": string(readOnly=True)})),
        "SF440",
        P,
    ),
    Case(
        "write-only-property-removed-from-response",
        response(obj({"id": string(), "password": string(writeOnly=True)})),
        response(obj({"id": string()})),
        None,
    ),
    Case(
        "nullable-ref-to-oneof-response",
        response(
            obj({"pet": {"anyOf": [ref("A"), {"type": "null"}]}}),
            {"A": obj({"a": string()}), "B": obj({"b": string()})},
        ),
        response(
            obj({"pet": {"oneOf": [ref("A"), ref("B")]}}),
            {"A": obj({"a": string()}), "B": obj({"b": string()})},
        ),
        "SF465",
        B,
    ),
    # changes reached through $ref, allOf, oneOf and anyOf, where they take effect
    Case(
        "through-ref-request",
        request(ref("New"), {"New": obj({"a": string()})}),
        request(ref("New"), {"New": obj({"a": string()}, ["a"])}),
        "SF431",
        B,
    ),
    Case(
        "through-allof-response",
        response(
            ref("Order"),
            {
                "Base": obj({"id": string(), "note": string()}),
                "Order": {"allOf": [ref("Base"), obj({"total": {"type": "number"}})]},
            },
        ),
        response(
            ref("Order"),
            {
                "Base": obj({"id": string()}),
                "Order": {"allOf": [ref("Base"), obj({"total": {"type": "number"}})]},
            },
        ),
        "SF456",
        B,
    ),
    Case(
        "through-oneof-response",
        response({"oneOf": [ref("Cat"), ref("Dog")]}, {"Cat": _pet("meow"), "Dog": _pet("bark")}),
        response(
            {"oneOf": [ref("Cat"), ref("Dog")]},
            {"Cat": _pet("meow"), "Dog": obj({"kind": string()}, ["kind"])},
        ),
        "SF456",
        B,
    ),
    Case(
        "through-anyof-request",
        request(
            {"anyOf": [ref("Cat"), ref("Dog")]},
            {"Cat": _pet("meow", maxLength=9), "Dog": _pet("bark")},
        ),
        request(
            {"anyOf": [ref("Cat"), ref("Dog")]},
            {"Cat": _pet("meow", maxLength=3), "Dog": _pet("bark")},
        ),
        "SF433",
        B,
    ),
    Case(
        "through-recursive-ref",
        response(ref("Tree"), {"Tree": TREE}),
        response(ref("Tree"), {"Tree": obj({"children": {"type": "array", "items": ref("Tree")}})}),
        "SF456",
        B,
    ),
    Case(
        "through-array-items",
        request(
            {"type": "array", "items": ref("Line")},
            {"Line": obj({"qty": {"type": "integer", "maximum": 10}})},
        ),
        request(
            {"type": "array", "items": ref("Line")},
            {"Line": obj({"qty": {"type": "integer", "maximum": 5}})},
        ),
        "SF433",
        B,
    ),
    Case(
        "through-additional-properties",
        response({"type": "object", "additionalProperties": string()}),
        response({"type": "object", "additionalProperties": {"type": "integer"}}),
        "SF460",
        B,
    ),
    Case(
        "read-only-required-added-to-request",
        request(obj({"a": string()})),
        request(obj({"a": string(), "id": string(readOnly=True)}, ["id"])),
        None,
    ),
]
