"""Chapter 1 exercises: cases, expected values, known mistakes and hints (see chapter 1).

* ``ch01-nand``: one sign unit that computes NAND in the ±1 encoding (``nand_unit``);
* ``ch01-count-params``: the learnable parameters of the lecture's 784-512-256-10 net;
* ``ch01-forward``: the batched forward pass tanh(X W1 + b1) W2 + b2, numpy only;
* ``ch01-bias-slider``: what the bias slider does to the decision boundary (a choice).

Expected values are computed with the package (``data.logic_gate``, ``count_parameters``,
a ``Sequential`` of ``Dense``/``Tanh``), never typed in.
"""

from __future__ import annotations

import numpy as np

from .. import data
from ..nn import activations
from ..nn.layers import Dense, ReLU, Sequential, Tanh, count_parameters
from ._kinds import Case, Choice, Function, Mistake, Value
from ._registry import register
from ._requirements import Code, Requirement

# --- ch01-nand -------------------------------------------------------------------------------


def _nand_expected(x1, x2):
    """NAND of ±1 inputs (two numbers, or two arrays elementwise), read off the truth table
    of ``data.logic_gate``: a float for numbers, an array for arrays."""
    X, y = data.logic_gate("NAND")
    pairs = np.stack(np.broadcast_arrays(np.asarray(x1, float), np.asarray(x2, float)), axis=-1)
    row = np.argmax(np.all(pairs[..., None, :] == X, axis=-1), axis=-1)
    return float(y[row]) if np.ndim(row) == 0 else y[row]


def _nand_cases() -> list[Case]:
    """The four rows of NAND's truth table (±1 encoding), then all four at once as arrays."""
    X, _ = data.logic_gate("NAND")
    rows = [Case((float(x1), float(x2)), _nand_expected(x1, x2)) for x1, x2 in X]
    arrays = Case(
        (X[:, 0], X[:, 1]),
        _nand_expected(X[:, 0], X[:, 1]),
        what="数组输入（四行真值表一次算，逐元素）",
    )
    return [*rows, arrays]


def _nand_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: one random row as two numbers, a ±1 array of random length holding all
    four rows in a random order, and a random 2-D ±1 array."""
    X, _ = data.logic_gate("NAND")
    extra = rng.choice([-1.0, 1.0], size=(int(rng.integers(1, 9)), 2))
    rows = np.concatenate([X, extra])[rng.permutation(len(X) + len(extra))]
    x1, x2 = rows[:, 0].copy(), rows[:, 1].copy()
    shape = (int(rng.integers(2, 4)), int(rng.integers(2, 5)))
    g1, g2 = rng.choice([-1.0, 1.0], size=(2, *shape))
    a, b = (float(v) for v in rng.choice([-1.0, 1.0], size=2))
    return [
        Case((a, b), _nand_expected(a, b), "一组随机的输入（两个数）"),
        Case((x1, x2), _nand_expected(x1, x2), f"长度 {len(x1)} 的随机 ±1 数组（逐元素）"),
        Case((g1, g2), _nand_expected(g1, g2), f"形状 {shape} 的随机 ±1 数组（逐元素）"),
    ]


def _and_unit(x1, x2):  # AND's weights and bias, unchanged
    return activations.sign(x1 + x2 - 1.0)


def _or_unit(x1, x2):  # only the bias of AND flipped
    return activations.sign(x1 + x2 + 1.0)


def _nor_unit(x1, x2):  # only the weights of AND flipped
    return activations.sign(-x1 - x2 - 1.0)


def _np_sign_zero_bias(x1, x2):  # np.sign(0) = 0 on the mixed inputs
    return np.sign(-np.asarray(x1, dtype=float) - np.asarray(x2, dtype=float))


# --- ch01-count-params -----------------------------------------------------------------------

_TASK_B = (784, 512, 256, 10)


def _task_b_parameters() -> int:
    """``count_parameters`` of the lecture's task B net (ReLU layers hold no parameters)."""
    sizes = _TASK_B
    layers = []
    for m_in, m_out in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [Dense(m_in, m_out, init="zeros"), ReLU()]
    return count_parameters(Sequential(*layers[:-1]))


def _pairs():
    return list(zip(_TASK_B[:-1], _TASK_B[1:], strict=True))


_WEIGHTS_ONLY = sum(m_in * m_out for m_in, m_out in _pairs())
_NO_OUTPUT_LAYER = sum((m_in + 1) * m_out for m_in, m_out in _pairs()[:-1])
_NO_FIRST_LAYER = sum((m_in + 1) * m_out for m_in, m_out in _pairs()[1:])
_BIAS_PER_INPUT = sum(m_in * (m_out + 1) for m_in, m_out in _pairs())
_INPUTS_HAVE_BIASES = _WEIGHTS_ONLY + sum(_TASK_B)
_NEURONS = sum(_TASK_B[1:])


# --- ch01-forward ----------------------------------------------------------------------------


def _forward_build(rng: np.random.Generator, nets) -> list[Case]:
    """Cases for ``nets``, rows ``(D, H, K, batch sizes)``: a tanh-hidden, linear-output net
    with nonzero biases drawn with ``rng``, and one batch X per batch size."""
    cases = []
    for d, h, k, batches in nets:
        net = Sequential(Dense(d, h, rng=rng), Tanh(), Dense(h, k, rng=rng))
        hidden, out = net.layers[0], net.layers[2]
        hidden.b.data = rng.normal(size=h)
        out.b.data = rng.normal(size=k)
        params = (hidden.W.data, hidden.b.data, out.W.data, out.b.data)
        for n in batches:
            X = rng.normal(size=(n, d))
            what = f"N = {n} 个样本、D-H-K = {d}-{h}-{k} 的随机例子（偏置不为 0）"
            cases.append(Case((X, *params), net.forward(X), what=what))
    return cases


def _forward_cases() -> list[Case]:
    """A 3-5-2 net on batches of 1 and 4, a 2-4-1 net on a batch of 3."""
    return _forward_build(np.random.default_rng(7), [(3, 5, 2, (1, 4)), (2, 4, 1, (3,))])


def _forward_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: two nets of random sizes, a one-sample batch and random batch sizes."""

    def size(low: int, high: int) -> int:
        return int(rng.integers(low, high + 1))

    nets = [
        (size(1, 6), size(2, 8), size(1, 4), (1, size(2, 9))),
        (size(1, 6), size(2, 8), size(1, 4), (size(2, 12),)),
    ]
    return _forward_build(rng, nets)


def _tanh_on_output(X, W1, b1, W2, b2):
    return np.tanh(np.tanh(X @ W1 + b1) @ W2 + b2)


def _no_b2(X, W1, b1, W2, b2):
    return np.tanh(X @ W1 + b1) @ W2


def _no_b1(X, W1, b1, W2, b2):
    return np.tanh(X @ W1) @ W2 + b2


def _no_tanh(X, W1, b1, W2, b2):
    return (X @ W1 + b1) @ W2 + b2


def _sigmoid_hidden(X, W1, b1, W2, b2):
    return activations.sigmoid(X @ W1 + b1) @ W2 + b2


def _relu_hidden(X, W1, b1, W2, b2):
    return np.maximum(X @ W1 + b1, 0.0) @ W2 + b2


_LAYER_NAMES = frozenset({"Dense", "Sequential", "Tanh"})


def _no_layers(code: Code, outcomes, calls) -> str | None:
    """The task's constraint "只用 numpy，不要调用 Dense": no coursenn layer in the code."""
    used = sorted(code.names & _LAYER_NAMES)
    if used:
        return f"用到了 coursenn 的层 {', '.join(used)}：任务要求只用 numpy 写出前向传播"
    return None


register(
    Function(
        "ch01-nand",
        name="nand_unit",
        cases=_nand_cases,
        fresh=_nand_fresh,
        mistakes=[
            Mistake(_and_unit, "它算的是 AND：NAND 的输出正好与 AND 相反"),
            Mistake(_or_unit, "它算的是 OR：只改了 AND 的偏置，权重还是 AND 的"),
            Mistake(_nor_unit, "它算的是 NOR：只改了 AND 的权重，偏置还是 AND 的"),
            Mistake(
                _np_sign_zero_bias,
                "在一真一假的输入上输出了 0：净输入恰好为 0，而 np.sign(0) 是 0，不是 ±1",
            ),
        ],
        hints=[
            "NAND 就是 NOT(AND)：想一想“取反”对一个符号单元的净输入 z 做了什么。",
            "sign(−z) 与 sign(z) 相反（z ≠ 0 时）：正文 AND 单元的 w1、w2、b 各应怎样变？"
            "同时留意 z 会不会恰好等于 0。",
            "把四个输入逐个代进你的 z = w1·x1 + w2·x2 + b，对照 NAND 的真值表"
            "（只有两个输入都为 +1 时输出 −1）；z = 0 时 activations.sign 给 +1，np.sign 给 0；"
            "函数还要能对数组逐元素计算（不要用 if）。",
        ],
    ),
    Value(
        "ch01-count-params",
        name="n_params",
        expected=_task_b_parameters,
        rtol=0.0,
        atol=0.5,
        mistakes=[
            Mistake(_WEIGHTS_ONLY, "这只数了权重，没有数偏置"),
            Mistake(_NO_OUTPUT_LAYER, "少数了一层：最后一层（输出层）的权重和偏置没有算进去"),
            Mistake(_NO_FIRST_LAYER, "少数了一层：第一层（从输入到第一个隐藏层）没有算进去"),
            Mistake(_BIAS_PER_INPUT, "偏置按输入的个数数了：偏置是每个神经元（输出）一个"),
            Mistake(_INPUTS_HAVE_BIASES, "输入层也数了偏置：输入层只是数据，没有可学习的量"),
            Mistake(_NEURONS, "这是神经元的个数，不是可学习参数的个数"),
        ],
        hints=[
            "每一层（不算输入层）有哪两类可学习的数？",
            "第 l 层有 M_{l−1}·M_l 个权重和 M_l 个偏置；784-512-256-10 一共有几层带参数？",
            "三层分别是 784→512、512→256、256→10：逐层算出“权重数 + 偏置数”，再把三层相加。",
        ],
    ),
    Function(
        "ch01-forward",
        name="forward",
        cases=_forward_cases,
        fresh=_forward_fresh,
        mistakes=[
            Mistake(_tanh_on_output, "输出层也加了 tanh：讲义 004 的输出层是线性的"),
            Mistake(_no_b2, "输出层漏了偏置 b2"),
            Mistake(_no_b1, "隐藏层漏了偏置 b1"),
            Mistake(_no_tanh, "隐藏层没有经过 tanh：两层线性变换叠起来仍是线性的"),
            Mistake(_sigmoid_hidden, "隐藏层用了 sigmoid：任务要求 tanh"),
            Mistake(_relu_hidden, "隐藏层用了 ReLU：任务要求 tanh"),
        ],
        requires=[Requirement(_no_layers)],
        hints=[
            "先算隐藏层（净输入，再激活），再算输出层；想清楚哪一层有激活函数。",
            "对照讲义 004：隐藏层用 tanh，输出层不加激活；每一层都要加上自己的偏置。",
            "检查形状：X (N, D) 乘 W1 (D, H) 得 (N, H)，偏置 (H,) 对每一行广播；"
            "隐藏层的输出再乘 W2 (H, K)，结果应是 (N, K)。",
        ],
    ),
    Choice(
        "ch01-bias-slider",
        name="answer",
        options=("A", "B", "C", "D"),
        digest="sha256:69755ca849a09617697a9e4a165199ecce682df77a670a1cc6db31b3bf3ff1a4",
        hints=[
            "把决策边界写成方程 w·x + b = 0，代入 w = (1, 1)。",
            "b 变化时，边界的法向量 w 变不变？边界上的点满足 x1 + x2 = ?，b 变大时边界往哪边走？",
            "到原点的距离是 |b| / ‖w‖：算出 ‖(1, 1)‖，再代入 b = 2。",
        ],
    ),
)
