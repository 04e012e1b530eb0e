"""Chapter 6 exercises: cases, expected values, known mistakes and hints (see chapter 6)."""

from __future__ import annotations

import numpy as np

from ..lab.preprocessing import Preprocessor
from ..nn.activations import sigmoid
from ._kinds import Case, Choice, Function, Mistake, Value
from ._registry import register
from ._requirements import read_only


def _five_sigmoid_slopes(x):
    """|dy/dx| of y = sigma(sigma(sigma(sigma(sigma(x))))) (weights 1, biases 0) at each x."""
    a, slope = np.asarray(x, dtype=float), 1.0
    for _ in range(5):
        s = sigmoid(a)
        slope = slope * s * (1.0 - s)
        a = s
    return slope


def _five_sigmoids_max() -> float:
    """The attained maximum of |dy/dx| on a fine grid over [-5, 5] (at x = -0.158)."""
    return float(_five_sigmoid_slopes(np.linspace(-5.0, 5.0, 200_001)).max())


def _standardize_build(rng: np.random.Generator, train, test) -> list[Case]:
    """A training set and a test set drawn with ``rng`` (``train`` and ``test`` are
    ``(N, loc, scale)`` of per-column normals), then the first test sample alone."""
    (n_train, loc_train, scale_train), (n_test, loc_test, scale_test) = train, test
    d = len(loc_train)
    X_train = rng.normal(loc=loc_train, scale=scale_train, size=(n_train, d))
    X_test = rng.normal(loc=loc_test, scale=scale_test, size=(n_test, d))
    pre = Preprocessor("standardize").fit(X_train)
    one = X_test[:1]
    return [
        Case(
            read_only(X_train, X_test),
            pre.transform(X_test),
            f"训练集 {n_train}×{d}、测试集 {n_test}×{d} 的随机例子",
        ),
        Case(read_only(X_train, one), pre.transform(one), "测试集只有 1 个样本的例子"),
    ]


def _standardize_cases() -> list[Case]:
    train = (40, [5.0, -2.0, 0.5], [2.0, 0.5, 3.0])
    test = (7, [6.0, -1.0, 0.0], [1.0, 1.0, 1.0])
    return _standardize_build(np.random.default_rng(61), train, test)


def _standardize_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: D, the set sizes, and each column's mean and spread drawn at random (the
    test set shifted and scaled differently from the training set)."""
    d = int(rng.integers(2, 6))
    train = (int(rng.integers(10, 61)), rng.uniform(-5, 5, size=d), rng.uniform(0.3, 3, size=d))
    test = (int(rng.integers(2, 11)), rng.uniform(-5, 5, size=d), rng.uniform(0.3, 3, size=d))
    return _standardize_build(rng, train, test)


def _wrong_standardize_test_stats(X_train, X_test):
    X_test = np.asarray(X_test, float)
    return (X_test - X_test.mean(axis=0)) / X_test.std(axis=0)


def _wrong_standardize_variance(X_train, X_test):
    X_train = np.asarray(X_train, float)
    return (np.asarray(X_test, float) - X_train.mean(axis=0)) / X_train.var(axis=0)


def _wrong_standardize_all(X_train, X_test):
    both = np.vstack([X_train, X_test])
    return (np.asarray(X_test, float) - both.mean(axis=0)) / both.std(axis=0)


def _wrong_standardize_ddof(X_train, X_test):
    X_train = np.asarray(X_train, float)
    return (np.asarray(X_test, float) - X_train.mean(axis=0)) / X_train.std(axis=0, ddof=1)


def _whiten_data() -> np.ndarray:
    rng = np.random.default_rng(62)
    A = np.array([[2.0, 0.0, 0.0], [1.2, 0.6, 0.0], [0.3, -0.4, 0.2]])
    return rng.normal(size=(50, 3)) @ A + np.array([3.0, -1.0, 0.5])


def _eps_text(eps: float) -> str:
    return f"{eps:g}".replace("e-0", "e-")  # 1e-5, not 1e-05


def _whiten_build(X, X_const, eps_pair, eps_const, what: str) -> list[Case]:
    """``X`` with two values of eps, and ``X_const`` (a column of zero variance)."""
    cases = [
        Case(
            (*read_only(X), eps),
            Preprocessor("whiten", eps=eps).fit_transform(X),
            f"{what}，eps = {_eps_text(eps)}" if i == 0 else f"同一数据，eps = {_eps_text(eps)}",
        )
        for i, eps in enumerate(eps_pair)
    ]
    cases.append(
        Case(
            (*read_only(X_const), eps_const),
            Preprocessor("whiten", eps=eps_const).fit_transform(X_const),
            "有一列是常数（方差为 0）的数据",
        )
    )
    return cases


def _whiten_cases() -> list[Case]:
    X = _whiten_data()
    X_const = np.column_stack([X[:, :2], np.full(len(X), 4.0)])  # a zero-variance column
    return _whiten_build(X, X_const, (1e-5, 0.1), 1e-5, "50×3 的相关数据")


def _correlated(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """N×D data: independent columns whose spreads differ twofold, rotated at random and
    shifted, so the principal directions are well defined (their signs stay put too)."""
    spreads = 3.0 * 0.5 ** np.arange(d) * rng.uniform(0.8, 1.2)
    rotation, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return rng.normal(size=(n, d)) * spreads @ rotation.T + rng.uniform(-5.0, 5.0, size=d)


def _whiten_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: random N×D correlated data with a small and a large random eps, then
    such data with a constant column (an integer, so its mean is exact) inserted."""
    n, d = int(rng.integers(20, 61)), int(rng.integers(2, 5))
    X = _correlated(rng, n, d)
    column, value = int(rng.integers(d)), float(rng.integers(-5, 6))
    X_const = np.insert(_correlated(rng, n, d - 1), column, value, axis=1)
    small, large = (float(10.0 ** rng.integers(low, high)) for low, high in [(-6, -3), (-2, 0)])
    return _whiten_build(X, X_const, (small, large), small, f"{n}×{d} 的随机相关数据")


def _whiten_rotate(X, eps):
    X = np.asarray(X, float) - np.mean(X, axis=0)
    U, S, _ = np.linalg.svd(X.T @ X / X.shape[0])
    return X @ U, S


def _wrong_whiten_divide_s(X, eps):
    Xrot, S = _whiten_rotate(X, eps)
    return Xrot / S


def _wrong_whiten_divide_s_eps(X, eps):
    Xrot, S = _whiten_rotate(X, eps)
    return Xrot / (S + eps)


def _wrong_whiten_no_eps(X, eps):
    Xrot, S = _whiten_rotate(X, eps)
    return Xrot / np.sqrt(S)


def _wrong_whiten_no_centre(X, eps):
    X = np.asarray(X, float)
    U, S, _ = np.linalg.svd(X.T @ X / X.shape[0])
    return X @ U / np.sqrt(S + eps)


register(
    Value(
        "ch06-five-sigmoids",
        name="answer",
        expected=lambda: [0.25**5, _five_sigmoids_max()],
        rtol=2e-3,
        atol=0.0,
        mistakes=[
            Mistake(
                lambda: [0.25**5, 0.25**5],
                "第二个数照抄了上界：只有第一个 sigmoid 能看到输入 0，后面几个看到的是前一个的输出"
                " σ(·) ∈ (0, 1)，在那里 σ′ 到不了 1/4，所以上界取不到",
            ),
            Mistake(
                lambda: [0.25**5, float(_five_sigmoid_slopes(0.0))],
                "第二个数是 x = 0 处的导数；第一层在 x = 0 最陡，但整条链的最大值不在 x = 0，"
                "要在整个网格上找",
            ),
            Mistake(
                lambda: [0.25 * 5, _five_sigmoids_max()],
                "上界把 5 个因子加了起来；链式法则里它们是相乘的",
            ),
            Mistake(
                lambda: [0.5**5, _five_sigmoids_max()],
                "上界里用了 0.5：它是 σ(0) 本身，不是 σ′ 的最大值",
            ),
            Mistake(
                lambda: [0.25, _five_sigmoids_max()], "上界只算了一层的导数上界；5 层有 5 个因子"
            ),
            Mistake(lambda: [0.25**4, _five_sigmoids_max()], "上界少算了一层"),
        ],
        hints=[
            "上界：链式法则把 5 个 σ′ 相乘，一个 σ′ 最大是多少？真正的最大值：第 2 到第 5 个 sigmoid"
            " 的输入是前一个的输出，落在 (0, 1) 里——用代码在 x 的细网格上算出整条链的 |dy/dx|，取最大。",
            "上界是 5 个 σ′ 的最大值 1/4 相乘。最大值：在 x 的网格（例如 −5 到 5）上令 a = x、slope = 1，"
            "重复 5 次 s = σ(a)、slope = slope·s(1 − s)、a = s，再取 slope 的最大值；它比上界小，也不在 x = 0。",
        ],
    ),
    Value(
        "ch06-whiten-factor",
        name="factor",
        expected=lambda: 1.0 / np.sqrt(0.01 + 0.01),
        rtol=0.0,
        atol=0.006,
        mistakes=[
            Mistake(1.0 / 0.02, "这是除以（特征值 + ε）本身；白化除以的是它的平方根"),
            Mistake(1.0 / 0.01, "这是除以特征值本身（讲义文字的说法），而且漏了 ε"),
            Mistake(1.0 / np.sqrt(0.01), "漏了 ε：题目里平滑项是 0.01"),
            Mistake(1.0 / np.sqrt(0.01 + 1e-5), "用了 1e-5，但题目给的平滑项是 0.01"),
            Mistake(np.sqrt(0.02), "这是乘上了平方根；白化是除以它"),
        ],
        hints=[
            "看讲义的代码 `Xwhite = Xrot / np.sqrt(S + 1e-5)`：一个坐标被除以什么？",
            "第二个坐标的特征值是 0.01，平滑项换成 0.01；它被除以（特征值 + 平滑项）的平方根，倍数是其倒数。",
        ],
    ),
    Function(
        "ch06-standardize",
        name="standardize",
        cases=_standardize_cases,
        fresh=_standardize_fresh,
        mistakes=[
            Mistake(
                _wrong_standardize_test_stats,
                "用的是测试集自己的均值和标准差；统计量只能来自训练集",
            ),
            Mistake(
                _wrong_standardize_all, "用训练集和测试集合在一起的统计量：测试数据泄漏进了预处理"
            ),
            Mistake(_wrong_standardize_variance, "除以的是方差，不是标准差"),
            Mistake(_wrong_standardize_ddof, "标准差用了 ddof=1；任务要求 np.std 的默认（除以 N）"),
        ],
        hints=[
            "均值和标准差应该从哪一份数据上算？再想想测试集只有一个样本时会怎样。",
            "按列（axis=0）算训练集的均值和标准差，再把它们用到测试集上：先减均值，再除以标准差。",
        ],
    ),
    Function(
        "ch06-whiten-bug",
        name="whiten",
        cases=_whiten_cases,
        fresh=_whiten_fresh,
        mistakes=[
            Mistake(_wrong_whiten_divide_s, "还在除以特征值本身（也没有 eps）"),
            Mistake(_wrong_whiten_divide_s_eps, "除以的是 S + eps，不是它的平方根"),
            Mistake(_wrong_whiten_no_eps, "去掉了 eps：方差为 0 的方向上会除以 0"),
            Mistake(_wrong_whiten_no_centre, "协方差和投影之前没有先零中心化"),
        ],
        hints=[
            "有两处错误：一处改坏了调用者的数组，一处是除数。白化后的协方差应该是单位矩阵。",
            "`X -= ...` 会原地修改传入的数组，改成先得到一个新数组；每个坐标要除以（特征值 + eps）的平方根。",
        ],
    ),
    Choice(
        "ch06-zigzag-slider",
        name="answer",
        digest="sha256:def430a496cd14bfd0df26e8e97522d59f6ff6f6b41f03a8a25976e35d821fd8",
        hints=[
            "拖动步数滑块时，看每一小段线段指向哪个方向：右上、左下，还是别的方向？",
            "每一步的更新是 −η·(残差)·x，而 x 的两个分量都为正：两个权重只能同增或同减。",
        ],
    ),
    Choice(
        "ch06-vanish-slider",
        name="answer",
        digest="sha256:dac23434ffbea9445fad60da34522c3777d790ec15bde65fbeb7b60ea865fa07",
        hints=[
            "把深度拖到 10，读 sigmoid 曲线最左端和最右端的值（纵轴是对数刻度）。",
            "每往前一层，sigmoid 的梯度大约缩小几倍？10 层累乘起来是几个数量级？",
        ],
    ),
)
