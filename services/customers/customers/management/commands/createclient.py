"""``manage.py createclient ID --scope S ...``: register an OAuth client and print its secret once.

Service clients log in with the ``client_credentials`` grant; the secret is
stored only as a hash, so it is shown here and never again. ``--secret-env``
takes it from an environment variable instead (for provisioning scripts).
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from customers.oauth import clients


def register(command: BaseCommand, client_id: str, scopes: list[str], secret_env: str) -> None:
    """Create the client and print how it logs in (shared by createadmin)."""
    secret = None
    if secret_env:
        secret = os.environ.get(secret_env)
        if not secret:
            raise CommandError(f"the environment variable {secret_env} is empty or not set")
    try:
        secret = clients.create_client(client_id, scopes, secret)
    except (clients.ClientExists, ValueError) as exc:
        raise CommandError(str(exc)) from None
    command.stdout.write(f"client_id:     {client_id}")
    shown = f"${secret_env}" if secret_env else secret
    command.stdout.write(f"client_secret: {shown}")
    command.stdout.write(f"scopes:        {' '.join(scopes) or '(none)'}")
    command.stdout.write("The secret is not shown again. Get a token with:")
    command.stdout.write(
        f"  curl -s -u '{client_id}:<secret>' -d grant_type=client_credentials "
        "http://127.0.0.1:8000/oauth/token"
    )


class Command(BaseCommand):
    help = "Register an OAuth client (client_credentials grant) and print its secret once."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("client_id", help="the client's id, e.g. orders")
        parser.add_argument(
            "--scope", action="append", default=[], help="a scope the client may have (repeat)"
        )
        parser.add_argument(
            "--secret-env", default="", help="read the secret from this environment variable"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        register(self, options["client_id"], options["scope"], options["secret_env"])
