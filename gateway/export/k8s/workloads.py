"""Deployments, Services, HorizontalPodAutoscalers and migration Jobs.

Every workload runs the one image (the repository with its virtualenv) as a
non-root user with a read-only root filesystem, probes ``/healthz``
(liveness) and ``/readyz`` (readiness), and reads every secret through a
``secretKeyRef``. Services run the production entry point
(``python -m servicekit.serve NAME --no-migrate``: gunicorn gthread, the
configuration bench/servers.py measured fastest) with ``SPECFIRST_PRODUCTION=1``;
their schema migrations run once per release in a Job.

Example: ``service_deployment("orders", ["catalog", "customers", "orders"], options)``
→ a Deployment ``orders`` whose container gets ``ORDERS_DATABASE_URL`` from
the Secret ``specfirst-orders-database`` (key ``url``), ``CATALOG_URL=http://catalog:8000``
and ``CUSTOMERS_URL=http://customers:8000``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gateway.export.k8s.names import (
    APP_DIR,
    AUTH_SECRET,
    DJANGO_SECRET,
    IDENTITY_PUBLIC_SECRET,
    IDENTITY_SIGNING_SECRET,
    PORT,
    REDIS_SECRET,
    K8sOptions,
    database_secret,
    env_name,
    k8s_name,
    labels,
    secret_env,
    selector,
)

Manifest = dict[str, Any]
MERGED_SPEC_CONFIGMAP = "specfirst-merged-spec"
RUN_AS_USER = 10001


def _probe(path: str, host: str, period: int) -> dict[str, Any]:
    return {
        "httpGet": {
            "path": path,
            "port": "http",
            "httpHeaders": [{"name": "Host", "value": host}],  # Django checks ALLOWED_HOSTS
        },
        "periodSeconds": period,
        "timeoutSeconds": 2,
        "failureThreshold": 3,
    }


def _pod_security() -> dict[str, Any]:
    return {
        "runAsNonRoot": True,
        "runAsUser": RUN_AS_USER,
        "runAsGroup": RUN_AS_USER,
        "fsGroup": RUN_AS_USER,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def _container_security() -> dict[str, Any]:
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }


def _resources(cpu: str, memory: str, cpu_limit: str, memory_limit: str) -> dict[str, Any]:
    return {
        "requests": {"cpu": cpu, "memory": memory},
        "limits": {"cpu": cpu_limit, "memory": memory_limit},
    }


def _common_env() -> list[dict[str, Any]]:
    return [
        {"name": "PYTHONDONTWRITEBYTECODE", "value": "1"},
        {"name": "PYTHONUNBUFFERED", "value": "1"},
        secret_env("SPECFIRST_JWT_SECRET", AUTH_SECRET, "jwt-secret"),
        secret_env("SPECFIRST_API_KEYS", AUTH_SECRET, "api-keys"),
    ]


def _service_env(name: str, services: Sequence[str], options: K8sOptions) -> list[dict[str, Any]]:
    hosts = [k8s_name(name), ".svc.cluster.local", *options.hostnames]
    env = [
        {"name": "SPECFIRST_PRODUCTION", "value": "1"},
        {"name": "DJANGO_SETTINGS_MODULE", "value": f"{name}_site.settings"},
        {"name": "DJANGO_ALLOWED_HOSTS", "value": ",".join(hosts)},
        secret_env(f"{env_name(name)}_DATABASE_URL", database_secret(name), "url"),
        secret_env("DJANGO_SECRET_KEY", DJANGO_SECRET, "secret-key"),
        secret_env("SPECFIRST_IDENTITY_PUBLIC_KEY", IDENTITY_PUBLIC_SECRET, "public-key"),
        *_common_env(),
    ]
    env += [
        {"name": f"{env_name(other)}_URL", "value": f"http://{k8s_name(other)}:{PORT}"}
        for other in services
        if other != name
    ]
    return env


def _pod(
    name: str,
    container: dict[str, Any],
    volumes: list[dict[str, Any]],
    restart: str | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "automountServiceAccountToken": False,
        "securityContext": _pod_security(),
        "containers": [container],
        "volumes": [{"name": "tmp", "emptyDir": {}}, *volumes],
    }
    if restart:
        spec["restartPolicy"] = restart
    return spec


def _deployment(name: str, component: str, pod: dict[str, Any]) -> Manifest:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": k8s_name(name), "labels": labels(name, component)},
        "spec": {
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": selector(name)},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1},
            },
            "template": {"metadata": {"labels": labels(name, component)}, "spec": pod},
        },
    }


def service_deployment(name: str, services: Sequence[str], options: K8sOptions) -> Manifest:
    host = k8s_name(name)
    container = {
        "name": "service",
        "image": options.image,
        "workingDir": APP_DIR,
        "command": ["python", "-m", "servicekit.serve", name],
        "args": [
            "--host",
            "0.0.0.0",
            "--port",
            str(PORT),
            "--workers",
            "2",
            "--threads",
            "4",
            "--no-migrate",
            "--no-access-log",
        ],
        "ports": [{"name": "http", "containerPort": PORT, "protocol": "TCP"}],
        "env": _service_env(name, services, options),
        "livenessProbe": _probe("/healthz", host, 10),
        "readinessProbe": _probe("/readyz", host, 5),
        "resources": _resources("250m", "256Mi", "1", "512Mi"),
        "securityContext": _container_security(),
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    return _deployment(name, "service", _pod(name, container, []))


def migration_job(name: str, services: Sequence[str], options: K8sOptions) -> Manifest:
    container = {
        "name": "migrate",
        "image": options.image,
        "workingDir": f"{APP_DIR}/services/{name}",
        "command": ["python", "manage.py", "migrate", "--noinput"],
        "env": _service_env(name, services, options),
        "resources": _resources("100m", "128Mi", "500m", "256Mi"),
        "securityContext": _container_security(),
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": f"{k8s_name(name)}-migrate", "labels": labels(name, "migration")},
        "spec": {
            "backoffLimit": 3,
            "activeDeadlineSeconds": 600,
            "template": {
                "metadata": {"labels": labels(name, "migration")},
                "spec": _pod(name, container, [], restart="OnFailure"),
            },
        },
    }


def gateway_deployment(services: Sequence[str], options: K8sOptions) -> Manifest:
    env: list[dict[str, Any]] = [
        {"name": f"SPECFIRST_UPSTREAM_{env_name(s)}", "value": f"http://{k8s_name(s)}:{PORT}"}
        for s in services
    ]
    env += [
        secret_env("REDIS_URL", REDIS_SECRET, "url"),
        secret_env("SPECFIRST_IDENTITY_KEY", IDENTITY_SIGNING_SECRET, "private-key"),
        *_common_env(),
    ]
    container = {
        "name": "gateway",
        "image": options.image,
        "workingDir": APP_DIR,
        "command": ["python", "-m", "gateway", "gateway"],
        "args": [
            "--host",
            "0.0.0.0",
            "--port",
            str(PORT),
            "--workers",
            "2",
            "--no-access-log",
            "--root",
            APP_DIR,
        ],
        "ports": [{"name": "http", "containerPort": PORT, "protocol": "TCP"}],
        "env": env,
        "livenessProbe": _probe("/healthz", "gateway", 10),
        "readinessProbe": _probe("/readyz", "gateway", 5),
        "resources": _resources("500m", "256Mi", "2", "512Mi"),
        "securityContext": _container_security(),
        "volumeMounts": [
            {"name": "tmp", "mountPath": "/tmp"},
            {"name": "merged-spec", "mountPath": "/etc/specfirst", "readOnly": True},
        ],
    }
    volumes = [{"name": "merged-spec", "configMap": {"name": MERGED_SPEC_CONFIGMAP}}]
    return _deployment("gateway", "gateway", _pod("gateway", container, volumes))


def service(name: str, component: str) -> Manifest:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": k8s_name(name), "labels": labels(name, component)},
        "spec": {
            "type": "ClusterIP",
            "selector": selector(name),
            "ports": [{"name": "http", "port": PORT, "targetPort": "http", "protocol": "TCP"}],
        },
    }


def autoscaler(name: str, component: str, max_replicas: int) -> Manifest:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": k8s_name(name), "labels": labels(name, component)},
        "spec": {
            "scaleTargetRef": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": k8s_name(name),
            },
            "minReplicas": 2,
            "maxReplicas": max_replicas,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 70},
                    },
                }
            ],
        },
    }


def merged_spec_configmap(document_json: str) -> Manifest:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": MERGED_SPEC_CONFIGMAP, "labels": labels("gateway", "gateway")},
        "data": {"openapi.json": document_json},
    }
