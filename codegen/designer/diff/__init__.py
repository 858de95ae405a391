"""Breaking-change diff: classify every change between two versions of a spec
(checks SF401-SF499, see docs/diff.md).

``diff_files("old.yaml", "new.yaml")`` → changes, breaking first;
``diff_base("main", Path("specs"))`` compares specs/ with a git revision.
"""

from __future__ import annotations

from codegen.designer.diff.catalogue import Level
from codegen.designer.diff.compare import compare_specs
from codegen.designer.diff.model import Change
from codegen.designer.diff.runner import diff_base, diff_files

__all__ = ["Change", "Level", "compare_specs", "diff_base", "diff_files"]
