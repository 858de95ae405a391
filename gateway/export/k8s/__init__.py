"""Kubernetes manifests for the whole system (``specfirst export k8s``).

:mod:`.workloads` builds the Deployments, Services, HPAs and migration Jobs,
:mod:`.routes` the Gateway API HTTPRoutes from the routing table, and
:mod:`.layout` arranges everything as a Kustomize base plus an example
overlay and writes it deterministically.
"""

from __future__ import annotations
