"""Basic pictures: points, decision regions, one neuron, a network diagram.

Every function takes ``ax=None`` (a new figure is made when it is None), draws on it and
returns it. None calls ``plt.show()`` or changes global rcParams. Labels are English so no
CJK font is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from .._checks import ShapeError, as_array, check_ndim
from ..nn import activations as act
from ._common import axes_or_new

__all__ = [
    "CLASS_COLORS",
    "plot_points",
    "plot_decision_regions",
    "plot_linear_unit",
    "draw_network",
]

#: One colour per class (colour-blind safe: blue, orange, green, pink).
CLASS_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#e377c2")
_MARKERS = ("o", "s", "^", "D")


def plot_points(
    X, y, ax: Axes | None = None, *, labels: Sequence[str] | None = None, size: float = 30
) -> Axes:
    """Scatter 2-D points ``X`` (N, 2) coloured and shaped by class ``y`` (N,).

    ``y`` may hold class indices 0, 1, ... or ±1 targets (-1 is drawn as class 0).
    """
    X = as_array(X, "X")
    check_ndim(X, 2, "X", shape_hint="(N, 2)")
    if X.shape[1] != 2:
        raise ShapeError(f"X must have shape (N, 2), got {X.shape}")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ShapeError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    ax = axes_or_new(ax)
    classes = np.unique(y)
    for k, cls in enumerate(classes):
        mask = y == cls
        label = labels[k] if labels is not None else f"y = {cls:g}"
        ax.scatter(
            X[mask, 0],
            X[mask, 1],
            s=size,
            c=CLASS_COLORS[k % 4],
            marker=_MARKERS[k % 4],
            edgecolors="k",
            linewidths=0.6,
            label=label,
            zorder=3,
        )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def plot_decision_regions(
    predict: Callable[[np.ndarray], np.ndarray],
    X=None,
    y=None,
    ax: Axes | None = None,
    *,
    xlim=(-3.0, 3.0),
    ylim=(-3.0, 3.0),
    resolution: int = 200,
) -> Axes:
    """Shade the plane by the class ``predict`` gives each point, then draw ``X, y`` on top.

    ``predict`` maps an array of shape (M, 2) to M class labels (integers or ±1).
    """
    ax = axes_or_new(ax)
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    zz = np.asarray(predict(grid)).reshape(xx.shape)
    classes = (
        np.unique(zz) if y is None else np.unique(np.concatenate([np.unique(zz), np.unique(y)]))
    )
    index = np.searchsorted(classes, zz)
    cmap = ListedColormap([CLASS_COLORS[k % 4] for k in range(len(classes))])
    ax.contourf(xx, yy, index, levels=np.arange(len(classes) + 1) - 0.5, cmap=cmap, alpha=0.25)
    if X is not None and y is not None:
        plot_points(X, y, ax)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return ax


def plot_linear_unit(
    w,
    b: float,
    X=None,
    y=None,
    ax: Axes | None = None,
    *,
    activation: str = "sigmoid",
    lim: float = 3.0,
) -> Axes:
    r"""Picture of one neuron :math:`a = f(\mathbf w^\top \mathbf x + b)` on the plane.

    The background shows the activation ``a`` (sigmoid: 0 to 1; sign: -1 or +1); the solid
    line is the decision boundary :math:`\mathbf w^\top \mathbf x + b = 0`; the arrow is
    :math:`\mathbf w`, which points towards the side where the unit fires.
    """
    w = as_array(w, "w")
    if w.shape != (2,):
        raise ShapeError(f"w must have shape (2,), got {w.shape}")
    functions = {"sigmoid": act.sigmoid, "sign": act.sign, "tanh": act.tanh}
    if activation not in functions:
        raise ValueError(f"activation must be one of {sorted(functions)}, got {activation!r}")
    ax = axes_or_new(ax)
    grid = np.linspace(-lim, lim, 201)
    xx, yy = np.meshgrid(grid, grid)
    a = functions[activation](w[0] * xx + w[1] * yy + b)
    vmin = 0.0 if activation == "sigmoid" else -1.0
    ax.imshow(
        a,
        extent=(-lim, lim, -lim, lim),
        origin="lower",
        cmap="RdBu_r",
        vmin=vmin,
        vmax=1.0,
        alpha=0.55,
        interpolation="bilinear",
    )
    if np.any(w != 0):
        ax.contour(xx, yy, w[0] * xx + w[1] * yy + b, levels=[0.0], colors="k", linewidths=2)
        foot = -b * w / np.dot(w, w)  # the point of the boundary closest to the origin
        if np.all(np.abs(foot) < lim):
            ax.annotate(
                "",
                xy=foot + w / np.linalg.norm(w),
                xytext=foot,
                arrowprops={"arrowstyle": "->", "lw": 2, "color": "k"},
            )
    if X is not None and y is not None:
        plot_points(X, y, ax)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_title(f"w = ({w[0]:.2g}, {w[1]:.2g}), b = {b:.2g}")
    return ax


def draw_network(
    layer_sizes: Sequence[int], ax: Axes | None = None, *, layer_names: Sequence[str] | None = None
) -> Axes:
    """Draw a fully connected feedforward network: circles for neurons, lines for weights.

    ``layer_sizes = (3, 4, 4, 1)`` draws an input layer of 3, two hidden layers of 4 and
    one output neuron. Each layer is labelled with its size and its parameter count
    :math:`(M_{l-1} + 1) M_l`.
    """
    if any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) for s in layer_sizes):
        raise ValueError(f"layer_sizes must be integers, got {list(layer_sizes)}")
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(
            f"layer_sizes must list at least two positive sizes, got {list(layer_sizes)}"
        )
    if layer_names is not None and len(layer_names) != len(sizes):
        raise ValueError(
            f"layer_names must have {len(sizes)} entries (one per layer), got {len(layer_names)}"
        )
    ax = axes_or_new(ax, figsize=(1.6 * len(sizes) + 1, 3.2))
    top = max(sizes)

    def ys(n: int) -> np.ndarray:
        return (np.arange(n) - (n - 1) / 2) * 1.0

    for layer in range(1, len(sizes)):
        for y0 in ys(sizes[layer - 1]):
            for y1 in ys(sizes[layer]):
                ax.plot([layer - 1, layer], [y0, y1], color="0.6", lw=0.8, zorder=1)
    for layer, n in enumerate(sizes):
        color = "#cfe2f3" if layer == 0 else ("#f4cccc" if layer == len(sizes) - 1 else "#d9ead3")
        ax.scatter(np.full(n, layer), ys(n), s=420, c=color, edgecolors="k", zorder=2)
        if layer_names is not None:
            name = layer_names[layer]
        elif layer == 0:
            name = "input"
        else:
            name = "output" if layer == len(sizes) - 1 else f"hidden {layer}"
        caption = f"{name}\n{_plural(n, 'unit')}"
        if layer > 0:
            caption += f"\n{_plural((sizes[layer - 1] + 1) * n, 'param')}"
        ax.text(layer, -top / 2 - 0.6, caption, ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-top / 2 - 1.9, top / 2 + 0.5)
    ax.axis("off")
    return ax


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
