"""HTTP layer of the customers service: hand-written subclasses of the generated stubs."""

from __future__ import annotations
