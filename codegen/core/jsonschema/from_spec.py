"""Schema Objects as written in a spec → JSON Schema 2020-12, in two views.

Lint, the mock and the gateway's merge read schemas where they are written (a
finding points at the exact key; a merged document keeps every annotation; a
spec the IR refuses is still linted), so they convert the raw tree, applying
the same 3.0 rules as the IR (:mod:`codegen.core.spec.openapi30`):

* :func:`validation_schema`: one self-contained schema to validate a value
  with. Each ``$ref`` (in any file) becomes ``#/$defs/d<n>``, one entry per
  referenced place, so recursive schemas stay finite; annotations a validator
  does not need (``discriminator``, ``xml``, 3.0's ``example``, ``x-*``) are
  dropped. A ``direction`` (:data:`codegen.core.openapi.Direction`) leaves
  out of ``required`` what that direction does not send (``readOnly`` in
  requests, ``writeOnly`` in responses); with
  ``forbid_unsent`` such properties become ``false`` (a response must not
  carry a ``writeOnly`` property); with ``discriminators`` each discriminator
  is kept as :data:`~codegen.core.synth.DISCRIMINATOR`, its mapping pointing
  at ``$defs`` (generated data names its branch).
* :func:`document_31`: an OpenAPI 3.0 document as 3.1 for the merged spec:
  references and annotations kept, ``example`` → ``examples``.

In 3.0, the siblings of a ``$ref`` are ignored except ``nullable: true``,
which means "this reference or null" as the IR reads it.

Example: ``{type: string, nullable: true}`` (3.0) → ``{"type": ["string", "null"]}``;
``{$ref: "#/components/schemas/A"}`` → ``{"$ref": "#/$defs/d0", "$defs": {"d0": <A>}}``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from codegen.core.openapi import UNSENT
from codegen.core.spec import openapi30
from codegen.core.spec.keywords import DATA_OR_VALUE, subschemas
from codegen.core.spec.loader import LoadedSpec, SpecFile
from codegen.core.spec.refs import RefError
from codegen.core.synth import DISCRIMINATOR

_ANNOTATIONS = frozenset({"discriminator", "xml", "externalDocs", "$id", "$schema", "$anchor"})


def map_subschemas(schema: Mapping[str, Any], convert: Callable[[Any], Any]) -> dict[str, Any]:
    """``schema`` with every direct subschema (:func:`codegen.core.spec.keywords.subschemas`)
    replaced by ``convert(subschema)``."""
    out: dict[str, Any] = dict(schema)
    for keys, subschema in subschemas(schema):
        keyword = str(keys[0])
        if len(keys) == 1:
            out[keyword] = convert(subschema)
            continue
        if out[keyword] is schema[keyword]:  # copy each list or map once
            raw = schema[keyword]
            out[keyword] = list(raw) if isinstance(raw, list) else dict(raw)
        out[keyword][keys[1]] = convert(subschema)
    return out


@dataclass(frozen=True, slots=True)
class _Options:
    direction: str | None
    forbid_unsent: bool
    discriminators: bool


class _Validation:
    """One :func:`validation_schema` call: the ``$defs`` it collects on the way."""

    def __init__(self, loaded: LoadedSpec, options: _Options) -> None:
        self.loaded = loaded
        self.is_30 = openapi30.is_30(loaded.root.data)
        self.options = options
        self.defs: dict[str, Any] = {}
        self.names: dict[tuple[str, str], str] = {}

    def ref(self, file: SpecFile, ref: str) -> dict[str, Any]:
        """``{"$ref": "#/$defs/d<n>"}`` for ``ref`` written in ``file``; ``{}`` when it
        cannot be followed (the loader reports broken references and cycles)."""
        try:
            target_file, pointer, value = self.loaded.resolve(ref, file)
        except RefError:
            return {}
        key = (target_file.display, pointer)
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = f"d{len(self.names)}"
            self.defs[name] = True  # placeholder while converting (recursion)
            self.defs[name] = self.convert(target_file, value)
        return {"$ref": f"#/$defs/{name}"}

    def convert(self, file: SpecFile, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if not isinstance(value, dict):
            return {}
        ref = value.get("$ref")
        if not isinstance(ref, str):
            return self._keywords(file, value)
        reference = self.ref(file, ref)
        if self.is_30:
            return openapi30.nullable({**reference, "nullable": value.get("nullable")})
        rest = self._keywords(file, {k: v for k, v in value.items() if k != "$ref"})
        return {**rest, "allOf": [reference, *rest.get("allOf", [])]} if rest else reference

    def _keywords(self, file: SpecFile, value: dict[str, Any]) -> dict[str, Any]:
        kept = {
            key: raw
            for key, raw in value.items()
            if key not in _ANNOTATIONS
            and not key.startswith("x-")
            and not (self.is_30 and key == "example")
            and (self.is_30 or key != "nullable")
        }
        out = openapi30.exclusive_bounds(map_subschemas(kept, lambda s: self.convert(file, s)))
        out = self._unsent(file, value, out)
        if self.is_30:
            out = openapi30.nullable(out)
        if self.options.discriminators:
            self._discriminator(file, value, out)
        return out

    def _unsent(self, file: SpecFile, value: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        """Properties the direction does not send leave ``required`` (and, with
        ``forbid_unsent``, become ``false``)."""
        flag = next((f for d, f in UNSENT.items() if d == self.options.direction), None)
        properties = value.get("properties")
        if flag is None or not isinstance(properties, dict):
            return out
        unsent = {name for name, raw in properties.items() if self._flagged(file, raw, flag)}
        if not unsent:
            return out
        required = out.get("required")
        if isinstance(required, list):
            out["required"] = [name for name in required if name not in unsent]
        if self.options.forbid_unsent:
            out["properties"] = {
                name: False if name in unsent else member
                for name, member in out["properties"].items()
            }
        return out

    def _flagged(self, file: SpecFile, raw: Any, flag: str) -> bool:
        """Whether a property schema carries ``flag`` (itself, or its ``$ref``'s
        target; 3.0 ignores a ``$ref``'s siblings)."""
        if not isinstance(raw, dict):
            return False
        ref = raw.get("$ref")
        if not isinstance(ref, str):
            return raw.get(flag) is True
        if not self.is_30 and raw.get(flag) is True:
            return True
        try:
            _, _, target = self.loaded.resolve(ref, file)
        except RefError:
            return False
        return isinstance(target, dict) and target.get(flag) is True

    def _discriminator(self, file: SpecFile, value: dict[str, Any], out: dict[str, Any]) -> None:
        """The discriminator's value → ``$defs`` reference: explicit ``mapping``
        entries first (a bare name means a component schema), then each ``$ref``
        branch of ``oneOf``/``anyOf`` that no entry names, under its component
        name (OpenAPI's implicit mapping). References resolve from ``file``,
        where the discriminator is written."""
        discriminator = value.get("discriminator")
        if not isinstance(discriminator, dict) or not isinstance(
            discriminator.get("propertyName"), str
        ):
            return
        mapping: dict[str, str] = {}
        explicit = discriminator.get("mapping")
        for name, target in (explicit if isinstance(explicit, dict) else {}).items():
            if isinstance(target, str):
                named = target if "/" in target else f"#/components/schemas/{target}"
                mapping[name] = self.ref(file, named).get("$ref", "")
        for keyword in ("oneOf", "anyOf"):
            branches = value.get(keyword)
            for branch in branches if isinstance(branches, list) else ():
                ref = branch.get("$ref") if isinstance(branch, dict) else None
                if not isinstance(ref, str):
                    continue
                converted = self.ref(file, ref).get("$ref", "")
                if converted and converted not in mapping.values():
                    mapping[ref.rsplit("/", 1)[-1]] = converted
        out[DISCRIMINATOR] = {
            "propertyName": discriminator["propertyName"],
            "mapping": {name: ref for name, ref in mapping.items() if ref},
        }


def validation_schema(
    loaded: LoadedSpec,
    file: SpecFile,
    schema: Any,
    *,
    direction: str | None = None,
    forbid_unsent: bool = False,
    discriminators: bool = False,
) -> dict[str, Any] | bool:
    """A self-contained JSON Schema 2020-12 for ``schema``, written in ``file`` of
    ``loaded`` (see the module docstring for the options)."""
    walk = _Validation(loaded, _Options(direction, forbid_unsent, discriminators))
    converted = walk.convert(file, schema)
    if not walk.defs:
        return converted if isinstance(converted, dict | bool) else {}
    if isinstance(converted, dict):
        return {**converted, "$defs": {**converted.get("$defs", {}), **walk.defs}}
    return {"allOf": [converted], "$defs": walk.defs}


def schema_31(schema: Any) -> Any:
    """One 3.0 Schema Object (and its subschemas) as 3.1, references and
    annotations kept.

    >>> schema_31({"type": "integer", "minimum": 0, "exclusiveMinimum": True,
    ...            "nullable": True, "example": 3})
    {'type': ['integer', 'null'], 'exclusiveMinimum': 0, 'examples': [3]}
    """
    if not isinstance(schema, dict):
        return schema
    out = map_subschemas(schema, schema_31)
    return openapi30.nullable(openapi30.example_as_examples(openapi30.exclusive_bounds(out)))


def document_31(document: dict[str, Any]) -> dict[str, Any]:
    """A 3.1 copy of an OpenAPI ``document``; a 3.1 input is returned as a deep
    copy. Every Schema Object is converted by :func:`schema_31`."""
    result = copy.deepcopy(document)
    if not openapi30.is_30(result):
        return result
    result["openapi"] = "3.1.0"
    _walk_objects(result, inside_components=False)
    return result


def _walk_objects(node: Any, inside_components: bool) -> None:
    """Walk the non-schema OpenAPI objects, converting every schema met, in place."""
    if isinstance(node, list):
        for item in node:
            _walk_objects(item, inside_components)
        return
    if not isinstance(node, dict):
        return
    for key, value in list(node.items()):
        if key == "schema" and isinstance(value, dict):
            node[key] = schema_31(value)
        elif key == "schemas" and inside_components and isinstance(value, dict):
            node[key] = {name: schema_31(s) for name, s in value.items()}
        elif key in DATA_OR_VALUE or key.startswith("x-"):
            continue
        else:
            _walk_objects(value, inside_components=key == "components")
