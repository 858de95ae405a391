"""The usage field codec and the folded body pointers (codegen.core.usage)."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.core.usage.body import BodyPaths, local_resolver, pointer
from codegen.core.usage.fields import Observation, OperationCounts, increments

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Line": {"type": "object", "properties": {"sku": {}, "qty": {}}},
            "Order": {
                "allOf": [
                    {
                        "properties": {
                            "lines": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Line"},
                            }
                        }
                    },
                    {
                        "properties": {
                            "meta": {
                                "type": "object",
                                "additionalProperties": {"properties": {"v": {}}},
                            }
                        }
                    },
                ]
            },
        }
    }
}
ORDER = {"$ref": "#/components/schemas/Order"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"lines": [{"sku": "a"}, {"sku": "b", "qty": 2}]},
            ["/lines", "/lines/-", "/lines/-/sku", "/lines/-/qty"],
        ),
        # undeclared keys (a map keyed by e-mail address) are never recorded by name
        (
            {"meta": {"alice@example.com": {"v": 1, "x": 2}}},
            ["/meta", "/meta/*", "/meta/*/v", "/meta/*/*"],
        ),
        ({"surprise": {"deep": 1}}, ["/*", "/*/*"]),
        ([1, 2], ["/-"]),  # elements are folded even where the schema declares no array
        ("text", []),
    ],
)
def test_body_paths_fold_indexes_and_undeclared_keys(body: Any, expected: list[str]) -> None:
    paths = BodyPaths(local_resolver(DOCUMENT))
    assert paths.paths(body, ORDER) == expected


def test_body_paths_are_bounded() -> None:
    paths = BodyPaths(local_resolver(DOCUMENT), limit=3)
    body = {"lines": [{"sku": "a", "qty": 1}], "meta": {"k": {"v": 1}}}
    assert len(paths.paths(body, ORDER)) == 3
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(100):
        node["x"] = {}
        node = node["x"]
    assert len(BodyPaths(local_resolver({})).paths(deep, {})) <= 34


def test_pointer_escapes_names_but_not_the_fold_tokens() -> None:
    assert pointer(["a/b", "-", "c~d", "*"]) == "/a~1b/-/c~0d/*"


def test_broken_refs_resolve_to_nothing() -> None:
    resolve = local_resolver(DOCUMENT)
    assert resolve({"$ref": "#/components/schemas/Missing"}) is None
    assert resolve({"$ref": "other.yaml#/x"}) is None
    assert resolve({"$ref": "#/components/schemas/Line"})["properties"].keys() == {"sku", "qty"}


def test_increments_round_trip_through_operation_counts() -> None:
    seen = Observation(200, "web", ["sort", "sort"], ["x-tenant"], "application/json", ["/name"])
    anonymous = Observation(400, None, [], [], "application/json", [], unread=True)
    counts = OperationCounts()
    for observation in (seen, seen, anonymous):
        counts.add(dict.fromkeys(increments(observation), 1))
    assert counts.requests == 3 and counts.with_body == 3 and counts.unread == 1
    assert counts.statuses == {"200": 2, "400": 1}
    assert counts.clients == {"web": 2}
    assert counts.items["query"]["sort"].requests == 2  # once per request, however often sent
    assert counts.items["query"]["sort"].clients == {"web": 2}
    assert counts.items["header"]["x-tenant"].requests == 2
    assert counts.items["body"]["/name"].clients == {"web": 2}
    assert counts.items["media"]["application/json"].requests == 3
    assert counts.body_clients == {"web": 2}


def test_totals_come_first_so_a_capped_store_keeps_them() -> None:
    fields = increments(Observation(200, "c", ["a"], [], "application/json", ["/x"]))
    assert fields[:2] == ["n", "s:200"]
    assert fields.index("c:c") > fields.index("b:/x")
