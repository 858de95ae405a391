"""``specfirst release`` in a temporary git repository: tags, semver, changelog, --check, SDK."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codegen.core.changelog import for_readme
from codegen.designer.release.semver import Bump, Version, VersionError
from codegen.designer.release.tags import latest_tag

SPEC = """\
openapi: 3.1.0
info:
  title: Shop
  version: 1.0.0
paths:
  /items:
    get:
      operationId: listItems
      summary: List items
      parameters:
        - {name: sort, in: query, schema: {type: string}}
      responses:
        '200':
          description: The items.
          content:
            application/json:
              schema:
                type: object
                required: [count]
                properties:
                  count: {type: integer}
                  total: {type: integer}
"""
SPECFIRST = str(Path(sys.executable).with_name("specfirst"))


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=repo, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
             "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"},
    )  # fmt: skip


def git(repo: Path, *args: str) -> str:
    result = run(repo, "git", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def release(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(repo, SPECFIRST, "release", "shop", *args)


def edit(repo: Path, old: str, new: str) -> None:
    spec = repo / "specs" / "shop.yaml"
    text = spec.read_text()
    assert text.count(old) == 1, old
    spec.write_text(text.replace(old, new))


def commit(repo: Path, message: str, tag: str | None = None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    if tag:
        git(repo, "tag", tag)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "shop.yaml").write_text(SPEC)
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "first")
    return tmp_path


def version(repo: Path) -> str:
    for line in (repo / "specs" / "shop.yaml").read_text().splitlines():
        if line.startswith("  version:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no version line")


def changelog(repo: Path) -> str:
    return (repo / "specs" / "shop.CHANGELOG.md").read_text()


def test_a_service_is_released_by_semver_from_its_tags(repo: Path) -> None:
    first = release(repo)
    assert first.returncode == 0, first.stderr
    assert "first release, 1.0.0" in first.stdout and "git tag shop-v1.0.0" in first.stdout
    assert "## 1.0.0 (" in changelog(repo) and "Initial release." in changelog(repo)
    commit(repo, "release 1.0.0", "shop-v1.0.0")

    # an optional parameter: minor
    edit(repo, "        - {name: sort, in: query, schema: {type: string}}\n",
         "        - {name: sort, in: query, schema: {type: string}}\n"
         "        - {name: q, in: query, schema: {type: string}}\n")  # fmt: skip
    assert "minor release -> 1.1.0" in release(repo, "--dry-run").stdout
    assert version(repo) == "1.0.0"  # a dry run writes nothing
    minor = release(repo)
    assert minor.returncode == 0, minor.stderr
    assert version(repo) == "1.1.0"
    text = changelog(repo)
    assert text.index("## 1.1.0") < text.index("## 1.0.0")
    section = text[text.index("## 1.1.0") : text.index("## 1.0.0")]
    assert "### Added\n\n- [GET /items](shop.yaml#L12): optional query parameter 'q' added " \
           "(SF411)" in section  # fmt: skip
    commit(repo, "release 1.1.0", "shop-v1.1.0")

    # a documentation edit: patch
    edit(repo, "summary: List items", "summary: List every item")
    release(repo)
    assert version(repo) == "1.1.1"
    assert "Documentation: 1 description or summary edit(s)." in changelog(repo)
    commit(repo, "release 1.1.1", "shop-v1.1.1")

    # a response property removed: breaking, so major; --check refuses until it is bumped
    edit(repo, "                  total: {type: integer}\n", "")
    refused = release(repo, "--check")
    assert refused.returncode == 1
    assert (
        "1 breaking or potentially breaking change(s) since shop-v1.1.1, but info.version "
        "1.1.1 is not a major step from 1.1.1"
    ) in refused.stderr
    assert "(it proposes 2.0.0)" in refused.stderr
    major = release(repo)
    assert major.returncode == 0 and version(repo) == "2.0.0"
    assert "### Breaking changes\n\n- [GET /items](shop.yaml#L" in changelog(repo)
    assert " response 200 (application/json) total: optional property removed (SF456)" in (
        changelog(repo)
    )
    checked = release(repo, "--check")
    assert checked.returncode == 0, checked.stderr
    again = release(repo)  # idempotent: the version and the section are there already
    assert again.returncode == 0 and changelog(repo).count("## 2.0.0") == 1


def test_check_accepts_a_hand_made_major_bump_and_compares_with_base(repo: Path) -> None:
    git(repo, "tag", "shop-v1.0.0")
    edit(repo, "                  total: {type: integer}\n", "")
    edit(repo, "version: 1.0.0", "version: 2.0.0-rc1")
    assert release(repo, "--check").returncode == 0
    edit(repo, "version: 2.0.0-rc1", "version: 1.0.0")
    assert release(repo, "--check", "--base", "shop-v1.0.0").returncode == 1
    assert release(repo, "--check", "--base", "HEAD~0").returncode == 1
    nowhere = release(repo, "--check", "--base", "no-such-ref")
    assert nowhere.returncode == 2 and "is not a commit" in nowhere.stderr


def test_check_without_a_service_checks_every_service(repo: Path) -> None:
    (repo / "specs" / "depot.yaml").write_text(SPEC.replace("title: Shop", "title: Depot"))
    commit(repo, "a second service")
    git(repo, "tag", "shop-v1.0.0")
    git(repo, "tag", "depot-v1.0.0")
    edit(repo, "                  total: {type: integer}\n", "")  # shop only: breaking
    every = run(repo, SPECFIRST, "release", "--check")
    assert every.returncode == 1, every.stdout + every.stderr
    assert "depot: 0 change(s) since depot-v1.0.0 (1.0.0): none release -> 1.0.0" in every.stdout
    assert "shop: 1 change(s) since shop-v1.0.0" in every.stdout
    assert "specs/shop.yaml: 1 breaking" in every.stderr and "depot.yaml" not in every.stderr
    edit(repo, "version: 1.0.0", "version: 2.0.0")
    assert run(repo, SPECFIRST, "release", "--check").returncode == 0
    unnamed = run(repo, SPECFIRST, "release", "--dry-run")
    assert unnamed.returncode == 2 and "name the SERVICE to release" in unnamed.stderr


def test_the_sdk_carries_the_version_and_shows_the_changelog(repo: Path) -> None:
    git(repo, "tag", "shop-v1.0.0")
    edit(repo, "        - {name: sort, in: query, schema: {type: string}}\n",
         "        - {name: sort, in: query, schema: {type: string}}\n"
         "        - {name: q, in: query, schema: {type: string}}\n")  # fmt: skip
    assert release(repo).returncode == 0
    sdk = run(repo, SPECFIRST, "sdk", "--service", "shop", "--out", "sdk")
    assert sdk.returncode == 0, sdk.stderr
    assert 'version = "1.1.0"' in (repo / "sdk" / "pyproject.toml").read_text()
    readme = (repo / "sdk" / "README.md").read_text()
    assert "## Changelog\n\n### 1.1.0 (" in readme
    assert "#### Added\n\n- GET /items: optional query parameter 'q' added (SF411)" in readme
    assert "shop.yaml#L" not in readme  # links into the spec do not resolve in a package


def test_a_spec_without_a_semantic_version_is_refused(repo: Path) -> None:
    edit(repo, "version: 1.0.0", "version: latest")
    refused = release(repo)
    assert refused.returncode == 2
    assert "info.version 'latest' is not a semantic version" in refused.stderr
    unknown = run(repo, SPECFIRST, "release", "nope")
    assert "no service 'nope'" in unknown.stderr and unknown.returncode == 2


def test_the_latest_tag_is_the_highest_semver_of_the_service(repo: Path) -> None:
    for tag in ("shop-v1.9.0", "shop-v1.10.0", "shop-v2.0.0-rc1", "shop-vnext", "shopping-v9.0.0"):
        git(repo, "tag", tag)
    assert latest_tag("shop", repo) == "shop-v2.0.0-rc1"
    git(repo, "tag", "shop-v2.0.0")
    assert latest_tag("shop", repo) == "shop-v2.0.0"
    assert latest_tag("orders", repo) is None


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [("1.4.2", Bump.MAJOR, "2.0.0"), ("1.4.2", Bump.MINOR, "1.5.0"),
     ("1.4.2", Bump.PATCH, "1.4.3"), ("1.4.2-rc.1", Bump.PATCH, "1.4.3"),
     ("0.9.0", Bump.NONE, "0.9.0")],
)  # fmt: skip
def test_bumps(text: str, kind: Bump, expected: str) -> None:
    assert str(Version.parse(text).bump(kind)) == expected


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "01.0.0", "1.0.0.0", ""])
def test_versions_that_are_not_semver(text: str) -> None:
    with pytest.raises(VersionError, match="is not a semantic version"):
        Version.parse(text)


def test_changelog_for_readme_unlinks_and_demotes() -> None:
    text = textwrap.dedent("""\
        # Changelog

        ## 2.0.0 (2026-12-03)

        ### Breaking changes

        - [GET /items](shop.yaml#L12): gone (SF402), see [docs](https://example.com/x)
        """)
    assert for_readme(text) == (
        "### 2.0.0 (2026-12-03)\n\n#### Breaking changes\n\n"
        "- GET /items: gone (SF402), see [docs](https://example.com/x)"
    )
