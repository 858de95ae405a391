"""Marks the items of a :class:`~.model.CoverageModel` that a contract run hit.

The contract engine hands every finished schemathesis scenario (examples,
coverage, fuzzing and stateful phases, positive and negative cases) to
:meth:`CoverageRecorder.observe`; each case that was sent counts what it sent
(parameters present or absent, their enum values, the body's properties, enum
values and branches), its response counts its status, the operation (a declared
2xx) and the body's properties and branches, and a case reached through a link
counts that link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from schemathesis import Case
from schemathesis.core import NOT_SET
from schemathesis.core.transport import Response
from schemathesis.engine.recorder import CaseNode, ScenarioRecorder

from codegen.core.openapi import response_key
from codegen.verify.coverage.model import CoverageModel, OperationPlan
from codegen.verify.coverage.shapes import Shape, enum_key

# schemathesis names a transition "GET /a -> [201] LinkName -> GET /b".
_TRANSITION = re.compile(r"^(?P<source>.+?) -> \[(?P<status>[^\]]+)\] (?P<link>.+) -> .+$")


def media_base(content_type: str | None) -> str:
    """``"application/json; charset=utf-8"`` -> ``"application/json"``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _shape_for(shapes: Mapping[str, Shape], content_type: str | None) -> Shape | None:
    """The shape of the declared media type that ``content_type`` is (or the only one)."""
    base = media_base(content_type)
    for media_type, shape in shapes.items():
        if media_base(media_type) == base:
            return shape
    return next(iter(shapes.values())) if len(shapes) == 1 else None


def _values(container: Mapping[str, Any] | None, name: str, fold_case: bool) -> list[Any] | None:
    """The values sent for parameter ``name`` (a list, maybe of one), None when absent."""
    if not container:
        return None
    if fold_case:
        found = {key.lower(): value for key, value in container.items()}
        value = found.get(name.lower(), NOT_SET)
    else:
        value = container.get(name, NOT_SET)
    if value is NOT_SET:
        return None
    return list(value) if isinstance(value, list | tuple) else [value]


class CoverageRecorder:
    def __init__(self, model: CoverageModel) -> None:
        self.model = model
        self.hits: set[str] = set()

    def observe(self, scenario: ScenarioRecorder) -> None:
        for case_id, node in scenario.cases.items():
            plan = self.model.operations.get(node.value.operation.label)
            interaction = scenario.interactions.get(case_id)
            if plan is None or interaction is None:
                continue  # not one of ours, or never sent
            self._request(plan, node.value)
            if interaction.response is not None:
                self._response(plan, interaction.response)
            self._link(node)

    def _request(self, plan: OperationPlan, case: Case[Any]) -> None:
        containers: dict[str, Mapping[str, Any] | None] = {
            "path": case.path_parameters,
            "query": case.query,
            "header": case.headers,
            "cookie": case.cookies,
        }
        for param in plan.parameters:
            values = _values(containers.get(param.location), param.name, param.location == "header")
            item = param.absent if values is None else param.present
            if item is not None:
                self.hits.add(item)
            for value in values or ():
                hit = param.enum.get(enum_key(value))
                if hit is not None:
                    self.hits.add(hit)
        if case.body is not NOT_SET and plan.request:
            shape = _shape_for(plan.request, case.media_type)
            if shape is not None:
                shape.visit(case.body, self.hits.add)

    def _response(self, plan: OperationPlan, response: Response) -> None:
        key = response_key(response.status_code, plan.statuses)
        if key is None:
            return  # undeclared: status_code_conformance reports it
        self.hits.add(plan.statuses[key])
        if key in plan.success:
            self.hits.add(plan.item)
        shapes = plan.responses.get(key) or {}
        content_type = next(
            (v[0] for k, v in response.headers.items() if k.lower() == "content-type" and v), None
        )
        shape = _shape_for(shapes, content_type)
        if shape is None or not response.content:
            return
        try:
            body = json.loads(response.content)
        except ValueError:
            return  # not JSON (or truncated): content_type_conformance judges it
        shape.visit(body, self.hits.add)

    def _link(self, node: CaseNode) -> None:
        transition = node.transition
        if transition is None:
            return
        match = _TRANSITION.match(transition.id)
        if match is None:
            return
        source = self.model.operations.get(match["source"])
        item = source.links.get((match["status"], match["link"])) if source else None
        if item is not None:
            self.hits.add(item)
