"""``x-specfirst-ignore``: waive lint findings in the spec, each with a reason.

A waiver sits on the object a finding is reported at, or on any object above
it, and covers the findings of the named rule at or below that object::

    paths:
      /signup:
        post:
          x-specfirst-ignore:
            - rule: SF316            # or the rule name, write-security-missing
              reason: sign-up is anonymous by design

A mapping ``{SF316: "reason"}`` is accepted too. A waiver without a reason,
or naming no known rule, waives nothing and is itself a finding (SF319); a
valid waiver that matches no finding is reported as unused (SF320).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from codegen.designer.lint.catalogue import find_rule
from codegen.designer.lint.document import Document, Node
from codegen.designer.lint.findings import Finding

KEY = "x-specfirst-ignore"
UNWAIVABLE = frozenset({"SF319", "SF320"})


@dataclass(frozen=True, slots=True, eq=False)  # identity: two waivers may look alike
class Waiver:
    rule: str  # rule id
    reason: str
    scope: Node  # the object holding the x-specfirst-ignore key
    entry: Node  # the waiver entry itself, for SF320's location

    def covers(self, finding: Finding) -> bool:
        node = finding.node
        return (
            finding.rule == self.rule
            and node.file.display == self.scope.file.display
            and (
                node.pointer == self.scope.pointer
                or node.pointer.startswith(self.scope.pointer + "/")
            )
        )


def collect(doc: Document) -> tuple[list[Waiver], list[Finding]]:
    """Every valid waiver in every loaded file, and SF319 findings for the invalid ones."""
    waivers: list[Waiver] = []
    problems: list[Finding] = []
    for spec_file in doc.loaded.files.values():
        for scope in _holders(Node(spec_file, "", spec_file.data)):
            for entry, rule_key, reason in _entries(scope.child(KEY)):
                rule = find_rule(rule_key) if isinstance(rule_key, str) else None
                if rule is None or rule.id in UNWAIVABLE:
                    problems.append(
                        Finding(
                            "SF319", f"waiver names no rule that can be waived: {rule_key!r}", entry
                        )
                    )
                elif not isinstance(reason, str) or not reason.strip():
                    problems.append(
                        Finding(
                            "SF319",
                            f"waiver for {rule.id} ({rule.name}) gives no reason, "
                            "so it waives nothing",
                            entry,
                        )
                    )
                else:
                    waivers.append(Waiver(rule.id, reason.strip(), scope, entry))
    return waivers, problems


def _holders(node: Node) -> Iterator[Node]:
    """Every mapping that has an ``x-specfirst-ignore`` key."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current.value, dict):
            if KEY in current.value:
                yield current
            stack.extend(child for key, child in current.items() if key != KEY)
        elif isinstance(current.value, list):
            stack.extend(current.elements())


def _entries(value: Node) -> Iterator[tuple[Node, object, object]]:
    """``(entry node, rule, reason)`` for each entry of the three accepted forms."""
    if isinstance(value.value, dict) and "rule" in value.value:
        yield value, value.get("rule"), value.get("reason")
    elif isinstance(value.value, dict):
        for rule, entry in value.items():
            yield entry, rule, entry.value
    elif isinstance(value.value, list):
        for entry in value.elements():
            if isinstance(entry.value, dict):
                yield entry, entry.get("rule"), entry.get("reason")
            else:
                yield entry, entry.value, None
    else:
        yield value, value.value, None


def apply(findings: list[Finding], waivers: list[Waiver]) -> tuple[list[Finding], set[Waiver]]:
    """The findings no waiver covers, and the waivers that covered something."""
    used: set[Waiver] = set()
    kept: list[Finding] = []
    for finding in findings:
        cover = next((w for w in waivers if w.covers(finding)), None)
        if cover is None:
            kept.append(finding)
        else:
            used.add(cover)
    return kept, used


def unused(waivers: list[Waiver], used: set[Waiver], active: set[str]) -> list[Finding]:
    """SF320 for valid waivers of active rules that covered nothing."""
    return [
        Finding("SF320", f"waiver for {w.rule} matches no finding here; remove it", w.entry)
        for w in waivers
        if w not in used and w.rule in active
    ]
