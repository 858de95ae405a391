"""Bundle a multi-file spec into one self-contained document.

Every ``$ref`` into another file is replaced by a local reference to a new
entry under ``components`` (the section is taken from the target's own
pointer, ``.../components/<section>/<name>``, else from where the reference
is used); local references of the root file are kept as written. A
``$dynamicRef`` whose fragment is a JSON pointer (which then means what
``$ref`` means) is rewritten the same way; one to an anchor name is kept. Targets
that have no component section (a path item) are copied in place.

Example: ``orders.yaml`` with ``$ref: common.yaml#/components/schemas/Money``
bundles to ``$ref: '#/components/schemas/Money'`` plus a copy of ``Money``
(and, recursively, whatever ``Money`` refers to) under
``components/schemas``; a name already taken gets a suffix (``Money_2``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from codegen.core.spec import pointer as jp
from codegen.core.spec.keywords import SUBSCHEMA_KEYWORDS
from codegen.core.spec.loader import LoadedSpec, SpecFile
from codegen.core.spec.refs import RefError, child_kind, reference_of

# Where a value is a schema: under OpenAPI's ``schema`` or any subschema keyword.
_SCHEMA_CONTEXT = frozenset({"schema", *SUBSCHEMA_KEYWORDS})
_BY_PARENT = {
    "parameters": "parameters",
    "responses": "responses",
    "headers": "headers",
    "examples": "examples",
    "links": "links",
    "callbacks": "callbacks",
    "securitySchemes": "securitySchemes",
    "schemas": "schemas",
    "requestBodies": "requestBodies",
}


def bundle(loaded: LoadedSpec) -> dict[str, Any]:
    """One dict holding the whole spec; see the module docstring."""
    return _Bundler(loaded).run()


class Origins:
    """Maps a pointer in a bundled document back to the file and pointer it
    was copied from (the root file unless it was pulled in)."""

    def __init__(self, root: SpecFile) -> None:
        self.root = root
        self._starts: dict[tuple[str, ...], tuple[SpecFile, str]] = {}

    def add(self, tokens: Sequence[str], file: SpecFile, pointer: str) -> None:
        self._starts[tuple(tokens)] = (file, pointer)

    def source(self, tokens: Sequence[str]) -> tuple[SpecFile, str]:
        """(file, pointer) where the bundled value at ``tokens`` came from."""
        for length in range(len(tokens), 0, -1):
            found = self._starts.get(tuple(tokens[:length]))
            if found is not None:
                file, pointer = found
                return file, pointer + jp.join(tokens[length:])
        return self.root, jp.join(tokens)


def bundle_with_origins(loaded: LoadedSpec) -> tuple[dict[str, Any], Origins]:
    """:func:`bundle`, plus where each pulled-in part came from."""
    bundler = _Bundler(loaded)
    return bundler.run(), bundler.origins


def section_for(tokens: Sequence[str]) -> str | None:
    """The components section a value at ``tokens`` belongs in, if any.

    >>> section_for(["paths", "/a", "get", "parameters", "0"])
    'parameters'
    >>> section_for(["paths", "/a", "get", "responses", "200", "content", "a/json", "schema"])
    'schemas'
    >>> section_for(["paths", "/a"]) is None
    True
    """
    if any(token in _SCHEMA_CONTEXT for token in tokens) or tokens[:2] == ["components", "schemas"]:
        return "schemas"
    if tokens and tokens[-1] == "requestBody":
        return "requestBodies"
    if len(tokens) >= 2 and tokens[-2] in _BY_PARENT:
        return _BY_PARENT[tokens[-2]]
    return None


class _Bundler:
    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.assigned: dict[tuple[str, str], str] = {}
        self.taken: dict[str, set[str]] = {}
        self.pending: list[tuple[str, str, SpecFile, str, Any]] = []
        self.inlining: set[tuple[str, str]] = set()
        self.origins = Origins(loaded.root)
        components = loaded.root.data.get("components")
        if isinstance(components, dict):
            for section, entries in components.items():
                if isinstance(entries, dict):
                    self.taken[section] = set(entries)

    def run(self) -> dict[str, Any]:
        root = self.loaded.root
        out: dict[str, Any] = self.copy(root.data, root, [])
        components: dict[str, Any] = out.setdefault("components", {})
        while self.pending:
            section, name, file, pointer, value = self.pending.pop(0)
            self.origins.add(["components", section, name], file, pointer)
            copied = self.copy(value, file, ["components", section, name])
            components.setdefault(section, {})[name] = copied
        if not components:
            del out["components"]
        return out

    def copy(self, value: Any, file: SpecFile, tokens: list[str], kind: str = "object") -> Any:
        """A copy of ``value`` with its references rewritten (``kind`` says
        where it is, see :func:`codegen.core.spec.refs.child_kind`)."""
        if kind == "data" or self._is_schema_resource(value, kind):
            return copy.deepcopy(value)
        if isinstance(value, list):
            return [
                self.copy(item, file, [*tokens, str(i)], child_kind(kind, i, item))
                for i, item in enumerate(value)
            ]
        if not isinstance(value, dict):
            return value
        ref = reference_of(value, kind)
        if ref is not None and not (file is self.loaded.root and ref.startswith("#")):
            replaced = self.reference(value, file, tokens, kind)
            if replaced is not None:
                return replaced
        out = {
            key: self.copy(child, file, [*tokens, key], child_kind(kind, key, child))
            for key, child in value.items()
        }
        dynamic = value.get("$dynamicRef") if kind == "object" else None
        if isinstance(dynamic, str) and "#/" in dynamic and file is not self.loaded.root:
            # a JSON-pointer $dynamicRef means what $ref means: rewritten the same way
            moved = self.reference({"$ref": dynamic}, file, tokens, kind)
            if moved is not None:
                out["$dynamicRef"] = moved["$ref"]
        return out

    def _is_schema_resource(self, value: Any, kind: str) -> bool:
        """A 3.1 schema with its own ``$id`` is copied as written: its
        references resolve against that identifier (JSON Schema 2020-12), so
        rewriting them to document pointers would change what they name."""
        return (
            self.loaded.is_31
            and kind == "object"
            and isinstance(value, dict)
            and isinstance(value.get("$id"), str)
        )

    def reference(self, value: dict[str, Any], file: SpecFile, tokens: list[str], kind: str) -> Any:
        try:
            target_file, pointer, target = self.loaded.resolve(value["$ref"], file, follow=False)
        except RefError:
            return None  # reported by load_spec; kept as written
        siblings = {
            k: self.copy(v, file, [*tokens, k], child_kind(kind, k, v))
            for k, v in value.items()
            if k != "$ref"
        }
        if target_file is self.loaded.root:
            return {"$ref": "#" + _encode(pointer), **siblings}
        key = (target_file.display, pointer)
        if key not in self.assigned:
            target_tokens = jp.split(pointer)
            section = _own_section(target_tokens) or section_for(tokens)
            if section is None and key not in self.inlining:
                self.inlining.add(key)
                self.origins.add(tokens, target_file, pointer)
                try:
                    return self.copy(target, target_file, tokens)
                finally:
                    self.inlining.discard(key)
            section = section or "schemas"
            name = self.claim(section, target_tokens, target_file)
            self.assigned[key] = f"#/components/{section}/{jp.escape(name)}"
            self.pending.append((section, name, target_file, pointer, target))
        return {"$ref": self.assigned[key], **siblings}

    def claim(self, section: str, tokens: list[str], file: SpecFile) -> str:
        raw = tokens[-1] if tokens else PurePosixPath(file.display).stem
        base = re.sub(r"[^A-Za-z0-9._-]", "_", raw) or "item"
        taken = self.taken.setdefault(section, set())
        name, number = base, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        return name


def _own_section(tokens: list[str]) -> str | None:
    if len(tokens) == 3 and tokens[0] == "components":
        return tokens[1]
    return None


def _encode(pointer: str) -> str:
    """A pointer as a URI fragment (characters outside RFC 3986 escaped)."""
    return re.sub(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/]", lambda m: _percent(m.group()), pointer)


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
