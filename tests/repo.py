"""Paths of the repository and readers for its notebooks, shared by the tests."""

from __future__ import annotations

import functools
from pathlib import Path

import nbformat

from coursenn.instructor.cells import parse_exercises, solution_regions

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
CHAPTERS = ROOT / "chapters"


def chapter_paths() -> list[Path]:
    """Every chapter notebook, in lecture order: NN_name.ipynb, and NNb_name.ipynb for the
    later part of a chapter split in two (a section of chapter NN in _toc.yml), right after it."""
    return sorted([*CHAPTERS.glob("[0-9][0-9]_*.ipynb"), *CHAPTERS.glob("[0-9][0-9][a-z]_*.ipynb")])


@functools.cache
def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook as stored (cached: tests only read it)."""
    return nbformat.read(path, as_version=4)


def solution_lines(nb: nbformat.NotebookNode) -> set[str]:
    """Every line a chapter shows only in its solutions (regions, dropdowns, solution-only cells).

    Lines the chapter also shows elsewhere (a find-the-bug exercise prints the buggy code, whose
    correct lines reappear in the solution) are not secrets and are left out.
    """
    secret, public = set(), set()
    hidden = {i for ex in parse_exercises(nb, "chapter") for i in ex.gate}
    for i, cell in enumerate(nb.cells):
        lines = cell.source.splitlines()
        if "solution-only" in cell.metadata.get("tags", []):
            secret |= {line.strip() for line in lines}
            continue
        inside = set()
        if cell.cell_type == "code":
            for begin, end in solution_regions(cell.source):
                inside |= set(range(begin, end + 1))
        elif i in hidden:
            inside = set(range(len(lines)))
        secret |= {line.strip() for n, line in enumerate(lines) if n in inside}
        public |= {line.strip() for n, line in enumerate(lines) if n not in inside}
    return {line for line in secret - public if line and not line.startswith("```")}
