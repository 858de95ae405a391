"""Swagger UI (``/docs``) and ReDoc (``/redoc``) for the merged spec, offline.

The assets are vendored in ``gateway/static/`` (swagger-ui-dist and redoc's
standalone bundle from npm; versions in ``static/VERSIONS``) and served from
``/_specfirst/static/``, so the pages work without any CDN. Files are read
once and kept in memory; only the names in :data:`ASSETS` are served.

Example: ``GET /_specfirst/static/swagger-ui.css`` → 200 text/css.

``/_specfirst/problems`` is the problem catalogue every ``type`` URI points
into (:mod:`codegen.core.problems.page`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

from codegen.core.problems.page import catalog_html, catalog_json, wants_json
from gateway.compose.merge import RESERVED_PREFIX, STATIC_ASSETS
from gateway.headers import request_id_of
from gateway.problems import send_problem

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = RESERVED_PREFIX + "static/"
_TYPES = {
    ".css": b"text/css; charset=utf-8",
    ".js": b"application/javascript; charset=utf-8",
    ".png": b"image/png",
}
ASSETS = {name: _TYPES[Path(name).suffix] for name in STATIC_ASSETS}

Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

SWAGGER_HTML = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>API documentation</title>
<link rel="icon" type="image/png" href="{STATIC_PREFIX}favicon-32x32.png">
<link rel="stylesheet" href="{STATIC_PREFIX}swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{STATIC_PREFIX}swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  validatorUrl: null}});  // no call to the public validator service
</script>
</body>
</html>
""".encode()

REDOC_HTML = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>API reference</title>
<link rel="icon" type="image/png" href="{STATIC_PREFIX}favicon-32x32.png">
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="{STATIC_PREFIX}redoc.standalone.js"></script>
</body>
</html>
""".encode()


async def _html(send: Send, body: bytes, content_type: bytes = b"text/html; charset=utf-8") -> None:
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def swagger_page(scope: Any, receive: Any, send: Send) -> None:
    await _html(send, SWAGGER_HTML)


async def redoc_page(scope: Any, receive: Any, send: Send) -> None:
    await _html(send, REDOC_HTML)


async def problems_page(scope: Any, receive: Any, send: Send) -> None:
    """``/_specfirst/problems``: the catalogue every problem ``type`` points into
    (HTML; JSON when ``Accept`` asks for it)."""
    accept = next((v for k, v in scope["headers"] if k == b"accept"), b"").decode("latin-1")
    if wants_json(accept):
        await _html(send, catalog_json(), b"application/json")
    else:
        await _html(send, catalog_html())


@cache
def _asset(name: str) -> bytes:
    return (STATIC_DIR / name).read_bytes()


async def static(scope: Any, receive: Any, send: Send) -> None:
    """Serve one vendored asset, or a 404 problem."""
    name = scope["path"][len(STATIC_PREFIX) :]
    content_type = ASSETS.get(name)
    if content_type is None:
        detail = f"no asset named {name!r}"
        rid = request_id_of(scope["headers"])
        await send_problem(send, 404, detail, scope["path"], "no_asset", request_id=rid)
        return
    body = _asset(name)
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"public, max-age=86400"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
