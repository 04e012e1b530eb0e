"""Paths of the repository, readers for its notebooks and README's commands, shared by the tests."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat

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


def readme_command(marker: str) -> str:
    """The command in README's fenced block after ``<!-- marker -->`` (build-command, test-command)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.+?)\n```", text)
    if match is None:
        raise LookupError(f"README.md has no {marker} block")
    return match.group(1).strip()
