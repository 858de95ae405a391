"""NetworkPolicies: only the gateway (and declared callers) reach a service's pods.

Without them any pod in the cluster can open a service's port. Identity cannot
be forged there (services trust only identities the gateway signs), but the
services' own checks are then the only door; these policies close the port
itself. Each service's pods accept TCP on the ``http`` port from:

* the gateway's pods;
* the pods of every service that lists it in ``clients`` (e.g. orders calls
  catalog and customers: ``[tool.specfirst.services.orders] clients = [...]``);
* every pod of the ``--ingress-namespace`` namespaces, for clusters whose
  ingress controller follows the HTTPRoutes straight to the services.

Everything else is dropped. The gateway's own pods stay open: it is the edge.
Kubelet probes come from the node, which NetworkPolicy implementations allow.

Example: ``service_policy("catalog", ("orders",), options)`` → a NetworkPolicy
``catalog`` selecting the pods of ``app.kubernetes.io/name: catalog``,
``app.kubernetes.io/component: service`` with ingress from the gateway's pods and
the orders service's (never from a migration Job's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gateway.export.k8s.names import K8sOptions, k8s_name, labels, selector

Manifest = dict[str, Any]
GATEWAY = "gateway"


def service_policy(name: str, callers: Sequence[str], options: K8sOptions) -> Manifest:
    """The ingress policy of service ``name``'s pods."""
    peers: list[dict[str, Any]] = [{"podSelector": {"matchLabels": _pods(GATEWAY, GATEWAY)}}]
    peers += [
        {"podSelector": {"matchLabels": _pods(caller, "service")}}
        for caller in sorted(set(callers))
    ]
    peers += [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}}
        for namespace in sorted(set(options.ingress_namespaces))
    ]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": k8s_name(name), "labels": labels(name, "service")},
        "spec": {
            "podSelector": {"matchLabels": _pods(name, "service")},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": peers, "ports": [{"protocol": "TCP", "port": "http"}]}],
        },
    }


def _pods(name: str, component: str) -> dict[str, str]:
    """The labels of ``name``'s serving pods: its migration Job's pods are not them."""
    return {**selector(name), "app.kubernetes.io/component": component}


def callers_of(clients: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """``{"orders": ["catalog"]}`` (who calls whom) → ``{"catalog": ("orders",)}``."""
    found: dict[str, set[str]] = {}
    for caller, callees in clients.items():
        for callee in callees:
            found.setdefault(callee, set()).add(caller)
    return {callee: tuple(sorted(names)) for callee, names in sorted(found.items())}
