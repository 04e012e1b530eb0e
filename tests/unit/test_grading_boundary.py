"""The grader's trusted side without a kernel: the wire format, the source reader, the
gradebook, hidden-check cells and the command line's refusals.

Everything here reads data a student's kernel or notebook produced, so the tests feed it
hostile data: forms the encoder never makes, formula-looking names, escapes, huge inputs.
"""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from coursenn import exercises
from coursenn.exercises._kinds import Reply
from coursenn.exercises._probe import Ref, Rng, run_all
from coursenn.exercises._requirements import code_of
from coursenn.instructor import grade, gradebook, sandbox, sources, wire
from coursenn.instructor.source import answer_code, suspicious

# --- wire -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None, True, 3, -2.5, float("nan"), float("inf"), 1 + 2j, "文字", ..., Rng(7), Ref("coursenn.nn.activations.relu"),
        [1, [2.0, None]], (1, (2,)), {"a": [1], "b": (2.0,)},
        np.float64(0.25), np.int32(-4), np.array(3.0), np.arange(6.0).reshape(2, 3).T,
        np.array([1 + 1j, np.nan]), np.array([True, False]), np.zeros((0, 4), dtype=np.uint8),
    ],
)  # fmt: skip
def test_plain_data_survives_the_round_trip(value):
    back = wire.loads(wire.dumps(value))
    if isinstance(value, np.ndarray):
        assert type(back) is np.ndarray and back.shape == value.shape
        assert back.dtype == value.dtype and np.array_equal(back, value, equal_nan=True)
    elif isinstance(value, np.generic):
        assert back == value.item() and type(back) is type(value.item())
    elif isinstance(value, float) and np.isnan(value):
        assert np.isnan(back)
    else:
        assert back == value and type(back) is type(value)


def test_read_only_arrays_stay_read_only():
    array = np.arange(3.0)
    array.setflags(write=False)
    assert not wire.loads(wire.dumps(array)).flags.writeable
    assert wire.loads(wire.dumps(np.arange(3.0))).flags.writeable


class Sneaky(float):
    pass


@pytest.mark.parametrize(
    "value", [Sneaky(1.0), object(), lambda: 1, np.array([object()]), {1: 2}, np.datetime64(1, "D")]
)
def test_what_is_not_plain_data_is_refused_by_the_encoder(value):
    with pytest.raises(wire.Unencodable):
        wire.encode(value)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"$pickle": "gASV"}', "unknown tag"),
        ('{"a": 1, "b": 2}', "unexpected dict"),
        ('{"$array": {"dtype": "|O", "shape": [1], "data": "", "readonly": false}}', "not allowed"),
        ('{"$array": {"dtype": ">f8", "shape": [1], "data": "AAAAAAAA8D8=", "readonly": false}}',
         "not allowed"),
        ('{"$array": {"dtype": "<f8", "shape": [2], "data": "AAAAAAAA8D8=", "readonly": false}}',
         "does not match"),
        ('{"$array": {"dtype": "<f8", "shape": [100000000000], "data": "", "readonly": false}}',
         "more data"),
        ('{"$array": {"dtype": "<f8", "shape": [-1], "data": "", "readonly": false}}', "malformed"),
        ('{"$array": {"dtype": "<f8", "shape": [1], "data": "!!", "readonly": false}}', "base64"),
        ('{"$float": "1e999"}', "not a number"),
        ('{"$ref": "os.system"}', "coursenn function"),
        ("NaN", "not JSON"),
        ("[" * 5000 + "]" * 5000, "not JSON|nested too deeply"),
        ("[" * 30 + "]" * 30, "nested too deeply"),
        ("1" + "0" * 30, "out of range"),
    ],
)  # fmt: skip
def test_the_decoder_refuses_every_other_form(text, says):
    with pytest.raises(wire.WireError, match=says):
        wire.loads(text)


# --- the submitted source, read with ast ------------------------------------------------------


def test_answer_code_follows_helpers_and_resolves_imports():
    cells = [
        "import numpy as np\nfrom coursenn.nn import activations as A\nimport coursenn.nn.losses",
        "def helper(x):\n    return A.elu(x) + coursenn.nn.losses.mse_loss(x, x)[0]",
        "def my_elu(x, alpha=1.0):\n    return helper(x) * np.tanh(alpha)",
        "def unrelated():\n    return A.relu(1.0)",
    ]
    code = answer_code(cells, "my_elu")
    assert {"coursenn.nn.activations.elu", "coursenn.nn.losses.mse_loss"} <= code.refs
    assert "coursenn.nn.activations.relu" not in code.refs  # not reachable from the answer
    assert {"helper", "tanh", "elu"} <= code.names
    assert code.uses("coursenn.nn.activations") == [
        "coursenn.nn.activations",
        "coursenn.nn.activations.elu",
    ]


def test_answer_code_sees_a_library_function_handed_in_directly():
    cells = ["from coursenn.nn.activations import elu", "my_elu = elu"]
    assert "coursenn.nn.activations.elu" in answer_code(cells, "my_elu").refs


def test_unparsable_cells_are_skipped_and_magics_translated():
    cells = [
        "%matplotlib inline\nimport coursenn.nn.activations as act",
        "def f(:",
        "f2 = act.tanh",
    ]
    assert "coursenn.nn.activations.tanh" in answer_code(cells, "f2").refs


def test_run_time_lookups_are_found_but_a_method_named_eval_is_not():
    cells = [
        "import coursenn.nn.layers as L",
        "def helper(name):\n    return getattr(L, name)",
        "def train(X):\n    model = helper('De' + 'nse')(64, 10)\n    return model.eval()",
        "def honest(X):\n    model = L.Dense(64, 10)\n    return model.eval().forward(X)",
        "def peeks(f):\n    return f.__globals__['x']",
    ]
    assert answer_code(cells, "train").dynamic == {"getattr"}
    assert answer_code(cells, "honest").dynamic == frozenset()
    assert answer_code(cells, "peeks").dynamic == {"__globals__"}


def test_suspicious_code_is_named_by_cell():
    found = suspicious({3: "import sys\nsys.settrace(t)", 5: "open('/proc/1/environ')", 6: "x = 1"})
    assert found == [(3, "tracing or frames"), (5, "other processes' /proc")]


# --- the instructor's autocheck and hidden-check cells ----------------------------------------


def test_answer_expression_is_the_second_argument_of_the_one_check_call():
    assert sources.answer_expression('check("ch01-x", forward)', "ch01-x") == "forward"
    assert sources.answer_expression('check("ch01-x", d["a"])\n', "ch01-x") == 'd["a"]'
    for bad in ['check("ch01-y", f)', "print(1)", 'check("ch01-x", f)\ncheck("ch01-x", g)']:
        with pytest.raises(ValueError, match="ch01-x"):
            sources.answer_expression(bad, "ch01-x")


def test_hidden_check_cells_give_cases_and_never_touch_the_answer():
    source = (
        "X = np.arange(3.0)\n"
        "check('ch01-forward', forward, cases=[((X,), X * 2), ((X[:1],), X[:1] * 2)])"
    )
    cases = sources.hidden_cases([source], "ch01-forward")
    assert [c.args[0].shape for c in cases] == [(3,), (1,)]
    np.testing.assert_array_equal(cases[0].expected, [0.0, 2.0, 4.0])
    with pytest.raises(ValueError, match="checks 'ch01-nand'"):
        sources.hidden_cases(["check('ch01-nand', f, cases=[])"], "ch01-forward")


# --- the gradebook ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("\x1b[32mgraded 4/4\x1b[0m", "graded 4/4"),
        ("a\r\nb\tc\x00d\x07", "a b c d"),
        ("\x1b]8;;http://x\x07link\x1b]8;;\x07", "link"),
        ("right\u202eto left", "right to left"),
    ],
)
def test_clean_removes_escapes_and_control_characters(text, clean):
    assert gradebook.clean(text) == clean


def test_the_csv_holds_no_formula_and_no_escape(tmp_path):
    row = grade.Row("=cmd|'/C calc'!A0.ipynb", results={"ch01-x": 1})
    row.notes = ['cell 2 raised =HYPERLINK("http://x","y"): \x1b[31mboom', "@SUM(1)", "+1", "-2"]
    out = tmp_path / "g.csv"
    gradebook.write_csv([row], ["ch01-x"], out)
    text = out.read_text(encoding="utf-8")
    assert "\x1b" not in text
    with out.open(encoding="utf-8", newline="") as handle:
        cells = [cell for line in csv.reader(handle) for cell in line]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert cells[5].startswith("'=cmd") and list(tmp_path.iterdir()) == [out]


def test_the_error_column_is_capped(tmp_path):
    row = grade.Row("a.ipynb", results={})
    row.notes = ["x" * 5000]
    gradebook.write_csv([row], [], tmp_path / "g.csv")
    with (tmp_path / "g.csv").open(encoding="utf-8", newline="") as handle:
        error = list(csv.DictReader(handle))[0]["error"]
    assert len(error) == gradebook.ERROR_LIMIT


# --- the command line refuses to run submissions unsandboxed ---------------------------------


def test_without_bubblewrap_grading_refuses_and_says_how_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    monkeypatch.setattr(grade, "bwrap_path", lambda: None)
    nb = tmp_path / "x.ipynb"
    nb.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    code = grade.main(
        [str(nb), "--source", "chapters/01_neuron.ipynb", "--out", str(tmp_path / "g")]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "apt-get install bubblewrap" in err and "--no-sandbox" in err
    assert not (tmp_path / "g").exists()
    with pytest.raises(sandbox.SandboxUnavailable, match="bubblewrap"):
        grade.grade_notebooks([nb], ["chapters/01_neuron.ipynb"])


# --- what grading probes is drawn anew -----------------------------------------------------------


def _graded(label: str, answer, seed: int = 5) -> bool:
    """The grader's verdict on ``answer`` (probed in this process, decided as the grader does)."""
    exercise = exercises.get(label)
    trial = exercise.trial(np.random.default_rng(seed))
    reply = Reply(True, outcomes=run_all(answer, trial.calls), code=code_of(answer))
    return exercise.decide(trial, reply)[0]


def test_a_requirement_cannot_be_met_by_special_casing_the_checks_own_probe():
    def raises_only_on_the_probes(W, F, S, P):
        if (W, F, S, P) in [(10, 3, 2, 0), (6, 3, 2, 0)]:
            raise ValueError("does not fit")
        return (W - F + 2 * P) // S + 1

    def mutates_unless_probed(W, c):
        if W.shape != (2, 2):
            W *= np.minimum(1.0, c / np.linalg.norm(W, axis=0))
            return W
        W = np.array(W, dtype=float)
        return W * np.minimum(1.0, c / np.linalg.norm(W, axis=0))

    assert exercises.judge("ch09-output-size", raises_only_on_the_probes).ok  # fooled at home
    assert not _graded("ch09-output-size", raises_only_on_the_probes)
    assert exercises.judge("ch10-max-norm", mutates_unless_probed).ok
    assert not _graded("ch10-max-norm", mutates_unless_probed)


def test_fresh_probes_still_pass_an_honest_answer():
    def output_size(W, F, S, P):
        if (W - F + 2 * P) % S:
            raise ValueError("does not fit")
        return (W - F + 2 * P) // S + 1

    def max_norm(W, c):
        W = np.array(W, dtype=float)
        return W * np.minimum(1.0, c / np.linalg.norm(W, axis=0))

    for seed in range(5):
        assert _graded("ch09-output-size", output_size, seed)
        assert _graded("ch10-max-norm", max_norm, seed)


def test_a_code_requirement_fails_closed_on_code_that_looks_names_up_at_run_time():
    def forward(X, W1, b1, W2, b2):  # right values, but "only numpy" cannot be read
        tanh = getattr(np, "ta" + "nh")
        return tanh(X @ W1 + b1) @ W2 + b2

    result = exercises.judge("ch01-forward", forward)
    assert not result.ok and "运行时查找名字（getattr）" in result.message
    assert not _graded("ch01-forward", forward)
