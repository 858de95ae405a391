"""``validate_spec(loaded)``: every finding about a loaded spec, at once.

Three passes over the spec, each located at ``file:line:column #pointer``:

1. structure: the bundled document against the official OpenAPI 3.0 or 3.1
   meta-schema from openapi-spec-validator (the validator class matching
   the document's version), with readable messages (SF101-SF104, see
   :mod:`codegen.core.spec.schema_errors`);
2. semantics: operationIds, path templates and parameters, security, ...
   (SF110-SF117, :mod:`codegen.core.spec.semantic`);
3. values: defaults, examples and patterns (SF120-SF123,
   :mod:`codegen.core.spec.values`).

openapi-spec-validator's own semantic pass is not used: its findings carry
no location, and pass 2 checks the same things with one. Findings in parts
pulled in from other files are reported in those files.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections import Counter
from typing import TYPE_CHECKING, Any

from jsonschema.validators import Draft202012Validator, validator_for

from codegen.core.diagnostics import Diagnostic, Severity, sort_key
from codegen.core.spec import pointer as jp
from codegen.core.spec.bundle import Origins, bundle_with_origins
from codegen.core.spec.loader import LoadedSpec
from codegen.core.spec.schema_errors import leaf_findings
from codegen.core.spec.schema_walk import iter_schemas
from codegen.core.spec.semantic import semantic_checks
from codegen.core.spec.values import check_values

if TYPE_CHECKING:
    from referencing import Registry

    from codegen.core.spec.resources import SchemaResources

_WARNING_CODES = frozenset({"SF106", "SF117", "SF121", "SF123"})
_SUMMARISED = frozenset({"SF106"})
_META_2020_12 = Draft202012Validator(Draft202012Validator.META_SCHEMA)


@functools.cache
def _fast_meta_2020_12() -> Any:
    """jsonschema-rs on the 2020-12 meta-schema: it says *whether* a schema is
    valid about 700 times faster than the pure-Python validator (16 µs against
    11 ms per schema object), which then explains only the invalid ones."""
    return importlib.import_module("jsonschema_rs").Draft202012Validator(
        Draft202012Validator.META_SCHEMA
    )


def validate_spec(loaded: LoadedSpec, *, examples: bool = True) -> list[Diagnostic]:
    """All structural, semantic and value findings, sorted by place
    (``examples=False``: without SF121, see :func:`check_values`)."""
    doc, origins = bundle_with_origins(loaded)
    diagnostics = structural_findings(loaded, doc, origins)
    if loaded.is_31:
        diagnostics.extend(schema_findings_31(loaded, doc, origins))
    diagnostics.extend(semantic_checks(loaded))
    resources = loaded.schema_resources
    targets = None
    if resources is not None and resources.identifies:
        targets = functools.partial(_validation_target, resources, origins)
    for finding in check_values(doc, loaded.is_31, targets, examples=examples):
        file, pointer = origins.source(finding.tokens)
        severity = Severity.WARNING if finding.code in _WARNING_CODES else Severity.ERROR
        diagnostics.append(
            loaded.diagnostic(
                finding.code, finding.message, file, pointer, severity=severity, hint=finding.hint
            )
        )
    return _summarise(_unique(diagnostics), _SUMMARISED)


def _validation_target(
    resources: SchemaResources, origins: Origins, tokens: list[str]
) -> tuple[dict[str, str], Registry[Any]]:
    """The schema resources' name for the bundled schema at ``tokens``: where
    it was written, so that its ``$id``s and anchors are in scope."""
    spec_file, pointer = origins.source(tokens)
    return resources.validation_target(spec_file, pointer)


def _summarise(diagnostics: list[Diagnostic], codes: frozenset[str]) -> list[Diagnostic]:
    """One finding per file for habits that repeat all over a spec (e.g.
    ``nullable`` in 3.1): the first, saying how many more there are."""
    counts = Counter((d.code, d.location.file) for d in diagnostics if d.code in codes)
    result, seen = [], set()
    for diagnostic in diagnostics:
        key = (diagnostic.code, diagnostic.location.file)
        if diagnostic.code not in codes or counts[key] == 1:
            result.append(diagnostic)
        elif key not in seen:
            seen.add(key)
            more = f" (and {counts[key] - 1} more like it in this file)"
            result.append(dataclasses.replace(diagnostic, message=diagnostic.message + more))
    return result


def structural_findings(
    loaded: LoadedSpec, doc: dict[str, Any], origins: Origins
) -> list[Diagnostic]:
    """Meta-schema findings. The fast validator openapi-spec-validator picks
    (jsonschema-rs when installed) finds where the problems are; the
    pure-Python one, which explains itself, then runs on just those parts."""
    fast, meta_schema = _meta_schema(loaded.is_31)
    fast_errors = list(fast.iter_errors(doc))
    if not fast_errors:
        return []
    explaining = validator_for(meta_schema)(meta_schema)
    places = [[str(token) for token in error.path] for error in fast_errors]
    diagnostics = []
    for finding in leaf_findings(explaining.iter_errors(pruned(doc, places))):
        file, pointer = origins.source(finding.tokens)
        diagnostics.append(
            loaded.diagnostic(finding.code, finding.message, file, pointer, hint=finding.hint)
        )
    return diagnostics


@functools.cache
def _meta_schema(is_31: bool) -> tuple[Any, dict[str, Any]]:
    """(openapi-spec-validator's fast meta-schema validator, the meta-schema)
    for 3.1 or 3.0. Imported on first use: openapi-spec-validator takes half a
    second to import, which every ``specfirst`` command would pay otherwise."""
    spec_validators = importlib.import_module("openapi_spec_validator")
    schemas = importlib.import_module("openapi_spec_validator.schemas")
    if is_31:
        return spec_validators.OpenAPIV31SpecValidator.schema_validator, schemas.schema_v31
    return spec_validators.OpenAPIV30SpecValidator.schema_validator, schemas.schema_v30


def pruned(doc: dict[str, Any], places: list[list[str]]) -> dict[str, Any]:
    """``doc`` keeping, of its path items and components, only those that
    contain one of ``places``: the meta-schema does not follow ``$ref``, so
    their findings are the same, and a 10 MB spec is explained in a blink.

    >>> doc = {"paths": {"/a": {}, "/b": {}}, "components": {"schemas": {"A": {}}}}
    >>> pruned(doc, [["paths", "/b", "get"]])
    {'paths': {'/b': {}}, 'components': {'schemas': {}}}
    """
    keep: dict[tuple[str, ...], set[str]] = {}
    for place in places:
        if len(place) >= 2 and place[0] in ("paths", "webhooks"):
            keep.setdefault((place[0],), set()).add(place[1])
        elif len(place) >= 3 and place[0] == "components":
            keep.setdefault(("components", place[1]), set()).add(place[2])
        else:
            return doc  # a problem outside those: check everything
    result = dict(doc)
    for key in ("paths", "webhooks"):
        if isinstance(doc.get(key), dict):
            names = keep.get((key,), set())
            result[key] = {k: v for k, v in doc[key].items() if k in names}
    components = doc.get("components")
    if isinstance(components, dict):
        result["components"] = {
            section: (
                {k: v for k, v in entries.items() if k in keep.get(("components", section), set())}
                if isinstance(entries, dict)
                else entries
            )
            for section, entries in components.items()
        }
    return result


def schema_findings_31(
    loaded: LoadedSpec, doc: dict[str, Any], origins: Origins
) -> list[Diagnostic]:
    """OpenAPI 3.1's meta-schema accepts any object as a Schema Object (its
    content is JSON Schema 2020-12); check each schema against the 2020-12
    meta-schema, so ``type: strin`` is caught in 3.1 as it is in 3.0."""
    diagnostics = []
    roots: set[tuple[str, ...]] = set()
    for tokens, schema in iter_schemas(doc, is_31=True):
        key = tuple(tokens)
        if any(key[:length] in roots for length in range(1, len(key))):
            continue  # a subschema: checked with its root
        roots.add(key)
        if _fast_meta_2020_12().is_valid(schema):
            continue
        for finding in leaf_findings(_META_2020_12.iter_errors(schema)):
            if _is_boolean_bound(schema, finding.tokens):
                continue  # a 3.0 habit, reported as SF107 by check_values
            file, pointer = origins.source([*tokens, *finding.tokens])
            diagnostics.append(
                loaded.diagnostic(finding.code, finding.message, file, pointer, hint=finding.hint)
            )
    return diagnostics


def _is_boolean_bound(schema: dict[str, Any], tokens: tuple[str, ...]) -> bool:
    bounds = (("exclusiveMinimum",), ("exclusiveMaximum",))
    return tokens[-1:] in bounds and isinstance(jp.lookup(schema, tokens), bool)


def combine(validation: list[Diagnostic], others: list[Diagnostic]) -> list[Diagnostic]:
    """Validation findings plus ``others`` (e.g. the IR build's), without
    exact repeats and without the others that concern a place validation
    already reported an error at or above: one finding per mistake.

    ``requestBody: []`` is an SF103 for validation and an SF202 for the build;
    only the SF103 is kept.
    """
    places = {
        (d.location.file, d.location.pointer)
        for d in validation
        if d.severity is Severity.ERROR and d.location.pointer
    }
    kept = list(validation)
    for diagnostic in others:
        file, pointer = diagnostic.location.file, diagnostic.location.pointer
        ancestors = [pointer[:i] for i, char in enumerate(pointer) if char == "/" and i]
        if not any((file, place) in places for place in (*ancestors, pointer)):
            kept.append(diagnostic)
    return _unique(kept)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sorted, without exact repeats (a shared part can be reached twice)."""
    return sorted(dict.fromkeys(diagnostics), key=sort_key)
