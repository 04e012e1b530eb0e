"""Chapter 5 exercises: right answers pass, the known wrong ones fail with their reason,
no ❌ line shows the expected answer, placeholders and crashing answers fail quietly, and
hints escalate."""

from __future__ import annotations

import exercise_contract
import numpy as np
import pytest

from coursenn.exercises import get, judge, reset_attempts
from coursenn.exercises._compare import fmt
from coursenn.nn.layers import Dense

# --- reference answers (what a student would write) ---------------------------------------------


def dense_backward(x, W, dout):
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def delta_back(delta_next, W_next, z, f_prime):
    return f_prime(z) * (W_next.T @ delta_next)


def update_output(W, h_prev, y, lr):
    y_hat = 1 / (1 + np.exp(-(h_prev @ W)))
    e = y - y_hat
    delta = e * y_hat * (1 - y_hat)
    return W + lr * np.outer(h_prev, delta)


REFERENCE = {
    "ch05-gate-grads": [4.0, 4.0, 3.0, 0.0],  # f = (1 + 2) max(4, -1) by hand
    "ch05-dense-backward": dense_backward,
    "ch05-delta-step": delta_back,
    "ch05-lr-slider": "B",
    "ch05-fd-slider": "D",
    "ch05-update-sign": update_output,
    "ch05-bias-share": 0.971,  # three decimals, as the task asks
}

# --- known wrong answers and the reason the ❌ line must give ------------------------------------


def dense_dw_transposed(x, W, dout):
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)


def dense_db_not_summed(x, W, dout):
    return dout @ W.T, x.T @ dout, dout


def dense_db_mean(x, W, dout):
    return dout @ W.T, x.T @ dout, dout.mean(axis=0)


def dense_dx_not_transposed(x, W, dout):
    return dout @ W, x.T @ dout, dout.sum(axis=0)


def dense_dw_mean(x, W, dout):
    return dout @ W.T, x.T @ dout / len(x), dout.sum(axis=0)


def delta_no_fprime(delta_next, W_next, z, f_prime):
    return W_next.T @ delta_next


def delta_not_transposed(delta_next, W_next, z, f_prime):
    return f_prime(z) * (W_next @ delta_next)


def delta_fprime_elsewhere(delta_next, W_next, z, f_prime):
    back = W_next.T @ delta_next
    return f_prime(back) * back


def _update_delta(W, h_prev, y):
    y_hat = 1 / (1 + np.exp(-(h_prev @ W)))
    return y - y_hat, (y - y_hat) * y_hat * (1 - y_hat)


def update_as_printed(W, h_prev, y, lr):
    return W - lr * np.outer(h_prev, _update_delta(W, h_prev, y)[1])


def update_no_sigmoid_grad(W, h_prev, y, lr):
    return W + lr * np.outer(h_prev, _update_delta(W, h_prev, y)[0])


def update_returns_step(W, h_prev, y, lr):
    return lr * np.outer(h_prev, _update_delta(W, h_prev, y)[1])


def update_outer_swapped(W, h_prev, y, lr):
    return W + lr * np.outer(_update_delta(W, h_prev, y)[1], h_prev)


WRONG = [
    ("ch05-gate-grads", [4.0, 4.0, 3.0, 3.0], "max 门把梯度同时给了两个输入"),
    ("ch05-gate-grads", [4.0, 4.0, 0.0, 3.0], "较小的那个输入"),
    ("ch05-gate-grads", [3.0, 3.0, 4.0, 0.0], "没有交换"),
    ("ch05-gate-grads", [2.0, 2.0, 3.0, 0.0], "平分"),
    ("ch05-dense-backward", dense_dw_transposed, "dW 是转置的"),
    ("ch05-dense-backward", dense_db_not_summed, "db 没有对批次求和"),
    ("ch05-dense-backward", dense_db_mean, "db 对批次取了平均"),
    ("ch05-dense-backward", dense_dx_not_transposed, "dx 用了 W 而不是 W 的转置"),
    ("ch05-dense-backward", dense_dw_mean, "dW 除以了 N"),
    ("ch05-delta-step", delta_no_fprime, "漏掉了激活函数的导数"),
    ("ch05-delta-step", delta_not_transposed, "W_next 没有转置"),
    ("ch05-delta-step", delta_fprime_elsewhere, "f′ 求值的位置不对"),
    ("ch05-update-sign", update_as_printed, "这仍是原来的更新"),
    ("ch05-update-sign", update_no_sigmoid_grad, "漏掉了 sigmoid 的导数"),
    ("ch05-update-sign", update_returns_step, "返回的是更新量"),
    ("ch05-update-sign", update_outer_swapped, "外积的顺序反了"),
    ("ch05-bias-share", 0.0286, "至少抽到一个偏置"),
    ("ch05-bias-share", 0.029, "至少抽到一个偏置"),
    ("ch05-bias-share", 778 / 535818, "偏置在全部参数中所占的比例"),
    ("ch05-bias-share", 1 - 778 / 535818, "抽一次"),
    ("ch05-lr-slider", "A", "不是正确的选项"),
    ("ch05-lr-slider", "D", "不是正确的选项"),
    ("ch05-fd-slider", "A", "不是正确的选项"),
    ("ch05-fd-slider", "C", "不是正确的选项"),
]


@pytest.fixture(autouse=True)
def fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


def expected_texts(label: str) -> list[str]:
    """The expected answer of ``label`` as the ❌ line would print it (must never appear)."""
    exercise = get(label)
    if hasattr(exercise, "options"):  # a choice: the right letter
        return [REFERENCE[label]]
    if hasattr(exercise, "value"):
        value = exercise.value()
        texts = [fmt(value), fmt(np.asarray(value, dtype=float))]
        texts += [fmt(float(v)) for v in np.ravel(value)]
    else:
        texts = []
        for case in exercise.public_cases():
            parts = case.expected if isinstance(case.expected, tuple) else (case.expected,)
            for part in parts:
                texts.append(fmt(part))
                texts.extend(fmt(float(v)) for v in np.ravel(part)[:3])
    # one- to three-character texts ("0", "4.0") also occur in indices and shapes
    return [t for t in texts if len(t) >= 4]


def test_bias_share_accepts_honest_rounding_only():
    assert judge("ch05-bias-share", 0.9714).ok
    assert judge("ch05-bias-share", 0.97136).ok
    assert not judge("ch05-bias-share", 0.97).ok  # two decimals are not what the task asks


@pytest.mark.parametrize(("label", "answer", "reason"), WRONG)
def test_known_wrong_answers_fail_with_their_reason(label, answer, reason):
    result = judge(label, answer)
    assert not result.ok
    assert reason in result.message
    detail = result.message.split("提示")[0]
    for text in expected_texts(label):
        assert text not in detail


@pytest.mark.parametrize("label", ["ch05-dense-backward", "ch05-delta-step", "ch05-update-sign"])
def test_a_crashing_function_fails_without_raising(label):
    def broken(*args):
        raise IndexError("index 7 is out of bounds")

    result = judge(label, broken)
    assert not result.ok and "IndexError" in result.message


def test_dense_backward_must_not_call_dense():
    def with_the_layer(x, W, dout):
        layer = Dense(W.shape[0], W.shape[1], init="zeros")
        layer.W.data = W.copy()
        layer.forward(x)
        dx = layer.backward(dout)
        return dx, layer.W.grad, layer.b.grad

    result = judge("ch05-dense-backward", with_the_layer)
    assert not result.ok and "用到了 Dense" in result.message
    # the check restores the methods it counted calls on
    assert Dense.forward.__qualname__ == "Dense.forward"
    assert Dense.backward.__qualname__ == "Dense.backward"


def test_dense_backward_names_the_wrong_part_and_the_return_shape():
    result = judge("ch05-dense-backward", lambda x, W, dout: dout @ W.T)
    assert not result.ok and "应返回 3 个数组" in result.message
    result = judge("ch05-dense-backward", lambda x, W, dout: (dout @ W.T, x.T @ dout))
    assert "你返回了 2 个" in result.message


def test_gate_grads_expected_values_come_from_the_engine():
    assert get("ch05-gate-grads").value() == [4.0, 4.0, 3.0, 0.0]


def test_delta_step_cases_include_a_square_matrix_first():
    first = get("ch05-delta-step").public_cases()[0]
    W_next = first.args[1]
    assert W_next.shape[0] == W_next.shape[1]


TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)
