"""``specfirst new``: scaffold a service (spec, Django project, generated code, implementation)."""

from __future__ import annotations
