"""Paths of the repository and readers for its notebooks, shared by the tests."""

from __future__ import annotations

import functools
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
CHAPTERS = ROOT / "chapters"


def chapter_paths() -> list[Path]:
    """Every chapter notebook, in lecture order (NN_name.ipynb)."""
    return sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))


@functools.cache
def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook as stored (cached: tests only read it)."""
    return nbformat.read(path, as_version=4)
