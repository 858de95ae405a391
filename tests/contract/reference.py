"""Reference services as schemathesis schemas for the pytest integration.

:func:`reference_schema` starts a service the way ``specfirst test`` does
(fresh SQLite database, required services first, seeding) and yields a
schemathesis schema configured exactly like the CLI run (checks, modes,
credentials, seeded values, the project's ``[tool.specfirst.test]`` table).
"""

from __future__ import annotations

import contextlib
import importlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import schemathesis

from codegen.verify.contract import seed
from codegen.verify.contract.config import load_settings
from codegen.verify.contract.credentials import auth_config, dev_credentials
from codegen.verify.contract.engine import RunOptions, deep_merge, schemathesis_config
from codegen.verify.contract.runner import RunContext, seed_service, started_services
from codegen.verify.contract.targets import discover

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED = 20261128
MAX_EXAMPLES = 3
# `specfirst test` in .ci/run runs the coverage phase for every service; here it would
# double the run time for the same requests.
PYTEST_OVERRIDES = {"phases": {"coverage": {"enabled": False}}}


@contextlib.contextmanager
def reference_schema(name: str) -> Iterator[schemathesis.BaseSchema]:
    settings = load_settings(REPO_ROOT)
    options = RunOptions(seed=SEED, max_examples=MAX_EXAMPLES, time_budget=120)
    ctx = RunContext(settings, discover(settings), dev_credentials(), options, None, lambda _: None)
    with (
        tempfile.TemporaryDirectory(prefix=f"specfirst-pytest-{name}-") as tmp,
        started_services(ctx, [name], Path(tmp)) as started,
    ):
        remembered, _ = seed_service(ctx, started, name)
        entry = started[name]
        schemes = (entry.spec.get("components") or {}).get("securitySchemes") or {}
        config = schemathesis_config(
            entry.process.base_url,
            options,
            auth_config(schemes, ctx.credentials),
            seed.schemathesis_bindings(remembered),
            deep_merge(settings.schemathesis, PYTEST_OVERRIDES),
        )
        if isinstance(config.get("hooks"), str):
            importlib.import_module(config["hooks"])
        yield schemathesis.openapi.from_dict(
            entry.spec, config=schemathesis.Config.from_dict(config)
        )
