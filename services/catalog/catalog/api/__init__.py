"""HTTP layer of the catalog service: hand-written subclasses of the generated stubs."""

from __future__ import annotations
