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
import ast
import asyncio
import builtins
import json
import secrets
import sys
import zlib
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from .. import exercises
from ..exercises._kinds import Case, Reply, Trial, unanswered
from ..exercises._probe import Outcome
from . import wire
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
from .collect import MIME, request
from .gradebook import clean, short, write_csv
from .sandbox import Limits, SandboxUnavailable, bwrap_path, run_cells
from .source import answer_code, suspicious

__all__ = ["Row", "Source", "load_sources", "grade_notebooks", "write_csv", "main"]

DEFAULT_LIMITS = Limits()
# Run before the student's first cell: the collect module is then the package's own even if
# the submission writes a coursenn/ folder into its working directory (first on sys.path).
SETUP_CELL = "import coursenn.instructor.collect"
COLLECT_CELL = '__import__("coursenn.instructor.collect", fromlist=["reply"]).reply(globals(), {})'


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


@dataclass
class Source:
    """One exercise as the instructor's chapter states it, ready to grade."""

    exercise: Exercise
    expression: str  # what the autocheck cell hands to check(), e.g. "forward"
    trial: Trial


class _Recorder(dict):
    """Namespace of a hidden-check cell read in the grader: unknown names are the answer."""

    def __missing__(self, key: str):
        if hasattr(builtins, key):
            raise KeyError(key)
        return _ANSWER


_ANSWER = object()


def answer_expression(source: str, label: str) -> str:
    """The answer expression of an autocheck cell ``check("label", EXPRESSION)``.

    Raises
    ------
    ValueError
        If the cell is not exactly one such call.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(f"autocheck cell of {label} is not Python: {exc}") from exc
    calls = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    ]
    if len(tree.body) != 1 or len(calls) != 1 or len(calls[0].args) != 2:
        raise ValueError(f"autocheck cell of {label} must be one call check({label!r}, answer)")
    first, answer = calls[0].args
    if not (isinstance(first, ast.Constant) and first.value == label):
        raise ValueError(f"autocheck cell of {label} checks another label")
    return ast.get_source_segment(source, answer)


def hidden_cases(sources: list[str], label: str) -> list[Case]:
    """The cases of the ``check(label, ..., cases=[...])`` calls in hidden-check cells.

    The cells are the instructor's own code and run here, with ``numpy`` as ``np``; any name
    they use that they do not define stands for the student's answer (never called).
    """
    found: list[Case] = []

    def check(called, answer=None, *, cases=None):
        if called != label:
            raise ValueError(f"a hidden-check cell after {label} checks {called!r}")
        if cases is None:
            raise ValueError(f"the hidden-check call for {label} gives no cases=[...]")
        found.extend(c if isinstance(c, Case) else Case(*c) for c in cases)

    for source in sources:
        scope = _Recorder(np=np, numpy=np, check=check)
        exec(compile(source, f"<hidden check of {label}>", "exec"), {"np": np}, scope)  # noqa: S102
    return found


def load_sources(paths: list[Path | str], seed: int = 0) -> dict[str, list[Source]]:
    """The instructor's chapters: chapter name (file stem) -> its exercises, ready to grade.

    Each exercise's :class:`~coursenn.exercises.Trial` is drawn once, with a generator
    seeded by ``seed`` and the label: every submission of one run gets the same cases.

    Raises
    ------
    ExerciseFormatError
        If any chapter breaks the exercise format, or an autocheck or hidden-check cell
        cannot be read (every problem listed).
    """
    chapters: dict[str, list[Source]] = {}
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in dict.fromkeys(notebook_paths(paths)):
        if path.stem in chapters:
            problems.append(f"{path}: a chapter named {path.stem} is already in --source")
            continue
        try:
            found = read_chapter(path)[1]
        except ExerciseFormatError as exc:
            problems += exc.problems
            continue
        chapters[path.stem] = []
        for ex in found:
            if ex.label in seen:
                problems.append(f"{path}: label {ex.label!r} is also used in {seen[ex.label]}")
            seen[ex.label] = path
            try:
                expression = answer_expression(ex.autocheck_source, ex.label)
                extra = hidden_cases(ex.hidden_sources, ex.label)
                rng = np.random.default_rng([seed, zlib.crc32(ex.label.encode())])
                trial = exercises.get(ex.label).trial(rng, extra)
            except Exception as exc:  # the instructor's own cells: say which and why
                problems.append(f"{path}: exercise {ex.label}: {type(exc).__name__}: {exc}")
                continue
            chapters[path.stem].append(Source(ex, expression, trial))
    if problems:
        raise ExerciseFormatError(problems)
    return chapters


def _identify(nb, name: str, chapters: dict[str, list[Source]]) -> str | None:
    """The chapter a submission answers: its metadata, else its labels, else its file name."""
    if nb is not None:
        meta = nb.metadata.get("coursenn", {})
        if isinstance(meta, dict) and meta.get("chapter") in chapters:
            return meta["chapter"]
        found = {label for cell in nb.cells for label, _ in exercise_directives(cell)}
        found |= {stamp(cell)[0] for cell in nb.cells} - {None}
        overlap = {
            ch: len(found & {s.exercise.label for s in srcs}) for ch, srcs in chapters.items()
        }
        if overlap and max(overlap.values()) > 0:
            return max(overlap, key=overlap.get)
    in_name = [ch for ch in chapters if ch in Path(name).name]
    return max(in_name, key=len) if in_name else None


@dataclass
class _Plan:
    cells: list[tuple[str, list[str]]] = field(default_factory=list)  # (source, tags) to run
    origin: list[int | None] = field(default_factory=list)  # submission cell, None: collect
    collects: dict[int, Source] = field(default_factory=dict)  # plan index -> exercise
    answers: dict[str, int] = field(default_factory=dict)  # label -> submission cell
    notes: list[str] = field(default_factory=list)


def _plan(nb, sources: list[Source]) -> _Plan:
    """The cells to run: the student's code cells (autochecks removed) and the collect cells."""
    cells = nb.cells
    plan = _Plan()
    after: dict[int, list[Source]] = {}
    at_end, missing, edited, moved = [], [], [], []
    for src in sources:
        ex = src.exercise
        answer, check = find_in_submission(cells, ex)
        if answer is None:
            at_end.append(src)
        else:
            plan.answers[ex.label] = answer
            after.setdefault(answer, []).append(src)
        if check is None:
            missing.append(ex.label)
        elif not same_source(cells[check].source, ex.autocheck_source):
            edited.append(ex.label)
        elif answer is not None and check != next(
            (j for j in range(answer + 1, len(cells)) if cells[j].cell_type == "code"), None
        ):
            moved.append(ex.label)

    def add_collect(src: Source) -> None:
        plan.collects[len(plan.cells)] = src
        text = request(src.expression, src.trial.calls)
        plan.cells.append((COLLECT_CELL.format(repr(text)), ["raises-exception"]))
        plan.origin.append(None)

    plan.cells.append((SETUP_CELL, []))
    plan.origin.append(None)
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and not is_autocheck(cell):
            plan.cells.append((cell.source, tags(cell)))
            plan.origin.append(i)
            for src in after.get(i, []):
                add_collect(src)
    for src in at_end:
        add_collect(src)
    if at_end:
        labels = ", ".join(s.exercise.label for s in at_end)
        plan.notes.append(f"answer cell not found for {labels} (checked at the end)")
    for what, labels in (("missing", missing), ("edited", edited), ("moved", moved)):
        if labels:
            plan.notes.append(f"autocheck cell {what} for {', '.join(labels)} (ignored)")
    return plan


def _outcome(data) -> Outcome:
    if type(data) is not dict or set(data) != {
        "result",
        "error",
        "warnings",
        "calls",
        "args_after",
    }:
        raise wire.WireError("malformed outcome")
    error, warnings_, calls = data["error"], data["warnings"], data["calls"]
    if error is not None and not (
        type(error) is list and len(error) == 2 and all(type(e) is str for e in error)
    ):
        raise wire.WireError("malformed error")
    if type(warnings_) is not list or not all(type(w) is str for w in warnings_):
        raise wire.WireError("malformed warnings")
    if type(calls) is not list or not all(
        type(c) is list and len(c) == 2 and type(c[0]) is str and type(c[1]) is int for c in calls
    ):
        raise wire.WireError("malformed calls")
    args_after = None if data["args_after"] is None else wire.decode(data["args_after"])
    return Outcome(
        result=wire.decode(data["result"]),
        error=None if error is None else (error[0], error[1]),
        warnings=list(warnings_),
        calls=[(name, size) for name, size in calls],
        args_after=args_after if isinstance(args_after, tuple) else None,
    )


def _reply(text, src: Source, code_sources: list[str]) -> Reply:
    """Rebuild the kernel's reply (raises WireError, or ValueError saying what the answer was)."""
    if type(text) is not str:
        raise wire.WireError("reply is not text")
    if len(text) > 2 * wire.MAX_BYTES:
        raise wire.WireError("reply too large")
    try:
        payload = json.loads(text, parse_constant=_refuse)
    except (ValueError, RecursionError) as exc:
        raise wire.WireError("reply is not JSON") from exc
    if type(payload) is not dict or type(payload.get("status")) is not str:
        raise wire.WireError("malformed reply")
    status = payload["status"]
    if status == "error":
        error = payload.get("error")
        if not (type(error) is list and len(error) == 2 and all(type(e) is str for e in error)):
            raise wire.WireError("malformed reply")
        raise _AnswerRaised(error[0], error[1])
    if status == "callable":
        return Reply(callable=True)
    if status == "value":
        return Reply(value=wire.decode(payload.get("value")))
    if status == "unencodable":
        raise _NotData(str(payload.get("type"))[:60])
    if status == "called":
        outcomes = payload.get("outcomes")
        calls = src.trial.calls or []
        if type(outcomes) is not list or len(outcomes) != len(calls):
            raise wire.WireError("reply does not answer every call")
        code = answer_code(code_sources, src.expression)
        return Reply(True, outcomes=[_outcome(o) for o in outcomes], code=code)
    raise wire.WireError("unknown reply status")


def _refuse(name: str):
    raise wire.WireError(f"JSON constant {name} is not allowed")


class _AnswerRaised(Exception):
    """Evaluating the answer expression raised (e.g. NameError: the answer is gone)."""


class _NotData(Exception):
    """The answer is an object the wire cannot carry."""


def _replies(run_nb, index: int) -> list:
    return [
        out.get("data", {}).get(MIME)
        for out in run_nb.cells[index].get("outputs", [])
        if out.get("output_type") == "display_data" and MIME in out.get("data", {})
    ]


def _attempted(reply: Reply) -> bool:
    """Did the student answer at all (not the placeholder, not the unfinished stub)?"""
    if not reply.callable:
        return not unanswered(reply.value)
    return not any(o.not_implemented for o in reply.outcomes)


def _judge(row: Row, run, plan: _Plan, code_sources: list[str]) -> None:
    """Decide every exercise whose collect cell ran, from its reply alone."""
    for index, src in plan.collects.items():
        label = src.exercise.label
        found = _replies(run.nb, index)
        if not found:
            if run.stop is None or (run.stopped_at is not None and index < run.stopped_at):
                row.notes.append(f"check of {label} gave no answer")
            continue
        if len(found) > 1:
            row.notes.append(f"check of {label} gave {len(found)} answers (forged output?)")
            continue
        try:
            reply = _reply(found[0], src, code_sources)
            exercise = exercises.get(label)
            ok, detail = exercise.decide(src.trial, reply)
        except _AnswerRaised as exc:
            row.notes.append(f"check of {label} raised {exc.args[0]}: {short(exc.args[1], 60)}")
            continue
        except _NotData as exc:
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
        dynamic = sorted(reply.code.dynamic)
        if dynamic:
            row.notes.append(
                f"{label}: the answer's code looks names up at run time ({', '.join(dynamic)}): "
                "its code requirements cannot be read, check it by hand"
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
    row.chapter = _identify(nb, str(path), chapters)
    if row.chapter is None:
        row.notes.append("cannot tell which chapter of --source this notebook answers")
        return row
    sources = chapters[row.chapter]
    row.results = {s.exercise.label: 0 for s in sources}
    if nb is None:
        return row
    plan = _plan(nb, sources)
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
        from .sandbox import INSTALL_HINT

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
        from .sandbox import INSTALL_HINT

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
