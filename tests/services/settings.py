"""Django settings of the test session: all three services in one process.

The catalog, customers and orders apps are installed side by side (their
URLs and operationIds never collide), every spec is served, and orders'
HTTP calls can be routed in-process to the catalog and customers apps
(``ORDERS_DEPENDENCY_TRANSPORT``, set by the ``in_process_dependencies``
fixture). Passwords use a fast hasher.
"""

from __future__ import annotations

from customers.oauth.config import settings_from_env
from servicekit.settings import REPO_ROOT, service_settings

from codegen.core.auth.defaults import DEV_API_KEY

_base = service_settings("catalog", REPO_ROOT / "services" / "catalog")
_base["INSTALLED_APPS"] = [*_base["INSTALLED_APPS"], "customers", "orders"]
globals().update(_base)
globals().update(settings_from_env())

ROOT_URLCONF = "tests.services.urls"
SPECFIRST_SPECS = {
    name: REPO_ROOT / "specs" / f"{name}.yaml" for name in ("catalog", "customers", "orders")
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "catalog.test", "customers.test", "127.0.0.1", "localhost"]
CATALOG_URL = "http://catalog.test"
CUSTOMERS_URL = "http://customers.test"
CATALOG_API_KEY = DEV_API_KEY
ORDERS_DEPENDENCY_TIMEOUT = 5.0
ORDERS_DEPENDENCY_TRANSPORT = None
