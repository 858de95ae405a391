"""Compare the effective security of an operation in two versions.

Security is a list of alternatives (OR), each a set of schemes that must all
pass (AND), each scheme with scopes. A client that satisfied some old
alternative must still satisfy some new one: if no new alternative needs only
schemes (and scopes) the old one had, the change breaks that client. An empty
list, or an empty alternative ``{}``, means anonymous access.

Example: ``[{bearer: [orders:read]}]`` → ``[{bearer: [orders:read, orders:write]}]``
reports SF471 (scope added); ``[]`` → ``[{bearer: []}]`` reports SF470.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codegen.designer.diff.model import DiffContext

if TYPE_CHECKING:
    from codegen.designer.lint.document import Document, Node, OperationNode

Requirement = dict[str, frozenset[str]]


def requirements(doc: Document, op: OperationNode) -> list[Requirement]:
    """The effective alternatives; ``[{}]`` (anonymous) when there are none."""
    node = doc.security(op)
    found: list[Requirement] = []
    for item in node.value if isinstance(node.value, list) else []:
        if isinstance(item, dict):
            found.append(
                {
                    str(name): frozenset(s for s in scopes if isinstance(s, str))
                    if isinstance(scopes, list)
                    else frozenset()
                    for name, scopes in item.items()
                }
            )
    return found or [{}]


def _satisfies(client: Requirement, needed: Requirement) -> bool:
    """A client able to pass ``client`` also passes ``needed``."""
    return all(name in client and scopes <= client[name] for name, scopes in needed.items())


def _freeze(requirement: Requirement) -> frozenset[tuple[str, frozenset[str]]]:
    return frozenset(requirement.items())


def _show(requirement: Requirement) -> str:
    if not requirement:
        return "anonymous access"
    return " + ".join(
        f"{name} [{', '.join(sorted(scopes))}]" if scopes else name
        for name, scopes in sorted(requirement.items())
    )


SCHEME_FIELDS = ("type", "scheme", "in", "name", "openIdConnectUrl")


def _scheme_shape(node: Node) -> dict[str, object]:
    """What a client must do to pass a scheme: ``{type: http, scheme: bearer}``."""
    shape: dict[str, object] = {key: node.get(key) for key in SCHEME_FIELDS}
    if isinstance(shape["scheme"], str):
        shape["scheme"] = shape["scheme"].lower()  # HTTP auth schemes are case-insensitive
    flows = node.get("flows")
    shape["flows"] = sorted(flows) if isinstance(flows, dict) else None
    return shape


def _compare_schemes(ctx: DiffContext, before: list[Requirement], after: list[Requirement]) -> None:
    """SF473 for a scheme used before and after whose definition changed."""
    used_before = {name for requirement in before for name in requirement}
    used_after = {name for requirement in after for name in requirement}
    for name in sorted(used_before & used_after):
        old = ctx.old.deref(ctx.old.root.child("components", "securitySchemes", name))
        new = ctx.new.deref(ctx.new.root.child("components", "securitySchemes", name))
        old_shape, new_shape = _scheme_shape(old), _scheme_shape(new)
        changed = [key for key in old_shape if old_shape[key] != new_shape[key]]
        if changed:
            ctx.report(
                "SF473",
                f"security scheme {name!r} changed ({', '.join(changed)}): clients must "
                "authenticate differently",
                old,
                new,
                once=True,
            )


def compare_security(ctx: DiffContext, old: OperationNode, new: OperationNode) -> None:
    name = f"{new.method.upper()} {new.path}"
    before, after = requirements(ctx.old, old), requirements(ctx.new, new)
    at_old, at_new = ctx.old.security(old), ctx.new.security(new)
    broken = False
    for client in before:
        if any(_satisfies(client, needed) for needed in after):
            continue
        broken = True
        same_schemes = [n for n in after if set(n) == set(client)]
        if same_schemes:
            extra = sorted(set().union(*(n[s] - client[s] for n in same_schemes for s in n)))
            ctx.report(
                "SF471",
                f"{name}: security {_show(client)} now also needs scope(s) {', '.join(extra)}",
                at_old,
                at_new,
            )
        else:
            options = " or ".join(_show(n) for n in after)
            ctx.report(
                "SF470",
                f"{name}: clients using {_show(client)} now need {options}",
                at_old,
                at_new,
            )
    _compare_schemes(ctx, before, after)
    if not broken and set(map(_freeze, before)) != set(map(_freeze, after)):
        ctx.report(
            "SF472",
            f"{name}: security relaxed from {' or '.join(map(_show, before))} to "
            f"{' or '.join(map(_show, after))}",
            at_old,
            at_new,
        )
