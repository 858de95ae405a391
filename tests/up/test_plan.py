"""Planning ``specfirst up``: ports, per-service databases, environments, command lines."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from codegen.cli.up.plan import UpOptions, assign_ports, plan_system, service_database_url
from codegen.cli.up.run import busy_ports, run_system, shell_command, summary
from codegen.core.errors import UserError
from tests.conftest import REPO_ROOT


def test_ports_follow_the_base_port_in_name_order() -> None:
    assert assign_ports(["a", "b"], 9000, {}) == {"gateway": 9000, "a": 9001, "b": 9002}


def test_configured_ports_keep_their_place_relative_to_the_base_port() -> None:
    assert assign_ports(["a", "b"], 9000, {"a": 8123}) == {"gateway": 9000, "a": 9123, "b": 9001}


@pytest.mark.parametrize("base", [None, 9000, 20000])
def test_a_new_service_never_moves_the_existing_ones(base: int | None) -> None:
    """``specfirst new aardvark`` configures 8004; it sorts first, yet nothing else moves."""
    before = {"catalog": 8001, "customers": 8002, "orders": 8003}
    old = assign_ports(sorted(before), base, before)
    new = assign_ports(sorted([*before, "aardvark"]), base, {**before, "aardvark": 8004})
    assert {name: new[name] for name in old} == old
    assert new["aardvark"] == old["gateway"] + 4


def test_default_ports_honour_configured_upstreams() -> None:
    ports = assign_ports(["a", "b", "c"], None, {"a": 8003, "b": None, "c": 8001})
    assert ports == {"gateway": 8000, "a": 8003, "c": 8001, "b": 8002}


def test_base_port_zero_gives_distinct_ephemeral_ports() -> None:
    ports = assign_ports(["a", "b"], 0, {})
    assert len(set(ports.values())) == 3 and all(port > 1024 for port in ports.values())


def test_base_port_too_high_is_a_user_error() -> None:
    with pytest.raises(UserError, match="leaves no room for the ports of 3 processes"):
        assign_ports(["a", "b"], 65534, {})


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("postgres://u@h:5432", "postgres://u@h:5432/orders"),
        ("postgres://u@h:5432/", "postgres://u@h:5432/orders"),
        (
            "postgres://u@h:5432/shop?sslmode=disable",
            "postgres://u@h:5432/shop_orders?sslmode=disable",
        ),
        ("sqlite:////data/dbs", "sqlite:////data/dbs/orders.sqlite3"),
    ],
)
def test_each_service_gets_its_own_database(base: str, expected: str) -> None:
    assert service_database_url(base, "orders", Path("/srv/orders")) == expected


def test_default_database_is_the_services_own_sqlite_file() -> None:
    url = service_database_url(None, "orders", Path("/srv/orders"))
    assert url == "sqlite:////srv/orders/var/orders.sqlite3"


def test_a_database_url_without_scheme_is_refused() -> None:
    with pytest.raises(UserError, match="--database-url must be a URL"):
        service_database_url("localhost/db", "orders", Path("."))


def test_plan_of_the_repository() -> None:
    plan = plan_system(REPO_ROOT, UpOptions(base_port=9100, database_url="postgres://p@db:5432/"))
    assert [p.name for p in plan.services] == ["catalog", "customers", "orders"]
    orders = plan.services[2]
    assert orders.url == "http://127.0.0.1:9103"
    assert orders.env["ORDERS_DATABASE_URL"] == "postgres://p@db:5432/orders"
    assert orders.env["CATALOG_URL"] == "http://127.0.0.1:9101"
    assert orders.env["CUSTOMERS_URL"] == "http://127.0.0.1:9102"
    assert orders.env["SPECFIRST_SPEC_PATH"] == str(REPO_ROOT / "specs" / "orders.yaml")
    assert "--bind" in orders.argv and "127.0.0.1:9103" in orders.argv
    assert str(REPO_ROOT / "services" / "orders") in orders.argv
    assert plan.gateway is not None and plan.gateway.url == "http://127.0.0.1:9100"
    assert plan.gateway.env["SPECFIRST_UPSTREAM_CATALOG"] == "http://127.0.0.1:9101"
    assert "SPECFIRST_PRODUCTION" not in orders.env


def test_no_gateway() -> None:
    plan = plan_system(REPO_ROOT, UpOptions(base_port=9100, gateway=False))
    assert plan.gateway is None
    assert all("SPECFIRST_PRODUCTION" not in p.env for p in plan.services)
    assert plan.services[0].argv[plan.services[0].argv.index("--workers") + 1] == "1"


def test_a_project_without_services_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="create one with: specfirst new NAME"):
        plan_system(tmp_path, UpOptions())


def test_shell_command_quotes_and_execs() -> None:
    assert shell_command(("python", "-m", "x y")) == "exec python -m 'x y'"


def test_summary_lists_gateway_docs_and_services() -> None:
    plan = plan_system(REPO_ROOT, UpOptions(base_port=9100))
    lines = summary(plan, 2.5)
    assert lines[0] == "ready in 2.5s"
    assert lines[1].split() == ["gateway", "http://127.0.0.1:9100"]
    assert lines[2].split() == ["docs", "http://127.0.0.1:9100/docs"]
    assert [line.split()[0] for line in lines[3:6]] == ["catalog", "customers", "orders"]
    token_url = "http://127.0.0.1:9100/oauth/token"
    assert lines[6:9] == [
        f"log in (OAuth 2.0) at {token_url}:",
        f"  curl -s -d grant_type=password -d username=EMAIL -d password=PASSWORD {token_url}",
        f"  curl -s -u CLIENT_ID:SECRET -d grant_type=client_credentials {token_url}",
    ]
    assert lines[9].startswith("  first admin: ")
    assert "services/customers/manage.py createadmin" in lines[9]


def test_busy_ports_are_reported() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        plan = plan_system(REPO_ROOT, UpOptions(base_port=port))
        assert busy_ports(plan)[0] == f"{port} (gateway)"
        with pytest.raises(UserError, match=rf"port\(s\) already in use: {port} \(gateway\)"):
            run_system(plan, REPO_ROOT)
