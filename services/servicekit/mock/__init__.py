"""``specfirst serve SPEC --mock``: the generated runtime answering mock data.

:mod:`.views` subclasses every generated ViewSet stub so each operation,
after the runtime has validated the request, answers what
``codegen.mock`` chooses; :mod:`.serve` serves that like ``specfirst serve``.
"""
