"""The second caller (:mod:`codegen.verify.contract.identities`): some requests with the
run's admin token go out with a token without scopes, to operations that declare 403."""

from __future__ import annotations

from typing import Any

import jwt
import schemathesis

from codegen.verify.contract.credentials import dev_credentials
from codegen.verify.contract.identities import SHARE, USER_SUBJECT, TokenSwap

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/mine": {"get": {"operationId": "mine", "responses": {"200": {}, "403": {}}}},
        "/open": {"get": {"operationId": "open", "responses": {"200": {}}}},
    },
}
DRAWS = 400


def cases(path: str, authorization: str | None) -> list[schemathesis.Case[Any]]:
    operation = schemathesis.openapi.from_dict(SPEC)[path]["GET"]
    headers = {} if authorization is None else {"Authorization": authorization}
    return [operation.Case(headers=dict(headers)) for _ in range(DRAWS)]


def sent(swap: TokenSwap, batch: list[schemathesis.Case[Any]]) -> list[str | None]:
    for case in batch:
        swap.apply(case)
    return [(case.headers or {}).get("Authorization") for case in batch]


def test_a_share_of_admin_requests_to_forbidding_operations_go_as_a_user() -> None:
    creds = dev_credentials()
    admin = f"Bearer {creds.token}"
    headers = sent(TokenSwap.for_run(creds, seed=7), cases("/mine", admin))
    users = [h for h in headers if h != admin]
    assert abs(len(users) / DRAWS - SHARE) < 0.08
    (user,) = set(users)
    claims = jwt.decode(
        user.removeprefix("Bearer "), options={"verify_signature": False, "verify_aud": False}
    )
    assert (claims["sub"], claims["scope"]) == (USER_SUBJECT, "")
    # the same seed swaps the same requests
    again = sent(TokenSwap.for_run(creds, seed=7), cases("/mine", admin))
    assert [h == admin for h in again] == [h == admin for h in headers]


def test_other_requests_are_left_as_they_are() -> None:
    creds = dev_credentials()
    admin = f"Bearer {creds.token}"
    swap = TokenSwap.for_run(creds, seed=7)
    assert set(sent(swap, cases("/open", admin))) == {admin}  # no 403 declared
    assert set(sent(swap, cases("/mine", "Bearer other"))) == {"Bearer other"}
    assert set(sent(swap, cases("/mine", None))) == {None}
