"""``specfirst sdk``: a typed Python client package generated from a spec.

``render_sdk(api, Source(label, sha256), "shop_client", "shop-client")`` gives
``{relative path: text}`` for the whole package (see :mod:`codegen.generator.sdk.render`
for the layout); :mod:`codegen.generator.sdk.source` loads a service, the merged
document or any spec; the command in :mod:`codegen.cli.commands.sdk` writes or
checks the files.
"""

from __future__ import annotations

from codegen.generator.sdk.render import Source, render_sdk

__all__ = ["Source", "render_sdk"]
