"""Compare two schemas where they take effect, in a request or a response.

Direction decides the classification: a *request* schema is what the server
accepts, so anything it no longer accepts breaks clients (narrowing); a
*response* schema is what the server promises, so anything it may now send
that it did not before breaks clients (weakening). Each kind of difference is
a *concept* (``"limit-narrowed"``); :data:`CHECK_FOR` maps (concept,
direction) to the check id. Comparison follows ``$ref``, merges ``allOf``,
matches ``oneOf``/``anyOf`` alternatives and is recursion-safe (a pair of
places is compared once per direction).

Example: request ``{type: string, maxLength: 10}`` → ``{type: string,
maxLength: 5}`` reports SF433 "maxLength lowered from 10 to 5"; the same pair in
a response reports SF462 (strengthened, non-breaking).
"""

from __future__ import annotations

import json
from typing import Any

from codegen.core.openapi import REQUEST
from codegen.core.usage.body import ELEMENT, UNDECLARED, pointer
from codegen.designer.diff.model import DiffContext, Subject
from codegen.designer.diff.schema_view import DOC_KEYWORDS, SchemaView, view
from codegen.designer.lint.document import Document, Node

CHECK_FOR: dict[str, tuple[str, str]] = {  # concept: (request check, response check)
    "type-narrowed": ("SF432", "SF462"),
    "type-widened": ("SF441", "SF460"),
    "null-added": ("SF441", "SF458"),
    "null-removed": ("SF437", "SF462"),
    "enum-value-removed": ("SF435", "SF462"),
    "enum-value-added": ("SF441", "SF459"),
    "enum-introduced": ("SF435", "SF462"),
    "enum-dropped": ("SF441", "SF459"),
    "limit-narrowed": ("SF433", "SF462"),
    "limit-widened": ("SF441", "SF463"),
    "pattern-added": ("SF434", "SF462"),
    "pattern-removed": ("SF441", "SF463"),
    "constraint-added": ("SF439", "SF462"),
    "constraint-removed": ("SF441", "SF464"),
    "constraint-changed": ("SF439", "SF464"),
    "additional-closed": ("SF436", "SF462"),
    "additional-opened": ("SF441", "SF463"),
    "variant-removed": ("SF438", "SF462"),
    "variant-added": ("SF441", "SF465"),
    "property-removed": ("SF440", "SF456"),
    "property-added-required": ("SF430", "SF461"),
    "property-added-optional": ("SF442", "SF461"),
    "made-required": ("SF431", "SF462"),
    "made-optional": ("SF441", "SF457"),
}

# Concepts that break the requests which do *not* carry the property.
ABSENT_CONCEPTS = frozenset({"property-added-required", "made-required"})

LOWER_LIMITS = ("minLength", "minItems", "minProperties")
UPPER_LIMITS = ("maxLength", "maxItems", "maxProperties")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _widen(types: set[str]) -> set[str]:
    """``number`` includes ``integer``."""
    return types | {"integer"} if "number" in types else types


class SchemaComparer:
    """Compares schemas for one site (``"POST /orders request body (application/json)"``)."""

    def __init__(
        self,
        ctx: DiffContext,
        direction: str,
        site: str,
        type_check: str | None = None,
        subject: Subject | None = None,
    ) -> None:
        self.ctx = ctx
        self.direction = direction
        self.site = site
        self.type_check = type_check  # overrides the check for a top-level type change
        # a parameter (every change is about it), a request body's properties (each
        # change is about the property at its place), or the operation (None)
        self.subject = subject
        self.seen: set[tuple[tuple[str, str], tuple[str, str]]] = set()
        self.tokens: dict[str, tuple[str, ...]] = {"": ()}  # path shown → pointer tokens

    def _descend(self, path: str, child: str, token: str) -> str:
        """Register the pointer tokens of ``child``, one ``token`` below ``path``."""
        self.tokens.setdefault(child, (*self.tokens.get(path, ()), token))
        return child

    def _subject(self, concept: str, path: str) -> Subject | None:
        subject = self.subject
        if subject is None or subject.kind != "property":
            return subject
        tokens = self.tokens.get(path, ())
        if not tokens:
            return subject.part("body", absent=concept in ABSENT_CONCEPTS)
        return subject.part("property", pointer(tokens), absent=concept in ABSENT_CONCEPTS)

    def report(self, concept: str, path: str, detail: str, old: Node, new: Node) -> None:
        request, response = CHECK_FOR[concept]
        check = request if self.direction == REQUEST else response
        if concept == "type-narrowed" and not path and self.type_check:
            check = self.type_check
        where = f"{self.site} {path}" if path else self.site
        self.ctx.report(check, f"{where}: {detail}", old, new, subject=self._subject(concept, path))

    def compare(self, old_node: Node, new_node: Node, path: str = "") -> None:
        old, new = view(self.ctx.old, old_node), view(self.ctx.new, new_node)
        key = (old.node.key, new.node.key)
        if key in self.seen:
            return
        self.seen.add(key)
        self._documentation(old, new, path)
        if bool(old.variants) != bool(new.variants):
            # one side is a oneOf/anyOf, the other a plain schema: the plain one is
            # compared as a single alternative (``$ref: A`` → ``oneOf: [A, B]``)
            self._nullable(old, new, path)
            self._variant_lists(
                old.variants or [old.single or old_node],
                new.variants or [new.single or new_node],
                path,
                old,
                new,
            )
            return
        if not self._types(old, new, path):
            return  # an incompatible type change makes the finer details moot
        self._nullable(old, new, path)
        self._enum(old, new, path)
        self._limits(old, new, path)
        self._other_keywords(old, new, path)
        self._properties(old, new, path)
        self._additional(old, new, path)
        if old.items is not None and new.items is not None:
            self.compare(old.items, new.items, self._descend(path, f"{path}[]", ELEMENT))
        self._variants(old, new, path)

    def _documentation(self, old: SchemaView, new: SchemaView, path: str) -> None:
        for keyword in DOC_KEYWORDS:
            before, after = old.node.get(keyword), new.node.get(keyword)
            if before != after:
                where = f"{self.site} {path}" if path else self.site
                self.ctx.report(
                    "SF490",
                    f"{where}: {keyword} changed",
                    old.node.child(keyword),
                    new.node.child(keyword),
                    subject=self._subject("documentation", path),
                )

    def _types(self, old: SchemaView, new: SchemaView, path: str) -> bool:
        """Report a type change; False when it is incompatible (stop comparing)."""
        if old.types == new.types:
            return True
        before = ", ".join(sorted(old.types)) or "any type"
        after = ", ".join(sorted(new.types)) or "any type"
        detail = f"type changed from {before} to {after}"
        at_old, at_new = old.node.child("type"), new.node.child("type")
        widened = not new.types or (bool(old.types) and old.types <= _widen(new.types))
        narrowed = bool(new.types) and (not old.types or new.types <= _widen(old.types))
        if self.direction == REQUEST:
            concept = "type-widened" if widened else "type-narrowed"
        else:
            concept = "type-narrowed" if narrowed else "type-widened"
        self.report(concept, path, detail, at_old, at_new)
        return widened or narrowed

    def _nullable(self, old: SchemaView, new: SchemaView, path: str) -> None:
        if old.nullable and not new.nullable:
            self.report("null-removed", path, "null is no longer allowed", old.node, new.node)
        elif new.nullable and not old.nullable:
            self.report("null-added", path, "null is now allowed", old.node, new.node)

    def _enum(self, old: SchemaView, new: SchemaView, path: str) -> None:
        at_old, at_new = old.node.child("enum"), new.node.child("enum")
        if old.enum is None and new.enum is not None:
            values = ", ".join(_canonical(v) for v in new.enum)
            self.report(
                "enum-introduced", path, f"restricted to the values {values}", at_old, at_new
            )
            return
        if old.enum is not None and new.enum is None:
            self.report("enum-dropped", path, "no longer restricted to an enum", at_old, at_new)
            return
        if old.enum is None or new.enum is None:
            return
        before = {_canonical(v) for v in old.enum}
        after = {_canonical(v) for v in new.enum}
        if before - after:
            removed = ", ".join(sorted(before - after))
            self.report(
                "enum-value-removed", path, f"enum value(s) {removed} removed", at_old, at_new
            )
        if after - before:
            added = ", ".join(sorted(after - before))
            self.report("enum-value-added", path, f"enum value(s) {added} added", at_old, at_new)

    def _limits(self, old: SchemaView, new: SchemaView, path: str) -> None:
        for keyword in LOWER_LIMITS + UPPER_LIMITS:
            before, after = old.keywords.get(keyword), new.keywords.get(keyword)
            if before == after:
                continue
            upper = keyword in UPPER_LIMITS
            narrowed = _narrowed(before, after, upper)
            detail = _limit_detail(keyword, before, after, narrowed != upper)
            concept = "limit-narrowed" if narrowed else "limit-widened"
            self.report(concept, path, detail, old.node.child(keyword), new.node.child(keyword))
        bounds = (("minimum", old.lower, new.lower, False), ("maximum", old.upper, new.upper, True))
        for name, before, after, upper in bounds:
            if before == after:
                continue
            # order (value, exclusive) so that "greater" means "accepts less" for a lower
            # bound and "accepts more" for an upper one
            b = before if before is None else (before[0], before[1] != upper)
            a = after if after is None else (after[0], after[1] != upper)
            narrowed = _narrowed(b, a, upper)
            detail = _limit_detail(name, _show(before), _show(after), narrowed != upper)
            concept = "limit-narrowed" if narrowed else "limit-widened"
            self.report(concept, path, detail, old.node.child(name), new.node.child(name))

    def _other_keywords(self, old: SchemaView, new: SchemaView, path: str) -> None:
        if old.keywords.get("uniqueItems") is not True and new.keywords.get("uniqueItems") is True:
            self.report("limit-narrowed", path, "items must now be unique", old.node, new.node)
        elif (
            old.keywords.get("uniqueItems") is True and new.keywords.get("uniqueItems") is not True
        ):
            self.report("limit-widened", path, "items need no longer be unique", old.node, new.node)
        for keyword in ("pattern", "format", "multipleOf"):
            before, after = old.keywords.get(keyword), new.keywords.get(keyword)
            if before == after:
                continue
            at_old, at_new = old.node.child(keyword), new.node.child(keyword)
            if before is None:
                concept = "pattern-added" if keyword == "pattern" else "constraint-added"
                detail = f"{keyword} {_canonical(after)} added"
            elif after is None:
                concept = "pattern-removed" if keyword == "pattern" else "constraint-removed"
                detail = f"{keyword} {_canonical(before)} removed"
            else:
                width = _format_change(before, after) if keyword == "format" else None
                concept = width or "constraint-changed"
                detail = f"{keyword} changed from {_canonical(before)} to {_canonical(after)}"
            self.report(concept, path, detail, at_old, at_new)

    def _properties(self, old: SchemaView, new: SchemaView, path: str) -> None:
        """Properties that take part in this direction: readOnly ones are not sent in
        requests and writeOnly ones not in responses, so they count as absent there."""
        before = self._visible(self.ctx.old, old)
        after = self._visible(self.ctx.new, new)
        for name in [*before, *(n for n in after if n not in before)]:
            child = self._descend(path, f"{path}.{name}" if path else name, name)
            old_prop, new_prop = before.get(name), after.get(name)
            if new_prop is None:
                assert old_prop is not None
                was = "required" if name in old.required else "optional"
                where = new.properties.get(name) or new.node.child("properties")
                self.report("property-removed", child, f"{was} property removed", old_prop, where)
            elif old_prop is None:
                is_required = name in new.required
                concept = "property-added-required" if is_required else "property-added-optional"
                detail = f"{'required' if is_required else 'optional'} property added"
                where = old.properties.get(name) or old.node.child("properties")
                self.report(concept, child, detail, where, new_prop)
            else:
                if name in new.required and name not in old.required:
                    self.report(
                        "made-required", child, "property became required", old_prop, new_prop
                    )
                elif name in old.required and name not in new.required:
                    self.report(
                        "made-optional", child, "property became optional", old_prop, new_prop
                    )
                self.compare(old_prop, new_prop, child)

    def _visible(self, doc: Document, schema: SchemaView) -> dict[str, Node]:
        hidden = "read_only" if self.direction == REQUEST else "write_only"
        return {
            name: node
            for name, node in schema.properties.items()
            if not getattr(view(doc, node), hidden)
        }

    def _additional(self, old: SchemaView, new: SchemaView, path: str) -> None:
        before, after = old.additional, new.additional
        at_old = old.node.child("additionalProperties")
        at_new = new.node.child("additionalProperties")
        if isinstance(before, Node) and isinstance(after, Node):
            self.compare(before, after, self._descend(path, f"{path}{{*}}", UNDECLARED))
        elif before is True and after is not True:
            self.report(
                "additional-closed",
                path,
                "additional properties are no longer accepted freely",
                at_old,
                at_new,
            )
        elif (before is not True and after is True) or (
            before is False and isinstance(after, Node)
        ):
            self.report(
                "additional-opened", path, "additional properties are now allowed", at_old, at_new
            )
        elif isinstance(before, Node) and after is False:
            self.report(
                "additional-closed",
                path,
                "additional properties are no longer allowed",
                at_old,
                at_new,
            )

    def _variants(self, old: SchemaView, new: SchemaView, path: str) -> None:
        self._variant_lists(old.variants, new.variants, path, old, new)

    def _variant_lists(
        self, before: list[Node], after: list[Node], path: str, old: SchemaView, new: SchemaView
    ) -> None:
        pairs, removed, added = match_variants(before, after)
        for old_variant, new_variant in pairs:
            self.compare(old_variant, new_variant, path)
        for old_variant in removed:
            label = _variant_label(old_variant)
            self.report(
                "variant-removed", path, f"alternative {label} removed", old_variant, new.node
            )
        for new_variant in added:
            label = _variant_label(new_variant)
            self.report("variant-added", path, f"alternative {label} added", old.node, new_variant)


def match_variants(
    old: list[Node], new: list[Node]
) -> tuple[list[tuple[Node, Node]], list[Node], list[Node]]:
    """Pair oneOf/anyOf alternatives: same ``$ref`` target name, then identical
    content, then (for what is left, when counts agree) by position."""
    pairs: list[tuple[Node, Node]] = []
    rest_old, rest_new = list(old), list(new)
    for same in (_ref_name, _content_key):
        for before in list(rest_old):
            key = same(before)
            match = next((a for a in rest_new if key is not None and same(a) == key), None)
            if match is not None:
                pairs.append((before, match))
                rest_old.remove(before)
                rest_new.remove(match)
    if len(rest_old) == len(rest_new):
        pairs.extend(zip(rest_old, rest_new, strict=True))
        return pairs, [], []
    return pairs, rest_old, rest_new


def _ref_name(node: Node) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _content_key(node: Node) -> str | None:
    return None if node.is_ref else _canonical(node.value)


def _variant_label(node: Node) -> str:
    name = _ref_name(node)
    if name:
        return repr(name)
    kind = node.get("type")
    return f"of type {kind}" if isinstance(kind, str) else "(inline schema)"


# Numeric formats of one family, narrowest first: int32 → int64 accepts more.
FORMAT_WIDTHS: tuple[tuple[str, ...], ...] = (("int32", "int64"), ("float", "double"))


def _format_change(before: Any, after: Any) -> str | None:
    """``"limit-widened"`` for int32 → int64, ``"limit-narrowed"`` for the reverse,
    None when the formats are not comparable."""
    for family in FORMAT_WIDTHS:
        if before in family and after in family:
            return (
                "limit-widened" if family.index(after) > family.index(before) else "limit-narrowed"
            )
    return None


def _narrowed(before: Any, after: Any, upper: bool) -> bool:
    """Whether going from ``before`` to ``after`` accepts fewer values."""
    if before is None:
        return True
    if after is None:
        return False
    return bool(after < before if upper else after > before)


def _show(bound: tuple[float, bool] | None) -> str | None:
    if bound is None:
        return None
    return f"{bound[0]} (exclusive)" if bound[1] else str(bound[0])


def _limit_detail(keyword: str, before: Any, after: Any, rose: bool) -> str:
    """``"maxLength lowered from 10 to 5"``, ``"minimum 0 added"``."""
    if before is None:
        return f"{keyword} {after} added"
    if after is None:
        return f"{keyword} {before} removed"
    return f"{keyword} {'raised' if rose else 'lowered'} from {before} to {after}"
