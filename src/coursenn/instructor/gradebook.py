"""The gradebook CSV and every text a submission can put in it or on the terminal.

Notebook names, exception names and messages come from students: before any of it reaches
the CSV or the terminal, :func:`clean` removes control characters (ANSI escapes included);
in the CSV, a cell that a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return: OWASP's CSV-injection rule) gets a leading ``'``.
The file is written to a temporary file beside it and renamed into place.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

__all__ = ["clean", "short", "spreadsheet_safe", "write_csv"]

_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    """``text`` on one line: ANSI escapes and control characters removed, blanks squeezed."""
    text = _ANSI.sub("", str(text))
    text = _CONTROL.sub(" ", text.replace("\n", " ").replace("\t", " "))
    return " ".join(text.split())


def short(text: str, limit: int = 100) -> str:
    """:func:`clean` ``text``, cut to ``limit`` characters (an ellipsis marks the cut)."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def spreadsheet_safe(value) -> str:
    """A CSV cell that no spreadsheet evaluates: formula starts are prefixed with ``'``."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Row(Protocol):
    notebook: str
    results: dict[str, int]

    @property
    def passed(self) -> int: ...

    @property
    def total(self) -> int: ...

    @property
    def error(self) -> str: ...


ERROR_LIMIT = 600  # characters of the error column


def write_csv(rows: list[_Row], labels: list[str], path: Path | str) -> None:
    """``notebook, passed, total, error`` and one 1/0 column per label (empty: not its chapter).

    Written atomically: a temporary file in the same folder, renamed over ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        "w", newline="", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    )
    try:
        with handle:
            writer = csv.writer(handle)
            writer.writerow(["notebook", "passed", "total", "error", *labels])
            for row in rows:
                marks = [row.results.get(label, "") for label in labels]
                cells = [clean(row.notebook), row.passed, row.total, short(row.error, ERROR_LIMIT)]
                writer.writerow([spreadsheet_safe(c) for c in [*cells, *marks]])
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
