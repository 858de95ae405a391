"""Contract testing: every service (and the gateway) proven against its spec.

``specfirst test`` starts each service as a real process with a fresh
database (:mod:`.process`, :mod:`.database`), seeds it (:mod:`.seed`), runs
schemathesis through its Python engine (:mod:`.engine`) and reports per
operation (:mod:`.report`). Nothing here imports Django: services are
separate processes, reached over HTTP on 127.0.0.1.
"""

from __future__ import annotations
