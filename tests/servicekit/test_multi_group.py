"""One path whose operations belong to two groups (tags): one URL pattern
serves both hand-written ViewSets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client, override_settings
from rest_framework.request import Request
from servicekit.contract import Reply
from servicekit.contract.checks import check_operations

from tests.servicekit.harness import generate_package, root_urlconf

SPEC = """
openapi: 3.1.0
info: {title: Groups, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      tags: [reading]
      responses:
        "200": {description: OK., content: {application/json: {schema: {type: array}}}}
    post:
      operationId: addThing
      tags: [writing]
      responses:
        "204": {description: Added.}
"""


def test_operations_of_one_path_in_two_groups(tmp_path: Path) -> None:
    spec = tmp_path / "groups.yaml"
    spec.write_text(SPEC)
    package = generate_package(spec, tmp_path, "sf_two_groups")
    stubs = package.stubs

    class Reading(stubs.ReadingViewSet):  # type: ignore[misc,name-defined]
        def list_things(self, request: Request) -> Reply:
            return Reply(200, [1])

    urlconf = root_urlconf(package, {"Reading": Reading})
    with override_settings(ROOT_URLCONF=urlconf):
        client = Client()
        assert client.get("/things").json() == [1]
        assert client.post("/things").status_code == 501  # writing: not implemented
        response = client.delete("/things")
        assert response.status_code == 405
        assert response["Allow"] == "GET, POST, HEAD"
        messages: list[Any] = check_operations()
    assert [(m.id, m.msg) for m in messages if "Thing" in m.msg] == [
        ("specfirst.E001", "Operation addThing (POST /things) is not implemented; it answers 501.")
    ]
