"""Run schemathesis against one running target through its Python engine.

We drive ``schemathesis.engine.from_schema(schema).execute()`` directly (no
``st`` subprocess): its events carry every case, check result and a curl
reproduction, which :func:`run_target` folds into a :class:`TargetResult`.

Every check, both generation modes (positive and negative) and all phases
(examples, coverage, fuzzing, stateful from the spec's links) are on. The
time budget is ours: schemathesis' own ``max-time`` keeps re-running the
fuzzing and stateful phases until the time is up, so instead the run goes
through every phase once and is stopped early only if it overruns. The stateful
phase follows the spec's links and those :mod:`.links` derives from them.
"""

from __future__ import annotations

import copy
import importlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import schemathesis
from schemathesis.engine import Status, events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder

from codegen.verify.contract import problem_check
from codegen.verify.contract.identities import TokenSwap, swapping
from codegen.verify.contract.links import with_derived_links
from codegen.verify.contract.results import CheckFailure, TargetResult

# The checks the issue asks for, each enabled by name (never all-or-nothing), and ours.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "unsupported_method",
    "missing_required_header",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
    problem_check.problem_profile.__name__,
)
STATEFUL_MAX_STEPS = 6
# Scenarios of the stateful phase per --max-examples: each is a chain of up to
# STATEFUL_MAX_STEPS calls along links (create, read, change with the ETag, delete),
# the only way to reach a change's 200/409 or a delete's 204; with one scenario per
# example the phase took about twenty steps in all and most links were never followed.
STATEFUL_SCENARIOS = 10
REQUEST_TIMEOUT = 15.0
MESSAGE_LIMIT = 600
BODY_LIMIT = 300

ScenarioObserver = Callable[[str, ScenarioRecorder], None]
"""Called with the target's name and every finished test scenario (contract coverage)."""


@dataclass(frozen=True, slots=True)
class RunOptions:
    seed: int
    max_examples: int
    time_budget: float
    operation_ids: tuple[str, ...] = ()  # only these operations (all when empty)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a": {"b": 1, "c": 2}}`` + ``{"a": {"c": 3}}`` -> ``{"a": {"b": 1, "c": 3}}``."""
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def schemathesis_config(
    base_url: str,
    options: RunOptions,
    auth: Mapping[str, Any],
    bindings: Mapping[str, Any],
    project: Mapping[str, Any],
) -> dict[str, Any]:
    """The schemathesis.toml-shaped configuration of one run; ``project`` (the
    ``[tool.specfirst.test.schemathesis]`` table) is merged over our defaults."""
    ours: dict[str, Any] = {
        "seed": options.seed,
        "base-url": base_url,
        "request-timeout": REQUEST_TIMEOUT,
        "generation": {"mode": "all", "max-examples": options.max_examples},
        "checks": {name: {"enabled": True} for name in CHECKS},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {
                "enabled": True,
                "max-steps": STATEFUL_MAX_STEPS,
                "generation": {"max-examples": options.max_examples * STATEFUL_SCENARIOS},
            },
        },
        # Credentials are development defaults; the curl reproductions must carry them.
        "output": {"sanitization": {"enabled": False}},
    }
    if options.operation_ids:
        # Links need their source operations; with a filter the stateful phase has none.
        ours["phases"]["stateful"]["enabled"] = False
    if auth:
        ours["auth"] = dict(auth)
    return deep_merge(deep_merge(ours, bindings), project)


def _operation_ids(spec: Mapping[str, Any]) -> dict[str, str]:
    """``"POST /orders"`` -> ``"placeOrder"`` for every operation with an id."""
    found: dict[str, str] = {}
    for path, item in (spec.get("paths") or {}).items():
        for method, operation in (item or {}).items():
            if isinstance(operation, Mapping) and "operationId" in operation:
                found[f"{method.upper()} {path}"] = str(operation["operationId"])
    return found


def _excerpt(content: bytes | None) -> str:
    """The first :data:`BODY_LIMIT` characters of a response body, on one line."""
    text = (content or b"").decode("utf-8", errors="replace").replace("\n", " ").strip()
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + " ..."


def _record(result: TargetResult, event: events.ScenarioFinished, ids: Mapping[str, str]) -> None:
    recorder = event.recorder
    seen = {(f.operation, f.check, f.title) for f in result.failures}
    for case_id, node in recorder.cases.items():
        label = node.value.operation.label
        operation = result.operation(label, ids.get(label))
        operation.cases += 1
        for check in recorder.checks.get(case_id, []):
            if check.status == Status.SUCCESS:
                operation.checks_passed += 1
                continue
            if check.status != Status.FAILURE or check.failure_info is None:
                continue
            operation.checks_failed += 1
            failure = check.failure_info.failure
            name = failure.operation or label
            key = (name, check.name, failure.title)
            if key in seen:
                continue
            seen.add(key)
            message = failure.message.strip()
            if len(message) > MESSAGE_LIMIT:
                message = message[:MESSAGE_LIMIT] + " ..."
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction is not None else None
            result.failures.append(
                CheckFailure(
                    name,
                    check.name,
                    failure.title,
                    message,
                    check.failure_info.code_sample,
                    response.status_code if response is not None else None,
                    _excerpt(response.content if response is not None else b""),
                )
            )


def run_target(
    name: str,
    spec: Mapping[str, Any],
    base_url: str,
    options: RunOptions,
    config: Mapping[str, Any],
    *,
    observe: ScenarioObserver | None = None,
    swap: TokenSwap | None = None,
) -> TargetResult:
    """Test the target at ``base_url`` against ``spec`` (a plain, self-contained document);
    ``observe`` sees every finished scenario; ``swap`` sends some requests as a caller
    without the admin scope (:mod:`.identities`)."""
    hooks = config.get("hooks")
    if isinstance(hooks, str):
        importlib.import_module(hooks)  # registers its @schemathesis.hook functions
    result = TargetResult(name=name, base_url=base_url, seed=options.seed)
    ids = _operation_ids(spec)
    for label, operation_id in ids.items():
        if not options.operation_ids or operation_id in options.operation_ids:
            result.operation(label, operation_id)
    schema: schemathesis.BaseSchema = schemathesis.openapi.from_dict(
        with_derived_links(spec), config=schemathesis.Config.from_dict(dict(config))
    )
    if options.operation_ids:
        schema = schema.include(operation_id=list(options.operation_ids))
    started = time.monotonic()
    stream = from_schema(schema).execute()
    with swapping(swap):
        for event in stream:
            if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
                _record(result, event, ids)
                if observe is not None:
                    observe(name, event.recorder)
            elif isinstance(event, events.NonFatalError):
                result.errors.append(
                    f"{event.label}: {event.info.title}: {event.info.message}".strip()
                )
            elif isinstance(event, events.FatalError):
                result.errors.append(f"schemathesis failed: {event.exception!r}")
            if time.monotonic() - started > options.time_budget and result.stopped_early is None:
                result.stopped_early = f"time budget of {options.time_budget:.0f}s reached"
                stream.stop()
    result.elapsed = time.monotonic() - started
    return result
