"""``specfirst up --prod``: the production process set, planned for the supervisor.

The commands and their environment come from
:func:`gateway.export.production.production_processes` (docs/deploy.md): each
service runs ``python -m servicekit.serve`` (which migrates, then serves with
gunicorn) with ``SPECFIRST_PRODUCTION=1``; the gateway runs with several
workers sharing rate limits in Redis. Secrets are read from the environment,
never invented::

    DJANGO_SECRET_KEY=... REDIS_URL=redis://127.0.0.1:6379/0 \\
        specfirst up --prod --database-url postgres://postgres@127.0.0.1:5432/

Before anything starts, servicekit's own production checks run on each
service's final environment, so a missing setting is one clear error, not a
crash loop.
"""

from __future__ import annotations

import os
from pathlib import Path

from servicekit.production import production_problems
from servicekit.settings import DEV_SECRET_KEY  # Django-free: plain constants

from codegen.cli.up.plan import (
    DEFAULT_BASE_PORT,
    HOST,
    ProcessPlan,
    SystemPlan,
    UpOptions,
    env_name,
)
from codegen.cli.up.plan import service_database_url as derive_url
from codegen.core.errors import UserError
from codegen.verify.contract.config import load_settings
from codegen.verify.contract.login import jwks_env, system_login
from codegen.verify.contract.targets import discover
from gateway.export.production import Ports, Sizing, production_processes


def _port_of(argv: tuple[str, ...]) -> int:
    """``(..., "--port", "8001", ...)`` -> 8001."""
    return int(argv[argv.index("--port") + 1])


def plan_production(root: Path, options: UpOptions) -> SystemPlan:
    """Every production process of the project at ``root`` (see the module docstring)."""
    root = root.resolve()
    if options.base_port == 0:
        raise UserError("--prod needs fixed ports: give --base-port N (or leave the default)")
    if not options.gateway:
        raise UserError("--prod always runs the gateway (it holds the edge security)")
    known = discover(load_settings(root))
    if not known:
        raise UserError(f"no services under {root / 'services'}; create one with: specfirst new")
    databases = {}
    for name, target in known.items():
        own = os.environ.get(f"{env_name(name)}_DATABASE_URL") or os.environ.get("DATABASE_URL")
        base = options.database_url
        databases[name] = derive_url(base, name, target.directory) if base else own or ""
    base_port = DEFAULT_BASE_PORT if options.base_port is None else options.base_port
    sizing = Sizing(service_workers=options.workers) if options.workers else Sizing()
    commands = production_processes(
        sorted(known), databases,
        redis_url=os.environ.get("REDIS_URL", ""),
        secret_key=os.environ.get("DJANGO_SECRET_KEY", ""),
        ports=Ports(gateway=base_port, first_service=base_port + 1), sizing=sizing,
        allowed_hosts=os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost"), root=root,
        identity_key=os.environ.get("SPECFIRST_IDENTITY_KEY", ""),
    )  # fmt: skip
    urls = {command.name: f"http://{HOST}:{_port_of(command.argv)}" for command in commands}
    keys = jwks_env(system_login(known.values()), urls)  # RS256 tokens verify everywhere
    plans = [
        ProcessPlan(
            name=command.name,
            argv=command.argv,
            cwd=root,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **command.env, **keys},
            url=urls[command.name],
            database_url=databases.get(command.name),
        )
        for command in commands
    ]
    problems = [
        f"{plan.name}: {problem}"
        for plan in plans
        if plan.name != "gateway"
        for problem in production_problems(plan.name, plan.env, DEV_SECRET_KEY)
    ]
    if problems:
        raise UserError("--prod refuses development defaults:\n  " + "\n  ".join(problems))
    services = tuple(plan for plan in plans if plan.name != "gateway")
    gateway = next(plan for plan in plans if plan.name == "gateway")
    return SystemPlan(services=services, gateway=gateway)
