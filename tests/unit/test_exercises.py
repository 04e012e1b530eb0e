"""coursenn.exercises: one clear verdict line per check, never a traceback."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from coursenn import exercises as ex
from coursenn.exercises import CheckResult


def _square(x):
    return x * x


def _square_wrong(x):
    return x + x


def _square_raises(x):
    return 1 / 0


def _square_todo(x):
    raise NotImplementedError


SQUARE_CASES = [((3,), 9), ((np.array([1.0, 2.0]),), np.array([1.0, 4.0]))]


# --- judge_value -----------------------------------------------------------------------------


def test_judge_value_correct():
    result = ex.judge_value(0.1 + 0.2, 0.3, name="sum")
    assert isinstance(result, CheckResult) and result.ok and bool(result)
    assert result.message == "✅ sum: 0.3 is correct."


def test_judge_value_wrong_shows_what_came_and_hint():
    result = ex.judge_value(3.0, 4.0, name="q1", hint="add one more")
    assert not result.ok and not bool(result)
    assert result.message == "❌ q1: got 3, which is not right. Hint: add one more"


def test_judge_value_wrong_without_hint_has_no_hint_text():
    assert ex.judge_value(3.0, 4.0).message == "❌ answer: got 3, which is not right."


def test_judge_value_arrays():
    assert ex.judge_value([0.5, 0.25], np.array([0.5, 0.25])).ok
    result = ex.judge_value([0.5, 0.3], np.array([0.5, 0.25]))
    assert not result.ok
    assert re.fullmatch(
        r"❌ answer: got \[0\.5\s*, 0\.3\s*\]: 1 of 2 entries are not right, "
        r"the first at index \(1,\)\.",
        result.message,
    )


def test_judge_value_shape_mismatch():
    result = ex.judge_value(np.ones(3), np.ones(2))
    assert result.message == "❌ answer: expected shape (2,), got shape (3,)."


def test_judge_value_tolerances():
    assert ex.judge_value(1.0 + 1e-9, 1.0).ok
    assert not ex.judge_value(1.001, 1.0).ok
    assert ex.judge_value(1.001, 1.0, rtol=1e-2).ok
    assert not ex.judge_value(float("nan"), 1.0).ok


def test_judge_value_non_numeric_answer():
    result = ex.judge_value("four", 4.0, hint="a number")
    assert result.message == (
        "❌ answer: expected a number or an array of numbers, got str 'four'. Hint: a number"
    )


@pytest.mark.parametrize("placeholder", [..., None])
def test_judge_value_placeholder_is_no_answer_yet(placeholder):
    result = ex.judge_value(placeholder, 1.0, name="q2", hint="h")
    assert not result.ok
    assert result.message == (
        "❌ q2: no answer yet (replace the placeholder with your answer). Hint: h"
    )


# --- judge_function --------------------------------------------------------------------------


def test_judge_function_correct():
    result = ex.judge_function(_square, SQUARE_CASES)
    assert result.ok
    assert result.message == "✅ _square: all 2 test cases pass."


def test_judge_function_reports_first_failing_case():
    result = ex.judge_function(
        _square_wrong, [((2,), 4), ((3,), 9)], name="square", hint="x times x"
    )
    assert not result.ok
    assert result.message == "❌ square: square(3): got 6, which is not right. Hint: x times x"


def test_judge_function_exception_becomes_a_line():
    result = ex.judge_function(_square_raises, SQUARE_CASES, hint="no division needed")
    assert not result.ok
    assert result.message == (
        "❌ _square_raises: _square_raises(3) raised ZeroDivisionError: division by zero. "
        "Hint: no division needed"
    )


def test_judge_function_not_implemented():
    result = ex.judge_function(_square_todo, SQUARE_CASES)
    assert result.message.startswith("❌ _square_todo: not implemented yet")
    assert "NotImplementedError" in result.message


def test_judge_function_not_callable():
    result = ex.judge_function(42, SQUARE_CASES, name="square")
    assert result.message == "❌ square: expected a function, got int."


def test_judge_function_wrong_shape_from_student():
    result = ex.judge_function(lambda x: np.ones(3), [((1.0,), np.ones(2))], name="f")
    assert result.message == "❌ f: f(1): expected shape (2,), got shape (3,)."


@pytest.mark.parametrize("placeholder", [..., None])
def test_judge_function_placeholder_is_no_answer_yet(placeholder):
    assert "no answer yet" in ex.judge_function(placeholder, SQUARE_CASES, name="f").message


# --- judge_choice ----------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["B", "b", " b "])
def test_judge_choice_text_is_case_and_space_insensitive(answer):
    result = ex.judge_choice(answer, "B", name="mcq")
    assert result.ok
    assert result.message == f"✅ mcq: {answer!r} is correct."


def test_judge_choice_wrong():
    result = ex.judge_choice("C", "B", name="mcq", hint="think about XOR")
    assert result.message == "❌ mcq: 'C' is not the right choice. Hint: think about XOR"


def test_judge_choice_not_an_option():
    result = ex.judge_choice("E", "B", options=["A", "B", "C", "D"])
    assert result.message == "❌ answer: 'E' is not one of the options ['A', 'B', 'C', 'D']."


def test_judge_choice_numbers():
    assert ex.judge_choice(2, 2).ok
    assert not ex.judge_choice(3, 2).ok
    assert not ex.judge_choice("2", 2).ok


@pytest.mark.parametrize("placeholder", [..., None])
def test_judge_choice_placeholder(placeholder):
    assert ex.judge_choice(placeholder, "A").message == (
        "❌ answer: no answer yet (replace the placeholder with your choice)."
    )


# --- check_* print one line ------------------------------------------------------------------

CHECKS = [
    pytest.param(ex.check_value, ex.judge_value, (0.25, 0.25), id="value-right"),
    pytest.param(ex.check_value, ex.judge_value, (0.3, 0.25), id="value-wrong"),
    pytest.param(ex.check_value, ex.judge_value, (..., 0.25), id="value-placeholder"),
    pytest.param(
        ex.check_function, ex.judge_function, (_square, SQUARE_CASES), id="function-right"
    ),
    pytest.param(
        ex.check_function, ex.judge_function, (_square_wrong, SQUARE_CASES), id="function-wrong"
    ),
    pytest.param(
        ex.check_function, ex.judge_function, (_square_raises, SQUARE_CASES), id="function-raises"
    ),
    pytest.param(ex.check_choice, ex.judge_choice, ("a", "A"), id="choice-right"),
    pytest.param(ex.check_choice, ex.judge_choice, ("b", "A"), id="choice-wrong"),
]


@pytest.mark.parametrize("check, judge, args", CHECKS)
def test_check_prints_exactly_the_verdict_line(check, judge, args, capsys):
    assert check(*args, hint="a hint") is None
    out, err = capsys.readouterr()
    verdict = judge(*args, hint="a hint")
    assert out == verdict.message + "\n"
    assert out.count("\n") == 1
    assert out.startswith("✅" if verdict.ok else "❌")
    assert err == ""


# --- assert_* --------------------------------------------------------------------------------

ASSERTS = [
    pytest.param(ex.assert_value, ex.judge_value, (0.3, 0.25), id="value"),
    pytest.param(ex.assert_value, ex.judge_value, (None, 0.25), id="value-placeholder"),
    pytest.param(
        ex.assert_function, ex.judge_function, (_square_wrong, SQUARE_CASES), id="function"
    ),
    pytest.param(
        ex.assert_function, ex.judge_function, (_square_raises, SQUARE_CASES), id="function-raises"
    ),
    pytest.param(ex.assert_choice, ex.judge_choice, ("b", "A"), id="choice"),
]


@pytest.mark.parametrize("assert_, judge, args", ASSERTS)
def test_assert_raises_with_the_same_message(assert_, judge, args, capsys):
    with pytest.raises(AssertionError) as info:
        assert_(*args, hint="h")
    assert str(info.value) == judge(*args, hint="h").message
    assert capsys.readouterr().out == ""


def test_assert_passes_silently_on_right_answers(capsys):
    ex.assert_value(math.pi, np.pi)
    ex.assert_function(_square, SQUARE_CASES)
    ex.assert_choice("c", "C", options=["A", "B", "C"])
    assert capsys.readouterr().out == ""


# --- bugs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("got", [np.zeros((2, 2)), np.eye(2)], ids=["wrong", "right"])
def test_check_value_matrix_answer_is_one_line(got, capsys):
    ex.check_value(got, np.eye(2))
    assert capsys.readouterr().out.count("\n") == 1


def test_check_function_multiline_exception_is_one_line(capsys):
    def broken(x):
        raise ValueError("first line\nsecond line")

    ex.check_function(broken, SQUARE_CASES)
    assert capsys.readouterr().out.count("\n") == 1


def test_numpy_integer_answer_is_shown_plainly():
    assert ex.judge_value(np.int64(3), 4).message == "❌ answer: got 3, which is not right."


def test_known_mistake_gets_its_targeted_hint(capsys):
    ex.check_value(535040, 535818, name="n", hint="general", mistakes={535040: "weights only"})
    line = capsys.readouterr().out.strip()
    assert line.startswith("❌") and line.endswith("Hint: weights only")
    ex.check_value(1, 535818, name="n", hint="general", mistakes={535040: "weights only"})
    assert capsys.readouterr().out.strip().endswith("Hint: general")


def test_zero_dim_array_answers_print_like_numbers(capsys):
    ex.check_function(lambda a: np.sign(a), [((1.0,), -1.0)], name="f")
    line = capsys.readouterr().out.strip()
    assert "f(1): got 1, which is not right." in line and ".." not in line


def test_big_arrays_are_summarised_not_dumped(capsys):
    big = np.zeros((30, 40))
    ex.check_function(lambda x: x, [((big,), np.ones((30, 40)))], name="forward")
    line = capsys.readouterr().out.strip()
    assert "<array of shape (30, 40)>" in line
    assert (
        "got an array of shape (30, 40): 1200 of 1200 entries are not right, "
        "the first at index (0, 0) (you have 0)"
    ) in line
    assert len(line) < 200


# --- a wrong answer never gives the right one away -------------------------------------------

SECRET = 0.7312946  # a value that appears nowhere else in the messages


def _secret_square(x):
    return SECRET * x


WRONG_VALUES = [
    pytest.param(0.5, id="wrong-number"),
    pytest.param(SECRET + 1, id="off-by-one"),
    pytest.param(np.array([0.5]), id="wrong-shape"),
    pytest.param(float("nan"), id="nan"),
    pytest.param("0.73", id="string"),
    pytest.param(None, id="none"),
]


@pytest.mark.parametrize("got", WRONG_VALUES)
def test_wrong_value_messages_never_show_the_expected_value(got):
    message = ex.judge_value(got, SECRET, name="q", hint="think").message
    assert message.startswith("❌ q: ") and message.endswith("Hint: think")
    assert "0.73129" not in message


WRONG_FUNCTIONS = [
    pytest.param(lambda x: x, id="wrong-value"),
    pytest.param(lambda x: np.array([x, x]), id="wrong-shape"),
    pytest.param(lambda x: None, id="returns-none"),
    pytest.param(lambda x: float("nan"), id="nan"),
    pytest.param(lambda x: 1 / 0, id="raises"),
    pytest.param(_square_todo, id="stub"),
]


@pytest.mark.parametrize("fn", WRONG_FUNCTIONS)
def test_wrong_function_messages_never_show_the_expected_result(fn):
    cases = [((2.0,), _secret_square(2.0)), ((np.arange(8.0),), _secret_square(np.arange(8.0)))]
    message = ex.judge_function(fn, cases, name="f", hint="scale x").message
    assert message.startswith("❌ f: ") and "f(2)" in message and message.endswith("Hint: scale x")
    assert "1.46" not in message and "0.73" not in message
    assert message.count("\n") == 0


def test_wrong_array_entries_are_located_without_their_expected_values():
    expected = SECRET * np.arange(1.0, 9.0)
    got = expected.copy()
    got[3] = 0.0
    message = ex.judge_value(got, expected).message
    assert "1 of 8 entries are not right, the first at index (3,) (you have 0)" in message
    assert "2.925" not in message  # expected[3]


def test_nan_answer_is_named_as_nan():
    assert ex.judge_value(float("nan"), 1.0, hint="h").message == (
        "❌ answer: got NaN (not a number; NaN comes from 0/0, inf - inf, or log/sqrt of a "
        "negative number). Hint: h"
    )
    message = ex.judge_value(np.array([1.0, np.nan, np.nan]), np.ones(3)).message
    assert "got NaN in 2 of 3 entries, the first at index (1,)" in message
    message = ex.judge_function(
        lambda x: np.full(2, np.nan), [((0.5,), np.ones(2))], name="f"
    ).message
    assert message.startswith("❌ f: f(0.5): got NaN in 2 of 2 entries")


def test_unimplemented_stub_says_what_to_replace():
    message = ex.judge_function(_square_todo, SQUARE_CASES, name="square", hint="h").message
    assert message == (
        "❌ square: not implemented yet (square(3) raised NotImplementedError: replace "
        "`raise NotImplementedError()` with your code). Hint: h"
    )


def test_student_function_returning_text_is_reported():
    message = ex.judge_function(lambda x: "nine", [((3,), 9)], name="f").message
    assert message == ("❌ f: f(3): expected a number or an array of numbers, got str 'nine'.")


def test_choice_checked_against_a_digest_hides_the_answer(capsys):
    digest = ex.answer_digest("B")
    assert digest.startswith("sha256:") and "B" not in digest.removeprefix("sha256:")
    assert digest == ex.answer_digest(" b ")
    assert ex.judge_choice("b", digest, options=["A", "B", "C"]).ok
    wrong = ex.judge_choice("C", digest, options=["A", "B", "C"])
    assert (
        not wrong.ok and "sha256" not in wrong.message and "'C' is not the right" in wrong.message
    )
    assert "not one of the options" in ex.judge_choice("Z", digest, options=["A", "B"]).message
