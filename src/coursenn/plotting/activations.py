"""Pictures of activation functions and their derivatives. See chapter 2."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.axes import Axes

from ._common import axes_or_new

__all__ = ["plot_activation"]


def plot_activation(
    f: Callable[[np.ndarray], np.ndarray],
    df: Callable[[np.ndarray], np.ndarray] | None = None,
    ax: Axes | None = None,
    *,
    xlim: tuple[float, float] = (-5.0, 5.0),
    name: str | None = None,
    resolution: int = 401,
) -> Axes:
    r"""Draw :math:`f(x)` (solid) and, if given, :math:`f'(x)` (dashed) on ``xlim``.

    ``f`` and ``df`` map an array of x values to an array of the same shape, e.g.
    ``plot_activation(activations.sigmoid, activations.sigmoid_grad)``. Axes through the
    origin are drawn thin and grey; the legend names the curves ``name`` and ``name'``.
    """
    lo, hi = float(xlim[0]), float(xlim[1])
    if not lo < hi:
        raise ValueError(f"xlim must be (low, high) with low < high, got {xlim}")
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    label = name or getattr(f, "__name__", "f")
    ax = axes_or_new(ax)
    x = np.linspace(lo, hi, resolution)
    ax.axhline(0.0, color="0.7", lw=0.8)
    ax.axvline(0.0, color="0.7", lw=0.8)
    ax.plot(x, f(x), lw=2, label=label)
    if df is not None:
        ax.plot(x, df(x), lw=1.5, ls="--", label=f"{label}'")
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.legend(loc="best", fontsize=9)
    return ax
