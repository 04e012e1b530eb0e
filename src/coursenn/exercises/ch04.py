"""Chapter 4 exercises: cases, expected values, known mistakes and hints (see chapter 4).

* ``ch04-hinge``: the multiclass SVM (hinge) loss of one sample, numpy only (``hinge_loss_one``);
* ``ch04-svm-by-hand``: that loss for ``s = [3.2, 5.1, -1.7]``, class 0, Δ = 1, by hand;
* ``ch04-initial-loss``: the initial softmax loss of a 100-class classifier;
* ``ch04-outlier-slider``: what the outlier slider shows about L2 and L1 (a choice);
* ``ch04-stable-ce``: fix a softmax cross-entropy that overflows (``softmax_ce``), numpy only,
  without overflow, divide-by-zero or invalid-value warnings.

Expected values are computed with :mod:`coursenn.nn.losses`, never typed in.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..nn import activations, losses
from ._kinds import Case, Choice, Function, Mistake, Value
from ._registry import register
from ._requirements import numpy_only, read_only

# --- constraints the tasks state ----------------------------------------------------------------


def read_only_one(values) -> np.ndarray:
    """One read-only float64 copy (:func:`~._requirements.read_only` of one array)."""
    return read_only(values)[0]


# --- ch04-hinge -----------------------------------------------------------------------------------


def _hinge(scores, y, delta) -> float:
    """The reference: ``losses.multiclass_hinge_loss`` of one sample."""
    scores = np.asarray(scores, dtype=float)
    return losses.multiclass_hinge_loss(scores[None, :], [y], margin=delta)[0]


def _hinge_case(scores, y, delta, what: str) -> Case:
    return Case((read_only_one(scores), y, delta), _hinge(scores, y, delta), what=what)


def _random_hinge_rows(rng: np.random.Generator, specs) -> list[tuple]:
    """``(scores, y, Δ, what)`` rows: scores of K classes drawn with ``rng`` (×2), per
    ``(K, y, Δ)`` in ``specs``."""
    rows = []
    for k, y, delta in specs:
        what = f"K = {k} 个类的随机分数、y = {y}、Δ = {delta:g}"
        rows.append((rng.normal(size=k) * 2, y, delta, what))
    return rows


def _hinge_cases() -> list[Case]:
    """The lecture's example, two hand-made rows and three random ones (K = 2, 4, 5)."""
    rows = [
        ([13.0, -7.0, 11.0], 0, 10.0, "讲义的例子 s = [13, -7, 11]、y = 0、Δ = 10"),
        ([10.0, 9.0, 9.0], 0, 1.0, "s = [10, 9, 9]、y = 0、Δ = 1"),
        ([3.2, 5.1, -1.7], 2, 1.0, "s = [3.2, 5.1, -1.7]、y = 2、Δ = 1"),
    ]
    rng = np.random.default_rng(11)
    rows += _random_hinge_rows(rng, [(2, 1, 0.5), (4, 3, 1.0), (5, 2, 2.0)])
    return [_hinge_case(s, y, d, what) for s, y, d, what in rows]


def _hinge_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: three random rows (random K, y and Δ), one where the correct class wins
    by more than Δ (every term negative: the loss is 0) and one where it scores lowest."""
    specs = []
    for _ in range(5):
        k = int(rng.integers(2, 9))
        specs.append((k, int(rng.integers(k)), float(rng.choice([0.5, 1.0, 1.5, 2.0, 5.0]))))
    rows = _random_hinge_rows(rng, specs)
    scores, y, delta, _ = rows[3]
    scores[y] = np.delete(scores, y).max() + delta + rng.uniform(0.5, 2.0)
    rows[3] = (scores, y, delta, f"K = {len(scores)} 个类、正确类的分数远高于其他类、Δ = {delta:g}")
    scores, y, delta, _ = rows[4]
    scores[y] = scores.min() - rng.uniform(0.5, 2.0)
    rows[4] = (scores, y, delta, f"K = {len(scores)} 个类、正确类的分数最低、Δ = {delta:g}")
    return [_hinge_case(s, y, d, what) for s, y, d, what in rows]


def _terms(scores, y, delta, *, swap: bool = False) -> np.ndarray:
    """``s_j - s_y + Δ`` for every j (or ``s_y - s_j + Δ`` with ``swap``), j = y included."""
    scores = np.asarray(scores, dtype=float)
    diff = scores[y] - scores if swap else scores - scores[y]
    return diff + delta


def _hinge_with_j_eq_y(scores, y, delta):  # the j = y term adds max(0, Δ) = Δ
    return np.maximum(0.0, _terms(scores, y, delta)).sum()


def _hinge_swapped(scores, y, delta):  # s_y - s_j + Δ
    return np.delete(np.maximum(0.0, _terms(scores, y, delta, swap=True)), y).sum()


def _hinge_without_max(scores, y, delta):  # negative terms lower the loss
    return np.delete(_terms(scores, y, delta), y).sum()


def _hinge_mean(scores, y, delta):  # margins[y] = 0, then the mean over all K entries
    margins = np.maximum(0.0, _terms(scores, y, delta))
    margins[y] = 0.0
    return margins.mean()


# --- ch04-svm-by-hand ----------------------------------------------------------------------------

_BY_HAND = (np.array([3.2, 5.1, -1.7]), 0, 1.0)  # scores, correct class, Δ of the task


def _by_hand(wrong: Callable | None = None) -> Callable[[], float]:
    """The task's loss, or what a known wrong formula gives on the task's numbers (lazily)."""
    return lambda: float(_hinge(*_BY_HAND) if wrong is None else wrong(*_BY_HAND))


def _hinge_without_delta(scores, y, delta):
    return _hinge(scores, y, 0.0)


# --- ch04-initial-loss ----------------------------------------------------------------------------

_K = 100  # classes in the task (CIFAR-100)


def _uniform_loss(k: int) -> float:
    """Softmax cross-entropy of k equal scores (tiny weights): every class gets 1/k."""
    return losses.softmax_cross_entropy(np.zeros((1, k)), [0])[0]


# --- ch04-stable-ce -------------------------------------------------------------------------------


def _ce_case(scores, label, what: str) -> Case:
    expected = losses.softmax_cross_entropy(np.array([scores], dtype=float), [label])[0]
    return Case((read_only_one(scores), label), expected, what=what)


def _ce_cases() -> list[Case]:
    """Ordinary scores, the task's three large ones, two equal large negatives, a far lead."""
    rows = [
        ([2.0, 1.0, 0.1], 0, "普通的分数 s = [2, 1, 0.1]、label = 0"),
        ([1000.0, 0.0, -1000.0], 0, "s = [1000, 0, -1000]、label = 0"),
        ([1000.0, 0.0, -1000.0], 2, "s = [1000, 0, -1000]、label = 2"),
        ([0.0, -800.0], 1, "s = [0, -800]、label = 1"),
        ([-1000.0, -1000.0], 0, "s = [-1000, -1000]、label = 0"),
        ([10.0, -100.0, -100.0], 0, "s = [10, -100, -100]、label = 0"),
    ]
    return [_ce_case(s, c, what) for s, c, what in rows]


def _ce_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases, K random: ordinary scores; scores of size ~1000 (one above 800, one below
    −800) with the label on the lowest; all scores near −1000; one class ahead by 100-300, labelled another."""

    def classes() -> int:
        return int(rng.integers(2, 7))

    ordinary = rng.normal(size=classes()) * 2
    large = rng.uniform(-1500.0, 1500.0, size=classes())
    top, bottom = rng.permutation(len(large))[:2]
    large[top], large[bottom] = rng.uniform(800.0, 1500.0), rng.uniform(-1500.0, -800.0)
    negative = -1000.0 - rng.uniform(0.0, 5.0, size=classes())
    lead = rng.normal(size=classes())
    first = int(rng.integers(len(lead)))
    lead[first] += rng.uniform(100.0, 300.0)
    other = int((first + rng.integers(1, len(lead))) % len(lead))
    return [
        _ce_case(ordinary, int(rng.integers(len(ordinary))), f"{len(ordinary)} 个普通的随机分数"),
        _ce_case(
            large, int(np.argmin(large)), f"{len(large)} 个大小约为 1000 的分数，label 是最低的"
        ),
        _ce_case(
            negative, int(rng.integers(len(negative))), f"{len(negative)} 个约为 −1000 的分数"
        ),
        _ce_case(lead, other, f"{len(lead)} 个分数，另一类领先 100 以上"),
    ]


def _ce_naive(scores, label):  # the task's version
    p = np.exp(scores) / np.sum(np.exp(scores))
    return -np.log(p[label])


def _ce_shift_then_log_p(scores, label):  # no overflow, but p_c can underflow to 0
    shifted = np.asarray(scores, dtype=float) - np.max(scores)
    p = np.exp(shifted) / np.sum(np.exp(shifted))
    return -np.log(p[label])


def _ce_shift_by_min(scores, label):
    shifted = np.asarray(scores, dtype=float) - np.min(scores)
    return np.log(np.sum(np.exp(shifted))) - shifted[label]


def _ce_log_domain_unshifted(scores, label):
    scores = np.asarray(scores, dtype=float)
    return np.log(np.sum(np.exp(scores))) - scores[label]


def _ce_shift_eps(scores, label):  # a floor under p: small probabilities are cut off
    shifted = np.asarray(scores, dtype=float) - np.max(scores)
    p = np.exp(shifted) / np.sum(np.exp(shifted))
    return -np.log(p[label] + 1e-12)


register(
    Function(
        "ch04-hinge",
        name="hinge_loss_one",
        cases=_hinge_cases,
        fresh=_hinge_fresh,
        mistakes=[
            Mistake(_hinge_with_j_eq_y, "把 j = y 那一项也加进去了：它总是 max(0, Δ) = Δ"),
            Mistake(_hinge_swapped, "每一项写成了 s_y − s_j + Δ：减反了"),
            Mistake(_hinge_without_max, "负的项没有截成 0（少了 max(0, ·)），它们反而减小了损失"),
            Mistake(_hinge_mean, "你对各项取了平均：L_i 是各项之和"),
        ],
        requires=[numpy_only(lambda: _hinge_cases()[0].args, losses, activations)],
        hints=[
            "先拿讲义的例子 s = [13, −7, 11]、y = 0、Δ = 10 手算每一项，"
            "再和你的函数算出的中间结果逐项对比。",
            "求和跳过 j = y；其余每一项是“错误类的分数 − 正确类的分数 + Δ”。",
            "负的项按 0 计（这就是 max(0, ·) 的作用）；最后把各项相加，返回一个数。",
        ],
    ),
    Value(
        "ch04-svm-by-hand",
        name="svm_loss",
        expected=_by_hand(),
        rtol=0.0,
        atol=1e-6,
        mistakes=[
            Mistake(_by_hand(_hinge_with_j_eq_y), "把 j = y_i 那一项也算进去了：它总是 Δ"),
            Mistake(_by_hand(_hinge_without_max), "把负的那一项也加上了：max(0, 负数) 是 0"),
            Mistake(_by_hand(_hinge_swapped), "每一项算成了 s_{y_i} − s_j + Δ：减反了"),
            Mistake(_by_hand(_hinge_without_delta), "两项里都漏了边界值 Δ"),
        ],
        hints=[
            "只有 j = 1 和 j = 2 两项：先分别写出 s_j − s_0 + Δ。",
            "其中一项是负数：max(0, ·) 把它变成 0。",
            "把两项（负的按 0 算）相加；结果是一个一位小数。",
        ],
    ),
    Value(
        "ch04-initial-loss",
        name="initial_loss",
        expected=lambda: _uniform_loss(_K),
        rtol=0.0,
        # "rounded to two decimals or more": a correct rounding is within 0.005; the truncation
        # to two decimals (4.60) is 0.0052 off and refused, as the task's wording says
        atol=0.005,
        mistakes=[
            Mistake(lambda: _uniform_loss(10), "这是 10 类时的值"),
            Mistake(1.0 / _K, "这是每个类的概率 p，不是损失 −ln p"),
            Mistake(np.log10(_K), "这是以 10 为底的对数：交叉熵用自然对数 ln"),
            Mistake(np.log2(_K), "这是以 2 为底的对数：交叉熵用自然对数 ln"),
            Mistake(float(_K), "这是类数本身（1/p），还没有取对数"),
            Mistake(lambda: -_uniform_loss(_K), "交叉熵 −ln p 不会是负数：你算的是 ln p"),
            Mistake(
                lambda: np.trunc(_uniform_loss(_K) * 100) / 100,
                "这是截断到两位小数（或只留了一位）的结果：题目要四舍五入，看第三位小数",
            ),
        ],
        hints=[
            "权重很小时所有分数都接近 0：softmax 给每个类的概率是多少？",
            "损失是正确类概率的负自然对数 −ln p（底数是 e，不是 10 或 2）。",
            "10 类时是 −ln(1/10) ≈ 2.303；100 类照同样的推理，四舍五入到两位或更多位小数。",
        ],
    ),
    Choice(
        "ch04-outlier-slider",
        name="answer",
        options=("A", "B", "C", "D"),
        digest="sha256:947ae2f5bb82bee3c2be165c327678070d2effa6e4ae41a9fce7d5ecd2a3101f",
        hints=[
            "在滑块上把离群点从 4 拖到 28，分别看实线（L2）和虚线（L1）的斜率 w 怎样变。",
            "比较离群点在两种损失的梯度里的分量：L2 对残差 r 的导数是 2r，L1 的是 sign(r)。",
        ],
    ),
    Function(
        "ch04-stable-ce",
        name="softmax_ce",
        cases=_ce_cases,
        fresh=_ce_fresh,
        mistakes=[
            Mistake(_ce_naive, "这还是原来的写法：e^1000 上溢成 inf，inf/inf 得 NaN"),
            Mistake(
                _ce_shift_then_log_p,
                "平移后不再上溢，但你仍先算出概率再取 log：很小的概率下溢成 0，log 0 = −inf",
            ),
            Mistake(_ce_shift_by_min, "你减去的是最小值：平移后最大的分数反而更大，指数仍然上溢"),
            Mistake(_ce_log_domain_unshifted, "你在对数域里算了，但没有平移分数，指数仍然上溢"),
            Mistake(
                _ce_shift_eps,
                "你给概率加了一个下限再取 log：真实的概率比下限还小，损失被截成了一个错误的有限值",
            ),
        ],
        no_warnings=True,  # underflow (e^-2000 = 0 in a sum) is harmless and not reported
        requires=[numpy_only(lambda: _ce_cases()[2].args, losses, activations)],
        hints=[
            "先找出哪一步第一次出现 inf、NaN 或 0："
            "对 s = [1000, 0, −1000] 逐步打印分子、分母和概率。",
            "softmax 的分子分母同乘一个常数，概率不变（讲义 001 的 log C）："
            "选这个常数，让最大的指数不超过 e^0。",
            "平移后上溢没有了，但很小的概率仍会下溢成 0，而 log 0 = −inf："
            "不要先算概率再取对数，用对数的运算法则把 −log p_c 拆开，直接在对数域里计算。",
        ],
    ),
)
