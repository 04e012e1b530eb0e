"""An optimizer race drawn on its landscape: contours and every path, up to a step.

Typical use (chapter 8)::

    from coursenn.lab import optim_paths
    from coursenn.plotting.race import plot_race
    paths = optim_paths.race(optimizers, land, x0=[-1.5, 0.8], steps=80)
    plot_race(land, paths, upto=40)          # the first 40 steps of every path

Takes ``ax=None`` (a new figure is made), draws on it and returns it; never calls
``plt.show()`` or changes rcParams. Labels are English. See chapter 8.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from .._checks import ShapeError, as_array
from ._common import axes_or_new
from .landscape import plot_loss_contours, plot_optimizer_path

__all__ = ["RACE_COLORS", "plot_race"]

#: One colour per optimizer, in the order the chapter lists them
#: (SGD, momentum, Nesterov, Adagrad, RMSprop, Adam); more paths reuse them.
RACE_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")


def plot_race(
    landscape,
    paths: Mapping[str, np.ndarray],
    upto: int | None = None,
    *,
    levels: int | Sequence[float] = 20,
    log_levels: bool = True,
    resolution: int = 120,
    colors: Sequence[str] = RACE_COLORS,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Contours of ``landscape.f`` and each path's first ``upto`` steps.

    Parameters
    ----------
    landscape : coursenn.lab.optim_paths.Landscape
        Supplies ``f``, ``xlim``, ``ylim`` and the minimum (marked with a black ``+``).
    paths : mapping name -> array of shape (T, 2)
        As returned by :func:`coursenn.lab.optim_paths.race`.
    upto : int, optional
        Draw points ``0 .. upto`` of every path (default: all). Points outside the window are
        clipped by the axes (a diverging path leaves the picture).
    levels, log_levels, resolution
        As :func:`coursenn.plotting.landscape.plot_loss_contours`; ``log_levels`` needs
        ``f > 0`` somewhere (set it False for a saddle). The default grid of 120 points per
        axis is enough for smooth contours and quick to draw (scrubbers draw many frames).
    colors : sequence of str
        Colours of the paths, cycled.
    legend : bool
        Add a legend with the names.
    ax : Axes, optional

    Returns
    -------
    ax : Axes
    """
    if not paths:
        raise ValueError("paths must hold at least one name -> path entry, got none")
    if upto is not None and (
        isinstance(upto, bool) or not isinstance(upto, (int, np.integer)) or upto < 0
    ):
        raise ValueError(f"upto must be None or an int >= 0, got {upto!r}")
    ax = axes_or_new(ax)
    plot_loss_contours(
        landscape.f,
        landscape.xlim,
        landscape.ylim,
        levels=levels,
        log_levels=log_levels,
        resolution=resolution,
        ax=ax,
    )
    for k, (name, path) in enumerate(paths.items()):
        path = as_array(path, f"paths[{name!r}]")
        if path.ndim != 2 or path.shape[1] != 2:
            raise ShapeError(f"paths[{name!r}] must have shape (T, 2), got {path.shape}")
        shown = path if upto is None else path[: upto + 1]
        plot_optimizer_path(shown, ax=ax, label=name, color=colors[k % len(colors)], markersize=2.0)
    if landscape.minimum is not None:
        ax.plot(*landscape.minimum, "k+", markersize=12, markeredgewidth=2, zorder=6)
    ax.set_xlim(*landscape.xlim)
    ax.set_ylim(*landscape.ylim)
    if legend:
        ax.legend(loc="lower right", fontsize=8, ncol=2)
    return ax
