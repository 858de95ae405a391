"""The orders app: orders with line items and payments, placed against catalog and customers."""

from __future__ import annotations
