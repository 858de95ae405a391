"""Edge authentication: bearer JWTs, API keys and the OpenAPI security policy."""

from __future__ import annotations
