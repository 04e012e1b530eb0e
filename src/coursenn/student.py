"""Student notebooks without solutions, and the exercise index of the instructor guide.

::

    python -m coursenn.student CHAPTERS... --out DIR        # one student notebook per chapter
    python -m coursenn.student CHAPTERS... --index book/instructors.md   # regenerate the index

``CHAPTERS`` are chapter notebooks or folders of them. In a student notebook

- every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region becomes ``# YOUR CODE HERE``
  and ``raise NotImplementedError()`` at the indentation of its first line (the nbgrader
  convention), and the answer cell is tagged ``raises-exception`` (instead of ``solution``)
  so Run All continues;
- the ``{solution-start}`` ... ``{solution-end}`` cells and anything else between them are
  removed; the answer cell stays;
- cells tagged ``solution-only`` are dropped; ``autocheck`` cells are kept verbatim;
- every output, execution count and widget state is cleared;
- answer and autocheck cells carry ``metadata.coursenn = {"label": ..., "role": ...}`` and
  the notebook ``metadata.coursenn.chapter``, which :mod:`coursenn.grade` uses to match a
  submission to the instructor's checks.

A chapter that breaks the exercise format is reported with file, cell and reason, and then
nothing at all is written (files are written only when every chapter converted).
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat

from ._exercise_cells import (
    LEAK_MARKERS,
    Exercise,
    ExerciseFormatError,
    metadata_problems,
    notebook_paths,
    read_chapter,
    solution_regions,
    tags,
)

__all__ = ["strip_solutions", "student_notebook", "write_student_notebooks", "exercise_index"]

KIND_NAMES = {"implement": "实现", "compute": "计算", "explain": "解释", "debug": "找错"}
INDEX_BLOCK = re.compile(
    r"(<!-- exercise-index: start[^\n]*-->\n)(.*?)(<!-- exercise-index: end -->)", re.S
)


def strip_solutions(source: str) -> str:
    """Replace each solution region of a cell's source by the nbgrader stub, keeping indentation.

    Raises
    ------
    ValueError
        If a region is unterminated, nested or closed without being opened.
    """
    lines = source.splitlines()
    out: list[str] = []
    position = 0
    for begin, end in solution_regions(source):
        out += lines[position:begin]
        first = lines[begin]
        indent = first[: len(first) - len(first.lstrip())]
        out += [f"{indent}# YOUR CODE HERE", f"{indent}raise NotImplementedError()"]
        position = end + 1
    out += lines[position:]
    return "\n".join(out) + ("\n" if source.endswith("\n") else "")


def _clean(cell) -> nbformat.NotebookNode:
    cell = copy.deepcopy(cell)
    for key in ("execution", "ExecuteTime", "collapsed", "scrolled"):
        cell.metadata.pop(key, None)
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def _stamped(cell, label: str, role: str) -> nbformat.NotebookNode:
    info = cell.metadata.get("coursenn", {})
    cell.metadata["coursenn"] = {
        **(info if isinstance(info, dict) else {}),
        "label": label,
        "role": role,
    }
    return cell


def student_notebook(nb, exercises: list[Exercise], path: Path | str) -> nbformat.NotebookNode:
    """The student version of a parsed chapter (``nb`` itself is left unchanged).

    Raises
    ------
    ExerciseFormatError
        If any solution marker would survive (a last guard against leaking an answer).
    """
    answer_of = {i: ex.label for ex in exercises for i in ex.answer_cells}
    check_of = {ex.autocheck_cell: ex.label for ex in exercises}
    in_gate = {i for ex in exercises for i in ex.gate} - set(answer_of)
    student = copy.deepcopy(nb)
    student.cells = []
    for i, cell in enumerate(nb.cells):
        if i in in_gate or "solution-only" in tags(cell):
            continue
        cell = _clean(cell)
        if i in answer_of:
            cell.source = strip_solutions(cell.source)
            kept = [t for t in tags(cell) if t not in ("solution", "raises-exception")]
            cell.metadata["tags"] = [*kept, "raises-exception"]
            _stamped(cell, answer_of[i], "answer")
        elif i in check_of:
            _stamped(cell, check_of[i], "autocheck")
        student.cells.append(cell)
    student.metadata.pop("widgets", None)
    student.metadata["coursenn"] = {"chapter": Path(path).stem, "version": "student"}
    leaks = [
        f"{path}: cell {i}: {marker!r} would reach students"
        for i, cell in enumerate(student.cells)
        for marker in LEAK_MARKERS
        if marker in cell.source
    ]
    if leaks:
        raise ExerciseFormatError(leaks)
    return student


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_student_notebooks(chapters: list[Path | str], out: Path | str) -> list[Path]:
    """Write the student version of every chapter into ``out``; all or nothing.

    Parameters
    ----------
    chapters : list of Path or str
        Chapter notebooks, or folders of them.
    out : Path or str
        Folder for the student notebooks (created if missing), one per chapter, same names.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ExerciseFormatError
        Every problem found in every chapter; nothing is written then.
    FileNotFoundError, ValueError
        A missing chapter, or an output that would overwrite a chapter.
    """
    out = Path(out)
    paths = notebook_paths(chapters)
    sources = {p.resolve() for p in paths}
    problems: list[str] = []
    results: dict[Path, str] = {}
    for path in paths:
        target = out / path.name
        if target.resolve() in sources:
            raise ValueError(f"--out {out}: {target} would overwrite a chapter notebook")
        if target in results:
            raise ValueError(f"two chapters are named {path.name}: {target} would be written twice")
        try:
            nb, exercises = read_chapter(path)
            results[target] = nbformat.writes(student_notebook(nb, exercises, path)) + "\n"
        except ExerciseFormatError as exc:
            problems += exc.problems
    if problems:
        raise ExerciseFormatError(problems)
    out.mkdir(parents=True, exist_ok=True)
    for target, text in results.items():
        _write_atomically(target, text)
    return list(results)


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
                meta["objective"],
            ]
            rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if problems:
        raise ExerciseFormatError(problems)
    header = [
        "| 章 | 标签 (label) | 练习 | 类型 | 难度 | 分钟 | 学习目标 (objective) |",
        "|---|---|---|---|---|---|---|",
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
        _write_atomically(page, new)
    return new != text


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m coursenn.student CHAPTERS... [--out DIR] [--index PAGE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m coursenn.student",
        description="Write student notebooks (solutions stripped) and/or regenerate the "
        "exercise index of the instructor guide.",
    )
    parser.add_argument(
        "chapters", nargs="+", type=Path, metavar="CHAPTERS",
        help="chapter notebooks, or folders of them",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, metavar="DIR", help="folder for the student notebooks")
    parser.add_argument(
        "--index",
        type=Path,
        metavar="PAGE",
        help="markdown page whose exercise index to regenerate",
    )
    args = parser.parse_args(argv)
    if args.out is None and args.index is None:
        parser.error("give --out DIR, --index PAGE, or both")
    try:
        if args.out is not None:
            for path in write_student_notebooks(args.chapters, args.out):
                print(f"wrote {path}")
        if args.index is not None:
            changed = update_index(args.index, args.chapters)
            print(f"{'updated' if changed else 'unchanged'}: exercise index in {args.index}")
    except ExerciseFormatError as exc:
        print("error: malformed chapter notebook, nothing written:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
