"""servicekit: the Django app every specfirst service installs.

It holds what generated and hand-written service code share: RFC 9457
problem responses (:mod:`servicekit.problems`) and :mod:`servicekit.contract`,
the runtime that the generated ``_generated/`` packages import (strict JSON
fields, serializers, parameter parsing, the ``ContractViewSet`` base, URL
building and system checks).
"""

from __future__ import annotations
