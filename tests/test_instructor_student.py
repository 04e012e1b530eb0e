"""coursenn.instructor.student: student notebooks keep no trace of a solution; the exercise index is current.

These tests start no kernel: tests/test_instructor_grade.py executes the notebooks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from coursenn.instructor import index, student
from coursenn.instructor.cells import (
    BEGIN,
    END,
    LEAK_MARKERS,
    ExerciseFormatError,
    parse_exercises,
    solution_regions,
)

from repo import BOOK, ROOT, chapter_paths, read_notebook, solution_lines

CHAPTERS = chapter_paths()
META = {"kind": "implement", "objective": "Double a number.", "difficulty": 2, "minutes": 4}


def exercise(label: str = "ch09-double", answer: str | None = None) -> list:
    """The five cells of one exercise in the format of DESIGN §5."""
    answer = answer or (
        "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x  # secret-line\n    ### END SOLUTION"
    )
    return [
        new_markdown_cell(
            f"```{{exercise}} Double it\n:label: {label}\n\nWrite `double`.\n```",
            metadata={"coursenn": {"exercise": dict(META)}},
        ),
        new_markdown_cell(f"```{{solution-start}} {label}\n:class: dropdown\n```"),
        new_code_cell(answer, metadata={"tags": ["solution"]}),
        new_markdown_cell("```{solution-end}\n```"),
        new_code_cell(
            f'check("{label}", double)',
            metadata={"tags": ["autocheck"]},
        ),
    ]


def chapter(*cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_markdown_cell("# Chapter"), *cells])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def save(nb, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


# --- the stub that replaces a region ---------------------------------------------------------


def test_regions_become_stubs_raising_inside_functions_only():
    source = (
        "import numpy as np\n"
        "def f(x):\n"
        "    y = x  # kept\n"
        "    ### BEGIN SOLUTION\n"
        "    return 2 * y\n"
        "    ### END SOLUTION\n"
        "answer = None\n"
        f"{BEGIN}\n"
        "answer = f(3)\n"
        f"{END}\n"
        "print(answer)"
    )
    assert student.strip_solutions(source) == (
        "import numpy as np\n"
        "def f(x):\n"
        "    y = x  # kept\n"
        "    # YOUR CODE HERE\n"
        "    raise NotImplementedError()\n"
        "answer = None\n"
        "# YOUR CODE HERE\n"
        "print(answer)"
    )


@pytest.mark.parametrize(
    "source, reason",
    [
        (f"x = 1\n{BEGIN}\nx = 2", f"line 2: unterminated {BEGIN}"),
        (f"x = 1\n{END}", f"line 2: {END} without {BEGIN}"),
        (f"{BEGIN}\n{BEGIN}\n{END}", f"line 2: {BEGIN} inside another solution region"),
    ],
    ids=["unterminated", "end-without-begin", "nested"],
)
def test_malformed_regions_are_named_by_line(source, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        solution_regions(source)


# --- one crafted chapter, every rule ---------------------------------------------------------


def test_student_notebook_strips_gates_and_solution_only_cells_and_keeps_autochecks():
    cells = exercise()
    cells.insert(3, new_markdown_cell("Explanation: doubling is x + x. secret-explanation"))
    cells.insert(4, new_code_cell("print('secret-only')", metadata={"tags": ["solution-only"]}))
    demo = new_code_cell("print('demo')", execution_count=3)
    demo.outputs = [new_output("stream", name="stdout", text="demo\n")]
    nb = chapter(demo, *cells)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.cells[3].execution_count = 4

    out = student.student_notebook(nb, parse_exercises(nb, "ch.ipynb"), "09_demo.ipynb")

    assert [c.cell_type for c in out.cells] == ["markdown", "code", "markdown", "code", "code"]
    answer, check = out.cells[3], out.cells[4]
    assert answer.source == "def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    assert answer.metadata["tags"] == ["raises-exception"]
    assert answer.metadata["coursenn"] == {"label": "ch09-double", "role": "answer"}
    assert check.source == nb.cells[-1].source
    assert check.metadata["coursenn"] == {"label": "ch09-double", "role": "autocheck"}
    assert out.cells[2].metadata["coursenn"]["exercise"] == META
    text = nbformat.writes(out)
    assert "secret" not in text and "solution-start" not in text and "solution-end" not in text
    assert all(c.outputs == [] and c.execution_count is None for c in out.cells if "outputs" in c)
    assert "widgets" not in out.metadata
    assert out.metadata["coursenn"] == {"chapter": "09_demo", "version": "student"}
    assert nb.cells[1].outputs, "the instructor's notebook is left unchanged"


def _drop(indices):
    def mutate(cells):
        return [c for i, c in enumerate(cells) if i not in indices]

    return mutate


def _replace(index, cell):
    def mutate(cells):
        return [cell if i == index else c for i, c in enumerate(cells)]

    return mutate


# Each mutation of a one-exercise chapter (cells 1-5 after the title) and what is reported.
MALFORMED = [
    pytest.param(
        _replace(2, new_code_cell(f"def double(x):\n    {BEGIN}\n    return 2 * x")),
        3,
        f"line 2: unterminated {BEGIN}",
        id="unterminated-region",
    ),
    pytest.param(_drop({1, 2, 3}), 1, "exercise 'ch09-double' has no solution", id="no-solution"),
    pytest.param(_drop({3}), 2, "solution of 'ch09-double' is never closed", id="gate-open"),
    pytest.param(
        _replace(2, new_code_cell("x = 2 * 3", metadata={"tags": ["solution"]})),
        3,
        f"code cell in the solution of 'ch09-double' has no {BEGIN} region",
        id="answer-without-region",
    ),
    pytest.param(_drop({4}), 1, "exercise 'ch09-double' has no autocheck cell", id="no-autocheck"),
    pytest.param(
        _replace(0, new_markdown_cell("```{exercise} Double\nWrite it.\n```")),
        1,
        "{exercise} without a :label:",
        id="no-label",
    ),
    pytest.param(
        lambda cells: [*cells, new_code_cell(f"{BEGIN}\nx = 1\n{END}")],
        6,
        "solution region outside a {solution-start}",
        id="region-outside-gate",
    ),
    pytest.param(
        lambda cells: [*cells, new_markdown_cell("```{solution} ch09-double\nx\n```")],
        6,
        "a {solution} directive",
        id="plain-solution-directive",
    ),
]


@pytest.mark.parametrize("mutate, cell, reason", MALFORMED)
def test_malformed_chapter_is_reported_and_nothing_is_written(tmp_path, mutate, cell, reason):
    good = save(chapter(*exercise("ch08-good")), tmp_path / "08_good.ipynb")
    bad = save(chapter(*mutate(exercise())), tmp_path / "09_bad.ipynb")
    out = tmp_path / "out"
    with pytest.raises(ExerciseFormatError) as info:
        student.write_student_notebooks([good, bad], out)
    assert f"{bad}: cell {cell}: {reason}" in str(info.value)
    assert all(str(bad) in p for p in info.value.problems)
    assert not out.exists(), "a student notebook was written although a chapter is malformed"


def test_cli_reports_file_cell_and_reason(tmp_path, capsys):
    bad = save(chapter(*_drop({1, 2, 3})(exercise())), tmp_path / "09_bad.ipynb")
    assert student.main([str(bad), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: cell 1: exercise 'ch09-double' has no solution" in err
    assert not (tmp_path / "out").exists()


def test_cli_converts_a_folder(tmp_path, capsys):
    folder = tmp_path / "chapters"
    folder.mkdir()
    save(chapter(*exercise("ch08-a")), folder / "08_a.ipynb")
    save(chapter(*exercise("ch09-b")), folder / "09_b.ipynb")
    assert student.main([str(folder), "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["08_a.ipynb", "09_b.ipynb"]
    assert capsys.readouterr().out.count("wrote ") == 2


def test_cli_refuses_to_overwrite_the_chapters(tmp_path, capsys):
    path = save(chapter(*exercise()), tmp_path / "09_demo.ipynb")
    before = path.read_bytes()
    assert student.main([str(path), "--out", str(tmp_path)]) == 1
    assert "would overwrite a chapter notebook" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_cli_needs_out_or_index(capsys):
    with pytest.raises(SystemExit) as info:
        student.main(["chapters"])
    assert info.value.code == 2
    assert "--out DIR, --index PAGE" in capsys.readouterr().err


# --- the real chapters -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    assert student.main([str(ROOT / "chapters"), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_solution_text_survives(student_dir, path):
    nb = read_notebook(path)
    text = (student_dir / path.name).read_text(encoding="utf-8")
    for marker in LEAK_MARKERS:
        assert marker not in text
    assert '"solution' not in text, "a solution or solution-only tag survives"
    out = nbformat.reads(text, as_version=4)
    student_lines = {line.strip() for c in out.cells for line in c.source.splitlines()}
    leaked = solution_lines(nb) & student_lines
    assert not leaked, f"solution lines in the student notebook: {sorted(leaked)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_autocheck_and_every_answer_cell_survives(student_dir, path):
    nb = read_notebook(path)
    out = nbformat.read(student_dir / path.name, as_version=4)
    exercises = parse_exercises(nb, path)
    checks = [c.source for c in out.cells if "autocheck" in c.metadata.get("tags", [])]
    assert checks == [nb.cells[ex.autocheck_cell].source for ex in exercises]
    answers = [c for c in out.cells if c.metadata.get("coursenn", {}).get("role") == "answer"]
    assert len(answers) == sum(len(ex.answer_cells) for ex in exercises)
    for cell in answers:
        assert "# YOUR CODE HERE" in cell.source
        assert cell.metadata["tags"] == ["raises-exception"]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_student_notebook_carries_no_outputs(student_dir, path):
    raw = json.loads((student_dir / path.name).read_text(encoding="utf-8"))
    code = [c for c in raw["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert "widgets" not in raw["metadata"]
    assert raw["metadata"]["coursenn"]["chapter"] == path.stem
    nbformat.validate(nbformat.reads(json.dumps(raw), as_version=4))


# --- the exercise index of the instructor guide ----------------------------------------------

GUIDE = BOOK / "instructors.md"
BLOCK = re.compile(r"<!-- exercise-index: start[^\n]*-->\n(.*?)<!-- exercise-index: end -->", re.S)


def test_instructor_guide_index_is_current():
    stored = BLOCK.search(GUIDE.read_text(encoding="utf-8"))
    assert stored, "book/instructors.md has no exercise-index block"
    assert stored.group(1) == index.exercise_index(CHAPTERS, book=BOOK), (
        "the exercise index is stale: run `coursenn index`"
    )


def test_index_lists_every_exercise_with_its_metadata():
    table = index.exercise_index(CHAPTERS, book=BOOK)
    rows = [line for line in table.splitlines() if line.startswith("| {doc}")]
    expected = [ex for p in CHAPTERS for ex in parse_exercises(read_notebook(p), p)]
    assert len(rows) == len(expected)
    for row, ex in zip(rows, expected, strict=True):
        number = int(ex.chapter[:2])
        assert f"{{doc}}`第 {number} 章 <chapters/{ex.chapter}>`" in row and f"<{ex.label}>" in row
        assert f"| {index.KIND_NAMES[ex.metadata['kind']]} |" in row
        assert "★" * ex.metadata["difficulty"] in row
        assert f"| {ex.metadata['minutes']} |" in row
    total = sum(ex.metadata["minutes"] for ex in expected)
    assert f"共 {len(expected)} 道练习，预计总用时约 {total} 分钟。" in table


def test_update_index_rewrites_only_the_block(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    path = save(chapter(*exercise()), tmp_path / "09_demo.ipynb")
    page = book / "guide.md"
    page.write_text(
        "before\n<!-- exercise-index: start -->\nold\n<!-- exercise-index: end -->\nafter\n"
    )
    assert student.main([str(path), "--index", str(page)]) == 0
    text = page.read_text()
    assert text.startswith("before\n<!-- exercise-index: start -->\n| 章 |")
    assert text.endswith("<!-- exercise-index: end -->\nafter\n")
    assert "| {doc}`第 9 章 <../09_demo>` | {ref}`ch09-double <ch09-double>` | Double it |" in text
    assert index.update_index(page, [path]) is False  # regenerating changes nothing


def test_update_index_needs_the_markers(tmp_path, capsys):
    path = save(chapter(*exercise()), tmp_path / "09_demo.ipynb")
    page = tmp_path / "guide.md"
    page.write_text("no markers\n")
    assert student.main([str(path), "--index", str(page)]) == 1
    assert "no '<!-- exercise-index: start -->'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "meta, reason",
    [
        ({}, "no coursenn.exercise metadata"),
        ({**META, "kind": "quiz"}, "kind must be one of"),
        ({**META, "difficulty": 4}, "difficulty must be an integer from 1 to 3, got 4"),
        ({**META, "minutes": "5"}, "minutes must be an integer from 1 to 240, got '5'"),
        ({**META, "objective": " "}, "objective must be a non-empty sentence"),
    ],
    ids=["missing", "kind", "difficulty", "minutes", "objective"],
)
def test_index_rejects_exercises_without_valid_metadata(tmp_path, meta, reason):
    cells = exercise()
    cells[0].metadata["coursenn"]["exercise"] = meta
    path = save(chapter(*cells), tmp_path / "09_demo.ipynb")
    with pytest.raises(ExerciseFormatError, match=re.escape(f"cell 1: ch09-double: {reason}")):
        index.exercise_index([path], book=tmp_path)


def test_instructor_guide_is_in_the_appendix_before_the_api():
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    appendix = next(p for p in toc["parts"] if p["caption"] == "附录")
    files = [c["file"] for c in appendix["chapters"]]
    assert files.index("instructors") == files.index("api") - 1


# --- hidden grading cases ---------------------------------------------------------------------


def _hidden(source: str = 'check("ch09-double", double, cases=[((21,), 42)])  # secret-case'):
    return new_code_cell(source, metadata={"tags": ["hidden-check"]})


def test_hidden_checks_are_parsed_and_never_reach_students():
    nb = chapter(*exercise(), _hidden(), _hidden())
    (ex,) = parse_exercises(nb, "ch.ipynb")
    assert ex.hidden_cells == [6, 7] and len(ex.hidden_sources) == 2
    out = student.student_notebook(nb, [ex], "09_demo.ipynb")
    text = nbformat.writes(out)
    assert "secret-case" not in text and "hidden-check" not in text
    assert [c.cell_type for c in out.cells][-1] == "code"  # the autocheck stays last


@pytest.mark.parametrize(
    "cells, reason",
    [
        pytest.param(
            lambda cells: [*cells[:3], _hidden(), *cells[3:]],
            "hidden-check cell inside the solution",
            id="inside-gate",
        ),
        pytest.param(
            lambda cells: [*cells, new_code_cell("x = 1"), _hidden()],
            "must come right after its autocheck cell",
            id="not-after-autocheck",
        ),
        pytest.param(
            lambda cells: [*cells, _hidden(f"{BEGIN}\nx = 1\n{END}")],
            "hidden-check cell contains a solution region",
            id="region",
        ),
    ],
)
def test_misplaced_hidden_checks_are_reported(cells, reason):
    nb = chapter(*cells(exercise()))
    with pytest.raises(ExerciseFormatError, match=reason):
        parse_exercises(nb, "ch.ipynb")


def test_console_script_runs_the_commands(tmp_path, capsys):
    from coursenn.instructor import cli

    path = save(chapter(*exercise()), tmp_path / "09_demo.ipynb")
    assert cli.main(["student", str(path), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "09_demo.ipynb").is_file()
    assert cli.main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err
    assert cli.main(["--help"]) == 0 and "coursenn grade" in capsys.readouterr().out


# --- the chapters' exercises and the registry ----------------------------------------------------


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_autocheck_is_one_check_call_for_its_own_label(path):
    import ast

    nb = read_notebook(path)
    for ex in parse_exercises(nb, path):
        tree = ast.parse(ex.autocheck_source)
        assert len(tree.body) == 1, f"{ex.label}: the autocheck cell must be one statement"
        call = tree.body[0].value if isinstance(tree.body[0], ast.Expr) else None
        assert isinstance(call, ast.Call) and getattr(call.func, "id", None) == "check", ex.label
        assert not call.keywords and len(call.args) == 2, f"{ex.label}: check(label, answer)"
        label, answer = call.args
        assert isinstance(label, ast.Constant) and label.value == ex.label
        assert isinstance(answer, (ast.Name, ast.Tuple)), f"{ex.label}: pass the answer's name"


def test_the_registry_holds_exactly_the_chapters_exercises():
    from coursenn import exercises

    in_chapters = {ex.label for p in CHAPTERS for ex in parse_exercises(read_notebook(p), p)}
    assert set(exercises.labels()) == in_chapters


def test_an_answer_name_defined_only_inside_the_solution_is_refused():
    answer = f"{BEGIN}\nn_params = 42\n{END}"
    cells = exercise(answer=answer)
    cells[-1] = new_code_cell('check("ch09-double", n_params)', metadata={"tags": ["autocheck"]})
    nb = chapter(*cells)
    with pytest.raises(ExerciseFormatError, match="must define 'n_params' outside the solution"):
        student.student_notebook(nb, parse_exercises(nb, "ch.ipynb"), "09_demo.ipynb")
