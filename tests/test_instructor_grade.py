"""coursenn grade and the student notebooks, executed: full marks, zero, and bad submissions.

Chapters are slow to run, so three module-scoped fixtures do all the executing: one grades
the student version of every chapter and the published chapters 1 and 10, one runs the student version of chapter 1 as
a student would (Run All), and one grades a folder of broken and tampered submissions built
here from chapter 1 (with a 10 s time limit for the one that loops forever, and a 1 s limit
on each call of the answer for the one whose answer loops forever).

Grading a student version runs the same cells as Run All does (stopping at an error in any
cell not tagged ``raises-exception``), in the sandbox, and its row must have an empty
``error`` column: so for every chapter that test also shows that the student version runs to
the end inside the sandbox, that only answer cells raise, and that every answer can be
collected. The attacks on the grader are in ``test_grade_attacks.py``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from coursenn.instructor import grade, student
from coursenn.instructor.cells import parse_exercises, stamp

from repo import CHAPTERS as CHAPTER_DIR
from repo import chapter_paths, read_notebook

if shutil.which("bwrap") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs bubblewrap (bwrap) for the grading tests: .ci/run installs it")
    pytest.skip(
        "bubblewrap (bwrap) is not installed: apt-get install bubblewrap", allow_module_level=True
    )

GRADED = [p for p in chapter_paths() if parse_exercises(read_notebook(p), p)]
ids = [p.stem for p in GRADED]
CH01 = CHAPTER_DIR / "01_neuron.ipynb"
# Every student version is graded (it must run to the end and score 0). The published
# chapters are graded for full marks only at the two ends of the book: nbval already runs
# every published chapter with the same checks and compares their stored ✅ lines, so
# grading all of them again would only run each chapter a third time.
FULL_MARKS = [p for p in GRADED if p.stem.startswith(("01_", "10_"))]


def labels_of(path: Path) -> list[str]:
    return [ex.label for ex in parse_exercises(read_notebook(path), path)]


def grade_cli(args: list[str], out: Path) -> tuple[dict[str, dict], list[str], str]:
    """Run ``coursenn grade`` in-process; return rows by notebook, header, stdout."""
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert grade.main([*args, "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = {row["notebook"]: row for row in reader}
        return rows, list(reader.fieldnames), stdout.getvalue()


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    student.write_student_notebooks(GRADED, out)
    return out


@pytest.fixture(scope="module")
def book_grades(student_dir, tmp_path_factory):
    """Grades of the FULL_MARKS chapters and of every student version."""
    out = tmp_path_factory.mktemp("grades") / "grades.csv"
    jobs = str(max(2, os.cpu_count() or 1))
    args = [*map(str, FULL_MARKS), str(student_dir), "--source", str(CHAPTER_DIR), "--jobs", jobs]
    return grade_cli(args, out)


@pytest.mark.parametrize("path", FULL_MARKS, ids=[p.stem for p in FULL_MARKS])
def test_published_chapter_gets_full_marks(book_grades, path):
    row = book_grades[0][str(path)]
    n = len(labels_of(path))
    assert (row["passed"], row["total"], row["error"]) == (str(n), str(n), "")
    assert [row[label] for label in labels_of(path)] == ["1"] * n


@pytest.mark.parametrize("path", GRADED, ids=ids)
def test_student_version_gets_zero(book_grades, student_dir, path):
    row = book_grades[0][str(student_dir / path.name)]
    n = len(labels_of(path))
    assert (row["passed"], row["total"], row["error"]) == ("0", str(n), "")
    assert [row[label] for label in labels_of(path)] == ["0"] * n


def test_csv_has_a_column_per_exercise_and_blanks_for_other_chapters(book_grades):
    rows, header, printed = book_grades
    everything = [label for p in chapter_paths() for label in labels_of(p)]
    assert header == ["notebook", "passed", "total", "error", *everything]
    for name, row in rows.items():
        own = set(labels_of(CHAPTER_DIR / Path(name).name))
        assert all((row[label] == "") == (label not in own) for label in everything)
        score = f"{row['passed']}/{len(own)}"
        assert re.search(rf"^{re.escape(name)} +{score}  ", printed, re.M), printed
    assert f"{len(rows)} notebooks graded" in printed


# --- a student runs the student notebook ------------------------------------------------------


@pytest.fixture(scope="module")
def executed_student(student_dir):
    """Chapter 1's student notebook after Run All (nbclient: raises-exception cells continue)."""
    nb = nbformat.read(student_dir / CH01.name, as_version=4)
    with tempfile.TemporaryDirectory() as cwd:
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": cwd}}
        )
        try:
            client.execute()
        except Exception as exc:  # reported by the test
            return exc
    return nb


def test_student_notebook_runs_to_the_end_with_a_red_check_per_exercise(executed_student):
    nb = executed_student
    assert not isinstance(nb, Exception), f"Run All stopped: {nb}"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "a cell was not executed"
    for i, cell in enumerate(code):
        errors = [o.ename for o in cell.outputs if o.output_type == "error"]
        label, role = stamp(cell)
        if role == "answer":
            top_level = "\nraise NotImplementedError()" in "\n" + cell.source
            assert errors == (["NotImplementedError"] if top_level else []), f"answer {label}"
        else:
            assert errors == [], f"code cell {i} raised {errors}"
        if role == "autocheck":
            lines = "".join(o.get("text", "") for o in cell.outputs).splitlines()
            assert lines and all(line.startswith("❌ ") for line in lines), f"{label}: {lines}"
    assert sum(stamp(c)[1] == "autocheck" for c in code) == len(LABELS)


# --- broken and tampered submissions ---------------------------------------------------------

LABELS = labels_of(CH01)


def slim(nb) -> nbformat.NotebookNode:
    """The notebook cut to its imports and its exercises (fast to run, same exercises)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    first_exercise = next(i for i, c in enumerate(nb.cells) if "{exercise}" in c.source)
    nb.cells = [nb.cells[first_code], *nb.cells[first_exercise:]]
    return nb


def role_cells(nb, role: str) -> dict[str, int]:
    return {stamp(c)[0]: i for i, c in enumerate(nb.cells) if stamp(c)[1] == role}


def inserted(nb, source: str, at: int = 1):
    nb.cells.insert(at, new_code_cell(source))
    return nb


def crafted_submissions(folder: Path, student_nb) -> dict[str, tuple[int, list[str], dict]]:
    """Write the submissions; return name -> (passed, substrings of error, label marks)."""
    published = read_notebook(CH01)
    exercises = parse_exercises(published, CH01)
    pub = {ex.label: ex for ex in exercises}
    expected = {}

    def submit(name, nb, passed, errors, marks=None):
        nbformat.write(nb, folder / name)
        expected[name] = (passed, errors, marks or {})

    (folder / "bob_01_neuron.ipynb").write_text("{ this is not json", encoding="utf-8")
    expected["bob_01_neuron.ipynb"] = (0, ["not a valid notebook: NotJSONError"], {})

    submit("raises_early.ipynb", inserted(slim(published), 'raise RuntimeError("student bug")'),
           0, ["RuntimeError: student bug in cell 1 (run stopped there)"])  # fmt: skip
    submit("loops.ipynb", inserted(slim(published), "while True:\n    pass"),
           0, ["time limit of 10 s exceeded in cell 1"])  # fmt: skip
    submit("floods.ipynb", inserted(slim(published), 'while True:\n    print("flood " * 2000)'),
           0, ["output limit of 2,000,000 characters exceeded in cell 1"])  # fmt: skip
    submit("dies.ipynb", inserted(slim(published), "import os\nos._exit(1)"),
           0, ["the kernel died in cell 1"])  # fmt: skip

    nb = slim(published)
    offset = pub[LABELS[0]].exercise_cell - 1  # slim() keeps the imports before the exercises
    drop = {pub[LABELS[0]].answer_cells[0] - offset, pub[LABELS[2]].autocheck_cell - offset}
    nb.cells = [c for i, c in enumerate(nb.cells) if i not in drop]
    submit("deleted.ipynb", nb, len(LABELS) - 1,
           [f"answer cell not found for {LABELS[0]} (checked at the end)",
            f"check of {LABELS[0]} raised NameError",
            f"autocheck cell missing for {LABELS[2]} (ignored)"],
           {LABELS[0]: "0", LABELS[1]: "1", LABELS[2]: "1", LABELS[3]: "1"})  # fmt: skip

    nb = json.loads(json.dumps(student_nb))
    nb["cells"] = []
    submit("emptied.ipynb", nbformat.from_dict(nb), 0,
           [f"answer cell not found for {', '.join(LABELS)}"])  # fmt: skip

    all_edited = f"autocheck cell edited for {', '.join(LABELS)} (ignored)"
    for name, replacement in [
        ("prints_check.ipynb", 'print("✅ all tests pass")'),
        ("always_passes.ipynb", 'import coursenn.exercises as E\nE.check = print\ncheck("✅")'),
    ]:
        nb = slim(student_nb)
        for i in role_cells(nb, "autocheck").values():
            nb.cells[i].source = replacement
        submit(name, nb, 0, [all_edited])

    patch = (  # the registry is a stub in the sandbox: patch whatever of it is there
        "import coursenn.exercises as ex\n"
        "try:\n"
        "    import coursenn.exercises._registry as reg\n"
        "    ex.judge = reg.judge = lambda *a, **k: ex.CheckResult(True, '✅')\n"
        "    for name in ex.labels():\n"
        "        ex.get(name).judge = lambda *a, **k: (True, '')\n"
        "except ImportError:\n"
        "    pass\n"
        "ex.check = check = lambda *a, **k: print('✅')"
    )
    submit("patches_checkers.ipynb", inserted(slim(student_nb), patch), 0, [])

    nb = slim(student_nb)
    for label, i in role_cells(nb, "answer").items():
        fake = json.dumps({"label": label, "ok": True, "error": None})
        nb.cells[i].source = f'print("✅ {label} is correct.")\nprint("{"0" * 32} " + {fake!r})'
    submit("prints_in_answer.ipynb", nb, 0, [f"check of {LABELS[0]} raised NameError"])

    nb = slim(published)
    check = nb.cells.pop(pub[LABELS[0]].autocheck_cell - offset)
    nb.cells.append(check)
    submit("moved.ipynb", nb, len(LABELS), [f"autocheck cell moved for {LABELS[0]} (ignored)"])

    nb = slim(student_nb)
    answers = role_cells(nb, "answer")
    for label in (LABELS[0], LABELS[-1]):
        nb.cells[answers[label]].source = published.cells[pub[label].answer_cells[0]].source
    nb.cells[answers[LABELS[1]]].source = "n_params = 1 / 0"
    submit("partial.ipynb", nb, 2,
           [f"cell {answers[LABELS[1]]} raised ZeroDivisionError: division by zero"],
           {LABELS[0]: "1", LABELS[1]: "0", LABELS[2]: "0", LABELS[3]: "1"})  # fmt: skip

    nb = slim(published)  # the first answer never returns: stopped, the others still graded
    name = re.search(r"check\([^,]+,\s*(\w+)", pub[LABELS[0]].autocheck_source).group(1)
    answer = nb.cells[pub[LABELS[0]].answer_cells[0] - offset]
    answer.source += f"\n\ndef {name}(*args):\n    while True:\n        pass\n"
    nb = inserted(nb, 'import os\nos.environ["COURSENN_CHECK_TIME_LIMIT"] = "1"')
    submit("answer_loops.ipynb", nb, len(LABELS) - 1,
           [f"{LABELS[0]}: {name}：在", "上运行超过了 1 s 的时间限制"],
           {LABELS[0]: "0", **{label: "1" for label in LABELS[1:]}})  # fmt: skip

    nbformat.write(new_notebook(cells=[new_code_cell("print(1)")]), folder / "misc.ipynb")
    expected["misc.ipynb"] = (0, ["cannot tell which chapter of --source"], {})
    return expected


@pytest.fixture(scope="module")
def crafted(student_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    expected = crafted_submissions(folder, read_notebook(student_dir / CH01.name))
    out = folder.parent / "crafted.csv"
    args = [str(folder), "--source", str(CH01), "--timeout", "10", "--max-output-mb", "2"]
    rows, header, printed = grade_cli([*args, "--jobs", str(max(2, os.cpu_count() or 1))], out)
    return folder, expected, rows, header, printed


CRAFTED = [
    "bob_01_neuron.ipynb", "raises_early.ipynb", "loops.ipynb", "floods.ipynb", "dies.ipynb",
    "deleted.ipynb", "emptied.ipynb", "prints_check.ipynb", "always_passes.ipynb",
    "patches_checkers.ipynb", "prints_in_answer.ipynb", "moved.ipynb", "partial.ipynb",
    "answer_loops.ipynb", "misc.ipynb",
]  # fmt: skip


def test_every_crafted_submission_gets_a_row(crafted):
    folder, expected, rows, header, printed = crafted
    assert sorted(expected) == sorted(CRAFTED)
    assert sorted(rows) == sorted(str(folder / name) for name in CRAFTED)
    assert header == ["notebook", "passed", "total", "error", *LABELS]


@pytest.mark.parametrize("name", CRAFTED)
def test_crafted_submission_is_graded_with_the_reason(crafted, name):
    folder, expected, rows, _, _ = crafted
    passed, errors, marks = expected[name]
    row = rows[str(folder / name)]
    total = 0 if name == "misc.ipynb" else len(LABELS)
    assert (int(row["passed"]), int(row["total"])) == (passed, total), row
    for fragment in errors:
        assert fragment in row["error"], row["error"]
    if not errors:
        assert row["error"] == "", row["error"]
    for label in LABELS:
        want = marks.get(label, "" if total == 0 else str(int(passed == total)))
        assert row[label] == want, (label, row)


# --- errors in the command line (no kernel starts) -------------------------------------------


def test_malformed_source_is_reported_and_nothing_is_graded(tmp_path, capsys):
    nb = nbformat.from_dict(json.loads(json.dumps(read_notebook(CH01))))
    answer = parse_exercises(nb, CH01)[0].answer_cells[0]
    nb.cells[answer].source = nb.cells[answer].source.replace("### END SOLUTION", "")
    bad = tmp_path / "01_neuron.ipynb"
    nbformat.write(nb, bad)
    out = tmp_path / "grades.csv"
    assert grade.main([str(CH01), "--source", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: cell {answer}: line 2: unterminated ### BEGIN SOLUTION" in err
    assert not out.exists()


def test_two_chapters_with_one_label_are_refused(tmp_path, capsys):
    copy = tmp_path / "01_copy.ipynb"
    copy.write_bytes(CH01.read_bytes())
    args = [str(CH01), "--source", str(CH01), "--source", str(copy), "--out", str(tmp_path / "g")]
    assert grade.main(args) == 1
    assert f"{copy}: label {LABELS[0]!r} is also used in {CH01}" in capsys.readouterr().err


def test_missing_submission_is_reported(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    args = [str(missing), "--source", str(CH01), "--out", str(tmp_path / "g.csv")]
    assert grade.main(args) == 1
    assert f"{missing}: no such file or folder" in capsys.readouterr().err


# --- hidden grading cases ----------------------------------------------------------------------

HIDDEN_FORWARD = """\
rng_hidden = np.random.default_rng(2024)
X_big = rng_hidden.normal(size=(50, 3))
W1_h, b1_h = rng_hidden.normal(size=(3, 5)), rng_hidden.normal(size=5)
W2_h, b2_h = rng_hidden.normal(size=(5, 2)), rng_hidden.normal(size=2)
check("ch01-forward", forward,
      cases=[((X_big, W1_h, b1_h, W2_h, b2_h), np.tanh(X_big @ W1_h + b1_h) @ W2_h + b2_h)])
"""

# Right on the public cases (batches of 1 and 4 samples), wrong on a batch of 50.
CHEAT_FORWARD = """\
def forward(X, W1, b1, W2, b2):
    out = np.tanh(X @ W1 + b1) @ W2 + b2
    return out if len(X) < 10 else 0 * out
"""


@pytest.fixture(scope="module")
def hidden_grades(student_dir, tmp_path_factory):
    """Chapter 1 with a hidden case for ch01-forward; an honest and a cheating submission."""
    folder = tmp_path_factory.mktemp("hidden")
    source = slim(read_notebook(CH01))
    (ex,) = [e for e in parse_exercises(source, CH01) if e.label == "ch01-forward"]
    hidden = new_code_cell(HIDDEN_FORWARD, metadata={"tags": ["hidden-check"]})
    source.cells.insert(ex.autocheck_cell + 1, hidden)
    (folder / "source").mkdir()
    nbformat.write(source, folder / "source" / CH01.name)
    honest = slim(read_notebook(student_dir / CH01.name))
    published = {e.label: e for e in parse_exercises(source, CH01)}
    for label, i in role_cells(honest, "answer").items():
        honest.cells[i].source = source.cells[published[label].answer_cells[0]].source
    cheat = nbformat.from_dict(json.loads(json.dumps(honest)))
    cheat.cells[role_cells(cheat, "answer")["ch01-forward"]].source = CHEAT_FORWARD
    (folder / "subs").mkdir()
    nbformat.write(honest, folder / "subs" / "honest.ipynb")
    nbformat.write(cheat, folder / "subs" / "cheat.ipynb")
    args = [str(folder / "subs"), "--source", str(folder / "source"), "--jobs", "2"]
    rows, _, _ = grade_cli(args, folder / "grades.csv")
    return {Path(name).name: row for name, row in rows.items()}, source


def test_the_student_version_has_no_hidden_case(hidden_grades):
    _, source = hidden_grades
    out = student.student_notebook(source, parse_exercises(source, CH01), CH01)
    assert "X_big" not in nbformat.writes(out)


def test_a_hidden_case_fails_an_answer_that_passes_every_public_case(hidden_grades):
    rows, _ = hidden_grades
    assert rows["honest.ipynb"]["ch01-forward"] == "1"
    assert rows["honest.ipynb"]["passed"] == rows["honest.ipynb"]["total"]
    assert rows["cheat.ipynb"]["ch01-forward"] == "0"
    assert int(rows["cheat.ipynb"]["passed"]) == int(rows["cheat.ipynb"]["total"]) - 1
