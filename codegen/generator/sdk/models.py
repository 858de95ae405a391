"""Client models: IR schemas → pydantic v2 models via datamodel-code-generator.

Every named schema of the IR (components and named inline schemas) goes to
``datamodel_code_generator.generate`` as one OpenAPI ``components/schemas``
section, converted back to JSON Schema by :mod:`codegen.core.jsonschema.from_ir`.
DCG's ``request-response`` mode splits a schema that has (directly or through
its references) ``readOnly`` or ``writeOnly`` properties into ``<Name>Request``
(readOnly fields absent) and ``<Name>Response`` (writeOnly fields absent); a
schema without either keeps one model under its own name.

After generation the module is parsed (``ast``) so that the clients refer to
exactly the names DCG wrote: ``ModelNames.request("Product")`` →
``"ProductRequest"``, ``ModelNames.request("Dimensions")`` → ``"Dimensions"``.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field
from typing import Any

import datamodel_code_generator as dcg
from datamodel_code_generator.enums import DataModelType

from codegen.core.errors import UserError
from codegen.core.ir.model import Api
from codegen.core.jsonschema.from_ir import to_json_schema

# Formats kept as plain strings: e-mail needs no extra runtime dependency
# (email-validator) and URLs stay ``str`` (pydantic's ``AnyUrl`` rejects the
# ``str`` defaults DCG writes and is awkward to construct); servers validate.
TYPE_MAPPINGS: tuple[str, ...] = (
    "string+email=string",
    "string+idn-email=string",
    "string+uri=string",
    "string+iri=string",
)


@dataclass(frozen=True, slots=True)
class ModelNames:
    """Generated model names per IR schema name and direction, plus each
    class's Python attribute for each JSON property (for pagination)."""

    request_names: dict[str, str]
    response_names: dict[str, str]
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)

    def request(self, schema: str) -> str:
        return self.request_names[schema]

    def response(self, schema: str) -> str:
        return self.response_names[schema]

    def attribute(self, model: str, json_name: str) -> str | None:
        """The Python attribute of ``model`` that holds JSON key ``json_name``."""
        return self.attributes.get(model, {}).get(json_name)


def components_document(api: Api) -> dict[str, Any]:
    """The IR's named schemas as a minimal OpenAPI 3.1 document for DCG."""
    return {
        "openapi": "3.1.0",
        "info": {"title": api.title, "version": api.version},
        "paths": {},
        "components": {
            "schemas": {
                # the model generator holds no schema resources: keywords, not $refs to them
                name: to_json_schema(schema, as_written=False)
                for name, schema in api.schemas.items()
            }
        },
    }


def generate_models(api: Api, header: str) -> tuple[str, ModelNames]:
    """``(models.py source, ModelNames)`` for ``api``; deterministic."""
    if not api.schemas:
        # DCG refuses an empty input; an API without schemas has no models
        return (
            f'{header}\n"""This API defines no schemas."""\n\nfrom __future__ import annotations\n',
            (ModelNames({}, {})),
        )
    document = components_document(api)
    with warnings.catch_warnings():
        # DCG announces future default changes (we pin every option we rely
        # on) and warns about formats it does not know (it uses the plain type).
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", UserWarning)
        source = dcg.generate(
            document,
            input_file_type=dcg.InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=dcg.PythonVersion.PY_311,
            disable_timestamp=True,
            custom_file_header=header.rstrip("\n"),
            read_only_write_only_model_type=dcg.ReadOnlyWriteOnlyModelType.RequestResponse,
            enum_field_as_literal=dcg.LiteralType.All,
            use_annotated=True,
            field_constraints=True,
            use_standard_collections=True,
            use_union_operator=True,
            snake_case_field=True,
            use_type_alias=True,
            use_schema_description=True,
            use_field_description=True,
            formatters=[],
            type_mappings=list(TYPE_MAPPINGS),
        )
    if not isinstance(source, str):
        raise UserError("datamodel-code-generator produced several modules; expected one")
    return source, model_names(api, source)


def model_names(api: Api, source: str) -> ModelNames:
    """Map each IR schema name to the names DCG gave its models."""
    tree = ast.parse(source)
    defined = _top_level_names(tree)
    request: dict[str, str] = {}
    response: dict[str, str] = {}
    for name in api.schemas:
        if name in defined:
            request[name] = response[name] = name
        elif f"{name}Request" in defined and f"{name}Response" in defined:
            request[name], response[name] = f"{name}Request", f"{name}Response"
        else:
            raise UserError(
                f"datamodel-code-generator wrote no model for schema {name!r}; "
                "rename the schema (it may clash with another schema's Request/Response model)"
            )
    return ModelNames(request, response, _attributes(tree))


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _attributes(tree: ast.Module) -> dict[str, dict[str, str]]:
    """``{class: {json key: attribute}}`` from ``Field(alias=...)`` or the name."""
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields: dict[str, str] = {}
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                attribute = statement.target.id
                fields[_alias(statement) or attribute] = attribute
        found[node.name] = fields
    return found


def _alias(statement: ast.AnnAssign) -> str | None:
    for node in ast.walk(statement):
        if (
            isinstance(node, ast.keyword)
            and node.arg == "alias"
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    return None
