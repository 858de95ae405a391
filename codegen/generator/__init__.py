"""Generator layer: the IR becomes files (DRF serializers, stubs and URL confs under
``render/``, typed client models, SDKs under ``sdk/``), written by ``output``.

Imports only :mod:`codegen.core`; never Django or DRF (the generated code does).
"""
