"""CLI layer: the ``specfirst`` command (:mod:`.app`), one module per command under
``commands/``, terminal output (:mod:`.console`), ``up/`` (run everything), ``scaffold/``
(``specfirst new``) and ``mockserver/`` (``serve --mock``).

The top layer: the only one that may import every other (generator, designer, verify,
gateway, servicekit) and wire them together.
"""
