"""``Idempotency-Key`` for ``POST /orders``: replay, never place twice.

A key belongs to one caller (the identity's subject). The first request with
a key inserts a record holding the request's fingerprint (SHA-256 of its
canonical JSON body); the unique constraint on (subject, key) lets exactly
one concurrent request win. Then:

* same key, same body, finished   -> the stored response, replayed;
* same key, same body, in flight  -> wait for it (up to ``WAIT_SECONDS``), then replay,
  or 409 if it is still running;
* same key, different body        -> 422;
* the first request failed        -> its record is removed, so a retry runs again;
* the key is older than ``KEY_LIFETIME`` (24 hours) -> forgotten: it starts afresh.

Only successful placements are remembered: an error is not "the original
response" a client wants replayed (the stock may have been refilled since).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from servicekit.errors import Conflict, Unprocessable

from orders.models import IdempotencyRecord

WAIT_SECONDS = 10.0
KEY_LIFETIME = datetime.timedelta(hours=24)
POLL_SECONDS = 0.05


def fingerprint(body: Any) -> str:
    """``fingerprint({"b": 1, "a": 2}) == fingerprint({"a": 2, "b": 1})`` (key order ignored)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: Any
    headers: Mapping[str, str]


def claim(subject: str, key: str, body_fingerprint: str) -> StoredResponse | None:
    """Claim ``key`` for this request: ``None`` means "go ahead, you own it";
    a :class:`StoredResponse` means "answer this"; otherwise 409 or 422."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    subject=subject, key=key, fingerprint=body_fingerprint
                )
            return None
        except IntegrityError:
            pass
        record = IdempotencyRecord.objects.filter(subject=subject, key=key).first()
        if record is None:  # the owner failed and let go: try to take it over
            continue
        if record.completed and record.created_at < timezone.now() - KEY_LIFETIME:
            IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
            continue
        if record.fingerprint != body_fingerprint:
            raise Unprocessable(
                f"The Idempotency-Key {key!r} was already used with a different request body."
            )
        if record.completed:
            return StoredResponse(
                status=record.response_status or 201,
                body=record.response_body,
                headers=dict(record.response_headers),
            )
        if time.monotonic() >= deadline:
            raise Conflict(
                f"A request with Idempotency-Key {key!r} is still being processed; retry later."
            )
        time.sleep(POLL_SECONDS)


def complete(subject: str, key: str, response: StoredResponse) -> None:
    """Store the response of the request that owns ``key``."""
    IdempotencyRecord.objects.filter(subject=subject, key=key).update(
        completed=True,
        response_status=response.status,
        response_body=response.body,
        response_headers=dict(response.headers),
    )


def abandon(subject: str, key: str) -> None:
    """Let go of ``key`` after a failure, so that a retry runs afresh."""
    IdempotencyRecord.objects.filter(subject=subject, key=key, completed=False).delete()
