"""Chapter 7 exercises: the reference answers pass, the known wrong answers fail with their reason."""

from __future__ import annotations

import exercise_contract
import numpy as np
import pytest

from coursenn.exercises import ch07, judge, reset_attempts


def _dead_fraction(Z):
    return float(np.mean(np.all(np.asarray(Z) <= 0, axis=0)))


def _he_init(fan_in, fan_out, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def _he_init_global(fan_in, fan_out, seed):  # the exercise's given code: global state
    return np.random.randn(fan_in, fan_out) * np.sqrt(2.0 / fan_out)


def _he_init_global_fixed_std(fan_in, fan_out, seed):
    return np.random.randn(fan_in, fan_out) * np.sqrt(2.0 / fan_in)


REFERENCE = {
    "ch07-var-s": 0.16,
    "ch07-he-std": 0.2,
    "ch07-dead-fraction": _dead_fraction,
    "ch07-he-init-bug": _he_init,
    "ch07-lr-slider": "D",
    "ch07-init-slider": "A",
}

WRONG = {
    "ch07-var-s": [(0.0256, "Var(s)"), (1.6, "方差"), (0.01, "漏了 n"), (2.56, "乘了 n")],
    "ch07-he-std": [(0.04, "方差"), (0.1414, "LeCun"), (0.1, "Xavier"), (0.1155, "fan_out")],
    "ch07-dead-fraction": [
        (ch07._wrong_dead_elementwise, "元素"),
        (ch07._wrong_dead_strict, "< 0"),
        (ch07._wrong_dead_any, "每个样本"),
        (ch07._wrong_dead_axis, "按行"),
    ],
    "ch07-he-init-bug": [
        (ch07._wrong_he_fan_out, "fan_out"),
        (ch07._wrong_he_variance, "平方根"),
        (ch07._wrong_he_lecun, "1/√n"),
        (_he_init_global, "不对"),
        (_he_init_global_fixed_std, "不对"),
    ],
    "ch07-lr-slider": [
        ("A", "不是正确的选项"),
        ("B", "不是正确的选项"),
        ("C", "不是正确的选项"),
        ("E", "不是选项之一"),
    ],
    "ch07-init-slider": [
        ("B", "不是正确的选项"),
        ("C", "不是正确的选项"),
        ("D", "不是正确的选项"),
        (1, "不是选项之一"),
    ],
}


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


def test_global_state_is_caught_even_with_matching_values():
    """A function that ignores seed fails the reproducibility requirement."""
    calls = []

    def sneaky(fan_in, fan_out, seed):
        calls.append(seed)
        out = _he_init(fan_in, fan_out, seed)
        return out + 1e-3 * len(calls) if (fan_in, fan_out) == (6, 4) else out

    result = judge("ch07-he-init-bug", sneaky)
    assert not result.ok and "全局随机状态" in result.message


@pytest.mark.parametrize("label", ["ch07-lr-slider", "ch07-init-slider"])
def test_choice_accepts_lowercase_and_spaces(label):
    assert judge(label, f" {REFERENCE[label].lower()} ").ok


TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)
