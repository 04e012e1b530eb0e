r"""Loss landscapes of two parameters and the paths optimizers take across them.

Typical use (chapters 6 and 8)::

    from coursenn.nn.optim import SGD, optimize_path
    from coursenn.plotting.landscape import plot_loss_contours, plot_optimizer_path

    f = lambda X, Y: 0.5 * (X**2 + 50 * Y**2)
    grad = lambda x: np.array([1.0, 50.0]) * x
    ax = plot_loss_contours(f, (-1.5, 1.5), (-1.5, 1.5), log_levels=True)
    path = optimize_path(lambda ps: SGD(ps, lr=0.035), grad, [1.0, 1.0], steps=50)
    plot_optimizer_path(path, ax=ax, label="SGD")
    ax.legend()

Every function takes ``ax=None`` (a new figure is made when it is None), draws on it and
returns it. None calls ``plt.show()`` or changes global rcParams. Labels are English.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes

from .._checks import ShapeError, as_array, check_ndim, check_positive_int
from ._common import axes_or_new

__all__ = ["plot_loss_contours", "plot_optimizer_path"]


def _check_limits(lim, name: str) -> tuple[float, float]:
    """Return ``lim`` as ``(low, high)`` floats, raising ``ValueError`` unless low < high."""
    values = np.asarray(lim, dtype=np.float64)
    if values.shape != (2,) or not np.all(np.isfinite(values)) or values[0] >= values[1]:
        raise ValueError(
            f"{name} must be a pair (low, high) of finite numbers, low < high, got {lim!r}"
        )
    return float(values[0]), float(values[1])


def plot_loss_contours(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    levels: int | Sequence[float] = 20,
    log_levels: bool = False,
    resolution: int = 200,
    filled: bool = False,
    cmap: str = "viridis",
    ax: Axes | None = None,
) -> Axes:
    r"""Contour lines of a loss :math:`L(x_1, x_2)` of two parameters.

    Parameters
    ----------
    f : callable
        Takes the meshgrid arrays ``X, Y``, both of shape (resolution, resolution), and
        returns ``Z`` of the same shape, elementwise: ``f = lambda X, Y: X**2 + 10 * Y**2``.
    xlim, ylim : (float, float)
        Range of :math:`x_1` (horizontal) and :math:`x_2` (vertical).
    levels : int or sequence of float, default 20
        About how many contour lines (matplotlib picks round values), or their values.
    log_levels : bool, default False
        With an int ``levels``, space the lines geometrically between the smallest positive
        and the largest value of ``Z`` instead of evenly: the narrow valleys of
        ill-conditioned losses then show lines near the minimum too. Needs ``Z > 0``
        somewhere.
    resolution : int, default 200
        Grid points along each axis.
    filled : bool, default False
        Draw filled contours (``contourf``) under thin lines.
    cmap : str, default "viridis"
    ax : Axes, optional

    Returns
    -------
    ax : Axes
        With axis labels :math:`x_1`, :math:`x_2`, limits ``xlim`` and ``ylim``. Call
        ``ax.set_aspect("equal")`` to see the true angles (gradients cross contours at right
        angles only then). See chapters 6 and 8.
    """
    x_low, x_high = _check_limits(xlim, "xlim")
    y_low, y_high = _check_limits(ylim, "ylim")
    resolution = check_positive_int(resolution, "resolution")
    X, Y = np.meshgrid(
        np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution)
    )
    Z = as_array(f(X, Y), "f(X, Y)")
    if Z.shape != X.shape:
        raise ShapeError(
            f"f(X, Y) must return an array of shape {X.shape} like the meshgrid X and Y, "
            f"got {Z.shape}"
        )
    if log_levels:
        if not isinstance(levels, (int, np.integer)) or isinstance(levels, bool):
            raise ValueError(f"log_levels=True needs an int levels, got {levels!r}")
        positive = Z[Z > 0]
        if positive.size == 0:
            raise ValueError("log_levels=True needs f(X, Y) > 0 somewhere, got no positive value")
        levels = np.geomspace(positive.min(), positive.max(), int(levels))
    ax = axes_or_new(ax)
    if filled:
        ax.contourf(X, Y, Z, levels=levels, cmap=cmap, alpha=0.6)
        ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.4, alpha=0.5)
    else:
        ax.contour(X, Y, Z, levels=levels, cmap=cmap, linewidths=1.0)
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def plot_optimizer_path(
    path,
    ax: Axes | None = None,
    label: str | None = None,
    *,
    color: str | None = None,
    marker: str = "o",
    markersize: float = 3.0,
) -> Axes:
    """Draw an optimizer's trajectory: points joined by lines, start and end marked.

    The start is a large hollow circle, the end a star, and an arrow on the first step
    shows the direction of travel.

    Parameters
    ----------
    path : array_like, shape (T, 2)
        ``path[t]`` is the point after ``t`` steps, as returned by
        :func:`coursenn.nn.optim.optimize_path`; T >= 1.
    ax : Axes, optional
    label : str, optional
        Legend entry of the line (call ``ax.legend()`` yourself).
    color : str, optional
        Defaults to the next colour of the Axes' cycle.
    marker : str, default "o"
        Marker of the intermediate points.
    markersize : float, default 3

    Returns
    -------
    ax : Axes
        See chapters 6 and 8.
    """
    path = as_array(path, "path")
    check_ndim(path, 2, "path", shape_hint="(T, 2)")
    if path.shape[0] < 1 or path.shape[1] != 2:
        raise ShapeError(f"path must have shape (T, 2) with T >= 1, got {path.shape}")
    ax = axes_or_new(ax)
    (line,) = ax.plot(
        path[:, 0],
        path[:, 1],
        marker=marker,
        markersize=markersize,
        linewidth=1.2,
        color=color,
        label=label,
        zorder=3,
    )
    color = line.get_color()
    ax.plot(*path[0], marker="o", markersize=9, markerfacecolor="none", color=color, zorder=4)
    ax.plot(*path[-1], marker="*", markersize=12, markeredgecolor="k", color=color, zorder=4)
    moves = np.flatnonzero(np.any(np.diff(path, axis=0) != 0, axis=1))
    if moves.size:  # an arrow on the first step that moves
        t = moves[0]
        ax.annotate(
            "",
            xy=path[t + 1],
            xytext=path[t],
            arrowprops={"arrowstyle": "->", "color": color, "lw": 1.6},
            zorder=5,
        )
    return ax
