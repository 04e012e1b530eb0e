r"""Chapter 10: weight penalties (L2, L1, elastic net) and max-norm, added to any optimizer.

The lecture (001, 正则化) adds a penalty :math:`R(W)` to the data loss, summed over the
weights of every layer (biases are usually left out: they do not multiply the data):

.. math::
    L = \frac1N \sum_i L_i + \sum_{\text{layers}} R(W), \qquad
    R_{L2} = \tfrac12 \lambda \lVert W\rVert^2,\quad
    R_{L1} = \lambda \sum |w|,\quad
    R_{EN} = \lambda_1 \sum |w| + \tfrac12 \lambda_2 \lVert W\rVert^2 .

The ½ makes the L2 gradient :math:`\lambda W` (not :math:`2\lambda W`); L1's gradient is
:math:`\lambda\,\mathrm{sign}(w)` (the subgradient 0 at :math:`w = 0`). A **max-norm
constraint** is not a penalty: after every update each unit's incoming weight vector is
projected back into the ball :math:`\lVert \mathbf w\rVert_2 \le c` (projected gradient descent).

The penalty gradient is added by :class:`Regularized`, which wraps an optimizer: its
``step()`` adds :math:`\partial R/\partial W` to every weight's ``.grad``, runs the optimizer,
then applies the max-norm projection. :func:`with_penalty` adds :math:`R` to a loss function's
value, so the loss that :func:`coursenn.training.fit` records is the whole objective. With
:class:`L2` and plain SGD this is ``SGD(weight_decay=lam)`` applied to the weights only.
See chapter 10.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .._checks import as_array, check_number
from ..nn.layers import Layer
from ..nn.optim import OptimizerWrapper
from ..nn.parameter import Parameter

__all__ = [
    "L2",
    "L1",
    "ElasticNet",
    "weights",
    "penalty_value",
    "unit_norms",
    "max_norm",
    "Regularized",
    "with_penalty",
]


@dataclass(frozen=True)
class L2:
    r""":math:`R(W) = \frac12 \lambda \lVert W\rVert^2`, gradient :math:`\lambda W`."""

    lam: float

    def __post_init__(self) -> None:
        check_number(self.lam, "lam", 0.0)

    def __call__(self, W) -> tuple[float, np.ndarray]:
        """``(R(W), dR/dW)`` for a weight array ``W`` of any shape."""
        W = as_array(W, "W")
        return 0.5 * self.lam * float(np.sum(W * W)), self.lam * W


@dataclass(frozen=True)
class L1:
    r""":math:`R(W) = \lambda \sum |w|`, (sub)gradient :math:`\lambda\,\mathrm{sign}(w)`."""

    lam: float

    def __post_init__(self) -> None:
        check_number(self.lam, "lam", 0.0)

    def __call__(self, W) -> tuple[float, np.ndarray]:
        W = as_array(W, "W")
        return self.lam * float(np.sum(np.abs(W))), self.lam * np.sign(W)


@dataclass(frozen=True)
class ElasticNet:
    r""":math:`R(W) = \lambda_1 \sum |w| + \frac12 \lambda_2 \lVert W\rVert^2` (L1 plus L2)."""

    l1: float
    l2: float

    def __post_init__(self) -> None:
        check_number(self.l1, "l1", 0.0)
        check_number(self.l2, "l2", 0.0)

    def __call__(self, W) -> tuple[float, np.ndarray]:
        v1, g1 = L1(self.l1)(W)
        v2, g2 = L2(self.l2)(W)
        return v1 + v2, g1 + g2


Penalty = Callable[[np.ndarray], tuple[float, np.ndarray]]


def weights(model: Layer) -> list[Parameter]:
    """The weight of every layer that has parameters (its first one: ``Dense.W``, ``Conv2D.W``).

    Biases (and BatchNorm's ``beta``) are left out, as the lecture recommends.
    """
    if not isinstance(model, Layer):
        raise TypeError(f"model must be a Layer, got {type(model).__name__}")
    layers = model.layers if hasattr(model, "layers") else [model]
    found = []
    for layer in layers:
        if hasattr(layer, "layers"):
            found.extend(weights(layer))
        else:
            first = next(iter(layer.parameters()), None)
            if first is not None:
                found.append(first)
    return found


def penalty_value(penalty: Penalty, params: Iterable[Parameter]) -> float:
    """:math:`\\sum R(W)` over ``params`` (the regularisation part of the loss)."""
    return float(sum(penalty(p.data)[0] for p in params))


def _unit_axes(W: np.ndarray) -> tuple[int, ...]:
    """Axes holding one unit's incoming weights: axis 0 of Dense ``(D_in, D_out)``, 1..3 of conv."""
    if W.ndim == 2:
        return (0,)
    if W.ndim == 4:
        return (1, 2, 3)
    raise ValueError(
        f"W must be a Dense weight (D_in, D_out) or a conv weight (F, C, KH, KW), "
        f"got shape {W.shape}"
    )


def unit_norms(W) -> np.ndarray:
    r"""The norm :math:`\lVert \mathbf w_j\rVert_2` of each unit's incoming weights.

    ``W`` of shape ``(D_in, D_out)`` gives ``(D_out,)`` (the columns); ``(F, C, KH, KW)``
    gives ``(F,)`` (one per filter).
    """
    W = as_array(W, "W")
    return np.sqrt(np.sum(W * W, axis=_unit_axes(W)))


def max_norm(W, c: float) -> np.ndarray:
    r"""Project every unit's weight vector into :math:`\lVert \mathbf w_j\rVert_2 \le c`.

    A vector already inside the ball is unchanged; one outside is scaled by
    :math:`c / \lVert \mathbf w_j\rVert_2` (same direction, norm :math:`c`). Returns a new array.
    """
    W = as_array(W, "W")
    c = check_number(c, "c", 0.0, low_open=True)
    axes = _unit_axes(W)
    norms = np.sqrt(np.sum(W * W, axis=axes, keepdims=True))
    return W * np.minimum(1.0, c / np.maximum(norms, np.finfo(float).tiny))


class Regularized(OptimizerWrapper):
    """An optimizer whose ``step()`` adds a penalty's gradient first and projects afterwards.

    Parameters
    ----------
    optimizer : object with ``zero_grad()``, ``step()`` and ``lr``
        For example :class:`coursenn.nn.optim.SGD` over ``model.parameters()``.
    params : iterable of Parameter
        The regularised weights, usually :func:`weights` of the model.
    penalty : L2, L1, ElasticNet or None
        Any callable ``W -> (R(W), dR/dW)``.
    max_norm : float or None
        :math:`c` of the max-norm constraint, applied to ``params`` after every step.

    ``lr`` reads and writes the wrapped optimizer's, so schedules work on it too.
    """

    def __init__(
        self,
        optimizer,
        params: Iterable[Parameter],
        *,
        penalty: Penalty | None = None,
        max_norm: float | None = None,
    ) -> None:
        super().__init__(optimizer)
        self.params = list(params)
        for i, p in enumerate(self.params):
            if not isinstance(p, Parameter):
                raise TypeError(f"params[{i}] must be a Parameter, got {type(p).__name__}")
        if penalty is not None and not callable(penalty):
            raise TypeError(f"penalty must be callable W -> (value, grad), got {penalty!r}")
        self.penalty = penalty
        self.max_norm = (
            None if max_norm is None else check_number(max_norm, "max_norm", 0.0, low_open=True)
        )

    def step(self) -> None:
        """Add :math:`\\partial R/\\partial W` to each ``W.grad``, step, then project (max-norm)."""
        if self.penalty is not None:
            for p in self.params:
                p.grad = p.grad + self.penalty(p.data)[1]
        self.optimizer.step()
        if self.max_norm is not None:
            for p in self.params:
                p.data[...] = max_norm(p.data, self.max_norm)

    def __repr__(self) -> str:
        return (
            f"Regularized({self.optimizer!r}, penalty={self.penalty!r}, max_norm={self.max_norm!r})"
        )


def with_penalty(loss_fn: Callable, penalty: Penalty, params: Iterable[Parameter]) -> Callable:
    """``loss_fn`` whose value includes :math:`\\sum R(W)` (``dscores`` is unchanged).

    The penalty does not depend on the scores, so only the reported loss changes; its
    gradient with respect to the weights is added by :class:`Regularized`.
    """
    params = list(params)

    def regularized_loss(scores, y):
        loss, dscores = loss_fn(scores, y)
        return loss + penalty_value(penalty, params), dscores

    return regularized_loss
