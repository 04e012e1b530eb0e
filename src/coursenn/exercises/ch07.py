"""Chapter 7 exercises: cases, expected values, known mistakes and hints (see chapter 7)."""

from __future__ import annotations

import numpy as np

from ..nn import activations
from ..nn.init import he_normal
from ._kinds import Case, Choice, Function, Mistake, Value
from ._probe import Call
from ._registry import register
from ._requirements import Requirement


def _dead_reference(Z) -> float:
    """The fraction of units (columns) whose ReLU output is 0 on every sample (row)."""
    return float(np.mean(np.all(activations.relu(np.asarray(Z, dtype=float)) == 0, axis=0)))


def _dead_case(Z, what: str) -> Case:
    return Case((Z,), _dead_reference(Z), what)


def _dead_cases() -> list[Case]:
    rng = np.random.default_rng(71)
    Z = rng.normal(size=(20, 8))
    Z[:, [1, 4]] = -np.abs(Z[:, [1, 4]])  # two units negative on every input
    Z[:, 6] = np.minimum(Z[:, 6], 0.0)  # one unit at most 0: ReLU outputs 0 for all
    Z[0, 6] = 0.0
    Z[3, 2] = -5.0  # a live unit with some negative inputs
    Z_mixed = np.array([[-1.0, 2.0, 0.0], [-3.0, -1.0, 0.0], [-0.5, 0.5, 0.0]])
    return [
        _dead_case(Z, "20 个样本、8 个单元的随机例子"),
        _dead_case(Z_mixed, "Z = [[-1, 2, 0], [-3, -1, 0], [-0.5, 0.5, 0]]"),
    ]


def _dead_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: two random Z (N ≠ M) with a random set of dead units, one of them dead
    with a z = 0 somewhere, a live unit positive on every sample, and live units with some
    negative inputs; then one sample (N = 1)."""
    cases = []
    for _ in range(2):
        n, m = int(rng.integers(5, 31)), int(rng.integers(4, 11))
        n += n == m
        Z = rng.normal(size=(n, m))
        units = rng.permutation(m)
        dead, positive = units[: int(rng.integers(1, m - 2))], units[-1]
        Z[:, dead] = -np.abs(Z[:, dead])
        Z[rng.integers(n), dead[0]] = 0.0
        Z[:, positive] = np.abs(Z[:, positive])
        cases.append(_dead_case(Z, f"{n} 个样本、{m} 个单元的随机例子"))
    m = int(rng.integers(3, 9))
    one = np.round(rng.normal(size=(1, m)), 1)
    one[0, rng.permutation(m)[:2]] = [-1.0, 1.0]  # one unit dead, one alive
    cases.append(_dead_case(one, f"只有 1 个样本、{m} 个单元的例子"))
    return cases


def _wrong_dead_elementwise(Z):
    return float(np.mean(np.asarray(Z) <= 0))


def _wrong_dead_strict(Z):
    return float(np.mean(np.all(np.asarray(Z) < 0, axis=0)))


def _wrong_dead_any(Z):
    return float(np.mean(np.any(np.asarray(Z) <= 0, axis=0)))


def _wrong_dead_axis(Z):
    return float(np.mean(np.all(np.asarray(Z) <= 0, axis=1)))


def _he_case(fan_in: int, fan_out: int, seed: int) -> Case:
    return Case(
        (fan_in, fan_out, seed),
        he_normal((fan_in, fan_out), rng=np.random.default_rng(seed)),
        f"fan_in = {fan_in}, fan_out = {fan_out}, 种子 {seed}",
    )


def _he_cases() -> list[Case]:
    return [_he_case(50, 20, 0), _he_case(8, 300, 5)]


def _he_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: three random (fan_in, fan_out) pairs, fan_in ≥ 3 and ≠ fan_out (where a
    wrong n or a missing square root would not show), and random seeds."""
    cases = []
    for _ in range(3):
        fan_in, fan_out = int(rng.integers(3, 121)), int(rng.integers(2, 120))
        fan_out += fan_out >= fan_in
        cases.append(_he_case(fan_in, fan_out, int(rng.integers(10_000))))
    return cases


def _wrong_he_fan_out(fan_in, fan_out, seed):
    return np.random.default_rng(seed).normal(size=(fan_in, fan_out)) * np.sqrt(2.0 / fan_out)


def _wrong_he_variance(fan_in, fan_out, seed):
    return np.random.default_rng(seed).normal(size=(fan_in, fan_out)) * (2.0 / fan_in)


def _wrong_he_lecun(fan_in, fan_out, seed):
    return np.random.default_rng(seed).normal(size=(fan_in, fan_out)) * np.sqrt(1.0 / fan_in)


def _twice(rng=None) -> list[Call]:
    """The same call twice: (6, 4, 123), or sizes and a seed drawn with ``rng``."""
    if rng is None:
        args = (6, 4, 123)
    else:
        args = (int(rng.integers(2, 30)), int(rng.integers(2, 30)), int(rng.integers(2**31)))
    return [Call(args), Call(args)]


def _reproducible(code, outcomes, calls) -> str | None:
    """The task asks for the result to depend only on ``seed`` (no global numpy state)."""
    first, second = outcomes
    if first.error or second.error:
        return None  # the cases already report a raising function
    if not np.array_equal(np.asarray(first.result), np.asarray(second.result)):
        return (
            "同一个 seed 调用两次得到了不同的权重：用了全局随机状态，而不是由 seed 生成的 Generator"
        )
    return None


register(
    Value(
        "ch07-var-s",
        name="std_s",
        expected=lambda: np.sqrt(256 * 0.01**2 * 1.0),
        rtol=0.0,
        atol=0.006,
        mistakes=[
            Mistake(256 * 0.01**2, "这是 Var(s)；题目问的是标准差"),
            Mistake(np.sqrt(256 * 0.01), "把 0.01 当成了方差；它是权重的标准差"),
            Mistake(0.01, "漏了 n：s 是 256 项之和"),
            Mistake(256 * 0.01, "把标准差直接乘了 n"),
        ],
        hints=[
            "先用 Var(s) = n Var(w) Var(x) 求方差；注意题目给的是权重的标准差。",
            "Var(w) = 0.01 的平方，n = 256，Var(x) = 1；最后别忘了开平方。",
        ],
    ),
    Function(
        "ch07-dead-fraction",
        name="dead_fraction",
        cases=_dead_cases,
        fresh=_dead_fresh,
        mistakes=[
            Mistake(
                _wrong_dead_elementwise, "数的是为 0 的元素所占比例，不是死亡单元（整列）所占比例"
            ),
            Mistake(_wrong_dead_strict, "用了 < 0：z = 0 时 ReLU 的输出和梯度也都是 0"),
            Mistake(_wrong_dead_any, "只要有一个样本 z ≤ 0 就算死了；死亡要求对每个样本都如此"),
            Mistake(_wrong_dead_axis, "按行（样本）统计了；单元是列"),
        ],
        hints=[
            "一个单元是 Z 的一列。它什么时候对每一个输入都输出 0、梯度也是 0？",
            "对每一列判断“所有样本都 z ≤ 0”，再求这些布尔值的平均。",
        ],
    ),
    Function(
        "ch07-he-init-bug",
        name="he_init",
        cases=_he_cases,
        fresh=_he_fresh,
        mistakes=[
            Mistake(
                _wrong_he_fan_out,
                "标准差里用了 fan_out；He 初始化用的是 fan_in（每个单元的输入数）",
            ),
            Mistake(_wrong_he_variance, "乘的是 2/n（方差），标准差是它的平方根"),
            Mistake(_wrong_he_lecun, "这是 1/√n 的标准差；ReLU 要 2/n 的方差"),
        ],
        requires=[Requirement(_reproducible, _twice)],
        hints=[
            "有两个错误：随机数从哪里来，以及标准差用的是哪个 n。",
            "用 np.random.default_rng(seed) 生成正态随机数；方差应为 2 / fan_in，乘上的是它的平方根。",
        ],
    ),
    Value(
        "ch07-he-std",
        name="std_w",
        expected=lambda: np.sqrt(2.0 / 50),
        rtol=0.0,
        atol=0.006,
        mistakes=[
            Mistake(2.0 / 50, "这是方差 2/n；标准差要开平方"),
            Mistake(np.sqrt(1.0 / 50), "这是 1/√n（LeCun）；ReLU 单元用 He 的 2/n"),
            Mistake(np.sqrt(2.0 / (50 + 150)), "这是 Xavier 的 2/(n_in + n_out)"),
            Mistake(np.sqrt(2.0 / 150), "用了 fan_out；He 初始化用 fan_in"),
        ],
        hints=[
            "He 初始化的方差是多少？它的 n 是输入数还是输出数？",
            "方差 2/n_in，n_in = 50；题目要的是标准差。",
        ],
    ),
    Choice(
        "ch07-lr-slider",
        name="answer",
        digest="sha256:51d86c26787f607bd4388c2daf87bcaea20915af7a63bcbb25a161fbf8e891b9",
        hints=[
            "把滑块拖到 η = 2，看三条曲线在第一个 epoch（前 45 步）里升到多高，之后有没有降回来。",
            "再看图例里的测试准确率：10 个类别时瞎猜是多少？",
        ],
    ),
    Choice(
        "ch07-init-slider",
        name="answer",
        digest="sha256:bd011f09f7d75d8a24acc217eb475dfd73c3caf179857973cb51f789f8b52389",
        hints=[
            "把 σ 拖到 0.01，读左图（tanh）每一层右边的标准差，从 L1 往下看。",
            "相邻两层的标准差相差几倍？和 σ·√n 比一比（n = 100）。",
        ],
    ),
)
