"""Chapter 9 exercises: cases, expected values, known mistakes and hints (see chapter 9)."""

from __future__ import annotations

import numpy as np

from ..nn.conv import conv2d_naive, conv_output_size, im2col
from ._compare import shown
from ._kinds import Case, Choice, Function, Mistake, Value
from ._probe import Call
from ._registry import register
from ._requirements import Requirement

# --- output size ------------------------------------------------------------------------------


def _size_case(W: int, F: int, S: int, P: int, what: str) -> Case:
    return Case((W, F, S, P), conv_output_size(W, F, S, P), what)


def _size_cases() -> list[Case]:
    rows = [
        ((227, 11, 4, 0), "AlexNet 第一层：W = 227, F = 11, S = 4, P = 0"),
        ((11, 5, 2, 0), "讲义的例子：W = 11, F = 5, S = 2, P = 0"),
        ((32, 5, 1, 2), "W = 32, F = 5, S = 1, P = 2"),
        ((5, 3, 2, 1), "W = 5, F = 3, S = 2, P = 1"),
        ((224, 3, 1, 1), "W = 224, F = 3, S = 1, P = 1"),
    ]
    return [_size_case(*args, what) for args, what in rows]


def _size_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: five random sizes that fit (W − F + 2P a multiple of S), the first three
    with padding. The description leaves W out: with S = 1 and F = 2P + 1, W is the answer."""
    cases = []
    for i in range(5):
        padded = i < 3
        F, S = int(rng.integers(3 if padded else 1, 8)), int(rng.integers(1, 5))
        P = int(rng.integers(1 if padded else 0, min(3, F - 1) + 1))
        W = int(rng.integers(0, 40)) * S + F - 2 * P
        while W < 1:
            W += S
        cases.append(_size_case(W, F, S, P, f"W 随机、F = {F}, S = {S}, P = {P} 的例子"))
    return cases


def _wrong_size_no_plus_one(W, F, S, P):
    return (W - F + 2 * P) / S


def _wrong_size_one_pad(W, F, S, P):
    return (W - F + P) / S + 1


def _wrong_size_no_pad(W, F, S, P):
    return (W - F) / S + 1


_MISFITS = [(10, 3, 2, 0), (6, 3, 2, 0)]


def _draw_misfit(rng: np.random.Generator) -> tuple[int, int, int, int]:
    """A random W, F, S, P whose windows do not tile the input ((W - F + 2P) % S != 0)."""
    while True:
        f, s, p = int(rng.integers(1, 8)), int(rng.integers(2, 5)), int(rng.integers(0, 3))
        w = int(rng.integers(f, 60))
        if (w - f + 2 * p) % s:
            return w, f, s, p


def _misfit_calls(rng=None) -> list[Call]:
    """Two settings that do not fit: the lecture-style ones, or drawn with ``rng``."""
    misfits = _MISFITS if rng is None else [_draw_misfit(rng) for _ in range(2)]
    return [Call(args) for args in misfits]


def _raises_on_misfit(code, outcomes, calls) -> str | None:
    """The task asks for a ValueError when (W - F + 2P)/S is not an integer."""
    for call, outcome in zip(calls, outcomes, strict=True):
        args = call.args
        if outcome.error is None:
            return (
                f"在 W, F, S, P = {args}（窗口铺不满输入）上没有抛出 ValueError，"
                f"而是返回了 {shown(outcome.result)}"
            )
        if outcome.error[0] != "ValueError":
            return (
                f"在 W, F, S, P = {args} 上抛出了 {outcome.error[0]}；"
                "任务要求步长放不下时抛出 ValueError"
            )
    return None


# --- a small convolution ----------------------------------------------------------------------


def _conv_build(rng: np.random.Generator, rows) -> list[Case]:
    """One case per ``((N, C, H, W), (F, K), stride, pad, what)`` row, x, W and b drawn with
    ``rng``; the expected output is :func:`coursenn.nn.conv.conv2d_naive`'s."""
    cases = []
    for (n, c, h, w), (f, k), stride, pad, what in rows:
        x = rng.normal(size=(n, c, h, w))
        W = rng.normal(size=(f, c, k, k))
        b = rng.normal(size=f)
        cases.append(Case((x, W, b, stride, pad), conv2d_naive(x, W, b, stride, pad), what))
    return cases


def _conv_cases() -> list[Case]:
    rows = [
        ((1, 1, 4, 4), (1, 3), 1, 0, "一张 4×4 单通道图，一个 3×3 滤波器，S = 1, P = 0"),
        ((2, 3, 5, 5), (4, 3), 2, 1, "2 张 5×5×3 的图，4 个 3×3 滤波器，S = 2, P = 1"),
        ((1, 2, 6, 4), (3, 2), 2, 0, "一张 6×4×2 的图，3 个 2×2 滤波器，S = 2, P = 0"),
    ]
    return _conv_build(np.random.default_rng(9), rows)


def _fitting_size(rng: np.random.Generator, k: int, stride: int, pad: int, low: int = 1) -> int:
    """A random input size the windows tile exactly: ``low`` to 4 outputs, at least 1 pixel."""
    out = int(rng.integers(low, 5))
    size = (out - 1) * stride + k - 2 * pad
    while size < 1:
        out += 1
        size += stride
    return size


def _conv_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: three random convolutions of 2-3 channels and K = 2-3, H and W drawn
    apart (sizes that fit): the first without padding, the other two with S = 2 or 3 and
    random padding."""
    rows = []
    for stride_low, pad_high in [(1, 0), (2, 2), (2, 1)]:
        n, c, f, k = (
            int(rng.integers(1, 3)),
            int(rng.integers(2, 4)),
            int(rng.integers(1, 4)),
            int(rng.integers(2, 4)),
        )
        stride, pad = int(rng.integers(stride_low, 4)), int(rng.integers(0, pad_high + 1))
        h, w = _fitting_size(rng, k, stride, pad), _fitting_size(rng, k, stride, pad)
        what = f"{n} 张 {h}×{w}×{c} 的随机图，{f} 个 {k}×{k} 滤波器，S = {stride}, P = {pad}"
        rows.append(((n, c, h, w), (f, k), stride, pad, what))
    return _conv_build(rng, rows)


def _wrong_conv_no_bias(x, W, b, stride, pad):
    return conv2d_naive(x, W, np.zeros_like(b), stride, pad)


def _wrong_conv_flipped(x, W, b, stride, pad):
    return conv2d_naive(x, W[:, :, ::-1, ::-1], b, stride, pad)


def _wrong_conv_one_channel(x, W, b, stride, pad):
    return conv2d_naive(x[:, :1], W[:, :1], b, stride, pad)


# --- the im2col bug ---------------------------------------------------------------------------


def _im2col_build(rng: np.random.Generator, rows) -> list[Case]:
    """One case per ``((C, H, W), K, stride, pad, what)`` row, x drawn with ``rng`` (two
    decimals); the expected columns are :func:`coursenn.nn.conv.im2col`'s."""
    cases = []
    for shape, k, stride, pad, what in rows:
        x = np.round(rng.normal(size=shape), 2)
        cases.append(Case((x, k, stride, pad), im2col(x[None], k, stride, pad), what))
    return cases


def _im2col_cases() -> list[Case]:
    rows = [
        ((1, 4, 4), 3, 1, 0, "4×4 单通道图，K = 3, S = 1, P = 0"),
        ((1, 5, 5), 3, 2, 1, "5×5 单通道图，K = 3, S = 2, P = 1"),
        ((2, 7, 9), 3, 2, 0, "7×9×2 的图，K = 3, S = 2, P = 0"),
    ]
    return _im2col_build(np.random.default_rng(90), rows)


def _im2col_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: three random images (1-3 channels, at least 2×2 window positions),
    K = 2-4, S = 2 or 3 (the given code is right at S = 1), random padding."""
    rows = []
    for _ in range(3):
        c, k = int(rng.integers(1, 4)), int(rng.integers(2, 5))
        stride, pad = int(rng.integers(2, 4)), int(rng.integers(0, 3))
        h, w = _fitting_size(rng, k, stride, pad, 2), _fitting_size(rng, k, stride, pad, 2)
        rows.append(
            ((c, h, w), k, stride, pad, f"{h}×{w}×{c} 的随机图，K = {k}, S = {stride}, P = {pad}")
        )
    return _im2col_build(rng, rows)


def _im2col_loops(x, kernel, stride, pad, index):
    """The exercise's loops, with ``index(i, j, u, v) -> (row, col)`` of ``x_pad``."""
    C, H, W = x.shape
    x_pad = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    OH = (H + 2 * pad - kernel) // stride + 1
    OW = (W + 2 * pad - kernel) // stride + 1
    cols = np.zeros((C * kernel * kernel, OH * OW))
    for c in range(C):
        for u in range(kernel):
            for v in range(kernel):
                for i in range(OH):
                    for j in range(OW):
                        r, s = index(i, j, u, v)
                        cols[(c * kernel + u) * kernel + v, i * OW + j] = x_pad[c, r, s]
    return cols


def _buggy_im2col(x, kernel, stride, pad):  # the code the exercise gives
    def index(i, j, u, v):
        return i + u * stride, j + v * stride  # the bug: the stride multiplies the offset

    return _im2col_loops(x, kernel, stride, pad, index)


def _wrong_im2col_transposed(x, kernel, stride, pad):  # rows and columns of the window swapped
    def index(i, j, u, v):
        return i * stride + v, j * stride + u

    return _im2col_loops(x, kernel, stride, pad, index)


def _wrong_im2col_column_order(x, kernel, stride, pad):  # windows stored column by column
    def index(i, j, u, v):
        return i * stride + u, j * stride + v

    right = _im2col_loops(x, kernel, stride, pad, index)
    C, H, W = x.shape
    OH = (H + 2 * pad - kernel) // stride + 1
    OW = (W + 2 * pad - kernel) // stride + 1
    return right.reshape(-1, OH, OW).transpose(0, 2, 1).reshape(right.shape)


register(
    Function(
        "ch09-output-size",
        name="out_size",
        cases=_size_cases,
        fresh=_size_fresh,
        mistakes=[
            Mistake(_wrong_size_no_plus_one, "少了 +1：窗口在最左边的那个位置也算一个输出"),
            Mistake(_wrong_size_one_pad, "只加了一个 P：零填充加在两边"),
            Mistake(_wrong_size_no_pad, "没有算零填充 P"),
        ],
        requires=[Requirement(_raises_on_misfit, _misfit_calls)],
        hints=[
            "窗口最左边一个位置，之后每走 S 步又是一个位置；填充后的输入有多宽？",
            "填充后宽 W + 2P，窗口可以移动的距离是 W + 2P − F；数一数能走几步，再加上起点。"
            "不能整除时用 raise ValueError(...)。",
        ],
    ),
    Value(
        "ch09-conv-params",
        name="n_params",
        expected=lambda: 32 * (5 * 5 * 16 + 1),
        rtol=0.0,
        atol=0.5,
        mistakes=[
            Mistake(32 * 5 * 5 * 16, "只数了权重：每个滤波器还有一个偏置"),
            Mistake(32 * (5 * 5 + 1), "滤波器的深度要和输入的深度一致（16），不是 1"),
            Mistake(32 * 5 * 5, "滤波器的深度和偏置都没有算"),
            Mistake(32 * 5 * 5 * 16 + 1, "偏置是每个滤波器一个，不是整层一个"),
            Mistake(
                64 * 64 * 32 * (5 * 5 * 16 + 1),
                "这是没有参数共享时的数目；卷积层的每个深度切片共用一个滤波器",
            ),
        ],
        hints=[
            "一个滤波器有多少个权重？它在深度方向上有多深？别忘了还有什么可学习的量。",
            "每个滤波器 F·F·C 个权重加 1 个偏置，共 K 个滤波器；输出的空间尺寸与参数个数无关。",
        ],
    ),
    Value(
        "ch09-im2col-shape",
        name="cols_shape",
        expected=lambda: (5 * 5 * 3, 32 * 32),
        rtol=0.0,
        atol=0.5,
        mistakes=[
            Mistake((75, 28 * 28), "列数按没有零填充算了；P = 2 时输出仍是 32×32"),
            Mistake((25, 1024), "行数少了深度：每一列是整个 5×5×3 的窗口"),
            Mistake((1024, 75), "行和列反了：X_col 的每一列是一个窗口"),
            Mistake((76, 1024), "im2col 只放输入的值，偏置不在 X_col 里"),
        ],
        hints=[
            "X_col 的一列是什么？它有多少个数？一共有多少列？",
            "一列 = 一个窗口拉直（F·F·C 个数）；列数 = 输出的位置数 OH·OW，"
            "先用 (W − F + 2P)/S + 1 算出 OH。",
        ],
    ),
    Value(
        "ch09-fc-params",
        name="n_fc",
        expected=lambda: 7 * 7 * 512 * 4096 + 4096,
        rtol=0.0,
        atol=0.5,
        mistakes=[
            Mistake(7 * 7 * 512 * 4096, "只数了权重，4096 个神经元各有一个偏置"),
            Mistake(7 * 7 * 4096 + 4096, "每个神经元连着整个 7×7×512 的数据体，深度 512 也要乘上"),
            Mistake(512 * 4096 + 4096, "每个神经元连着 7×7×512 个输入，不只是 512 个"),
        ],
        hints=[
            "全连接层的一个神经元连着前一层的多少个数？",
            "每个神经元有 7·7·512 个权重和 1 个偏置，共 4096 个神经元；F = 7 的卷积层参数一样多。",
        ],
    ),
    Function(
        "ch09-conv-forward",
        name="conv_forward",
        cases=_conv_cases,
        fresh=_conv_fresh,
        mistakes=[
            Mistake(_wrong_conv_no_bias, "结果差了一个常数：忘了加偏置 b[f]"),
            Mistake(
                _wrong_conv_flipped,
                "把滤波器翻转了：卷积层做的是互相关，窗口和滤波器逐元素对应相乘",
            ),
            Mistake(
                _wrong_conv_one_channel, "只用了第一个通道：滤波器要和窗口在全部深度上相乘求和"
            ),
        ],
        hints=[
            "先算输出尺寸，再对每个 (n, f, i, j) 取出窗口："
            "它在填充后的输入里从哪一行、哪一列开始？",
            "窗口是 x_pad[n, :, i·S : i·S + K, j·S : j·S + K]，"
            "和 W[f] 逐元素相乘后全部求和，再加 b[f]。",
        ],
    ),
    Function(
        "ch09-im2col-bug",
        name="im2col_single",
        cases=_im2col_cases,
        fresh=_im2col_fresh,
        mistakes=[
            Mistake(_buggy_im2col, "这还是题目给的代码：在 S = 1 时对，S = 2 时错"),
            Mistake(_wrong_im2col_transposed, "窗口里的 u 和 v 用反了：u 是行方向的偏移"),
            Mistake(
                _wrong_im2col_column_order,
                "列的顺序不对：第 i·OW + j 列是输出位置 (i, j)，窗口按行排",
            ),
        ],
        hints=[
            "先在 S = 1 和 S = 2 上各试一次。S = 1 时对、S = 2 时错，说明哪一项和步长有关？",
            "输出位置 (i, j) 的窗口从填充后的第 i·S 行、"
            "第 j·S 列开始；窗口里的偏移 (u, v) 每次只走一格。",
        ],
    ),
    Choice(
        "ch09-window-slider",
        name="answer",
        digest="sha256:db073fe7056b5d27f33fd34ba4b80eef76280f3d881788da7b3e441c0698aacf",
        hints=[
            "一帧一帧拖动滑块，每一帧看橙色的窗口是否盖住了输入的 (1, 1) 格（白色区域从 0 数，"
            "不算灰色的填充）。",
            "填充后 (1, 1) 在第 2 行、第 2 列；窗口从第 0、2、"
            "4 行开始，各盖 3 行。哪几个行起点盖得到第 2 行？列也一样。",
        ],
    ),
    Choice(
        "ch09-rf-slider",
        name="answer",
        digest="sha256:e430369b1877b2134bcccb4e23e1d1cd43188c1fd4b3247dc7787e2ecbff6d6b",
        hints=[
            "把滑块拖到 L = 3，读两张图标题里的感受野。",
            "普通 3×3 每加一层感受野加 2；扩张率为 D 的 3×3 每层加 2D。",
        ],
    ),
)
