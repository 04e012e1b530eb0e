"""coursenn.exercises: the registry, check(), and the three kinds of exercise.

The chapters' own exercises are tested in tests/unit/test_exercises_chNN.py; here the
machinery is tested on exercises registered for the test only (labels ch99-...).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from coursenn import exercises as ex
from coursenn.exercises import Case, Choice, Function, Mistake, Value, _registry, choice_digest
from coursenn.exercises._probe import Call
from coursenn.exercises._requirements import Requirement


def _elu(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0.0)) - 1.0))


def _elu_naive(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1.0))


def _elu_no_alpha(x, alpha=1.0):
    return _elu(x, 1.0)


def _elu_cases():
    xs = [np.array([-2.0, -0.5, 0.0, 3.0]), np.array([-1.0, 800.0])]
    return [Case((x, 2.0), _elu(x, 2.0), what=f"第 {i + 1} 个例子") for i, x in enumerate(xs)]


TEST_EXERCISES = [
    Value(
        "ch99-count",
        name="n_params",
        expected=lambda: 535818,
        mistakes=[Mistake(535040, "这只数了权重")],
        hints=["第一个提示", "第二个提示", "第三个提示"],
    ),
    Value("ch99-rounded", name="p", expected=3 / 16, atol=0.005, hints=["σ(1 − σ)"]),
    Function(
        "ch99-elu",
        name="my_elu",
        cases=_elu_cases,
        no_warnings=True,
        mistakes=[Mistake(_elu_no_alpha, "没有乘 alpha")],
        hints=["只对非正部分求指数"],
    ),
    Function(
        "ch99-positive",
        name="f",
        cases=lambda: [Case((1.0,), 1.0)],
        requires=[
            Requirement(
                lambda code, outs, calls: None if outs[0].result >= 0 else "对负数输入给出了负数",
                lambda rng=None: [Call((-1.0,))],
            )
        ],
        hints=["看负半轴"],
    ),
    Choice("ch99-choice", name="answer", digest=choice_digest("ch99-choice", "C"), hints=["看图"]),
]


@pytest.fixture(autouse=True)
def registered():
    ex.register(*TEST_EXERCISES)
    ex.reset_attempts()
    yield
    for exercise in TEST_EXERCISES:
        _registry._EXERCISES.pop(exercise.label)
    ex.reset_attempts()


def test_right_answers_pass_without_restating_the_value():
    assert ex.judge("ch99-count", 535818).message == "✅ ch99-count：正确！"
    assert ex.judge("ch99-elu", _elu).ok
    assert ex.judge("ch99-choice", " c ").ok


def test_honest_rounding_is_accepted():
    assert ex.judge("ch99-rounded", 0.19).ok and ex.judge("ch99-rounded", 0.1875).ok
    assert not ex.judge("ch99-rounded", 0.2).ok


def test_wrong_value_names_the_mistake_and_never_the_expected_value():
    result = ex.judge("ch99-count", 535040)
    assert not result.ok
    assert (
        result.message
        == "❌ ch99-count：n_params：你的结果 535040 不对——这只数了权重。提示：第一个提示"
    )
    assert "535818" not in ex.judge("ch99-count", 1).message


def test_hints_escalate_with_each_wrong_check(capsys):
    for _ in range(4):
        ex.check("ch99-count", 1)
    lines = capsys.readouterr().out.splitlines()
    assert [line.rsplit("提示：", 1)[1] for line in lines] == [
        "第一个提示", "第二个提示", "第三个提示", "第三个提示",
    ]  # fmt: skip
    ex.check("ch99-count", 535818)
    assert capsys.readouterr().out == "✅ ch99-count：正确！\n"


def test_placeholder_and_wrong_kinds_are_a_red_line_not_a_traceback():
    assert "还没有作答" in ex.judge("ch99-count", None).message
    assert "还没有作答" in ex.judge("ch99-elu", ...).message
    assert "应该是一个函数，你给的是 int" in ex.judge("ch99-elu", 3).message
    assert "应该是一个数" in ex.judge("ch99-count", _elu).message
    assert "你给的是字符串 '535818'" in ex.judge("ch99-count", "535818").message
    assert "不是选项之一" in ex.judge("ch99-choice", "E").message
    assert "不是选项之一" in ex.judge("ch99-choice", 3).message
    assert ex.judge("ch99-choice", "A").message.startswith("❌ ch99-choice：A 不是正确的选项")


def test_function_that_raises_or_is_a_stub_gets_a_red_line():
    def stub(x, alpha):
        raise NotImplementedError()

    def broken(x, alpha):
        return x[10]

    assert "还没有实现" in ex.judge("ch99-elu", stub).message
    message = ex.judge("ch99-elu", broken).message
    assert message.startswith("❌ ch99-elu：my_elu：在 第 1 个例子 上抛出了 IndexError")
    assert "返回了 None" in ex.judge("ch99-elu", lambda x, a: None).message


def test_a_warning_fails_a_task_that_forbids_it():
    message = ex.judge("ch99-elu", _elu_naive).message
    assert "发出了警告（RuntimeWarning: overflow encountered in exp）" in message


def test_a_warning_is_caught_even_if_the_student_silenced_numpy():
    with np.errstate(all="ignore"):
        assert not ex.judge("ch99-elu", _elu_naive).ok


def test_known_wrong_function_is_named():
    message = ex.judge("ch99-elu", _elu_no_alpha).message
    assert "没有乘 alpha" in message and "第 1 个例子" in message


def test_wrong_array_message_shows_the_students_values_only():
    message = ex.judge("ch99-elu", lambda x, a: np.asarray(x, float) * 0).message
    expected_text = np.array2string(_elu(np.array([-2.0, -0.5, 0.0, 3.0]), 2.0), precision=4)
    assert "个不对" in message and expected_text not in message


def test_requirements_the_task_states_are_checked():
    assert ex.judge("ch99-positive", abs).ok
    message = ex.judge("ch99-positive", lambda x: x).message
    assert message.startswith("❌ ch99-positive：f：对负数输入给出了负数")


def test_hidden_cases_replace_the_public_ones():
    def cheat(x, alpha):
        return _elu(x, alpha) if x.size < 10 else np.zeros_like(x)

    assert ex.judge("ch99-elu", cheat).ok
    big = np.linspace(-3, 3, 12)
    assert not ex.judge("ch99-elu", cheat, cases=[((big, 2.0), _elu(big, 2.0))]).ok
    with pytest.raises(TypeError, match="ch99-count"):
        ex.judge("ch99-count", 1, cases=[])


def test_choice_digests_are_salted_with_the_label():
    assert choice_digest("ch99-a", "B") != choice_digest("ch99-b", "B")
    assert choice_digest("ch99-a", " b") == choice_digest("ch99-a", "B")
    with pytest.raises(ValueError, match="ch99-bad"):
        Choice("ch99-bad", name="answer", digest=choice_digest("other", "A"), hints=["h"])


def test_unknown_label_is_a_clear_error():
    with pytest.raises(KeyError, match=r"unknown exercise label 'ch99-nope'.*ch99-choice"):
        ex.check("ch99-nope", 1)


def test_a_label_registers_once_and_needs_a_hint():
    with pytest.raises(ValueError, match="registered twice"):
        ex.register(Value("ch99-count", name="x", expected=1, hints=["h"]))
    with pytest.raises(ValueError, match="at least one hint"):
        Value("ch99-x", name="x", expected=1, hints=[])


def test_every_message_is_one_line():
    message = ex.judge("ch99-elu", lambda x, a: "a\nb").message
    assert "\n" not in message and re.match(r"❌ ch99-elu：", message)
