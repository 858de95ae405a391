"""The login: an OAuth 2.0 token endpoint (RFC 6749) that signs RS256 access tokens.

* :mod:`customers.oauth.keys`: the signing keys, their rotation and the JWKS;
* :mod:`customers.oauth.tokens`: access tokens (JWTs) and rotating refresh tokens;
* :mod:`customers.oauth.clients`: OAuth clients (services, admins) and their secrets;
* :mod:`customers.oauth.throttle`: failed logins per username and per client IP;
* :mod:`customers.oauth.grants`: the grant types, from a form to tokens or an OAuth error.
"""
