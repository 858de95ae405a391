"""HTTP clients for the services orders depends on (catalog, customers).

Answers are parsed into the pydantic models in ``clients/_generated/``,
generated from the callees' specs (``python -m codegen.generator.clientgen``).
"""

from __future__ import annotations
