"""JSON Schema objects of a spec → :class:`codegen.core.ir.model.Schema` nodes.

The builder normalises OpenAPI 3.0 and 3.1 into one form (see the model's
docstring) and names schemas: every ``$ref`` target and every inline object or
composite schema becomes a named entry of :attr:`SchemaBuilder.schemas`,
referred to by :class:`SchemaRef`. Names are keyed by (file, pointer), so a
schema reached twice is built once, and a recursive one ends in a reference
to itself instead of looping.

Example (OpenAPI 3.0)::

    {"type": "object", "nullable": true,
     "properties": {"n": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}}}

becomes, when reached as the 200 response of ``getThing``::

    SchemaRef("GetThing200Response") →
    Schema(name="GetThing200Response", types=("null", "object"),
           properties=(Property("n", "n", Schema(types=("integer",), exclusive_minimum=0), False),))
"""

from __future__ import annotations

import dataclasses
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin

from codegen.core.diagnostics import Diagnostic, Severity
from codegen.core.ir import names
from codegen.core.ir.model import (
    Discriminator,
    Property,
    Schema,
    SchemaNode,
    SchemaRef,
)
from codegen.core.spec import openapi30
from codegen.core.spec import pointer as jp
from codegen.core.spec.loader import LoadedSpec, RefSite, SpecFile
from codegen.core.spec.refs import RefError, child_kind, reference_of
from codegen.core.spec.resources import DYNAMIC_KEYWORDS, OutsideSpec, portable_uris
from codegen.core.spec.semantic import mapping_diagnostic, mapping_ref

# Keywords that the model represents (or that are OpenAPI annotations with no
# bearing on validation); everything else goes to Schema.unmodeled.
_MODELED = frozenset(
    {
        "$ref", "type", "nullable", "format", "enum", "const", "default", "example",
        "examples", "title", "description", "minLength", "maxLength", "pattern",
        "contentMediaType", "contentEncoding", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "items", "prefixItems", "minItems", "maxItems",
        "uniqueItems", "properties", "required", "additionalProperties", "patternProperties",
        "minProperties", "maxProperties", "allOf", "oneOf", "anyOf", "not", "discriminator",
        "readOnly", "writeOnly", "deprecated", "xml", "externalDocs", "$comment", "$schema",
        "$id", "$anchor", "$dynamicAnchor", "$defs", "definitions",
    }
)  # fmt: skip
# Unmodeled keywords whose values are schemas (or hold schemas).
_SUBSCHEMA_KEYWORDS = frozenset(
    {
        "if", "then", "else", "contains", "propertyNames", "unevaluatedItems",
        "unevaluatedProperties", "additionalItems", "contentSchema", "dependentSchemas",
    }
)  # fmt: skip
_ANNOTATIONS = frozenset({"description", "title", "summary", "$comment", "example", "examples"})


def _is_named_kind(data: dict[str, Any]) -> bool:
    """Object and composite schemas get a name; scalars and arrays do not."""
    kind = data.get("type")
    if kind == "object" or (isinstance(kind, list) and "object" in kind):
        return True
    if any(key in data for key in ("properties", "patternProperties", *openapi30.COMPOSITES)):
        return True
    return isinstance(data.get("additionalProperties"), dict) and kind is None


class SchemaBuilder:
    """Builds and names every schema of one loaded spec."""

    def __init__(self, loaded: LoadedSpec, diagnostics: list[Diagnostic]) -> None:
        self.loaded = loaded
        self.is_31 = loaded.is_31
        self.diagnostics = diagnostics
        self.schemas: dict[str, Schema] = {}
        self.component_names: dict[str, str] = {}  # schema name -> original component key
        self._names: dict[tuple[str, str], str] = {}  # (file, pointer) -> name
        self._classes = names.Namespace(style="class")
        resources = loaded.schema_resources
        self._dynamic = resources is not None and resources.dynamic
        self._reaches_dynamic: dict[tuple[str, str], bool] = {}
        self.as_written_used = False  # whether a node is validated as written

    # -- entry points -----------------------------------------------------

    def add_components(self) -> None:
        """Claim every component schema's name first (so inline schemas never
        take one), then build them in document order."""
        root = self.loaded.root
        components = root.data.get("components")
        section = components.get("schemas") if isinstance(components, dict) else None
        if not isinstance(section, dict):
            return
        pending = []
        for key, value in section.items():
            pointer = jp.child("/components/schemas", key)
            name = self._claim(root, pointer, names.class_name(key))
            self.component_names[name] = key
            pending.append((name, pointer, value))
        for name, pointer, value in pending:
            self.schemas[name] = self._build(value, root, pointer, name)

    def node(self, value: Any, file: SpecFile, pointer: str, hint: str) -> SchemaNode:
        """The IR node for the schema ``value`` found at ``pointer`` in ``file``;
        ``hint`` names it if it needs a name (see :mod:`codegen.core.ir.names`)."""
        if isinstance(value, bool):
            return self._boolean(value, file, pointer)
        if not isinstance(value, dict):
            self._warn("SF201", "a schema must be an object (or, in 3.1, a boolean)", file, pointer)
            return Schema(self.loaded.lazy_locate(file, pointer))
        if "$ref" in value:
            return self._ref_node(value, file, pointer, hint)
        if self._needs_null_wrapper(value) or _is_named_kind(value):
            return self.named(value, file, pointer, hint)
        return self._build(value, file, pointer, None, hint)

    def named(self, value: Any, file: SpecFile, pointer: str, hint: str) -> SchemaRef:
        key = (file.display, pointer)
        if key in self._names:
            return SchemaRef(self._names[key])
        name = self._claim(file, pointer, names.class_name(hint))
        self.schemas[name] = self._build(value, file, pointer, name)
        return SchemaRef(name)

    def finish(self) -> dict[str, Schema]:
        """Add implicit discriminator mappings; schemas sorted by name."""
        for name, schema in list(self.schemas.items()):
            if schema.discriminator is not None:
                mapping = self._full_mapping(name, schema)
                discriminator = dataclasses.replace(schema.discriminator, mapping=mapping)
                self.schemas[name] = dataclasses.replace(schema, discriminator=discriminator)
        return {name: self.schemas[name] for name in sorted(self.schemas)}

    # -- references -------------------------------------------------------

    def _ref_node(
        self, value: dict[str, Any], file: SpecFile, pointer: str, hint: str
    ) -> SchemaNode:
        try:
            target = self._follow(value["$ref"], file, pointer)
        except OutsideSpec:  # a meta-schema: the validator knows it by its URI
            self.as_written_used = True
            location = self.loaded.lazy_locate(file, pointer)
            return Schema(location, as_written=self.schema_uri(file, pointer))
        if target is None:
            return Schema(self.loaded.lazy_locate(file, pointer))
        target_file, target_pointer, target_value = target
        ref_hint = names.schema_hint_from_pointer(
            jp.split(target_pointer), PurePosixPath(target_file.display).stem
        )
        ref = self.named(target_value, target_file, target_pointer, ref_hint)
        siblings = {k: v for k, v in value.items() if k != "$ref" and not k.startswith("x-")}
        if siblings.get("nullable") is True:
            # Not valid beside $ref (nor in 3.1 at all), but specs use it to
            # mean "this reference or null", so it is honoured.
            wrapper = {"anyOf": [{"$ref": value["$ref"]}], "nullable": True}
            return self.named(wrapper, file, pointer, hint)
        if not self.is_31 or set(siblings) <= _ANNOTATIONS:  # 3.0 ignores $ref siblings
            return ref
        return self.named(value, file, pointer, hint)

    def _follow(self, ref: Any, file: SpecFile, pointer: str) -> tuple[SpecFile, str, Any] | None:
        try:
            return self.loaded.resolve(ref, file, follow=False, at=pointer)
        except RefError as error:
            site = RefSite(file, pointer, str(ref))
            self.diagnostics.append(self.loaded.ref_diagnostic(site, error))
            return None

    # -- building ---------------------------------------------------------

    def _build(
        self,
        data: Any,
        file: SpecFile,
        pointer: str,
        name: str | None,
        hint: str | None = None,
    ) -> Schema:
        location = self.loaded.lazy_locate(file, pointer)
        if isinstance(data, bool):
            schema = self._boolean(data, file, pointer)
            return dataclasses.replace(schema, name=name)
        if not isinstance(data, dict):
            self._warn("SF201", "a schema must be an object (or, in 3.1, a boolean)", file, pointer)
            return Schema(location, name=name)
        base = name or hint or "Schema"
        if self._dynamic and self._uses_dynamic_scope(data, file, pointer):
            self.as_written_used = True
            return Schema(location, name=name, as_written=self.schema_uri(file, pointer))
        if self._needs_null_wrapper(data):
            return self._null_wrapper(data, file, pointer, name, base)
        fields: dict[str, Any] = {"location": location, "name": name}
        fields.update(self._scalar_fields(data, file, pointer))
        fields.update(self._array_fields(data, file, pointer, base))
        fields.update(self._object_fields(data, file, pointer, base))
        fields.update(self._composite_fields(data, file, pointer, base))
        if "$ref" in data:  # a 3.1 $ref with constraining siblings, or an alias
            target = self._ref_node({"$ref": data["$ref"]}, file, pointer, base + "Ref")
            fields["all_of"] = (target, *fields.get("all_of", ()))
        unmodeled = [
            (k, self._unmodeled(k, v, file, jp.child(pointer, k), base))
            for k, v in data.items()
            if k not in _MODELED and not k.startswith("x-")
        ]
        required_elsewhere = fields.pop("required_elsewhere", ())
        if required_elsewhere:
            unmodeled.append(("required", list(required_elsewhere)))
        fields["unmodeled"] = tuple(unmodeled)
        fields["extensions"] = tuple((k, v) for k, v in data.items() if k.startswith("x-"))
        if self.loaded.is_31 and any(k in data for k in _ANNOTATION_DEPENDENT):
            # What these keywords allow depends on what every adjacent and
            # in-place subschema evaluated (``items: true`` included), which
            # the fields do not keep: the schema is also checked as written.
            self.as_written_used = True
            fields["as_written"] = self.schema_uri(file, pointer)
        return Schema(**fields)

    def schema_uri(self, file: SpecFile, pointer: str) -> str:
        """The URI naming the schema at ``pointer`` in Api.schema_resources."""
        uris = portable_uris(f.path for f in self.loaded.files.values())
        resources = self.loaded.schema_resources
        root_id = resources.root_id(file) if resources is not None else None
        return urljoin(uris[file.path], root_id or "") + "#" + jp.to_fragment(pointer)

    def schema_resources(self) -> dict[str, Any]:
        """Every file by its URI, when a schema is validated as written."""
        if not self.as_written_used:
            return {}
        uris = portable_uris(f.path for f in self.loaded.files.values())
        return {uris[f.path]: f.data for f in self.loaded.files.values()}

    def _uses_dynamic_scope(self, data: Any, file: SpecFile, pointer: str) -> bool:
        """Whether evaluating the schema can meet a ``$dynamicRef``: whose
        target depends on the path taken to it, so the schema is validated as
        written (by the JSON Schema validator) rather than as IR nodes."""
        key = (file.display, pointer)
        if key not in self._reaches_dynamic:
            self._reaches_dynamic[key] = False  # a cycle adds nothing
            self._reaches_dynamic[key] = any(
                keyword in DYNAMIC_KEYWORDS or self._target_uses_dynamic_scope(ref, file, where)
                for where, keyword, ref in _schema_refs(data, pointer)
            )
        return self._reaches_dynamic[key]

    def _target_uses_dynamic_scope(self, ref: str, file: SpecFile, where: str) -> bool:
        try:
            target_file, target_pointer, value = self.loaded.resolve(
                ref, file, follow=False, at=where
            )
        except RefError:
            return False  # reported where the reference is built
        except OutsideSpec:
            return True  # a meta-schema, which uses $dynamicRef
        return self._uses_dynamic_scope(value, target_file, target_pointer)

    def _unmodeled(self, keyword: str, value: Any, file: SpecFile, pointer: str, base: str) -> Any:
        """An unmodeled keyword's value; in those that hold subschemas, every
        ``$ref`` is rewritten to ``#/components/schemas/<IR name>`` so that a
        renderer can validate with it against :attr:`Api.schemas`.

        ``{"if": {"$ref": "#/components/schemas/order-line"}}`` keeps
        ``{"$ref": "#/components/schemas/OrderLine"}``.
        """
        if keyword not in _SUBSCHEMA_KEYWORDS:
            return value
        return self._rewrite_refs(value, file, pointer, base + names.pascal(keyword))

    def _rewrite_refs(self, value: Any, file: SpecFile, pointer: str, hint: str) -> Any:
        if isinstance(value, list):
            return [
                self._rewrite_refs(item, file, jp.child(pointer, i), hint)
                for i, item in enumerate(value)
            ]
        if not isinstance(value, dict):
            return value
        result = {
            k: self._rewrite_refs(v, file, jp.child(pointer, k), hint)
            for k, v in value.items()
            if k not in _RESOLVED_HERE
        }
        if isinstance(value.get("$ref"), str):
            node = self._ref_node({"$ref": value["$ref"]}, file, pointer, hint)
            if isinstance(node, SchemaRef):
                return {"$ref": f"#/components/schemas/{node.name}", **result}
        return result

    def _scalar_fields(self, data: dict[str, Any], file: SpecFile, pointer: str) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        admitted = openapi30.nullable(data)  # honoured in 3.1 too (SF106 warns)
        types = _types(admitted.get("type"))
        enum = admitted.get("enum")
        fields["types"] = types
        if isinstance(enum, list):
            fields["enum"] = tuple(enum)
        for key, attr in (("const", "const"), ("default", "default")):
            if key in data:
                fields[attr] = data[key]
        examples: list[Any] = []
        if self.is_31 and isinstance(data.get("examples"), list):
            examples.extend(data["examples"])
        if "example" in data and data["example"] not in examples:
            examples.append(data["example"])
        fields["examples"] = tuple(examples)
        keys = data.keys()
        for key in keys & _SIMPLE_FIELDS.keys():
            fields[_SIMPLE_FIELDS[key]] = data[key]
        if keys & _BOUNDS:
            fields.update(_exclusive_bounds(data))
        for key in keys & _FLAGS.keys():
            fields[_FLAGS[key]] = data[key] is True
        return fields

    def _array_fields(
        self, data: dict[str, Any], file: SpecFile, pointer: str, base: str
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        items = data.get("items")
        prefix = data.get("prefixItems")
        if isinstance(items, list):  # the draft-4 tuple form
            prefix, items = items, None
            prefix_key = "items"
        else:
            prefix_key = "prefixItems"
        if isinstance(prefix, list):
            fields["prefix_items"] = tuple(
                self.node(item, file, jp.child(pointer, prefix_key, i), f"{base}Item{i + 1}")
                for i, item in enumerate(prefix)
            )
        if isinstance(items, (dict, bool)) and items is not True:
            if items is False:  # nothing beyond the prefix
                limit = len(prefix) if isinstance(prefix, list) else 0
                declared = data.get("maxItems")
                fields["max_items"] = min(limit, declared) if isinstance(declared, int) else limit
            else:
                fields["items"] = self.node(items, file, jp.child(pointer, "items"), base + "Item")
        return fields

    def _object_fields(
        self, data: dict[str, Any], file: SpecFile, pointer: str, base: str
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        raw_required = data.get("required")
        required = (
            [r for r in raw_required if isinstance(r, str)]
            if isinstance(raw_required, list)
            else []
        )
        properties = data.get("properties")
        props: list[Property] = []
        declared = properties if isinstance(properties, dict) else {}
        if not declared and not required:
            fields.update(self._extra_fields(data, file, pointer, base))
            return fields
        python_names = names.Namespace(style="snake")
        undeclared = [key for key in required if key not in declared]
        if undeclared and any(key in data for key in (*openapi30.COMPOSITES, "$ref")):
            # allOf/oneOf/anyOf parts may declare them: keep the bare
            # requirement for a JSON Schema check instead of inventing fields.
            fields["required_elsewhere"] = tuple(undeclared)
            undeclared = []
        for key, value in declared.items():
            node = self.node(
                value, file, jp.child(pointer, "properties", key), base + names.pascal(key)
            )
            python_name = python_names.claim(
                names.identifier(key, reserved=names.SERIALIZER_RESERVED)
            )
            props.append(Property(key, python_name, node, key in required))
        for key in undeclared:  # required but undeclared: present, of any type
            python_name = python_names.claim(
                names.identifier(key, reserved=names.SERIALIZER_RESERVED)
            )
            location = self.loaded.lazy_locate(file, pointer + "/required")
            props.append(Property(key, python_name, Schema(location), True))
        fields["properties"] = tuple(props)
        fields.update(self._extra_fields(data, file, pointer, base))
        return fields

    def _extra_fields(
        self, data: dict[str, Any], file: SpecFile, pointer: str, base: str
    ) -> dict[str, Any]:
        """additionalProperties and patternProperties."""
        fields: dict[str, Any] = {}
        extra = data.get("additionalProperties", True)
        if extra is False:
            fields["additional_properties"] = False
        elif isinstance(extra, dict) and extra:
            fields["additional_properties"] = self.node(
                extra, file, jp.child(pointer, "additionalProperties"), base + "Value"
            )
        patterns = data.get("patternProperties")
        if isinstance(patterns, dict):
            fields["pattern_properties"] = tuple(
                (
                    key,
                    self.node(
                        value,
                        file,
                        jp.child(pointer, "patternProperties", key),
                        f"{base}Pattern{i + 1}",
                    ),
                )
                for i, (key, value) in enumerate(patterns.items())
            )
        return fields

    def _composite_fields(
        self, data: dict[str, Any], file: SpecFile, pointer: str, base: str
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for key, attr in (("allOf", "all_of"), ("oneOf", "one_of"), ("anyOf", "any_of")):
            members = data.get(key)
            if isinstance(members, list):
                suffix = names.pascal(key)
                fields[attr] = tuple(
                    self.node(member, file, jp.child(pointer, key, i), f"{base}{suffix}{i + 1}")
                    for i, member in enumerate(members)
                )
        if "not" in data:
            fields["not_"] = self.node(data["not"], file, jp.child(pointer, "not"), base + "Not")
        discriminator = data.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
            fields["discriminator"] = self._discriminator(discriminator, file, pointer)
        return fields

    def _discriminator(self, data: dict[str, Any], file: SpecFile, pointer: str) -> Discriminator:
        mapping: list[tuple[str, str]] = []
        raw = data.get("mapping")
        for value, target in raw.items() if isinstance(raw, dict) else ():
            where = jp.child(pointer, "discriminator", "mapping", value)
            problem = mapping_diagnostic(self.loaded, file, where, str(value), target)
            if problem is not None:
                self.diagnostics.append(problem)
                continue
            ref, from_root = mapping_ref(target)
            base = self.loaded.root if from_root else file
            node = self._ref_node({"$ref": ref}, base, where, names.class_name(str(value)))
            if isinstance(node, SchemaRef):
                mapping.append((str(value), node.name))
        return Discriminator(str(data["propertyName"]), tuple(sorted(mapping)))

    def _full_mapping(self, name: str, schema: Schema) -> tuple[tuple[str, str], ...]:
        """Explicit mapping plus the implicit one: each oneOf/anyOf member (or,
        without those, each schema that extends this one through allOf) maps
        from its component name."""
        assert schema.discriminator is not None
        mapping = dict(schema.discriminator.mapping)
        members = [m.name for m in (*schema.one_of, *schema.any_of) if isinstance(m, SchemaRef)]
        if not members:
            members = [
                other
                for other, candidate in sorted(self.schemas.items())
                if other != name and SchemaRef(name) in candidate.all_of
            ]
        targets = set(mapping.values())
        for member in members:
            if member not in targets:
                mapping.setdefault(self.component_names.get(member, member), member)
        return tuple(sorted(mapping.items()))

    # -- helpers ----------------------------------------------------------

    def _needs_null_wrapper(self, data: dict[str, Any]) -> bool:
        """``nullable`` without ``type`` on a composite or reference cannot be
        expressed by adding "null" to types; it becomes ``anyOf: [<schema>,
        null]``. (``nullable`` is 3.0; in 3.1 it is honoured too, with a
        warning from validation, SF106.)"""
        return openapi30.needs_null_branch(data)

    def _null_wrapper(
        self, data: dict[str, Any], file: SpecFile, pointer: str, name: str | None, base: str
    ) -> Schema:
        inner_data = {k: v for k, v in data.items() if k != "nullable"}
        if set(inner_data) == {"anyOf"} and isinstance(inner_data["anyOf"], list):
            members = tuple(
                self.node(member, file, jp.child(pointer, "anyOf", i), f"{base}AnyOf{i + 1}")
                for i, member in enumerate(inner_data["anyOf"])
            )
        else:
            inner_name = self._claim_synthetic(base + "Value")
            self.schemas[inner_name] = self._build(inner_data, file, pointer, inner_name)
            members = (SchemaRef(inner_name),)
        location = self.loaded.lazy_locate(file, pointer)
        null = Schema(location, types=("null",))
        return Schema(
            location, name=name, any_of=(*members, null), description=data.get("description")
        )

    def _boolean(self, value: bool, file: SpecFile, pointer: str) -> Schema:
        location = self.loaded.lazy_locate(file, pointer)
        return Schema(location) if value else Schema(location, not_=Schema(location))

    def _claim(self, file: SpecFile, pointer: str, name: str) -> str:
        claimed = self._classes.claim(name)
        self._names[(file.display, pointer)] = claimed
        return claimed

    def _claim_synthetic(self, name: str) -> str:
        return self._classes.claim(names.class_name(name))

    def _warn(self, code: str, message: str, file: SpecFile, pointer: str) -> None:
        self.diagnostics.append(
            self.loaded.diagnostic(code, message, file, pointer, severity=Severity.WARNING)
        )


# Keywords whose meaning depends on the annotations of other keywords.
_ANNOTATION_DEPENDENT = frozenset({"unevaluatedItems", "unevaluatedProperties"})
# Keywords that identify schemas or refer to them: the builder resolves
# references itself, so a rewritten subschema keeps none of them.
_RESOLVED_HERE = frozenset({"$ref", "$id", "$anchor", "$dynamicAnchor"})


def _schema_refs(data: Any, pointer: str) -> list[tuple[str, str, str]]:
    """(holder pointer, keyword, value) of each ``$ref`` and dynamic reference
    in the schema ``data`` (not in its example, default, enum or const data).

    >>> _schema_refs({"items": {"$ref": "#/a"}, "default": {"$ref": "x"}}, "/s")
    [('/s/items', '$ref', '#/a')]
    """
    found: list[tuple[str, str, str]] = []

    def walk(value: Any, kind: str, where: str) -> None:
        ref = reference_of(value, kind)
        if ref is not None:
            found.append((where, "$ref", ref))
        if isinstance(value, dict) and kind == "object":
            found.extend(
                (where, key, str(value[key])) for key in sorted(DYNAMIC_KEYWORDS) if key in value
            )
        items: Any = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            if isinstance(child, (dict, list)):
                kind_ = child_kind(kind, key, child)
                if kind_ != "data":
                    walk(child, kind_, jp.child(where, key))

    if isinstance(data, (dict, list)):
        walk(data, "object", pointer)
    return found


# JSON Schema keyword -> Schema attribute, for values taken as written.
_SIMPLE_FIELDS = {
    "title": "title",
    "description": "description",
    "format": "format",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "contentMediaType": "content_media_type",
    "contentEncoding": "content_encoding",
    "multipleOf": "multiple_of",
    "minItems": "min_items",
    "maxItems": "max_items",
    "minProperties": "min_properties",
    "maxProperties": "max_properties",
}
_FLAGS = {
    "uniqueItems": "unique_items",
    "readOnly": "read_only",
    "writeOnly": "write_only",
    "deprecated": "deprecated",
}
_BOUNDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})


def _types(raw: Any) -> tuple[str, ...]:
    """``type`` as a sorted tuple; ``()`` means any type.

    >>> _types(["string", "null"]), _types("integer"), _types(None)
    (('null', 'string'), ('integer',), ())
    """
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list):
        return tuple(sorted({t for t in raw if isinstance(t, str)}))
    return ()


def _exclusive_bounds(data: dict[str, Any]) -> dict[str, Any]:
    """minimum/maximum and both exclusive forms, as 3.1 numeric bounds
    (:func:`codegen.core.spec.openapi30.exclusive_bounds` reads 3.0's flags).

    >>> _exclusive_bounds({"minimum": 0, "exclusiveMinimum": True})
    {'exclusive_minimum': 0}
    >>> _exclusive_bounds({"exclusiveMaximum": 10, "maximum": 20})
    {'maximum': 20, 'exclusive_maximum': 10}
    """
    numeric = openapi30.exclusive_bounds(data)
    fields: dict[str, Any] = {}
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        for keyword, attr in ((bound, bound), (exclusive, f"exclusive_{bound}")):
            if keyword in numeric:
                value = numeric[keyword]
                number = isinstance(value, (int, float)) and not isinstance(value, bool)
                fields[attr] = value if number else None
    return fields
