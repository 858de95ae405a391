"""String formats: a table of checkers and converters, one entry per format.

A checker gets the JSON string and returns the Python value handlers receive
(``"2024-01-02"`` -> ``date(2024, 1, 2)`` for ``format: date``) or raises
``ValueError`` with a message. Unknown formats are annotations in JSON Schema
and pass unchanged.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import ipaddress
import re
import uuid
from collections.abc import Callable
from typing import Any

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_TIME = re.compile(
    r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.ASCII | re.IGNORECASE
)
_DURATION = re.compile(
    r"^P(?!$)(\d+W|(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?)$", re.ASCII
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$", re.ASCII)


def _date(text: str) -> datetime.date:
    if not _DATE.match(text):
        raise ValueError("Must be a date in the format YYYY-MM-DD.")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a valid calendar date.") from None


def _time(text: str) -> datetime.time:
    if not _TIME.match(text):
        raise ValueError("Must be a time in the format hh:mm:ss[.fraction](Z|+hh:mm).")
    normalized = text[:-1] + "+00:00" if text[-1] in "zZ" else text
    try:
        return datetime.time.fromisoformat(normalized)
    except ValueError:
        raise ValueError(f"{text} is not a valid time of day.") from None


def _date_time(text: str) -> datetime.datetime:
    date_part, sep, time_part = text.partition("T") if "T" in text else text.partition("t")
    if not sep:
        raise ValueError("Must be an RFC 3339 date-time, e.g. 2024-01-02T03:04:05Z.")
    try:
        day = _date(date_part)
        clock = _time(time_part)
    except ValueError:
        raise ValueError("Must be an RFC 3339 date-time, e.g. 2024-01-02T03:04:05Z.") from None
    return _as_utc(datetime.datetime.combine(day, clock), text)


def _as_utc(value: datetime.datetime, text: str) -> datetime.datetime:
    """The same instant in UTC, so no consumer sees an unusual offset.

    RFC 3339 allows offsets up to ±23:59, which PostgreSQL (±15:59) rejects:
    ``0580-09-16T18:09:41-23:13`` -> ``datetime(580, 9, 17, 17, 22, 41, tzinfo=UTC)``.
    An instant outside years 1-9999 in UTC (``0001-01-01T00:00:00+01:00``) is
    invalid input, not a server error.
    """
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError(f"{text} is outside years 0001-9999 in UTC.") from None


def _duration(text: str) -> str:
    if not _DURATION.match(text):
        raise ValueError("Must be an ISO 8601 duration, e.g. P1DT2H.")
    return text


def _email(text: str) -> str:
    if not _EMAIL.match(text):
        raise ValueError("Must be an email address.")
    return text


def _uri(text: str) -> str:
    if not _URI.match(text):
        raise ValueError("Must be an absolute URI.")
    return text


def _uuid(text: str) -> uuid.UUID:
    try:
        value = uuid.UUID(text)
    except ValueError:
        raise ValueError("Must be a UUID.") from None
    if len(text) != 36:
        raise ValueError("Must be a UUID in the 8-4-4-4-12 form.")
    return value


def _ipv4(text: str) -> str:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        raise ValueError("Must be an IPv4 address.") from None
    return text


def _ipv6(text: str) -> str:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        raise ValueError("Must be an IPv6 address.") from None
    return text


def _byte(text: str) -> str:
    if len(text) % 4 or not _BASE64.match(text):
        raise ValueError("Must be base64-encoded data.")
    try:
        base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError("Must be base64-encoded data.") from None
    return text


STRING_FORMATS: dict[str, Callable[[str], Any]] = {
    "byte": _byte,
    "date": _date,
    "date-time": _date_time,
    "duration": _duration,
    "email": _email,
    "idn-email": _email,
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "time": _time,
    "uri": _uri,
    "uuid": _uuid,
}

# Integer formats bound the value range; float/double are annotations.
INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}


def check_string_format(fmt: str | None, text: str) -> Any:
    """Validate and convert ``text`` for ``fmt``; unknown formats pass as-is."""
    checker = STRING_FORMATS.get(fmt or "")
    return checker(text) if checker else text
