"""Chapter 1 exercises: the reference answers pass, the recorded wrong answers fail, no ❌ line
gives the expected value away, and hints escalate."""

from __future__ import annotations

import exercise_contract
import numpy as np
import pytest

from coursenn import count_parameters
from coursenn.exercises import Case, choice_digest, get, judge, reset_attempts
from coursenn.nn import activations
from coursenn.nn.layers import Dense, ReLU, Sequential


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


# --- reference answers (as in the chapter's solution cells) ----------------------------------


def nand_unit(x1, x2):
    return activations.sign(-1.0 * x1 - 1.0 * x2 + 1.0)


def forward(X, W1, b1, W2, b2):
    hidden = np.tanh(X @ W1 + b1)
    return hidden @ W2 + b2


N_PARAMS = (784 + 1) * 512 + (512 + 1) * 256 + (256 + 1) * 10

REFERENCE = {
    "ch01-nand": nand_unit,
    "ch01-count-params": N_PARAMS,
    "ch01-forward": forward,
    "ch01-bias-slider": "D",
}


# --- likely wrong answers ---------------------------------------------------------------------


def nand_with_and_signs(x1, x2):
    return activations.sign(x1 + x2 - 1.0)


def nand_only_bias_flipped(x1, x2):  # = OR
    return activations.sign(x1 + x2 + 1.0)


def nand_only_weights_flipped(x1, x2):  # = NOR
    return activations.sign(-x1 - x2 - 1.0)


def nand_np_sign_zero_bias(x1, x2):  # np.sign(0) = 0 on the mixed rows
    return np.sign(-x1 - x2)


def nand_with_if(x1, x2):  # right on numbers, fails on arrays
    return -1.0 if (x1 > 0 and x2 > 0) else 1.0


def forward_tanh_on_output(X, W1, b1, W2, b2):
    return np.tanh(np.tanh(X @ W1 + b1) @ W2 + b2)


def forward_no_b2(X, W1, b1, W2, b2):
    return np.tanh(X @ W1 + b1) @ W2


def forward_no_b1(X, W1, b1, W2, b2):
    return np.tanh(X @ W1) @ W2 + b2


def forward_no_tanh(X, W1, b1, W2, b2):
    return (X @ W1 + b1) @ W2 + b2


def forward_sigmoid(X, W1, b1, W2, b2):
    return activations.sigmoid(X @ W1 + b1) @ W2 + b2


def forward_first_row_only(X, W1, b1, W2, b2):  # right for N = 1 only
    return np.tanh(X[:1] @ W1 + b1) @ W2 + b2


def forward_with_dense(X, W1, b1, W2, b2):  # right values, but the task says numpy only
    hidden = Dense(*W1.shape)
    hidden.W.data, hidden.b.data = W1, b1
    return np.tanh(hidden.forward(X)) @ W2 + b2


def forward_raises(X, W1, b1, W2, b2):
    return X @ W1.T  # shapes do not fit: ValueError


WRONG = {
    "ch01-nand": [
        (nand_with_and_signs, "AND"),
        (nand_only_bias_flipped, "OR"),
        (nand_only_weights_flipped, "NOR"),
        (nand_np_sign_zero_bias, "np.sign(0)"),
        (nand_with_if, "ValueError"),
    ],
    "ch01-count-params": [
        (784 * 512 + 512 * 256 + 256 * 10, "只数了权重"),
        ((784 + 1) * 512 + (512 + 1) * 256, "输出层"),
        ((512 + 1) * 256 + (256 + 1) * 10, "第一层"),
        (784 * 513 + 512 * 257 + 256 * 11, "偏置按输入"),
        (784 * 512 + 512 * 256 + 256 * 10 + 784 + 512 + 256 + 10, "输入层也数了偏置"),
        (512 + 256 + 10, "神经元的个数"),
        (N_PARAMS + 1, ""),
    ],
    "ch01-forward": [
        (forward_tanh_on_output, "输出层也加了 tanh"),
        (forward_no_b2, "b2"),
        (forward_no_b1, "b1"),
        (forward_no_tanh, "没有经过 tanh"),
        (forward_sigmoid, "sigmoid"),
        (forward_first_row_only, "形状应为"),
        (forward_with_dense, "只用 numpy"),
        (forward_raises, "ValueError"),
    ],
    "ch01-bias-slider": [("A", ""), ("B", ""), ("c", ""), ("E", "不是选项之一")],
}


# --- the tests --------------------------------------------------------------------------------


def test_count_params_expected_is_the_lecture_net_counted_by_the_package():
    net = Sequential(Dense(784, 512), ReLU(), Dense(512, 256), ReLU(), Dense(256, 10))
    assert get("ch01-count-params").value() == count_parameters(net) == N_PARAMS


def test_nand_cases_are_the_truth_table_and_an_array_call():
    cases = get("ch01-nand").public_cases()
    scalar = [c for c in cases if np.ndim(c.args[0]) == 0]
    assert [c.expected for c in scalar] == [1.0, 1.0, 1.0, -1.0]
    arrays = [c for c in cases if np.ndim(c.args[0]) == 1]
    assert len(arrays) == 1 and np.array_equal(arrays[0].expected, [1.0, 1.0, 1.0, -1.0])


def test_forward_cases_have_nonzero_biases_and_several_batch_sizes():
    cases = get("ch01-forward").public_cases()
    assert {c.args[0].shape[0] for c in cases} >= {1, 4}
    for case in cases:
        _, _, b1, _, b2 = case.args
        assert np.all(b1 != 0) and np.all(b2 != 0)
        assert case.expected.shape == (case.args[0].shape[0], case.args[3].shape[1])


def test_forward_hidden_case_can_fail_an_answer_that_passes_the_public_ones():
    def special(X, W1, b1, W2, b2):  # right on the public cases, wrong for N = 2
        return np.zeros((2, W2.shape[1])) if len(X) == 2 else forward(X, W1, b1, W2, b2)

    assert judge("ch01-forward", special).ok
    rng = np.random.default_rng(0)
    args = (
        rng.normal(size=(2, 3)),
        rng.normal(size=(3, 2)),
        rng.normal(size=2),
        rng.normal(size=(2, 1)),
        rng.normal(size=1),
    )
    hidden = [Case(args, forward(*args))]
    assert not judge("ch01-forward", special, cases=hidden).ok


def test_choice_digest_names_d_and_is_salted_with_the_label():
    exercise = get("ch01-bias-slider")
    assert exercise.digest == choice_digest("ch01-bias-slider", "D")
    assert exercise.digest != choice_digest("ch04-example", "D")


TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)
