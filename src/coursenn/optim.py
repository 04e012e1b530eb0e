r"""Optimizers with the same update rules as ``torch.optim`` (schedules: :mod:`coursenn.schedules`).

After ``backward`` has written every ``p.grad``, ``step()`` changes every ``p.data`` **in
place** (the array object stays the same, so the layers see the new values) and
``zero_grad()`` sets every ``p.grad`` to zeros. What an optimizer remembers between steps
lives in ``optimizer.state``, a dict keyed by ``id(p)`` (never on the layers), under
PyTorch's names: ``momentum_buffer``, ``sum``, ``square_avg``, ``exp_avg``, ``exp_avg_sq``,
``step``. Each update is the one ``torch.optim`` computes with the same hyperparameters and
its defaults (``dampening=0``, no ``amsgrad``, RMSprop ``centered=False, momentum=0``,
Adagrad ``lr_decay=0, initial_accumulator_value=0``), written as in PyTorch's documented
pseudo-code, so results agree up to floating-point rounding.

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

In place, in cache-sized blocks
-------------------------------
``step()`` allocates nothing per step: every update writes through ``out=`` into the
parameter, its state arrays (created once, then changed in place: copy them to keep a
history) and two scratch blocks. Large parameters are updated in flat blocks of
``BLOCK`` elements, so that the handful of arrays an update touches stays in the CPU cache
between its operations. The arithmetic is the formula's, operation by operation, so the
numbers are the same as the plain NumPy expressions in the docstrings, with one exception:
Adam folds its two bias corrections into scalars (as PyTorch does), which is the same
formula with different rounding, within a few units in the last place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from ._checks import (
    ShapeError,
    as_array,
    check_method,
    check_ndim,
    check_number,
    check_positive_int,
)
from .parameter import Parameter
from .schedules import ExponentialLR, InverseTimeLR, LRScheduler, ReduceLROnPlateau, StepLR

BLOCK = 1 << 15  # elements per block: a few float64 blocks of 256 KiB fit a core's L2 cache

__all__ = [
    "Optimizer",
    "OptimizerWrapper",
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adam",
    "LRScheduler",
    "StepLR",
    "ReduceLROnPlateau",
    "ExponentialLR",
    "InverseTimeLR",
    "optimize_path",
]


class Optimizer:
    """Base class: holds the parameters, the learning rate ``lr`` and the per-parameter state.

    A subclass only writes ``_update(p, state)``, the rule for one parameter.

    Parameters
    ----------
    params : iterable of Parameter
        For example ``model.parameters()``. Materialised to the list ``self.params``.
    lr : float
        Learning rate, >= 0. A plain attribute: schedules (or you) may change it between steps.
    """

    _hyperparameters: tuple[str, ...] = ("lr",)

    def __init__(self, params: Iterable[Parameter], lr: float) -> None:
        try:
            params = list(params)
        except TypeError:
            raise TypeError(
                f"params must be an iterable of Parameter (e.g. model.parameters()), "
                f"got {type(params).__name__}"
            ) from None
        if not params:
            raise ValueError("params must hold at least one Parameter, got an empty list")
        for i, p in enumerate(params):
            if not isinstance(p, Parameter):
                raise TypeError(f"params[{i}] must be a Parameter, got {type(p).__name__}")
        if len({id(p) for p in params}) != len(params):
            raise ValueError("params must not hold the same Parameter twice")
        self.params: list[Parameter] = params
        self.lr = lr
        self.state: dict[int, dict] = {}
        self._scratch = np.empty((2, min(BLOCK, max(p.size for p in params))))  # see _blocks

    @property
    def lr(self) -> float:
        """The learning rate, a finite number >= 0, checked whenever it is set."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_number(value, "lr", 0.0)

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to zeros (call it before each ``backward``)."""
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        """Update every ``p.data`` in place from ``p.grad`` (one optimisation step)."""
        for p in self.params:
            if not isinstance(p.grad, np.ndarray):
                raise TypeError(
                    f"grad of {p!r} must be an array like its data, got "
                    f"{type(p.grad).__name__}: run backward (which writes every .grad) "
                    "before step()"
                )
            if p.grad.shape != p.data.shape:
                raise ShapeError(
                    f"grad of {p!r} must have shape {p.data.shape} like its data, "
                    f"got {p.grad.shape}"
                )
            self._update(p, self.state.setdefault(id(p), {}))

    def _update(self, p: Parameter, state: dict) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define _update(p, state)")

    def _blocks(self, *arrays: np.ndarray) -> Iterable[tuple[np.ndarray, ...]]:
        """Matching blocks of same-shape arrays, after two scratch blocks of their size.

        Yields ``(s0, s1, block_0, block_1, ...)``; the blocks are views, so writing into
        them writes into ``arrays``. An array of at most ``BLOCK`` elements is one block;
        larger ones are cut into flat blocks of ``BLOCK`` elements (when they are not all
        C-contiguous, a flat view would be a copy: they come whole, with new scratch arrays).
        """
        shape, size = arrays[0].shape, arrays[0].size
        if size > BLOCK and all(a.flags.c_contiguous for a in arrays):
            return self._flat_blocks([a.reshape(-1) for a in arrays])
        if size > self._scratch.shape[1]:
            if size <= BLOCK:  # p.data was replaced by a larger array
                self._scratch = np.empty((2, size))
            else:
                return [(np.empty(shape), np.empty(shape), *arrays)]
        scratch = self._scratch[:, :size]
        return [(scratch[0].reshape(shape), scratch[1].reshape(shape), *arrays)]

    def _flat_blocks(self, flat: list[np.ndarray]) -> Iterator[tuple[np.ndarray, ...]]:
        size = flat[0].size
        for start in range(0, size, BLOCK):
            n = min(BLOCK, size - start)
            s0, s1 = self._scratch[0, :n], self._scratch[1, :n]
            yield (s0, s1, *(f[start : start + n] for f in flat))

    def _buffers(self, state: dict, p: Parameter, *names: str) -> list[np.ndarray]:
        """The state arrays ``names`` of ``p``, created as zeros on its first step."""
        for name in names:
            if name not in state:
                state[name] = np.zeros_like(p.data)
        return [state[name] for name in names]

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._hyperparameters)
        return f"{type(self).__name__}({args})"


class OptimizerWrapper:
    """An optimizer that wraps another one and changes what ``step()`` does around it.

    ``lr`` reads and writes the wrapped optimizer's (so schedules work on the wrapper),
    ``zero_grad()`` is the wrapped one's, and ``step()`` calls the wrapped ``step()``; a
    subclass adds its work before or after. See :class:`coursenn.regularization.Regularized`
    and :class:`coursenn.ensembles.ParameterAverage` (chapter 10).
    """

    def __init__(self, optimizer) -> None:
        check_method(optimizer, ("zero_grad", "step"), "optimizer")
        self.optimizer = optimizer

    @property
    def lr(self) -> float:
        return self.optimizer.lr

    @lr.setter
    def lr(self, value: float) -> None:
        self.optimizer.lr = value

    def zero_grad(self) -> None:
        self.optimizer.zero_grad()

    def step(self) -> None:
        self.optimizer.step()


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


def optimize_path(
    optimizer_factory: Callable[[list[Parameter]], Optimizer],
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x0,
    steps: int,
) -> np.ndarray:
    r"""Run an optimizer on a function of a few variables and return every point it visits.

    Parameters
    ----------
    optimizer_factory : callable
        Takes the list ``[Parameter]`` holding the point and returns an optimizer, e.g.
        ``lambda params: SGD(params, lr=0.03, momentum=0.9)`` or
        ``functools.partial(Adam, lr=0.1)``.
    grad_fn : callable
        Maps a point, shape (D,), to the gradient :math:`\nabla f` there, shape (D,).
        It receives a copy, so changing it cannot move the optimizer's point.
    x0 : array_like, shape (D,)
        Starting point (D = 2 for :func:`coursenn.plotting.landscape.plot_optimizer_path`).
    steps : int
        Number of optimizer steps, >= 1.

    Returns
    -------
    path : ndarray, shape (steps + 1, D)
        ``path[0] = x0`` and ``path[t]`` the point after ``t`` steps.

    See chapters 6 and 8.
    """
    for f, name in ((optimizer_factory, "optimizer_factory"), (grad_fn, "grad_fn")):
        if not callable(f):
            raise TypeError(f"{name} must be callable, got {type(f).__name__}")
    x0 = as_array(x0, "x0")
    check_ndim(x0, 1, "x0", shape_hint="(D,)")
    steps = check_positive_int(steps, "steps")
    point = Parameter(x0, name="x")
    optimizer = optimizer_factory([point])
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer_factory must return a coursenn.optim Optimizer, "
            f"got {type(optimizer).__name__}"
        )
    path = np.empty((steps + 1, x0.size))
    path[0] = x0
    for t in range(1, steps + 1):
        grad = as_array(grad_fn(point.data.copy()), "grad_fn(x)")
        if grad.shape != x0.shape:
            raise ShapeError(f"grad_fn(x) must have shape {x0.shape} like x0, got {grad.shape}")
        point.grad = grad
        optimizer.step()
        path[t] = point.data
    return path
