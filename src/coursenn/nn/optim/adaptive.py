r"""Adaptive learning rates per parameter: ``Adagrad``, ``RMSprop``, ``Adam`` (as ``torch.optim``).

Each keeps running statistics of the squared gradients in ``optimizer.state`` under PyTorch's
names (``sum``, ``square_avg``, ``exp_avg``, ``exp_avg_sq``, ``step``) and divides the step by
their square root. See chapter 8.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..._checks import (
    check_number,
)
from ..parameter import Parameter
from .optimizer import Optimizer

__all__ = ["Adagrad", "RMSprop", "Adam"]


class Adagrad(Optimizer):
    r"""Adagrad: each element's step is divided by the root of its summed squared gradients.

    .. math::
        s \leftarrow s + g^2,\qquad p \leftarrow p - \eta\, \frac{g}{\sqrt{s} + \epsilon}

    elementwise, :math:`s` starting at 0 (the lecture's ``cache``), as ``torch.optim.Adagrad``
    with ``lr_decay=0``. See chapter 8.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float, default 0.01
    eps : float, default 1e-10
        Added to the denominator, :math:`\epsilon \ge 0`.
    """

    _hyperparameters = ("lr", "eps")

    def __init__(self, params: Iterable[Parameter], lr: float = 0.01, eps: float = 1e-10) -> None:
        super().__init__(params, lr)
        self.eps = check_number(eps, "eps", 0.0)

    def _update(self, p: Parameter, state: dict) -> None:
        for s0, _, data, grad, total in self._blocks(
            p.data, p.grad, *self._buffers(state, p, "sum")
        ):
            total += np.square(grad, out=s0)  # s = s + g**2
            np.sqrt(total, out=s0)  # p -= lr * (g / (sqrt(s) + eps))
            s0 += self.eps
            np.divide(grad, s0, out=s0)
            s0 *= self.lr
            data -= s0


class RMSprop(Optimizer):
    r"""RMSprop: Adagrad with a leaky (exponentially weighted) average of squared gradients.

    .. math::
        v \leftarrow \alpha v + (1 - \alpha) g^2,\qquad
        p \leftarrow p - \eta\, \frac{g}{\sqrt{v} + \epsilon}

    elementwise, :math:`v` starting at 0 (the lecture's ``cache`` with
    ``decay_rate`` :math:`=\alpha`), as ``torch.optim.RMSprop`` with ``centered=False`` and
    ``momentum=0``. Because :math:`v_1 = (1-\alpha) g_1^2`, the first step has size about
    :math:`\eta / \sqrt{1 - \alpha}` (10 η for α = 0.99). See chapter 8.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float, default 0.01
    alpha : float, default 0.99
        Smoothing constant in [0, 1].
    eps : float, default 1e-8
    """

    _hyperparameters = ("lr", "alpha", "eps")

    def __init__(
        self, params: Iterable[Parameter], lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8
    ) -> None:
        super().__init__(params, lr)
        self.alpha = check_number(alpha, "alpha", 0.0, 1.0)
        self.eps = check_number(eps, "eps", 0.0)

    def _update(self, p: Parameter, state: dict) -> None:
        (square_avg,) = self._buffers(state, p, "square_avg")
        for s0, _, data, grad, v in self._blocks(p.data, p.grad, square_avg):
            np.square(grad, out=s0)  # v = alpha * v + (1 - alpha) * g**2
            s0 *= 1.0 - self.alpha
            v *= self.alpha
            v += s0
            np.sqrt(v, out=s0)  # p -= lr * (g / (sqrt(v) + eps))
            s0 += self.eps
            np.divide(grad, s0, out=s0)
            s0 *= self.lr
            data -= s0


class Adam(Optimizer):
    r"""Adam: momentum on the gradient and RMSprop on its square, both bias-corrected.

    At step :math:`t = 1, 2, \dots` (counted per parameter), elementwise:

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g,\qquad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2,

        \hat m = \frac{m}{1-\beta_1^t},\qquad \hat v = \frac{v}{1-\beta_2^t},\qquad
        p \leftarrow p - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}

    as ``torch.optim.Adam`` (no ``amsgrad``, no weight decay); :math:`\epsilon` is added
    *after* the square root. The lecture's "simplified" Adam is this without
    :math:`\hat m, \hat v`. See chapter 8.

    With :math:`c_1 = 1-\beta_1^t` and :math:`c_2 = 1-\beta_2^t`, the last step is
    computed as :math:`p \leftarrow p - \frac{\eta \sqrt{c_2}}{c_1}\,
    \frac{m}{\sqrt{v} + \epsilon \sqrt{c_2}}`: the same number (up to rounding) with the
    corrections as scalars, so no array is divided by them.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float, default 0.001
    betas : (float, float), default (0.9, 0.999)
        :math:`(\beta_1, \beta_2)`, each in [0, 1).
    eps : float, default 1e-8
    """

    _hyperparameters = ("lr", "betas", "eps")

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = tuple(
            check_number(b, f"betas[{i}]", 0.0, 1.0, high_open=True) for i, b in enumerate(betas)
        )
        self.eps = check_number(eps, "eps", 0.0)

    def _update(self, p: Parameter, state: dict) -> None:
        beta1, beta2 = self.betas
        t = state["step"] = state.get("step", 0) + 1
        # The bias corrections are scalars, so they move out of the elementwise work:
        # m_hat / (sqrt(v_hat) + eps) = (sqrt(c2) / c1) * m / (sqrt(v) + eps * sqrt(c2)).
        root_c2 = math.sqrt(1.0 - beta2**t)
        step_size = self.lr * root_c2 / (1.0 - beta1**t)
        eps = self.eps * root_c2
        moments = self._buffers(state, p, "exp_avg", "exp_avg_sq")
        for s0, s1, data, grad, m, v in self._blocks(p.data, p.grad, *moments):
            m *= beta1  # m = beta1 * m + (1 - beta1) * g
            m += np.multiply(grad, 1.0 - beta1, out=s0)
            np.multiply(grad, 1.0 - beta2, out=s0)  # v = beta2 * v + (1 - beta2) * g**2
            s0 *= grad
            v *= beta2
            v += s0
            np.sqrt(v, out=s1)  # p -= step_size * m / (sqrt(v) + eps)
            s1 += eps
            np.divide(m, s1, out=s0)
            s0 *= step_size
            data -= s0
