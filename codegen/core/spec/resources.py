"""JSON Schema 2020-12 schema identification for OpenAPI 3.1, through ``referencing``.

In 3.1 a Schema Object is a JSON Schema of the document's dialect
(``jsonSchemaDialect``, 2020-12 by default), so a ``$ref`` inside a schema is
resolved as JSON Schema resolves it: against the current base URI, which
``$id`` changes at any depth, reaching ``$anchor``/``$dynamicAnchor`` names,
embedded resources and URNs. This module does not resolve anything itself: it
describes an OpenAPI document to the ``referencing`` library (the one
``jsonschema`` uses) and lets it resolve.

* :func:`document_specification`: the OpenAPI document as a ``referencing``
  resource kind whose subresources are the schemas its structure holds
  (component schemas, the ``schema`` of parameters, headers and media types);
  inside those, the dialect's rules apply.
* :func:`resource_for`: a file as a resource: an OpenAPI document (or a
  fragment of one) as above, anything else as a schema of the dialect.
* :func:`registry_of`: a registry of such resources by URI, plus the JSON
  Schema meta-schemas; the runtime (services and gateway) validates with the
  registry the generator used, so ``$dynamicRef`` finds the same scopes.
* :class:`SchemaResources`: the registry of one loaded spec, which loads the
  files that references reach and reports a reference that cannot be resolved
  as a :class:`~codegen.core.spec.refs.RefError` (SF010 to SF013).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from jsonschema_specifications import REGISTRY as META_SCHEMAS
from referencing import Registry, Resource, Specification
from referencing.exceptions import NoSuchAnchor, NoSuchResource, PointerToNowhere, Unresolvable
from referencing.jsonschema import DRAFT202012, specification_with

from codegen.core.spec import pointer as jp
from codegen.core.spec.refs import RefError, did_you_mean
from codegen.core.spec.schema_walk import iter_schema_roots

if TYPE_CHECKING:
    from referencing._core import Resolver

    from codegen.core.spec.loader import LoadedSpec, SpecFile

# referencing builds its classes with its own attrs wrapper, which hides their
# __init__ from mypy: these are its documented constructors, typed.
_specification: Callable[..., Specification[Any]] = Specification
_registry: Callable[..., Registry[Any]] = Registry
# Keywords that make a schema's meaning depend on how it was reached.
DYNAMIC_KEYWORDS = frozenset({"$dynamicRef", "$recursiveRef"})
_OPENAPI_KEYS = ("openapi", "paths", "components", "webhooks")


def dialect_of(document: Any) -> Specification[Any]:
    """The specification of the document's ``jsonSchemaDialect`` (2020-12 when
    absent or not a JSON Schema dialect, e.g. the OpenAPI base dialect)."""
    dialect = document.get("jsonSchemaDialect") if isinstance(document, dict) else None
    if not isinstance(dialect, str):
        return DRAFT202012
    return specification_with(dialect.rstrip("#"), default=DRAFT202012)


def document_specification(
    document: Any, dialect: Specification[Any] = DRAFT202012
) -> Specification[Any]:
    """The resource kind of a file whose contents are ``document``: an OpenAPI
    document or fragment, whose subresources are the schemas its structure
    holds, or a schema. Inside schemas the dialect's rules apply, guarded so
    that a malformed schema (``items: 5``) is skipped, not a crash: it is
    ``specfirst validate``'s finding."""
    roots = (
        {tuple(tokens): value for tokens, value in iter_schema_roots(document)}
        if is_openapi(document)
        else {}
    )

    def is_document(contents: Any) -> bool:
        return bool(roots) and contents is document

    def id_of(contents: Any) -> str | None:
        if is_document(contents) or not isinstance(contents, dict):
            return None
        found = dialect.id_of(contents)
        return found if isinstance(found, str) else None

    def subresources_of(contents: Any) -> Iterable[Any]:
        if is_document(contents):
            return roots.values()
        if not isinstance(contents, dict):
            return ()
        try:
            return [s for s in dialect.subresources_of(contents) if isinstance(s, (dict, bool))]
        except (AttributeError, TypeError):
            return ()

    def anchors_in(specification: Specification[Any], contents: Any) -> Iterable[Any]:
        if is_document(contents) or not isinstance(contents, dict):
            return ()
        return [a for a in dialect.anchors_in(contents) if isinstance(a.name, str)]

    def maybe_in_subresource(
        segments: Any, resolver: Resolver[Any], subresource: Resource[Any]
    ) -> Resolver[Any]:
        if tuple(str(s) for s in segments) in roots:
            return resolver.in_subresource(subresource)
        return dialect.maybe_in_subresource(segments, resolver, subresource)

    return _specification(
        name=f"openapi-3.1 ({dialect.name})" if roots else dialect.name,
        id_of=id_of,
        subresources_of=subresources_of,
        anchors_in=anchors_in,
        maybe_in_subresource=maybe_in_subresource,
    )


def is_openapi(data: Any) -> bool:
    """Whether ``data`` is an OpenAPI document or a fragment of one."""
    return isinstance(data, dict) and any(key in data for key in _OPENAPI_KEYS)


def resource_for(data: Any, dialect: Specification[Any] = DRAFT202012) -> Resource[Any]:
    """A file's contents as a resource (see the module docstring)."""
    declared = data.get("$schema") if isinstance(data, dict) and not is_openapi(data) else None
    if isinstance(declared, str):
        dialect = specification_with(declared.rstrip("#"), default=dialect)
    return document_specification(data, dialect).create_resource(data)


def registry_of(resources: Mapping[str, Any], dialect_uri: str | None = None) -> Registry[Any]:
    """The registry of ``resources`` (URI -> contents) and the meta-schemas."""
    dialect = dialect_of({"jsonSchemaDialect": dialect_uri} if dialect_uri else {})
    own: Registry[Any] = Registry().with_resources(
        (uri, resource_for(contents, dialect)) for uri, contents in resources.items()
    )
    return _crawled(META_SCHEMAS.combine(own))


def _crawled(registry: Registry[Any]) -> Registry[Any]:
    """``registry`` with its identifiers and anchors found; as it is when a
    malformed schema stops the crawl (that is ``specfirst validate``'s finding,
    and lookups by pointer still work)."""
    try:
        return registry.crawl()
    except (AttributeError, TypeError, ValueError):
        return registry


def uses_dynamic_scope(value: Any) -> bool:
    """Whether a ``$dynamicRef`` (or ``$recursiveRef``) appears in ``value``."""
    if isinstance(value, dict):
        return any(k in DYNAMIC_KEYWORDS for k in value) or any(
            uses_dynamic_scope(v) for v in value.values()
        )
    if isinstance(value, list):
        return any(uses_dynamic_scope(v) for v in value)
    return False


def portable_uris(paths: Iterable[Path]) -> dict[Path, str]:
    """A ``file:`` URI for each file, relative to the files' common directory,
    so that generated code names them the same on every machine.

    >>> portable_uris([Path("/a/specs/x.yaml"), Path("/a/common/y.yaml")])[Path("/a/specs/x.yaml")]
    'file:///specs/x.yaml'
    """
    paths = list(paths)
    common = os.path.commonpath([p.parent for p in paths]) if paths else "/"
    return {p: "file:///" + posixpath.join(*Path(os.path.relpath(p, common)).parts) for p in paths}


class SchemaResources:
    """The schema resources of one loaded 3.1 spec, by their file URIs."""

    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.dialect = dialect_of(loaded.root.data)
        own = _registry(retrieve=self._retrieve)
        self._registry: Registry[Any] = META_SCHEMAS.combine(own)
        self._resources: dict[str, Resource[Any]] = {}  # URI -> the file's resource
        self._where: dict[int, tuple[SpecFile, str]] = {}  # id(container) -> location
        self._roots: dict[str, frozenset[tuple[str, ...]]] = {}  # file display -> roots
        self._with_ids: set[str] = set()  # files with an $id below their root
        self._anchored = False  # a schema has an $anchor or a $dynamicAnchor
        # Whether a schema can depend on the dynamic scope: a file uses
        # $dynamicRef, or a reference reaches a meta-schema.
        self.dynamic = False
        for spec_file in list(loaded.files.values()):
            self.add(spec_file)

    @staticmethod
    def uri(spec_file: SpecFile) -> str:
        return spec_file.path.as_uri()

    def add(self, spec_file: SpecFile) -> None:
        """Register a file the loader has loaded."""
        uri = self.uri(spec_file)
        if uri in self._resources:
            return
        resource = resource_for(spec_file.data, self.dialect)
        self._resources[uri] = resource
        self._registry = _crawled(self._registry.with_resource(uri, resource))
        for pointer, value in _containers(spec_file.data):
            self._where[id(value)] = (spec_file, pointer)
            if pointer and isinstance(value, dict) and isinstance(value.get("$id"), str):
                self._with_ids.add(spec_file.display)
            if isinstance(value, dict) and ("$anchor" in value or "$dynamicAnchor" in value):
                self._anchored = True
        roots = iter_schema_roots(spec_file.data) if is_openapi(spec_file.data) else [([], None)]
        self._roots[spec_file.display] = frozenset(tuple(t) for t, _ in roots)
        self.dynamic = self.dynamic or uses_dynamic_scope(spec_file.data)

    def _retrieve(self, uri: str) -> Resource[Any]:
        """Load a local file that a reference names; nothing else is fetched."""
        parts = urlsplit(uri)
        if parts.scheme != "file":
            raise RefError(
                "SF012",
                uri,
                f"no schema of the spec has the identifier {uri!r}, and specfirst never "
                "fetches URLs",
                hint="download the document next to the spec and refer to it by relative "
                "path, or embed it with its $id",
            )
        if parts.netloc not in ("", "localhost"):
            raise RefError("SF012", uri, f"{uri!r} is a file of another host ({parts.netloc})")
        spec_file = self.loaded.load_path(Path(unquote(parts.path)), uri)
        self.add(spec_file)
        return self._resources[self.uri(spec_file)]

    def root_id(self, spec_file: SpecFile) -> str | None:
        """The ``$id`` of the file's root schema, which a URI naming a schema
        of the file must be relative to (referencing does not enter a
        resource's own ``$id`` when it is named by its retrieval URI)."""
        resource = self._resources.get(self.uri(spec_file))
        return resource.id() if resource is not None else None

    @property
    def identifies(self) -> bool:
        """Whether a schema names a base URI or a place of its own (``$id`` below a
        file's root, ``$anchor``, ``$dynamicAnchor``) or refers dynamically: then
        only this registry resolves its references as JSON Schema means them,
        and values are validated through :meth:`validation_target`."""
        return bool(self._with_ids) or self._anchored or self.dynamic

    def validation_target(
        self, spec_file: SpecFile, pointer: str
    ) -> tuple[dict[str, str], Registry[Any]]:
        """A schema naming the one at ``pointer`` in ``spec_file``, and the registry
        to validate with it: the resources the generated services validate with.

        (The URI is relative to the file's root ``$id``, see :meth:`root_id`.)
        """
        uri = self.uri(spec_file)
        base = urljoin(uri, self.root_id(spec_file) or "")
        return {"$ref": base + _fragment(pointer)}, self._registry

    def in_schema(self, spec_file: SpecFile, pointer: str) -> bool:
        """Whether ``pointer`` in ``spec_file`` lies inside a Schema Object."""
        roots = self._roots.get(spec_file.display)
        if roots is None:
            return False
        tokens = tuple(jp.split(pointer))
        return any(tokens[:n] in roots for n in range(len(tokens) + 1))

    def resolve(self, ref: str, spec_file: SpecFile, at: str) -> tuple[SpecFile, str, Any]:
        """Resolve ``ref``, written in the schema at ``at`` in ``spec_file``:
        ``(file, pointer, value)`` of its target. Raises :class:`RefError`."""
        try:
            uri = self.uri(spec_file)
            here = self._registry.resolver(uri).in_subresource(self._resources[uri])
            if at and spec_file.display in self._with_ids:
                here = here.lookup(_fragment(at)).resolver  # enters each $id on the way
            resolved = here.lookup(ref)
        except Unresolvable as error:
            raise self._ref_error(ref, error) from None
        except ValueError as error:  # urllib: e.g. "Invalid IPv6 URL"
            raise RefError("SF013", ref, f"$ref {ref!r} is not a URI reference: {error}") from None
        value = resolved.contents
        if isinstance(value, (dict, list)):
            found = self._where.get(id(value))
            if found is None:
                self.dynamic = True  # meta-schemas use $dynamicRef
                raise OutsideSpec(ref)
            return found[0], found[1], value
        # A boolean schema: locate its parent, which is a container.
        url, fragment = urldefrag(ref)
        tokens = jp.split(unquote(fragment)) if fragment.startswith("/") else []
        if tokens:
            parent_ref = url + _fragment(jp.join(tokens[:-1]))
            parent_file, parent_pointer, _ = self.resolve(parent_ref, spec_file, at)
            return parent_file, jp.child(parent_pointer, tokens[-1]), value
        target, pointer, _ = self.loaded.resolve(ref, spec_file, follow=False)
        return target, pointer, value

    def _ref_error(self, ref: str, error: Unresolvable) -> RefError:
        """The error of a reference that ``referencing`` cannot resolve."""
        if not isinstance(error, PointerToNowhere):
            return _ref_error(ref, error)
        tokens = jp.split(unquote(error.ref))
        contents = error.resource.contents
        try:
            jp.lookup(contents, tokens)
        except jp.PointerError as missing:
            index = missing.missing_at or 0
        else:  # pragma: no cover - referencing found nothing there
            index = len(tokens) - 1
        spec_file, base = self._where.get(id(contents), (None, ""))
        display = spec_file.display if spec_file is not None else "the schema resource"
        prefix = base + jp.join(tokens[:index])
        where = f"#{prefix}" if prefix else "its root"
        return RefError(
            "SF011",
            ref,
            f"$ref {ref!r} points to nothing: {display} has no {tokens[index]!r} at {where}",
            hint=did_you_mean(jp.lookup(contents, tokens[:index]), tokens[index]),
        )


class OutsideSpec(Exception):
    """A reference resolved to a schema none of the spec's files holds: a
    JSON Schema meta-schema, which the validator knows by its URI."""


def _fragment(pointer: str) -> str:
    return "#" + jp.to_fragment(pointer)


def _containers(data: Any) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every object and array in ``data``.

    >>> [p for p, _ in _containers({"a": [{"b/c": {}}]})], list(_containers(True))
    (['', '/a', '/a/0', '/a/0/b~1c'], [])
    """
    stack: list[tuple[str, Any]] = [("", data)] if isinstance(data, (dict, list)) else []
    while stack:
        pointer, value = stack.pop()
        yield pointer, value
        items = value.items() if isinstance(value, dict) else enumerate(value)
        children = [
            (f"{pointer}/{jp.escape(key)}", child)
            for key, child in items
            if isinstance(child, (dict, list))
        ]
        stack.extend(reversed(children))


def _ref_error(ref: str, error: Unresolvable) -> RefError:
    """The diagnostic's error for a reference ``referencing`` cannot resolve."""
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, RefError):
        cause = cause.__cause__
    if isinstance(cause, RefError):
        detail = cause.message.removeprefix(f"$ref {cause.ref!r}: ")
        return RefError(cause.code, ref, f"$ref {ref!r}: {detail}", cause.hint)
    if isinstance(error, NoSuchAnchor):
        return RefError(
            "SF011",
            ref,
            f"$ref {ref!r} names no anchor: {error.anchor!r} is not an $anchor or "
            f"$dynamicAnchor of {error.resource.id() or 'the schema resource'}",
        )
    if isinstance(error, NoSuchResource):
        return RefError("SF011", ref, f"$ref {ref!r}: no schema resource {error.ref!r}")
    return RefError("SF011", ref, f"$ref {ref!r} cannot be resolved: {error}")
