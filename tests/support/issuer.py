"""A token issuer for tests: RSA keys it controls, a JWKS it serves on 127.0.0.1.

The ``issuer`` fixture (:mod:`tests.conftest`) yields one; ``issuer.add_key()``
rotates a key in, ``issuer.token(kid)`` signs a token the development gateway
accepts (its ``iss``/``aud``), ``issuer.fetches`` counts JWKS requests and
``issuer.delay`` slows them down.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from codegen.core.auth.defaults import DEV_JWT_AUDIENCE, DEV_JWT_ISSUER


class Issuer:
    """A JWKS served on 127.0.0.1 with keys the test controls, counting fetches."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0
        self.delay = 0.0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                issuer.fetches += 1
                time.sleep(issuer.delay)
                body = json.dumps(issuer.jwks()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add_key(self) -> str:
        kid = uuid.uuid4().hex[:12]
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return kid

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, key in self.keys.items():
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": keys}

    def token(self, kid: str, key: rsa.RSAPrivateKey | None = None, **changes: object) -> str:
        """A token signed by ``key`` (default: the key ``kid``); ``changes`` replace
        claims, ``None`` drops one (``token(kid, sub=None)``)."""
        now = int(time.time())
        claims = {"sub": "stub-admin", "scope": "admin", "iss": DEV_JWT_ISSUER,
                  "aud": DEV_JWT_AUDIENCE, "iat": now, "exp": now + 300}  # fmt: skip
        claims.update(changes)
        claims = {name: value for name, value in claims.items() if value is not None}
        signer = key or self.keys[kid]
        return jwt.encode(claims, signer, algorithm="RS256", headers={"kid": kid})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
