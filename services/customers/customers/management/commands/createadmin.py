"""``manage.py createadmin [ID]``: the first admin, an OAuth client with the ``admin`` scope.

An admin logs in with the ``client_credentials`` grant and may do everything
the specs allow ``admin``. The secret is printed once (or read from
``--secret-env``).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from customers.domain import ADMIN_SCOPE
from customers.management.commands.createclient import register


class Command(BaseCommand):
    help = "Create an admin: an OAuth client with the 'admin' scope; prints its secret once."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("client_id", nargs="?", default="admin", help="default: admin")
        parser.add_argument(
            "--secret-env", default="", help="read the secret from this environment variable"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        register(self, options["client_id"], [ADMIN_SCOPE], options["secret_env"])
