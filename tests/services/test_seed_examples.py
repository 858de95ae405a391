"""The specs' own request examples are accepted by their implementations.

``specfirst test`` seeds every service before generating requests: the fixture hook, then
one request per creator, its body the spec's example (or one the synthesizer builds from
the schema's examples and the ids created before). A creator the service refuses is
printed as ``seed: catalog: example not accepted: POST /stock-reservations: 422``: the
spec describes a request its own service rejects. Here the same seeding
(:func:`codegen.verify.contract.seed.seed_service`) runs against the real services, in
process on the test database, and every creator must be accepted and yield its links.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from servicekit.settings import REPO_ROOT

from codegen.core.spec.bundle import bundle
from codegen.core.spec.loader import load_spec
from codegen.verify.contract.config import load_settings
from codegen.verify.contract.credentials import auth_headers, dev_credentials
from codegen.verify.contract.seed import SeedApi, creators, seed_service
from codegen.verify.contract.targets import ServiceTarget, discover
from tests.services.conftest import django_transport

TARGETS = discover(load_settings(REPO_ROOT))


def _client(target: ServiceTarget) -> httpx.Client:
    loaded, _ = load_spec(target.spec)
    assert loaded is not None
    schemes = (bundle(loaded).get("components") or {}).get("securitySchemes") or {}
    return httpx.Client(
        base_url="http://testserver",
        headers=auth_headers(schemes, dev_credentials()),
        transport=django_transport(),
    )


@pytest.fixture
def clients(in_process_dependencies: None) -> Iterator[dict[str, httpx.Client]]:
    made = {name: _client(target) for name, target in TARGETS.items()}
    yield made
    for client in made.values():
        client.close()


def test_the_reference_services_are_all_seeded() -> None:
    assert sorted(TARGETS) == ["catalog", "customers", "orders"]


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_request_example_is_accepted(name: str, clients: dict[str, httpx.Client]) -> None:
    target = TARGETS[name]
    loaded, _ = load_spec(target.spec)
    assert loaded is not None
    deps = {dep: clients[dep] for dep in target.requires}
    api = SeedApi(client=clients[name], dependencies=deps)
    assert seed_service(target.directory, loaded, api) == []
    spec = bundle(loaded)
    made = creators(spec)
    assert made, f"{name}: no creators: the seeding sends nothing"
    for creator in made:
        # Each creator (or the hook standing in for it) yielded the values its links name.
        for _, parameter, _ in creator.links:
            assert any(key.endswith(f".{parameter}") for key in api.remembered), (
                f"{name}: {creator.method.upper()} {creator.path}: no {parameter} remembered"
            )
