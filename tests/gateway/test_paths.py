"""Template compilation and the segment trie: (template, path → params | error) tables."""

from __future__ import annotations

import pytest

from gateway.matcher import AmbiguousRoute, Matcher, Status
from gateway.paths import TemplateError, build_path, compile_path, param_kind


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("items/{id}", "it must start with '/'"),
        ("/items//{id}", "it contains an empty segment ('//')"),
        ("/items/{id}/{id}", "the parameter 'id' appears twice"),
        ("/items/{}", "empty parameter name in segment '{}'"),
        ("/items/{id", "unbalanced braces in segment '{id'"),
        ("/files/{name}{ext}", "adjacent parameters in segment '{name}{ext}' cannot be told apart"),
        ("/a/../b", "it contains the dot segment '..'"),
    ],
)
def test_bad_templates_are_rejected_with_the_reason(template: str, reason: str) -> None:
    with pytest.raises(TemplateError) as info:
        compile_path(template)
    assert info.value.reason == reason
    assert str(info.value) == f"invalid path template {template!r}: {reason}"


@pytest.mark.parametrize(
    ("schema", "kind"),
    [
        ({"type": "integer"}, "integer"),
        ({"type": ["integer", "null"]}, "integer"),
        ({"type": "string", "format": "uuid"}, "uuid"),
        ({"type": "string", "enum": ["a", "b"]}, "enum"),
        ({"type": "string"}, "string"),
        ({"type": "number"}, "string"),
        (None, "string"),
    ],
)
def test_param_kind_comes_from_the_schema(schema: object, kind: str) -> None:
    assert param_kind(schema).kind == kind  # type: ignore[arg-type]


ROUTES = [
    ("/items", "list"),
    ("/items/search", "search"),
    ("/items/{id}", "get"),
    ("/items/{id}/reviews", "reviews"),
    ("/files/{name}.{ext}", "file"),
    ("/files/{path}", "file-any"),
    ("/", "root"),
    ("/dirs/", "dirs-slash"),
]


@pytest.fixture
def matcher() -> Matcher[str]:
    m: Matcher[str] = Matcher()
    for template, name in ROUTES:
        m.add(compile_path(template), "GET", name)
    return m


@pytest.mark.parametrize(
    ("path", "route", "params"),
    [
        ("/items", "list", {}),
        ("/items/search", "search", {}),
        ("/items/42", "get", {"id": "42"}),
        ("/items/a%2Fb", "get", {"id": "a/b"}),
        ("/items/%73earch", "search", {}),
        ("/items/search/reviews", "reviews", {"id": "search"}),
        ("/items/x%2Freviews", "get", {"id": "x/reviews"}),
        ("/files/report.tar.gz", "file", {"name": "report.tar", "ext": "gz"}),
        ("/files/README", "file-any", {"path": "README"}),
        ("/", "root", {}),
        ("/dirs/", "dirs-slash", {}),
        ("/items/caf%C3%A9", "get", {"id": "café"}),
    ],
)
def test_paths_route_to_their_template(
    matcher: Matcher[str], path: str, route: str, params: dict[str, str]
) -> None:
    result = matcher.match("GET", path)
    assert (result.status, result.route, result.params()) == (Status.FULL, route, params)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/nope", Status.NONE),
        ("/items/", Status.NONE),
        ("/dirs", Status.NONE),
        ("/items/1/reviews/2", Status.NONE),
        ("/items/../admin", Status.NON_CANONICAL),
        ("/items/%2e%2E/admin", Status.NON_CANONICAL),
        ("/items/./search", Status.NON_CANONICAL),
        ("//items", Status.NON_CANONICAL),
        ("/items//search", Status.NON_CANONICAL),
        ("items", Status.NONE),
    ],
)
def test_unroutable_paths(matcher: Matcher[str], path: str, status: Status) -> None:
    assert matcher.match("GET", path).status is status


def test_wrong_method_is_partial_with_allow() -> None:
    m: Matcher[str] = Matcher()
    m.add(compile_path("/items/{id}"), "GET", "get")
    m.add(compile_path("/items/{id}"), "DELETE", "delete")
    result = m.match("POST", "/items/1")
    assert result.status is Status.PARTIAL
    assert result.allowed == "DELETE, GET, HEAD"
    assert m.match("HEAD", "/items/1").route == "get"


def test_concrete_path_wins_before_the_method_is_checked() -> None:
    m: Matcher[str] = Matcher()
    m.add(compile_path("/items/search"), "GET", "search")
    m.add(compile_path("/items/{id}"), "DELETE", "delete")
    result = m.match("DELETE", "/items/search")
    assert (result.status, result.allowed) == (Status.PARTIAL, "GET, HEAD")


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/v/red", "enum"),
        ("/v/42", "integer"),
        ("/v/-7", "integer"),
        ("/v/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "uuid"),
        ("/v/4.5", "partial"),
        ("/v/blue", "string"),
    ],
)
def test_typed_parameters_order_precedence(path: str, route: str) -> None:
    m: Matcher[str] = Matcher()
    m.add(compile_path("/v/{s}"), "GET", "string")
    m.add(compile_path("/v/{a}.{b}"), "GET", "partial")
    m.add(compile_path("/v/{i}", {"i": {"type": "integer"}}), "GET", "integer")
    m.add(compile_path("/v/{u}", {"u": {"type": "string", "format": "uuid"}}), "GET", "uuid")
    m.add(compile_path("/v/{e}", {"e": {"enum": ["red", "green"]}}), "GET", "enum")
    assert m.match("GET", path).route == route


def test_same_shape_with_other_names_is_ambiguous() -> None:
    m: Matcher[str] = Matcher()
    m.add(compile_path("/items/{id}"), "GET", "a")
    with pytest.raises(AmbiguousRoute, match=r"^/items/\{sku\} conflicts with /items/\{id\}$"):
        m.add(compile_path("/items/{sku}"), "DELETE", "b")


def test_duplicate_method_and_template_is_refused() -> None:
    m: Matcher[str] = Matcher()
    m.add(compile_path("/items/{id}"), "GET", "a")
    with pytest.raises(AmbiguousRoute, match=r"^GET /items/\{id\} conflicts with /items/\{id\}$"):
        m.add(compile_path("/items/{id}"), "get", "b")


def test_build_path_encodes_values_as_one_segment() -> None:
    path = compile_path("/files/{name}.{ext}")
    assert build_path(path, {"name": "a b/c?", "ext": "txt"}) == "/files/a%20b%2Fc%3F.txt"
