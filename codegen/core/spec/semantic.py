"""Checks the OpenAPI meta-schema cannot express, each with a precise place.

=====  ==========================================================================
SF108  a path template with a query string (``/rides?page={page}``)
SF109  a declared path parameter that only the path key's suffix names
       (``/alerts?lat={lat}``): read from the query instead
SF110  the same operationId on two operations
SF111  a ``{param}`` in the path template that no path parameter declares
SF112  a declared path parameter that the path template does not contain
SF113  the same parameter (name + in) declared twice in one list
SF114  the same ``{param}`` twice in one path template
SF115  two path templates that differ only in parameter names and share a
       method: no request can be routed to the second
SF116  a security requirement naming a scheme ``components/securitySchemes``
       does not define
SF117  a discriminator ``propertyName`` that a oneOf/anyOf member does not
       declare (warning)
SF118  two path templates that differ only in parameter names, with
       different methods (invalid OpenAPI, but requests can be routed)
SF119  a discriminator mapping entry that names no schema
=====  ==========================================================================

Example: ``/orders/{id}`` whose GET declares path parameter ``order_id``
gives SF111 ("path parameter 'id' in '/orders/{id}' is not declared for
GET") and SF112 ("path parameter 'order_id' ... is not in the path
template '/orders/{id}'").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from codegen.core.diagnostics import Diagnostic, Severity
from codegen.core.openapi import HTTP_METHODS
from codegen.core.routing.keys import split_key
from codegen.core.spec import pointer as jp
from codegen.core.spec.loader import LoadedSpec, SpecFile
from codegen.core.spec.refs import RefError

_TEMPLATE_PARAM = re.compile(r"\{([^{}]*)\}")


def template_params(path: str) -> list[str]:
    """The parameter names of a path template, in order (a query string,
    which OpenAPI paths must not have, is ignored: see SF108).

    >>> template_params("/orders/{id}/lines/{line}.{format}?x={x}")
    ['id', 'line', 'format']
    >>> template_params("/tags/{arn}#tagKeys={keys}")
    ['arn']
    """
    return _TEMPLATE_PARAM.findall(split_key(path).template)


def mapping_ref(target: object) -> tuple[str, bool]:
    """A discriminator mapping value as a ``$ref``, and whether it is relative
    to the root document (bare schema names are).

    >>> mapping_ref("Dog"), mapping_ref("#/components/schemas/Dog")
    (('#/components/schemas/Dog', True), ('#/components/schemas/Dog', False))
    """
    text = str(target)
    if "/" in text or "#" in text:
        return text, False
    return f"#/components/schemas/{jp.escape(text)}", True


def mapping_diagnostic(
    loaded: LoadedSpec, file: SpecFile, pointer: str, value: str, target: object
) -> Diagnostic | None:
    """SF119 when the mapping entry ``value: target`` at ``pointer`` names no
    schema (``None`` when it does)."""
    ref, from_root = mapping_ref(target)
    try:
        loaded.resolve(ref, loaded.root if from_root else file)
    except RefError as error:
        return loaded.diagnostic(
            "SF119",
            f"discriminator mapping {value!r} points to no schema: {error.message}",
            file,
            pointer,
            hint=error.hint,
        )
    return None


def semantic_checks(loaded: LoadedSpec) -> list[Diagnostic]:
    checker = _Checker(loaded)
    checker.run()
    return checker.diagnostics


class _Checker:
    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.diagnostics: list[Diagnostic] = []
        self.operation_ids: dict[str, tuple[SpecFile, str]] = {}
        components = loaded.root.data.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        self.schemes = set(schemes) if isinstance(schemes, dict) else set()

    def report(
        self,
        code: str,
        message: str,
        file: SpecFile,
        pointer: str,
        *,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.diagnostics.append(
            self.loaded.diagnostic(code, message, file, pointer, severity=severity, hint=hint)
        )

    def run(self) -> None:
        root = self.loaded.root
        paths = root.data.get("paths")
        if isinstance(paths, dict):
            self.check_templates(paths)
            for path, raw_item in paths.items():
                resolved = self.deref(raw_item, root, jp.child("/paths", path))
                if resolved is not None and isinstance(resolved[2], dict):
                    self.check_path_item(path, *resolved)
        self.check_security(root.data.get("security"), root, "/security")
        self.check_discriminators()

    def deref(self, raw: Any, file: SpecFile, pointer: str) -> tuple[SpecFile, str, Any] | None:
        if isinstance(raw, dict) and "$ref" in raw:
            try:
                return self.loaded.resolve(raw["$ref"], file)
            except RefError:
                return None  # reported by the loader
        return file, pointer, raw

    def check_templates(self, paths: dict[str, Any]) -> None:
        shapes: dict[str, tuple[str, set[str]]] = {}
        for path, raw_item in paths.items():
            pointer = jp.child("/paths", path)
            if "?" in path:
                self.report(
                    "SF108",
                    f"path {path!r} contains a query string; paths are matched without it",
                    self.loaded.root, pointer,
                    hint="remove the '?...' part and declare its parameters with 'in: query'",
                )  # fmt: skip
            names = template_params(path)
            for name in sorted({n for n in names if names.count(n) > 1}):
                self.report(
                    "SF114", f"path template {path!r} uses parameter {name!r} more than once",
                    self.loaded.root, pointer,
                )  # fmt: skip
            resolved = self.deref(raw_item, self.loaded.root, pointer)
            item = resolved[2] if resolved is not None else None
            methods = {m for m in HTTP_METHODS if isinstance(item, dict) and m in item}
            shape = _TEMPLATE_PARAM.sub("{}", path)
            if shape not in shapes:
                shapes[shape] = (path, methods)
                continue
            other, other_methods = shapes[shape]
            shared = sorted(methods & other_methods, key=HTTP_METHODS.index)
            if shared:
                self.report(
                    "SF115",
                    f"{'/'.join(m.upper() for m in shared)} {path!r} cannot be told apart from "
                    f"the same operation on {other!r}: the templates differ only in names",
                    self.loaded.root, pointer,
                    hint="rename the parameters alike and merge the two path items",
                )  # fmt: skip
            else:
                self.report(
                    "SF118",
                    f"path {path!r} is the same template as {other!r} with different parameter "
                    "names, which OpenAPI forbids (their methods differ, so requests can still "
                    "be routed)",
                    self.loaded.root, pointer,
                    hint="rename the parameters alike and merge the two path items",
                )  # fmt: skip
            other_methods |= methods

    def check_path_item(
        self, path: str, file: SpecFile, pointer: str, item: dict[str, Any]
    ) -> None:
        shared = list(
            self.parameters(item.get("parameters"), file, jp.child(pointer, "parameters"))
        )
        template = template_params(path)
        key = split_key(path)
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            op_pointer = jp.child(pointer, method)
            self.check_operation_id(operation, file, op_pointer)
            own = list(
                self.parameters(
                    operation.get("parameters"), file, jp.child(op_pointer, "parameters")
                )
            )
            declared = {p["name"]: (f, ptr) for f, ptr, p in shared + own if p.get("in") == "path"}
            for name in dict.fromkeys(template):
                if name not in declared:
                    self.report(
                        "SF111",
                        f"path parameter {name!r} in {path!r} is not declared for {method.upper()}",
                        file, op_pointer,
                        hint=f"declare {{name: {name}, in: path, required: true, schema: ...}}",
                    )  # fmt: skip
            for name, (param_file, param_pointer) in declared.items():
                if name not in template and key.location_of(name, "path") == "query":
                    self.report(
                        "SF109",
                        f"path parameter {name!r} of {method.upper()} {path} is named only by "
                        f"the query suffix {key.marker!r}; it is read from the query",
                        param_file, param_pointer,
                        hint=f"declare it with 'in: query' and remove {key.marker!r}",
                    )  # fmt: skip
                elif name not in template:
                    self.report(
                        "SF112",
                        f"path parameter {name!r} of {method.upper()} {path} is not in the path "
                        f"template {path!r}",
                        param_file, param_pointer,
                    )  # fmt: skip
            self.check_security(operation.get("security"), file, jp.child(op_pointer, "security"))

    def parameters(
        self, raw: Any, file: SpecFile, pointer: str
    ) -> Iterator[tuple[SpecFile, str, dict[str, Any]]]:
        """Resolved parameters of one list; reports duplicates (SF113)."""
        if not isinstance(raw, list):
            return
        seen: dict[tuple[str, str], str] = {}
        for index, entry in enumerate(raw):
            resolved = self.deref(entry, file, jp.child(pointer, index))
            if resolved is None or not isinstance(resolved[2], dict):
                continue
            parameter = resolved[2]
            name, where = parameter.get("name"), parameter.get("in")
            if not isinstance(name, str) or not isinstance(where, str):
                continue
            key = (name.lower() if where == "header" else name, where)
            entry_pointer = jp.child(pointer, index)
            if key in seen:
                self.report(
                    "SF113",
                    f"parameter {name!r} (in: {where}) is declared twice in this list "
                    f"(first at #{seen[key]})",
                    file, entry_pointer,
                )  # fmt: skip
                continue
            seen[key] = entry_pointer
            yield resolved[0], resolved[1], parameter

    def check_operation_id(self, operation: dict[str, Any], file: SpecFile, pointer: str) -> None:
        operation_id = operation.get("operationId")
        if not isinstance(operation_id, str):
            return
        if operation_id in self.operation_ids:
            first_file, first_pointer = self.operation_ids[operation_id]
            first = self.loaded.locate(first_file, first_pointer)
            self.report(
                "SF110",
                f"operationId {operation_id!r} is already used at {first.file}:{first.line}",
                file, jp.child(pointer, "operationId"),
                hint="operationIds must be unique: they name the generated methods",
            )  # fmt: skip
        else:
            self.operation_ids[operation_id] = (file, jp.child(pointer, "operationId"))

    def check_security(self, raw: Any, file: SpecFile, pointer: str) -> None:
        if not isinstance(raw, list):
            return
        for index, requirement in enumerate(raw):
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                if name not in self.schemes:
                    self.report(
                        "SF116",
                        f"security scheme {name!r} is not defined in components/securitySchemes",
                        file, jp.child(pointer, index, name),
                    )  # fmt: skip

    def check_discriminators(self) -> None:
        root = self.loaded.root
        components = root.data.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            return
        for name, schema in schemas.items():
            if not isinstance(schema, dict) or not isinstance(schema.get("discriminator"), dict):
                continue
            prop = schema["discriminator"].get("propertyName")
            pointer = jp.child("/components/schemas", name)
            mapping = schema["discriminator"].get("mapping")
            for value, target in mapping.items() if isinstance(mapping, dict) else ():
                where = jp.child(pointer, "discriminator", "mapping", value)
                diagnostic = mapping_diagnostic(self.loaded, root, where, value, target)
                if diagnostic is not None:
                    self.diagnostics.append(diagnostic)
            for key in ("oneOf", "anyOf"):
                members = schema.get(key)
                for index, member in enumerate(members if isinstance(members, list) else ()):
                    resolved = self.deref(member, root, jp.child(pointer, key, index))
                    if resolved is None or not isinstance(resolved[2], dict):
                        continue
                    if isinstance(prop, str) and not self.declares(resolved[0], resolved[2], prop):
                        self.report(
                            "SF117",
                            f"discriminator property {prop!r} is not declared by {key} member "
                            f"{index} of {name!r}",
                            root, jp.child(pointer, key, index),
                            severity=Severity.WARNING,
                        )  # fmt: skip

    def declares(self, file: SpecFile, schema: dict[str, Any], prop: str, depth: int = 0) -> bool:
        """Whether ``schema`` (or an allOf part of it) has property ``prop``."""
        properties = schema.get("properties")
        if isinstance(properties, dict) and prop in properties:
            return True
        if depth > 20:
            return True  # give up on very deep chains rather than report noise
        for part in schema.get("allOf", ()) if isinstance(schema.get("allOf"), list) else ():
            resolved = self.deref(part, file, "")
            if (
                resolved
                and isinstance(resolved[2], dict)
                and self.declares(resolved[0], resolved[2], prop, depth + 1)
            ):
                return True
        return False
