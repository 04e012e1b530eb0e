r"""Chapter 8: test landscapes of two variables, optimizer races, measured convergence rates.

A :class:`Landscape` bundles a function :math:`f(x_1, x_2)`, its gradient and Hessian, its
minimum (if any) and a plotting window. :func:`race` runs several optimizers from one start
with :func:`coursenn.nn.optim.optimize_path` and returns every path;
:func:`measured_rate` reads the linear convergence rate off a path;
:func:`heavy_ball_tuning` gives the learning rate and momentum that make heavy-ball momentum
converge at the optimal rate :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)` on a quadratic;
:func:`newton_step` is the lecture's :math:`x \leftarrow x - [Hf(x)]^{-1}\nabla f(x)`.

Typical use (chapter 8)::

    from coursenn.lab import optim_paths
    from coursenn.nn import optim
    land = optim_paths.quadratic(kappa=50)
    paths = optim_paths.race({"SGD": lambda ps: optim.SGD(ps, lr=0.02),
                              "Adam": lambda ps: optim.Adam(ps, lr=0.1)},
                             land, x0=[-1.5, 0.8], steps=100)

See chapter 8.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .._checks import ShapeError, as_array, check_ndim, check_number
from ..nn.optim import Optimizer, optimize_path
from ..nn.parameter import Parameter

__all__ = [
    "Landscape",
    "quadratic",
    "rosenbrock",
    "saddle",
    "race",
    "distances",
    "measured_rate",
    "heavy_ball_tuning",
    "newton_step",
]


@dataclass(frozen=True)
class Landscape:
    r"""A function of two variables with what an optimizer race needs.

    Attributes
    ----------
    name : str
        Short English name (plot titles).
    f : callable
        ``f(X, Y)`` elementwise on arrays of any equal shape (meshgrids for contours).
    grad : callable
        ``grad(x)`` for a point ``x`` of shape (2,): :math:`\nabla f(x)`, shape (2,).
    hessian : callable
        ``hessian(x)``: the (2, 2) matrix of second derivatives at ``x``.
    minimum : ndarray of shape (2,) or None
        The global minimiser, or None when ``f`` is unbounded below (a saddle).
    xlim, ylim : (float, float)
        A window that shows the interesting part.
    """

    name: str
    f: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    hessian: Callable[[np.ndarray], np.ndarray]
    minimum: np.ndarray | None
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def value(self, x) -> float:
        """:math:`f(x)` at one point ``x`` of shape (2,)."""
        x = as_array(x, "x")
        if x.shape != (2,):
            raise ShapeError(f"x must have shape (2,), got {x.shape}")
        return float(self.f(x[0], x[1]))


def quadratic(kappa: float = 50.0) -> Landscape:
    r"""The ill-conditioned bowl :math:`f = \tfrac12 (x_1^2 + \kappa x_2^2)`.

    Its Hessian is :math:`\mathrm{diag}(1, \kappa)`: curvatures :math:`m = 1` and
    :math:`L = \kappa`, condition number :math:`\kappa = L/m \ge 1`; minimum at 0.
    """
    kappa = check_number(kappa, "kappa", 1.0)
    scale = np.array([1.0, kappa])
    return Landscape(
        name=f"quadratic, kappa = {kappa:g}",
        f=lambda X, Y: 0.5 * (X**2 + kappa * Y**2),
        grad=lambda x: scale * x,
        hessian=lambda x: np.diag(scale),
        minimum=np.zeros(2),
        xlim=(-2.0, 2.0),
        ylim=(-1.0, 1.0),
    )


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Landscape:
    r"""Rosenbrock's banana valley :math:`f = (a - x_1)^2 + b (x_2 - x_1^2)^2`.

    Minimum :math:`f = 0` at :math:`(a, a^2)`, at the end of a long, curved, flat valley.
    """
    a = check_number(a, "a", -math.inf)
    b = check_number(b, "b", 0.0, low_open=True)

    def grad(x):
        x1, x2 = x
        return np.array([-2 * (a - x1) - 4 * b * x1 * (x2 - x1**2), 2 * b * (x2 - x1**2)])

    def hessian(x):
        x1, x2 = x
        return np.array([[2 - 4 * b * (x2 - 3 * x1**2), -4 * b * x1], [-4 * b * x1, 2 * b]])

    return Landscape(
        name="Rosenbrock",
        f=lambda X, Y: (a - X) ** 2 + b * (Y - X**2) ** 2,
        grad=grad,
        hessian=hessian,
        minimum=np.array([a, a * a]),
        xlim=(-2.0, 2.0),
        ylim=(-1.0, 3.0),
    )


def saddle() -> Landscape:
    r"""The saddle :math:`f = x_1^2 - x_2^2`: a minimum along :math:`x_1`, a maximum along
    :math:`x_2`, gradient 0 at the origin. Unbounded below (``minimum`` is None)."""
    sign = np.array([2.0, -2.0])
    return Landscape(
        name="saddle",
        f=lambda X, Y: X**2 - Y**2,
        grad=lambda x: sign * x,
        hessian=lambda x: np.diag(sign),
        minimum=None,
        xlim=(-1.5, 1.5),
        ylim=(-1.5, 1.5),
    )


def race(
    optimizers: Mapping[str, Callable[[list[Parameter]], Optimizer]],
    landscape: Landscape,
    x0,
    steps: int,
) -> dict[str, np.ndarray]:
    """Run every optimizer from the same start on the same landscape.

    Parameters
    ----------
    optimizers : mapping name -> factory
        Each factory takes ``[Parameter]`` and returns an optimizer (as
        :func:`coursenn.nn.optim.optimize_path` expects).
    landscape : Landscape
    x0 : array_like, shape (2,)
    steps : int

    Returns
    -------
    dict name -> ndarray of shape (steps + 1, 2)
        The paths, in the order of ``optimizers``.
    """
    if not isinstance(landscape, Landscape):
        raise TypeError(f"landscape must be a Landscape, got {type(landscape).__name__}")
    if not optimizers:
        raise ValueError("optimizers must hold at least one name -> factory entry, got none")
    return {
        name: optimize_path(factory, landscape.grad, x0, steps)
        for name, factory in optimizers.items()
    }


def distances(path, target) -> np.ndarray:
    r"""Euclidean distance :math:`\lVert x_t - x^\star\rVert` of every point of a path.

    ``path`` has shape (T, D), ``target`` shape (D,); returns shape (T,).
    """
    path = as_array(path, "path")
    check_ndim(path, 2, "path", shape_hint="(T, D)")
    target = as_array(target, "target")
    if target.shape != path.shape[1:]:
        raise ShapeError(
            f"target must have shape {path.shape[1:]} like a point, got {target.shape}"
        )
    return np.linalg.norm(path - target, axis=1)


def measured_rate(path, target, start: int, stop: int) -> float:
    r"""The linear convergence rate measured between steps ``start`` and ``stop``.

    .. math:: \hat\rho = \left(\frac{\lVert x_{stop} - x^\star\rVert}
              {\lVert x_{start} - x^\star\rVert}\right)^{1/(stop - start)}

    the geometric mean of the factor by which the distance to ``target`` shrinks per step
    (1: no progress, 0.5: halved every step). Oscillating paths (momentum) shrink unevenly
    from step to step: take a window of many steps.

    Raises
    ------
    ValueError
        Unless ``0 <= start < stop < len(path)`` and the distance at ``start`` is positive.
    """
    d = distances(path, target)
    if not (isinstance(start, int) and isinstance(stop, int) and 0 <= start < stop < len(d)):
        raise ValueError(
            f"start and stop must be ints with 0 <= start < stop < {len(d)}, "
            f"got {start!r}, {stop!r}"
        )
    if d[start] == 0:
        raise ValueError(f"the path is already at the target at step start={start}")
    return float((d[stop] / d[start]) ** (1.0 / (stop - start)))


def heavy_ball_tuning(m: float, L: float) -> tuple[float, float]:
    r"""The learning rate and momentum of Polyak's optimal heavy ball for curvatures in [m, L].

    .. math:: \eta = \frac{4}{(\sqrt L + \sqrt m)^2},\qquad
              \mu = \left(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\right)^2,\qquad \kappa = L/m

    With these, momentum (``SGD(lr=eta, momentum=mu)``) converges on any quadratic whose
    Hessian eigenvalues lie in [m, L] at the rate :math:`(\sqrt\kappa-1)/(\sqrt\kappa+1)`,
    while plain gradient descent at its best learning rate :math:`2/(m + L)` achieves
    :math:`(\kappa - 1)/(\kappa + 1)`.

    Returns
    -------
    (lr, momentum)
    """
    m = check_number(m, "m", 0.0, low_open=True)
    L = check_number(L, "L", m)
    root = np.sqrt(L / m)
    return 4.0 / (np.sqrt(L) + np.sqrt(m)) ** 2, ((root - 1.0) / (root + 1.0)) ** 2


def newton_step(landscape: Landscape, x) -> np.ndarray:
    r"""One Newton step :math:`x - [Hf(x)]^{-1} \nabla f(x)` (solved, not inverted).

    Returns the new point, shape (2,). On a quadratic with positive definite Hessian it is
    the minimum, whatever the start.
    """
    x = as_array(x, "x")
    if x.shape != (2,):
        raise ShapeError(f"x must have shape (2,), got {x.shape}")
    return x - np.linalg.solve(landscape.hessian(x), landscape.grad(x))
