"""Contract-test fixtures of the customers service (``specfirst test``, docs/contract-testing.md).

The login's 200 comes from the spec: the seeded customer is registered with the
examples of ``Customer`` (``ada@example.com``, password ``correct-horse-battery-staple``)
and the examples phase sends the ``TokenRequest`` examples, the same pair. This hook
signs up a second customer and offers its email address to the generated token
requests, whose other passwords fail until that login is throttled (429); its password
is the spec's example too, because a remembered value is also what the spec seeding
gives a property of that name. A ``client_credentials`` request with an unknown client
answers 401. It speaks HTTP
only and never imports Django.
"""

from __future__ import annotations

from typing import Any

EMAIL = "contract-login@example.com"
PASSWORD = "correct-horse-battery-staple"  # the spec's example (above)
GRANTS = ("password", "client_credentials")


def seed(api: Any) -> None:
    response = api.post(
        "/customers", json={"email": EMAIL, "name": "Contract Login", "password": PASSWORD}
    )
    if response.status_code != 201:
        raise RuntimeError(f"POST /customers: {response.status_code} {response.text}")
    api.remember("body.username", EMAIL)
    api.remember("body.password", PASSWORD)
    for grant in GRANTS:
        api.remember("body.grant_type", grant)
