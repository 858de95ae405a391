"""The IR is identical whatever PYTHONHASHSEED is (names and order never
depend on hashing)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SPEC = """
openapi: 3.0.3
info: {title: T, version: '1'}
security: [{key: []}, {oauth: [b, a]}]
paths:
  /pets/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      tags: [pets, animals]
      parameters:
        - name: fields
          in: query
          schema: {type: array, items: {type: string, enum: [z, y, x]}}
      responses:
        default: {description: e}
        '404': {description: nf}
        '200':
          description: ok
          content:
            application/json:
              schema:
                oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
                discriminator: {propertyName: kind}
    delete: {responses: {'204': {description: gone}}}
  /pets:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {a: {type: object}, b: {type: object}}}
          application/json: {schema: {$ref: '#/components/schemas/Cat'}}
      responses: {'201': {description: made}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    oauth:
      type: oauth2
      flows: {implicit: {authorizationUrl: 'https://a', scopes: {b: '', a: '', c: ''}}}
  schemas:
    Cat:
      type: object
      required: [kind, z, y]
      properties:
        kind: {type: string}
        tags: {type: object, additionalProperties: {type: object}}
    Dog:
      allOf:
        - {$ref: '#/components/schemas/Cat'}
        - {type: object, properties: {bark: {type: object}}}
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
"""

SCRIPT = """
import sys
from codegen.core.spec.loader import load_spec
from codegen.core.ir.build import build_api
loaded, _ = load_spec(sys.argv[1])
api, diagnostics = build_api(loaded)
print(repr(api))
print(diagnostics)
"""


def test_build_is_identical_under_different_hash_seeds(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.lstrip())
    outputs = []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert "GetPetsById200Response" in outputs[0]
