"""A second caller for the contract run: a valid token without the ``admin`` scope.

The run's own token holds ``admin`` (:mod:`.credentials`), which every operation
allows, so a 403 the spec declares ("a token whose ``sub`` is not the order's
customer") is never answered and never checked. While a target is tested, a share
(:data:`SHARE`) of the requests that carry the run's bearer token, to operations
that declare a 403, go out with a token of the same issuer whose scope is empty and
whose subject (:data:`USER_SUBJECT`) owns nothing instead. Each request draws from
a generator seeded with the run's seed, so a run is reproduced by its seed; the
printed curl command carries the token that was sent. Requests without the run's
token (schemathesis' own auth checks, negative cases without credentials) are left
as they are.

    with swapping(TokenSwap.for_run(creds, seed=1)):
        ...  # schemathesis runs; before_call swaps the token of some cases
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import schemathesis

from codegen.verify.contract.credentials import Credentials, mint_token

SHARE = 0.2
USER_SUBJECT = "00000000-0000-4000-8000-0000000005e7"
FORBIDDEN = "403"


@dataclass(slots=True)
class TokenSwap:
    admin: str  # the Authorization header of the run's token
    user: str  # the one sent instead
    draws: random.Random

    @classmethod
    def for_run(cls, creds: Credentials, seed: int) -> TokenSwap:
        user = mint_token(creds.jwt_secret, USER_SUBJECT, scope="")
        return cls(f"Bearer {creds.token}", f"Bearer {user}", random.Random(seed))

    def apply(self, case: schemathesis.Case[Any]) -> None:
        """Send ``case`` with the user's token instead of the run's, now and then."""
        headers = case.headers
        if not headers or not _declares_forbidden(case):
            return
        name = next((key for key in headers if key.lower() == "authorization"), None)
        if name is None or headers[name] != self.admin:
            return
        if self.draws.random() < SHARE:
            headers[name] = self.user


def _declares_forbidden(case: schemathesis.Case[Any]) -> bool:
    responses = case.operation.definition.raw.get("responses") or {}
    return any(str(status) == FORBIDDEN for status in responses)


_active: list[TokenSwap] = []


@contextlib.contextmanager
def swapping(swap: TokenSwap | None) -> Iterator[None]:
    """Swap tokens (``swap``; nothing when None) while the block runs."""
    if swap is None:
        yield
        return
    _active.append(swap)
    try:
        yield
    finally:
        _active.remove(swap)


@schemathesis.hook
def before_call(
    context: schemathesis.HookContext, case: schemathesis.Case[Any], kwargs: dict[str, Any]
) -> None:
    """schemathesis calls it before sending every case, its auth already set."""
    for swap in _active:
        swap.apply(case)
