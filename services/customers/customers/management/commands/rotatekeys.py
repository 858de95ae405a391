"""``manage.py rotatekeys``: start a new token-signing key; retire the current one.

New tokens are signed with the new key at once. The retired key stays in the
JWKS until every token it signed has expired (the access-token lifetime plus a
minute), so verifiers keep accepting them; keys past that are deleted here.
Verifiers that meet the new ``kid`` fetch the JWKS again (the gateway does).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from customers.oauth import keys


class Command(BaseCommand):
    help = "Rotate the RS256 key that signs access tokens (the old one stays published)."

    def handle(self, *args: Any, **options: Any) -> None:
        key, deleted = keys.rotate()
        self.stdout.write(f"signing key: {key.kid}")
        published = [jwk["kid"] for jwk in keys.published_keys()]
        self.stdout.write(f"published:   {', '.join(published)}")
        if deleted:
            self.stdout.write(f"deleted:     {', '.join(deleted)}")
