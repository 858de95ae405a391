"""Live usage of an API, without payload values: what the gateway records
(:mod:`codegen.core.usage.fields`), where in a request body a property sits
(:mod:`codegen.core.usage.body`), and the portable snapshot that
``specfirst usage export`` writes and ``specfirst diff --usage`` reads
(:mod:`codegen.core.usage.snapshot`). It lives in the core because the
gateway (which records) and the designer tools (which read) are siblings.
"""
