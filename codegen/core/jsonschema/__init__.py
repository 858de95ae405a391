"""OpenAPI schemas as JSON Schema 2020-12: the conversions every user calls.

The 3.0 keyword rules (``nullable``, boolean exclusive bounds, ``example``) are
:mod:`codegen.core.spec.openapi30`, below the IR, which reads 3.0 through them;
the conversions here apply them and never restate them:

* :mod:`~codegen.core.jsonschema.from_ir`: an IR schema as JSON Schema with
  ``#/components/schemas`` references (generated services, SDK models);
* :mod:`~codegen.core.jsonschema.from_spec`: a schema as written in the spec,
  self-contained for validation (lint, the mock) or as 3.1 for the merged
  document (the gateway).
"""
