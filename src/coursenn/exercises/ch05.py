"""Chapter 5 exercises: cases, expected values, known mistakes and hints (see chapter 5).

* ``ch05-gate-grads``: the four input gradients of ``f = (a + b) max(c, d)`` by hand;
* ``ch05-dense-backward``: ``dense_backward(x, W, dout) -> (dx, dW, db)`` in numpy, without
  calling ``Dense``;
* ``ch05-delta-step``: one step of the δ recursion, ``delta_back(delta_next, W_next, z, f_prime)``;
* ``ch05-lr-slider``: what the learning-rate slider shows (a choice);
* ``ch05-update-sign``: fix lecture 003's update of a sigmoid output layer (``update_output``).

The exercises of the chapter's second part, gradient checking, are in :mod:`.ch05b`.

Expected values are computed with :mod:`coursenn.nn.engine` and :mod:`coursenn.nn.layers`, never
typed in.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..nn import activations
from ..nn.engine import Value as Scalar
from ..nn.layers import Dense, ReLU, Sequential, Sigmoid, Tanh
from ._kinds import Case, Choice, Function, Mistake, Value
from ._probe import Call, Ref
from ._registry import register
from ._requirements import Code, Requirement

# --- ch05-gate-grads ------------------------------------------------------------------------------

_GATE_INPUTS = {"a": 1.0, "b": 2.0, "c": 4.0, "d": -1.0}


def _gate_grads() -> list[float]:
    """[df/da, df/db, df/dc, df/dd] of f = (a + b) max(c, d), by the engine."""
    v = {name: Scalar(x, name) for name, x in _GATE_INPUTS.items()}
    f = (v["a"] + v["b"]) * v["c"].max(v["d"])
    f.backward()
    return [v[name].grad for name in "abcd"]


def _gate_mistake(kind: str) -> Callable[[], list[float]]:
    """What a known wrong gate rule gives on the task's numbers (lazily)."""

    def wrong() -> list[float]:
        a, b, c, d = _GATE_INPUTS.values()
        q, m = a + b, max(c, d)
        c_wins = c >= d
        if kind == "max-both":  # the max gate distributes like an add gate
            return [m, m, q, q]
        if kind == "max-loser":  # the max gate routes to the smaller input
            return [m, m, 0.0 if c_wins else q, q if c_wins else 0.0]
        if kind == "mul-no-swap":  # each input of the mul gate gets its own value
            return [q, q, m if c_wins else 0.0, 0.0 if c_wins else m]
        if kind == "add-halves":  # the add gate splits the gradient in two
            return [m / 2, m / 2, q if c_wins else 0.0, 0.0 if c_wins else q]
        raise ValueError(kind)

    return wrong


# --- ch05-dense-backward --------------------------------------------------------------------------


def _dense_reference(x, W, dout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(dx, dW, db)`` from :class:`coursenn.nn.layers.Dense` itself."""
    layer = Dense(W.shape[0], W.shape[1], init="zeros")
    layer.W.data = np.array(W, dtype=float)
    layer.forward(x)
    dx = layer.backward(dout)
    return dx, layer.W.grad, layer.b.grad


def _dense_build(rng: np.random.Generator, rows) -> list[Case]:
    """One case per ``(N, D_in, D_out, what)`` row: x, W and dout drawn with ``rng``."""
    cases = []
    for n, d_in, d_out, what in rows:
        x, W, dout = (
            rng.normal(size=(n, d_in)),
            rng.normal(size=(d_in, d_out)),
            rng.normal(size=(n, d_out)),
        )
        cases.append(Case((x, W, dout), _dense_reference(x, W, dout), what=what))
    return cases


def _dense_cases() -> list[Case]:
    """A square layer first (transposes keep their shape there), then N = 4 and N = 1."""
    rows = [
        (5, 3, 3, "N = 5、D_in = D_out = 3 的随机例子"),
        (4, 3, 2, "N = 4、D_in = 3、D_out = 2 的随机例子"),
        (1, 2, 4, "N = 1、D_in = 2、D_out = 4 的随机例子"),
    ]
    return _dense_build(np.random.default_rng(51), rows)


def _sizes(rng: np.random.Generator, low: int, high: int, distinct: bool = True) -> tuple:
    """Two random sizes in [low, high], different from each other when ``distinct``."""
    a = int(rng.integers(low, high + 1))
    if not distinct:
        return a, a
    b = int(rng.integers(low, high))
    return a, b + (b >= a)


def _dense_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: a square layer with a random batch, a non-square one, and N = 1."""
    n1, n2 = (int(rng.integers(2, 7)) for _ in range(2))
    d, _ = _sizes(rng, 2, 5, distinct=False)
    d_in, d_out = _sizes(rng, 1, 5)
    e_in, e_out = _sizes(rng, 1, 5)
    rows = [
        (n1, d, d, f"N = {n1}、D_in = D_out = {d} 的随机例子"),
        (n2, d_in, d_out, f"N = {n2}、D_in = {d_in}、D_out = {d_out} 的随机例子"),
        (1, e_in, e_out, f"N = 1、D_in = {e_in}、D_out = {e_out} 的随机例子"),
    ]
    return _dense_build(rng, rows)


def _dense_dw_transposed(x, W, dout):
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)


def _dense_db_not_summed(x, W, dout):
    return dout @ W.T, x.T @ dout, dout


def _dense_db_mean(x, W, dout):
    return dout @ W.T, x.T @ dout, dout.mean(axis=0)


def _dense_dx_not_transposed(x, W, dout):
    return dout @ W, x.T @ dout, dout.sum(axis=0)


def _dense_dw_mean(x, W, dout):
    return dout @ W.T, x.T @ dout / len(x), dout.sum(axis=0)


def _dense_watch(rng=None) -> list[Call]:
    """The first case, with ``Dense.forward`` and ``Dense.backward`` counted."""
    watch = (("coursenn.nn.layers", "Dense.forward"), ("coursenn.nn.layers", "Dense.backward"))
    return [Call(_dense_cases()[0].args, watch=watch)]


def _no_dense(code: Code, outcomes, calls) -> str | None:
    """A requirement: the code names no ``Dense``, and one call runs none of its methods."""
    if code.uses("coursenn.nn.layers.Dense") or "Dense" in code.names:
        return "用到了 Dense：任务要求只用 numpy，自己写出三个梯度公式"
    called = [name for outcome in outcomes for name, _ in outcome.calls]
    if called:
        method = called[0].rsplit(".", 1)[1]
        return f"调用了 Dense.{method}：任务要求只用 numpy，自己写出三个梯度公式"
    return None


# --- ch05-delta-step ------------------------------------------------------------------------------

_ACTIVATION_LAYERS = {
    "tanh": (Tanh, activations.tanh_grad),
    "sigmoid": (Sigmoid, activations.sigmoid_grad),
    "relu": (ReLU, activations.relu_grad),
}


def _delta_reference(delta_next, W_next, z, activation: str) -> np.ndarray:
    """δ^(l) from ``Sequential(activation, Dense)``: the layer pair between z^(l) and z^(l+1)."""
    layer_cls, _ = _ACTIVATION_LAYERS[activation]
    dense = Dense(W_next.shape[1], W_next.shape[0], init="zeros")
    dense.W.data = np.array(W_next, dtype=float).T  # Dense.W is the lecture's W transposed
    pair = Sequential(layer_cls(), dense)
    pair.forward(z[None, :])
    return pair.backward(delta_next[None, :])[0]


def _delta_build(rng: np.random.Generator, rows) -> list[Case]:
    """One case per ``(activation, M_next, M, what)`` row, δ_next, W_next and z drawn with
    ``rng``; ``f_prime`` is the activation's derivative from :mod:`coursenn.nn.activations`."""
    cases = []
    for activation, m_next, m, what in rows:
        delta_next, W_next, z = (
            rng.normal(size=m_next),
            rng.normal(size=(m_next, m)),
            rng.normal(size=m),
        )
        f_prime = Ref(f"coursenn.nn.activations.{_ACTIVATION_LAYERS[activation][1].__name__}")
        expected = _delta_reference(delta_next, W_next, z, activation)
        cases.append(Case((delta_next, W_next, z, f_prime), expected, what=what))
    return cases


_ACTIVATION_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid"}


def _delta_cases() -> list[Case]:
    """A square W first (a missing transpose keeps its shape there), then two others."""
    rows = [
        ("relu", 3, 3, "ReLU、W_next 为 3×3 的随机例子"),
        ("tanh", 3, 4, "tanh、W_next 为 3×4 的随机例子"),
        ("sigmoid", 2, 5, "sigmoid、W_next 为 2×5 的随机例子"),
    ]
    return _delta_build(np.random.default_rng(52), rows)


def _delta_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: the three activations in a random order, the first with a random square
    W_next, the others with random non-square ones."""
    shapes = [_sizes(rng, 2, 5, distinct=False), _sizes(rng, 1, 6), _sizes(rng, 1, 6)]
    rows = []
    for activation, (m_next, m) in zip(
        rng.permutation(list(_ACTIVATION_NAMES)), shapes, strict=True
    ):
        name = _ACTIVATION_NAMES[str(activation)]
        rows.append((str(activation), m_next, m, f"{name}、W_next 为 {m_next}×{m} 的随机例子"))
    return _delta_build(rng, rows)


def _delta_no_fprime(delta_next, W_next, z, f_prime):
    return W_next.T @ delta_next


def _delta_not_transposed(delta_next, W_next, z, f_prime):
    return f_prime(z) * (W_next @ delta_next)


def _delta_fprime_elsewhere(delta_next, W_next, z, f_prime):
    back = W_next.T @ delta_next
    return f_prime(back) * back


def _delta_fprime_of_delta(delta_next, W_next, z, f_prime):
    return W_next.T @ (f_prime(delta_next) * delta_next)


# --- ch05-update-sign -----------------------------------------------------------------------------


def _update_reference(W, h_prev, y, lr) -> np.ndarray:
    """One gradient-descent step on J = 1/2 sum (y - y_hat)^2, by ``Dense`` + ``Sigmoid``.

    ``W`` is lecture 003's matrix, shape (1 + m, q), row 0 the biases; ``h_prev[0] = 1``.
    """
    dense = Dense(W.shape[0] - 1, W.shape[1], init="zeros")
    dense.W.data, dense.b.data = np.array(W[1:], dtype=float), np.array(W[0], dtype=float)
    net = Sequential(dense, Sigmoid())
    y_hat = net.forward(h_prev[None, 1:])
    net.backward(y_hat - y[None, :])  # dJ/dy_hat
    return W - lr * np.vstack([dense.b.grad[None, :], dense.W.grad])


def _update_build(rng: np.random.Generator, rows) -> list[Case]:
    """One case per ``(m, q, lr, what)`` row: W, h_prev (with h_prev[0] = 1) and y drawn
    with ``rng``."""
    cases = []
    for m, q, lr, what in rows:
        W = rng.normal(size=(1 + m, q))
        h_prev = np.concatenate([[1.0], rng.uniform(size=m)])
        y = rng.uniform(size=q)
        cases.append(Case((W, h_prev, y, lr), _update_reference(W, h_prev, y, lr), what=what))
    return cases


def _update_cases() -> list[Case]:
    rows = [
        (2, 3, 0.5, "m = 2 个隐藏单元、q = 3 个输出、α = 0.5 的随机例子"),
        (4, 3, 0.5, "m = 4、q = 3、α = 0.5 的随机例子"),
        (2, 1, 0.1, "m = 2、q = 1、α = 0.1 的随机例子"),
        (3, 2, 1.0, "m = 3、q = 2、α = 1 的随机例子"),
    ]
    return _update_build(np.random.default_rng(53), rows)


def _update_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: three layers of random m, q (one with q = 1) and learning rate α."""
    rows = []
    for q_high in (4, 4, 1):
        m, q = int(rng.integers(1, 7)), int(rng.integers(1, q_high + 1))
        lr = float(rng.choice([0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 2.0]))
        rows.append((m, q, lr, f"m = {m}、q = {q}、α = {lr:g} 的随机例子"))
    return _update_build(rng, rows)


def _update_parts(W, h_prev, y):
    y_hat = 1.0 / (1.0 + np.exp(-(h_prev @ W)))
    e = y - y_hat
    return y_hat, e, e * y_hat * (1.0 - y_hat)


def _update_as_printed(W, h_prev, y, lr):  # the task's code: w <- w - alpha delta h
    _, _, delta = _update_parts(W, h_prev, y)
    return W - lr * np.outer(h_prev, delta)


def _update_no_sigmoid_grad(W, h_prev, y, lr):
    _, e, _ = _update_parts(W, h_prev, y)
    return W + lr * np.outer(h_prev, e)


def _update_returns_step(W, h_prev, y, lr):
    _, _, delta = _update_parts(W, h_prev, y)
    return lr * np.outer(h_prev, delta)


def _update_outer_swapped(W, h_prev, y, lr):
    _, _, delta = _update_parts(W, h_prev, y)
    return W + lr * np.outer(delta, h_prev)


register(
    Value(
        "ch05-gate-grads",
        name="grads",
        expected=_gate_grads,
        mistakes=[
            Mistake(_gate_mistake("max-both"), "max 门把梯度同时给了两个输入"),
            Mistake(_gate_mistake("max-loser"), "max 门把梯度给了前向时较小的那个输入"),
            Mistake(_gate_mistake("mul-no-swap"), "乘法门让每个输入拿到了它自己的值，没有交换"),
            Mistake(_gate_mistake("add-halves"), "加法门把上游梯度平分给了两个输入"),
        ],
        hints=[
            "先做前向：q = a + b、m = max(c, d)、f = q·m，再从 df/df = 1 往回走。",
            "乘法门 f = q·m：df/dq 等于 m 的值，df/dm 等于 q 的值；然后分别穿过加法门和 max 门。",
            "加法门把上游梯度原样交给每个输入；max 门只交给前向时较大的输入，另一个得 0。",
        ],
    ),
    Function(
        "ch05-dense-backward",
        name="dense_backward",
        parts=("dx", "dW", "db"),
        cases=_dense_cases,
        fresh=_dense_fresh,
        mistakes=[
            Mistake(_dense_dw_transposed, "dW 是转置的：它应与 W 同形 (D_in, D_out)"),
            Mistake(_dense_db_not_summed, "db 没有对批次求和：你返回的是每个样本一行"),
            Mistake(_dense_db_mean, "db 对批次取了平均：偏置加在每一行上，梯度要把各行加起来"),
            Mistake(_dense_dx_not_transposed, "dx 用了 W 而不是 W 的转置"),
            Mistake(_dense_dw_mean, "dW 除以了 N：平均（如果有）已经包含在 dout 里了"),
        ],
        requires=[Requirement(_no_dense, _dense_watch)],
        hints=[
            "按维度匹配：dx 与 x 同形 (N, D_in)，dW 与 W 同形 (D_in, D_out)，"
            "db 与 b 同形 (D_out,)。",
            "每个梯度都由 dout 和前向时用到的另一个量相乘得到；"
            "看哪一种乘法（哪个转置）给出所需的形状。",
            "b 被加到了 N 行中的每一行上，就像一个加法门把梯度交给每个输入：把这些梯度收集起来。",
        ],
    ),
    Function(
        "ch05-delta-step",
        name="delta_back",
        cases=_delta_cases,
        fresh=_delta_fresh,
        mistakes=[
            Mistake(_delta_no_fprime, "只做了 (W_next)ᵀ δ_next，漏掉了激活函数的导数 f′"),
            Mistake(_delta_not_transposed, "W_next 没有转置"),
            Mistake(_delta_fprime_elsewhere, "f′ 求值的位置不对：它应在本层的净输入处求值"),
            Mistake(_delta_fprime_of_delta, "把 f′ 用在了 δ_next 上，而不是本层的净输入上"),
        ],
        hints=[
            "δ^(l) = ∂L/∂z^(l)。从 z^(l) 到 z^(l+1) 要经过两步："
            "激活函数 a = f(z)，以及 z^(l+1) = W a + b。",
            "第二步在分母布局里贡献 (W^(l+1))ᵀ，第一步贡献 diag(f′(z^(l)))；"
            "结果的形状应是 (M_l,)。",
            "对角矩阵乘向量就是逐元素相乘；f_prime 是一个函数，要在哪个向量上调用它？",
        ],
    ),
    Choice(
        "ch05-lr-slider",
        name="lr_answer",
        digest="sha256:556cf396eab4d74b72fd00c34bbaef7e597da79b37036eed51518edbfb931fd3",
        hints=[
            "每一步梯度下降把 w1 乘以 1 − α、把 w2 乘以 1 − 10α；对每个 α 算一算这两个因子。",
            "因子为负意味着越过谷底，绝对值大于 1 意味着越走越远；"
            "拖到 α = 0.12、0.2、0.22 各看一帧。",
        ],
    ),
    Function(
        "ch05-update-sign",
        name="update_output",
        cases=_update_cases,
        fresh=_update_fresh,
        mistakes=[
            Mistake(_update_as_printed, "这仍是原来的更新：它让 J 变大"),
            Mistake(_update_no_sigmoid_grad, "δ 里漏掉了 sigmoid 的导数 ŷ(1 − ŷ)"),
            Mistake(_update_returns_step, "返回的是更新量，而不是更新后的权重"),
            Mistake(_update_outer_swapped, "外积的顺序反了：结果应与 W 同形 (1 + m, q)"),
        ],
        hints=[
            "写出 J 对 w 的偏导数，注意 e = y − ŷ 里 ŷ 前面的负号。",
            "003 推出 ∂J/∂w_ij = −δ_i h_j；梯度下降沿 −∂J/∂w 走。把这与代码最后一行比较。",
        ],
    ),
)
