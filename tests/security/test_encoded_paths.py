"""Encoded slashes and other spellings read alike by the gateway and by services.

An API whose path values contain ``/`` (AWS ARNs, GitLab's ``group%2Fproject``)
is generated and run as real processes: under gunicorn (WSGI, ``RAW_URI``) with
the gateway in front, and under ``specfirst serve`` (uvicorn, ASGI
``raw_path``). Each spelling is sent byte for byte through the gateway and
straight to both servers: all three must choose the same operation (named in
the 501 problem of the unimplemented stub) or refuse it with the same 400, and
a value with ``/`` must reach the operation decoded (the parameters' patterns
accept only the decoded value, so a value seen still encoded would be a 400).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from codegen.generator.generation import Target, plan
from tests.conftest import REPO_ROOT, free_port
from tests.gateway.conftest import Proc, start, start_gateway, write_tree
from tests.security.wire import RawAnswer, exchange, get, parse_answer

pytestmark = pytest.mark.e2e

SPEC = """
openapi: 3.1.0
info: {title: arns, version: "1"}
paths:
  /tags/{resourceArn}:
    get:
      operationId: listTags
      parameters:
        - {name: resourceArn, in: path, required: true,
           schema: {type: string, pattern: '^arn:aws:s3:::[a-z]+(/[a-z.]+)*$'}}
      responses: {"200": {description: ok}}
  /tags/{resourceArn}/keys:
    get:
      operationId: listTagKeys
      parameters:
        - {name: resourceArn, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok}}
  /projects/{id}:
    get:
      operationId: getProject
      parameters:
        - {name: id, in: path, required: true,
           schema: {type: string, pattern: '^[a-z]+/[a-z]+$'}}
      responses: {"200": {description: ok}}
"""

WSGI = """
from django.core.wsgi import get_wsgi_application
from servicekit.contract.serve import configure

configure("arns_api", ["127.0.0.1"])
application = get_wsgi_application()
"""

NOT_ROUTED = "is not routed (clients and proxies remove dot segments)"
# target -> the operation all three must reach (its stub answers 501), or the
# detail of the 400 problem all three must refuse it with
SPELLINGS = {
    "/tags/arn:aws:s3:::bucket%2Fkey": "listTags",
    "/tags/arn:aws:s3:::bucket%2fkey%2Fmore": "listTags",
    "/tags/arn:aws:s3:::bucket/keys": "listTagKeys",
    "/tags/arn:aws:s3:::bucket%2Fkeys/keys": "listTagKeys",
    "/projects/group%2Fproject": "getProject",
    "/tags/arn:aws:s3:::a%2F..%2Fb": "listTags",
    "/tags/arn:aws:s3:::a%2F%2E%2E%2Fb": "listTags",
    "/tags/%2E%2E/keys": f"the dot segment '%2E%2E' {NOT_ROUTED}",
    "/tags/.%2e/keys": f"the dot segment '.%2e' {NOT_ROUTED}",
    "/tags//keys": "empty path segments ('//') are not routed",
    "/tags/a%zz/keys": "the segment 'a%zz' has a '%' that starts no escape",
    "/tags/a%00/keys": "the segment 'a%00' encodes NUL (%00)",
    "/tags/%C3/keys": "the segment '%C3' encodes bytes that are not UTF-8",
}


@dataclass(frozen=True)
class Servers:
    gateway: Proc
    wsgi: Proc  # gunicorn, the gateway's upstream
    asgi: Proc  # specfirst serve

    def send(self, target: str) -> dict[str, RawAnswer]:
        """``GET target``, byte for byte, to each of the three."""
        procs = {"gateway": self.gateway, "wsgi": self.wsgi, "asgi": self.asgi}
        return {name: _send(proc, target) for name, proc in procs.items()}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    root = tmp_path_factory.mktemp("encoded")
    spec = root / "specs" / "arns.yaml"
    wsgi_port, asgi_port = free_port(), free_port()
    write_tree(
        root,
        {
            "specs/arns.yaml": SPEC,
            "arns_wsgi.py": WSGI,
            "specfirst.toml": f'specs = "specs"\n[services.arns]\nupstream = '
            f'"http://127.0.0.1:{wsgi_port}"\n',
        },
    )
    result = plan([Target(spec, root / "arns_api", app=True)])
    assert not result.failed, [d.format() for d in result.diagnostics]
    for fileset in result.filesets:
        fileset.write()
    pythonpath = f"{root},{REPO_ROOT / 'services'}"
    gunicorn = [sys.executable, "-m", "gunicorn", "--pythonpath", pythonpath,
                "--bind", f"127.0.0.1:{wsgi_port}", "arns_wsgi:application"]  # fmt: skip
    serve = [str(Path(sys.executable).parent / "specfirst"), "serve", str(spec),
             "--port", str(asgi_port)]  # fmt: skip
    procs: list[Proc] = []
    try:
        procs.append(start(gunicorn, wsgi_port, root / "wsgi.log", probe="/"))
        procs.append(start(serve, asgi_port, root / "asgi.log", probe="/"))
        procs.append(start_gateway(root))
        yield Servers(gateway=procs[2], wsgi=procs[0], asgi=procs[1])
    finally:
        for proc in procs:
            proc.stop()


def _send(proc: Proc, target: str) -> RawAnswer:
    answer = parse_answer(exchange(proc.port, get(target), half_close=False))
    assert answer.headers["content-type"] == "application/problem+json", answer.body
    return answer


@pytest.mark.parametrize(("target", "expected"), SPELLINGS.items())
def test_gateway_and_both_servers_choose_alike(
    servers: Servers, target: str, expected: str
) -> None:
    answers = {
        name: (answer.status, answer.json()["detail"])
        for name, answer in servers.send(target).items()
    }
    if " " in expected:
        wanted = (400, expected)
    else:  # an operation id
        wanted = (501, f"Operation {expected} is not implemented yet.")
    assert answers == {"gateway": wanted, "wsgi": wanted, "asgi": wanted}


def test_values_reach_the_operation_decoded_once(servers: Servers) -> None:
    """``%252F`` is the value ``%2F``: not ``group/project``, which the
    parameter's pattern requires, so every server finds it invalid."""
    invalid = [
        {"parameter": "id", "in": "path", "detail": "Must match the pattern ^[a-z]+/[a-z]+$."}
    ]
    for name, answer in servers.send("/projects/group%252Fproject").items():
        assert (answer.status, answer.json()["errors"]) == (400, invalid), name
