r"""Chapter 1: the perceptron: a single sign unit and Rosenblatt's learning rule.

A perceptron computes :math:`\hat y = \operatorname{sign}(\mathbf w^\top \mathbf x + b)`
with targets :math:`y \in \{-1, +1\}`. The perceptron learning algorithm (PLA) visits the
samples and, on each mistake, moves the boundary towards the misclassified point:

.. math::
    \mathbf w \leftarrow \mathbf w + \eta\, y_n \mathbf x_n, \qquad b \leftarrow b + \eta\, y_n .

It stops after an epoch without mistakes, which happens if and only if the data are
linearly separable (AND, OR) and never for XOR. See chapter 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._checks import ShapeError, as_array, as_rng, check_ndim, check_number, check_positive_int
from ..nn.activations import sign

__all__ = ["perceptron_predict", "train_perceptron", "PerceptronResult"]


def perceptron_predict(X, w, b: float) -> np.ndarray:
    r"""Perceptron output :math:`\operatorname{sign}(X\mathbf w + b)`.

    ``X`` has shape ``(N, D)``, ``w`` shape ``(D,)``; returns shape ``(N,)`` in {-1, +1}.
    """
    X = as_array(X, "X")
    w = as_array(w, "w")
    check_ndim(X, 2, "X", shape_hint="(N, D)")
    if w.shape != (X.shape[1],):
        raise ShapeError(f"w must have shape ({X.shape[1]},) to match X {X.shape}, got {w.shape}")
    b = check_number(b, "b", -np.inf, finite=False)  # a parameter: NaN may propagate
    return sign(X @ w + b)


@dataclass
class PerceptronResult:
    """What :func:`train_perceptron` found.

    ``w`` (D,), ``b``, ``mistakes`` (mistakes made in each epoch, one int per epoch run)
    and ``converged`` (True if the last epoch made no mistake).
    """

    w: np.ndarray
    b: float
    mistakes: list[int] = field(default_factory=list)

    @property
    def converged(self) -> bool:
        return bool(self.mistakes) and self.mistakes[-1] == 0


def train_perceptron(X, y, *, epochs: int = 100, lr: float = 1.0, rng=None) -> PerceptronResult:
    """Run the perceptron learning algorithm from ``w = 0, b = 0``.

    Parameters
    ----------
    X : array, shape (N, D)
    y : array, shape (N,), values in {-1, +1}
    epochs : int
        Upper bound on passes over the data; training stops early after a clean pass.
    lr : float
        Step size η.
    rng : Generator, int or None
        Shuffles the visiting order in every epoch.
    """
    X = as_array(X, "X")
    y = as_array(y, "y")
    check_ndim(X, 2, "X", shape_hint="(N, D)")
    if y.shape != (X.shape[0],):
        raise ShapeError(f"y must have shape ({X.shape[0]},) to match X {X.shape}, got {y.shape}")
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError(f"y must contain only -1 and +1, got values {np.unique(y).tolist()}")
    epochs = check_positive_int(epochs, "epochs")
    lr = check_number(lr, "lr", 0.0, low_open=True)
    rng = as_rng(rng)
    w = np.zeros(X.shape[1])
    b = 0.0
    mistakes: list[int] = []
    for _ in range(epochs):
        count = 0
        for n in rng.permutation(X.shape[0]):
            if sign(X[n] @ w + b) != y[n]:
                w = w + lr * y[n] * X[n]
                b = b + lr * y[n]
                count += 1
        mistakes.append(count)
        if count == 0:
            break
    return PerceptronResult(w=w, b=float(b), mistakes=mistakes)
