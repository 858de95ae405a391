"""Django app config of servicekit (installed by every service)."""

from __future__ import annotations

from django.apps import AppConfig


class ServicekitConfig(AppConfig):
    name = "servicekit"
    verbose_name = "specfirst service kit"

    def ready(self) -> None:
        # Registers the drf-spectacular extension for SpecIdentityAuthentication.
        from servicekit import schema  # noqa: F401, PLC0415
