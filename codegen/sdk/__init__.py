"""``specfirst sdk``: a typed Python client package generated from a spec.

``build_sdk(source_spec)`` gives ``{relative path: text}`` for the whole
package (see :mod:`codegen.sdk.render` for the layout); the command in
:mod:`codegen.commands.sdk` writes or checks it.
"""

from __future__ import annotations

from codegen.sdk.render import Source, render_sdk

__all__ = ["Source", "render_sdk"]
