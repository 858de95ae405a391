"""Fixtures for the contract runtime: one generated package per session,
served by hand-written views, reached through Django's test client."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.servicekit import views
from tests.servicekit.harness import generate_package, root_urlconf

SPECS = Path(__file__).parent / "specs"


@pytest.fixture(scope="session")
def contract_api(tmp_path_factory: pytest.TempPathFactory) -> types.ModuleType:
    return generate_package(
        SPECS / "contract.yaml", tmp_path_factory.mktemp("gen"), "sf_contract_api"
    )


@pytest.fixture(scope="session")
def contract_urls(contract_api: types.ModuleType) -> types.ModuleType:
    return root_urlconf(contract_api, views.implementations(contract_api))


@pytest.fixture
def client(contract_urls: types.ModuleType) -> Iterator[Client]:
    with override_settings(ROOT_URLCONF=contract_urls, SPECFIRST_RAISE_CONTRACT_ERRORS=True):
        yield Client()
