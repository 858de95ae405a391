"""JSON scalars -> the Python values handlers receive: the one table of conversions.

A string format's checker gets the validated JSON string and returns the
Python value (``"2024-01-02"`` -> ``date(2024, 1, 2)`` for ``format: date``)
or raises ``ValueError`` with a message; :func:`python_number` does the same
for numbers. Unknown formats are annotations in JSON Schema and pass
unchanged, as ``str``.

The generator annotates handler arguments from the same rules
(``codegen.generator.render.annotations``); ``tests/servicekit/test_formats.py``
checks that each annotation names the type this module returns.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import ipaddress
import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_TIME = re.compile(
    r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.ASCII | re.IGNORECASE
)
_DURATION = re.compile(
    r"^P(?!$)((?P<weeks>\d+)W|((?P<years>\d+)Y)?((?P<months>\d+)M)?((?P<days>\d+)D)?"
    r"(T(?=\d)((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d+)?)S)?)?)$",
    re.ASCII,
)
_DECIMAL = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", re.ASCII)
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


def _duration(text: str) -> datetime.timedelta:
    """``"P1DT2H"`` -> ``timedelta(days=1, hours=2)``.

    Years and months have no fixed length, so a ``timedelta`` cannot hold them:
    ``P1M`` is refused with a message saying so (rather than guessed as 30 days).
    """
    match = _DURATION.match(text)
    if not match:
        raise ValueError("Must be an ISO 8601 duration, e.g. P1DT2H.")
    if match["years"] or match["months"]:
        raise ValueError(
            "Years and months have no fixed length; give the duration in weeks, days, "
            "hours, minutes and seconds, e.g. P30D."
        )
    parts = {k: float(v) for k, v in match.groupdict().items() if v is not None}
    try:
        return datetime.timedelta(**parts)
    except OverflowError:
        raise ValueError(f"{text} is longer than 999999999 days.") from None


def _decimal(text: str) -> decimal.Decimal:
    """``"12.50"`` -> ``Decimal("12.50")``: a number written as a JSON string, exactly."""
    if not _DECIMAL.match(text):
        raise ValueError("Must be a decimal number written as a string, e.g. 12.50.")
    return decimal.Decimal(text)


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


def _ipv4(text: str) -> ipaddress.IPv4Address:
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        raise ValueError("Must be an IPv4 address.") from None


def _ipv6(text: str) -> ipaddress.IPv6Address:
    try:
        return ipaddress.IPv6Address(text)
    except ValueError:
        raise ValueError("Must be an IPv6 address.") from None


def _byte(text: str) -> bytes:
    """``"aGk="`` -> ``b"hi"``."""
    if len(text) % 4 or not _BASE64.match(text):
        raise ValueError("Must be base64-encoded data.")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError("Must be base64-encoded data.") from None


def _binary(text: str) -> bytes:
    """Raw octets sent as text (a parameter, a JSON string): their UTF-8 bytes.
    An uploaded multipart file is not text and stays a file (see ``fields``)."""
    return text.encode("utf-8", "surrogatepass")


STRING_FORMATS: dict[str, Callable[[str], Any]] = {
    "binary": _binary,
    "byte": _byte,
    "date": _date,
    "date-time": _date_time,
    "decimal": _decimal,
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


# Formats whose JSON number is a binary floating-point value in Python.
FLOAT_FORMATS = frozenset({"float", "double"})


def check_string_format(fmt: str | None, text: str) -> Any:
    """Validate and convert ``text`` for ``fmt``; unknown formats pass as-is."""
    checker = STRING_FORMATS.get(fmt or "")
    return checker(text) if checker else text


def python_number(number: Any, types: Sequence[str], fmt: str | None) -> Any:
    """A validated JSON number -> one Python type per schema.

    An ``integer`` schema gives ``int`` (``2.0`` -> ``2``); a ``number``
    schema gives ``Decimal`` (``5`` -> ``Decimal(5)``, exact as written), or
    ``float`` with ``format: float``/``double``. A schema of several types
    keeps what JSON parsing produced.
    """
    kinds = [kind for kind in types if kind != "null"]
    if kinds == ["integer"]:
        return int(number)
    if kinds == ["number"]:
        if fmt in FLOAT_FORMATS:
            return float(number)
        if isinstance(number, decimal.Decimal):
            return number
        return decimal.Decimal(number) if isinstance(number, int) else decimal.Decimal(repr(number))
    return number


def string_output(fmt: str | None, value: Any) -> Any:
    """What a ``string`` property writes for a converted value that is not ``str``:
    ``Decimal("12.50")`` -> ``"12.50"`` for ``format: decimal`` (``to_json`` would
    write a JSON number); ``None`` when :func:`~.jsonvalues.to_json` knows best."""
    if fmt == "decimal" and isinstance(value, decimal.Decimal | int):
        return str(value)
    if fmt == "binary" and isinstance(value, bytes):
        return value.decode("utf-8", "surrogatepass")
    return None
