"""Template compilation, kinds and the segment trie: (template, path -> params | error) tables."""

from __future__ import annotations

import pytest

from codegen.core.routing.canonical import NonCanonical, split_decoded
from codegen.core.routing.kinds import ParamKind, schema_kind
from codegen.core.routing.matcher import Matcher, Status
from codegen.core.routing.templates import TemplateError, build_path, compile_path


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
        ({"type": "integer", "enum": [1, 2]}, "enum"),
        ({"type": "boolean", "enum": [True]}, "enum"),
        ({"type": "number", "enum": [1.5]}, "string"),
        ({"type": "string"}, "string"),
        ({"type": "number"}, "string"),
        ({"type": ["integer", "string"]}, "string"),
        (None, "string"),
    ],
)
def test_param_kind_comes_from_the_schema(schema: object, kind: str) -> None:
    assert schema_kind(schema).kind == kind


def test_param_kind_of_a_prefixed_style_is_string() -> None:
    assert schema_kind({"type": "integer"}, style="matrix").kind == "string"
    assert schema_kind({"type": "integer"}, style="label").kind == "string"


def test_enum_values_are_their_request_texts() -> None:
    assert schema_kind({"enum": [1, True, "x", None]}).values == {"1", "true", "x"}


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
        ("/items/a%20b", "get", {"id": "a b"}),
        ("/items/%73earch", "search", {}),
        ("/items/search/reviews", "reviews", {"id": "search"}),
        ("/items/a%252Fb", "get", {"id": "a%2Fb"}),
        ("/items/a;b=c", "get", {"id": "a;b=c"}),
        ("/files/report.tar.gz", "file", {"name": "report.tar", "ext": "gz"}),
        ("/files/README", "file-any", {"path": "README"}),
        ("/", "root", {}),
        ("/dirs/", "dirs-slash", {}),
        ("/items/caf%C3%A9", "get", {"id": "café"}),
        # an encoded '/' is part of a value: the segments are split before decoding
        ("/items/x%2Freviews", "get", {"id": "x/reviews"}),
        ("/items/arn:aws:s3:::b%2Fk/reviews", "reviews", {"id": "arn:aws:s3:::b/k"}),
        ("/items/%2F", "get", {"id": "/"}),
        ("/items/%2e%2E%2Fadmin", "get", {"id": "../admin"}),
        ("/files/a%2Fb.txt", "file", {"name": "a/b", "ext": "txt"}),
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
        ("/items/%FF", Status.NON_CANONICAL),
        ("/items/%zz", Status.NON_CANONICAL),
        ("/items/a%2", Status.NON_CANONICAL),
        ("/items/a%00", Status.NON_CANONICAL),
        ("/items/caf\u00e9", Status.NON_CANONICAL),
        ("/items/%2F/reviews/x", Status.NONE),
        ("items", Status.NON_CANONICAL),
    ],
)
def test_unroutable_paths(matcher: Matcher[str], path: str, status: Status) -> None:
    assert matcher.match("GET", path).status is status


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (
            "/items/%2E%2E",
            "the dot segment '%2E%2E' is not routed (clients and proxies remove dot segments)",
        ),
        ("/a//b", "empty path segments ('//') are not routed"),
        ("/a/%C3", "the segment '%C3' encodes bytes that are not UTF-8"),
        ("/a/%zz", "the segment '%zz' has a '%' that starts no escape"),
        ("/a/x%00", "the segment 'x%00' encodes NUL (%00)"),
        ("/a/\u00e9", "the path has bytes that are not ASCII: percent-encode them"),
    ],
)
def test_refused_paths_say_why(matcher: Matcher[str], path: str, reason: str) -> None:
    result = matcher.match("GET", path)
    assert result.refusal is not None
    assert result.refusal.reason == reason


def test_decoded_paths_split_on_every_slash() -> None:
    assert split_decoded("/items/a b/") == ["items", "a b", ""]
    refusal = split_decoded("/items/..")
    assert isinstance(refusal, NonCanonical)
    assert refusal.reason.startswith("the dot segment '..'")


def test_wrong_method_is_partial_with_allow() -> None:
    m: Matcher[str] = Matcher()
    m.add(compile_path("/items/{id}"), "GET", "get")
    m.add(compile_path("/items/{id}"), "DELETE", "delete")
    result = m.match("POST", "/items/1")
    assert result.status is Status.PARTIAL
    assert result.allowed == "DELETE, GET, HEAD"
    assert m.match("HEAD", "/items/1").route == "get"


def test_the_most_specific_template_declaring_the_method_wins() -> None:
    """A concrete path wins for the methods it declares; for the others the
    walk goes on to templated paths (werkzeug's and Starlette's rule), and a
    405 names the methods of every template that matches."""
    m: Matcher[str] = Matcher()
    m.add(compile_path("/items/search"), "GET", "search")
    m.add(compile_path("/items/{id}"), "DELETE", "delete")
    m.add(compile_path("/items/{id}"), "PUT", "put")
    m.add(compile_path("/items/{id}"), "PATCH", "patch")
    assert m.match("GET", "/items/search").route == "search"
    assert m.match("HEAD", "/items/search").route == "search"
    deleted = m.match("DELETE", "/items/search")
    assert (deleted.status, deleted.route, deleted.params()) == (
        Status.FULL,
        "delete",
        {"id": "search"},
    )
    refused = m.match("POST", "/items/search")
    assert (refused.status, refused.allowed) == (Status.PARTIAL, "DELETE, GET, HEAD, PATCH, PUT")
    assert m.match("GET", "/items/7").status is Status.PARTIAL
    assert m.match("GET", "/items/7").allowed == "DELETE, PATCH, PUT"


def test_typed_templates_of_one_path_are_chosen_by_method() -> None:
    """``GET /groups/{ID}`` with an array ``ID`` and ``PATCH /groups/{ID}``
    with an integer one: the integer template comes first but lacks GET."""
    m: Matcher[str] = Matcher()
    m.add(compile_path("/groups/{ID}"), "GET", "list")
    m.add(compile_path("/groups/{ID}", {"ID": ParamKind("integer")}), "PATCH", "edit")
    assert m.match("GET", "/groups/12").route == "list"
    assert m.match("PATCH", "/groups/12").route == "edit"
    assert m.match("PATCH", "/groups/x").status is Status.PARTIAL


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
    m.add(compile_path("/v/{i}", {"i": ParamKind("integer")}), "GET", "integer")
    m.add(compile_path("/v/{u}", {"u": ParamKind("uuid")}), "GET", "uuid")
    m.add(
        compile_path("/v/{e}", {"e": ParamKind("enum", frozenset({"red", "green"}))}), "GET", "enum"
    )
    assert m.match("GET", path).route == route


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/v1/shelves/1:approve", "approve"),
        ("/v1/shelves/1", "get"),
        ("/v1/x.json", "json"),
        ("/v2/thing", "major"),
        ("/a-b", "pair"),
        ("/XML/PlayByPlay/7", "play"),
        ("/CSV/PlayByPlay/7", None),
    ],
)
def test_partial_segments_and_leading_enums(path: str, route: str | None) -> None:
    m: Matcher[str] = Matcher()
    m.add(compile_path("/v1/shelves/{name}"), "POST", "get-post")
    m.add(compile_path("/v1/shelves/{name}"), "GET", "get")
    m.add(compile_path("/v1/shelves/{name}:approve"), "GET", "approve")
    m.add(compile_path("/v1/{id}.json"), "GET", "json")
    m.add(compile_path("/v{major}/thing"), "GET", "major")
    m.add(compile_path("/{a}-{b}"), "GET", "pair")
    xml = ParamKind("enum", frozenset({"XML", "JSON"}))
    m.add(compile_path("/{format}/PlayByPlay/{id}", {"format": xml}), "GET", "play")
    assert m.match("GET", path).route == route


def test_same_shape_with_other_names_routes_by_method() -> None:
    m: Matcher[str] = Matcher()
    assert m.add(compile_path("/items/{id}"), "GET", "a") is None
    assert m.add(compile_path("/items/{sku}"), "DELETE", "b") is None
    deleted = m.match("DELETE", "/items/7")
    assert (deleted.route, deleted.params(), deleted.template) == (
        "b",
        {"sku": "7"},
        "/items/{sku}",
    )
    assert m.match("GET", "/items/7").params() == {"id": "7"}
    assert m.match("POST", "/items/7").allowed == "DELETE, GET, HEAD"


def test_a_shadowed_route_names_the_one_that_wins() -> None:
    m: Matcher[str] = Matcher()
    m.add(compile_path("/items/{id}"), "GET", "a")
    shadowed = m.add(compile_path("/items/{sku}"), "get", "b")
    assert shadowed is not None
    assert (shadowed.existing, shadowed.existing_path.template) == ("a", "/items/{id}")
    assert m.match("GET", "/items/1").route == "a"


def test_build_path_encodes_values_as_one_segment() -> None:
    path = compile_path("/files/{name}.{ext}")
    assert build_path(path, {"name": "a b/c?", "ext": "txt"}) == "/files/a%20b%2Fc%3F.txt"


@pytest.mark.parametrize(
    ("templates", "path", "route"),
    [
        (["/i/{id}.{format}", "/i/near.{format}"], "/i/near.json", "/i/near.{format}"),
        (["/i/{id}.{format}", "/i/near.{format}"], "/i/far.json", "/i/{id}.{format}"),
        (
            ["/r/{id}.jsonld", "/r/{id}.schema.jsonld"],
            "/r/a.schema.jsonld",
            "/r/{id}.schema.jsonld",
        ),
        (["/s/{q}.atom", "/s/page-{n}.atom"], "/s/page-3.atom", "/s/page-{n}.atom"),
    ],
)
def test_partial_segments_with_more_literal_characters_come_first(
    templates: list[str], path: str, route: str
) -> None:
    m: Matcher[str] = Matcher()
    for template in templates:
        m.add(compile_path(template), "GET", template)
    assert m.match("GET", path).route == route
    shuffled: Matcher[str] = Matcher()
    for template in reversed(templates):
        shuffled.add(compile_path(template), "GET", template)
    assert shuffled.match("GET", path).route == route
