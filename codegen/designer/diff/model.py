"""One classified change between two versions of a spec, and the diff's context.

:class:`Change` is what every check reports: the check id (SF4xx), its level,
a message that names the operation and place where the change takes effect,
and where that is in the old and the new file. :class:`DiffContext` holds the
two documents and collects changes while the comparers walk them.

Example: ``Change("SF456", Level.BREAKING, "GET /orders/{id} response 200
(application/json) total: property removed", <specs/v1.yaml:40:9
#/components/schemas/Order/properties/total>, <specs/v2.yaml:35:7
#/components/schemas/Order/properties>)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen.core.diagnostics import SourceLocation
from codegen.designer.diff.catalogue import CHECKS_BY_ID, Level
from codegen.designer.lint.document import Document, Node


@dataclass(frozen=True, slots=True)
class Subject:
    """What a change is about, as live traffic would show it (docs/usage.md).

    ``method``/``path`` name the operation as the *old* spec declares it (``*``
    for every method of a path, or every path of a removed spec). ``kind`` is
    ``operation`` (every request of it), ``parameter`` (``location``, ``name``),
    ``body`` (the request body), ``media`` (``name``: a request media type) or
    ``property`` (``name``: the folded JSON pointer of a request body property,
    :mod:`codegen.core.usage.body`). ``absent`` marks changes that break the
    requests *without* the item (a parameter or property became required).
    """

    method: str
    path: str
    kind: str = "operation"
    location: str = ""
    name: str = ""
    absent: bool = False
    service: str | None = None  # known only when a whole spec is added or removed

    def part(self, kind: str, name: str = "", location: str = "", absent: bool = False) -> Subject:
        """The same operation, narrowed to one of its parts."""
        return Subject(self.method, self.path, kind, location, name, absent, self.service)


@dataclass(frozen=True, slots=True)
class Change:
    check: str
    level: Level
    message: str
    old: SourceLocation | None
    new: SourceLocation | None
    subject: Subject | None = None

    @property
    def name(self) -> str:
        return CHECKS_BY_ID[self.check].name

    def to_json(self) -> dict[str, object]:
        def where(location: SourceLocation | None) -> dict[str, object] | None:
            if location is None:
                return None
            return {
                "file": location.file,
                "line": location.line,
                "column": location.column,
                "pointer": location.pointer,
            }

        return {
            "check": self.check,
            "name": self.name,
            "level": str(self.level),
            "message": self.message,
            "old": where(self.old),
            "new": where(self.new),
        }


@dataclass
class DiffContext:
    old: Document
    new: Document
    changes: list[Change] = field(default_factory=list)
    operation: Subject | None = None  # the operation being compared, the default subject
    _once: set[tuple[str, object, object]] = field(default_factory=set)

    def report(
        self,
        check: str,
        message: str,
        old: Node | None,
        new: Node | None,
        *,
        once: bool = False,
        subject: Subject | None = None,
    ) -> None:
        """Record one change. With ``once`` (and always for documentation edits) a
        check is recorded once per pair of places, however many operations reach it.
        ``subject`` defaults to the operation being compared."""
        if once or check == "SF490":
            key = (check, old.key if old else None, new.key if new else None)
            if key in self._once:
                return
            self._once.add(key)
        self.changes.append(
            Change(
                check,
                CHECKS_BY_ID[check].level,
                message,
                self.old.locate(old) if old is not None else None,
                self.new.locate(new) if new is not None else None,
                subject or self.operation,
            )
        )
