"""Load an OpenAPI document and every file it reaches through ``$ref``.

``load_spec(path)`` returns ``(LoadedSpec | None, diagnostics)``. ``None``
means there is nothing to work with (unreadable file, not YAML/JSON, not an
OpenAPI 3.0/3.1 document, e.g. Swagger 2.0). Otherwise every ``$ref`` in
every reached file has been checked: a missing file or target, a remote URL
or a malformed reference is a diagnostic at the referring ``$ref``.

Data is plain JSON values; positions live in per-file source maps, so
``loaded.locate(file, pointer)`` can place any finding at ``file:line:col``.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.core.diagnostics import Diagnostic, Severity, SourceLocation
from codegen.core.spec import pointer as jp
from codegen.core.spec.parse import Parsed, ParseProblem, parse_json, parse_yaml
from codegen.core.spec.refs import RefError, child_kind, did_you_mean, parse_ref, reference_of
from codegen.core.spec.resources import OutsideSpec, SchemaResources
from codegen.core.spec.source_map import LazySourceLocation, SourceMap

_SUPPORTED_VERSION = re.compile(r"^3\.[01]\.\d+(-.+)?$")


@dataclass(eq=False, slots=True)
class SpecFile:
    """One loaded file. ``display`` is the path as the user named it (for
    files reached through ``$ref``: joined onto the referrer's display path)."""

    path: Path  # absolute
    display: str
    data: Any
    sha256: str
    source_map: SourceMap = field(repr=False)

    def __repr__(self) -> str:
        return f"SpecFile({self.display!r})"


@dataclass(frozen=True, slots=True)
class RefSite:
    """A ``$ref`` (or, in a schema, ``$dynamicRef``: ``keyword``) found while
    loading: ``pointer`` is that of the object that holds the key."""

    file: SpecFile
    pointer: str
    ref: str
    keyword: str = "$ref"


class LoadedSpec:
    """The root document plus every file reached through ``$ref``."""

    def __init__(self, root: SpecFile) -> None:
        self.root = root
        self.files: dict[str, SpecFile] = {root.display: root}
        self.refs: list[RefSite] = []
        self._by_path: dict[Path, SpecFile] = {root.path: root}
        self._failed: dict[Path, str] = {}  # file -> why it cannot be loaded
        self.file_diagnostics: list[Diagnostic] = []
        self._resources: SchemaResources | None = None

    @property
    def openapi_version(self) -> str:
        return str(self.root.data.get("openapi", ""))

    @property
    def is_31(self) -> bool:
        return self.openapi_version.startswith("3.1")

    @property
    def schema_resources(self) -> SchemaResources | None:
        """The JSON Schema resources of a 3.1 spec (None for 3.0, whose
        schemas are not JSON Schema 2020-12 and know no ``$id``)."""
        if self._resources is None and self.is_31:
            self._resources = SchemaResources(self)
        return self._resources

    def file(self, file: SpecFile | str) -> SpecFile:
        """The :class:`SpecFile` for a display path (or the file itself)."""
        return file if isinstance(file, SpecFile) else self.files[file]

    def resolve(
        self,
        ref: object,
        base_file: SpecFile | str,
        *,
        follow: bool = True,
        at: str | None = None,
    ) -> tuple[SpecFile, str, Any]:
        """Follow ``ref`` written in ``base_file``: ``(file, pointer, value)``.

        ``at`` is the pointer of the object that holds ``ref``: inside a 3.1
        Schema Object the reference is a JSON Schema one, resolved against the
        base URI there (``$id``, anchors; see :mod:`.resources`); elsewhere,
        and without ``at``, it is a file path and a JSON pointer. With
        ``follow`` (the default) a target that is itself a ``$ref`` is
        followed too, until a value that is not a reference. Raises
        :class:`RefError` when the reference cannot be followed.
        """
        base = self.file(base_file)
        seen: set[tuple[str, str]] = set()
        while True:
            target_file, target_pointer, value = self._resolve_once(ref, base, at)
            if not (follow and isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return target_file, target_pointer, value
            key = (target_file.display, target_pointer)
            if key in seen:
                raise RefError(
                    "SF014",
                    str(ref),
                    f"$ref {ref!r} is part of a cycle of references that never reaches a value",
                )
            seen.add(key)
            ref, base, at = value["$ref"], target_file, target_pointer

    def _resolve_once(
        self, ref: object, base: SpecFile, at: str | None = None
    ) -> tuple[SpecFile, str, Any]:
        resources = self.schema_resources if at is not None else None
        if resources is not None and at is not None and resources.in_schema(base, at):
            if not isinstance(ref, str):
                parse_ref(ref)  # raises the SF013 of a reference that is not a string
            return resources.resolve(str(ref), base, at)
        parsed = parse_ref(ref)
        target = base if parsed.is_local else self._load_referenced(parsed.document, base, ref)
        tokens = jp.split(parsed.pointer)
        try:
            value = jp.lookup(target.data, tokens)
        except jp.PointerError as exc:
            index = exc.missing_at or 0
            where = f"#{jp.join(tokens[:index])}" if index else "its root"
            raise RefError(
                "SF011",
                str(ref),
                f"$ref {ref!r} points to nothing: {target.display} has no "
                f"{tokens[index]!r} at {where}",
                hint=did_you_mean(jp.lookup(target.data, tokens[:index]), tokens[index]),
            ) from None
        return target, parsed.pointer, value

    def _load_referenced(self, document: str, base: SpecFile, ref: object) -> SpecFile:
        path = Path(os.path.normpath(base.path.parent / document))
        if path in self._by_path:
            return self._by_path[path]
        display = posixpath.normpath(posixpath.join(posixpath.dirname(base.display), document))
        if path in self._failed:
            failure = self._failed[path]
            raise RefError("SF010", str(ref), f"$ref {ref!r}: cannot load {display}: {failure}")
        loaded, problems, reason = _read_file(path, display)
        if loaded is None:
            self._failed[path] = str(reason)
            raise RefError("SF010", str(ref), f"$ref {ref!r}: cannot load {display}: {reason}")
        self._by_path[path] = loaded
        self.files[display] = loaded
        self.file_diagnostics.extend(_problem_diagnostic(display, p) for p in problems)
        if self._resources is not None:
            self._resources.add(loaded)
        return loaded

    def load_path(self, path: Path, ref: object) -> SpecFile:
        """The file at the absolute ``path``, loaded on first use (for a
        reference that names it, ``ref``)."""
        relative = Path(os.path.relpath(path, self.root.path.parent)).as_posix()
        return self._load_referenced(relative, self.root, ref)

    def locate(self, file: SpecFile | str, pointer: str) -> SourceLocation:
        """Where ``pointer`` is in ``file``; the line and column of its nearest
        existing ancestor when it does not exist (the pointer is kept)."""
        spec_file = self.file(file)
        try:
            tokens = jp.split(pointer)
        except jp.PointerError:
            tokens = []
        line, column, _ = spec_file.source_map.position(tokens)
        return SourceLocation(spec_file.display, line, column, pointer)

    def lazy_locate(self, file: SpecFile, pointer: str) -> SourceLocation:
        """:meth:`locate`, with the line and column looked up only when read."""
        return LazySourceLocation(file.display, pointer=pointer, source_map=file.source_map)

    def diagnostic(
        self,
        code: str,
        message: str,
        file: SpecFile | str,
        pointer: str,
        *,
        severity: Severity = Severity.ERROR,
        hint: str | None = None,
    ) -> Diagnostic:
        """A :class:`Diagnostic` located at ``pointer`` in ``file``."""
        return Diagnostic(code, severity, message, self.locate(file, pointer), hint)

    def ref_diagnostic(self, site: RefSite, error: RefError) -> Diagnostic:
        """The diagnostic for a ``$ref`` that cannot be followed, at the ``$ref``."""
        where = jp.child(site.pointer, site.keyword)
        return self.diagnostic(error.code, error.message, site.file, where, hint=error.hint)


def load_spec(path: str | os.PathLike[str]) -> tuple[LoadedSpec | None, list[Diagnostic]]:
    """Load the OpenAPI document at ``path`` and everything it references."""
    display = Path(path).as_posix() if not isinstance(path, str) else path
    spec_file, problems, failure = _read_file(Path(os.path.abspath(path)), display)
    diagnostics = [_problem_diagnostic(display, p) for p in problems]
    if spec_file is None:
        if not problems:
            location = SourceLocation(display, 1, 1, "")
            diagnostics.append(Diagnostic("SF001", Severity.ERROR, str(failure), location))
        return None, diagnostics
    loaded = LoadedSpec(spec_file)
    refusal = _check_document(loaded)
    if refusal is not None:
        return None, [*diagnostics, refusal]
    diagnostics.extend(_crawl(loaded))
    diagnostics.extend(loaded.file_diagnostics)
    return loaded, diagnostics


DOCUMENT_HINT = (
    "an OpenAPI document is a mapping that starts with 'openapi: 3.1.0', 'info' and 'paths'"
)
_ROOT_KINDS = {list: "a list", str: "a string", bool: "a boolean", int: "a number"}


def _not_a_mapping(file: SpecFile) -> str:
    """``"the file is empty"`` (nothing but blank lines and comments), else what the root is."""
    if file.data is None:
        text = file.path.read_text(encoding="utf-8", errors="replace")
        lines = (line.strip() for line in text.splitlines())
        if all(not line or line.startswith("#") for line in lines):
            return "the file is empty"
        return "the document is null; its root must be a mapping"
    kind = next(
        (name for t, name in _ROOT_KINDS.items() if isinstance(file.data, t)), "a single value"
    )
    return f"the document root is {kind}; it must be a mapping"


def _check_document(loaded: LoadedSpec) -> Diagnostic | None:
    """Refuse what is not an OpenAPI 3.0/3.1 document, saying what to do."""
    data = loaded.root.data
    if not isinstance(data, dict):
        return loaded.diagnostic(
            "SF004", _not_a_mapping(loaded.root), loaded.root, "", hint=DOCUMENT_HINT
        )
    if "swagger" in data:
        return loaded.diagnostic(
            "SF005",
            f"this is a Swagger {data['swagger']} document; "
            "specfirst reads OpenAPI 3.0 and 3.1 only",
            loaded.root,
            "/swagger",
            hint="convert it first, e.g. 'npx swagger2openapi in.yaml -o out.yaml' "
            "or the Swagger Editor's 'Convert to OpenAPI 3'",
        )
    if "openapi" not in data:
        return loaded.diagnostic(
            "SF006",
            "not an OpenAPI document: the 'openapi' field is missing",
            loaded.root,
            "",
            hint="start the document with 'openapi: 3.1.0'",
        )
    version = data["openapi"]
    if not isinstance(version, str) or not _SUPPORTED_VERSION.match(version):
        return loaded.diagnostic(
            "SF006",
            f"unsupported OpenAPI version {version!r}: specfirst reads 3.0.x and 3.1.x",
            loaded.root,
            "/openapi",
            hint="write the version as a string, e.g. openapi: '3.1.0'",
        )
    return None


def _crawl(loaded: LoadedSpec) -> list[Diagnostic]:
    """Check every ``$ref`` of every reachable file, loading files as found."""
    diagnostics: list[Diagnostic] = []
    queue = [loaded.root]
    seen = {loaded.root.display}
    while queue:
        spec_file = queue.pop(0)
        for pointer, keyword, ref in _iter_refs(spec_file.data):
            site = RefSite(spec_file, pointer, ref, keyword)
            if keyword != "$ref" and not _in_schema(loaded, spec_file, pointer):
                continue  # "$dynamicRef" outside a schema is not a keyword
            loaded.refs.append(site)
            try:
                target, _, _ = loaded._resolve_once(ref, spec_file, pointer)
            except OutsideSpec:
                continue  # a meta-schema: nothing of the spec's to check there
            except RefError as error:
                diagnostics.append(loaded.ref_diagnostic(site, error))
                continue
            if target.display not in seen:
                seen.add(target.display)
                queue.append(target)
    return diagnostics


def _in_schema(loaded: LoadedSpec, spec_file: SpecFile, pointer: str) -> bool:
    resources = loaded.schema_resources
    return resources is not None and resources.in_schema(spec_file, pointer)


def _iter_refs(data: Any) -> Iterator[tuple[str, str, str]]:
    """(pointer of the holder, keyword, reference) for every ``$ref`` (and
    ``$dynamicRef``), in order; one inside example/default/enum data or a
    property named ``$ref`` is not a reference (see
    :func:`codegen.core.spec.refs.child_kind`).

    >>> list(_iter_refs({"a": [{"$ref": "#/b"}], "b": {"example": {"$ref": "x"}}}))
    [('/a/0', '$ref', '#/b')]
    """
    found: list[tuple[list[str], str, str]] = []
    path: list[str] = []

    def walk(value: Any, kind: str) -> None:
        ref = reference_of(value, kind)
        if ref is not None:
            found.append((path.copy(), "$ref", ref))
        dynamic = value.get("$dynamicRef") if kind == "object" and isinstance(value, dict) else None
        if isinstance(dynamic, str):
            found.append((path.copy(), "$dynamicRef", dynamic))
        items: Any = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            if isinstance(child, (dict, list)) and child:
                child_kind_ = child_kind(kind, key, child)
                if child_kind_ != "data":
                    path.append(str(key))
                    walk(child, child_kind_)
                    path.pop()

    if isinstance(data, (dict, list)):
        walk(data, "object")
    for tokens, keyword, ref in found:
        yield jp.join(tokens), keyword, ref


def _read_file(path: Path, display: str) -> tuple[SpecFile | None, list[ParseProblem], str | None]:
    """(file or None, parse problems, reason it could not be loaded)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [], f"no such file: {display}"
    except IsADirectoryError:
        return None, [], f"{display} is a directory, not a spec file"
    except OSError as exc:
        return None, [], f"cannot read {display}: {exc.strerror}"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [], f"{display} is not UTF-8 text (byte {exc.start})"
    parsed = _parse(text, path.suffix.lower())
    if not parsed.ok:
        first = parsed.problems[0]
        return None, parsed.problems, f"{first.message} ({display}:{first.line}:{first.column})"
    sha = hashlib.sha256(raw).hexdigest()
    return SpecFile(path, display, parsed.data, sha, parsed.source_map), parsed.problems, None


def _parse(text: str, suffix: str) -> Parsed:
    if suffix == ".json":
        return parse_json(text)
    if suffix not in (".yaml", ".yml") and text.lstrip().startswith(("{", "[")):
        parsed = parse_json(text)
        if parsed.ok:
            return parsed
    return parse_yaml(text)


def _problem_diagnostic(display: str, problem: ParseProblem) -> Diagnostic:
    location = SourceLocation(display, problem.line, problem.column, problem.pointer)
    return Diagnostic(problem.code, Severity.ERROR, problem.message, location)
