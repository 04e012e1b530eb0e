"""Chapter 10 exercises: cases, expected values, known mistakes and hints (see chapter 10).

``ch10-beat-baseline`` is open-ended: a :class:`~._heldout.HeldOutAccuracy` exercise (the
student's model, trained on one split of the digits, measured on images it never saw).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ._heldout import HeldOutAccuracy
from ._kinds import Case, Choice, Function, Mistake, Value
from ._probe import Call
from ._registry import register
from ._requirements import Requirement

# --- max-norm --------------------------------------------------------------------------------


def _max_norm_ref(W, c):
    W = np.asarray(W, dtype=float)
    norms = np.sqrt(np.sum(W**2, axis=0, keepdims=True))
    return W * np.minimum(1.0, c / norms)


def _max_norm_case(W, c: float, what: str) -> Case:
    return Case((W, c), _max_norm_ref(W, c), what)


def _max_norm_cases() -> list[Case]:
    rng = np.random.default_rng(100)
    W = rng.normal(size=(6, 5))
    W[:, 1] *= 0.1  # one column already inside the ball
    small = np.array([[3.0, 0.1], [4.0, 0.2]])  # column norms 5 and about 0.22
    return [
        _max_norm_case(W, 1.0, "6×5 的随机 W，c = 1"),
        _max_norm_case(small, 2.0, "W = [[3, 0.1], [4, 0.2]]，c = 2"),
        _max_norm_case(W.T.copy(), 1.5, "5×6 的随机 W，c = 1.5"),
    ]


def _max_norm_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: a random non-square W, a square one, and a single unit (one column),
    random c; column norms from 0.3 c to 3 c, one column inside the ball and one outside
    (the single unit is either)."""
    cases = []
    for square, single in [(False, False), (True, False), (False, True)]:
        d_in = int(rng.integers(2, 8))
        d_out = 1 if single else d_in if square else int(rng.integers(2, 8))
        d_out += (not square and not single) and d_out == d_in
        c = round(float(rng.uniform(0.5, 3.0)), 1)
        W = rng.normal(size=(d_in, d_out))
        norms = c * rng.uniform(0.3, 3.0, size=d_out)
        inside_outside = c * np.array([0.5, 2.0])[rng.permutation(2)]
        norms[rng.permutation(d_out)[:2]] = inside_outside[: min(2, d_out)]
        W *= norms / np.linalg.norm(W, axis=0)
        cases.append(_max_norm_case(W, c, f"{d_in}×{d_out} 的随机 W，c = {c:g}"))
    return cases


def _wrong_max_norm_rows(W, c):
    W = np.asarray(W, dtype=float)
    norms = np.sqrt(np.sum(W**2, axis=1, keepdims=True))
    return W * np.minimum(1.0, c / norms)


def _wrong_max_norm_always(W, c):
    W = np.asarray(W, dtype=float)
    return W * c / np.sqrt(np.sum(W**2, axis=0, keepdims=True))


def _wrong_max_norm_clip(W, c):
    return np.clip(np.asarray(W, dtype=float), -c, c)


def _wrong_max_norm_whole(W, c):
    W = np.asarray(W, dtype=float)
    return W * min(1.0, c / np.linalg.norm(W))


_KEEP_W = np.array([[3.0, 0.0], [4.0, 1.0]])


def _keep_calls(rng=None) -> list[Call]:
    """One call whose ``W`` is read back: a fixed one, or drawn with ``rng`` (norms above c)."""
    if rng is None:
        return [Call((_KEEP_W, 1.0), read_back=True)]
    W = rng.normal(size=(int(rng.integers(2, 6)), int(rng.integers(2, 6)))) * 3.0
    return [Call((W, float(rng.uniform(0.1, 0.5))), read_back=True)]


def _unchanged(outcome, call: Call) -> bool:
    """Is the first argument, read back after the call, what was sent?"""
    after = outcome.args_after
    return after is not None and np.array_equal(np.asarray(after[0], dtype=float), call.args[0])


def _keeps_W(why: str) -> Callable:
    """A requirement's ``decide``: the ``W`` read back after the one call is unchanged."""

    def decide(code, outcomes, calls) -> str | None:
        (outcome,), (call,) = outcomes, calls
        if outcome.error is not None:
            return None  # the cases already report a raising function
        return None if _unchanged(outcome, call) else f"函数改动了传进来的 W：{why}"

    return decide


# --- ensemble prediction ---------------------------------------------------------------------


def _ensemble_ref(probs):
    return np.argmax(np.mean(np.asarray(probs, dtype=float), axis=0), axis=1)


def _random_probs(rng: np.random.Generator, m: int, n: int, k: int) -> np.ndarray:
    """(M, N, K) probabilities: a softmax of random logits (×2) drawn with ``rng``."""
    logits = rng.normal(size=(m, n, k)) * 2
    return np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)


def _ensemble_cases() -> list[Case]:
    # sample 0: two members say class 0 by a hair, one says class 2 firmly -> the mean says 2
    # sample 1: all agree on class 1; sample 2: the product (geometric mean) picks class 0
    probs = np.array(
        [
            [[0.40, 0.25, 0.35], [0.1, 0.8, 0.1], [0.50, 0.01, 0.49]],
            [[0.40, 0.25, 0.35], [0.2, 0.7, 0.1], [0.30, 0.40, 0.30]],
            [[0.05, 0.05, 0.90], [0.3, 0.6, 0.1], [0.30, 0.40, 0.30]],
        ]
    )
    rand = _random_probs(np.random.default_rng(101), 5, 40, 4)
    return [
        Case((probs,), _ensemble_ref(probs), "3 个模型、3 个样本、3 类的例子"),
        Case((rand,), _ensemble_ref(rand), "5 个模型、40 个样本、4 类的随机例子"),
    ]


def _ensemble_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: random probabilities of random M, N, K, drawn again until a majority
    vote, a product, the most confident model and the first model each disagree with the
    mean somewhere (as on the public cases); then a single sample."""
    mistakes = [
        _wrong_ensemble_vote,
        _wrong_ensemble_product,
        _wrong_ensemble_most_confident,
        _wrong_ensemble_first,
    ]
    while True:
        m, n, k = int(rng.integers(3, 7)), int(rng.integers(30, 61)), int(rng.integers(2, 7))
        probs = _random_probs(rng, m, n, k)
        right = _ensemble_ref(probs)
        if all(np.any(wrong(probs) != right) for wrong in mistakes):
            break
    m1, k1 = int(rng.integers(2, 7)), int(rng.integers(2, 7))
    one = _random_probs(rng, m1, 1, k1)
    return [
        Case((probs,), right, f"{m} 个模型、{n} 个样本、{k} 类的随机例子"),
        Case((one,), _ensemble_ref(one), f"{m1} 个模型、1 个样本、{k1} 类的随机例子"),
    ]


def _wrong_ensemble_vote(probs):
    votes = np.argmax(np.asarray(probs, dtype=float), axis=2)  # (M, N)
    k = np.asarray(probs).shape[2]
    counts = np.stack([(votes == c).sum(axis=0) for c in range(k)], axis=1)
    return np.argmax(counts, axis=1)


def _wrong_ensemble_product(probs):
    return np.argmax(np.prod(np.asarray(probs, dtype=float), axis=0), axis=1)


def _wrong_ensemble_most_confident(probs):
    return np.argmax(np.max(np.asarray(probs, dtype=float), axis=0), axis=1)


def _wrong_ensemble_first(probs):
    return np.argmax(np.asarray(probs, dtype=float)[0], axis=1)


# --- the update ratio (find the bug) ---------------------------------------------------------


def _ratio_ref(W, dW, lr):
    return float(np.linalg.norm(lr * np.asarray(dW)) / np.linalg.norm(np.asarray(W)))


def _ratio_case(W, dW, lr: float, what: str) -> Case:
    return Case((W, dW, lr), _ratio_ref(W, dW, lr), what)


def _ratio_cases() -> list[Case]:
    rng = np.random.default_rng(102)
    W, dW = rng.normal(size=(20, 10)), rng.normal(size=(20, 10))
    W2, dW2 = np.array([[3.0, 0.0], [0.0, 4.0]]), np.array([[10.0, 0.0], [0.0, 0.0]])
    return [
        _ratio_case(W, dW, 0.3, "20×10 的随机 W 与 dW，lr = 0.3"),
        _ratio_case(W2, dW2, 0.1, "W = [[3, 0], [0, 4]]，dW = [[10, 0], [0, 0]]，lr = 0.1"),
    ]


def _ratio_fresh(rng: np.random.Generator) -> list[Case]:
    """Grading cases: two random W (D_in × D_out) and a random bias vector, each with its
    own scale, a gradient of another scale, and a random lr (never 1)."""
    cases = []
    for shape in [
        (int(rng.integers(2, 21)), int(rng.integers(2, 21))),
        None,
        (1, int(rng.integers(2, 9))),
    ]:
        shape = (int(rng.integers(2, 13)),) if shape is None else shape
        scale_W, scale_dW = 10.0 ** rng.uniform(-1.0, 1.0, size=2)
        W, dW = rng.normal(size=shape) * scale_W, rng.normal(size=shape) * scale_dW
        lr = float(rng.choice([0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5]))
        size = "×".join(map(str, shape))
        kind = "偏置向量" if len(shape) == 1 else " W "
        cases.append(_ratio_case(W, dW, lr, f"{size} 的随机{kind}与梯度，lr = {lr:g}"))
    return cases


def _wrong_ratio_given(W, dW, lr):  # the exercise's code, with its in-place update on a copy
    W = np.array(W, dtype=float)
    W += -lr * dW
    return float(np.linalg.norm(W) / np.linalg.norm(lr * dW))


def _wrong_ratio_inverted(W, dW, lr):
    return float(np.linalg.norm(W) / np.linalg.norm(lr * np.asarray(dW)))


def _wrong_ratio_after(W, dW, lr):
    W, dW = np.asarray(W, dtype=float), np.asarray(dW, dtype=float)
    return float(np.linalg.norm(lr * dW) / np.linalg.norm(W - lr * dW))


def _wrong_ratio_no_lr(W, dW, lr):
    return float(np.linalg.norm(dW) / np.linalg.norm(W))


_RATIO_W = np.array([[1.0, 2.0], [3.0, 4.0]])


def _ratio_calls(rng=None) -> list[Call]:
    """One call whose ``W`` is read back: a fixed one, or drawn with ``rng``."""
    if rng is None:
        return [Call((_RATIO_W, np.ones((2, 2)), 0.1), read_back=True)]
    shape = (int(rng.integers(2, 6)), int(rng.integers(2, 6)))
    return [Call((rng.normal(size=shape), rng.normal(size=shape), 0.1), read_back=True)]


# --- the registry ----------------------------------------------------------------------------

register(
    Value(
        "ch10-initial-loss",
        name="loss_100",
        expected=lambda: math.log(100),
        rtol=0.0,
        atol=0.005,  # 四舍五入 to two places (4.61) or more digits; the truncation 4.60 is refused
        mistakes=[
            Mistake(4.60, "截断了：ln 100 = 4.605…，四舍五入到两位小数不是 4.60"),
            Mistake(math.log(10), "这是 10 个类别的值；这里有 100 个类别"),
            Mistake(2.0, "用了以 10 为底的对数；交叉熵用自然对数"),
            Mistake(99.0, "这是 SVM（Δ = 1）的初始损失 K − 1，题目问的是 softmax"),
            Mistake(0.01, "这是每一类的概率 1/K，不是它的负对数"),
            Mistake(-math.log(100), "符号反了：损失是负对数概率，是正数"),
        ],
        hints=[
            "权重很小时每个类别的分数几乎一样，softmax 给每一类的概率是多少？",
            "损失是正确类别概率的负自然对数；100 个类别时这个概率是 1/100。",
        ],
    ),
    Value(
        "ch10-inverted-scale",
        name="h_train",
        expected=lambda: 1.5 / 0.8,
        rtol=0.0,
        atol=1e-9,  # a terminating decimal: the task asks for its exact value
        mistakes=[
            Mistake(1.88, "四舍五入了：这个数是有限小数，题目要的是精确值"),
            Mistake(1.87, "截断了：这个数是有限小数，题目要的是精确值"),
            Mistake(
                1.5 * 0.8, "乘了 p：那是普通随机失活在预测时做的事；反向随机失活在训练时除以 p"
            ),
            Mistake(1.5 / 0.2, "除以的是失活概率 1 − p；讲义的 p 是保留概率"),
            Mistake(1.5, "没有缩放：反向随机失活在训练时要调整数值范围"),
            Mistake(1.5 * 0.2, "乘了 1 − p"),
        ],
        hints=[
            "反向随机失活把数值范围的调整放在训练时还是预测时？是乘还是除？",
            "留下来的单元要让期望不变：期望 = p × (留下时的值)，它应该等于 1.5。",
        ],
    ),
    Function(
        "ch10-max-norm",
        name="max_norm",
        cases=_max_norm_cases,
        fresh=_max_norm_fresh,
        mistakes=[
            Mistake(
                _wrong_max_norm_rows,
                "按行求了范数；一个单元的输入权重是 W 的一列（形状 (D_in, D_out)）",
            ),
            Mistake(_wrong_max_norm_always, "把每一列都缩放到范数 c，连本来就在球里的列也放大了"),
            Mistake(_wrong_max_norm_clip, "逐个元素截断到 [−c, c]；约束的是整列的 L2 范数"),
            Mistake(_wrong_max_norm_whole, "用了整个矩阵的范数；每个单元（每一列）各自约束"),
        ],
        requires=[Requirement(_keeps_W("题目要求返回一个新数组，不修改输入"), _keep_calls)],
        hints=[
            "一个单元的输入权重向量是 W 的哪一部分？只有范数超过 c 的才需要改。",
            "对每一列求 L2 范数；范数大于 c 的列乘以 c / 范数，其余的列不动。",
        ],
    ),
    Function(
        "ch10-ensemble-predict",
        name="ensemble_predict",
        cases=_ensemble_cases,
        fresh=_ensemble_fresh,
        mistakes=[
            Mistake(_wrong_ensemble_vote, "这是多数投票（每个模型只投它的 argmax），不是平均概率"),
            Mistake(_wrong_ensemble_product, "把概率相乘了（几何平均）；题目要求算术平均"),
            Mistake(
                _wrong_ensemble_most_confident, "取了各模型概率的最大值（最自信的模型），不是平均"
            ),
            Mistake(_wrong_ensemble_first, "只用了第一个模型"),
        ],
        hints=[
            "先在模型这一维上把概率合成一个 (N, K) 数组，再对每个样本取最大的类别。",
            "沿 axis=0（模型）求平均，再沿 axis=1（类别）取 argmax。",
        ],
    ),
    Function(
        "ch10-update-ratio-bug",
        name="update_ratio",
        cases=_ratio_cases,
        fresh=_ratio_fresh,
        mistakes=[
            Mistake(_wrong_ratio_given, "这还是原来的代码：比值倒过来了，而且用的是更新之后的 W"),
            Mistake(_wrong_ratio_inverted, "比值倒过来了：应该是更新量比参数"),
            Mistake(_wrong_ratio_after, "分母用了更新之后的参数；讲义在更新之前量参数的大小"),
            Mistake(_wrong_ratio_no_lr, "分子是梯度的范数；更新量还要乘学习率"),
        ],
        requires=[Requirement(_keeps_W("监控只应该测量，不应该自己更新参数"), _ratio_calls)],
        hints=[
            "讲义的代码里，param_scale 是在更新之前还是之后算的？比值的分子是什么？",
            "分子是 −lr·dW 的 L2 范数，分母是更新前 W 的 L2 范数；函数只测量，不改 W。",
        ],
    ),
    Choice(
        "ch10-lambda-slider",
        name="answer",
        digest="sha256:5c38c214c93d9b9c1a4b31be2dc9630a3b8ab9cf8beeccbf8d28cea184fe3437",
        hints=[
            "把滑块从 λ = 0 拖到最右边，同时看左图的两条准确率曲线和右图权重分布的宽度。",
            "λ 最大时训练准确率本身是多少？训练集都拟合不好，是过拟合还是欠拟合？",
        ],
    ),
    Choice(
        "ch10-dropout-mixup",
        name="answer",
        digest="sha256:6c725671490e1f5096dc07abec5c7111e8951037357490c959f7d666351bb125",
        hints=[
            "普通随机失活训练时留下的单元有没有放大？"
            "预测时不乘 p，预测的激活值和训练时的平均比是多少？",
            "p = 0.5：训练时平均只有一半的单元在传信号；预测时全部都在，而且没有减半。",
        ],
    ),
    HeldOutAccuracy(
        "ch10-beat-baseline",
        name="train_model",
        hints=[
            "基线只训练了 2 个 epoch、没有动量。先看看你的模型在训练集上的准确率够不够高。",
            "试试正文的配方：更宽的隐藏层、Adam（或带动量的 SGD）、十几个 epoch、"
            "后半程降低学习率。",
        ],
    ),
)
