"""``paused_collector``: no cyclic collection while a command builds its state."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from codegen.cli.heap import paused_collector


@pytest.fixture
def restored_collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("restored_collector")
def test_collector_is_off_inside_and_survivors_are_frozen_after() -> None:
    gc.enable()
    gc.unfreeze()
    with paused_collector():
        assert not gc.isenabled()
        survivors = [object() for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(survivors)


@pytest.mark.usefixtures("restored_collector")
def test_a_disabled_collector_stays_disabled_even_after_an_error() -> None:
    gc.disable()
    with pytest.raises(RuntimeError), paused_collector():
        raise RuntimeError("startup failed")
    assert not gc.isenabled()
