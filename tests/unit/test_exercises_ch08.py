"""Chapter 8 exercises: references pass, the likely wrong answers fail, no answer leaks."""

from __future__ import annotations

import exercise_contract
import numpy as np
import pytest

from coursenn.exercises import ch08, get, judge, reset_attempts

LABELS = [
    "ch08-adam-step",
    "ch08-momentum-by-hand",
    "ch08-race-read",
    "ch08-rmsprop-bug",
    "ch08-hessian-memory",
    "ch08-log-uniform",
]


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


# --- the reference answers (the chapter's solutions) ----------------------------------------


def adam_ref(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dx
    v = beta2 * v + (1 - beta2) * dx**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return x - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def rmsprop_ref(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = decay_rate * cache + (1 - decay_rate) * dx**2
    return x - lr * dx / (np.sqrt(cache) + eps), cache


def sample_lr_ref(low_exp, high_exp, n, rng):
    return 10.0 ** rng.uniform(low_exp, high_exp, n)


REFERENCES = {
    "ch08-adam-step": adam_ref,
    "ch08-momentum-by-hand": 0.062,
    "ch08-race-read": "C",
    "ch08-rmsprop-bug": rmsprop_ref,
    "ch08-hessian-memory": 46.5,
    "ch08-log-uniform": sample_lr_ref,
}


# --- likely wrong answers ---------------------------------------------------------------------


def adam_in_place(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m *= beta1  # writes into the (read-only) case array
    return adam_ref(x, dx, m, v, t, lr, beta1, beta2, eps)


def adam_wrong_sign(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    x_new, m, v = adam_ref(x, dx, m, v, t, lr, beta1, beta2, eps)
    return 2 * x - x_new, m, v


def adam_returns_x_only(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return adam_ref(x, dx, m, v, t, lr, beta1, beta2, eps)[0]


def rmsprop_buggy(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):  # the exercise's code
    cache = cache + (1 - decay_rate) * dx**2
    x = x - lr * dx / (np.sqrt(cache) + eps)
    return x, cache


def rmsprop_eps_inside(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = decay_rate * cache + (1 - decay_rate) * dx**2
    return x - lr * dx / np.sqrt(cache + eps), cache


def rmsprop_not_squared(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = decay_rate * cache + (1 - decay_rate) * dx
    return x - lr * dx / (np.sqrt(np.abs(cache)) + eps), cache


def rmsprop_adagrad(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = cache + dx**2
    return x - lr * dx / (np.sqrt(cache) + eps), cache


def rmsprop_swapped(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = (1 - decay_rate) * cache + decay_rate * dx**2
    return x - lr * dx / (np.sqrt(cache) + eps), cache


def sample_linear(low_exp, high_exp, n, rng):
    return rng.uniform(10.0**low_exp, 10.0**high_exp, n)


def sample_exponents(low_exp, high_exp, n, rng):
    return rng.uniform(low_exp, high_exp, n)


def sample_natural(low_exp, high_exp, n, rng):
    return np.exp(rng.uniform(low_exp, high_exp, n))


def sample_global_state(low_exp, high_exp, n, rng):
    return 10.0 ** np.random.default_rng(12345).uniform(low_exp, high_exp, n)


# (label, wrong answer, a fragment the ❌ line must contain: what is wrong about it)
WRONG = [
    ("ch08-adam-step", ch08._adam_no_correction, "没有做偏置校正"),
    ("ch08-adam-step", ch08._adam_eps_inside, "eps 放进了平方根里"),
    ("ch08-adam-step", ch08._adam_not_squared, "不是梯度的平方"),
    ("ch08-adam-step", ch08._adam_only_m_corrected, "v 没有校正"),
    ("ch08-adam-step", ch08._adam_corrected_state, "未校正的 m、v"),
    ("ch08-adam-step", adam_in_place, "read-only"),
    ("ch08-adam-step", adam_wrong_sign, "不对"),
    ("ch08-adam-step", adam_returns_x_only, "形状应为"),
    ("ch08-momentum-by-hand", 0.512, "不带动量"),
    ("ch08-momentum-by-hand", 0.46, "两步之后"),
    ("ch08-momentum-by-hand", 0.178, "Nesterov"),
    ("ch08-momentum-by-hand", -0.398, "速度 v"),
    ("ch08-momentum-by-hand", 0.06, "0.06 不对"),  # two decimals: the task asks for three
    ("ch08-race-read", "A", "不是正确的选项"),
    ("ch08-race-read", "B", "不是正确的选项"),
    ("ch08-race-read", "D", "不是正确的选项"),
    ("ch08-race-read", "E", "不是选项之一"),
    ("ch08-rmsprop-bug", rmsprop_buggy, "原来的错误"),
    ("ch08-rmsprop-bug", rmsprop_eps_inside, "eps 放进了平方根里"),
    ("ch08-rmsprop-bug", rmsprop_not_squared, "不是梯度的平方"),
    ("ch08-rmsprop-bug", rmsprop_adagrad, "Adagrad"),
    ("ch08-rmsprop-bug", rmsprop_swapped, "用反了"),
    ("ch08-hessian-memory", 44.9, "没有数偏置"),
    ("ch08-hessian-memory", 23.2, "float32"),
    ("ch08-hessian-memory", 44.3, "MiB"),
    ("ch08-hessian-memory", 5.8, "元素的个数"),
    ("ch08-hessian-memory", 0.019, "梯度向量"),
    ("ch08-log-uniform", sample_linear, "直接均匀采样"),
    ("ch08-log-uniform", sample_exponents, "指数本身"),
    ("ch08-log-uniform", sample_natural, "e 的幂"),
    ("ch08-log-uniform", sample_global_state, "不对"),
]


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", LABELS)
def test_hints_never_give_the_answer_or_the_fix(label):
    forbidden = ["0.062", "46.5", "2410", "np.sqrt(", "decay_rate * cache", "** rng", "10 **"]
    for hint in get(label).hints:
        for text in forbidden:
            assert text not in hint, (label, text)


def test_momentum_accepts_honest_rounding():
    for answer in [0.062, 0.0620, np.float64(0.062), 0.06200]:
        assert judge("ch08-momentum-by-hand", answer).ok, answer
    assert not judge("ch08-momentum-by-hand", 0.063).ok


def test_hessian_accepts_one_decimal_and_more():
    for answer in [46.5, 46.46, 46.4648]:
        assert judge("ch08-hessian-memory", answer).ok, answer
    assert not judge("ch08-hessian-memory", 46.4).ok  # truncated, not rounded


def test_expected_values_are_the_lectures_updates():
    """The momentum value is the lecture's recursion; Adam's cases agree with a hand step."""
    x, v = 1.0, 0.0
    for _ in range(3):
        v = 0.9 * v - 0.1 * 2 * x
        x += v
    assert get("ch08-momentum-by-hand").value() == pytest.approx(x)
    for case in get("ch08-adam-step").public_cases():
        got = adam_ref(*[np.array(a) if isinstance(a, np.ndarray) else a for a in case.args])
        for a, b in zip(got, case.expected, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_eps_inside_is_caught_by_the_tiny_gradient_case_only():
    message = judge("ch08-adam-step", ch08._adam_eps_inside).message
    assert "梯度很小" in message


def test_rmsprop_original_bug_passes_the_first_step_but_not_the_second():
    """The buggy code is right when cache = 0 (as the task says): the check needs cache > 0."""
    first = get("ch08-rmsprop-bug").public_cases()[0]
    got = rmsprop_buggy(*first.args)
    for a, b in zip(got, first.expected, strict=True):
        np.testing.assert_allclose(a, b)
    assert "cache 非零" in judge("ch08-rmsprop-bug", rmsprop_buggy).message


def test_log_uniform_accepts_an_equivalent_formula():
    def via_random(low_exp, high_exp, n, rng):
        return 10.0 ** (low_exp + (high_exp - low_exp) * rng.random(n))

    assert judge("ch08-log-uniform", via_random).ok
    for seed in exercise_contract.SEEDS:
        fresh = exercise_contract.fresh_cases("ch08-log-uniform", seed)
        assert judge("ch08-log-uniform", via_random, cases=fresh).ok


def test_choice_accepts_lowercase_and_spaces():
    assert judge("ch08-race-read", " c ").ok


TestExerciseContract = exercise_contract.contract(REFERENCES, WRONG)
