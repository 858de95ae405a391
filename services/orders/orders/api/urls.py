"""URL patterns of the orders API: the generated routes bound to :mod:`orders.api.views`."""

from __future__ import annotations

from orders.api import views
from orders.api._generated.urls import build_urlpatterns

urlpatterns = build_urlpatterns(views)
