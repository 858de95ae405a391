"""specfirst: OpenAPI specs become validated DRF code, a gateway, SDKs and contract tests.

The package is layered (docs/architecture.md; ``lint-imports`` enforces it)::

    codegen.cli         the ``specfirst`` command: the only place that wires layers together
    codegen.generator   DRF code, client models and SDKs from the IR
    codegen.designer    lint, breaking-change diff, mock
    codegen.verify      contract tests (``specfirst test``) and drift
    codegen.core        spec loading, diagnostics, the IR, project configuration

This module imports nothing: the gateway and the services import ``codegen.core``
and must not pay for the rest. The public entry points are in :mod:`codegen.core`.
"""
