"""``specfirst release``: the next version of a service's spec from its diff since
the last release tag, a CHANGELOG.md section, and ``--check`` for CI
(docs/release.md)."""
