"""HTTP layer of the orders service: hand-written subclasses of the generated stubs."""

from __future__ import annotations
