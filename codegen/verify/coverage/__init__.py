"""Contract coverage: what ``specfirst test`` exercised of each spec.

:mod:`.model` lists the coverage items of a spec (from its IR, each with a JSON
pointer and spec line), :mod:`.shapes` finds the body items in one JSON value,
:mod:`.recorder` marks items hit by the cases and responses of schemathesis
scenarios, :mod:`.result` counts them per kind against the thresholds and
exclusions of :mod:`.settings`, and :mod:`.render` prints the table, the JSON
and the HTML pages. docs/coverage.md explains every kind.
"""
