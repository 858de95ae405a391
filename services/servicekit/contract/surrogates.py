"""Find lone UTF-16 surrogate escapes in raw JSON, so they are a 400, not a 500.

JSON text may escape a lone surrogate (``"\\ud8b7"``); Python decodes it into
a ``str`` that no UTF-8 database driver can store, so without this check
(:func:`servicekit.contract.bodies.parse_json` calls it) it surfaces as a
500 deep in the ORM. Bodies without a surrogate escape (the
common case) pay one ``bytes.find``; valid pairs (``"\\ud83d\\ude00"``, an
emoji) are accepted.

Example: ``lone_surrogate(b'{"name": "\\\\ud8b7x"}')`` → ``"ud8b7"``.
"""

from __future__ import annotations

import re

# An escape preceded by an even number of backslashes (so the "\\u" is real):
# a high surrogate, optionally followed by its low half, or a lone low one.
_ESCAPE = re.compile(
    rb"(?<!\\)(?:\\\\)*\\u(?:([dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    rb"|([dD][c-fC-F][0-9a-fA-F]{2}))"
)


def lone_surrogate(raw: bytes) -> str | None:
    """The first unpaired surrogate escape in ``raw`` (``"ud8b7"``), else ``None``."""
    if b"\\u" not in raw:
        return None
    for found in _ESCAPE.finditer(raw):
        if found.group(3) is not None:
            return "u" + found.group(3).decode()
        if found.group(2) is None:
            return "u" + found.group(1).decode()
    return None
