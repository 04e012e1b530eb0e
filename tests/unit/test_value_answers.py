"""Every value exercise's answer, recomputed from the task text, not from the registry.

Issue 21: "a test recomputes each value exercise's expected answer independently of the
registry". Each entry of ``ANSWERS`` below is worked out from the exercise's task (the
```{exercise}`` cell with its ``:label:`` in the chapter notebook, and the lecture it cites)
with plain arithmetic -- exact fractions where the answer is a terminating decimal -- and
never imports what the registry computes with (``coursenn.nn.activations``, ``Dense``,
``count_parameters``, ...). The tests then check that

* the registry's expected value is this one (up to float rounding, not up to the student's
  tolerance: the centre of the tolerance is where the text's rounding rule puts it);
* the independent value itself gets ✅ through ``judge``;
* where the text asks for a number of decimals, the correctly rounded value (四舍五入) gets
  ✅, and where the text states a rule that refuses truncation ("四舍五入", "截断不算",
  "舍入过的近似值不算对"), the truncated value gets ❌.

A new ``Value`` exercise fails :func:`test_every_value_exercise_has_an_independent_answer`
until it gets an entry here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest

from coursenn import exercises

# --- helpers: exact rounding and the few computations that need a loop -----------------------


def round_half_up(x, decimals: int) -> float:
    """``x`` rounded to ``decimals`` places the school way (四舍五入), exactly (x >= 0)."""
    scale = 10**decimals
    return float(Fraction(math.floor(Fraction(x) * scale + Fraction(1, 2)), scale))


def truncate(x, decimals: int) -> float:
    """``x`` cut after ``decimals`` places (截断), exactly (x >= 0)."""
    scale = 10**decimals
    return float(Fraction(math.floor(Fraction(x) * scale), scale))


def significant(x: float, digits: int) -> float:
    """``x`` rounded to ``digits`` significant digits."""
    return float(f"{x:.{digits}g}")


def exact_sqrt(q: Fraction) -> Fraction:
    """The square root of a fraction whose numerator and denominator are perfect squares."""
    num, den = math.isqrt(q.numerator), math.isqrt(q.denominator)
    assert num * num == q.numerator and den * den == q.denominator, f"{q} is not a square"
    return Fraction(num, den)


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def five_sigmoid_slope(x):
    """|dy/dx| of y = σ(σ(σ(σ(σ(x))))): the product of σ'(input of each sigmoid)."""
    a, slope = np.asarray(x, dtype=float), 1.0
    for _ in range(5):
        s = sigmoid(a)
        slope = slope * s * (1.0 - s)
        a = s
    return slope


def five_sigmoid_max() -> float:
    """The maximum of |dy/dx| over [-5, 5]: a coarse grid, then two zooms around its peak
    (the continuous maximum, which a fine grid attains to ~1e-9 relative)."""
    lo, hi = -5.0, 5.0
    for _ in range(3):
        x = np.linspace(lo, hi, 10_001)
        y = five_sigmoid_slope(x)
        i = int(np.argmax(y))
        step = x[1] - x[0]
        lo, hi = max(-5.0, x[i] - step), min(5.0, x[i] + step)
    return float(y.max())


def momentum_x3() -> Fraction:
    """Lecture 001's momentum on f(x) = x^2 from x0 = 1, lr 0.1, mu 0.9, v0 = 0: three steps."""
    x, v = Fraction(1), Fraction(0)
    lr, mu = Fraction(1, 10), Fraction(9, 10)
    for _ in range(3):
        dx = 2 * x  # f'(x) = 2x
        v = mu * v - lr * dx
        x += v
    return x


def miss_every_bias() -> Fraction:
    """P(20 coordinates drawn without replacement from all parameters of 784-512-256-10 hold
    no bias) = C(non-biases, 20) / C(all, 20)."""
    n_total = 784 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10
    n_bias = 512 + 256 + 10
    return Fraction(math.comb(n_total - n_bias, 20), math.comb(n_total, 20))


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """An independently computed answer and what the task text says about its form.

    ``decimals``: the text asks for this many decimal places (保留 n 位小数), so the value
    rounded half-up to them must get ✅. ``truncation_refused``: the text states a rule under
    which the truncation to ``decimals`` places is wrong, so it must get ❌ (checked only when
    it differs from the rounding). ``also_right`` / ``also_wrong``: further forms the text
    accepts or refuses. ``xfail``: the registry's answer is wrong (the reason says why).
    """

    value: object
    decimals: int | None = None
    truncation_refused: bool = False
    also_right: tuple = ()
    also_wrong: tuple = ()
    xfail: str = ""


LN_100 = math.log(100)  # softmax with K = 100 equal scores: p = 1/100, loss -ln(1/100)
FIVE_SIGMOID_BOUND = Fraction(1, 4) ** 5  # five factors σ' <= 1/4 multiply
FIVE_SIGMOID_MAX = five_sigmoid_max()

ANSWERS: dict[str, Answer] = {
    # learnable parameters of 784-512-256-10: sum over layers of (M_{l-1} + 1) M_l
    "ch01-count-params": Answer(784 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10),
    # exact σ'(ln 3): σ(ln 3) = 1 / (1 + 1/3) = 3/4, σ' = σ(1 - σ) = 3/4 * 1/4; "舍入过的近似值不算对"
    "ch02-sigmoid-grad": Answer(
        Fraction(3, 4) * (1 - Fraction(3, 4)),
        also_right=(0.1875, 3 / 16),
        also_wrong=(0.19, 0.188, 0.187, 0.18, 0.2),
    ),
    # parameters of tent_network(6): Dense(1, 2), five Dense(2, 2), Dense(2, 1), each with biases
    "ch03-tent-params": Answer((1 * 2 + 2) + 5 * (2 * 2 + 2) + (2 * 1 + 1)),
    # linear pieces of the tent map composed 6 times on [0, 1]: each composition doubles them
    "ch03-tent-pieces": Answer(2**6),
    # initial softmax loss with 100 classes, "四舍五入到两位小数，或写出更多位（截断不算）"
    "ch04-initial-loss": Answer(
        LN_100,
        decimals=2,
        truncation_refused=True,
        also_right=(round_half_up(LN_100, 3), round_half_up(LN_100, 4)),
        also_wrong=(4.6,),  # one decimal: the text asks for two or more
    ),
    # multiclass SVM loss of s = [3.2, 5.1, -1.7], y = 0, Δ = 1 (an exact decimal)
    "ch04-svm-by-hand": Answer(
        max(0, Fraction("5.1") - Fraction("3.2") + 1)
        + max(0, Fraction("-1.7") - Fraction("3.2") + 1),
        also_right=(2.9,),
    ),
    # P(no bias among 20 of the 784-512-256-10 parameters drawn without replacement), 保留三位小数
    "ch05-bias-share": Answer(miss_every_bias(), decimals=3),
    # f = (a + b) max(c, d) at (1, 2, 4, -1): [df/da, df/db, df/dc, df/dd] = [max(c,d), max(c,d), a+b, 0]
    "ch05-gate-grads": Answer([max(4, -1), max(4, -1), 1 + 2, 0]),
    # [bound (1/4)^5, max of |dy/dx| over [-5, 5]] for five chained sigmoids, 3 significant digits
    "ch06-five-sigmoids": Answer(
        [float(FIVE_SIGMOID_BOUND), FIVE_SIGMOID_MAX],
        also_right=([significant(float(FIVE_SIGMOID_BOUND), 3), significant(FIVE_SIGMOID_MAX, 3)],),
    ),
    # whitening Xrot / sqrt(S + eps) with S = 0.01, eps = 0.01: the factor 1 / sqrt(0.02), 保留两位小数
    "ch06-whiten-factor": Answer(1 / math.sqrt(0.01 + 0.01), decimals=2),
    # He initialisation, 50 inputs: std = sqrt(2 / n_in), 保留两位小数
    "ch07-he-std": Answer(exact_sqrt(Fraction(2, 50)), decimals=2),
    # std of s = sum of 256 products w x with Var(w) = 0.01^2, Var(x) = 1: sqrt(n Var(w) Var(x))
    "ch07-var-s": Answer(exact_sqrt(256 * Fraction(1, 100) ** 2 * 1), decimals=2),
    # float64 Hessian of the 64-32-10 net's parameters, in MB (10^6 bytes), 一位小数（四舍五入）
    "ch08-hessian-memory": Answer(
        Fraction((64 * 32 + 32 + 32 * 10 + 10) ** 2 * 8, 10**6),
        decimals=1,
        truncation_refused=True,
    ),
    # x3 of lecture momentum on x^2 from 1 (lr 0.1, mu 0.9), 三位小数（四舍五入）
    "ch08-momentum-by-hand": Answer(momentum_x3(), decimals=3, truncation_refused=True),
    # parameters of 32 filters 5x5 over 16 input channels, one bias each
    "ch09-conv-params": Answer(32 * (5 * 5 * 16) + 32),
    # VGG-16's first FC layer: 4096 neurons, each sees 7x7x512 and has one bias
    "ch09-fc-params": Answer(7 * 7 * 512 * 4096 + 4096),
    # im2col of 32x32x3 with 5x5 filters, stride 1, pad 2: (5*5*3, number of windows)
    "ch09-im2col-shape": Answer((5 * 5 * 3, ((32 - 5 + 2 * 2) // 1 + 1) ** 2)),
    # initial cross-entropy with K = 100 classes and tiny weights, 保留两位小数
    "ch10-initial-loss": Answer(
        LN_100, decimals=2, truncation_refused=True, also_right=(round_half_up(LN_100, 3),)
    ),
    # inverted dropout, keep probability 0.8, kept unit 1.5: 1.5 / 0.8, "写出它的精确值，不要舍入"
    "ch10-inverted-scale": Answer(
        Fraction(15, 10) / Fraction(8, 10), also_right=(1.875,), also_wrong=(1.88, 1.87, 1.9)
    ),
}


def value_labels() -> list[str]:
    return [
        label for label in exercises.labels() if isinstance(exercises.get(label), exercises.Value)
    ]


def as_float(value):
    """The independent value as a student would give it (a float; an int or a shape stays)."""
    if isinstance(value, (int, tuple)):
        return value
    if isinstance(value, list):
        return [float(v) for v in value]
    return float(value)


def _params(predicate=lambda answer: True):
    return [
        pytest.param(
            label,
            marks=[pytest.mark.xfail(strict=True, reason=answer.xfail)] if answer.xfail else [],
        )
        for label, answer in sorted(ANSWERS.items())
        if predicate(answer)
    ]


def test_every_value_exercise_has_an_independent_answer():
    registered = set(value_labels())
    assert registered, "no value exercise is registered"
    missing = sorted(registered - set(ANSWERS))
    stale = sorted(set(ANSWERS) - registered)
    assert not missing, f"value exercises without an independent answer here: {missing}"
    assert not stale, f"entries here that are no longer value exercises: {stale}"


@pytest.mark.parametrize("label", _params())
def test_registry_answer_is_the_independent_one(label):
    exercise = exercises.get(label)
    independent = as_float(ANSWERS[label].value)
    expected = exercise.value()
    assert np.shape(independent) == np.shape(expected)
    # the registry's centre is the exact answer, not a rounding of it (the student's
    # tolerance then decides where rounding and truncation fall, as the text says)
    assert np.all(np.isclose(independent, expected, rtol=1e-9, atol=0.0)), (
        f"{label}: independent {independent!r}, registry {expected!r}"
    )
    result = exercises.judge(label, independent)
    assert result.ok, result.message


@pytest.mark.parametrize("label", _params(lambda answer: answer.decimals is not None))
def test_rounded_answer_is_accepted_and_a_refused_truncation_is_not(label):
    answer = ANSWERS[label]
    rounded = round_half_up(answer.value, answer.decimals)
    result = exercises.judge(label, rounded)
    assert result.ok, f"rounded to {answer.decimals} decimals, {rounded}: {result.message}"
    truncated = truncate(answer.value, answer.decimals)
    if answer.truncation_refused and truncated != rounded:
        result = exercises.judge(label, truncated)
        assert not result.ok, f"the truncation {truncated} is accepted, but the text refuses it"


@pytest.mark.parametrize("label", _params(lambda answer: answer.also_right or answer.also_wrong))
def test_other_forms_the_text_accepts_or_refuses(label):
    answer = ANSWERS[label]
    for form in answer.also_right:
        result = exercises.judge(label, form)
        assert result.ok, f"{form!r}: {result.message}"
    for form in answer.also_wrong:
        assert not exercises.judge(label, form).ok, f"{form!r} is accepted, the text refuses it"
