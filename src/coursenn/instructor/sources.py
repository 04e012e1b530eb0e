"""The instructor's chapters, read for grading: each exercise's answer expression and trial.

For every exercise of a ``--source`` chapter the grader needs what its autocheck cell hands
to ``check`` (:func:`answer_expression`), the extra cases of its ``hidden-check`` cells
(:func:`hidden_cases`, run here in the grader, never in a student's kernel) and the
:class:`~coursenn.exercises.Trial` drawn for this grading run (:func:`load_sources`).
"""

from __future__ import annotations

import ast
import builtins
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import exercises
from ..exercises._kinds import Case, Trial
from .cells import Exercise, ExerciseFormatError, notebook_paths, read_chapter

__all__ = ["Source", "answer_expression", "hidden_cases", "load_sources"]


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
