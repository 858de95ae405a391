"""A small inline spec for the mock's behavioural tests (not a reference spec)."""

from __future__ import annotations

PETS = """
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
        "500":
          description: broken
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "201":
          description: created
          headers:
            Location: {required: true, schema: {type: string}}
            ETag: {required: true, schema: {type: string, pattern: '^"[a-f0-9]{8}"$'}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
          links:
            GetPet:
              operationId: getPet
              parameters: {petId: $response.body#/id}
        "400":
          description: bad
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer}}
    get:
      operationId: getPet
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
              examples:
                rex: {value: {id: 1, name: Rex, tag: dog}}
                broken: {value: {id: "not a number", name: Oops}}
        "404":
          description: missing
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
              example: {title: Not Found, status: 404}
    patch:
      operationId: updatePet
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}, tag: {type: string}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "404": {description: missing}
    delete:
      operationId: deletePet
      responses:
        "204": {description: gone}
        "404": {description: missing}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      additionalProperties: false
      properties:
        id: {type: integer, readOnly: true, minimum: 1}
        name: {type: string, minLength: 1, maxLength: 20}
        tag: {type: string, enum: [dog, cat, bird]}
        secret: {type: string, writeOnly: true}
    Problem:
      type: object
      required: [title, status]
      properties:
        title: {type: string}
        status: {type: integer, minimum: 100, maximum: 599}
"""
