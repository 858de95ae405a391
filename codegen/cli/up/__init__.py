"""``specfirst up``: plan the processes of a project, then run and supervise them.

:mod:`codegen.cli.up.plan` decides ports, databases and command lines (pure);
:mod:`codegen.cli.up.supervisor` extends honcho's process manager with restarts;
:mod:`codegen.cli.up.run` migrates, starts, waits for readiness and reports.
"""

from __future__ import annotations
