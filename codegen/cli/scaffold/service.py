"""``specfirst new NAME``: a working service, from spec to implemented operation.

:func:`scaffold_service` writes, under the project root:

* ``specs/NAME.yaml``: one example operation ``GET /<slug>/items`` (lint-clean);
* ``services/NAME/``: ``manage.py``, ``NAME_site/`` (servicekit settings, URLs,
  WSGI/ASGI), the ``NAME`` app with an ``Item`` model and its committed initial
  migration, ``api/urls.py`` and ``api/views.py`` with the operation implemented;
* ``services/NAME/NAME/api/_generated/``: the generator's output (as ``specfirst generate``);
* the gateway upstream entry (:mod:`codegen.cli.scaffold.config`).

Templates are plain ``string.Template`` files in ``templates/`` (``$name``,
``$camel``...); the handler's class and method names come from the generator's
own naming (the IR), so the implementation always matches the stubs. If any
step fails, everything written is removed again.
"""

from __future__ import annotations

import contextlib
import shutil
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from codegen.cli.scaffold.config import next_port, register_upstream
from codegen.cli.scaffold.names import ServiceNames, check_syntax, refuse_existing, service_names
from codegen.core import load_api
from codegen.core.diagnostics import Severity, render_text
from codegen.core.errors import UserError
from codegen.generator.generation import Target, plan, service_target
from codegen.generator.problems import problem_fileset
from codegen.generator.render.context import group_contexts

TEMPLATES = Path(__file__).parent / "templates"

# template file -> destination under services/NAME/ ({name} is the service name)
PROJECT_FILES: tuple[tuple[str, str], ...] = (
    ("manage.py.tmpl", "manage.py"),
    ("site_init.py.tmpl", "{name}_site/__init__.py"),
    ("settings.py.tmpl", "{name}_site/settings.py"),
    ("urls.py.tmpl", "{name}_site/urls.py"),
    ("wsgi.py.tmpl", "{name}_site/wsgi.py"),
    ("asgi.py.tmpl", "{name}_site/asgi.py"),
    ("app_init.py.tmpl", "{name}/__init__.py"),
    ("apps.py.tmpl", "{name}/apps.py"),
    ("models.py.tmpl", "{name}/models.py"),
    ("migrations_init.py.tmpl", "{name}/migrations/__init__.py"),
    ("migration_0001.py.tmpl", "{name}/migrations/0001_initial.py"),
    ("api_init.py.tmpl", "{name}/api/__init__.py"),
    ("api_urls.py.tmpl", "{name}/api/urls.py"),
    ("views.py.tmpl", "{name}/api/views.py"),
)


@dataclass(frozen=True, slots=True)
class Scaffold:
    names: ServiceNames
    port: int
    spec: Path  # relative to the root
    service_dir: Path  # relative to the root
    config_file: Path
    written: tuple[Path, ...]  # relative to the root, generated files included


def render(template: str, values: dict[str, str]) -> str:
    """``render("spec.yaml.tmpl", {...})``: one template with every placeholder filled."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return string.Template(text).substitute(values)


def _handler_values(spec: Path) -> dict[str, str]:
    """The stub class, handler name, keyword arguments and reply alias of the spec's one
    operation."""
    api, diagnostics = load_api(spec.as_posix())
    if api is None or any(d.severity is Severity.ERROR for d in diagnostics):
        raise UserError(f"the scaffolded spec {spec} does not load:\n{render_text(diagnostics)}")
    groups = group_contexts(api)
    operation = groups[0].operations[0]
    args = "\n".join(f"        {arg.python_name}: {arg.annotation}," for arg in operation.args)
    return {
        "group_class": groups[0].class_name,
        "handler": operation.python_name,
        "args": args,
        "reply": operation.reply_alias,
    }


def _generate(spec: Path, services: Path) -> None:
    """What ``specfirst generate`` does for this one spec."""
    result = plan([Target(spec, service_target(spec, services))])
    if result.failed:
        raise UserError(f"generating {spec} failed:\n{render_text(result.diagnostics)}")
    for fileset in result.filesets:
        fileset.write()


STEPS = 4  # the calls of ``on_step`` in scaffold_service


def scaffold_service(
    root: Path, name: str, on_step: Callable[[str], None] | None = None
) -> Scaffold:
    """Write a new service ``name`` into the project at ``root`` (see the module docstring);
    ``on_step`` hears about each of the :data:`STEPS` steps as it starts."""
    step = on_step or (lambda _description: None)
    root = root.resolve()
    check_syntax(name)
    refuse_existing(name, root)
    names = service_names(name)
    port = next_port(root)
    values = {
        "name": names.name, "camel": names.camel, "title": names.title,
        "slug": names.slug, "tag": names.slug, "port": str(port),
    }  # fmt: skip
    spec = Path("specs") / f"{names.name}.yaml"
    service_dir = Path("services") / names.name
    created: list[Path] = []
    try:
        with contextlib.chdir(root):  # generated headers name the spec relative to the root
            step(f"writing {spec}")
            problem_fileset(spec.parent).write()  # the profile the spec's errors refer to
            spec.write_text(render("spec.yaml.tmpl", values), encoding="utf-8")
            created.append(spec)
            values.update(_handler_values(spec))
            created.append(service_dir)
            step(f"writing {service_dir}/")
            for template, destination in PROJECT_FILES:
                path = service_dir / destination.format(name=names.name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(render(template, values), encoding="utf-8")
            step(f"generating {service_dir}/{names.name}/api/_generated/")
            _generate(spec, Path("services"))
        step("registering the upstream for the gateway")
        config = register_upstream(root, names.name, port)
    except BaseException:
        for path in created:
            target = root / path
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        raise
    project = sorted(p.relative_to(root) for p in (root / service_dir).rglob("*") if p.is_file())
    return Scaffold(
        names=names,
        port=port,
        spec=spec,
        service_dir=service_dir,
        config_file=config,
        written=(spec, *project),
    )
