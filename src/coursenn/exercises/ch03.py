"""Chapter 3 exercises: cases, expected values, known mistakes and hints (see chapter 3).

* ``ch03-bump``: a bump sigma(s(x - left)) - sigma(s(x - right)) from two steep sigmoids,
  without an overflow warning (``bump``);
* ``ch03-hat-bug``: the fixed hat function, still built from three ReLUs (``hat_fixed``);
* ``ch03-tent-pieces``: the linear pieces of the tent map composed 6 times (``n_pieces``);
* ``ch03-tent-params``: the learnable parameters of the chapter's ``tent_network(6)``
  (``n_params_deep``);
* ``ch03-scrubber-n``: what the slider over the number of bumps N shows (a choice).

Expected values are computed with the package (a 2-unit ``Dense``/``Sigmoid`` network for
the bump, ``np.interp`` for the hat, the tent map on a dyadic grid, ``count_parameters``),
never typed in.
"""

from __future__ import annotations

import numpy as np

from ..nn import activations
from ..nn.layers import Dense, ReLU, Sequential, Sigmoid, count_parameters
from ._kinds import Case, Choice, Function, Mistake, Value
from ._probe import Call
from ._registry import register
from ._requirements import Code, Requirement

# --- ch03-bump -------------------------------------------------------------------------------

_X_BUMP = np.linspace(-0.5, 1.5, 9)
_STEEP = (0.3, 0.4, 2000.0)  # s |x - left| reaches 2400: a naive np.exp overflows


def _bump_network(x, left, right, steepness):
    """The bump as the 2-unit network (4.33): Dense(1, 2) -> Sigmoid -> Dense(2, 1)."""
    net = Sequential(Dense(1, 2), Sigmoid(), Dense(2, 1))
    hidden, out = net.layers[0], net.layers[2]
    hidden.W.data[:] = steepness  # w_i = s
    hidden.b.data[:] = [-steepness * left, -steepness * right]  # b_i = -s t_i
    out.W.data[:, 0] = [1.0, -1.0]  # rising step at left minus rising step at right
    out.b.data[:] = 0.0
    x = np.asarray(x, dtype=float)
    return net.forward(x.reshape(-1, 1))[:, 0].reshape(x.shape)


def _bump_case(x, left, right, s, where: str) -> Case:
    what = f"left = {left}、right = {right}、steepness = {s:g} 的凸起（{where}）"
    return Case((x, left, right, s), _bump_network(x, left, right, s), what)


def _bump_cases() -> list[Case]:
    """Three bumps on 9 points of [-0.5, 1.5]: a gentle, a wide and a very steep one."""
    return [
        _bump_case(_X_BUMP, left, right, s, "x 取 [−0.5, 1.5] 上 9 个点")
        for left, right, s in [(0.2, 0.6, 50.0), (0.0, 1.0, 5.0), _STEEP]
    ]


def _bump_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: a gentle, a moderate and a very steep bump (s |x − t| reaches 1000: a
    naive np.exp overflows) at random positions, on random points of [−1, 2] with both ends."""
    cases = []
    for low, high in [(2, 10), (20, 100), (1000, 5000)]:
        left = round(float(rng.uniform(0.0, 0.5)), 2)
        right = round(left + float(rng.uniform(0.2, 0.5)), 2)
        s = float(rng.integers(low, high + 1))
        n = int(rng.integers(5, 14))
        x = np.sort(np.concatenate([[-1.0, 2.0], rng.uniform(-1.0, 2.0, size=n - 2)]))
        cases.append(_bump_case(x, left, right, s, f"x 取 [−1, 2] 上 {n} 个随机点"))
    return cases


def _naive_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _bump_naive_exp(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return _naive_sigmoid(steepness * (x - left)) - _naive_sigmoid(steepness * (x - right))


def _bump_naive_exp_ratio(x, left, right, steepness):
    x = np.asarray(x, dtype=float)

    def sig(z):
        return np.exp(z) / (1.0 + np.exp(z))

    return sig(steepness * (x - left)) - sig(steepness * (x - right))


def _bump_swapped(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return activations.sigmoid(steepness * (x - right)) - activations.sigmoid(
        steepness * (x - left)
    )


def _bump_one_step(x, left, right, steepness):
    return activations.sigmoid(steepness * (np.asarray(x, dtype=float) - left))


def _bump_added(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return activations.sigmoid(steepness * (x - left)) + activations.sigmoid(
        steepness * (x - right)
    )


def _bump_bias_unscaled(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return activations.sigmoid(steepness * x - left) - activations.sigmoid(steepness * x - right)


def _bump_no_steepness(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return activations.sigmoid(x - left) - activations.sigmoid(x - right)


# --- ch03-hat-bug ----------------------------------------------------------------------------

_X_HAT = np.linspace(-1.0, 2.0, 31)


def _triangle(x, center, width):
    """The hat as a triangle through (c - w, 0), (c, 1), (c + w, 0), zero outside."""
    return np.interp(x, [center - width, center, center + width], [0.0, 1.0, 0.0])


def _hat_case(x, c, w, where: str) -> Case:
    return Case((x, c, w), _triangle(x, c, w), f"center = {c}、width = {w} 的帽子（{where}）")


def _hat_cases() -> list[Case]:
    """Three hats (one with width 1, where a missing ``/ width`` would not show) on [-1, 2]."""
    return [
        _hat_case(_X_HAT, c, w, "x 取 [−1, 2] 上 31 个点")
        for c, w in [(0.5, 0.25), (0.0, 1.0), (1.2, 0.4)]
    ]


def _hat_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: three hats of random center and width (never 1), each on random points
    around it, the three corners included."""
    cases = []
    for _ in range(3):
        c = round(float(rng.uniform(-1.0, 1.0)), 2)
        w = round(float(rng.uniform(0.2, 0.8) if rng.random() < 0.5 else rng.uniform(1.3, 2.5)), 2)
        n = int(rng.integers(12, 30))
        x = np.sort(
            np.concatenate([[c - w, c, c + w], rng.uniform(c - 2 * w, c + 2 * w, size=n - 3)])
        )
        cases.append(_hat_case(x, c, w, f"x 取它周围 {n} 个随机点"))
    return cases


def _relu_calls(rng=None) -> list[Call]:
    """One call of the hat with ``relu`` counted (``activations.relu``, the same function
    under any global name, and the student's own global ``relu``)."""
    watch = (("coursenn.nn.activations", "relu"),)
    return [Call((_X_HAT, 0.5, 0.25), watch=watch, names=("relu",))]


def _built_from_relus(code: Code, outcomes, calls) -> str | None:
    """The task's constraint: the hat is still made of (at least) three ReLUs, no np.interp
    (``interp`` is looked for in the code; ``relu`` is counted during one call)."""
    x = _X_HAT
    if "interp" in code.names:
        return "用了 np.interp：值虽然对，但任务要求用 ReLU（relu）搭出帽子"
    (outcome,) = outcomes
    calls = outcome.calls
    if len(calls) >= 3 or sum(size for _, size in calls) >= 3 * x.size:
        return None
    if not calls:
        return "没有调用 relu：任务要求仍用三个 ReLU 搭出帽子（不用 np.interp、np.maximum 等）"
    return f"只调用了 {len(calls)} 次 relu：帽子要由三个 ReLU 搭成"


def _relu(z):
    return activations.relu(z)


def _hat_buggy(x, center, width):  # the task's code, unchanged
    return (_relu(x - (center - width)) - _relu(x - center) + _relu(x - (center + width))) / width


def _hat_last_negative(x, center, width):  # the last sign flipped instead of the middle fixed
    return (_relu(x - (center - width)) - _relu(x - center) - _relu(x - (center + width))) / width


def _hat_both_changed(x, center, width):
    return (
        _relu(x - (center - width)) - 2 * _relu(x - center) - _relu(x - (center + width))
    ) / width


def _hat_no_width(x, center, width):
    return _relu(x - (center - width)) - 2 * _relu(x - center) + _relu(x - (center + width))


def _hat_last_term_only_divided(x, center, width):  # parentheses lost
    return _relu(x - (center - width)) - 2 * _relu(x - center) + _relu(x - (center + width)) / width


def _hat_middle_three(x, center, width):
    return (
        _relu(x - (center - width)) - 3 * _relu(x - center) + _relu(x - (center + width))
    ) / width


# --- ch03-tent-pieces and ch03-tent-params ---------------------------------------------------

_K = 6  # the tent map composed 6 times, as tent_network(6) in the chapter


def _tent_power(x, k):
    """t^(k)(x) with t(x) = 2 min(x, 1 - x)."""
    for _ in range(k):
        x = 2.0 * np.minimum(x, 1.0 - x)
    return x


def _tent_pieces(k: int = _K) -> int:
    """Linear pieces of t^(k) on [0, 1]: 1 + slope changes on a grid holding every kink."""
    x = np.linspace(0.0, 1.0, 8 * 2**k + 1)  # every kink i / 2^k is a grid point
    slopes = np.diff(_tent_power(x, k)) / np.diff(x)
    return 1 + int(np.count_nonzero(np.abs(np.diff(slopes)) > 1e-6))


def _tent_net_parameters(k: int = _K, middle: int | None = None) -> int:
    """``count_parameters`` of Dense(1, 2), ``middle`` Dense(2, 2) (k - 1) and Dense(2, 1)."""
    middle = k - 1 if middle is None else middle
    layers = [Dense(1, 2, init="zeros"), ReLU()]
    for _ in range(middle):
        layers += [Dense(2, 2, init="zeros"), ReLU()]
    layers.append(Dense(2, 1, init="zeros"))
    return count_parameters(Sequential(*layers))


def _tent_weights_only(k: int = _K) -> int:
    return 1 * 2 + (k - 1) * 2 * 2 + 2 * 1


register(
    Function(
        "ch03-bump",
        name="bump",
        cases=_bump_cases,
        fresh=_bump_fresh,
        mistakes=[
            Mistake(_bump_swapped, "符号反了：你的凸起朝下（在 left 处下降、在 right 处回升）"),
            Mistake(_bump_one_step, "只有一个台阶：在 left 处升起之后没有在 right 处降回 0"),
            Mistake(_bump_added, "两个台阶相加了：凸起是两个台阶之差"),
            Mistake(
                _bump_bias_unscaled,
                "台阶不在 left、right 处：检查括号，陡度要乘以 x 到台阶位置的距离",
            ),
            Mistake(_bump_no_steepness, "没有用到 steepness：台阶的陡度不随它变化"),
            Mistake(_bump_naive_exp, "自己用 np.exp 写的 sigmoid 在 |z| 很大时溢出"),
            Mistake(
                _bump_naive_exp_ratio,
                "自己用 np.exp 写的 sigmoid 在 z 很大时溢出（inf / inf 得 NaN）",
            ),
        ],
        no_warnings=True,  # overflow in a hand-written sigmoid at s = 2000; underflow is fine
        hints=[
            "凸起 = 一个在 left 处升起的台阶，减去一个在 right 处升起的台阶。",
            "σ(s(x − t)) 是在 x = t 处从 0 升到 1 的台阶，s 越大越陡：检查两项的先后与正负，"
            "以及 s 乘的是哪一部分。",
            "每个台阶都用 activations.sigmoid 计算（|z| 很大时它不溢出，np.exp 会）；"
            "x 可以是数组，整个式子逐元素计算，不要用 if。",
        ],
    ),
    Function(
        "ch03-hat-bug",
        name="hat_fixed",
        cases=_hat_cases,
        fresh=_hat_fresh,
        mistakes=[
            Mistake(_hat_buggy, "这与 hat_buggy 完全相同：还没有改动"),
            Mistake(
                _hat_last_negative,
                "你的函数过了顶点后保持水平，到 center + width 之后才下降：逐段算一算斜率",
            ),
            Mistake(
                _hat_both_changed,
                "顶点之后降得对，但过了 center + width 还在继续下降（变成负数）",
            ),
            Mistake(_hat_no_width, "形状对了，但顶点的高度等于 width，而不是 1"),
            Mistake(
                _hat_last_term_only_divided,
                "只有最后一项除以了 width：检查括号",
            ),
            Mistake(_hat_middle_three, "顶点之后下降得太陡，过了 center + width 也回不到 0"),
        ],
        requires=[Requirement(_built_from_relus, _relu_calls)],
        hints=[
            "逐段写出 hat_buggy 的斜率：x 依次越过 center − width、center、center + width 时，"
            "斜率各变了多少？",
            "帽子在顶点之后的斜率应是 −1/width，过了 center + width 应回到 0："
            "哪一项的系数决定了顶点之后的斜率？它要取多少，才能同时满足这两条？",
            "只改一个系数，仍用三个 relu（不要用 np.interp 或 np.maximum）；改好后算一算 "
            "hat_fixed 在 center − width、center、center + width 处的值，应为 0、1、0。",
        ],
    ),
    Value(
        "ch03-tent-pieces",
        name="n_pieces",
        expected=_tent_pieces,
        rtol=0.0,
        atol=0.5,
        mistakes=[
            Mistake(2 ** (_K - 1), "这是齿（峰）的个数；题目数的是线性段，一个齿里不止一段"),
            Mistake(2 * _K, "这是深网络里 ReLU 的个数，不是线性段的个数"),
            Mistake(lambda: _tent_pieces() - 1, "这是拐点的个数，不是段数：段比拐点多"),
            Mistake(2 ** (_K + 1), "多算了一次复合：t^(6) 只复合了 6 次"),
            Mistake(_K + 1, "这相当于每复合一次只多出一段：画出 t∘t 数一数"),
        ],
        hints=[
            "先画出（或想象）t 与 t∘t 的图像，数一数各有几段线性。",
            "t 在 [0, 1] 上先升后降，值域也是 [0, 1]。t^(k) 的每一段线性都从 0 走到 1"
            "（或从 1 走到 0）：再复合一次 t，这样的一段会变成什么样？",
            "区分“齿”与“段”：一个齿（一个峰）由一段上升和一段下降组成，题目数的是段；"
            "可以从 k = 1、2、3 的结果找规律，再推到 k = 6。",
        ],
    ),
    Value(
        "ch03-tent-params",
        name="n_params_deep",
        expected=_tent_net_parameters,
        rtol=0.0,
        atol=0.5,
        mistakes=[
            Mistake(_tent_weights_only, "这只数了权重：每个单元还有一个偏置"),
            Mistake(
                lambda: _tent_net_parameters(middle=_K),
                "Dense(2, 2) 多数了一个：第一个隐藏层由 Dense(1, 2) 产生",
            ),
            Mistake(
                lambda: _tent_net_parameters(middle=_K - 2),
                "Dense(2, 2) 少数了一个：6 个隐藏层里除了第一个，每个都由一个 Dense(2, 2) 产生",
            ),
            Mistake(lambda: _tent_net_parameters() - 1, "漏了输出层 Dense(2, 1) 的偏置"),
            Mistake(3 * 2**_K + 1, "这是精确表示 t^(6) 的单隐藏层网络的参数量，不是深网络的"),
        ],
        hints=[
            "可学习参数 = 每个 Dense 层的权重 + 偏置；ReLU 层没有参数。",
            "列出 tent_network(6) 的所有 Dense 层：第一层 Dense(1, 2)、最后一层 Dense(2, 1)，"
            "中间有几个 Dense(2, 2)？（每个隐藏层都由它前面的一个 Dense 产生）",
            "Dense(a, b) 有 a·b 个权重和 b 个偏置：逐层算出再相加，别漏了输出层的偏置。",
        ],
    ),
    Choice(
        "ch03-scrubber-n",
        name="answer",
        options=("A", "B", "C", "D"),
        digest="sha256:1530bed2cc65aa6bd64a318e82b6146e409729fcadcd7d0f406a4ae4e710cfdf",
        hints=[
            "对比 N = 8、16、32、64 这几帧标题里的最大误差：N 翻倍时误差怎样变？",
            "逐个检验每个选项里的具体说法，例如：N = 8 那一帧的最大误差是多少？N = 1、2 这两帧呢？",
            "再看正文误差表中 s = 10 那一列：台阶不够陡时，增加 N 还能让误差趋于 0 吗？",
        ],
    ),
)
