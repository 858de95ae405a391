"""How ``specfirst up`` tells a new user to get a token: the system's OAuth 2.0 token endpoints.

A token endpoint is recognised by its contract, not its name: a ``POST`` whose
``application/x-www-form-urlencoded`` body declares a ``grant_type`` property
(an RFC 6749 token request). For each one the summary shows the curl lines of
the password and client-credentials grants through the gateway, and the
service's ``createadmin`` command when it has one::

    log in (OAuth 2.0) at http://127.0.0.1:8000/oauth/token:
      curl -s -d grant_type=password -d username=EMAIL -d password=PASSWORD http://...
      curl -s -u CLIENT_ID:SECRET -d grant_type=client_credentials http://...
      first admin: services/customers/manage.py createadmin (prints CLIENT_ID and SECRET)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from codegen.core.spec.loader import load_spec

FORM = "application/x-www-form-urlencoded"


def _resolve(document: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``#/...`` references (a token request schema is usually one)."""
    seen = 0
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 16:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return None
        node = document
        for part in ref[2:].split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(
                node, Mapping) else None  # fmt: skip
        seen += 1
    return node


def token_paths(spec: Path) -> list[str]:
    """Paths of the token endpoints ``spec`` declares (see the module doc)."""
    loaded, _ = load_spec(spec.as_posix())
    if loaded is None:
        return []
    document = loaded.root.data
    found = []
    for path, item in (document.get("paths") or {}).items():
        operation = item.get("post") if isinstance(item, Mapping) else None
        body = _resolve(document, operation.get("requestBody")) if operation else None
        media = (body.get("content") or {}).get(FORM) if isinstance(body, Mapping) else None
        schema = _resolve(document, media.get("schema")) if isinstance(media, Mapping) else None
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        if isinstance(properties, Mapping) and "grant_type" in properties:
            found.append(str(path))
    return found


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
        commands = service_dir / service_dir.name / "management" / "commands"
        if (commands / "createadmin.py").is_file():
            manage = _shown(service_dir / "manage.py")
            lines.append(f"  first admin: {manage} createadmin (prints CLIENT_ID and SECRET)")
    return lines
