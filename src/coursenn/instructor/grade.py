"""Grade submitted notebooks with the instructor's checks, into a CSV gradebook.

::

    coursenn grade SUBMISSIONS... --source CHAPTERS --out grades.csv [--jobs N] [--seed S]

``SUBMISSIONS`` are notebooks or folders (searched recursively); ``--source`` names the
instructor's chapter notebooks (files or folders). Each submission

1. is read once, into the grader's memory (the files are never written or opened again), and
   matched to its chapter (the ``coursenn.chapter`` metadata the student tool writes, else the
   exercise labels in its cells, else its file name);
2. loses every autocheck cell it has; after the student's answer cell of each exercise (found
   by the label the student tool stamps into the cell's metadata, else as the code cell after
   the exercise's text; at the end of the notebook if the answer cell is gone) the grader puts
   a *collect* cell (:mod:`coursenn.instructor.collect`) that hands the answer back as plain
   data: the value, or for a function exercise its outcome on the case inputs the grader sends;
3. runs, as Run All would, in its own fresh kernel inside a sandbox
   (:mod:`coursenn.instructor.sandbox`): a cell that raises stops the run unless tagged
   ``raises-exception`` (answer cells of student notebooks are); a time limit, an output cap
   and a dead kernel stop it too.

The verdict is taken **here, in the grader's process**, from that data alone
(:meth:`coursenn.exercises.Function.decide` and friends): the expected values, the hidden
cases and the judgement never exist in the student's kernel. Function exercises are graded
on their public cases, on fresh cases drawn for this run from a secret seed (printed to
stderr; ``--seed`` replays a run) and on the instructor's ``hidden-check`` cells, which are
read here (each ``check(label, answer, cases=[(args, expected), ...])`` call in them), never
run in a kernel. Requirements on the code ("only numpy", "built from ReLUs") are read from the
submitted source with ``ast`` (:mod:`coursenn.instructor.source`).

The CSV has one row per notebook: ``notebook, passed, total, error``, then one column per
exercise label of ``--source`` (1 passed, 0 not, empty: another chapter). It is written
atomically once every run has ended; cells that a spreadsheet would read as a formula are
neutralised and control characters removed (:mod:`coursenn.instructor.gradebook`).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import exercises
from ..exercises._kinds import Reply, unanswered
from . import wire
from .cells import ExerciseFormatError, is_autocheck, notebook_paths
from .gradebook import clean, short, write_csv
from .plan import Plan, identify, make_plan
from .replies import AnswerRaised, NotData, read_reply, replies_in
from .sandbox import INSTALL_HINT, Limits, SandboxUnavailable, bwrap_path, run_cells
from .source import suspicious
from .sources import load_sources

__all__ = ["Row", "grade_notebooks", "write_csv", "summary", "main"]

DEFAULT_LIMITS = Limits()


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


def _attempted(reply: Reply) -> bool:
    """Did the student answer at all (not the placeholder, not the unfinished stub)?"""
    if not reply.callable:
        return not unanswered(reply.value)
    return not any(o.not_implemented for o in reply.outcomes)


def _judge(row: Row, run, plan: Plan, code_sources: list[str]) -> None:
    """Decide every exercise whose collect cell ran, from its reply alone."""
    for index, src in plan.collects.items():
        label = src.exercise.label
        found = replies_in(run.nb, index)
        if not found:
            if run.stop is None or (run.stopped_at is not None and index < run.stopped_at):
                row.notes.append(f"check of {label} gave no answer")
            continue
        if len(found) > 1:
            row.notes.append(f"check of {label} gave {len(found)} answers (forged output?)")
            continue
        try:
            reply = read_reply(found[0], src, code_sources)
            exercise = exercises.get(label)
            ok, detail = exercise.decide(src.trial, reply)
        except AnswerRaised as exc:
            row.notes.append(f"check of {label} raised {exc.args[0]}: {short(exc.args[1], 60)}")
            continue
        except NotData as exc:
            row.notes.append(f"answer of {label} is not plain data ({exc})")
            continue
        except wire.WireError as exc:
            row.notes.append(f"answer of {label} could not be read: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 -- a reply no exercise expects: 0, with why
            row.notes.append(f"answer of {label} could not be judged: {type(exc).__name__}")
            continue
        row.results[label] = int(ok is True)
        if not ok and _attempted(reply):
            row.notes.append(f"{label}: {short(detail, 120)}")
        if ok and reply.code.dynamic:  # a failed code requirement says so in the ❌ line
            row.notes.append(
                f"{label}: passed, but the answer's code looks names up at run time "
                f"({', '.join(sorted(reply.code.dynamic))}): check it by hand"
            )


async def _grade_one(path: Path, chapters, *, time_limit: float, max_output: int,
                     sandbox: Limits | None) -> Row:  # fmt: skip
    row = Row(str(path))
    try:
        data = path.read_bytes()
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        for cell in nb.cells:  # outputs are never needed, and often what breaks validation
            if cell.get("cell_type") == "code":
                cell["outputs"], cell["execution_count"] = [], None
        nbformat.validate(nb)
    except Exception as exc:
        row.notes.append(f"not a valid notebook: {short(f'{type(exc).__name__}: {exc}')}")
        nb, data = None, b""
    row.chapter = identify(nb, str(path), chapters)
    if row.chapter is None:
        row.notes.append("cannot tell which chapter of --source this notebook answers")
        return row
    sources = chapters[row.chapter]
    row.results = {s.exercise.label: 0 for s in sources}
    if nb is None:
        return row
    plan = make_plan(nb, sources)
    run = await run_cells(
        plan.cells, keep=set(plan.collects), time_limit=time_limit, max_output=max_output,
        sandbox=sandbox, files={path.name: data},
    )  # fmt: skip
    origin = plan.origin
    if run.stop is not None:
        where = run.stopped_at
        if where is None:
            row.notes.append(short(run.stop))
        elif where in plan.collects:
            label = plan.collects[where].exercise.label
            row.notes.append(f"{short(run.stop)} in the check of {label}")
        elif origin[where] is None:
            row.notes.append(f"{short(run.stop)} in the grader's set-up cell")
        else:
            row.notes.append(f"{short(run.stop)} in cell {origin[where]} (run stopped there)")
    answers = set(plan.answers.values())
    raised = [
        f"cell {origin[i]} raised {short(ename, 40)}: {short(evalue, 60)}"
        for i, ename, evalue in run.errors
        if origin[i] is not None
        and i != run.stopped_at
        and not (ename == "NotImplementedError" and origin[i] in answers)
    ]
    row.notes += raised[:3] + ([f"{len(raised) - 3} more cells raised"] if len(raised) > 3 else [])
    code_cells = {
        i: c.source for i, c in enumerate(nb.cells) if c.cell_type == "code" and not is_autocheck(c)
    }
    _judge(row, run, plan, list(code_cells.values()))
    row.notes += plan.notes
    for number, what in suspicious(code_cells):
        row.notes.append(f"cell {number} uses {what} (reported, not scored)")
    row.notes = [clean(note) for note in row.notes]
    return row


def grade_notebooks(
    submissions: list[Path | str],
    sources: list[Path | str],
    *,
    time_limit: float = 300.0,
    max_output: int = 50_000_000,
    jobs: int = 1,
    sandbox: Limits | None = DEFAULT_LIMITS,
    seed: int | None = None,
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
    sandbox : Limits or None
        Limits of each notebook's bubblewrap sandbox; ``None`` runs kernels unsandboxed.
    seed : int, optional
        Seed of this run's fresh grading cases (default: a new secret one).
    progress : callable, optional
        Called with each row as soon as its notebook is graded.

    Raises
    ------
    SandboxUnavailable
        If ``sandbox`` is given and bubblewrap is not installed (before any notebook runs).
    """
    if sandbox is not None and bwrap_path() is None:
        raise SandboxUnavailable(INSTALL_HINT)
    seed = secrets.randbits(63) if seed is None else seed
    chapters = load_sources(sources, seed)
    paths = list(dict.fromkeys(notebook_paths(submissions, recursive=True)))
    labels = [s.exercise.label for srcs in chapters.values() for s in srcs]

    async def everything() -> list[Row]:
        gate = asyncio.Semaphore(max(1, jobs))

        async def one(path: Path) -> Row:
            async with gate:
                row = await _grade_one(
                    path, chapters, time_limit=time_limit, max_output=max_output, sandbox=sandbox
                )
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


def summary(rows: list[Row]) -> str:
    """A short plain-text table: notebook, score, and the start of the error column."""
    names = [clean(r.notebook) for r in rows]
    width = max([len("notebook")] + [len(n) for n in names])
    lines = [f"{'notebook':<{width}}  score  error", f"{'-' * width}  -----  -----"]
    for name, r in zip(names, rows, strict=True):
        lines.append(f"{name:<{width}}  {f'{r.passed}/{r.total}':>5}  {short(r.error, 70)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None, prog: str = "coursenn grade") -> int:
    """Command line: ``coursenn grade SUBMISSIONS... --source CHAPTERS --out CSV``."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Grade submitted notebooks with the instructor's checks, each notebook in "
        "its own sandboxed kernel (bubblewrap).",
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
        "--max-output-mb", type=float, default=50.0,
        help="output cap per notebook in MB of text (default 50)",
    )  # fmt: skip
    parser.add_argument(
        "--jobs", type=int, default=1, help="notebooks graded in parallel (default 1)"
    )
    parser.add_argument(
        "--memory-mb", type=int, default=Limits.memory_mb,
        help=f"address space of each kernel in MB (default {Limits.memory_mb})",
    )  # fmt: skip
    parser.add_argument(
        "--seed", type=int, default=None,
        help="seed of the fresh grading cases (default: a new secret one, printed to stderr)",
    )  # fmt: skip
    parser.add_argument(
        "--no-sandbox", action="store_true",
        help="run submissions WITHOUT the bubblewrap sandbox (only for notebooks you trust)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.timeout <= 0 or args.max_output_mb <= 0 or args.jobs < 1 or args.memory_mb < 256:
        parser.error(
            "--timeout and --max-output-mb must be positive, --jobs at least 1, "
            "--memory-mb at least 256"
        )
    sandbox = None if args.no_sandbox else Limits(memory_mb=args.memory_mb)
    if sandbox is None:
        print(
            "WARNING: --no-sandbox: every submission runs as you, with your files, network "
            "and processes in reach; its own code can change its marks and others'.",
            file=sys.stderr,
        )
    elif bwrap_path() is None:
        print(f"error: bubblewrap (bwrap) not found. {INSTALL_HINT}", file=sys.stderr)
        return 1
    seed = secrets.randbits(63) if args.seed is None else args.seed
    print(f"grading seed {seed} (--seed {seed} replays these cases)", file=sys.stderr)
    try:
        rows, labels = grade_notebooks(
            args.submissions, args.source, time_limit=args.timeout,
            max_output=int(args.max_output_mb * 1_000_000), jobs=args.jobs, sandbox=sandbox,
            seed=seed,
            progress=lambda row: print(
                f"graded {clean(row.notebook)}: {row.passed}/{row.total}",
                file=sys.stderr, flush=True,
            ),
        )  # fmt: skip
    except ExerciseFormatError as exc:
        print("error: malformed --source chapter notebook:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {clean(problem)}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {clean(str(exc))}", file=sys.stderr)
        return 1
    write_csv(rows, labels, args.out)
    print(summary(rows))
    print(f"{len(rows)} notebooks graded; gradebook written to {clean(str(args.out))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
