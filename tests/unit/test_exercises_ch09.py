"""Chapter 9 exercises: the reference answers pass, the known wrong answers fail with their reason."""

from __future__ import annotations

import exercise_contract
import numpy as np
import pytest

from coursenn.exercises import ch09, judge, reset_attempts


def _out_size(W, F, S, P):
    span = W - F + 2 * P
    if span < 0 or span % S:
        raise ValueError(f"(W - F + 2P)/S = {span}/{S} is not an integer")
    return span // S + 1


def _out_size_floor(W, F, S, P):  # right values, but never raises
    return (W - F + 2 * P) // S + 1


def _out_size_type_error(W, F, S, P):
    if (W - F + 2 * P) % S:
        raise TypeError("wrong kind of error")
    return (W - F + 2 * P) // S + 1


def _conv_forward(x, W, b, stride, pad):
    x = np.pad(np.asarray(x, float), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    N, _, H, Wd = x.shape
    F, _, K, _ = W.shape
    OH, OW = (H - K) // stride + 1, (Wd - K) // stride + 1
    out = np.zeros((N, F, OH, OW))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = x[n, :, i * stride : i * stride + K, j * stride : j * stride + K]
                    out[n, f, i, j] = np.sum(window * W[f]) + b[f]
    return out


def _conv_forward_no_stride(x, W, b, stride, pad):  # ignores the stride: wrong shape
    return _conv_forward(x, W, b, 1, pad)


def _im2col_single(x, kernel, stride, pad):
    return ch09._im2col_loops(
        x, kernel, stride, pad, lambda i, j, u, v: (i * stride + u, j * stride + v)
    )


def _im2col_no_plus_one(x, kernel, stride, pad):  # drops the last window of each row
    full = _im2col_single(x, kernel, stride, pad)
    C, H, W = x.shape
    OH = (H + 2 * pad - kernel) // stride + 1
    OW = (W + 2 * pad - kernel) // stride + 1
    return full.reshape(-1, OH, OW)[:, :-1, :-1].reshape(full.shape[0], -1)


REFERENCE = {
    "ch09-output-size": _out_size,
    "ch09-conv-params": 12832,
    "ch09-im2col-shape": (75, 1024),
    "ch09-fc-params": 102_764_544,
    "ch09-conv-forward": _conv_forward,
    "ch09-im2col-bug": _im2col_single,
    "ch09-window-slider": "C",
    "ch09-rf-slider": "B",
}

WRONG = {
    "ch09-output-size": [
        (ch09._wrong_size_no_plus_one, "+1"),
        (ch09._wrong_size_one_pad, "一个 P"),
        (ch09._wrong_size_no_pad, "零填充"),
        (_out_size_floor, "没有抛出 ValueError"),
        (_out_size_type_error, "TypeError"),
    ],
    "ch09-conv-params": [
        (12800, "偏置"),
        (832, "深度"),
        (800, "深度和偏置"),
        (12801, "整层一个"),
        (52_559_872, "参数共享"),
    ],
    "ch09-im2col-shape": [
        ((75, 784), "零填充"),
        ((25, 1024), "深度"),
        ((1024, 75), "反了"),
        ((76, 1024), "偏置"),
    ],
    "ch09-fc-params": [(102_760_448, "偏置"), (204_800, "深度 512"), (2_101_248, "不只是 512")],
    "ch09-conv-forward": [
        (ch09._wrong_conv_no_bias, "偏置"),
        (ch09._wrong_conv_flipped, "翻转"),
        (ch09._wrong_conv_one_channel, "第一个通道"),
        (_conv_forward_no_stride, "形状应为"),
    ],
    "ch09-im2col-bug": [
        (ch09._buggy_im2col, "题目给的代码"),
        (ch09._wrong_im2col_transposed, "u 和 v"),
        (ch09._wrong_im2col_column_order, "列的顺序"),
        (_im2col_no_plus_one, "形状应为"),
    ],
    "ch09-window-slider": [
        ("A", "不是正确的选项"),
        ("B", "不是正确的选项"),
        ("D", "不是正确的选项"),
        ("E", "不是选项之一"),
    ],
    "ch09-rf-slider": [
        ("A", "不是正确的选项"),
        ("C", "不是正确的选项"),
        ("D", "不是正确的选项"),
        (7, "不是选项之一"),
    ],
}


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


def test_buggy_im2col_is_right_at_stride_one():
    """The exercise says the given code passes a stride-1 test: check that it does."""
    x = np.arange(32.0).reshape(2, 4, 4)
    np.testing.assert_array_equal(ch09._buggy_im2col(x, 3, 1, 1), _im2col_single(x, 3, 1, 1))
    assert not np.array_equal(ch09._buggy_im2col(x, 2, 2, 0), _im2col_single(x, 2, 2, 0))


def test_float_output_size_is_accepted():
    def as_float(W, F, S, P):
        return float(_out_size(W, F, S, P))

    assert judge("ch09-output-size", as_float).ok
    for seed in exercise_contract.SEEDS:
        fresh = exercise_contract.fresh_cases("ch09-output-size", seed)
        assert judge("ch09-output-size", as_float, cases=fresh).ok


def test_fresh_output_sizes_fit_and_mostly_pad():
    for seed in exercise_contract.SEEDS:
        cases = exercise_contract.fresh_cases("ch09-output-size", seed)
        for W, F, S, P in (c.args for c in cases):
            assert W >= 1 and (W - F + 2 * P) % S == 0 and W - F + 2 * P >= 0
        assert sum(c.args[3] > 0 for c in cases) >= 3


def test_shape_message_never_shows_the_expected_shape():
    for answer, _ in WRONG["ch09-im2col-shape"]:
        message = judge("ch09-im2col-shape", answer).message
        assert "75, 1024" not in message and "75., 1024" not in message


@pytest.mark.parametrize("label", ["ch09-window-slider", "ch09-rf-slider"])
def test_choice_accepts_lowercase_and_spaces(label):
    assert judge(label, f" {REFERENCE[label].lower()} ").ok


TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)
