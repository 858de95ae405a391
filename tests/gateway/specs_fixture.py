"""Fixture specs and configuration for the gateway's process tests."""

from __future__ import annotations

ECHO_SPEC = """
openapi: 3.1.0
info: {title: echo, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
    key: {type: apiKey, in: header, name: X-API-Key}
    qkey: {type: apiKey, in: query, name: api_key}
  parameters:
    rest: {name: rest, in: path, required: true, schema: {type: string}}
paths:
  /echo/{rest}:
    parameters: [{$ref: '#/components/parameters/rest'}]
    get: {operationId: echoGet, responses: {'200': {description: ok}}}
    post: {operationId: echoPost, responses: {'200': {description: ok}}}
    put: {operationId: echoPut, responses: {'200': {description: ok}}}
  /slow/{seconds}:
    get:
      operationId: slow
      x-specfirst-timeout: 1
      parameters: [{name: seconds, in: path, required: true, schema: {type: number}}]
      responses: {'200': {description: ok}}
  /big/{n}:
    get:
      operationId: big
      parameters: [{name: n, in: path, required: true, schema: {type: integer}}]
      responses: {'200': {description: ok}}
  /status/{code}:
    get:
      operationId: status
      parameters: [{name: code, in: path, required: true, schema: {type: integer}}]
      responses: {default: {description: any}}
  /secure/read:
    get:
      operationId: secureRead
      security: [{bearer: ['items:read']}]
      responses: {'200': {description: ok}}
  /secure/either:
    get:
      operationId: secureEither
      security: [{bearer: []}, {key: []}]
      responses: {'200': {description: ok}}
  /secure/both:
    get:
      operationId: secureBoth
      security: [{bearer: [], key: []}]
      responses: {'200': {description: ok}}
  /secure/query:
    get:
      operationId: secureQuery
      security: [{qkey: []}]
      responses: {'200': {description: ok}}
  /secure/optional:
    get:
      operationId: secureOptional
      security: [{}, {bearer: []}]
      responses: {'200': {description: ok}}
"""

DEAD_SPEC = """
openapi: 3.1.0
info: {title: dead, version: "1"}
paths:
  /dead:
    get: {operationId: deadGet, responses: {'200': {description: ok}}}
  /dead/{x}:
    put:
      operationId: deadPut
      parameters: [{name: x, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
"""

FLAP_SPEC = """
openapi: 3.1.0
info: {title: flap, version: "1"}
paths:
  /flap/{x}:
    get:
      operationId: flapGet
      parameters: [{name: x, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
"""

SECRET = "test-secret-for-hs256-which-is-long-enough"
AUDIENCE = "specfirst-tests"
ISSUER = "https://issuer.test"


def config_toml(echo: str, dead: str, flap: str, extra: str = "") -> str:
    return f"""
specs = "specs"
[services.echo]
upstream = "{echo}"
[services.dead]
upstream = "{dead}"
[services.flap]
upstream = "{flap}"
[gateway]
body_limit = 8388608
breaker = {{failures = 3, reset = 1.0}}
{extra}
[gateway.limits]
body_timeout = 1.0
[gateway.auth]
jwt_secret = "{SECRET}"
jwks_file = "jwks.json"
audience = "{AUDIENCE}"
issuer = "{ISSUER}"
api_keys = [{{subject = "ci-bot", key = "k-123", scopes = ["items:read"]}}]
"""
