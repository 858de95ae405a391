"""Authentication rules shared by the gateway, the services and the tools.

``defaults`` holds the development credentials every process agrees on;
``forwarded`` signs and verifies the identity the gateway forwards;
``login`` finds a spec's OAuth 2.0 token endpoint by its shape.
"""
