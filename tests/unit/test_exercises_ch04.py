"""Chapter 4 exercises: the reference answers pass, the recorded wrong answers fail (each with
what is wrong about it), the tasks' constraints are checked, no ❌ line gives the expected
value away, and hints escalate."""

from __future__ import annotations

import re

import exercise_contract
import numpy as np
import pytest

from coursenn.exercises import Case, choice_digest, get, judge, reset_attempts
from coursenn.nn import activations, losses

LABELS = [
    "ch04-hinge",
    "ch04-svm-by-hand",
    "ch04-initial-loss",
    "ch04-outlier-slider",
    "ch04-stable-ce",
]


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


# --- reference answers (as in the chapter's solution cells) ----------------------------------


def hinge_loss_one(scores, y, delta):
    scores = np.asarray(scores, dtype=float)
    margins = np.maximum(0.0, scores - scores[y] + delta)
    margins[y] = 0.0
    return margins.sum()


def softmax_ce(scores, label):
    scores = np.asarray(scores, dtype=float)
    shifted = scores - np.max(scores)
    return np.log(np.sum(np.exp(shifted))) - shifted[label]


REFERENCE = {
    "ch04-hinge": hinge_loss_one,
    "ch04-svm-by-hand": 2.9,
    "ch04-initial-loss": -np.log(1 / 100),
    "ch04-outlier-slider": "A",
    "ch04-stable-ce": softmax_ce,
}


# --- likely wrong answers ---------------------------------------------------------------------


def hinge_with_j_eq_y(scores, y, delta):  # forgets to skip j = y: adds delta
    return np.maximum(0.0, scores - scores[y] + delta).sum()


def hinge_swapped(scores, y, delta):  # s_y - s_j + delta
    terms = np.maximum(0.0, scores[y] - scores + delta)
    return terms.sum() - terms[y]


def hinge_without_max(scores, y, delta):  # forgets max(0, .)
    terms = scores - scores[y] + delta
    return terms.sum() - terms[y]


def hinge_loop_without_max(scores, y, delta):  # the same slip, written as a loop
    return sum(scores[j] - scores[y] + delta for j in range(len(scores)) if j != y)


def hinge_mean(scores, y, delta):
    margins = np.maximum(0.0, scores - scores[y] + delta)
    margins[y] = 0.0
    return margins.mean()


def hinge_from_coursenn(scores, y, delta):  # right values, but the task says numpy only
    return losses.multiclass_hinge_loss(scores[None, :], [y], margin=delta)[0]


def hinge_in_place(scores, y, delta):  # changes the caller's array
    scores -= scores[y]
    return np.maximum(0.0, np.delete(scores, y) + delta).sum()


def ce_original(scores, label):  # the task's buggy version
    p = np.exp(scores) / np.sum(np.exp(scores))
    return -np.log(p[label])


def ce_shift_then_log_p(scores, label):  # max shift only: log 0 -> inf for ([0, -800], 1)
    shifted = scores - np.max(scores)
    p = np.exp(shifted) / np.sum(np.exp(shifted))
    return -np.log(p[label])


def ce_shift_by_min(scores, label):
    shifted = scores - np.min(scores)
    return np.log(np.sum(np.exp(shifted))) - shifted[label]


def ce_log_domain_unshifted(scores, label):
    return np.log(np.sum(np.exp(scores))) - scores[label]


def ce_shift_eps(scores, label):
    shifted = scores - np.max(scores)
    p = np.exp(shifted) / np.sum(np.exp(shifted))
    return -np.log(p[label] + 1e-12)


def ce_clip(scores, label):  # the same floor, written with np.clip
    shifted = scores - np.max(scores)
    p = np.exp(shifted) / np.sum(np.exp(shifted))
    return -np.log(np.clip(p[label], 1e-12, 1.0))


def ce_naive_then_stable(scores, label):  # right values, but overflows first (warnings)
    value = ce_original(scores, label)
    return value if np.isfinite(value) and abs(value) < 1.0 else softmax_ce(scores, label)


def ce_from_activations(scores, label):  # right values, but the task says numpy only
    return -activations.log_softmax(scores)[label]


def ce_from_losses(scores, label):
    return losses.softmax_cross_entropy(scores[None, :], [label])[0]


WRONG = {
    "ch04-hinge": [
        (hinge_with_j_eq_y, "j = y"),
        (hinge_swapped, "减反了"),
        (hinge_without_max, "max(0, ·)"),
        (hinge_loop_without_max, "max(0, ·)"),
        (hinge_mean, "平均"),
        (hinge_from_coursenn, "coursenn.nn.losses.multiclass_hinge_loss"),
        (hinge_in_place, "read-only"),
    ],
    "ch04-svm-by-hand": [
        (3.9, "j = y_i"),
        (-1.0, "max(0, 负数)"),
        (5.9, "减反了"),
        (1.9, "漏了边界值"),
        (2.8, ""),
        ("2.9", "去掉引号"),  # the right number, but as a string
    ],
    "ch04-initial-loss": [
        (np.log(10), "10 类"),
        (-np.log(0.1), "10 类"),
        (0.01, "概率"),
        (1 / 100, "概率"),
        (np.log10(100), "以 10 为底"),
        (2, "以 10 为底"),
        (np.log2(100), "以 2 为底"),
        (100, "类数"),
        (np.log(1 / 100), "负数"),
        (4.6, "截断"),  # 4.60: truncated, not rounded (the task says round)
        (4.60, "截断"),
        (4.62, ""),
        ("4.61", "去掉引号"),
    ],
    "ch04-outlier-slider": [("B", ""), ("c", ""), ("D", ""), ("E", "不是选项之一")],
    "ch04-stable-ce": [
        (ce_original, "原来的写法"),
        (ce_shift_then_log_p, "下溢成 0"),
        (ce_shift_by_min, "最小值"),
        (ce_log_domain_unshifted, "没有平移"),
        (ce_shift_eps, "下限"),
        (ce_clip, "下限"),
        (ce_naive_then_stable, "overflow encountered"),
        (ce_from_activations, "coursenn.nn.activations.log_softmax"),
        (ce_from_losses, "coursenn.nn.losses.softmax_cross_entropy"),
    ],
}


def _number_texts(value: float) -> list[str]:
    """How a number could be printed: full, 6 significant digits, and 1-4 decimals."""
    texts = {repr(float(value)), f"{value:.6g}"}
    texts |= {f"{value:.{d}f}" for d in range(1, 5)}
    return sorted(texts)


# --- the tests --------------------------------------------------------------------------------


def test_honestly_rounded_initial_loss_passes():
    for rounded in (4.61, 4.605, 4.6052, round(float(np.log(100)), 8)):
        assert judge("ch04-initial-loss", rounded).ok, rounded


@pytest.mark.parametrize("label", LABELS)
def test_hints_never_hand_over_the_fix(label):
    hints = " ".join(get(label).hints)
    for code in ("np.max", "np.log", "np.sum", "np.exp", "np.maximum", "keepdims", "logsumexp"):
        assert code not in hints
    assert "log-sum-exp" not in hints.lower()
    assert not re.search(r"log\s*\\?sum|log\s*Σ", hints)  # no spelled-out log Σ exp formula


def test_stable_ce_cases_hold_the_task_examples_and_an_underflow_case():
    cases = get("ch04-stable-ce").public_cases()
    args = [(tuple(c.args[0]), c.args[1]) for c in cases]
    for example in [((1000.0, 0.0, -1000.0), 0), ((1000.0, 0.0, -1000.0), 2), ((0.0, -800.0), 1)]:
        assert example in args
    by_args = dict(zip(args, (c.expected for c in cases), strict=True))
    assert by_args[((1000.0, 0.0, -1000.0), 2)] == pytest.approx(2000.0)
    assert by_args[((0.0, -800.0), 1)] == pytest.approx(800.0)
    assert all(np.isfinite(c.expected) for c in cases)


def test_stable_ce_allows_a_harmless_underflow_but_not_an_overflow():
    """The reference underflows (e^-2000 = 0 inside the sum) yet passes: numpy ignores that
    by default; overflow, divide-by-zero and invalid-value warnings fail the answer."""
    with np.errstate(under="raise"), pytest.raises(FloatingPointError):
        softmax_ce(np.array([1000.0, 0.0, -1000.0]), 0)
    assert judge("ch04-stable-ce", softmax_ce).ok
    message = judge("ch04-stable-ce", ce_naive_then_stable).message
    assert "overflow encountered" in message and "任务要求不产生这种警告" in message


def test_hinge_cases_include_the_lecture_example_and_several_class_counts():
    cases = get("ch04-hinge").public_cases()
    lecture = [c for c in cases if tuple(c.args[0]) == (13.0, -7.0, 11.0)]
    assert len(lecture) == 1 and lecture[0].args[1:] == (0, 10.0)
    assert lecture[0].expected == pytest.approx(8.0)
    assert {len(c.args[0]) for c in cases} >= {2, 3, 4, 5}
    assert {c.args[1] for c in cases} >= {0, 1, 2, 3}  # the correct class is not always first


def test_case_arrays_are_read_only_and_unchanged_by_a_check():
    for label in ("ch04-hinge", "ch04-stable-ce"):
        cases = get(label).public_cases()
        before = [c.args[0].copy() for c in cases]
        judge(label, hinge_in_place if label == "ch04-hinge" else ce_shift_by_min)
        for case, old in zip(cases, before, strict=True):
            assert not case.args[0].flags.writeable
            assert np.array_equal(case.args[0], old)


def test_numpy_only_check_restores_the_library_functions():
    originals = (losses.multiclass_hinge_loss, activations.log_softmax, activations.softmax)
    judge("ch04-hinge", hinge_from_coursenn)
    judge("ch04-stable-ce", ce_from_activations)
    assert (losses.multiclass_hinge_loss, activations.log_softmax, activations.softmax) == originals
    assert ce_from_activations.__globals__["activations"].log_softmax is originals[1]


def test_hinge_hidden_case_can_fail_an_answer_that_passes_the_public_ones():
    def special(scores, y, delta):  # right except for six classes
        return 0.0 if len(scores) == 6 else hinge_loss_one(scores, y, delta)

    assert judge("ch04-hinge", special).ok
    scores = np.array([0.5, 2.0, -1.0, 0.3, 1.1, -0.2])
    hidden = [Case((scores, 4, 1.0), losses.multiclass_hinge_loss(scores[None], [4])[0])]
    assert not judge("ch04-hinge", special, cases=hidden).ok


def test_expected_values_come_from_the_package():
    s = np.array([[3.2, 5.1, -1.7]])
    assert get("ch04-svm-by-hand").value() == losses.multiclass_hinge_loss(s, [0])[0]
    uniform = losses.softmax_cross_entropy(np.zeros((1, 100)), [0])[0]
    assert get("ch04-initial-loss").value() == pytest.approx(uniform)
    assert uniform == pytest.approx(np.log(100))


def test_choice_digest_names_a_and_is_salted_with_the_label():
    exercise = get("ch04-outlier-slider")
    assert exercise.digest == choice_digest("ch04-outlier-slider", "A")
    assert exercise.digest != choice_digest("ch01-bias-slider", "A")


TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)
