"""Semantic versions of ``info.version`` and how a release bumps them.

Example: ``Version.parse("1.4.2").bump(Bump.MINOR)`` → ``Version(1, 5, 0)``;
``Version.parse("v1.4")`` raises :class:`VersionError`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?$")


class VersionError(ValueError):
    """Not a semantic version (MAJOR.MINOR.PATCH, optionally -PRERELEASE)."""


class Bump(enum.IntEnum):
    """Ordered: the largest bump a release's changes call for wins."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: str = ""  # kept as read; a bump drops it

    @classmethod
    def parse(cls, text: str) -> Version:
        found = _SEMVER.match(text.strip())
        if found is None:
            raise VersionError(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH)")
        major, minor, patch, pre = found.groups()
        return cls(int(major), int(minor), int(patch), pre or "")

    def bump(self, kind: Bump) -> Version:
        if kind is Bump.MAJOR:
            return Version(self.major + 1, 0, 0)
        if kind is Bump.MINOR:
            return Version(self.major, self.minor + 1, 0)
        if kind is Bump.PATCH:
            return Version(self.major, self.minor, self.patch + 1)
        return self

    @property
    def key(self) -> tuple[int, int, int, bool]:
        """Sort key: a pre-release comes before its release (2.0.0-rc1 < 2.0.0)."""
        return (self.major, self.minor, self.patch, not self.prerelease)

    def satisfies(self, base: Version, kind: Bump) -> bool:
        """Whether this version is a large enough step from ``base`` for ``kind``
        (a hand-made bump that goes further is fine; ``2.0.0-rc1`` is a major step)."""
        target = base.bump(kind)
        return (self.major, self.minor, self.patch) >= (target.major, target.minor, target.patch)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}" + (
            f"-{self.prerelease}" if self.prerelease else ""
        )
