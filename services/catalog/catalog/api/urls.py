"""URL patterns of the catalog API: the generated routes bound to :mod:`catalog.api.views`."""

from __future__ import annotations

from catalog.api import views
from catalog.api._generated.urls import build_urlpatterns

urlpatterns = build_urlpatterns(views)
