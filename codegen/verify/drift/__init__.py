"""Drift detection: does the schema a service's code produces still match its spec?

:mod:`.derive` asks the service's own Django process for the schema
drf-spectacular derives from the code; :mod:`.compare` walks both documents
operation by operation, resolving ``$ref`` on the way and comparing schemas
semantically (:mod:`.schemas`); each :class:`~.model.Difference` names a JSON
pointer in both documents.
"""

from __future__ import annotations
