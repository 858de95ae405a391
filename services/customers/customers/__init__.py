"""The customers app: customer accounts with hashed passwords."""

from __future__ import annotations
