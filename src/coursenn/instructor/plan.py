"""What runs in a submission's kernel: its code cells, and a collect cell after each answer.

:func:`identify` tells which chapter a submission answers; :func:`make_plan` lists the cells
to run -- the student's code cells without their autocheck cells, a set-up cell first, and
after each exercise's answer cell the grader's *collect* cell
(:mod:`coursenn.instructor.collect`) carrying that exercise's request -- and notes what the
student moved, edited or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cells import exercise_directives, find_in_submission, is_autocheck, same_source, stamp, tags
from .collect import request
from .sources import Source

__all__ = ["Plan", "identify", "make_plan", "SETUP_CELL", "COLLECT_CELL"]

# Run before the student's first cell: the collect module is then the package's own even if
# the submission writes a coursenn/ folder into its working directory (first on sys.path).
SETUP_CELL = "import coursenn.instructor.collect"
COLLECT_CELL = '__import__("coursenn.instructor.collect", fromlist=["reply"]).reply(globals(), {})'


def identify(nb, name: str, chapters: dict[str, list[Source]]) -> str | None:
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
class Plan:
    """The cells to run in order, where each came from, which are collect cells, and notes."""

    cells: list[tuple[str, list[str]]] = field(default_factory=list)  # (source, tags) to run
    origin: list[int | None] = field(default_factory=list)  # submission cell, None: collect
    collects: dict[int, Source] = field(default_factory=dict)  # plan index -> exercise
    answers: dict[str, int] = field(default_factory=dict)  # label -> submission cell
    notes: list[str] = field(default_factory=list)


def make_plan(nb, sources: list[Source]) -> Plan:
    """The cells to run: the student's code cells (autochecks removed) and the collect cells."""
    cells = nb.cells
    plan = Plan()
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
