"""The exercise index of the instructor guide, generated from the chapters' exercise cells.

::

    coursenn index [CHAPTERS...] [--page book/instructors.md]

The table lists every exercise (chapter, label, title, kind, difficulty, minutes, objective)
between the ``exercise-index`` markers of the page; a test keeps it current.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .. import exercises
from .cells import ExerciseFormatError, metadata_problems, notebook_paths, read_chapter

__all__ = ["exercise_index", "update_index", "write_atomically", "KIND_NAMES"]

KIND_NAMES = {"implement": "实现", "compute": "计算", "explain": "解释", "debug": "找错"}
INDEX_BLOCK = re.compile(
    r"(<!-- exercise-index: start[^\n]*-->\n)(.*?)(<!-- exercise-index: end -->)", re.S
)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder (all or nothing)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _grading(label: str) -> str:
    """How grading checks the exercise: fresh cases each run, or one fixed answer.

    A fixed answer (a value or a choice) may be printed in the chapter or passed around:
    a student can pass it by copying, which the index says so an instructor weights it.
    """
    try:
        kind = exercises.get(label)
    except KeyError:
        return "？（未登记）"
    if isinstance(kind, (exercises.Value, exercises.Choice)):
        return "固定答案（可抄）"
    return "每次新用例"


def exercise_index(chapters: list[Path | str], book: Path | str = "book") -> str:
    """The markdown table of every exercise (chapter, label, title, kind, difficulty, minutes).

    Chapters are linked as ``chapters/<name>`` when ``book/chapters/<file>`` exists (the
    book's symlink layout), else by their path relative to ``book``.

    Raises
    ------
    ExerciseFormatError
        If a chapter breaks the exercise format or an exercise lacks valid metadata.
    """
    book = Path(book)
    rows, problems, minutes = [], [], 0
    for path in notebook_paths(chapters):
        try:
            _, exercises = read_chapter(path)
        except ExerciseFormatError as exc:
            problems += exc.problems
            continue
        linked = book / "chapters" / path.name
        doc = (
            f"chapters/{path.stem}"
            if linked.exists()
            else os.path.relpath(path.with_suffix(""), book)
        )
        for ex in exercises:
            bad = metadata_problems(ex.metadata)
            problems += [f"{path}: cell {ex.exercise_cell}: {ex.label}: {p}" for p in bad]
            if bad:
                continue
            meta = ex.metadata
            minutes += meta["minutes"]
            stars = "★" * meta["difficulty"] + "☆" * (3 - meta["difficulty"])
            number = int(path.stem[:2]) if path.stem[:2].isdigit() else path.stem
            cells = [
                f"{{doc}}`第 {number} 章 <{doc}>`",
                f"{{ref}}`{ex.label} <{ex.label}>`",
                ex.title,
                KIND_NAMES[meta["kind"]],
                stars,
                str(meta["minutes"]),
                _grading(ex.label),
                meta["objective"],
            ]
            rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if problems:
        raise ExerciseFormatError(problems)
    header = [
        "| 章 | 标签 (label) | 练习 | 类型 | 难度 | 分钟 | 评分 | 学习目标 (objective) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    summary = f"共 {len(rows)} 道练习，预计总用时约 {minutes} 分钟。"
    return "\n".join([*header, *rows, "", summary]) + "\n"


def update_index(page: Path | str, chapters: list[Path | str]) -> bool:
    """Regenerate the index between the ``exercise-index`` markers of ``page``.

    Returns whether the file changed. Raises ``ValueError`` if the markers are missing.
    """
    page = Path(page)
    text = page.read_text(encoding="utf-8")
    match = INDEX_BLOCK.search(text)
    if match is None:
        raise ValueError(
            f"{page}: no '<!-- exercise-index: start -->' ... '<!-- exercise-index: end -->' block"
        )
    table = exercise_index(chapters, book=page.parent)
    new = text[: match.start(2)] + table + text[match.end(2) :]
    if new != text:
        write_atomically(page, new)
    return new != text
