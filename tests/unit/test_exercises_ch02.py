"""Chapter 2 exercises: references pass, the likely wrong answers fail, no answer leaks."""

from __future__ import annotations

import exercise_contract
import numpy as np
import pytest

from coursenn.exercises import get, judge, reset_attempts
from coursenn.nn import activations

LABELS = ["ch02-elu", "ch02-sigmoid-grad", "ch02-leaky-slider", "ch02-softmax-bug", "ch02-maxout"]
FUNCTION_LABELS = ["ch02-elu", "ch02-softmax-bug", "ch02-maxout"]


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


# --- the reference answers (the chapter's solutions) ----------------------------------------


def elu_ref(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    negative = alpha * (np.exp(np.minimum(x, 0.0)) - 1.0)
    return np.where(x > 0, x, negative)


def softmax_rows_ref(S):
    S = np.asarray(S, dtype=float)
    e = np.exp(S - np.max(S, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def maxout_ref(X, W, b):
    pieces = np.einsum("nd,kdm->knm", X, W) + b[:, None, :]
    return pieces.max(axis=0)


REFERENCES = {
    "ch02-elu": elu_ref,
    "ch02-sigmoid-grad": 3 / 16,
    "ch02-leaky-slider": "B",
    "ch02-softmax-bug": softmax_rows_ref,
    "ch02-maxout": maxout_ref,
}


# --- likely wrong answers ---------------------------------------------------------------------


def elu_naive(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


def elu_max_min(x, alpha=1.0):
    return np.maximum(0, x) + np.minimum(0, alpha * (np.exp(x) - 1))


def elu_no_alpha(x, alpha=1.0):
    return np.where(x > 0, x, np.exp(np.minimum(x, 0.0)) - 1)


def elu_alpha_everywhere(x, alpha=1.0):
    return alpha * np.where(x > 0, x, np.exp(np.minimum(x, 0.0)) - 1)


def elu_no_default(x, alpha):
    return elu_ref(x, alpha)


def elu_library(x, alpha=1.0):
    return activations.elu(x, alpha)


def elu_in_place(x, alpha=1.0):
    negative = x <= 0
    x[negative] = alpha * (np.exp(x[negative]) - 1)
    return x


def softmax_global_max(S):  # the exercise's buggy code
    e = np.exp(S - np.max(S))
    return e / np.sum(e, axis=1, keepdims=True)


def softmax_no_shift(S):
    e = np.exp(S)
    return e / np.sum(e, axis=1, keepdims=True)


def softmax_columns(S):
    e = np.exp(S - np.max(S, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def softmax_row_max_no_keepdims(S):
    e = np.exp(S - np.max(S, axis=1))
    return e / np.sum(e, axis=1, keepdims=True)


def softmax_whole_batch(S):
    e = np.exp(S - np.max(S, axis=1, keepdims=True))
    return e / np.sum(e)


def softmax_library(S):
    return activations.softmax(S, axis=1)


def maxout_two_pieces(X, W, b):
    return np.maximum(X @ W[0] + b[0], X @ W[1] + b[1])


def maxout_no_bias(X, W, b):
    return np.max([X @ W[j] for j in range(len(W))], axis=0)


def maxout_sum(X, W, b):
    return np.sum([X @ W[j] + b[j] for j in range(len(W))], axis=0)


def maxout_max_over_units(X, W, b):
    return (np.einsum("nd,kdm->knm", X, W) + b[:, None, :]).max(axis=2)


SIGMA = 0.75  # sigma(ln 3)

# (label, wrong answer, a fragment the ❌ line must contain: what is wrong about it)
WRONG = [
    ("ch02-elu", elu_naive, "overflow"),
    ("ch02-elu", elu_max_min, "overflow"),
    ("ch02-elu", elu_no_alpha, "没有乘 alpha"),
    ("ch02-elu", elu_alpha_everywhere, "正半轴也被乘了 alpha"),
    ("ch02-elu", elu_no_default, "TypeError"),
    ("ch02-elu", elu_library, "只用 numpy"),
    ("ch02-elu", activations.elu, "只用 numpy"),
    ("ch02-elu", elu_in_place, "read-only"),
    ("ch02-sigmoid-grad", SIGMA, "σ(ln 3) 本身"),
    ("ch02-sigmoid-grad", 0.25, "最大值"),
    ("ch02-sigmoid-grad", SIGMA * (1 + SIGMA), "1 + σ"),
    ("ch02-sigmoid-grad", round(SIGMA * (1 + SIGMA), 2), "1 + σ"),
    ("ch02-sigmoid-grad", SIGMA**2, "σ²"),
    ("ch02-sigmoid-grad", 0.1966, "σ′(1)"),
    ("ch02-sigmoid-grad", 0.197, "σ′(1)"),
    # the task asks for the exact value: roundings and truncations of it are refused
    ("ch02-sigmoid-grad", 0.19, "近似值"),
    ("ch02-sigmoid-grad", 0.188, "近似值"),
    ("ch02-sigmoid-grad", 0.187, "近似值"),
    ("ch02-sigmoid-grad", 0.18, "近似值"),
    ("ch02-sigmoid-grad", 0.2, "近似值"),
    ("ch02-sigmoid-grad", 0.1874, "0.1874 不对"),
    ("ch02-leaky-slider", "A", "不是正确的选项"),
    ("ch02-leaky-slider", "C", "不是正确的选项"),
    ("ch02-leaky-slider", "D", "不是正确的选项"),
    ("ch02-leaky-slider", "E", "不是选项之一"),
    ("ch02-softmax-bug", softmax_global_max, "原来的错误"),
    ("ch02-softmax-bug", softmax_no_shift, "没有做平移"),
    ("ch02-softmax-bug", softmax_columns, "每一列归一化"),
    ("ch02-softmax-bug", softmax_row_max_no_keepdims, "broadcast"),
    ("ch02-softmax-bug", softmax_whole_batch, "整批一起归一化"),
    ("ch02-softmax-bug", softmax_library, "只用 numpy"),
    ("ch02-maxout", maxout_two_pieces, "只用了前两段"),
    ("ch02-maxout", maxout_no_bias, "漏了偏置"),
    ("ch02-maxout", maxout_sum, "加起来"),
    ("ch02-maxout", maxout_max_over_units, "形状应为"),
]


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", LABELS)
def test_hints_never_give_the_answer_or_the_fix(label):
    forbidden = ["0.1875", "3/16", "axis=1", "keepdims", "np.minimum", "np.maximum", "einsum"]
    for hint in get(label).hints:
        for text in forbidden:
            assert text not in hint, (label, text)


def test_sigmoid_grad_accepts_the_exact_value_however_written():
    """The task asks for the exact value: a terminating decimal, or a fraction."""
    for answer in [0.1875, 3 / 16, 0.75 * 0.25, np.float64(0.1875), 0.18750]:
        assert judge("ch02-sigmoid-grad", answer).ok, answer
    assert "去掉引号" in judge("ch02-sigmoid-grad", "0.19").message


def test_leaky_slider_accepts_lowercase_and_spaces():
    assert judge("ch02-leaky-slider", " b ").ok


def test_elu_naive_fails_on_the_overflow_case_only():
    """Its values are right: what fails is the warning at x = 800 (the task's constraint)."""
    message = judge("ch02-elu", elu_naive).message
    assert "800" in message and "警告" in message


def test_case_arrays_are_read_only_and_survive_a_mutating_answer():
    judge("ch02-elu", elu_in_place)
    for label in FUNCTION_LABELS:
        for case in get(label).public_cases():
            for arg in case.args:
                if isinstance(arg, np.ndarray):
                    assert not arg.flags.writeable
    assert judge("ch02-elu", elu_ref).ok


def test_library_check_restores_the_library_functions():
    originals = (activations.elu, activations.softmax, activations.log_softmax)
    judge("ch02-elu", elu_library)
    judge("ch02-softmax-bug", softmax_library)
    assert (activations.elu, activations.softmax, activations.log_softmax) == originals
    assert judge("ch02-elu", elu_ref).ok


def test_library_check_sees_a_name_imported_into_the_answers_globals():
    namespace = {"np": np, "elu": activations.elu}
    exec("def my_elu(x, alpha=1.0):\n    return elu(x, alpha)\n", namespace)
    result = judge("ch02-elu", namespace["my_elu"])
    assert not result.ok and "只用 numpy" in result.message
    assert namespace["elu"] is activations.elu  # restored


TestExerciseContract = exercise_contract.contract(REFERENCES, WRONG)
