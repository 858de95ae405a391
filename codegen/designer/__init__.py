"""Designer layer: the tools an API designer runs on a spec before any code exists:
``lint/`` (design rules), ``diff/`` (breaking changes), ``mock/`` (answers from the spec).

Imports only :mod:`codegen.core`; never Django, DRF or the generator.
"""
