"""The catalog app: categories, products and all-or-nothing stock reservations."""

from __future__ import annotations
