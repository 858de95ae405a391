"""Kubernetes names and the options every manifest builder shares.

Service names come from spec file stems, which may hold characters a
Kubernetes name cannot: :func:`k8s_name` maps them to RFC 1035 labels
(``Orders_V2`` → ``orders-v2``), and :func:`env_name` to environment
variable prefixes (``orders-v2`` → ``ORDERS_V2``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PORT = 8000
APP_DIR = "/app"
PART_OF = "specfirst"


@dataclass(frozen=True, slots=True)
class K8sOptions:
    image: str = "specfirst:latest"
    gateway_name: str = "specfirst-edge"  # the cluster's Gateway the HTTPRoutes attach to
    hostnames: tuple[str, ...] = ()
    kubernetes_version: str = "1.33"
    # Namespaces whose pods may reach the services directly: the ingress controller's,
    # when the HTTPRoutes route there instead of through the specfirst gateway.
    ingress_namespaces: tuple[str, ...] = ()


def k8s_name(name: str) -> str:
    """``"Orders_V2"`` → ``"orders-v2"`` (lower case, ``[a-z0-9-]``, starts with a letter)."""
    text = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    if not text or not text[0].isalpha():
        text = "svc-" + text
    return text[:63].rstrip("-")


def env_name(name: str) -> str:
    """``"orders-v2"`` → ``"ORDERS_V2"``."""
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def labels(name: str, component: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": k8s_name(name),
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": PART_OF,
    }


def selector(name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": k8s_name(name)}


def secret_env(variable: str, secret: str, key: str) -> dict[str, Any]:
    """An env entry read from a Secret: never a literal value."""
    return {"name": variable, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def database_secret(service: str) -> str:
    return f"specfirst-{k8s_name(service)}-database"


DJANGO_SECRET = "specfirst-django"
AUTH_SECRET = "specfirst-auth"
REDIS_SECRET = "specfirst-redis"
# The forwarded-identity key pair (codegen.core.auth.forwarded), in two Secrets so that
# service pods can only ever be given the public half.
IDENTITY_SIGNING_SECRET = "specfirst-identity-signing"
IDENTITY_PUBLIC_SECRET = "specfirst-identity-public"
