"""Grade submitted notebooks with the instructor's checks, into a CSV gradebook.

::

    coursenn grade SUBMISSIONS... --source CHAPTERS --out grades.csv
    python -m coursenn.grade SUBMISSIONS... --source CHAPTERS --out grades.csv   # the same

``SUBMISSIONS`` are notebooks or folders (searched recursively); ``--source`` names the
instructor's chapter notebooks (files or folders). Each submission

1. is matched to its chapter (the ``coursenn.chapter`` metadata the student tool writes,
   else the exercise labels in its cells, else its file name);
2. loses every autocheck cell it has: the checks that count are the **instructor's**
   autocheck cells from ``--source``, matched by exercise label, each run right after the
   student's answer cell for that label (found by the label the student tool stamps into
   the cell's metadata, else as the code cell after the exercise's text), or at the end of
   the notebook if the answer cell is gone. An edited, deleted or moved autocheck cell changes
   nothing and is noted in ``error``;
3. runs, as Run All would, in its own fresh kernel (see :mod:`coursenn.instructor.sandbox`): a cell
   that raises stops the run unless tagged ``raises-exception`` (answer cells of student
   notebooks are); a time limit, an output cap and a dead kernel stop it too. Exercises
   whose checks did not run score 0.

An exercise passes when the instructor's checks -- its autocheck cell and any cells tagged
``hidden-check`` after it (extra cases students never see) -- run without error and every
``check`` call in them reports success. The verdict is recorded by a grader-owned copy of
the exercise registry and printed with a random per-run token, read from the grader's own
cells only: printing "✅" earns nothing. The CSV has one row per notebook: ``notebook,
passed, total, error``, then one column per exercise label of ``--source`` (1 passed,
0 not, empty: another chapter).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import importlib.util
import json
import secrets
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .cells import (
    Exercise,
    ExerciseFormatError,
    exercise_directives,
    find_in_submission,
    is_autocheck,
    notebook_paths,
    read_chapter,
    same_source,
    stamp,
    tags,
)
from .sandbox import run_cells

__all__ = ["Row", "load_sources", "grade_notebooks", "write_csv", "main"]

# The grader's cell after each answer: a fresh copy of coursenn.instructor.verdict runs the checks.
CHECK_CELL = """\
def _coursenn_check(verdict_file, *args):
    import importlib.util
    spec = importlib.util.spec_from_file_location("_coursenn_verdict", verdict_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.run_check(globals(), *args)


_coursenn_check({arguments})
del _coursenn_check
"""


def _module_file(name: str) -> str:
    return importlib.util.find_spec(name).origin


@dataclass
class Row:
    """One line of the gradebook."""

    notebook: str
    chapter: str | None = None
    results: dict[str, int] = field(default_factory=dict)  # label -> 1 passed / 0 not
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(self.results.values())

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def error(self) -> str:
        return "; ".join(self.notes)


def load_sources(paths: list[Path | str]) -> dict[str, list[Exercise]]:
    """The instructor's chapters: chapter name (file stem) -> its exercises, in order.

    Raises
    ------
    ExerciseFormatError
        If any chapter breaks the exercise format (every problem listed).
    """
    chapters: dict[str, list[Exercise]] = {}
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in dict.fromkeys(notebook_paths(paths)):
        if path.stem in chapters:
            problems.append(f"{path}: a chapter named {path.stem} is already in --source")
            continue
        try:
            chapters[path.stem] = read_chapter(path)[1]
        except ExerciseFormatError as exc:
            problems += exc.problems
            continue
        for ex in chapters[path.stem]:
            if ex.label in seen:
                problems.append(f"{path}: label {ex.label!r} is also used in {seen[ex.label]}")
            seen[ex.label] = path
    if problems:
        raise ExerciseFormatError(problems)
    return chapters


def _identify(nb, name: str, chapters: dict[str, list[Exercise]]) -> str | None:
    """The chapter a submission answers: its metadata, else its labels, else its file name."""
    if nb is not None:
        meta = nb.metadata.get("coursenn", {})
        if isinstance(meta, dict) and meta.get("chapter") in chapters:
            return meta["chapter"]
        found = {label for cell in nb.cells for label, _ in exercise_directives(cell)}
        found |= {stamp(cell)[0] for cell in nb.cells} - {None}
        overlap = {ch: len(found & {ex.label for ex in exs}) for ch, exs in chapters.items()}
        if overlap and max(overlap.values()) > 0:
            return max(overlap, key=overlap.get)
    in_name = [ch for ch in chapters if ch in Path(name).name]
    return max(in_name, key=len) if in_name else None


def _plan(nb, exercises: list[Exercise], token: str):
    """Cells to run (source, tags), where each check is, which cells are answers, and notes."""
    cells = nb.cells
    after: dict[int, list[str]] = {}
    at_end, missing, edited, moved = [], [], [], []
    answer_cells = set()
    for ex in exercises:
        answer, check = find_in_submission(cells, ex)
        if answer is None:
            at_end.append(ex.label)
        else:
            answer_cells.add(answer)
            after.setdefault(answer, []).append(ex.label)
        if check is None:
            missing.append(ex.label)
        elif not same_source(cells[check].source, ex.autocheck_source):
            edited.append(ex.label)
        elif answer is not None and check != next(
            (j for j in range(answer + 1, len(cells)) if cells[j].cell_type == "code"), None
        ):
            moved.append(ex.label)
    sources = {ex.label: [ex.autocheck_source, *ex.hidden_sources] for ex in exercises}
    plan: list[tuple[str, list[str]]] = []
    origin: list[int | None] = []
    checks: dict[int, str] = {}

    def add_check(label: str) -> None:
        verdict = _module_file("coursenn.instructor.verdict")
        package = str(Path(_module_file("coursenn.exercises")).parent)
        arguments = ", ".join(map(repr, (verdict, token, label, sources[label], package)))
        checks[len(plan)] = label
        plan.append((CHECK_CELL.format(arguments=arguments), ["raises-exception"]))
        origin.append(None)

    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and not is_autocheck(cell):
            plan.append((cell.source, tags(cell)))
            origin.append(i)
            for label in after.get(i, []):
                add_check(label)
    for label in at_end:
        add_check(label)
    notes = []
    if at_end:
        notes.append(f"answer cell not found for {', '.join(at_end)} (checked at the end)")
    for what, labels in (("missing", missing), ("edited", edited), ("moved", moved)):
        if labels:
            notes.append(f"autocheck cell {what} for {', '.join(labels)} (ignored)")
    return plan, origin, checks, answer_cells, notes


def _verdicts(run_nb, checks: dict[int, str], token: str) -> dict[str, dict]:
    found = {}
    for index, label in checks.items():
        text = "".join(
            o.get("text", "")
            for o in run_nb.cells[index].get("outputs", [])
            if o.get("name") == "stdout"
        )
        for line in text.splitlines():
            if line.startswith(token + " "):
                try:
                    verdict = json.loads(line[len(token) + 1 :])
                except ValueError:
                    continue
                if isinstance(verdict, dict) and verdict.get("label") == label:
                    found[label] = verdict
    return found


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def _grade_one(path: Path, chapters, *, time_limit: float, max_output: int) -> Row:
    row = Row(str(path))
    try:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:  # outputs are never needed, and often what breaks validation
            if cell.get("cell_type") == "code":
                cell["outputs"], cell["execution_count"] = [], None
        nbformat.validate(nb)
    except Exception as exc:
        row.notes.append(f"not a valid notebook: {_short(f'{type(exc).__name__}: {exc}')}")
        nb = None
    row.chapter = _identify(nb, str(path), chapters)
    if row.chapter is None:
        row.notes.append("cannot tell which chapter of --source this notebook answers")
        return row
    exercises = chapters[row.chapter]
    row.results = {ex.label: 0 for ex in exercises}
    if nb is None:
        return row
    token = secrets.token_hex(16)
    plan, origin, checks, answers, notes = _plan(nb, exercises, token)
    run = await run_cells(plan, keep=set(checks), time_limit=time_limit, max_output=max_output)
    if run.stop is not None:
        where = run.stopped_at
        if where is None:
            row.notes.append(run.stop)
        elif origin[where] is None:
            row.notes.append(f"{run.stop} in the check of {checks[where]}")
        else:
            row.notes.append(f"{_short(run.stop)} in cell {origin[where]} (run stopped there)")
    raised = [
        f"cell {origin[i]} raised {ename}: {_short(evalue, 60)}"
        for i, ename, evalue in run.errors
        if origin[i] is not None
        and i != run.stopped_at
        and not (ename == "NotImplementedError" and origin[i] in answers)
    ]
    row.notes += raised[:3] + ([f"{len(raised) - 3} more cells raised"] if len(raised) > 3 else [])
    verdicts = _verdicts(run.nb, checks, token)
    for index, label in checks.items():
        verdict = verdicts.get(label)
        if verdict is not None:
            row.results[label] = int(verdict.get("ok") is True)
            if verdict.get("error"):
                row.notes.append(f"check of {label} raised {_short(verdict['error'], 60)}")
        elif run.stop is None or (run.stopped_at is not None and index < run.stopped_at):
            row.notes.append(f"check of {label} gave no verdict")
    row.notes += notes
    return row


def grade_notebooks(
    submissions: list[Path | str],
    sources: list[Path | str],
    *,
    time_limit: float = 300.0,
    max_output: int = 50_000_000,
    jobs: int = 1,
    progress: Callable[[Row], None] | None = None,
) -> tuple[list[Row], list[str]]:
    """Grade every submission; return the rows and the exercise labels (CSV columns).

    Parameters
    ----------
    submissions : list of Path or str
        Submitted notebooks, or folders searched recursively for ``*.ipynb``.
    sources : list of Path or str
        The instructor's chapter notebooks (or folders).
    time_limit : float
        Seconds each notebook may run (kernel start-up excluded).
    max_output : int
        Characters a notebook may output in total before its run is stopped.
    jobs : int
        Notebooks graded at the same time, each in its own kernel.
    progress : callable, optional
        Called with each row as soon as its notebook is graded.
    """
    chapters = load_sources(sources)
    paths = list(dict.fromkeys(notebook_paths(submissions, recursive=True)))
    labels = [ex.label for exs in chapters.values() for ex in exs]

    async def everything() -> list[Row]:
        gate = asyncio.Semaphore(max(1, jobs))

        async def one(path: Path) -> Row:
            async with gate:
                row = await _grade_one(path, chapters, time_limit=time_limit, max_output=max_output)
            if progress is not None:
                progress(row)
            return row

        return list(await asyncio.gather(*(one(p) for p in paths)))

    return _run(everything), labels


def _run(make_coroutine: Callable[[], Awaitable]):
    """``asyncio.run`` a coroutine, in a worker thread if this thread already runs a loop.

    A running loop is the case inside Jupyter (an instructor grading from a notebook) or
    under Playwright's sync API; ``asyncio.run`` refuses to start a second loop there.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def write_csv(rows: list[Row], labels: list[str], path: Path | str) -> None:
    """``notebook, passed, total, error`` and one 1/0 column per label (empty: not its chapter)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["notebook", "passed", "total", "error", *labels])
        for row in rows:
            marks = [row.results.get(label, "") for label in labels]
            writer.writerow([row.notebook, row.passed, row.total, row.error, *marks])


def summary(rows: list[Row]) -> str:
    """A short plain-text table: notebook, score, and the start of the error column."""
    width = max([len("notebook")] + [len(r.notebook) for r in rows])
    lines = [f"{'notebook':<{width}}  score  error", f"{'-' * width}  -----  -----"]
    for r in rows:
        lines.append(f"{r.notebook:<{width}}  {f'{r.passed}/{r.total}':>5}  {_short(r.error, 70)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None, prog: str = "coursenn grade") -> int:
    """Command line: ``coursenn grade SUBMISSIONS... --source CHAPTERS --out CSV``."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Grade submitted notebooks with the instructor's autocheck cells.",
    )
    parser.add_argument(
        "submissions", nargs="+", type=Path, metavar="SUBMISSIONS",
        help="submitted notebooks, or folders searched recursively for *.ipynb",
    )  # fmt: skip
    parser.add_argument(
        "--source", action="append", type=Path, required=True, metavar="CHAPTERS",
        help="the instructor's chapter notebook or folder of them (repeatable)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, metavar="CSV", help="gradebook to write")
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds per notebook (default 300)"
    )
    parser.add_argument(
        "--max-output-mb",
        type=float,
        default=50.0,
        help="output cap per notebook in MB of text (default 50)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="notebooks graded in parallel (default 1)"
    )
    args = parser.parse_args(argv)
    if args.timeout <= 0 or args.max_output_mb <= 0 or args.jobs < 1:
        parser.error("--timeout and --max-output-mb must be positive, --jobs at least 1")
    try:
        rows, labels = grade_notebooks(
            args.submissions, args.source, time_limit=args.timeout,
            max_output=int(args.max_output_mb * 1_000_000), jobs=args.jobs,
            progress=lambda row: print(f"graded {row.notebook}: {row.passed}/{row.total}",
                                       file=sys.stderr, flush=True),
        )  # fmt: skip
    except ExerciseFormatError as exc:
        print("error: malformed --source chapter notebook:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    write_csv(rows, labels, args.out)
    print(summary(rows))
    print(f"{len(rows)} notebooks graded; gradebook written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
