"""Helpers of the SDK tests: generate a client package from an inline spec
and import it under a unique name."""

from __future__ import annotations

import importlib
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from codegen.generator.output import FileSet
from codegen.generator.sdk import render_sdk
from codegen.generator.sdk.source import from_spec

PETS_SPEC = """
openapi: 3.1.0
info: {title: Pets, version: 2.1.0}
servers: [{url: "https://pets.example.com/v2"}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  parameters:
    PetId: {name: petId, in: path, required: true, schema: {type: integer}}
  schemas:
    Pet:
      type: object
      required: [id, name, secret]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string, minLength: 1}
        secret: {type: string, writeOnly: true}
        kind: {type: string, enum: [cat, dog]}
    PetPage:
      type: object
      required: [items, total]
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Pet"}}
        total: {type: integer}
    Owner:
      type: [object, "null"]
      properties:
        name: {type: string}
        homepage: {type: string, format: uri, default: "https://example.com"}
    Problem:
      type: object
      properties:
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
      responses:
        "200":
          description: a page
          content: {application/json: {schema: {$ref: "#/components/schemas/PetPage"}}}
    post:
      operationId: createPet
      security: [{key: []}]
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      responses:
        "201":
          description: created
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
        "422":
          description: invalid
          content: {application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}}
  /pets/{petId}:
    parameters: [{$ref: "#/components/parameters/PetId"}]
    get:
      operationId: getPet
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: the pet
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
        "202":
          description: still being prepared
          content: {text/plain: {schema: {type: string}}}
        "404":
          description: none
          content: {application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}}
    delete:
      operationId: deletePet
      security: [{key: []}]
      responses:
        "204": {description: deleted}
  /owners:
    get:
      operationId: listOwners
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        "200":
          description: owners, some unknown (null)
          content:
            application/json:
              schema:
                type: object
                properties:
                  results: {type: array, items: {$ref: "#/components/schemas/Owner"}}
  /events:
    get:
      operationId: listEvents
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200":
          description: events
          content:
            application/json:
              schema:
                type: object
                required: [data]
                properties:
                  data: {type: array, items: {type: string}}
                  next_cursor: {type: [string, "null"]}
"""


def generate(spec: Path, out: Path, package: str) -> dict[str, str]:
    """Generate the SDK of ``spec`` into ``out``; returns the files."""
    loaded = from_spec(spec)
    files = render_sdk(loaded.api, loaded.source, package, package.replace("_", "-"))
    FileSet(out, files).write()
    return files


@contextmanager
def imported(spec: Path, out: Path) -> Iterator[ModuleType]:
    """Generate ``spec`` under a unique package name and import it."""
    package = f"sdk_{uuid.uuid4().hex[:10]}"
    generate(spec, out, package)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


PAGES_SPEC = """
openapi: 3.0.3
info: {title: Books, version: "1"}
components:
  securitySchemes:
    query_key: {type: apiKey, in: query, name: key}
    basic: {type: http, scheme: basic}
paths:
  /books:
    get:
      operationId: listBooks
      security: [{query_key: []}]
      parameters:
        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  results:
                    type: array
                    items:
                      type: object
                      required: [title]
                      properties:
                        title: {type: string}
                        isbn: {type: string, nullable: true}
                        contact: {type: string, format: email}
                  total_pages: {type: integer}
  /books/{isbn}:
    delete:
      operationId: deleteBook
      security: [{basic: []}]
      parameters:
        - {name: isbn, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: gone}
  /health:
    get:
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
"""
