"""The cyclic garbage collector while a command builds a large, long-lived state.

Serving GitHub's REST API builds millions of objects that live as long as the
process (the parsed spec, the IR, the generated modules). Each time the young
generations overflow, CPython may rescan that whole heap looking for cycles
that are not there: twelve full collections cost about 3 s of the 13 s
``specfirst serve`` took to start on that spec. :func:`paused_collector`
turns the collector off while the state is built (peak memory stays the same:
what startup discards is freed by reference counting), then collects once and
moves the survivors to the permanent generation (:func:`gc.freeze`), so the
server that runs afterwards never rescans them either.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    """No cyclic collection inside the block; one, then a freeze, on leaving it.

    The collector is enabled again afterwards only if it was enabled before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.freeze()
        if was_enabled:
            gc.enable()
