"""THE route compiler and precedence: one implementation for every router.

The gateway's matcher, the generated services' URL resolution
(``servicekit.contract.urls``), the nginx export and the Gateway API
HTTPRoutes all route with this package, so a request reaches the same
operation wherever it is routed. It needs no Django and imports nothing
else of ours.

=================  ===========================================================
``kinds``          what a path parameter matches, from its schema facts
``templates``      OpenAPI path template -> :class:`~.templates.CompiledPath`;
                   building a path back from values
``keys``           path keys with a ``#...``/``?...`` suffix -> template + suffix
``select``         choosing among operations sharing method and path, by the
                   query/header parameters their suffixes name
``canonical``      raw request path -> decoded segments, or why it is refused
``matcher``        the segment trie: (method, path) -> route | 404 | 405 | 400
``regex``          the regex form of a template (Django ``re_path``, nginx, RE2)
=================  ===========================================================

Precedence, at each segment position: literal, then enum parameter, then
typed parameter (integer, uuid), then partial segment (``{name}:verb``,
``v{major}``), then a plain string parameter; the path is chosen first and
the method second (a known path with another method is a 405).
"""
