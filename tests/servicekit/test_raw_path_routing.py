"""Services route on the raw path's segments: ``%2F`` is part of a value.

Django's test client is given the raw target as gunicorn's ``RAW_URI``; the
generated routes are mounted under an ``include()`` prefix, as
``specfirst serve --mock`` mounts several specs, so the resolver must find
its part of the raw segments after the prefix.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from tests.servicekit.harness import generate_package
from tests.support.routing import Recorder

SPEC = """
openapi: 3.1.0
info: {title: tags, version: "1"}
paths:
  /tags/{arn}:
    get:
      operationId: listTags
      parameters: [{name: arn, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /tags/{arn}/keys:
    get:
      operationId: listKeys
      parameters: [{name: arn, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
"""


@pytest.fixture(scope="module")
def urlconf(tmp_path_factory: pytest.TempPathFactory) -> types.ModuleType:
    root = tmp_path_factory.mktemp("rawpath")
    spec = root / "tags.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    package = generate_package(Path(spec), root, "sf_raw_tags")
    module = types.ModuleType("sf_raw_tags_root")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("api/v1/", include(package.urls.build_urlpatterns(None))),
    ]
    return module


@pytest.mark.parametrize(
    ("target", "seen"),
    [
        ("/api/v1/tags/arn:a%2Fb", ("list_tags", ("arn:a/b",))),
        ("/api/v1/tags/arn:a%2Fkeys", ("list_tags", ("arn:a/keys",))),
        ("/api/v1/tags/a%2Fb/keys", ("list_keys", ("a/b",))),
        ("/api/v1/tags/a/keys", ("list_keys", ("a",))),
        ("/api/v1/tags/%2F%2F", ("list_tags", ("//",))),
    ],
)
def test_an_encoded_slash_is_part_of_the_value(
    urlconf: types.ModuleType, target: str, seen: tuple[str, tuple[str, ...]]
) -> None:
    recorder = Recorder()
    with override_settings(ROOT_URLCONF=urlconf), recorder.active():
        response = Client().get(target, RAW_URI=target)
    assert response.status_code == 501
    assert recorder.seen == [seen]


@pytest.mark.parametrize(
    ("target", "detail"),
    [
        ("/api/v1/tags/%2e%2E/keys", "the dot segment '%2e%2E' is not routed"),
        ("/api/v1//tags/a", "empty path segments ('//') are not routed"),
        ("/api/v1/tags/a%00", "the segment 'a%00' encodes NUL (%00)"),
    ],
)
def test_ambiguous_spellings_are_refused(
    urlconf: types.ModuleType, target: str, detail: str
) -> None:
    with override_settings(ROOT_URLCONF=urlconf):
        response: Any = Client().get(target, RAW_URI=target)
    assert response.status_code == 400
    assert response.json()["code"] == "non_canonical_path"
    assert response.json()["detail"].startswith(detail)
