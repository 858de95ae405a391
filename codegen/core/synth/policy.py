"""How the synthesizer chooses among the valid instances of a schema.

Three callers want three kinds of value from the same schema, and a :class:`Policy`
says which, without changing what "valid" means:

* the mock (``specfirst serve --mock``) wants varied data: ``Values.RANDOM``, every
  optional property down to a depth, the same bytes for the same seed;
* contract seeding (``specfirst test``) wants a body a service accepts and that links
  to what was created before: the schema's own examples first, the ids it was given
  (``known``), otherwise the plainest values (``Values.MINIMAL``), optional properties
  only when they carry an example or a known id;
* SDK documentation wants a short, readable call: examples first, else the plainest
  value, required properties only.

``Policy(values=Values.MINIMAL, examples=True, optional=Optional.NONE)`` on
``{"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"},
"s": {"type": "string"}}}`` -> ``{"n": 1}``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.core.openapi import Direction


class Values(enum.Enum):
    """How a value is chosen where the schema allows many."""

    RANDOM = "random"  # varied, from an RNG seeded by ``Policy.seed``
    MINIMAL = "minimal"  # the plainest: the lower bound or 1, "x" * minLength, False, minItems


class Optional(enum.Enum):
    """Which optional properties an object gets (required ones always)."""

    ALL = "all"  # every one the direction sends, down to ``max_depth``
    INFORMATIVE = "informative"  # those with an example, default, const, enum or known value
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Policy:
    """The choices of one synthesis (see the module docstring)."""

    values: Values = Values.RANDOM
    seed: int = 0
    # readOnly properties are left out of requests, writeOnly ones out of responses
    direction: Direction = "response"
    # take a schema's own ``example``/``examples``/``default`` first, when it validates
    examples: bool = False
    # values to reuse, keyed by :func:`key_of` of a property name: the ids of
    # resources created earlier, so a new resource refers to them
    known: Mapping[str, Any] = field(default_factory=dict)
    optional: Optional = Optional.ALL
    max_depth: int = 3  # optional properties and non-empty arrays stop below this depth


def key_of(name: str) -> str:
    """``category_id``, ``categoryId`` and ``CategoryID`` -> ``categoryid``."""
    return "".join(ch for ch in name.lower() if ch.isalnum())
