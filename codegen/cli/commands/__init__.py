"""The ``specfirst`` commands: one module each, with ``register(app)``."""
