"""Coverage as a console table, a JSON document and one static HTML page per target.

The table (``specfirst test --coverage``)::

    target     operations     status codes   parameters     properties     branches     links
    catalog    18/18 100.0%   80/82 97.6%    40/44 90.9%    ...

The HTML pages are plain, self-contained files (no script, no external asset)
listing every uncovered item with its JSON pointer and spec line, then the
excluded ones with their reasons. Every value from a spec is escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from codegen.verify.coverage.kinds import Kind
from codegen.verify.coverage.model import Item
from codegen.verify.coverage.result import Count, TargetCoverage


def cell(count: Count) -> str:
    """``12/14 85.7%`` (``+1 excluded`` when some are), ``-`` when there is nothing."""
    percent = count.percent
    text = "-" if percent is None else f"{count.covered}/{count.total} {percent:.1f}%"
    return text + (f" (+{count.excluded} excluded)" if count.excluded else "")


def table_rows(results: Sequence[TargetCoverage]) -> list[list[str]]:
    return [[r.name, *(cell(r.count(kind)) for kind in Kind)] for r in results]


def print_table(
    console: Console, results: Sequence[TargetCoverage], seconds: float | None = None
) -> None:
    """The table; ``seconds``: the time recording took (in the title). A row of six
    kinds needs about 130 columns: the CLI's console is that wide even in a CI log
    (:func:`codegen.cli.console.text_console`); the cells never wrap."""
    title = "contract coverage"
    if seconds is not None:
        title += f" (recorded in {seconds:.2f}s)"
    table = Table(title=title, title_justify="left")
    table.add_column("target", no_wrap=True)
    for kind in Kind:
        table.add_column(kind.label, justify="right", no_wrap=True)
    for row in table_rows(results):
        table.add_row(*row)
    console.print(table)
    for result in results:
        for item in result.excluded_but_covered():
            console.print(
                f"[yellow]{result.name}: {item.id!r} is listed as uncoverable but was "
                "covered: remove the entry[/]",
                highlight=False,
            )


def _where(item: Item) -> dict[str, Any]:
    location = item.location
    if location is None:
        return {"file": None, "line": None, "pointer": None}
    return {"file": location.file, "line": location.line, "pointer": location.pointer}


def as_json(results: Sequence[TargetCoverage]) -> dict[str, Any]:
    targets = []
    for result in results:
        kinds = {}
        for kind in Kind:
            count = result.count(kind)
            kinds[kind.value] = {
                "covered": count.covered,
                "total": count.total,
                "excluded": count.excluded,
                "percent": None if count.percent is None else round(count.percent, 2),
            }
        items = [
            {
                "id": item.id,
                "kind": item.kind.value,
                "operation": item.operation,
                "covered": item.id in result.hits,
                "excluded": result.excluded.get(item.id),
                **_where(item),
            }
            for item in result.items
        ]
        targets.append({"name": result.name, "kinds": kinds, "items": items})
    return {"targets": targets}


def dump_json(results: Sequence[TargetCoverage]) -> str:
    return json.dumps(as_json(results), indent=2) + "\n"


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:80em}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;"
    "text-align:left;vertical-align:top}th{background:#f3f3f3}code{font-size:.95em}"
)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<h1>{html.escape(title)}</h1>\n{body}</body>\n</html>\n"
    )


def _summary(results: Sequence[TargetCoverage], links: Mapping[str, str]) -> str:
    head = "".join(f"<th>{html.escape(kind.label)}</th>" for kind in Kind)
    rows = []
    for result, row in zip(results, table_rows(results), strict=True):
        name = html.escape(result.name)
        if result.name in links:
            name = f'<a href="{html.escape(links[result.name])}">{name}</a>'
        cells = "".join(f"<td>{html.escape(text)}</td>" for text in row[1:])
        rows.append(f"<tr><td>{name}</td>{cells}</tr>\n")
    return f"<table>\n<tr><th>target</th>{head}</tr>\n{''.join(rows)}</table>\n"


def _item_rows(entries: Sequence[tuple[Item, str]]) -> str:
    rows = []
    for item, note in entries:
        where = _where(item)
        line = f"{where['file']}:{where['line']}" if where["file"] else ""
        pointer = where["pointer"] if where["pointer"] is not None else ""
        rows.append(
            f"<tr><td>{html.escape(item.kind.label)}</td><td><code>{html.escape(item.id)}"
            f"</code></td><td><code>{html.escape(line)}</code></td>"
            f"<td><code>#{html.escape(pointer)}</code></td>"
            + (f"<td>{html.escape(note)}</td>" if note else "")
            + "</tr>\n"
        )
    return "".join(rows)


_HEAD = "<tr><th>kind</th><th>item</th><th>spec line</th><th>JSON pointer</th>"


def target_page(result: TargetCoverage) -> str:
    """The summary row, then the uncovered items operation by operation, then the
    excluded ones with their reasons."""
    uncovered = result.uncovered()
    body = [_summary([result], {})]
    body.append(f"<h2>Uncovered ({len(uncovered)})</h2>\n")
    by_operation: dict[str, list[Item]] = {}
    for item in uncovered:
        by_operation.setdefault(item.operation, []).append(item)
    for operation, items in by_operation.items():
        body.append(
            f"<h3>{html.escape(operation)} ({len(items)})</h3>\n<table>\n{_HEAD}</tr>\n"
            + _item_rows([(item, "") for item in items])
            + "</table>\n"
        )
    if not uncovered:
        body.append("<p>Every item is covered.</p>\n")
    excluded = result.excluded_items()
    body.append(f"<h2>Excluded as uncoverable ({len(excluded)})</h2>\n")
    if excluded:
        body.append(f"<table>\n{_HEAD}<th>reason</th></tr>\n{_item_rows(excluded)}</table>\n")
    return _page(f"Contract coverage: {result.name}", "".join(body))


def write_html(directory: Path, results: Sequence[TargetCoverage]) -> list[Path]:
    """``index.html`` plus ``<target>.html`` per target in ``directory``; the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    links = {result.name: f"{result.name}.html" for result in results}
    written = [directory / "index.html"]
    written[0].write_text(_page("Contract coverage", _summary(results, links)), encoding="utf-8")
    for result in results:
        path = directory / links[result.name]
        path.write_text(target_page(result), encoding="utf-8")
        written.append(path)
    return written
