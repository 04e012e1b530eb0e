"""The chapter notebooks, in lecture order: one list for the tools and the tests.

``chapters/NN_name.ipynb``, and ``NNb_name.ipynb`` for the later part of a chapter split in
two (a section of chapter NN in ``_toc.yml``), which sorts right after ``NN_name``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"


def every_chapter() -> list[Path]:
    """Every chapter notebook, in lecture order."""
    return sorted([*CHAPTERS.glob("[0-9][0-9]_*.ipynb"), *CHAPTERS.glob("[0-9][0-9][a-z]_*.ipynb")])


def select_chapters(names: list[str]) -> list[Path]:
    """Chapter notebooks by path or by stem prefix (``06``, ``05b``, ``06_sigmoid_zigzag``; ``05``
    gives chapter 5 and its second part), in the order given; every chapter if ``names`` is
    empty."""
    every = every_chapter()
    if not names:
        return every
    chosen = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.exists():
            chosen.append(path)
            continue
        hits = [p for p in every if p.stem.startswith(path.stem)]
        if not hits:
            raise SystemExit(f"no chapter matches {name!r}; have {[p.stem for p in every]}")
        chosen.extend(hits)
    return chosen
