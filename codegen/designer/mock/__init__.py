"""Mock responses for any spec: examples, generated data and in-memory state.

Pure Python (no Django). :mod:`.schema` turns response schemas into JSON
Schema that keeps discriminators; :mod:`codegen.core.synth` builds a value that
validates against one; :mod:`.catalog` reads each operation's responses, examples and links;
:mod:`.responder` picks the answer for one request; :mod:`.state` is the
engine, remembering created resources with ``--stateful``.
``codegen.cli.mockserver`` plugs the engine into the generated DRF runtime for
``specfirst serve --mock``. See docs/mock.md.
"""
