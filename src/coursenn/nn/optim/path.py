r"""``optimize_path``: run an optimizer on a function of a few variables, keep every point.

The paths chapters 6 and 8 draw on a loss surface. See chapters 6 and 8.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..._checks import (
    ShapeError,
    as_array,
    check_ndim,
    check_positive_int,
)
from ..parameter import Parameter
from .optimizer import Optimizer

__all__ = ["optimize_path"]


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
            f"optimizer_factory must return a coursenn.nn.optim Optimizer, "
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
