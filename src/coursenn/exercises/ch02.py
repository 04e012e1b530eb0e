"""Chapter 2 exercises: cases, expected values, known mistakes and hints (see chapter 2).

Five exercises: ELU without overflow (``ch02-elu``), the sigmoid derivative by hand
(``ch02-sigmoid-grad``), reading the Leaky ReLU slider (``ch02-leaky-slider``), the batched
softmax bug (``ch02-softmax-bug``) and k-piece maxout (``ch02-maxout``). The arrays of the
public cases are read-only, so an answer that writes into its input fails with a clear error
instead of corrupting the cases of the next check.
"""

from __future__ import annotations

import numpy as np

from ..nn import activations
from ._kinds import Case, Choice, Function, Mistake, Value
from ._registry import register
from ._requirements import numpy_only, read_only

__all__: list[str] = []


def _PROBE() -> tuple:
    """The small input on which the "only numpy" constraint is checked."""
    return read_only([[-1.0, 0.5, 2.0]])


def _elu_case(x, alpha: float | None, what: str) -> Case:
    """``my_elu(x)`` (``alpha`` None: the default) or ``my_elu(x, alpha)``, x read-only."""
    (x,) = read_only(x)
    if alpha is None:
        return Case((x,), activations.elu(x), what)
    return Case((x, alpha), activations.elu(x, alpha), what)


def _elu_cases() -> list[Case]:
    rng = np.random.default_rng(11)
    basic = [-3.0, -1.0, 0.0, 0.5, 2.0]
    return [
        _elu_case(basic, None, "x = [-3, -1, 0, 0.5, 2]（alpha 取默认值 1）"),
        _elu_case(basic, 1.0, "x = [-3, -1, 0, 0.5, 2], alpha = 1"),
        _elu_case(rng.normal(size=(3, 4)), 0.5, "一个形状 (3, 4) 的随机 x, alpha = 0.5"),
        _elu_case([[-50.0, -2.0], [0.25, 800.0]], 2.0, "x = [[-50, -2], [0.25, 800]], alpha = 2"),
    ]


def _alpha(rng: np.random.Generator) -> float:
    """A random alpha, two decimals, away from 1 (where a misplaced alpha would not show)."""
    low, high = (0.1, 0.8) if rng.random() < 0.5 else (1.2, 3.0)
    return round(float(rng.uniform(low, high)), 2)


def _elu_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: random x with the default alpha, a random 2-D x with a random alpha, and
    x holding huge positives (a naive np.exp overflows) and large negatives."""
    n = int(rng.integers(4, 11))
    shape = (int(rng.integers(2, 5)), int(rng.integers(2, 6)))
    huge = np.concatenate(
        [
            rng.uniform(710.0, 1000.0, size=int(rng.integers(1, 3))),
            rng.uniform(-100.0, -20.0, size=int(rng.integers(1, 3))),
            rng.normal(size=int(rng.integers(1, 4))),
        ]
    )
    a1, a2 = _alpha(rng), _alpha(rng)
    return [
        _elu_case(rng.normal(size=n) * 3, None, f"{n} 个随机的 x（alpha 取默认值 1）"),
        _elu_case(rng.normal(size=shape) * 2, a1, f"形状 {shape} 的随机 x, alpha = {a1:g}"),
        _elu_case(rng.permutation(huge), a2, f"含很大的正数（几百）的随机 x, alpha = {a2:g}"),
    ]


def _elu_no_alpha(x, alpha=1.0):
    return np.where(x > 0, x, np.exp(np.minimum(x, 0.0)) - 1)


def _elu_alpha_everywhere(x, alpha=1.0):
    return alpha * np.where(x > 0, x, np.exp(np.minimum(x, 0.0)) - 1)


_ELU = Function(
    "ch02-elu",
    name="my_elu",
    cases=_elu_cases,
    fresh=_elu_fresh,
    no_warnings=True,  # the naive np.where(x > 0, x, a * (np.exp(x) - 1)) overflows at 800
    requires=[numpy_only(_PROBE, activations, what="自己写出来")],
    # Only mistakes whose values are wrong: a known mistake is recognised by its values, and
    # the overflowing versions give the right values (their ❌ line names the warning).
    mistakes=[
        Mistake(_elu_no_alpha, "alpha ≠ 1 时不对：负半轴的 e^x − 1 没有乘 alpha"),
        Mistake(_elu_alpha_everywhere, "alpha ≠ 1 时正半轴也被乘了 alpha，正半轴应该原样输出 x"),
    ],
    hints=[
        "分两种情况写：x > 0 时输出什么，x ≤ 0 时输出什么；alpha 只出现在其中一种情况里。",
        "np.where(cond, A, B) 会先把 A 和 B 整个算出来再挑选：x = 800 时 B 里的 np.exp(x) "
        "已经溢出了。正的 x 反正用不到 B 的值。",
        "先把送进 np.exp 的数限制在 (−∞, 0] 之内（正的 x 换成一个无害的数），再让 np.where "
        "在两个分支之间挑选；不要修改传进来的 x。",
    ],
)


# --- ch02-sigmoid-grad ------------------------------------------------------------------------

_SIGMA = float(activations.sigmoid(np.log(3.0)))
_SIGMA_PRIME_1 = float(activations.sigmoid_grad(1.0))


def _with_roundings(value: float, why: str, digits=(2, 3, 4)) -> list[Mistake]:
    """One mistake for ``value`` and one for each of its roundings to ``digits`` decimals.

    The task asks for the exact value, so the check compares with a tight tolerance; a wrong
    idea written with a few decimals must still get its own hint.
    """
    answers = dict.fromkeys([value, *(round(value, d) for d in digits)])
    return [Mistake(answer, why) for answer in answers]


_APPROXIMATE = (
    "这是一个近似值（舍入或截断过的小数）：σ′(ln 3) 是一个有限小数，题目要的是它的精确值——"
    "把分数算到底，或者直接写成分数"
)

_SIGMOID_GRAD = Value(
    "ch02-sigmoid-grad",
    name="sigma_prime",
    expected=lambda: float(activations.sigmoid_grad(np.log(3.0))),
    rtol=0.0,
    atol=1e-6,  # the task asks for the exact value (a terminating decimal, or a fraction)
    mistakes=[
        Mistake(_SIGMA, "这是 σ(ln 3) 本身，还不是导数"),
        Mistake(
            1 - _SIGMA,
            "这是 1 − σ(ln 3)（也恰好是 σ′ 在 x = 0 处的最大值），导数是两个因子的乘积",
        ),
        *_with_roundings(_SIGMA * (1 + _SIGMA), "这是 σ(1 + σ)：导数公式里是 1 − σ，不是 1 + σ"),
        Mistake(_SIGMA**2, "这是 σ²：导数公式是 σ 乘以 (1 − σ)"),
        *_with_roundings(
            _SIGMA_PRIME_1,
            "这接近 σ′(1)：ln 3 ≈ 1.0986，不是 1；把 e^(−ln 3) 化成分数就不用近似了",
            digits=(3, 4),  # σ′(1) to two decimals is 0.2, the right value to one decimal
        ),
        # the right value rounded or truncated: 0.19, 0.188 (rounded), 0.18, 0.187 (truncated)
        *(Mistake(answer, _APPROXIMATE) for answer in (0.19, 0.188, 0.18, 0.187, 0.2)),
    ],
    hints=[
        "先算 σ(ln 3) = 1/(1 + e^(−ln 3))：e^(−ln 3) 是多少？",
        "e^(−ln 3) = 1/3，所以 σ(ln 3) 是一个简单的分数；再用 σ′ = σ(1 − σ)，两个因子都要乘上。",
        "把 σ(ln 3) 和 1 − σ(ln 3) 都写成分数相乘；乘积的分母只含因子 2，换成小数正好除尽，"
        "写出全部位数（或直接写成分数）。",
    ],
)


# --- ch02-leaky-slider ------------------------------------------------------------------------

_LEAKY_SLIDER = Choice(
    "ch02-leaky-slider",
    name="answer",
    options=("A", "B", "C", "D"),
    digest="sha256:15021c722952b6f5a37907561b046b59afa571968d702a419124316deb2d3a51",
    hints=[
        "把 γ = 1 代入 Leaky ReLU 的定义：x ≤ 0 时输出的是什么？和 x > 0 时比一比。",
        "γ = 1 时正负两个半轴的公式相同，导数也处处相同。再回想本章第一节：层间只有线性函数的"
        "网络会怎样？",
    ],
)


# --- ch02-softmax-bug -------------------------------------------------------------------------


def _softmax_case(S, what: str) -> Case:
    (S,) = read_only(S)
    return Case((S,), activations.softmax(S, axis=1), what)


def _softmax_cases() -> list[Case]:
    rng = np.random.default_rng(12)
    return [
        _softmax_case(
            [[1000.0, 1001.0, 1002.0], [0.0, 1.0, 2.0]], "S = [[1000, 1001, 1002], [0, 1, 2]]"
        ),
        _softmax_case([[123.0, 456.0, 789.0]], "讲义的 S = [[123, 456, 789]]"),
        _softmax_case([[3.0, -1.0, 0.5], [0.0, 2.0, 1.0], [-2.0, 4.0, 1.5]], "一个 3×3 的 S"),
        _softmax_case(rng.normal(0.0, 5.0, size=(4, 10)), "一批形状 (4, 10) 的随机分数"),
    ]


def _softmax_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: a batch where some rows sit near 1000 and others near 0, a random square
    S (a max without keepdims still broadcasts there), a random batch (N may be 1)."""
    n, k = int(rng.integers(2, 6)), int(rng.integers(2, 7))
    mixed = rng.normal(size=(n, k)) * 2
    high = rng.permutation(n)[: int(rng.integers(1, n))]  # at least one row stays near 0
    mixed[high] += rng.uniform(800.0, 1200.0, size=(len(high), 1))
    m = int(rng.integers(2, 6))
    square = rng.normal(size=(m, m)) * 3
    batch = rng.normal(0.0, 5.0, size=(int(rng.integers(1, 9)), int(rng.integers(2, 13))))
    return [
        _softmax_case(mixed, f"{n}×{k} 的随机分数，有的行在 1000 左右，有的行在 0 左右"),
        _softmax_case(square, f"一个 {m}×{m} 的随机 S"),
        _softmax_case(batch, f"一批形状 {batch.shape} 的随机分数"),
    ]


def _softmax_global_max(S):
    e = np.exp(S - np.max(S))
    return e / np.sum(e, axis=1, keepdims=True)


def _softmax_no_shift(S):
    e = np.exp(S)
    return e / np.sum(e, axis=1, keepdims=True)


def _softmax_columns(S):
    e = np.exp(S - np.max(S, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _softmax_whole_batch(S):
    e = np.exp(S - np.max(S, axis=1, keepdims=True))
    return e / np.sum(e)


_SOFTMAX_BUG = Function(
    "ch02-softmax-bug",
    name="softmax_rows",
    cases=_softmax_cases,
    fresh=_softmax_fresh,
    no_warnings=True,
    requires=[numpy_only(_PROBE, activations, what="自己写出来")],
    mistakes=[
        Mistake(
            _softmax_global_max,
            "这还是原来的错误：整批只减了一个数，分数小的那一行 exp 之后全部下溢为 0，0/0 得 NaN",
        ),
        Mistake(
            _softmax_no_shift,
            "没有做平移：分数大于约 709 时 exp 溢出成 inf，inf/inf 得 NaN",
        ),
        Mistake(_softmax_columns, "你把每一列归一化了（每列和为 1），要的是每一行和为 1"),
        Mistake(_softmax_whole_batch, "你把整批一起归一化了（全部元素和为 1），要的是每一行和为 1"),
    ],
    hints=[
        "把第二行 [0, 1, 2] 单独拿出来，照这段代码一步步算：减去的是哪个数？exp 之后还剩什么？",
        "np.max(S) 是整批共用的一个数，而平移只在同一个样本内部不改变 softmax。"
        "每一行应该减去哪个数？",
        "让最大值按行（每个样本）来求，并且保持能和形状 (N, K) 的 S 相减的形状；归一化同样按行。",
    ],
)


# --- ch02-maxout ------------------------------------------------------------------------------


def _maxout_reference(X, W, b):
    return np.max([X @ W[j] + b[j] for j in range(len(W))], axis=0)


def _maxout_build(
    rng: np.random.Generator, ndm, slope: float, k: int, nkdm, lead: float = 0.0
) -> list[Case]:
    """Maxout cases drawn with ``rng``: on X (N, D) with one random piece (D, M), two pieces
    equal to ReLU and to Leaky ReLU (``slope``); ``k`` random pieces on the same X; and
    ``nkdm = (N, k, D, M)`` of a second random example. ``lead`` is added to the bias of
    the last of the ``k`` pieces on one random unit."""
    n, d, m = ndm
    X, W_a, b_a = read_only(rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m))
    z = X @ W_a + b_a
    relu_W, relu_b = read_only(np.stack([W_a, np.zeros_like(W_a)]), np.stack([b_a, 0 * b_a]))
    leaky_W, leaky_b = read_only(np.stack([W_a, slope * W_a]), np.stack([b_a, slope * b_a]))
    W3, b3 = rng.normal(size=(k, d, m)), rng.normal(size=(k, m))
    if lead:  # the last piece wins on one unit: a maxout of the first two pieces shows
        b3[k - 1, rng.integers(m)] += lead
    W3, b3 = read_only(W3, b3)
    n2, k2, d2, m2 = nkdm
    X5, W4, b4 = read_only(
        rng.normal(size=(n2, d2)), rng.normal(size=(k2, d2, m2)), rng.normal(size=(k2, m2))
    )
    return [
        Case((X, relu_W, relu_b), activations.relu(z), "k = 2，第二段为 0（应等于 ReLU）"),
        Case(
            (X, leaky_W, leaky_b),
            activations.leaky_relu(z, slope),
            f"k = 2，第二段是第一段的 {slope:g} 倍（应等于 Leaky ReLU）",
        ),
        Case((X, W3, b3), _maxout_reference(X, W3, b3), f"k = {k} 的随机例子"),
        Case(
            (X5, W4, b4),
            _maxout_reference(X5, W4, b4),
            f"k = {k2}、N = {n2}、D = {d2}、M = {m2} 的随机例子",
        ),
    ]


def _maxout_cases() -> list[Case]:
    return _maxout_build(np.random.default_rng(13), (6, 4, 3), 0.1, 3, (5, 4, 2, 7))


def _maxout_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: random sizes, a random Leaky slope, k ≥ 3 pieces (the last one ahead on
    one unit), a one-sample second example."""

    def size(low: int, high: int) -> int:
        return int(rng.integers(low, high + 1))

    ndm = (size(2, 8), size(1, 5), size(1, 5))
    slope = round(float(rng.uniform(0.05, 0.5)), 2)
    second = (1, size(3, 6), size(1, 5), size(1, 6))
    return _maxout_build(rng, ndm, slope, size(3, 5), second, lead=10.0)


def _maxout_two_pieces(X, W, b):
    return np.maximum(X @ W[0] + b[0], X @ W[1] + b[1])


def _maxout_no_bias(X, W, b):
    return np.max([X @ W[j] for j in range(len(W))], axis=0)


def _maxout_sum(X, W, b):
    return np.sum([X @ W[j] + b[j] for j in range(len(W))], axis=0)


_MAXOUT = Function(
    "ch02-maxout",
    name="maxout_k",
    cases=_maxout_cases,
    fresh=_maxout_fresh,
    mistakes=[
        Mistake(_maxout_two_pieces, "只用了前两段：k ≥ 3 时后面的段被忽略了"),
        Mistake(_maxout_no_bias, "漏了偏置 b_j：只有 b = 0 时才对"),
        Mistake(_maxout_sum, "你把各段加起来了，maxout 取的是各段中的最大值"),
    ],
    hints=[
        "先写出第 j 段 X W_j + b_j，它的形状是 (N, M)；一共有 k = len(W) 段，不一定是两段。",
        "把 k 段都算出来，再在“段”这一维上逐元素取最大值（每个样本、每个输出单元各取各的）。",
        "可以把 k 段排成一个形状 (k, N, M) 的数组再沿第 0 维取最大；注意每一段的偏置 b_j "
        "要加到每一个样本上。",
    ],
)


register(_ELU, _SIGMOID_GRAD, _LEAKY_SLIDER, _SOFTMAX_BUG, _MAXOUT)
