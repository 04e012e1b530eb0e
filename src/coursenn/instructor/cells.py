"""The exercise format of the chapter notebooks, read once for the instructor tools.

A chapter's exercise is five consecutive cells (DESIGN §5)::

    markdown  ```{exercise} title          with :label: chNN-name and the task;
              its cell metadata ``coursenn.exercise`` holds kind, objective,
              difficulty (1-3) and minutes
    markdown  ```{solution-start} chNN-name with :class: dropdown
    code      tagged ``solution``: the answer between ### BEGIN SOLUTION and ### END SOLUTION
    markdown  ```{solution-end}
    code      tagged ``autocheck``: one ``check("chNN-name", answer)`` call
    code      optional, tagged ``hidden-check``: extra grading cases, e.g.
              ``check("chNN-name", fn, cases=[...])``; any number of such cells right
              after the autocheck; stripped from student notebooks, run by the grader

:func:`parse_exercises` checks that structure strictly (the student tool and the grader
must never guess about an instructor's notebook) and reports every problem with its file,
cell index (counted from 0, as in ``nbformat``) and reason. :func:`find_in_submission`
reads a submission leniently instead: a student may have moved, edited or deleted cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
KINDS = ("implement", "compute", "explain", "debug")

_FENCE = r"(?P<fence>`{3,}|:{3,})"
EXERCISE = re.compile(
    rf"^{_FENCE}\{{exercise\}}[ \t]*(?P<title>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)
LABEL = re.compile(r"^:label:[ \t]*(\S+)", re.M)
SOLUTION_START = re.compile(
    rf"^{_FENCE}\{{solution-start\}}[ \t]*(?P<label>\S*)[^\n]*\n.*?^(?P=fence)[ \t]*$",
    re.M | re.S,
)
SOLUTION_END = re.compile(rf"^{_FENCE}\{{solution-end\}}[^\n]*\n.*?^(?P=fence)[ \t]*$", re.M | re.S)
PLAIN_SOLUTION = re.compile(rf"^{_FENCE}\{{solution\}}", re.M)
# Anything that would tell a student where a solution was: checked after stripping.
LEAK_MARKERS = (BEGIN, END, "{solution-start}", "{solution-end}", "{solution}")


class ExerciseFormatError(ValueError):
    """A chapter notebook breaks the exercise format; ``problems`` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Exercise:
    """One exercise of a chapter: its label and where its cells are (indices into ``cells``)."""

    label: str
    title: str
    chapter: str
    exercise_cell: int
    metadata: dict
    gate: list[int] = field(default_factory=list)  # solution-start .. solution-end, inclusive
    answer_cells: list[int] = field(default_factory=list)
    autocheck_cell: int | None = None
    autocheck_source: str = ""
    hidden_cells: list[int] = field(default_factory=list)
    hidden_sources: list[str] = field(default_factory=list)


def tags(cell) -> list[str]:
    """The cell's tags (an empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def stamp(cell) -> tuple[str | None, str | None]:
    """``(label, role)`` the student tool wrote into a code cell's metadata, or ``(None, None)``."""
    info = cell.get("metadata", {}).get("coursenn", {})
    if not isinstance(info, dict):
        return None, None
    label, role = info.get("label"), info.get("role")
    return (label, role) if isinstance(label, str) and isinstance(role, str) else (None, None)


def exercise_directives(cell) -> list[tuple[str | None, str]]:
    """``(label or None, title)`` of each ``{exercise}`` directive in a markdown cell."""
    if cell.get("cell_type") != "markdown":
        return []
    found = []
    for match in EXERCISE.finditer(cell.source):
        label = LABEL.search(match.group("body"))
        found.append((label.group(1) if label else None, match.group("title").strip()))
    return found


def is_autocheck(cell) -> bool:
    """A code cell tagged ``autocheck`` or stamped as one by the student tool."""
    return cell.get("cell_type") == "code" and (
        "autocheck" in tags(cell) or stamp(cell)[1] == "autocheck"
    )


def is_hidden_check(cell) -> bool:
    """A code cell tagged ``hidden-check``: grading cases students never see."""
    return cell.get("cell_type") == "code" and "hidden-check" in tags(cell)


def solution_regions(source: str) -> list[tuple[int, int]]:
    """``(begin, end)`` line numbers (0-based) of each solution region in ``source``.

    Raises
    ------
    ValueError
        On a region that is nested, never closed, or closed without being opened.
    """
    regions, begin = [], None
    for number, line in enumerate(source.splitlines()):
        if BEGIN in line:
            if begin is not None:
                raise ValueError(f"line {number + 1}: {BEGIN} inside another solution region")
            begin = number
        elif END in line:
            if begin is None:
                raise ValueError(f"line {number + 1}: {END} without {BEGIN}")
            regions.append((begin, number))
            begin = None
    if begin is not None:
        raise ValueError(f"line {begin + 1}: unterminated {BEGIN} (no {END} after it)")
    return regions


def metadata_problems(metadata: object) -> list[str]:
    """What is wrong with an exercise's ``coursenn.exercise`` metadata (empty list: valid)."""
    if not isinstance(metadata, dict) or not metadata:
        return ["no coursenn.exercise metadata (kind, objective, difficulty, minutes)"]
    problems = []
    if metadata.get("kind") not in KINDS:
        problems.append(f"kind must be one of {list(KINDS)}, got {metadata.get('kind')!r}")
    objective = metadata.get("objective")
    if not isinstance(objective, str) or not objective.strip():
        problems.append(f"objective must be a non-empty sentence, got {objective!r}")
    for key, low, high in (("difficulty", 1, 3), ("minutes", 1, 240)):
        value = metadata.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(f"{key} must be an integer from {low} to {high}, got {value!r}")
    return problems


def _alone(pattern: re.Pattern, source: str) -> bool:
    return not pattern.sub("", source, count=1).strip()


def parse_exercises(nb, path: Path | str) -> list[Exercise]:
    """Every exercise of a chapter notebook, checking the five-cell structure.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The chapter notebook (version 4).
    path : Path or str
        Its file, named in the problems reported.

    Returns
    -------
    list of Exercise
        In notebook order; empty for a chapter without exercises.

    Raises
    ------
    ExerciseFormatError
        Listing each problem as ``"<path>: cell <i>: <reason>"``.
    """
    chapter = Path(path).stem
    problems: list[str] = []
    exercises: dict[str, Exercise] = {}
    last: Exercise | None = None
    gate: Exercise | None = None  # the exercise whose solution is open

    def problem(index: int | None, reason: str) -> None:
        where = f"{path}: cell {index}" if index is not None else str(path)
        problems.append(f"{where}: {reason}")

    for i, cell in enumerate(nb.cells):
        source = cell.source
        if cell.cell_type == "markdown":
            directives = exercise_directives(cell)
            start = SOLUTION_START.search(source)
            end = SOLUTION_END.search(source)
            if directives and (start or end):
                problem(i, "an exercise and its solution markers must be in separate cells")
                continue
            if len(directives) > 1:
                problem(i, "more than one {exercise} in one cell")
            for label, title in directives[:1]:
                if gate is not None:
                    problem(i, f"exercise starts inside the open solution of {gate.label!r}")
                    gate = None
                if label is None:
                    problem(i, "{exercise} without a :label:")
                elif label in exercises:
                    problem(i, f"duplicate exercise label {label!r}")
                else:
                    meta = cell.get("metadata", {}).get("coursenn", {}).get("exercise", {})
                    last = exercises[label] = Exercise(label, title, chapter, i, dict(meta))
            if start:
                label = start.group("label")
                if not _alone(SOLUTION_START, source):
                    problem(i, "{solution-start} must be alone in its cell")
                if gate is not None:
                    problem(i, f"{{solution-start}} while the solution of {gate.label!r} is open")
                if not label:
                    problem(i, "{solution-start} without the exercise label")
                elif label not in exercises:
                    problem(i, f"{{solution-start}} for unknown exercise {label!r}")
                elif last is None or label != last.label:
                    problem(i, f"solution of {label!r} must follow its exercise")
                elif last.gate:
                    problem(i, f"second solution for {label!r}")
                else:
                    gate = last
                    gate.gate.append(i)
            elif end:
                if not _alone(SOLUTION_END, source):
                    problem(i, "{solution-end} must be alone in its cell")
                if gate is None:
                    problem(i, "{solution-end} without an open {solution-start}")
                else:
                    gate.gate.append(i)
                    gate = None
            elif gate is not None:
                gate.gate.append(i)  # explanation inside the dropdown: part of the solution
            elif any(marker in source for marker in (BEGIN, END)):
                problem(i, "solution markers in a markdown cell")
            elif PLAIN_SOLUTION.search(source):
                problem(i, "a {solution} directive: use {solution-start} ... {solution-end}")
            continue
        if cell.cell_type != "code":
            if gate is not None:
                gate.gate.append(i)
            continue
        try:
            regions = solution_regions(source)
        except ValueError as exc:
            problem(i, str(exc))
            continue
        if is_hidden_check(cell):
            if regions:
                problem(i, "hidden-check cell contains a solution region")
            elif gate is not None:
                problem(i, f"hidden-check cell inside the solution of {gate.label!r}")
            elif last is None or last.autocheck_cell is None:
                problem(i, "hidden-check cell must follow an exercise's autocheck cell")
            elif i != 1 + (last.hidden_cells or [last.autocheck_cell])[-1]:
                problem(
                    i,
                    f"hidden-check cell for {last.label!r} must come right after its "
                    "autocheck cell (or another hidden-check cell)",
                )
            else:
                last.hidden_cells.append(i)
                last.hidden_sources.append(source)
        elif is_autocheck(cell):
            if regions:
                problem(i, "autocheck cell contains a solution region")
            elif gate is not None:
                problem(i, f"autocheck cell inside the solution of {gate.label!r}")
            elif last is None:
                problem(i, "autocheck cell before any exercise")
            elif last.autocheck_cell is not None:
                problem(i, f"second autocheck cell for {last.label!r}")
            elif not last.gate:
                problem(i, f"autocheck cell for {last.label!r} comes before its solution")
            else:
                last.autocheck_cell, last.autocheck_source = i, source
        elif gate is not None:
            gate.gate.append(i)
            if regions:
                gate.answer_cells.append(i)
            elif "solution-only" not in tags(cell):
                problem(
                    i,
                    f"code cell in the solution of {gate.label!r} has no {BEGIN} region "
                    "(tag it solution-only if students should not get it)",
                )
        elif regions:
            problem(i, "solution region outside a {solution-start} ... {solution-end} block")
    if gate is not None:
        problem(gate.gate[0], f"solution of {gate.label!r} is never closed (no {{solution-end}})")
    for ex in exercises.values():
        if not ex.gate:
            problem(ex.exercise_cell, f"exercise {ex.label!r} has no solution")
        elif not ex.answer_cells and ex is not gate:
            problem(ex.gate[0], f"solution of {ex.label!r} has no code cell with a {BEGIN} region")
        if ex.autocheck_cell is None:
            problem(ex.exercise_cell, f"exercise {ex.label!r} has no autocheck cell after it")
    if problems:
        raise ExerciseFormatError(problems)
    return list(exercises.values())


def exercise_section(cells, label: str) -> range | None:
    """Indices of the cells after the exercise text of ``label``, up to the next exercise."""
    start = next(
        (i for i, c in enumerate(cells) if label in [lab for lab, _ in exercise_directives(c)]),
        None,
    )
    if start is None:
        return None
    end = next((j for j in range(start + 1, len(cells)) if exercise_directives(cells[j])), None)
    return range(start + 1, len(cells) if end is None else end)


def same_source(a: str, b: str) -> bool:
    """Equal up to leading/trailing blank lines and trailing spaces."""
    return [line.rstrip() for line in a.strip().splitlines()] == [
        line.rstrip() for line in b.strip().splitlines()
    ]


def find_in_submission(cells, ex: Exercise) -> tuple[int | None, int | None]:
    """Indices of the submission's answer cell and autocheck cell for exercise ``ex``.

    By the label stamped into the cells' metadata; else in the exercise's section (the answer:
    the last code cell tagged ``solution``, else the first code cell; the check: the first
    autocheck cell); else, for the check only, an autocheck cell anywhere with the same source.
    """
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    answers = [i for i in code if stamp(cells[i]) == (ex.label, "answer")]
    checks = [i for i in code if stamp(cells[i]) == (ex.label, "autocheck")]
    section = exercise_section(cells, ex.label)
    if section is not None:
        ours = [i for i in section if i in code and not is_autocheck(cells[i])]
        tagged = [i for i in ours if "solution" in tags(cells[i])]
        answers = answers or tagged[-1:] or ours[:1]
        checks = checks or [i for i in section if i in code and is_autocheck(cells[i])]
    checks = checks or [
        i
        for i in code
        if is_autocheck(cells[i]) and same_source(cells[i].source, ex.autocheck_source)
    ]
    return (answers[-1] if answers else None), (checks[0] if checks else None)


def notebook_paths(paths: Iterable[Path | str], *, recursive: bool = False) -> list[Path]:
    """Expand files and folders into notebook files (a folder: its ``*.ipynb``, sorted).

    Raises
    ------
    FileNotFoundError
        If a path does not exist, or a folder holds no notebook.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            pattern = "**/*.ipynb" if recursive else "*.ipynb"
            inside = sorted(
                p for p in path.glob(pattern) if ".ipynb_checkpoints" not in p.parts and p.is_file()
            )
            if not inside:
                raise FileNotFoundError(f"{path}: folder holds no .ipynb notebook")
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return found


def read_chapter(path: Path) -> tuple[nbformat.NotebookNode, list[Exercise]]:
    """Read a chapter notebook and parse its exercises (errors name the file)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types
        raise ExerciseFormatError([f"{path}: not a readable notebook: {exc}"]) from exc
    return nb, parse_exercises(nb, path)
