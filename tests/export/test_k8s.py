"""``specfirst export k8s``: every manifest validated offline, routes cover the spec.

Built-in kinds are validated with ``kubernetes-validate`` (strict: unknown
fields are errors) against the Kubernetes API schemas of
:data:`KUBERNETES_VERSION`, bundled in the package (no network at run time).
HTTPRoutes are validated against the Gateway API schema (see
``gateway_api``). The real specs in ``specs/`` are exported, plus the
multi-service test project for the route-splitting and error cases.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from codegen.cli.app import app
from codegen.core.routing.templates import build_path
from gateway.compose.load import compose_specs
from gateway.config import load_config
from gateway.export.k8s.names import K8sOptions
from gateway.export.k8s.routes import MAX_MATCHES_PER_ROUTE, MAX_RULES, http_routes
from gateway.export.nginx import ExportError
from gateway.table import RoutingTable
from tests.conftest import REPO_ROOT
from tests.export.gateway_api import validate_http_routes
from tests.export.project import write_project

KUBERNETES_VERSION = "1.33.0"
SECRET_NAMES = ("SECRET", "DATABASE_URL", "API_KEYS", "REDIS_URL", "PASSWORD", "TOKEN", "IDENTITY")


def _export(root: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(
        app, ["export", "k8s", "--out", str(out), "--root", str(root), *extra]
    )
    assert result.exit_code == 0, result.output


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("k8s")
    _export(REPO_ROOT, out, "--hostname", "api.example.com")
    return out


def _manifests(out: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(out.glob("**/*.yaml")):
        if path.name != "kustomization.yaml":
            yield path.relative_to(out).as_posix(), _load(path)


def test_builtin_kinds_validate_against_the_kubernetes_api(exported: Path) -> None:
    kinds: Counter[str] = Counter()
    for name, manifest in _manifests(exported):
        if manifest["kind"] == "HTTPRoute":
            continue
        try:
            kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{name}: {exc.message} at {list(exc.absolute_path)}")
        kinds[manifest["kind"]] += 1
    assert kinds == {
        "Deployment": 4,  # three services and the gateway
        "Service": 4,
        "HorizontalPodAutoscaler": 4,
        "Job": 3,  # one migration per service
        "NetworkPolicy": 3,  # one per service
        "ConfigMap": 1,
        "Namespace": 1,  # in the example overlay
    }


def test_the_validator_rejects_a_broken_manifest(exported: Path) -> None:
    deployment = _load(exported / "base" / "orders" / "deployment.yaml")
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["port"] = {
        "not": "a port"
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_http_routes_validate_against_the_gateway_api_schema(
    exported: Path, tmp_path: Path
) -> None:
    routes = [m for _, m in _manifests(exported) if m["kind"] == "HTTPRoute"]
    assert routes
    broken = json.loads(json.dumps(routes[0]))
    broken["spec"]["rules"][0]["timeouts"]["request"] = "30 seconds"
    results = validate_http_routes([*routes, broken], tmp_path)
    assert results[:-1] == [None] * len(routes)
    assert results[-1] is not None and "timeouts/request" in results[-1]


def _merged_table(root: Path) -> tuple[RoutingTable, dict[str, Any]]:
    config = load_config(root)
    composition = compose_specs(config)
    assert composition.document is not None
    return RoutingTable.build(composition, config), composition.document


def _sample(kind: Any) -> str:
    if kind is None:
        return "x1"
    return {"integer": "42", "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e"}.get(
        kind.kind, sorted(kind.values)[0] if kind.values else "x1"
    )


def _matches(path: str, match: dict[str, Any]) -> bool:
    value = match["path"]["value"]
    if match["path"]["type"] == "Exact":
        return path == str(value)
    return re.fullmatch(str(value), path) is not None


def test_http_routes_cover_every_operation_exactly_once(exported: Path) -> None:
    table, merged = _merged_table(REPO_ROOT)
    entries = [
        (match, rule["backendRefs"][0]["name"])
        for _, manifest in _manifests(exported)
        if manifest["kind"] == "HTTPRoute"
        for rule in manifest["spec"]["rules"]
        for match in rule["matches"]
    ]
    operations = [
        (method.upper(), path)
        for path, item in merged["paths"].items()
        for method in item
        if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    ]
    assert len(entries) == len(operations) == len(table.routes)
    for route in table.routes:
        segments = route.compiled.segments
        values = {name: _sample(segment.kind) for segment in segments for name in segment.names}
        concrete = build_path(route.compiled, values)
        own = [
            (match, backend)
            for match, backend in entries
            if match["method"] == route.method
            and _matches(concrete, match)
            and (match["path"]["type"] == "Exact") == (not route.compiled.params)
        ]
        assert len(own) == 1, (route.method, route.template, own)
        assert own[0][1] == route.service


def test_secrets_are_only_referenced(exported: Path) -> None:
    seen = 0
    for name, manifest in _manifests(exported):
        text = json.dumps(manifest)
        assert "specfirst-development" not in text and "insecure" not in text, name
        pod = manifest.get("spec", {}).get("template", {}).get("spec", {})
        for container in pod.get("containers", []):
            for variable in container.get("env", []):
                if any(word in variable["name"] for word in SECRET_NAMES):
                    assert "value" not in variable, (name, variable["name"])
                    assert "secretKeyRef" in variable["valueFrom"], (name, variable["name"])
                    seen += 1
    # database URL, Django key, identity public key, JWT secret, API keys in 3 deployments
    # and 3 jobs; Redis URL, identity signing key, JWT secret, API keys in the gateway
    assert seen == 3 * 5 + 3 * 5 + 4


def _admits(policy: dict[str, Any], pod: dict[str, str], namespace: str) -> bool:
    """Whether ``policy`` lets a pod with labels ``pod`` in ``namespace`` reach the http port
    (NetworkPolicy semantics for the peers we emit: podSelector in the policy's own
    namespace, namespaceSelector by name)."""
    for rule in policy["spec"]["ingress"]:
        assert rule["ports"] == [{"protocol": "TCP", "port": "http"}]
        for peer in rule["from"]:
            if "podSelector" in peer and namespace == "shop":
                wanted = peer["podSelector"]["matchLabels"]
                if all(pod.get(k) == v for k, v in wanted.items()):
                    return True
            by_namespace = peer.get("namespaceSelector", {}).get("matchLabels")
            if by_namespace == {"kubernetes.io/metadata.name": namespace}:
                return True
    return False


def _pods(out: Path) -> dict[str, dict[str, str]]:
    """The pod labels of every workload (Deployments and Jobs) by manifest path."""
    return {
        name: manifest["spec"]["template"]["metadata"]["labels"]
        for name, manifest in _manifests(out)
        if manifest["kind"] in ("Deployment", "Job")
    }


def test_network_policies_let_only_the_gateway_and_callers_reach_services(
    exported: Path, tmp_path: Path
) -> None:
    """Who may open each service's port: the gateway's pods, and the services that declare
    it in ``clients`` (orders calls catalog and customers); no other pod, no other
    namespace, not even the migration Jobs."""
    policies = {
        manifest["metadata"]["name"]: manifest
        for _, manifest in _manifests(exported)
        if manifest["kind"] == "NetworkPolicy"
    }
    assert sorted(policies) == ["catalog", "customers", "orders"]  # the gateway stays open
    pods = _pods(exported)
    expected = {"catalog": {"gateway", "orders"}, "customers": {"gateway", "orders"},
                "orders": {"gateway"}}  # fmt: skip
    for service, policy in policies.items():
        assert policy["spec"]["podSelector"] == {
            "matchLabels": {
                "app.kubernetes.io/name": service,
                "app.kubernetes.io/component": "service",
            }
        }
        assert policy["spec"]["policyTypes"] == ["Ingress"]
        admitted = {
            labels["app.kubernetes.io/name"]
            for path, labels in pods.items()
            if path.endswith("deployment.yaml") and _admits(policy, labels, "shop")
        }
        assert admitted == expected[service], service
        jobs = [path for path, labels in pods.items() if "migrate-job" in path]
        assert jobs and not any(_admits(policy, pods[path], "shop") for path in jobs)
        stranger = {"app.kubernetes.io/name": "debug-shell"}
        assert not _admits(policy, stranger, "shop")
        assert not _admits(policy, pods["base/gateway/deployment.yaml"], "elsewhere")
    out = tmp_path / "k8s"
    _export(REPO_ROOT, out, "--ingress-namespace", "ingress-nginx")
    catalog = _load(out / "base" / "catalog" / "networkpolicy.yaml")
    assert _admits(catalog, {"app": "controller"}, "ingress-nginx")
    assert not _admits(catalog, {"app": "controller"}, "default")


def test_workloads_are_probed_bounded_and_unprivileged(exported: Path) -> None:
    for name, manifest in _manifests(exported):
        if manifest["kind"] not in ("Deployment", "Job"):
            continue
        pod = manifest["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        container = pod["containers"][0]
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert set(container["resources"]) == {"requests", "limits"}
        if manifest["kind"] == "Deployment":
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_merged_spec_configmap_holds_the_merged_document(exported: Path) -> None:
    _, merged = _merged_table(REPO_ROOT)
    configmap = _load(exported / "base" / "merged-spec.configmap.yaml")
    assert json.loads(configmap["data"]["openapi.json"]) == merged


def test_kustomizations_list_every_file(exported: Path) -> None:
    base = exported / "base"
    listed = _load(base / "kustomization.yaml")["resources"]
    on_disk = sorted(
        p.relative_to(base).as_posix()
        for p in base.glob("**/*.yaml")
        if p.name != "kustomization.yaml"
    )
    assert sorted(listed) == on_disk
    overlay = _load(exported / "overlays" / "example" / "kustomization.yaml")
    assert "../../base" in overlay["resources"] and overlay["namespace"] == "shop"


def test_output_is_deterministic_and_stale_files_go(tmp_path: Path, exported: Path) -> None:
    again = tmp_path / "again"
    (again / "base" / "routes").mkdir(parents=True)
    stale = again / "base" / "routes" / "gone.httproute.yaml"
    stale.write_text(
        "# Generated by specfirst ('specfirst export k8s'). Do not edit; regenerate.\n"
    )
    subprocess.run(  # another process and hash seed: no set or dict order may leak
        [sys.executable, "-c", "from codegen.cli.app import main; main()", "export", "k8s",
         "--out", str(again), "--root", str(REPO_ROOT), "--hostname", "api.example.com"],
        check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "12345"},
    )  # fmt: skip
    assert not stale.exists()
    first = {p.relative_to(exported): p.read_bytes() for p in exported.glob("**/*.yaml")}
    second = {p.relative_to(again): p.read_bytes() for p in again.glob("**/*.yaml")}
    assert first == second


def test_routes_split_within_gateway_api_limits(tmp_path: Path) -> None:
    write_project(tmp_path, {n: "http://127.0.0.1:1" for n in ("a", "b", "c", "down")}, {}, 1024)
    table, _ = _merged_table(tmp_path)
    many = RoutingTable(table.routes * 30, table.entries * 30)  # 480 matches
    routes = http_routes(many, K8sOptions())
    for route in routes:
        rules = route["spec"]["rules"]
        assert len(rules) <= MAX_RULES
        assert sum(len(rule["matches"]) for rule in rules) <= MAX_MATCHES_PER_ROUTE
    assert sum(len(r["matches"]) for m in routes for r in m["spec"]["rules"]) == 480
    names = [route["metadata"]["name"] for route in routes]
    assert len(names) == len(set(names)) and "a-2" in names


def test_per_operation_timeouts_become_rule_timeouts(tmp_path: Path) -> None:
    write_project(tmp_path, {n: "http://127.0.0.1:1" for n in ("a", "b", "c", "down")}, {}, 1024)
    table, _ = _merged_table(tmp_path)
    by_timeout = {
        rule["timeouts"]["request"]: {
            m["method"] + " " + m["path"]["value"] for m in rule["matches"]
        }
        for route in http_routes(table, K8sOptions())
        if route["metadata"]["name"] == "a"
        for rule in route["spec"]["rules"]
    }
    assert by_timeout["300ms"] == {"GET ^/slow/[^/]+$"}
    assert by_timeout["5s"] == {"POST ^/slow/[^/]+$"}
    assert by_timeout["2s"] == {"PUT ^/items/-?[0-9]+$"}


def test_prefixed_services_are_refused_with_a_reason(tmp_path: Path) -> None:
    write_project(tmp_path, {n: "http://127.0.0.1:1" for n in ("a", "b", "c", "down")},
                  {"c": "/legacy"}, 1024)  # fmt: skip
    table, _ = _merged_table(tmp_path)
    with pytest.raises(ExportError, match="service 'c' is mounted under a prefix"):
        http_routes(table, K8sOptions())


def test_overlay_overrides_the_image_without_its_tag(tmp_path: Path) -> None:
    _export(REPO_ROOT, tmp_path, "--image", "ghcr.io/acme/specfirst:1.2")
    deployment = _load(tmp_path / "base" / "gateway" / "deployment.yaml")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == (
        "ghcr.io/acme/specfirst:1.2"
    )
    overlay = _load(tmp_path / "overlays" / "example" / "kustomization.yaml")
    assert overlay["images"] == [
        {
            "name": "ghcr.io/acme/specfirst",
            "newName": "registry.example.com/shop/specfirst",
            "newTag": "1.0.0",
        }
    ]
