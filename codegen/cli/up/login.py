"""How ``specfirst up`` tells a new user to get a token: the system's OAuth 2.0 token endpoints.

A token endpoint is recognised by its contract, not its name
(:mod:`codegen.core.auth.login`: a form ``POST`` with ``grant_type`` answering an
``access_token``). For each one the summary shows the curl lines of
the password and client-credentials grants through the gateway, and the
service's ``createadmin`` command when it has one::

    log in (OAuth 2.0) at http://127.0.0.1:8000/oauth/token:
      curl -s -d grant_type=password -d username=EMAIL -d password=PASSWORD http://...
      curl -s -u CLIENT_ID:SECRET -d grant_type=client_credentials http://...
      first admin: services/customers/manage.py createadmin (prints CLIENT_ID and SECRET)
"""

from __future__ import annotations

from pathlib import Path

from codegen.core.auth.login import token_endpoints
from codegen.core.ir.build import build_api
from codegen.core.spec.loader import load_spec
from codegen.verify.contract.login import has_createadmin
from codegen.verify.contract.targets import ServiceTarget


def token_paths(spec: Path) -> list[str]:
    """Paths of the token endpoints ``spec`` declares (:mod:`codegen.core.auth.login`)."""
    loaded, _ = load_spec(spec.as_posix())
    api = build_api(loaded)[0] if loaded is not None else None
    return [endpoint.path for endpoint in token_endpoints(api)] if api is not None else []


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def login_hints(base_url: str, service_dir: Path, spec: Path) -> list[str]:
    """The summary lines for the token endpoints of one service (none: ``[]``)."""
    lines: list[str] = []
    for path in token_paths(spec):
        url = base_url + path
        lines += [
            f"log in (OAuth 2.0) at {url}:",
            f"  curl -s -d grant_type=password -d username=EMAIL -d password=PASSWORD {url}",
            f"  curl -s -u CLIENT_ID:SECRET -d grant_type=client_credentials {url}",
        ]
        if has_createadmin(ServiceTarget(service_dir.name, service_dir, spec)):
            manage = _shown(service_dir / "manage.py")
            lines.append(f"  first admin: {manage} createadmin (prints CLIENT_ID and SECRET)")
    return lines
