"""Read specs as they were at a git revision, for ``specfirst diff --base REF``.

The files under the spec directory at ``REF`` are written (with ``git show
REF:path``) into a temporary directory that mirrors the repository layout, so
relative ``$ref`` between spec files still resolve. Locations in that copy are
shown as ``REF:path`` (e.g. ``main:specs/orders.yaml``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from codegen.core.errors import UserError


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60
        )
    except FileNotFoundError:
        raise UserError("git is not installed; --base and release need it") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UserError(f"git {' '.join(args)} failed: {message[-1] if message else 'error'}")
    return result.stdout


def git_output(args: list[str], cwd: Path) -> str:
    """The standard output of ``git ARGS`` as text; :class:`UserError` on failure."""
    return _git(args, cwd).decode("utf-8", "replace")


def repository_root(cwd: Path) -> Path:
    """The top of the git work tree containing ``cwd``."""
    return Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())


def verify_ref(ref: str, root: Path) -> None:
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    except UserError:
        raise UserError(f"--base {ref!r} is not a commit in {root}") from None


def files_at(ref: str, directory: PurePosixPath, root: Path) -> list[PurePosixPath]:
    """Every file under ``directory`` (relative to the repository root) at ``ref``."""
    listing = _git(["ls-tree", "-r", "--name-only", "-z", ref, "--", f"{directory}/"], root)
    return [PurePosixPath(name) for name in listing.decode("utf-8").split("\0") if name]


def export(ref: str, files: list[PurePosixPath], root: Path, destination: Path) -> None:
    """Write each file as it was at ``ref`` below ``destination``."""
    for name in files:
        target = destination.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git(["show", f"{ref}:{name}"], root))


def merge_base(branch: str, root: Path) -> str | None:
    """The merge base of HEAD and ``branch`` (or ``origin/<branch>``), None if
    neither exists or they share no history."""
    for candidate in (branch, f"origin/{branch}"):
        try:
            found = _git(["merge-base", "HEAD", candidate], root).decode().strip()
        except UserError:
            continue
        if found:
            return found[:12]  # unambiguous in practice, and readable in REF:path locations
    return None
