"""orders against real sockets: a dependency that is down or never answers.

No mock transport here: the real pooled httpx client must give up on its own
(503 for a refused connection, 504 for silence) instead of hanging.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from orders.clients import transport

from tests.conftest import free_port
from tests.services.conftest import Api, new_id
from tests.services.problems import assert_problem
from tests.services.tokens import bearer


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def _order(customer_id: str) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "lines": [{"product_id": new_id(), "quantity": 1}],
        "shipping_address": {"line1": "1 St", "city": "X", "postal_code": "AB1", "country": "GB"},
        "payment": {"method": "voucher", "code": "GIFT-2024"},
    }


def _point_orders_at(settings: Any, url: str, timeout: float) -> None:
    settings.CATALOG_URL = url
    settings.CUSTOMERS_URL = url
    settings.ORDERS_DEPENDENCY_TIMEOUT = timeout
    settings.ORDERS_DEPENDENCY_TRANSPORT = None
    transport._client.cache_clear()


def test_silent_dependency_is_a_504_within_the_timeout(
    api: Api, settings: Any, silent_server: str
) -> None:
    _point_orders_at(settings, silent_server, 0.5)
    customer = new_id()
    started = time.monotonic()
    response = api.call("POST", "/orders", _order(customer), bearer(customer))
    elapsed = time.monotonic() - started
    transport._client.cache_clear()
    assert_problem(response, 504, "did not answer")
    assert elapsed < 3


def test_refused_connection_is_a_503(api: Api, settings: Any) -> None:
    _point_orders_at(settings, f"http://127.0.0.1:{free_port()}", 2.0)
    customer = new_id()
    response = api.call("POST", "/orders", _order(customer), bearer(customer))
    transport._client.cache_clear()
    body = assert_problem(response, 503, "unreachable")
    assert response["Retry-After"]
    assert "customers service" in body["detail"]
