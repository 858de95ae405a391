"""Settings of the catalog service: the servicekit defaults (see servicekit.settings)."""

from __future__ import annotations

from pathlib import Path

from servicekit.settings import service_settings

BASE_DIR = Path(__file__).resolve().parent.parent

globals().update(service_settings("catalog", BASE_DIR))
