"""Chapter 8 exercises: cases, expected values, known mistakes and hints (see chapter 8).

Six exercises: Adam's step with bias correction (``ch08-adam-step``), a momentum trajectory
by hand (``ch08-momentum-by-hand``), reading the saddle race (``ch08-race-read``), the bug
in an RMSprop update (``ch08-rmsprop-bug``), the memory of a Hessian (``ch08-hessian-memory``)
and log-uniform sampling of learning rates (``ch08-log-uniform``). Expected values are
computed here (by :mod:`coursenn.nn.optim` where it applies), never typed in.
"""

from __future__ import annotations

import numpy as np

from ..nn.layers import Dense, ReLU, Sequential, count_parameters
from ..nn.optim import Adam, RMSprop
from ..nn.parameter import Parameter
from ._kinds import Case, Choice, Function, Mistake, Value
from ._probe import Rng
from ._registry import register

__all__: list[str] = []


def _frozen(a) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


# --- ch08-adam-step ---------------------------------------------------------------------------


def _adam_by_optim(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One step of coursenn.nn.optim.Adam from the state (m, v) after t - 1 steps."""
    p = Parameter(np.array(x, dtype=float))
    opt = Adam([p], lr=lr, betas=(beta1, beta2), eps=eps)
    opt.state[id(p)] = {
        "step": t - 1,
        "exp_avg": np.array(m, float),
        "exp_avg_sq": np.array(v, float),
    }
    p.grad = np.array(dx, dtype=float)
    opt.step()
    state = opt.state[id(p)]
    return p.data.copy(), state["exp_avg"].copy(), state["exp_avg_sq"].copy()


def _adam_build(rng: np.random.Generator, n: int, n_tiny: int, t: int, later) -> list[Case]:
    """Adam cases drawn with ``rng``: a first step from m = v = 0 (default hyperparameters), a
    step ``t`` from nonzero m, v, a step with hyperparameters ``later = (t, lr, beta1, beta2)``,
    and a first step with a tiny gradient (eps matters next to sqrt(v) ~ 1e-7)."""
    x, dx = _frozen(rng.normal(size=n)), _frozen(rng.normal(size=n))
    zero = _frozen(np.zeros(n))
    m5, v5 = _frozen(rng.normal(0, 0.1, size=n)), _frozen(rng.uniform(0.01, 0.1, size=n))
    tiny = _frozen(rng.normal(0, 1e-7, size=n_tiny))
    x3 = _frozen(rng.normal(size=n_tiny))
    z3 = _frozen(np.zeros(n_tiny))
    t3, lr, beta1, beta2 = later
    cases = [
        ((x, dx, zero, zero, 1), "第一步 t = 1，m = v = 0（默认超参数）"),
        ((x, dx, m5, v5, t), f"t = {t}，m、v 非零"),
        (
            (x, dx, m5, v5, t3, lr, beta1, beta2),
            f"t = {t3}，lr = {lr:g}, beta1 = {beta1:g}, beta2 = {beta2:g}",
        ),
        ((x3, tiny, z3, z3, 1), "梯度很小（约 1e-7）的第一步"),
    ]
    return [Case(args, _adam_by_optim(*args), what) for args, what in cases]


def _adam_cases() -> list[Case]:
    return _adam_build(np.random.default_rng(81), 4, 3, 5, (3, 0.01, 0.8, 0.99))


def _adam_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: random sizes, random steps t ≥ 2, random lr and betas."""
    n, n_tiny = int(rng.integers(2, 8)), int(rng.integers(1, 6))
    t, t3 = int(rng.integers(2, 21)), int(rng.integers(2, 11))
    lr = float(rng.choice([0.1, 0.05, 0.01, 0.005, 0.001]))
    beta1 = round(float(rng.uniform(0.5, 0.95)), 2)
    beta2 = round(float(rng.uniform(0.9, 0.999)), 3)
    return _adam_build(rng, n, n_tiny, t, (t3, lr, beta1, beta2))


def _adam_no_correction(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dx
    v = beta2 * v + (1 - beta2) * dx**2
    return x - lr * m / (np.sqrt(v) + eps), m, v


def _adam_eps_inside(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dx
    v = beta2 * v + (1 - beta2) * dx**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return x - lr * m_hat / np.sqrt(v_hat + eps), m, v


def _adam_not_squared(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dx
    v = beta2 * v + (1 - beta2) * dx
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return x - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _adam_only_m_corrected(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dx
    v = beta2 * v + (1 - beta2) * dx**2
    return x - lr * (m / (1 - beta1**t)) / (np.sqrt(v) + eps), m, v


def _adam_corrected_state(x, dx, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = (beta1 * m + (1 - beta1) * dx) / (1 - beta1**t)
    v = (beta2 * v + (1 - beta2) * dx**2) / (1 - beta2**t)
    return x - lr * m / (np.sqrt(v) + eps), m, v


_ADAM = Function(
    "ch08-adam-step",
    name="adam_step",
    cases=_adam_cases,
    fresh=_adam_fresh,
    rtol=1e-7,
    atol=1e-12,
    mistakes=[
        Mistake(_adam_no_correction, "没有做偏置校正：这是讲义的“简化版”，前几步的步长偏大"),
        Mistake(_adam_eps_inside, "eps 放进了平方根里：梯度很小时分母完全由 eps 决定，步长被压小"),
        Mistake(_adam_not_squared, "v 里累积的是梯度本身，不是梯度的平方"),
        Mistake(_adam_only_m_corrected, "只校正了 m，v 没有校正"),
        Mistake(_adam_corrected_state, "把校正后的 m̂、v̂ 存回了状态：状态应保存未校正的 m、v"),
    ],
    hints=[
        "先照讲义写出 m 与 v 的更新，再想一想：t = 1 时 m 只有梯度的 (1 − beta1) 倍，"
        "该除以什么才能变回梯度的大小？",
        "偏置校正用的是 1 − beta1 的 t 次方与 1 − beta2 的 t 次方；校正后的量只用来算这一步，"
        "返回的 m、v 是未校正的。",
        "eps 加在平方根的外面（分母是 √v̂ 再加 eps）；v 累积的是梯度的平方。",
    ],
)


# --- ch08-momentum-by-hand --------------------------------------------------------------------


def _momentum_x3(nesterov: bool = False, mu: float = 0.9, steps: int = 3) -> float:
    """The lecture's momentum (or look-ahead Nesterov) on f = x^2 from x = 1, lr = 0.1."""
    x, v, lr = 1.0, 0.0, 0.1
    for _ in range(steps):
        at = x + mu * v if nesterov else x
        v = mu * v - lr * 2 * at
        x = x + v
    return x


def _velocity_v3() -> float:
    x, v = 1.0, 0.0
    for _ in range(3):
        v = 0.9 * v - 0.1 * 2 * x
        x = x + v
    return v


_MOMENTUM = Value(
    "ch08-momentum-by-hand",
    name="x3",
    expected=lambda: _momentum_x3(),
    rtol=0.0,
    atol=0.0005,  # three decimals, correctly rounded
    mistakes=[
        Mistake(lambda: _momentum_x3(mu=0.0), "这是不带动量的梯度下降（每步乘 0.8）的结果"),
        Mistake(lambda: _momentum_x3(steps=2), "这是两步之后的 x，题目要三步之后的"),
        Mistake(lambda: _momentum_x3(nesterov=True), "这是 Nesterov（在向前看的点求梯度）的结果"),
        Mistake(_velocity_v3, "这是第三步的速度 v，不是位置 x"),
    ],
    hints=[
        "每一步先用当前的 x 算梯度 2x，再更新 v = μv − η·2x，最后 x = x + v；v 从 0 开始。",
        "第一步：v = −0.2，x = 0.8。第二步的梯度用 x = 0.8，v 里要加上 0.9 倍的旧速度。",
        "把三步的 (v, x) 列成表逐行算；结果保留三位小数（四舍五入）。",
    ],
)


# --- ch08-race-read ---------------------------------------------------------------------------

_RACE = Choice(
    "ch08-race-read",
    name="answer",
    options=("A", "B", "C", "D"),
    digest="sha256:c731c97a0d4bcfcdfdcaf035b642efa9c405aba57d4ba989c8b68d7e8955f2b3",
    hints=[
        "回到鞍点那张表：哪两种方法最先使 |x2| > 1？SGD 在 50 步时 |x2| 是多少？",
        "x2 方向的梯度约为 2·10⁻³。Adagrad、RMSprop 的步长里，梯度被除以了什么？"
        "起点恰在 x2 = 0 时，每种方法在 x2 方向收到的梯度是多少？",
    ],
)


# --- ch08-rmsprop-bug -------------------------------------------------------------------------


def _rmsprop_by_optim(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    p = Parameter(np.array(x, dtype=float))
    opt = RMSprop([p], lr=lr, alpha=decay_rate, eps=eps)
    opt.state[id(p)] = {"square_avg": np.array(cache, dtype=float)}
    p.grad = np.array(dx, dtype=float)
    opt.step()
    return p.data.copy(), opt.state[id(p)]["square_avg"].copy()


def _rmsprop_build(rng: np.random.Generator, n: int, n_tiny: int, later) -> list[Case]:
    """RMSprop cases drawn with ``rng``: a first step from cache = 0, a step from a nonzero
    cache (default hyperparameters), one with ``later = (lr, decay_rate)``, and a first step
    with a tiny gradient."""
    x, dx = _frozen(rng.normal(size=n)), _frozen(rng.normal(size=n))
    cache = _frozen(rng.uniform(0.5, 2.0, size=n))
    zero = _frozen(np.zeros(n))
    tiny = _frozen(rng.normal(0, 1e-6, size=n_tiny))
    x3, z3 = _frozen(rng.normal(size=n_tiny)), _frozen(np.zeros(n_tiny))
    lr, decay_rate = later
    cases = [
        ((x, dx, zero), "cache = 0 的第一步（默认超参数）"),
        ((x, dx, cache), "cache 非零（前面已走过若干步）"),
        ((x, dx, cache, lr, decay_rate), f"cache 非零，lr = {lr:g}, decay_rate = {decay_rate:g}"),
        ((x3, tiny, z3), "梯度很小（约 1e-6）的第一步"),
    ]
    return [Case(args, _rmsprop_by_optim(*args), what) for args, what in cases]


def _rmsprop_cases() -> list[Case]:
    return _rmsprop_build(np.random.default_rng(82), 5, 3, (0.001, 0.9))


def _rmsprop_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: random sizes, a random lr and decay_rate."""
    n, n_tiny = int(rng.integers(2, 8)), int(rng.integers(1, 6))
    lr = float(rng.choice([0.1, 0.05, 0.005, 0.001]))
    decay_rate = round(float(rng.uniform(0.8, 0.999)), 3)
    return _rmsprop_build(rng, n, n_tiny, (lr, decay_rate))


def _rmsprop_no_decay(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = cache + (1 - decay_rate) * dx**2
    return x - lr * dx / (np.sqrt(cache) + eps), cache


def _rmsprop_eps_inside(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = decay_rate * cache + (1 - decay_rate) * dx**2
    return x - lr * dx / np.sqrt(cache + eps), cache


def _rmsprop_not_squared(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = decay_rate * cache + (1 - decay_rate) * dx
    return x - lr * dx / (np.sqrt(np.abs(cache)) + eps), cache


def _rmsprop_adagrad(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = cache + dx**2
    return x - lr * dx / (np.sqrt(cache) + eps), cache


def _rmsprop_weights_swapped(x, dx, cache, lr=0.01, decay_rate=0.99, eps=1e-8):
    cache = (1 - decay_rate) * cache + decay_rate * dx**2
    return x - lr * dx / (np.sqrt(cache) + eps), cache


_RMSPROP = Function(
    "ch08-rmsprop-bug",
    name="rmsprop_step",
    cases=_rmsprop_cases,
    fresh=_rmsprop_fresh,
    rtol=1e-7,
    atol=1e-12,
    mistakes=[
        Mistake(_rmsprop_no_decay, "这还是原来的错误：旧的 cache 没有乘 decay_rate，它只增不减"),
        Mistake(
            _rmsprop_adagrad,
            "这是 Adagrad 的累加：旧的 cache 没有衰减，新的平方梯度也没乘 (1 − decay_rate)",
        ),
        Mistake(_rmsprop_eps_inside, "eps 放进了平方根里：梯度很小时步长被 eps 压得太小"),
        Mistake(_rmsprop_not_squared, "cache 里平均的是梯度本身，不是梯度的平方"),
        Mistake(
            _rmsprop_weights_swapped, "decay_rate 与 1 − decay_rate 用反了：新梯度的权重应该小"
        ),
    ],
    hints=[
        "在 cache 非零的例子上手算一步：新的 cache 应该是旧 cache 与 dx² 的加权平均，"
        "两个权重加起来是多少？",
        "加权平均的两个权重是 decay_rate 和 1 − decay_rate：原代码里哪一项少了它的权重？",
        "只改 cache 那一行；步长那一行的 eps 仍然加在平方根外面。",
    ],
)


# --- ch08-hessian-memory ----------------------------------------------------------------------


def _digits_net() -> Sequential:
    return Sequential(Dense(64, 32, rng=0), ReLU(), Dense(32, 10, rng=0))


def _hessian_mb(n: int, bytes_per: int = 8, unit: float = 1e6) -> float:
    return n * n * bytes_per / unit


_N_DIGITS = 64 * 32 + 32 * 10  # weights only (the likely slip: biases forgotten)

_HESSIAN = Value(
    "ch08-hessian-memory",
    name="hessian_mb",
    expected=lambda: _hessian_mb(count_parameters(_digits_net())),
    rtol=0.0,
    atol=0.051,  # one decimal, correctly rounded
    mistakes=[
        Mistake(lambda: _hessian_mb(_N_DIGITS), "这只数了权重，没有数偏置"),
        Mistake(
            lambda: _hessian_mb(count_parameters(_digits_net()), bytes_per=4),
            "这是 float32（4 字节）的大小，题目要 float64",
        ),
        Mistake(
            lambda: _hessian_mb(count_parameters(_digits_net()), unit=2**20),
            "这是以 MiB（2²⁰ 字节）为单位，题目要 MB（10⁶ 字节）",
        ),
        Mistake(
            lambda: _hessian_mb(count_parameters(_digits_net()), bytes_per=1),
            "这是元素的个数（以百万计），还没有乘每个元素的字节数",
        ),
        Mistake(
            lambda: count_parameters(_digits_net()) * 8 / 1e6,
            "这是梯度向量（n 个数）的大小；Hessian 是 n × n 的矩阵",
        ),
    ],
    hints=[
        "先数参数个数 n：每层有权重和偏置。Hessian 是 n × n 的矩阵。",
        "n 个参数的 Hessian 有 n² 个元素，每个 float64 占 8 字节；1 MB = 10⁶ 字节。",
        "两层：64·32 + 32 个参数，再加 32·10 + 10 个；结果保留一位小数（四舍五入）。",
    ],
)


# --- ch08-log-uniform -------------------------------------------------------------------------


def _log_uniform_ref(low_exp, high_exp, n, rng):
    return 10.0 ** rng.uniform(low_exp, high_exp, n)


def _log_uniform_case(lo: int, hi: int, n: int, seed: int, what: str) -> Case:
    expected = _log_uniform_ref(lo, hi, n, np.random.default_rng(seed))
    return Case((lo, hi, n, Rng(seed)), expected, what)


def _log_uniform_cases() -> list[Case]:
    cases = [
        ((-6, 1, 5, 0), "讲义的范围 10^[-6, 1)，n = 5，种子 0"),
        ((-4, 0, 8, 1), "10^[-4, 0)，n = 8，种子 1"),
        ((-3, -1, 3, 2), "10^[-3, -1)，n = 3，种子 2"),
    ]
    return [_log_uniform_case(*args, what) for args, what in cases]


def _log_uniform_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: three random ranges 10^[lo, hi) (one to five decades), n and seeds."""
    cases = []
    for _ in range(3):
        lo = int(rng.integers(-8, 1))
        hi, n, seed = (
            lo + int(rng.integers(1, 6)),
            int(rng.integers(1, 11)),
            int(rng.integers(10_000)),
        )
        cases.append(_log_uniform_case(lo, hi, n, seed, f"10^[{lo}, {hi})，n = {n}，种子 {seed}"))
    return cases


def _log_uniform_linear(low_exp, high_exp, n, rng):
    return rng.uniform(10.0**low_exp, 10.0**high_exp, n)


def _log_uniform_exponents(low_exp, high_exp, n, rng):
    return rng.uniform(low_exp, high_exp, n)


def _log_uniform_natural(low_exp, high_exp, n, rng):
    return np.exp(rng.uniform(low_exp, high_exp, n))


_LOG_UNIFORM = Function(
    "ch08-log-uniform",
    name="sample_lr",
    cases=_log_uniform_cases,
    fresh=_log_uniform_fresh,
    rtol=1e-9,
    atol=0.0,
    mistakes=[
        Mistake(_log_uniform_linear, "这是在 [10^low, 10^high] 上直接均匀采样，不是在对数尺度上"),
        Mistake(_log_uniform_exponents, "这返回的是指数本身，还没有取 10 的幂"),
        Mistake(_log_uniform_natural, "这是 e 的幂；题目的指数是以 10 为底的"),
    ],
    hints=[
        "先在指数上均匀采样，再把指数变回学习率。",
        "用传进来的 rng 的 uniform 在 [low_exp, high_exp) 上取 n 个指数（不要用全局的 "
        "np.random，也不要新建生成器），然后以 10 为底取幂。",
    ],
)


register(_ADAM, _MOMENTUM, _RACE, _RMSPROP, _HESSIAN, _LOG_UNIFORM)
