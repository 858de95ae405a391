"""SF315: every component is used.

"Used" means reachable: starting from everything outside ``components`` (paths,
webhooks, top-level security), follow every ``$ref`` (also into other files and
through components already reached), every security scheme named in a
security requirement and every schema named in a discriminator ``mapping``.
A component referenced only by an unused component is unused too. A document
without paths and webhooks is a component library and is not checked.

Example: ``components: {schemas: {Legacy: {type: object}}}`` that nothing
references yields SF315 at ``#/components/schemas/Legacy``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codegen.core.spec.pointer import escape, split
from codegen.designer.lint.document import Document, Node
from codegen.designer.lint.findings import Finding


def check(doc: Document) -> Iterator[Finding]:
    if not doc.root.get("paths") and not doc.root.get("webhooks"):
        return
    used = _reachable(doc)
    components = doc.root.child("components")
    for kind, section in components.items():
        if kind.startswith("x-"):
            continue
        for name, node in section.items():
            if (kind, name) not in used:
                yield Finding(
                    "SF315", f"component {kind}/{name} is not used anywhere in the spec", node
                )


def _reachable(doc: Document) -> set[tuple[str, str]]:
    """``(kind, name)`` of every root-file component reachable from outside components."""
    used = {("securitySchemes", name) for name in _security_names(doc.root)}
    visited: set[tuple[str, str]] = set()
    stack = [child for key, child in doc.root.items() if key != "components"]
    root_display = doc.root.file.display
    while stack:
        node = stack.pop()
        if node.key in visited:
            continue
        visited.add(node.key)
        for inner in _walk(node):
            if inner.is_ref:
                target = doc.resolve(inner)
                if target is not None:
                    if target.file.display == root_display:
                        _mark(used, target.pointer)
                    stack.append(target)
            for name in _security_names(inner):
                used.add(("securitySchemes", name))
            for target_ref in _mapping_refs(inner):
                probe = Node(inner.file, inner.pointer, {"$ref": target_ref})
                found = doc.resolve(probe)
                if found is not None:
                    if found.file.display == root_display:
                        _mark(used, found.pointer)
                    stack.append(found)
    return used


def _mark(used: set[tuple[str, str]], pointer: str) -> None:
    tokens = split(pointer)
    if len(tokens) >= 3 and tokens[0] == "components":
        used.add((tokens[1], tokens[2]))


def _walk(node: Node) -> Iterator[Node]:
    """The node and every mapping below it (lists included), depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current.value, dict):
            yield current
            stack.extend(child for _, child in current.items())
        elif isinstance(current.value, list):
            stack.extend(current.elements())


def _security_names(node: Node) -> Iterator[str]:
    """Scheme names of a ``security`` list held by ``node``."""
    security = node.get("security")
    if isinstance(security, list):
        for requirement in security:
            if isinstance(requirement, dict):
                yield from (str(name) for name in requirement)


def _mapping_refs(node: Node) -> Iterator[str]:
    """Schemas a discriminator mapping names: refs, or bare component names."""
    discriminator = node.get("discriminator")
    mapping: Any = discriminator.get("mapping") if isinstance(discriminator, dict) else None
    if isinstance(mapping, dict):
        for target in mapping.values():
            if isinstance(target, str):
                yield (
                    target
                    if "#" in target or "/" in target
                    else ("#/components/schemas/" + escape(target))
                )
