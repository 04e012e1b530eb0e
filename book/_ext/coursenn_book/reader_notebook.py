"""What a reader of the site sees of a chapter notebook: no checks, no solution markers.

Readers of the static site cannot run a check, and a check cell run with the reference
answer would show that answer. So, before myst-nb parses a chapter (Sphinx's
``source-read`` event hands myst-nb the text this handler returns), the notebook JSON is
rewritten:

* a code cell tagged ``autocheck`` becomes a one-line note (:data:`CHECK_NOTE`): neither
  its code nor its output reaches the page;
* a cell tagged ``hidden-check`` (extra grading cases) is dropped;
* ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines are removed from every code cell, so an
  opened solution shows just the answer.

The notebooks in ``chapters/`` are never changed.
"""

from __future__ import annotations

import json
import re

from sphinx.application import Sphinx

CHECK_NOTE = "（在笔记本中运行检查单元，查看你的答案是否正确。）"
NOTE_CLASS = "coursenn-check-note"
_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*$")


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _lines(source) -> list[str]:
    text = "".join(source) if isinstance(source, list) else source
    return text.splitlines(keepends=True)


def strip_markers(source) -> str:
    """The cell source without ``### BEGIN/END SOLUTION`` lines."""
    kept = [line for line in _lines(source) if not _MARKER.match(line.rstrip("\r\n"))]
    return "".join(kept).rstrip("\n")


def _note_cell(cell: dict) -> dict:
    note = {
        "cell_type": "markdown",
        "metadata": {"tags": ["coursenn-check-note"]},
        "source": f"```{{container}} {NOTE_CLASS}\n{CHECK_NOTE}\n```",
    }
    if "id" in cell:
        note["id"] = cell["id"]
    return note


def reader_notebook(nb: dict) -> dict:
    """A copy of the notebook (as JSON data) as the site shows it to readers."""
    cells = []
    for cell in nb.get("cells", []):
        tags = _tags(cell)
        if "hidden-check" in tags:
            continue
        if cell.get("cell_type") == "code" and "autocheck" in tags:
            cells.append(_note_cell(cell))
            continue
        if cell.get("cell_type") == "code" and any(
            _MARKER.match(line.rstrip("\r\n")) for line in _lines(cell.get("source", ""))
        ):
            cell = {**cell, "source": strip_markers(cell["source"])}
        cells.append(cell)
    return {**nb, "cells": cells}


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    nb = json.loads(source[0])
    source[0] = json.dumps(reader_notebook(nb), ensure_ascii=False)


def setup(app: Sphinx) -> None:
    app.connect("source-read", _on_source_read)
