"""Chapter 5, second part (gradient checking) exercises: expected values, mistakes and hints.

* ``ch05-fd-slider``: what the finite-difference slider shows (a choice);
* ``ch05-bias-share``: the chance that 20 random coordinates of the 784-512-256-10 network's
  flat parameter vector miss every bias.

Their labels keep the chapter's number (the notebook is a section of chapter 5).
"""

from __future__ import annotations

import math

from ..nn.layers import Dense, ReLU, Sequential, count_parameters
from ._kinds import Choice, Mistake, Value
from ._registry import register

# --- ch05-bias-share ------------------------------------------------------------------------------

_DRAWS = 20


def _lecture_net_counts() -> tuple[int, int]:
    """(biases, all parameters) of the lecture's 784-512-256-10 network."""
    net = Sequential(
        Dense(784, 512, init="zeros"),
        ReLU(),
        Dense(512, 256, init="zeros"),
        ReLU(),
        Dense(256, 10, init="zeros"),
    )
    biases = sum(layer.b.size for layer in net.layers[::2])
    return biases, count_parameters(net)


def _miss_all_biases() -> float:
    """P(none of ``_DRAWS`` coordinates drawn without replacement is a bias)."""
    biases, total = _lecture_net_counts()
    return math.prod((total - biases - k) / (total - k) for k in range(_DRAWS))


def _bias_share() -> float:
    biases, total = _lecture_net_counts()
    return biases / total


register(
    Choice(
        "ch05-fd-slider",
        name="fd_answer",
        digest="sha256:7dc8ebab324e6c6a238f97accc40f1894ca15240d0c9a94c4549c9986321cf05",
        hints=[
            "误差有两个来源：截断误差随 h 变小而变小，舍入误差却随 h 变小而变大。",
            "看两条曲线在大 h 处的斜率，以及各自的最低点落在哪个 h。",
        ],
    ),
    Value(
        "ch05-bias-share",
        name="p_miss",
        expected=_miss_all_biases,
        atol=6e-4,
        rtol=0.0,
        mistakes=[
            Mistake(
                lambda: 1.0 - _miss_all_biases(),
                "这接近至少抽到一个偏置的概率（也接近 20 次中偏置个数的期望），"
                "题目问的是一个偏置也抽不到的概率",
            ),
            Mistake(_bias_share, "这是偏置在全部参数中所占的比例"),
            Mistake(lambda: 1.0 - _bias_share(), "这是抽一次抽不到偏置的概率，题目抽了 20 次"),
        ],
        hints=[
            "先数一数 784-512-256-10 网络的偏置有多少个、参数一共有多少个（第 1 章数过）。",
            "每抽一次都不是偏置的概率约为 1 − 偏置所占的比例；20 次都不是，要把 20 次的概率相乘。",
        ],
    ),
)
