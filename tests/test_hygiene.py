"""Every chapter notebook is stored executed, clean, listed in the book, and well formed.

nbval compares nothing in a cell whose execution_count is null, so a notebook with its
outputs cleared would pass nbval: these checks close that hole and the others DESIGN §7 lists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from repo import BOOK, CHAPTERS, chapter_paths, headings_and_labels, labels, read_notebook

NOTEBOOKS = chapter_paths()
ids = [p.stem for p in NOTEBOOKS]

ABSOLUTE_PATH = re.compile(
    r"(?<![\w.])(/home/|/root/|/tmp/|/work/|/usr/|/opt/|/var/|/Users/|[A-Za-z]:\\\\)|site-packages"
)
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
DATA_URI = re.compile(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def output_texts(cell) -> list[str]:
    """The human-readable text of a cell's outputs (images' base64 data left out)."""
    texts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            texts.append(out.text)
        elif out.output_type == "error":
            texts.append("\n".join(out.traceback))
        else:
            for mime in ("text/plain", "text/html", "text/markdown", "text/latex"):
                if mime in out.get("data", {}):
                    texts.append(DATA_URI.sub("data:...", out.data[mime]))
    return texts


def test_there_are_chapters():
    assert NOTEBOOKS, f"no chapter notebooks in {CHAPTERS}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_code_cells_executed_in_order(path: Path):
    counts = [c.execution_count for c in code_cells(read_notebook(path))]
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts}: re-run `python tools/execute_notebooks.py`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_kernelspec_is_python3(path: Path):
    assert read_notebook(path).metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_error_outputs_unless_tagged(path: Path):
    for i, cell in enumerate(code_cells(read_notebook(path))):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors:
            assert "raises-exception" in tags(cell), f"code cell {i} has an error output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_stderr_output(path: Path):
    """Warnings in stderr differ between machines and break nbval's comparison."""
    for i, cell in enumerate(code_cells(read_notebook(path))):
        stderr = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"code cell {i} wrote to stderr: {stderr}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_absolute_paths_or_addresses_in_outputs(path: Path):
    for i, cell in enumerate(code_cells(read_notebook(path))):
        for text in output_texts(cell):
            assert not ABSOLUTE_PATH.search(text), f"code cell {i}: absolute path in {text[:300]!r}"
            assert not ADDRESS.search(text), f"code cell {i}: memory address in {text[:300]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_widget_state_stored(path: Path):
    nb = read_notebook(path)
    assert "widgets" not in nb.metadata
    for cell in code_cells(nb):
        for out in cell.outputs:
            assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {})


def _toc_files(entries) -> list[str]:
    files = []
    for entry in entries or []:
        if "file" in entry:
            files.append(entry["file"])
        for key in ("chapters", "sections", "parts"):
            files += _toc_files(entry.get(key))
    return files


def toc_files() -> list[str]:
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + _toc_files(toc.get("parts")) + _toc_files(toc.get("chapters"))


def test_toc_and_chapters_match():
    listed = {f for f in toc_files() if f.startswith("chapters/")}
    present = {f"chapters/{p.stem}" for p in NOTEBOOKS}
    assert listed == present, (
        f"only in _toc.yml: {listed - present}; not in _toc.yml: {present - listed}"
    )


def test_every_toc_entry_exists():
    missing = [
        f
        for f in toc_files()
        if not any((BOOK / f"{f}{ext}").is_file() for ext in (".md", ".ipynb"))
    ]
    assert not missing, f"_toc.yml lists missing files: {missing}"


def test_book_chapters_is_a_relative_symlink():
    link = BOOK / "chapters"
    assert link.is_symlink() and Path(link.readlink()).as_posix() == "../chapters"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_chapter_opens_with_goals_and_ends_with_summary_and_exercises(path: Path):
    nb = read_notebook(path)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    first = headings_and_labels(markdown[0])
    assert first and first[0][0].startswith("# "), "the first cell is the chapter title"
    assert markdown[0].startswith(f"({first[0][1]})=\n# "), "the title is the first cell's start"
    assert "本章目标" in "\n".join(markdown[:2])
    headings = [line for src in markdown for line in src.splitlines() if line.startswith("## ")]
    assert any("小结" in h for h in headings) and any("练习" in h for h in headings)
    assert headings.index(next(h for h in headings if "小结" in h)) > len(headings) // 2


EXERCISE = re.compile(r"```\{exercise\}.*?\n:label:\s*(\S+)", re.S)
EXERCISE_KINDS = ("implement", "compute", "explain", "debug")


def exercises(nb) -> list[tuple[str, int]]:
    """(label, cell index) of every exercise directive."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found += [(m.group(1), i) for m in EXERCISE.finditer(cell.source)]
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_exercises_have_solution_and_passing_autocheck(path: Path):
    nb = read_notebook(path)
    found = exercises(nb)
    number = path.name[:2]
    # at least 3 per chapter; a chapter split in two (05_, 05b_) counts both notebooks
    in_chapter = sum(len(exercises(read_notebook(p))) for p in NOTEBOOKS if p.name[:2] == number)
    assert found, f"{path.name} has no exercise"
    assert in_chapter >= 3, f"chapter {number} has {in_chapter} exercises, expected at least 3"
    for label, _ in found:
        assert label.startswith(f"ch{number}-"), f"label {label!r} must start with ch{number}-"
        starts = [
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown"
            and re.search(r"```\{solution-start\}\s+" + re.escape(label) + r"\s*\n", c.source)
        ]
        assert len(starts) == 1, f"{label}: expected one solution-start, found {len(starts)}"
        s = starts[0]
        assert ":class: dropdown" in nb.cells[s].source, f"{label}: solution must be collapsed"
        sol, end, check = nb.cells[s + 1], nb.cells[s + 2], nb.cells[s + 3]
        assert sol.cell_type == "code" and "solution" in tags(sol), f"{label}: no solution cell"
        assert "### BEGIN SOLUTION" in sol.source and "### END SOLUTION" in sol.source
        assert end.cell_type == "markdown" and "```{solution-end}" in end.source
        assert check.cell_type == "code" and "autocheck" in tags(check), f"{label}: no autocheck"
        printed = "".join(output_texts(check))
        assert "✅" in printed and "❌" not in printed, f"{label}: autocheck says {printed!r}"
    for label, i in found:
        meta = nb.cells[i].metadata.get("coursenn", {}).get("exercise")
        assert isinstance(meta, dict), f"{label}: no coursenn.exercise metadata in cell {i}"
        assert meta.get("kind") in EXERCISE_KINDS, f"{label}: kind {meta.get('kind')!r}"
        objective = meta.get("objective")
        assert isinstance(objective, str) and objective.strip(), f"{label}: no objective"
        assert objective.isascii(), f"{label}: the objective is written in English"
        for key, low, high in (("difficulty", 1, 3), ("minutes", 1, 240)):
            value = meta.get(key)
            assert type(value) is int and low <= value <= high, f"{label}: {key} {value!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_has_scrubber_and_hidden_live_version(path: Path):
    nb = read_notebook(path)
    cells = code_cells(nb)
    assert any('class="cnn-scrubber"' in t for c in cells for t in output_texts(c)), (
        "no kernel-free scrubber in the stored outputs"
    )
    live = [c for c in cells if "live(" in c.source]
    assert live, "no live ipywidgets demo"
    for c in live:
        assert "remove-output" in tags(c), "live widget cells must be tagged remove-output"
        assert "NBVAL_IGNORE_OUTPUT" in c.source


LINKS = re.compile(r"\{(?:doc|ref|numref)\}`[^`]*`|\[[^\]]*\]\([^)]*\)")
CHAPTER_MENTION = re.compile(r"第\s*(\d{1,2})\s*章")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_mentions_of_other_written_chapters_are_links(path: Path):
    """ "第 5 章" in prose must be a {doc} link once chapter 5 exists, so -W catches a broken one."""
    written = {int(p.name[:2]) for p in NOTEBOOKS}
    own = int(path.name[:2])
    for i, cell in enumerate(read_notebook(path).cells):
        if cell.cell_type != "markdown":
            continue
        text = LINKS.sub("", cell.source)
        for match in CHAPTER_MENTION.finditer(text):
            number = int(match.group(1))
            assert number == own or number not in written, (
                f"markdown cell {i}: {match.group(0)!r} is not a link: write "
                f"{{doc}}`{match.group(0)} <{number:02d}_...>`"
            )


# --- section labels: stable, readable anchors (issue 22, item 5) -------------------------


def chapter_part(path: Path) -> str:
    """The number part of a chapter file name: ``05`` for 05_backprop, ``05b`` for 05b_..."""
    return path.name.split("_", 1)[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_heading_has_a_chapter_label(path: Path):
    """Sphinx gives a Chinese heading the anchor #id7; a label line before it gives #chNN-slug."""
    part = chapter_part(path)
    form = re.compile(rf"ch{part}-[a-z0-9]+(?:-[a-z0-9]+)*")
    checked = 0
    for i, cell in enumerate(read_notebook(path).cells):
        if cell.cell_type != "markdown":
            continue
        for heading, label in headings_and_labels(cell.source):
            assert label is not None, (
                f"markdown cell {i}: {heading!r} has no label: put a line (ch{part}-english-slug)= "
                "directly before it"
            )
            assert form.fullmatch(label), (
                f"markdown cell {i}: the label {label!r} of {heading!r} is not of the form "
                f"ch{part}-english-slug (lowercase ASCII words joined by '-')"
            )
            checked += 1
    assert checked >= 5, f"only {checked} headings found in {path.name}"


def book_labels() -> list[tuple[str, str]]:
    """(label, where) for every label of the book: chapter cells and the book's own pages."""
    found = []
    for path in NOTEBOOKS:
        for i, cell in enumerate(read_notebook(path).cells):
            if cell.cell_type == "markdown":
                found += [(label, f"{path.name} cell {i}") for label in labels(cell.source)]
    for page in sorted(BOOK.glob("*.md")):
        found += [(label, page.name) for label in labels(page.read_text(encoding="utf-8"))]
    return found


def test_labels_are_unique_across_the_book():
    """Labels are global in Sphinx: a section label must not repeat an exercise's or another's."""
    places: dict[str, list[str]] = {}
    for label, where in book_labels():
        places.setdefault(label, []).append(where)
    assert len(places) > 150, f"only {len(places)} labels found"
    repeated = {label: where for label, where in places.items() if len(where) > 1}
    assert not repeated, f"labels defined more than once: {repeated}"


def test_headings_and_labels_are_read_outside_code():
    source = "\n".join(
        [
            "(ch01-intro)=",
            "# Title",
            "",
            "## 没有标签",
            "```python",
            "# a comment, not a heading",
            "```",
            "````{exercise} 题目",
            ":label: ch01-task",
            "```python",
            ":label: not-a-label",
            "```",
            "````",
            "(ch01-end)=",
            "",
            "### 空行隔开的标签",
        ]
    )
    assert headings_and_labels(source) == [
        ("# Title", "ch01-intro"),
        ("## 没有标签", None),
        ("### 空行隔开的标签", None),
    ]
    assert labels(source) == ["ch01-intro", "ch01-task", "ch01-end"]
