"""A circuit breaker per upstream service.

After ``failures`` consecutive connection failures or timeouts the breaker
*opens*: requests fail fast with a 503 problem (no connection attempt) for
``reset`` seconds. Then it is *half open*: one probe request goes through; its
success closes the breaker, its failure opens it again for another period.

Example::

    >>> b = CircuitBreaker(failures=2, reset=10.0, clock=lambda: 0.0)
    >>> b.failure(); b.failure(); b.allow()
    False
"""

from __future__ import annotations

import time
from collections.abc import Callable

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class CircuitBreaker:
    __slots__ = ("_clock", "_failures", "_opened_at", "_probing", "limit", "reset", "state")

    def __init__(
        self, failures: int = 5, reset: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = failures
        self.reset = reset
        self.state = CLOSED
        self._clock = clock
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False

    def allow(self) -> bool:
        """Whether a request may be sent now (claims the probe when half open)."""
        if self.state == CLOSED:
            return True
        if self.state == OPEN:
            if self._clock() - self._opened_at < self.reset:
                return False
            self.state = HALF_OPEN
            self._probing = False
        if self._probing:
            return False
        self._probing = True
        return True

    def retry_after(self) -> int:
        """Seconds until the breaker lets a probe through (at least 1)."""
        remaining = self.reset - (self._clock() - self._opened_at)
        return max(1, int(remaining + 0.999))

    def success(self) -> None:
        if self.state != CLOSED or self._failures:
            self.state = CLOSED
            self._failures = 0
            self._probing = False

    def failure(self) -> None:
        self._failures += 1
        if self.state == HALF_OPEN or self._failures >= self.limit:
            self.state = OPEN
            self._opened_at = self._clock()
            self._probing = False

    def release_probe(self) -> None:
        """A probe that ended without a verdict (e.g. refused before sending)."""
        self._probing = False
