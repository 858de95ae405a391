"""``specfirst serve SPEC --mock``: the generated runtime answering mock data.

:mod:`.views` subclasses every generated ViewSet stub so each operation,
after the runtime has validated the request, answers what
:mod:`codegen.designer.mock` chooses; :mod:`.serve` serves that like ``specfirst serve``.

It lives in the CLI layer because it joins two siblings that must not import each
other: the runtime (``servicekit``, Django) and the designer's mock engine (no Django).
Only the layer above both may wire them together (docs/architecture.md, "Layers").
"""
