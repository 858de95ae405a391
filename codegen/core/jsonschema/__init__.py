"""OpenAPI schemas as JSON Schema 2020-12: the one place the conversion rules live.

* :mod:`~codegen.core.jsonschema.openapi30`: 3.0's ``nullable``, boolean exclusive
  bounds and ``example`` in 2020-12 terms, one schema object at a time (the IR
  builder reads 3.0 through it);
* :mod:`~codegen.core.jsonschema.from_ir`: an IR schema as JSON Schema with
  ``#/components/schemas`` references (generated services, SDK models).
"""
