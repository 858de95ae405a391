"""URL patterns of the customers API: the generated routes bound to :mod:`customers.api.views`."""

from __future__ import annotations

from customers.api import views
from customers.api._generated.urls import build_urlpatterns

urlpatterns = build_urlpatterns(views)
