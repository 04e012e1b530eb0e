r"""Stochastic gradient descent with (Nesterov) momentum and weight decay, as ``torch.optim.SGD``.

The lecture's momentum forms are the same updates
-------------------------------------------------
The lecture's velocity contains the learning rate, ``v = mu * v - learning_rate * dx;
x += v``; PyTorch's buffer does not, ``buf = mu * buf + g; p -= lr * buf`` (``buf = g`` on
the first step, the same as starting from ``buf = 0``). With a constant learning rate
:math:`\eta` the change of variable :math:`v_t = -\eta\, b_t` turns one into the other and
the parameters are the same numbers, :math:`x_t = p_t`.

Nesterov: the lecture first takes the gradient at a look-ahead point,
``x_ahead = x + mu * v; v = mu * v - learning_rate * dx_ahead; x += v``, then renames
``x_ahead`` to ``x``: ``v_prev = v; v = mu * v - learning_rate * dx;
x += -mu * v_prev + (1 + mu) * v``. PyTorch (``nesterov=True``) stores the look-ahead
point too: :math:`b_t = \mu b_{t-1} + g_t,\ p_t = p_{t-1} - \eta (g_t + \mu b_t)` with
:math:`g_t = \nabla f(p_{t-1})`. With :math:`v_t = -\eta b_t` the rewritten update is
:math:`-\mu v_{t-1} + (1+\mu) v_t = \mu v_t + (v_t - \mu v_{t-1}) = \mu v_t - \eta g_t
= -\eta (g_t + \mu b_t)`, PyTorch's. Hence, from the same start with :math:`v_0 = 0`,

.. math:: p_t = x^{\text{rewritten}}_t = x_t + \mu v_t,

where :math:`x_t` is the position in the first (look-ahead) form: ``p`` is not that
:math:`x` but the point where the next gradient is taken. Both correspondences need a
constant learning rate (when a schedule changes ``lr``, the lecture's :math:`v` carries the
old rate and PyTorch's buffer does not). ``tests/unit/test_optim.py`` checks the three
trajectories agree over 30 steps. See chapter 8.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..._checks import (
    check_number,
)
from ..parameter import Parameter
from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with (Nesterov) momentum and weight decay.

    With gradient :math:`g = \nabla_p L + \lambda p` (``weight_decay`` :math:`\lambda`):

    .. math::
        b_t = \mu b_{t-1} + g_t \;(b_1 = g_1),\qquad
        p \leftarrow p - \eta \begin{cases} g_t & \mu = 0\\ b_t & \text{momentum}\\
        g_t + \mu b_t & \text{Nesterov} \end{cases}

    as ``torch.optim.SGD`` (``dampening=0``). The lecture's ``v = mu * v - lr * dx;
    x += v`` is the same update with :math:`v = -\eta b`; for Nesterov ``p`` is the
    lecture's look-ahead point (see the module docstring). See chapter 8.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float
        Learning rate :math:`\eta \ge 0`.
    momentum : float, default 0
        :math:`\mu \ge 0`; 0 gives plain gradient descent :math:`p \leftarrow p - \eta g`.
    nesterov : bool, default False
        Use Nesterov momentum (needs ``momentum > 0``).
    weight_decay : float, default 0
        L2 penalty :math:`\lambda \ge 0`, added to the gradient as :math:`\lambda p`.
    """

    _hyperparameters = ("lr", "momentum", "nesterov", "weight_decay")

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = check_number(momentum, "momentum", 0.0)
        self.weight_decay = check_number(weight_decay, "weight_decay", 0.0)
        if nesterov and self.momentum == 0.0:
            raise ValueError(f"nesterov=True needs momentum > 0, got momentum={momentum!r}")
        self.nesterov = bool(nesterov)

    def _update(self, p: Parameter, state: dict) -> None:
        mu, lr, decay = self.momentum, self.lr, self.weight_decay
        first = mu and "momentum_buffer" not in state
        buffers = self._buffers(state, p, "momentum_buffer") if mu else []
        for s0, s1, data, grad, *buf in self._blocks(p.data, p.grad, *buffers):
            g = grad
            if decay:  # g = grad + decay * data
                g = np.multiply(data, decay, out=s0)
                g += grad
            step = g
            if mu:
                (b,) = buf
                if first:  # b_1 = g_1
                    b[...] = g
                else:  # b = mu * b + g
                    b *= mu
                    b += g
                step = b
                if self.nesterov:  # g + mu * b
                    step = np.multiply(b, mu, out=s1)
                    step += g
            np.multiply(step, lr, out=s1)
            data -= s1
