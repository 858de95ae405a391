"""Renderers: the IR (:mod:`codegen.core.ir.model`) -> generated files, as text.

Pure functions only: ``render_drf(api)`` returns ``{relative path: text}``
and never touches the disk (:mod:`codegen.generator.output` writes files).
"""

from __future__ import annotations
