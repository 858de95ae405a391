"""Composition: every service's spec → one OpenAPI 3.1 document + routing entries."""

from __future__ import annotations

from gateway.compose.merge import Composition, compose
from gateway.compose.source import SourceSpec, from_dict

__all__ = ["Composition", "SourceSpec", "compose", "from_dict"]
