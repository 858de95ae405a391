"""Hand the system to engines teams already run: nginx and Kubernetes.

``gateway.export.nginx`` compiles the routing table to an nginx
configuration; ``gateway.export.k8s`` writes Kustomize-ready manifests;
``gateway.export.commands`` is the ``specfirst export`` command group.
Nothing here imports Django: everything is derived from the composition,
the routing table and the configuration.
"""

from __future__ import annotations
