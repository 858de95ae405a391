"""``Forked``: a computation in a forked child gives what it gives in-process
(its result, its exception), even when the child dies without answering; and
``load_api(concurrently=True)`` finds what the sequential call finds."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.core.forked import Forked
from codegen.core.loading import load_api


def test_the_result_is_computed_in_a_child() -> None:
    parent = os.getpid()
    assert Forked(os.getpid).result() != parent
    assert Forked(lambda: {"answer": [42]}).result() == {"answer": [42]}


def test_the_childs_exception_is_raised_by_result() -> None:
    def fail() -> None:
        raise ValueError("bad spec")

    pending = Forked(fail)
    with pytest.raises(ValueError, match="bad spec"):
        pending.result()


def test_a_child_that_dies_without_answering_is_computed_here() -> None:
    parent = os.getpid()

    def die_in_the_child() -> int:
        if os.getpid() != parent:
            os._exit(3)
        return 7

    assert Forked(die_in_the_child).result() == 7


SPEC = """
openapi: 3.0.3
info: {title: Forked, version: "1"}
paths:
  /a/{id}:
    get:
      operationId: getA
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, default: x}}
      responses:
        "200": {description: OK.}
  /b:
    get:
      operationId: getA
      responses:
        "200": {description: OK.}
"""


UNIQUE_IDS = SPEC.replace(
    "operationId: getA\n      responses", "operationId: getB\n      responses"
)


@pytest.mark.parametrize(
    ("text", "codes", "blocked"),
    [(SPEC, ["SF120", "SF110"], True), (UNIQUE_IDS, ["SF120"], False)],
)
def test_load_api_finds_the_same_concurrently(
    write_spec: Callable[..., Path], text: str, codes: list[str], blocked: bool
) -> None:
    """Validation's findings (SF110 blocks, SF120 does not) come back from the
    child, combined with the build's as they are sequentially."""
    spec = write_spec(text)
    sequential = load_api(spec)
    concurrent = load_api(spec, concurrently=True)
    assert concurrent[1] == sequential[1]
    assert [d.code for d in concurrent[1]] == codes
    assert (concurrent[0] is None) is blocked
