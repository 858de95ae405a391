"""Reading OpenAPI documents: loading with positions (``loader``), ``$ref``
(``refs``), bundling (``bundle``), validation (``validate``) and the policy of
what blocks generation (``policy``). See docs/architecture.md, "Loader API"."""

from __future__ import annotations
