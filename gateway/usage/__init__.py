"""Live usage recording at the gateway (docs/usage.md): names, never values.

:mod:`gateway.usage.recorder` collects observations off the request path and
flushes counters periodically into a store (:mod:`gateway.usage.stores`:
Redis when configured, else SQLite); :mod:`gateway.usage.export` reads them
back into the portable snapshot of :mod:`codegen.core.usage.snapshot`.
"""
