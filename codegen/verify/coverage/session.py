"""One ``specfirst test --coverage`` run: a recorder per target, then the results.

The contract engine calls :meth:`CoverageSession.observe` with each finished
scenario of a target (a service, or ``gateway``, whose model is the union of every
service's: the gateway publishes their operations, and each item keeps its place
in the service's spec; the edge responses the gateway adds to its merged document
are not items).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from schemathesis.engine.recorder import ScenarioRecorder

from codegen.core.errors import UserError
from codegen.verify.coverage.model import CoverageModel
from codegen.verify.coverage.recorder import CoverageRecorder
from codegen.verify.coverage.result import (
    Shortfall,
    TargetCoverage,
    check_exclusions,
    coverage_of,
)
from codegen.verify.coverage.settings import CoverageSettings, Threshold, thresholds_for

GATEWAY = "gateway"


class CoverageSession:
    def __init__(
        self,
        models: Mapping[str, CoverageModel],
        settings: CoverageSettings,
        operation_ids: Sequence[str] = (),
        thresholds: Sequence[Threshold] = (),
        gateway_services: Sequence[str] = (),
    ) -> None:
        """``models``: every service's (exclusions are checked against all of them);
        ``operation_ids``: only these operations count (all when empty); ``thresholds``:
        the command line's, over the configuration's; ``gateway_services``: the gateway's
        model is the union of these services' (all when empty)."""
        check_exclusions(models.values(), settings.uncoverable, "[tool.specfirst.test.uncoverable]")
        for name, model in models.items():
            where = f"[tool.specfirst.test.services.{name}.uncoverable]"
            check_exclusions([model], settings.services.get(name, {}), where)
        self.rules = (*settings.min_coverage, *thresholds)
        unknown = sorted(
            {r.target for r in self.rules if r.target is not None} - {*models, GATEWAY}
        )
        if unknown:
            raise UserError(
                f"min_coverage: unknown target(s) {', '.join(unknown)}; "
                f"targets: {', '.join([*models, GATEWAY])}"
            )
        self.settings = settings
        self.models = {
            name: model.only(operation_ids) if operation_ids else model
            for name, model in models.items()
        }
        self.gateway_services = list(gateway_services or self.models)
        self.recorders: dict[str, CoverageRecorder] = {}
        self.seconds = 0.0  # spent recording, printed so its cost is always visible

    def _model(self, target: str) -> CoverageModel:
        if target == GATEWAY and GATEWAY not in self.models:
            return CoverageModel.union(GATEWAY, [self.models[n] for n in self.gateway_services])
        return self.models[target]

    def _recorder(self, target: str) -> CoverageRecorder:
        recorder = self.recorders.get(target)
        if recorder is None:
            recorder = self.recorders[target] = CoverageRecorder(self._model(target))
        return recorder

    def observe(self, target: str, scenario: ScenarioRecorder) -> None:
        started = time.perf_counter()
        self._recorder(target).observe(scenario)
        self.seconds += time.perf_counter() - started

    def results(self, targets: Sequence[str]) -> list[TargetCoverage]:
        """One result per target (a service name or ``gateway``), in that order."""
        found = []
        for target in targets:
            recorder = self._recorder(target)
            services = self.gateway_services if target == GATEWAY else [target]
            found.append(
                coverage_of(recorder.model, recorder.hits, self.settings.exclusions(services))
            )
        return found

    def shortfalls(self, results: Sequence[TargetCoverage]) -> list[Shortfall]:
        """Every (target, kind) below its minimum."""
        return [
            shortfall
            for result in results
            for shortfall in result.shortfalls(thresholds_for(result.name, self.rules))
        ]
