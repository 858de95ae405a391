"""Settings of the orders service: the servicekit defaults (see servicekit.settings)."""

from __future__ import annotations

import os
from pathlib import Path

from servicekit.settings import service_settings

from codegen.core.auth.defaults import DEV_API_KEY

BASE_DIR = Path(__file__).resolve().parent.parent

globals().update(service_settings("orders", BASE_DIR))

# The services orders depends on (called directly, not through the gateway).
CATALOG_URL = os.environ.get("CATALOG_URL", "http://127.0.0.1:8001")
CUSTOMERS_URL = os.environ.get("CUSTOMERS_URL", "http://127.0.0.1:8002")
CATALOG_API_KEY = os.environ.get("CATALOG_API_KEY", DEV_API_KEY)
ORDERS_DEPENDENCY_TIMEOUT = float(os.environ.get("ORDERS_DEPENDENCY_TIMEOUT", "5"))
