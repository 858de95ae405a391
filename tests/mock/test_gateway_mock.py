"""``mock = true`` in the gateway configuration: the service's upstream becomes
a ``specfirst serve --mock`` process of its spec, for as long as the gateway runs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from codegen.core.project import ConfigError
from gateway.config import load_config, upstream_env_var
from gateway.mocks import mock_upstreams
from tests.mock.pets import PETS


def _project(tmp_path: Path, service_table: str) -> Path:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specfirst.toml").write_text(
        f"[services.pets]\n{service_table}\n", encoding="utf-8"
    )
    return tmp_path


def test_mock_flags_are_read(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, "mock = true\nmock_stateful = true"))
    service = config.service("pets")
    assert (service.mock, service.mock_stateful) == (True, True)


def test_a_non_boolean_mock_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"services\.pets\.mock and mock_stateful must be true"):
        load_config(_project(tmp_path, 'mock = "yes"'))


@pytest.mark.e2e
def test_a_mocked_service_is_served_by_its_mock(
    tmp_path: Path, write_spec: Callable[[str, str], Path]
) -> None:
    root = _project(tmp_path, "mock = true\nmock_stateful = true")
    write_spec(PETS, "specs/pets.yaml")
    config = load_config(root)
    variable = upstream_env_var("pets")
    assert variable not in os.environ
    with mock_upstreams(config) as upstreams:
        url = upstreams["pets"]
        assert load_config(root).service("pets").upstream == url
        assert httpx.get(f"{url}/readyz", timeout=10).status_code == 200  # the gateway asks
        assert httpx.get(f"{url}/nowhere", timeout=10).status_code == 404
        created = httpx.post(f"{url}/pets", json={"name": "Rex"}, timeout=10)
        assert created.status_code == 201
        read = httpx.get(url + created.headers["location"], timeout=10)
        assert read.json() == created.json()
    assert variable not in os.environ
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/pets", timeout=2)
