"""Paths of the repository, readers for its notebooks and README's commands, shared by the tests."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat
from chapter_files import every_chapter  # tools/ is on sys.path (tests/conftest.py)

from coursenn.instructor.cells import parse_exercises, solution_regions

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
CHAPTERS = ROOT / "chapters"


def chapter_paths() -> list[Path]:
    """Every chapter notebook, in lecture order (tools/chapter_files.py)."""
    return every_chapter()


@functools.cache
def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook as stored (cached: tests only read it)."""
    return nbformat.read(path, as_version=4)


def readme_command(marker: str) -> str:
    """The command in README's fenced block after ``<!-- marker -->`` (build-command, test-command)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.+?)\n```", text)
    if match is None:
        raise LookupError(f"README.md has no {marker} block")
    return match.group(1).strip()


# --- MyST markdown: headings and labels (issue 22, item 5) ---------------------------------

_FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(.*?)\s*$")
_HEADING = re.compile(r"^#{1,6}\s")
_TARGET = re.compile(r"^\(([^()\s]+)\)=\s*$")
_OPTION_LABEL = re.compile(r"^\s*:(?:label|name):\s*(\S+)\s*$")


def _prose_lines(source: str) -> list[tuple[str, bool]]:
    """``(line, in_directive)`` for every line of MyST markdown outside code blocks.

    Fences whose info string starts with ``{`` are directives: their body is markdown (it may
    hold further fences); any other fence is code, left out up to its closing fence. The fence
    lines themselves are left out too.
    """
    lines: list[tuple[str, bool]] = []
    open_fences: list[tuple[str, bool]] = []  # (fence, is_directive), innermost last
    for line in source.splitlines():
        fence = _FENCE.match(line)
        if fence and open_fences:
            marker, _ = open_fences[-1]
            closes = fence.group(1)[0] == marker[0] and len(fence.group(1)) >= len(marker)
            if closes and not fence.group(2):
                open_fences.pop()
                continue
        in_code = bool(open_fences) and not open_fences[-1][1]
        if in_code:
            continue
        if fence:
            open_fences.append((fence.group(1), fence.group(2).startswith("{")))
            continue
        lines.append((line, bool(open_fences)))
    return lines


def headings_and_labels(source: str) -> list[tuple[str, str | None]]:
    """Every heading of a markdown text, with the label ``(label)=`` on the line just before it
    (None where there is none). Lines in code blocks and directives are not headings."""
    found = []
    previous = ""
    for line, in_directive in _prose_lines(source):
        if not in_directive and _HEADING.match(line):
            target = _TARGET.match(previous)
            found.append((line, target.group(1) if target else None))
        previous = line
    return found


def labels(source: str) -> list[str]:
    """The Sphinx labels a markdown text defines: ``(label)=`` lines and the ``:label:`` or
    ``:name:`` options of its directives (exercises, figures, notes), in order."""
    found = []
    for line, in_directive in _prose_lines(source):
        target = _TARGET.match(line)
        option = _OPTION_LABEL.match(line) if in_directive else None
        if target or option:
            found.append((target or option).group(1))
    return found


def solution_lines(nb: nbformat.NotebookNode) -> set[str]:
    """Every line a chapter shows only in its solutions (regions, dropdowns, solution-only cells).

    Lines the chapter also shows elsewhere (a find-the-bug exercise prints the buggy code, whose
    correct lines reappear in the solution) are not secrets and are left out.
    """
    secret, public = set(), set()
    hidden = {i for ex in parse_exercises(nb, "chapter") for i in ex.gate}
    for i, cell in enumerate(nb.cells):
        lines = cell.source.splitlines()
        if "solution-only" in cell.metadata.get("tags", []):
            secret |= {line.strip() for line in lines}
            continue
        inside = set()
        if cell.cell_type == "code":
            for begin, end in solution_regions(cell.source):
                inside |= set(range(begin, end + 1))
        elif i in hidden:
            inside = set(range(len(lines)))
        secret |= {line.strip() for n, line in enumerate(lines) if n in inside}
        public |= {line.strip() for n, line in enumerate(lines) if n not in inside}
    return {line for line in secret - public if line and not line.startswith("```")}
