"""Sample strings for JSON Schema / OpenAPI ``format`` values.

Each sample is valid for its format (as ``jsonschema``'s format checker and
schemathesis see it) and varies with the RNG, so two generated resources do
not share an id. Unknown formats have no sample: the caller falls back to a
plain string.

``sample("uuid", random.Random(0))`` -> ``"e3e70682-c209-4cac-a29f-6fbed82c07cd"``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable

_WORDS = ("alpha", "bravo", "delta", "kilo", "lima", "oscar", "tango", "zulu")


def _word(rng: random.Random) -> str:
    return rng.choice(_WORDS)


def _date(rng: random.Random) -> str:
    return f"20{rng.randint(20, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _time(rng: random.Random) -> str:
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"


SAMPLES: dict[str, Callable[[random.Random], str]] = {
    "date": _date,
    "date-time": lambda rng: f"{_date(rng)}T{_time(rng)}",
    "time": _time,
    "duration": lambda rng: f"P{rng.randint(1, 30)}D",
    "email": lambda rng: f"{_word(rng)}{rng.randint(1, 99)}@example.com",
    "idn-email": lambda rng: f"{_word(rng)}@example.com",
    "hostname": lambda rng: f"{_word(rng)}.example.com",
    "idn-hostname": lambda rng: f"{_word(rng)}.example.com",
    "ipv4": lambda rng: f"192.0.2.{rng.randint(1, 254)}",
    "ipv6": lambda rng: f"2001:db8::{rng.randint(1, 65535):x}",
    "uri": lambda rng: f"https://example.com/{_word(rng)}/{rng.randint(1, 999)}",
    "url": lambda rng: f"https://example.com/{_word(rng)}/{rng.randint(1, 999)}",
    "iri": lambda rng: f"https://example.com/{_word(rng)}",
    "uri-reference": lambda rng: f"/{_word(rng)}/{rng.randint(1, 999)}",
    "iri-reference": lambda rng: f"/{_word(rng)}",
    "uri-template": lambda rng: f"https://example.com/{_word(rng)}/{{id}}",
    "uuid": lambda rng: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    "json-pointer": lambda rng: f"/{_word(rng)}/0",
    "relative-json-pointer": lambda rng: "0/" + _word(rng),
    "regex": lambda rng: "^[a-z]+$",
    "byte": lambda rng: "c3BlY2ZpcnN0",  # base64 of "specfirst"
    "decimal": lambda rng: f"{rng.randint(0, 9999)}.{rng.randint(0, 99):02d}",
    "binary": _word,
    "password": lambda rng: f"{_word(rng)}-{rng.randint(1000, 9999)}",
}


def sample(format_name: str, rng: random.Random) -> str | None:
    """A string valid for ``format_name``, or None for an unknown format."""
    make = SAMPLES.get(format_name)
    return make(rng) if make is not None else None
