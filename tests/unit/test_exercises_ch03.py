"""Chapter 3 exercises: the reference answers pass, the recorded wrong answers fail, no ❌ line
gives the expected value away, the stated constraints (no overflow, built from ReLUs) are
checked, and hints escalate."""

from __future__ import annotations

import exercise_contract
import numpy as np
import pytest

from coursenn import count_parameters
from coursenn.exercises import choice_digest, get, judge, reset_attempts
from coursenn.nn import activations
from coursenn.nn.layers import Dense, ReLU, Sequential, Sigmoid

relu = activations.relu  # as in the chapter: the hat exercise looks this name up


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


# --- reference answers (as in the chapter's solution cells) ----------------------------------


def bump(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return activations.sigmoid(steepness * (x - left)) - activations.sigmoid(
        steepness * (x - right)
    )


def hat_fixed(x, center, width):
    return (relu(x - (center - width)) - 2 * relu(x - center) + relu(x - (center + width))) / width


REFERENCE = {
    "ch03-bump": bump,
    "ch03-hat-bug": hat_fixed,
    "ch03-tent-pieces": 2**6,
    "ch03-tent-params": (2 + 2) + 5 * (4 + 2) + (2 + 1),
    "ch03-scrubber-n": "C",
}


# --- other right answers: they must pass too --------------------------------------------------


def bump_tanh(x, left, right, steepness):  # sigma(z) = (1 + tanh(z / 2)) / 2: no overflow
    x = np.asarray(x, dtype=float)
    return 0.5 * (np.tanh(steepness * (x - left) / 2) - np.tanh(steepness * (x - right) / 2))


def hat_with_module_relu(x, center, width):
    return (
        activations.relu(x - (center - width))
        - 2 * activations.relu(x - center)
        + activations.relu(x - (center + width))
    ) / width


def hat_one_stacked_relu(x, center, width):  # one relu call on three rows: still three ReLUs
    z = relu(np.stack([x - (center - width), x - center, x - (center + width)]))
    return np.array([1.0, -2.0, 1.0]) @ z / width


def hat_loop(x, center, width):  # one point at a time
    return np.array([float(hat_fixed(np.array(v), center, width)) for v in x])


@pytest.mark.parametrize(
    ("label", "answer"),
    [
        ("ch03-bump", bump_tanh),
        ("ch03-hat-bug", hat_with_module_relu),
        ("ch03-hat-bug", hat_one_stacked_relu),
        ("ch03-hat-bug", hat_loop),
        ("ch03-tent-pieces", 64.0),
        ("ch03-tent-params", np.int64(37)),
        ("ch03-scrubber-n", " c "),
    ],
)
def test_other_right_answers_pass(label, answer):
    result = judge(label, answer)
    assert result.ok, result.message
    if getattr(get(label), "fresh", None) is not None:  # the grading cases drawn fresh, too
        for seed in exercise_contract.SEEDS:
            fresh = exercise_contract.fresh_cases(label, seed)
            assert judge(label, answer, cases=fresh).ok, (seed, judge(label, answer, cases=fresh))


# --- likely wrong answers ---------------------------------------------------------------------


def bump_naive_exp(x, left, right, steepness):  # 1 / (1 + exp(-z)) overflows for z << 0
    x = np.asarray(x, dtype=float)
    return 1 / (1 + np.exp(-steepness * (x - left))) - 1 / (1 + np.exp(-steepness * (x - right)))


def bump_naive_exp_ratio(x, left, right, steepness):  # exp(z) / (1 + exp(z)): inf / inf
    x = np.asarray(x, dtype=float)
    a, b = np.exp(steepness * (x - left)), np.exp(steepness * (x - right))
    return a / (1 + a) - b / (1 + b)


def bump_where_both_branches(x, left, right, steepness):  # np.where evaluates both branches
    def sig(z):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    x = np.asarray(x, dtype=float)
    return sig(steepness * (x - left)) - sig(steepness * (x - right))


def bump_swapped(x, left, right, steepness):
    return -bump(x, left, right, steepness)


def bump_one_sigmoid(x, left, right, steepness):
    return activations.sigmoid(steepness * (np.asarray(x, dtype=float) - left))


def bump_bias_unscaled(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return activations.sigmoid(steepness * x - left) - activations.sigmoid(steepness * x - right)


def bump_without_steepness(x, left, right, steepness):
    return bump(x, left, right, 1.0)


def hat_buggy(x, center, width):  # the task's code
    return (relu(x - (center - width)) - relu(x - center) + relu(x - (center + width))) / width


def hat_last_minus_one(x, center, width):  # a coefficient -1 in the wrong place
    return (relu(x - (center - width)) - relu(x - center) - relu(x - (center + width))) / width


def hat_no_width(x, center, width):
    return relu(x - (center - width)) - 2 * relu(x - center) + relu(x - (center + width))


def hat_parentheses_lost(x, center, width):
    return relu(x - (center - width)) - 2 * relu(x - center) + relu(x - (center + width)) / width


def hat_interp(x, center, width):  # right values, no ReLU at all
    return np.interp(x, [center - width, center, center + width], [0.0, 1.0, 0.0])


def hat_maximum(x, center, width):  # the right formula with np.maximum instead of relu
    def r(z):
        return np.maximum(z, 0.0)

    return (r(x - (center - width)) - 2 * r(x - center) + r(x - (center + width))) / width


def hat_clip(x, center, width):
    return np.clip(1 - np.abs(x - center) / width, 0.0, None)


def hat_raises(x, center, width):
    return relu(x - center) @ np.ones(3)  # shapes do not fit: ValueError


WRONG = {
    "ch03-bump": [
        (bump_naive_exp, "overflow"),
        (bump_naive_exp_ratio, "NaN"),
        (bump_where_both_branches, "警告"),
        (bump_swapped, "符号反了"),
        (bump_one_sigmoid, "只有一个台阶"),
        (bump_bias_unscaled, "检查括号"),
        (bump_without_steepness, "steepness"),
    ],
    "ch03-hat-bug": [
        (hat_buggy, "还没有改动"),
        (hat_last_minus_one, "保持水平"),
        (hat_no_width, "高度等于 width"),
        (hat_parentheses_lost, "括号"),
        (hat_interp, "np.interp"),
        (hat_maximum, "没有调用 relu"),
        (hat_clip, "没有调用 relu"),
        (hat_raises, "ValueError"),
    ],
    "ch03-tent-pieces": [
        (32, "齿"),
        (12, "ReLU 的个数"),
        (63, "拐点"),
        (128, "多算了一次"),
        (7, "多出一段"),
        (65, ""),
        ("2^6", "应该是一个数"),
    ],
    "ch03-tent-params": [
        (24, "只数了权重"),
        (43, "多数了一个"),
        (31, "少数了一个"),
        (36, "输出层"),
        (193, "单隐藏层"),
        (38, ""),
    ],
    "ch03-scrubber-n": [("A", ""), ("B", ""), ("d", ""), ("E", "不是选项之一")],
}


# --- the tests --------------------------------------------------------------------------------


def test_no_hint_hands_over_the_fix():
    for hint in get("ch03-tent-pieces").hints:
        assert "翻倍" not in hint and "2^" not in hint and "2 的" not in hint  # the rule itself
    for hint in get("ch03-hat-bug").hints:
        assert "2" not in hint  # the coefficient of the fix
    for hint in get("ch03-bump").hints:
        assert "sigmoid(" not in hint  # no code of the fix


def test_bump_cases_are_the_two_unit_sigmoid_network_of_4_33():
    cases = get("ch03-bump").public_cases()
    assert max(c.args[3] for c in cases) >= 2000  # steep enough for np.exp to overflow
    for case in cases:
        x, left, right, s = case.args
        net = Sequential(Dense(1, 2), Sigmoid(), Dense(2, 1))
        net.layers[0].W.data[:] = s
        net.layers[0].b.data[:] = [-s * left, -s * right]
        net.layers[2].W.data[:, 0] = [1.0, -1.0]
        net.layers[2].b.data[:] = 0.0
        np.testing.assert_allclose(case.expected, net.forward(x[:, None])[:, 0], atol=1e-12)
        np.testing.assert_allclose(case.expected, bump(x, left, right, s), atol=1e-12)


def test_hat_cases_are_triangles_of_height_one():
    for case in get("ch03-hat-bug").public_cases():
        x, c, w = case.args
        assert case.expected.max() == pytest.approx(1.0)
        assert np.all(case.expected[(x <= c - w) | (x >= c + w)] == 0.0)
        np.testing.assert_allclose(case.expected, hat_fixed(x, c, w), atol=1e-12)


def test_hat_check_restores_relu_and_numpy_after_watching_them():
    module_relu = activations.relu
    judge("ch03-hat-bug", hat_interp)
    judge("ch03-hat-bug", hat_fixed)
    assert activations.relu is module_relu
    assert globals()["relu"] is module_relu
    assert globals()["np"] is np


def test_hat_check_watches_the_students_own_relu_name():
    scope = {"np": np}
    exec(  # a student who wrote their own relu in the notebook
        "def relu(z):\n    return np.maximum(z, 0.0)\n"
        "def hat(x, c, w):\n    return (relu(x - (c - w)) - 2 * relu(x - c) + relu(x - (c + w))) / w\n",
        scope,
    )
    assert judge("ch03-hat-bug", scope["hat"]).ok
    assert scope["np"] is np and scope["relu"].__name__ == "relu"


def test_tent_values_are_counted_by_the_package():
    x = np.linspace(0, 1, 64 * 48 + 1)
    y = x.copy()
    for _ in range(6):
        y = 2 * np.minimum(y, 1 - y)
    slopes = np.diff(y) / np.diff(x)
    assert get("ch03-tent-pieces").value() == 1 + np.count_nonzero(np.abs(np.diff(slopes)) > 1e-6)
    layers = [Dense(1, 2), ReLU()]
    for _ in range(5):
        layers += [Dense(2, 2), ReLU()]
    net = Sequential(*layers, Dense(2, 1))
    assert get("ch03-tent-params").value() == count_parameters(net)


def test_choice_digest_names_c_and_is_salted_with_the_label():
    exercise = get("ch03-scrubber-n")
    assert exercise.digest == choice_digest("ch03-scrubber-n", "C")
    assert exercise.digest != choice_digest("ch01-bias-slider", "C")


TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)
