"""Contract-test fixtures of the customers service (``specfirst test``, docs/contract-testing.md).

Generated requests cannot guess a password that opens a login. This hook signs one
customer up through the API and offers its credentials to the generated requests:
token requests then log in (200), and fail with its email address and a wrong
password until the login is throttled (429); a ``client_credentials`` request with
an unknown client answers 401. It speaks HTTP
only and never imports Django.
"""

from __future__ import annotations

from typing import Any

EMAIL = "contract-login@example.com"
PASSWORD = "correct-horse-battery-1"
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
