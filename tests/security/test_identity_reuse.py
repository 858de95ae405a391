"""The signed identity's caches: a signer reuses a token for the same request
for a few seconds, a verifier remembers a checked token, and neither weakens
the binding to service, method, path and lifetime."""

from __future__ import annotations

import time

import pytest

from codegen.core.auth.defaults import DEV_IDENTITY_PRIVATE_KEY, DEV_IDENTITY_PUBLIC_KEY
from codegen.core.auth.forwarded import (
    LIFETIME,
    REUSE,
    ForwardedIdentity,
    ForwardedIdentityError,
    IdentitySigner,
    IdentityVerifier,
)

ALICE = ForwardedIdentity("alice", ("orders:read",), ("bearerAuth",))
BOB = ForwardedIdentity("bob", ("orders:read",), ("bearerAuth",))


def sign(signer: IdentitySigner, now: float, identity: ForwardedIdentity = ALICE, **kw: str) -> str:
    request = {"audience": "orders", "method": "GET", "path": "/orders/7", **kw}
    return signer.sign(identity, now=now, **request)


def test_a_token_is_reused_for_the_same_request_only_within_the_reuse_window() -> None:
    signer = IdentitySigner(DEV_IDENTITY_PRIVATE_KEY)
    start = time.time()
    first = sign(signer, start)
    assert sign(signer, start + REUSE - 1) == first
    assert sign(signer, start + REUSE) != first  # signed anew: a fresh iat and exp
    assert len({
        first,
        sign(signer, start, path="/orders/8"),
        sign(signer, start, method="DELETE"),
        sign(signer, start, audience="customers"),
        sign(signer, start, BOB),
    }) == 5  # fmt: skip


def test_a_reused_token_still_expires_a_lifetime_after_it_was_signed() -> None:
    signer = IdentitySigner(DEV_IDENTITY_PRIVATE_KEY)
    verifier = IdentityVerifier(DEV_IDENTITY_PUBLIC_KEY, audience="orders", leeway=0)
    signed_at = time.time() - LIFETIME + 1  # signed a lifetime ago, less one second
    token = sign(signer, signed_at)
    assert verifier.verify(token, "GET", "/orders/7") == ALICE
    time.sleep(1.1)
    with pytest.raises(ForwardedIdentityError, match="has expired"):
        verifier.verify(token, "GET", "/orders/7")  # remembered, but not past its expiry


def test_a_remembered_token_is_still_bound_to_its_request_and_service() -> None:
    token = sign(IdentitySigner(DEV_IDENTITY_PRIVATE_KEY), time.time())
    verifier = IdentityVerifier(DEV_IDENTITY_PUBLIC_KEY, audience="orders")
    assert verifier.verify(token, "GET", "/orders/7") == ALICE
    for method, path in (("DELETE", "/orders/7"), ("GET", "/orders/8")):
        with pytest.raises(ForwardedIdentityError, match="signed for another request"):
            verifier.verify(token, method, path)
    other = IdentityVerifier(DEV_IDENTITY_PUBLIC_KEY, audience="customers")
    with pytest.raises(ForwardedIdentityError, match="for another service"):
        other.verify(token, "GET", "/orders/7")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(ForwardedIdentityError, match="signature is not valid"):
        verifier.verify(forged, "GET", "/orders/7")
