"""Student notebooks without solutions (and without hidden grading cases).

::

    coursenn student CHAPTERS... --out DIR                  # one student notebook per chapter
    python -m coursenn student CHAPTERS... --out DIR        # the same

``CHAPTERS`` are chapter notebooks or folders of them. In a student notebook

- every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region becomes ``# YOUR CODE HERE``
  and ``raise NotImplementedError()`` at the indentation of its first line (the nbgrader
  convention), and the answer cell is tagged ``raises-exception`` (instead of ``solution``)
  so Run All continues;
- the ``{solution-start}`` ... ``{solution-end}`` cells and anything else between them are
  removed; the answer cell stays;
- cells tagged ``solution-only`` or ``hidden-check`` are dropped; ``autocheck`` cells (one
  ``check(label, answer)`` call each) are kept verbatim;
- every output, execution count and widget state is cleared;
- answer and autocheck cells carry ``metadata.coursenn = {"label": ..., "role": ...}`` and
  the notebook ``metadata.coursenn.chapter``, which :mod:`coursenn.instructor.grade` uses to match a
  submission to the instructor's checks.

A chapter that breaks the exercise format is reported with file, cell and reason, and then
nothing at all is written (files are written only when every chapter converted).
"""

from __future__ import annotations

import argparse
import ast
import copy
import sys
from pathlib import Path

import nbformat

from .cells import (
    LEAK_MARKERS,
    Exercise,
    ExerciseFormatError,
    is_hidden_check,
    notebook_paths,
    read_chapter,
    solution_regions,
    tags,
)
from .index import update_index, write_atomically

__all__ = ["strip_solutions", "student_notebook", "write_student_notebooks", "main"]


def strip_solutions(source: str) -> str:
    """Replace each solution region of a cell's source by a stub at the region's indentation.

    Inside a function (an indented region) the stub is nbgrader's ``# YOUR CODE HERE`` and
    ``raise NotImplementedError()``: calling the unfinished function tells the student so.
    At the top level the stub is the comment alone: the placeholder the cell assigns before
    the region (``n_params = None``) stays the answer, and the check reports "还没有作答"
    instead of the cell stopping with a traceback.

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
        out.append(f"{indent}# YOUR CODE HERE")
        if indent:
            out.append(f"{indent}raise NotImplementedError()")
        position = end + 1
    out += lines[position:]
    return "\n".join(out) + ("\n" if source.endswith("\n") else "")


def _checked_names(autocheck_source: str) -> list[str]:
    """The names an autocheck cell ``check(label, answer)`` passes as the answer."""
    try:
        tree = ast.parse(autocheck_source)
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check":
            for arg in node.args[1:2]:
                elts = arg.elts if isinstance(arg, ast.Tuple) else [arg]
                names += [e.id for e in elts if isinstance(e, ast.Name)]
    return names


def _bound_names(source: str) -> set[str]:
    """Names a cell binds at its top level (assignments, defs, imports)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython syntax: no static answer possible
        return set()
    bound: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                bound |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return bound


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
    hidden = {i for ex in exercises for i in ex.hidden_cells}
    student = copy.deepcopy(nb)
    student.cells = []
    for i, cell in enumerate(nb.cells):
        if i in in_gate or i in hidden or "solution-only" in tags(cell) or is_hidden_check(cell):
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
    leaks += [
        f"{path}: cell {i}: a hidden-check cell would reach students"
        for i, cell in enumerate(student.cells)
        if is_hidden_check(cell)
    ]
    for ex in exercises:
        stubs = "\n".join(strip_solutions(nb.cells[i].source) for i in ex.answer_cells)
        missing = [n for n in _checked_names(ex.autocheck_source) if n not in _bound_names(stubs)]
        leaks += [
            f"{path}: cell {ex.answer_cells[0]}: {ex.label}: the answer cell must define "
            f"{name!r} outside the solution region (e.g. `{name} = None`), or the student's "
            "check stops with a NameError"
            for name in missing
        ]
    if leaks:
        raise ExerciseFormatError(leaks)
    return student


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
        write_atomically(target, text)
    return list(results)


def main(argv: list[str] | None = None, prog: str = "coursenn student") -> int:
    """Command line: ``coursenn student CHAPTERS... --out DIR [--index PAGE]``."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Write student notebooks: solutions and hidden grading cases stripped.",
    )
    parser.add_argument(
        "chapters", nargs="+", type=Path, metavar="CHAPTERS",
        help="chapter notebooks, or folders of them",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, metavar="DIR", help="folder for the student notebooks")
    parser.add_argument(
        "--index", type=Path, metavar="PAGE",
        help="also regenerate the exercise index of this page (as `coursenn index` does)",
    )  # fmt: skip
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
