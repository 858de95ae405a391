"""Benchmark: the per-request cost of the signed forwarded identity.

Each authenticated request through the gateway now costs one Ed25519 signature
at the gateway (:class:`codegen.core.auth.forwarded.IdentitySigner`) and one
verification at the service (:class:`~codegen.core.auth.forwarded.IdentityVerifier`).
Measured in the same run against baselines: the same sign-and-verify with HS256
(what a shared-secret design would cost; verifying an HS256 bearer is also what
the gateway does for every new token) and with RS256 on a 2048-bit key. Each figure is the
mean over ``--count`` calls; the run is repeated ``--repeat`` times (default 3)
and the median and the spread (min-max) are printed, with the ratios.

Usage::

    nice -n 10 .venv/bin/python bench/identity.py [--count 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from codegen.core.auth.defaults import (  # noqa: E402  (after sys.path setup)
    DEV_IDENTITY_PRIVATE_KEY,
    DEV_IDENTITY_PUBLIC_KEY,
    DEV_JWT_SECRET,
)
from codegen.core.auth.forwarded import (  # noqa: E402
    REUSE,
    ForwardedIdentity,
    IdentitySigner,
    IdentityVerifier,
)

PATH = "/orders/6f1c2a9e-2b7d-4c1e-9f0a-3d5b8c7e1a24"
IDENTITY = ForwardedIdentity("6f1c2a9e-2b7d-4c1e-9f0a", ("orders:read",), ("bearerAuth",))


def per_call_us(call: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - start) / count * 1e6


def cases(count: int) -> dict[str, Callable[[], object]]:
    """Each "first" case signs or verifies a token for a new path every call
    (what a request costs the first time); each "reused" case repeats one
    request (the signer's and the verifier's caches answer)."""
    signer = IdentitySigner(DEV_IDENTITY_PRIVATE_KEY)
    verifier = IdentityVerifier(DEV_IDENTITY_PUBLIC_KEY, audience="orders")
    paths = [f"{PATH}/{n}" for n in range(count + 1)]
    tokens = [signer.sign(IDENTITY, audience="orders", method="GET", path=p) for p in paths]
    new_path = itertools.cycle(paths)
    new_token = itertools.cycle(list(zip(paths, tokens, strict=True)))
    token = tokens[0]
    claims = {"sub": IDENTITY.subject, "scope": "orders:read", "exp": int(time.time()) + 3600}
    bearer = jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256")
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_token = jwt.encode(claims, rsa_key, algorithm="RS256")

    def verify_first() -> object:
        path, fresh = next(new_token)
        return IdentityVerifier(DEV_IDENTITY_PUBLIC_KEY, audience="orders").verify(
            fresh, "GET", path
        )

    return {
        "ed25519 sign, first": lambda: IdentitySigner(DEV_IDENTITY_PRIVATE_KEY, reuse=0).sign(
            IDENTITY, audience="orders", method="GET", path=next(new_path)
        ),
        "ed25519 verify, first": verify_first,
        "ed25519 sign, reused": lambda: signer.sign(
            IDENTITY, audience="orders", method="GET", path=PATH + "/0"
        ),
        "ed25519 verify, reused": lambda: verifier.verify(token, "GET", PATH + "/0"),
        "baseline key load (in first)": lambda: (
            IdentitySigner(DEV_IDENTITY_PRIVATE_KEY),
            IdentityVerifier(DEV_IDENTITY_PUBLIC_KEY, audience="orders"),
        ),
        "baseline hs256 sign": lambda: jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256"),
        "baseline hs256 verify": lambda: jwt.decode(bearer, DEV_JWT_SECRET, algorithms=["HS256"]),
        "baseline rs256 sign": lambda: jwt.encode(claims, rsa_key, algorithm="RS256"),
        "baseline rs256 verify": lambda: jwt.decode(
            rsa_token, rsa_key.public_key(), algorithms=["RS256"]
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="calls per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="runs (median and spread)")
    args = parser.parse_args()
    runs: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for name, call in cases(args.count).items():
            call()  # warm
            runs.setdefault(name, []).append(per_call_us(call, args.count))
    median = {name: statistics.median(values) for name, values in runs.items()}
    for name, values in runs.items():
        print(
            f"{name:28} median {median[name]:8.1f} us  spread {min(values):.1f}-{max(values):.1f}"
        )
    keys = median["baseline key load (in first)"]
    first = median["ed25519 sign, first"] + median["ed25519 verify, first"] - keys
    reused = median["ed25519 sign, reused"] + median["ed25519 verify, reused"]
    print(f"signed identity, first request (sign + verify, key loading taken out): {first:.1f} us")
    print(f"signed identity, repeated request within {REUSE} s (sign + verify): {reused:.1f} us")
    print(f"ratio repeated / first: {reused / first:.3f}")
    baseline = median["baseline hs256 sign"] + median["baseline hs256 verify"]
    print(f"ratio first to the same work with HS256: {first / baseline:.2f}")
    rs256 = median["baseline rs256 sign"] + median["baseline rs256 verify"]
    print(f"ratio first to the same work with RS256 (2048-bit): {first / rs256:.2f}")


if __name__ == "__main__":
    main()
