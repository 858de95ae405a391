"""``$ref`` strings: parsing, and the error raised when one cannot be followed.

A reference is ``[document][#fragment]``: the document part is a path
relative to the referring file (never fetched when it is a URL), the fragment
a percent-encoded JSON pointer. Following references is the job of
:meth:`codegen.core.spec.loader.LoadedSpec.resolve`, which loads other files on
demand.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from urllib.parse import unquote

from codegen.core.spec import pointer as jp
from codegen.core.spec.keywords import DATA, NAME_MAPS

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class RefError(Exception):
    """A ``$ref`` that cannot be followed.

    ``code`` is the diagnostic code (SF010 missing file, SF011 missing target,
    SF012 remote reference, SF013 malformed reference, SF014 reference cycle).
    """

    def __init__(self, code: str, ref: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.ref = ref
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Ref:
    """A parsed reference: ``document`` is ``""`` for a local one."""

    document: str
    pointer: str  # the decoded pointer, e.g. "/components/schemas/Money"

    @property
    def is_local(self) -> bool:
        return self.document == ""


def parse_ref(ref: object) -> Ref:
    """Split a ``$ref`` value into document and decoded pointer.

    >>> parse_ref("common.yaml#/components/schemas/Money")
    Ref(document='common.yaml', pointer='/components/schemas/Money')
    >>> parse_ref("#/paths/~1orders%7Bx%7D")
    Ref(document='', pointer='/paths/~1orders{x}')
    >>> parse_ref("schemas/pet.json")
    Ref(document='schemas/pet.json', pointer='')
    """
    if not isinstance(ref, str):
        raise RefError("SF013", repr(ref), f"$ref must be a string, not {_json_type(ref)}")
    document, _, fragment = ref.partition("#")
    if _SCHEME.match(document) and not re.match(r"^[A-Za-z]:[\\/]", document):
        if document.lower().startswith("file:"):
            document = unquote(re.sub(r"^file:(//[^/]*)?", "", document, flags=re.IGNORECASE))
        else:
            raise RefError(
                "SF012",
                ref,
                f"$ref {ref!r} points to a remote document; specfirst never fetches URLs",
                hint="download the document next to the spec and refer to it by relative path",
            )
    decoded = unquote(fragment)
    if decoded and not decoded.startswith("/"):
        raise RefError(
            "SF013",
            ref,
            f"$ref {ref!r} has a fragment that is not a JSON pointer "
            "(plain-name anchors are not supported)",
            hint="write the fragment as a pointer, e.g. '#/components/schemas/Name'",
        )
    try:
        jp.split(decoded)
    except jp.PointerError as exc:  # pragma: no cover - guarded above
        raise RefError("SF013", ref, f"$ref {ref!r}: {exc.reason}") from None
    return Ref(unquote(document), decoded)


def did_you_mean(container: object, missing: str) -> str | None:
    """Suggest the closest existing key for a typo in a reference.

    >>> did_you_mean({"Money": 1, "Order": 2}, "Mony")
    "did you mean 'Money'?"
    """
    if not isinstance(container, dict):
        return None
    close = difflib.get_close_matches(missing, [str(k) for k in container], n=1)
    return f"did you mean {close[0]!r}?" if close else None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


# Where a ``$ref`` is a reference. Walking a document, each value is one of:
# "object" (an OpenAPI or Schema object: its keys are keywords), "map" (its
# keys are names, codegen.core.spec.keywords.NAME_MAPS), "examples-map"
# and "example" (Example objects, whose ``value`` is data), or "data"
# (example, default, const and enum values: a "$ref" there is just data).
_CONTAINER_CHILD = {"data": "data", "map": "object", "examples-map": "example"}


def child_kind(kind: str, key: str | int, child: object) -> str:
    """The kind of ``child``, found under ``key`` in a value of ``kind``.

    >>> child_kind("object", "properties", {}), child_kind("map", "$ref", {})
    ('map', 'object')
    >>> child_kind("object", "example", {}), child_kind("example", "value", {})
    ('data', 'data')
    >>> child_kind("object", "examples", {}), child_kind("examples-map", "default", {})
    ('examples-map', 'example')
    """
    if kind in _CONTAINER_CHILD:
        return _CONTAINER_CHILD[kind]
    if isinstance(key, int):
        return "object"  # an element of a list of objects (allOf, parameters, ...)
    if key in DATA or (kind == "example" and key == "value"):
        return "data"
    if key == "examples":
        return "examples-map" if isinstance(child, dict) else "data"
    return "map" if key in NAME_MAPS and isinstance(child, dict) else "object"


def reference_of(value: object, kind: str) -> str | None:
    """The ``$ref`` string of ``value`` when it is a Reference (or a schema
    with ``$ref``) in a place where one can be, else None.

    >>> reference_of({"$ref": "#/a"}, "object"), reference_of({"$ref": "#/a"}, "data")
    ('#/a', None)
    >>> reference_of({"$ref": {"type": "string"}}, "object") is None  # a property named $ref
    True
    """
    if kind in ("object", "example") and isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str):
            return ref
    return None
