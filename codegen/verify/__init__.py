"""Verify layer: checks that running services keep their contract: ``contract/``
(``specfirst test``, schemathesis) and ``drift/`` (spec vs the schema derived from code).

Imports only :mod:`codegen.core`; the services under test run in their own processes.
"""
