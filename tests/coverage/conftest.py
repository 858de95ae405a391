"""An inline spec with one item of every kind, and helpers that feed the recorder
schemathesis' own cases and responses (no server)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.core.transport import Response
from schemathesis.engine.recorder import ScenarioRecorder

from codegen.core.spec.loader import load_spec
from codegen.verify.coverage.build import model_for_spec
from codegen.verify.coverage.model import CoverageModel

SPEC = """
openapi: 3.1.0
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - name: kind
          in: query
          schema: {type: string, enum: [cat, dog]}
        - name: X-Trace
          in: header
          schema: {type: string}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Pet"}
        4XX: {description: client error}
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewPet"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
          links:
            GetPet:
              operationId: getPet
              parameters: {petId: $response.body#/id}
        default: {description: error}
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "404": {description: missing}
components:
  schemas:
    Cat:
      type: object
      required: [meows]
      properties:
        meows: {type: boolean}
    Dog:
      type: object
      required: [barks]
      properties:
        barks: {type: boolean}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: string, enum: [small, large]}
        traits:
          oneOf:
            - $ref: "#/components/schemas/Cat"
            - $ref: "#/components/schemas/Dog"
    Pet:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        secret: {type: string, writeOnly: true}
"""


@pytest.fixture
def spec_path(write_spec: Callable[[str, str], Path]) -> Path:
    return write_spec(SPEC, "pets.yaml")


@pytest.fixture
def model(spec_path: Path) -> CoverageModel:
    return model_for_spec(spec_path, "pets")


@pytest.fixture
def schema(spec_path: Path) -> schemathesis.BaseSchema:
    loaded, _ = load_spec(spec_path)
    assert loaded is not None
    return schemathesis.openapi.from_dict(loaded.root.data)


def response(status: int, body: Any = None, content_type: str = "application/json") -> Response:
    content = b"" if body is None else json.dumps(body).encode()
    request = requests.Request("GET", "http://127.0.0.1/").prepare()
    return Response(status, {"Content-Type": [content_type]}, content, request, 0.0, False)


def scenario(*exchanges: tuple[schemathesis.Case, Response | None]) -> ScenarioRecorder:
    recorder = ScenarioRecorder(label="test")
    for case, answer in exchanges:
        recorder.record_case(case=case)
        if answer is None:
            recorder.record_request(
                case_id=case.id, request=requests.Request("GET", "http://x/").prepare()
            )
        else:
            recorder.record_response(case_id=case.id, response=answer)
    return recorder
