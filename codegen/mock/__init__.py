"""Mock responses for any spec: examples, generated data and in-memory state.

Pure Python (no Django): :mod:`.instance` builds a value that validates
against a JSON Schema, :mod:`.catalog` reads each operation's responses from
a loaded spec, :mod:`.responder` picks the answer for one request and
:mod:`.state` remembers created resources. ``servicekit.mock`` plugs the
responder into the generated DRF runtime for ``specfirst serve --mock``.
"""
