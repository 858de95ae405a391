"""The development credentials that the gateway, the services and the test tools share.

They make a fresh checkout work with no configuration, and they are public:
production sets its own (``SPECFIRST_JWT_SECRET``, ``SPECFIRST_API_KEYS``,
``SPECFIRST_JWT_ISSUER``, ``SPECFIRST_JWT_AUDIENCE``). Bearer tokens always
carry an issuer and an audience, and every verifier checks both, so a token
minted for another system with the same secret is still refused.
"""

from __future__ import annotations

DEV_JWT_SECRET = "specfirst-development-jwt-secret-change-me"
DEV_API_KEY = "specfirst-dev-api-key"
DEV_JWT_ISSUER = "specfirst"
DEV_JWT_AUDIENCE = "specfirst-api"

# The Ed25519 key pair that signs the identity the gateway forwards
# (codegen.core.auth.forwarded). Public, like the values above: the services refuse
# its public half in production mode, so a deployment must bring its own pair.
DEV_IDENTITY_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIA/Aj63/ltPoQuEZdqgns6psI1iJz2HCAW2ipXd5Ublr
-----END PRIVATE KEY-----
"""
DEV_IDENTITY_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEARgReGXzeJfguvnUVZMJ1WQ+lIqaKUBrnHQAgoKF1kJY=
-----END PUBLIC KEY-----
"""
