"""The breaking-change check catalogue: stable ids (SF4xx), names and levels.

Every change the diff reports carries one of these ids; the level is fixed per
id, so ``--fail-on`` and docs/diff.md agree. *Request* checks are about what
the server accepts (narrowing breaks clients), *response* checks about what it
promises (weakening breaks clients).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.IntEnum):
    """Ordered: ``max()`` gives the worst; ``--fail-on`` compares with ``>=``."""

    NON_BREAKING = 1
    POTENTIALLY_BREAKING = 2
    BREAKING = 3

    def __str__(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def parse(cls, text: str) -> Level:
        return cls[text.upper().replace("-", "_")]


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    name: str
    level: Level
    summary: str


B, P, N = Level.BREAKING, Level.POTENTIALLY_BREAKING, Level.NON_BREAKING

CHECKS: tuple[Check, ...] = (
    Check("SF401", "path-removed", B, "A path (with all its operations) was removed."),
    Check("SF402", "operation-removed", B, "An operation (method on a path) was removed."),
    Check("SF403", "path-added", N, "A path was added."),
    Check("SF404", "operation-added", N, "An operation was added to an existing path."),
    Check("SF405", "operation-deprecated", N, "An operation was marked deprecated."),
    Check("SF406", "operation-id-changed", P, "An operationId changed (SDK method names change)."),
    Check("SF407", "path-parameter-renamed", N, "A path parameter was renamed in place."),
    Check("SF410", "parameter-required-added", B, "A required parameter was added."),
    Check("SF411", "parameter-optional-added", N, "An optional parameter was added."),
    Check("SF412", "parameter-removed", P, "A parameter was removed (clients may still send it)."),
    Check("SF413", "parameter-made-required", B, "An optional parameter became required."),
    Check("SF414", "parameter-made-optional", N, "A required parameter became optional."),
    Check("SF415", "parameter-type-changed", B, "A parameter's type changed incompatibly."),
    Check("SF416", "parameter-location-changed", B, "A parameter moved (e.g. query to header)."),
    Check("SF417", "parameter-style-changed", B, "A parameter's style or explode changed."),
    Check("SF420", "request-body-added-required", B, "A required request body was added."),
    Check("SF421", "request-body-made-required", B, "An optional request body became required."),
    Check("SF422", "request-body-removed", P, "The request body was removed."),
    Check("SF423", "request-media-type-removed", B, "A request media type is no longer accepted."),
    Check("SF424", "request-media-type-added", N, "A request media type is now accepted."),
    Check(
        "SF425", "request-body-relaxed", N, "An optional body was added or a body made optional."
    ),
    Check("SF430", "request-property-required-added", B, "A required request property was added."),
    Check(
        "SF431",
        "request-property-made-required",
        B,
        "An optional request property became required.",
    ),
    Check("SF432", "request-type-changed", B, "A request value's type changed incompatibly."),
    Check(
        "SF433",
        "request-limit-narrowed",
        B,
        "A request limit tightened (maxLength down, minLength up, minimum up, maximum down, "
        "maxItems down, minItems up, uniqueItems added, ...).",
    ),
    Check("SF434", "request-pattern-added", B, "A request string gained a pattern."),
    Check(
        "SF435",
        "request-enum-narrowed",
        B,
        "A request enum lost a value, or a request value was restricted to an enum.",
    ),
    Check(
        "SF436",
        "request-additional-properties-closed",
        B,
        "A request object no longer accepts (or now constrains) additional properties.",
    ),
    Check("SF437", "request-null-removed", B, "A request value no longer accepts null."),
    Check(
        "SF438", "request-variant-removed", B, "A oneOf/anyOf alternative of a request was removed."
    ),
    Check(
        "SF439",
        "request-constraint-changed",
        P,
        "A request pattern, format or multipleOf changed (may or may not be narrower).",
    ),
    Check("SF440", "request-property-removed", P, "A request property was removed."),
    Check(
        "SF441",
        "request-widened",
        N,
        "A request accepts more than before (limit relaxed, enum value or variant added, "
        "null allowed, type widened, pattern removed, property made optional, ...).",
    ),
    Check("SF442", "request-property-added", N, "An optional request property was added."),
    Check("SF450", "response-status-removed", B, "A response status code was removed."),
    Check("SF451", "response-status-added", N, "An error (non-2XX) response status was added."),
    Check(
        "SF452", "success-status-changed", B, "The success status code changed (e.g. 200 to 201)."
    ),
    Check("SF453", "success-status-added", P, "A further success status was added."),
    Check("SF454", "response-media-type-removed", B, "A response media type was removed."),
    Check("SF455", "response-media-type-added", N, "A response media type was added."),
    Check("SF456", "response-property-removed", B, "A response property was removed."),
    Check(
        "SF457",
        "response-property-made-optional",
        B,
        "A required response property became optional.",
    ),
    Check("SF458", "response-made-nullable", B, "A response value may now be null."),
    Check(
        "SF459",
        "response-enum-widened",
        B,
        "A response enum gained a value (or a response value is no longer an enum).",
    ),
    Check("SF460", "response-type-changed", B, "A response value's type changed or widened."),
    Check("SF461", "response-property-added", N, "A response property was added."),
    Check(
        "SF462",
        "response-strengthened",
        N,
        "A response promises more than before (property made required, enum value removed, "
        "null removed, limit tightened, variant removed, ...).",
    ),
    Check(
        "SF463",
        "response-limit-widened",
        P,
        "A response limit relaxed (maxLength up, pattern removed, additional properties "
        "allowed, ...): clients may receive values they did not expect.",
    ),
    Check(
        "SF464",
        "response-constraint-changed",
        P,
        "A response pattern, format or multipleOf changed.",
    ),
    Check(
        "SF465", "response-variant-added", B, "A oneOf/anyOf alternative of a response was added."
    ),
    Check("SF466", "response-header-removed", B, "A response header was removed."),
    Check("SF467", "response-header-added", N, "A response header was added."),
    Check(
        "SF468", "response-header-made-optional", B, "A required response header became optional."
    ),
    Check("SF470", "security-requirement-added", B, "A security requirement (scheme) was added."),
    Check("SF471", "security-scope-added", B, "A security requirement needs an additional scope."),
    Check(
        "SF472",
        "security-relaxed",
        N,
        "Security accepts more than before (alternative added, scheme or scope removed).",
    ),
    Check(
        "SF473",
        "security-scheme-changed",
        B,
        "A security scheme in use changed how clients authenticate (type, scheme, "
        "header or query name, flows).",
    ),
    Check("SF480", "spec-added", N, "A spec file was added."),
    Check("SF481", "spec-removed", B, "A spec file was removed."),
    Check(
        "SF490",
        "documentation-changed",
        N,
        "A summary, description or title changed.",
    ),
)

CHECKS_BY_ID: dict[str, Check] = {check.id: check for check in CHECKS}
