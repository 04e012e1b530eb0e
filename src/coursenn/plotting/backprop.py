r"""Pictures of backpropagation: a graph's backward pass gate by gate, long graphs in two rows,
and the error of finite differences against the step.

* :func:`gates` lists a graph's gates in the order backward visits them, and
  :func:`partial_backward` runs only the first ``n`` gates of a :class:`~coursenn.nn.engine.Value`
  graph's backward pass (what the picture of step ``n`` shows);
* :func:`graph_view` copies the part of a graph above a cut node, the cut node becoming a leaf
  (data and gradients are copied, nothing is recomputed);
* :func:`draw_graph_split` draws a long graph in two rows (the subgraph that makes the cut
  node, then the rest), so that it fits the width of the book;
* :func:`plot_difference_errors` draws what
  :func:`coursenn.lab.gradcheck_practice.difference_errors` returns.

Every drawing function takes ``ax=None`` (a new figure is made when it is None), draws on it
and returns what it drew on. None calls ``plt.show()`` or changes global rcParams; labels are
English. See chapter 5.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import LogLocator

from .._checks import ShapeError, as_array
from ..nn.engine import Value
from ._common import axes_or_new
from .graph import draw_graph
from .style import BOOK_WIDTH

__all__ = ["gates", "partial_backward", "graph_view", "draw_graph_split", "plot_difference_errors"]


def _check_value(root, name: str = "root") -> None:
    if not isinstance(root, Value):
        raise TypeError(f"{name} must be a coursenn.nn.engine.Value, got {type(root).__name__}")


def gates(root: Value) -> list[Value]:
    """The outputs of every gate of ``root``'s graph, in the order backward visits them."""
    _check_value(root)
    return [v for v in reversed(root.topological_order()) if v._prev]


def partial_backward(root: Value, n_gates: int) -> list[Value]:
    r"""Run the first ``n_gates`` gates of ``root``'s backward pass, from a clean start.

    Every gradient in the graph is set to 0, then :math:`\partial\,\text{root}/\partial\,
    \text{root} = 1`, then the gates hand their gradients back one at a time, in the order
    :meth:`Value.backward` uses (reverse topological order). With ``n_gates`` equal to the
    number of gates the gradients are those of ``root.backward()`` on a fresh graph; before
    that, the values the pass has not reached yet still hold 0.

    Parameters
    ----------
    root : Value
    n_gates : int
        0 ... number of gates (operations) in the graph.

    Returns
    -------
    list of Value
        The outputs of the gates that ran, in order (the last one is the gate of this step).

    See chapter 5.
    """
    order = gates(root)
    if isinstance(n_gates, bool) or not isinstance(n_gates, (int, np.integer)):
        raise TypeError(f"n_gates must be an int, got {type(n_gates).__name__}")
    if not 0 <= n_gates <= len(order):
        raise ValueError(f"n_gates must be in [0, {len(order)}] (the graph's gates), got {n_gates}")
    root.zero_grad()
    root.grad = 1.0
    for node in order[:n_gates]:
        node._backward()
    return order[:n_gates]


def graph_view(root: Value, cut: Value | None = None) -> Value:
    """A copy of ``root``'s graph in which ``cut`` is a leaf (its own inputs are left out).

    Labels, operations, ``data`` and ``grad`` are copied as they are now; nothing is
    recomputed. With ``cut=None`` the whole graph is copied. Used to draw a long graph in
    parts (:func:`draw_graph_split`). See chapter 5.

    Raises
    ------
    ValueError
        If ``cut`` is not part of ``root``'s graph.
    """
    _check_value(root)
    order = root.topological_order()
    if cut is not None:
        _check_value(cut, "cut")
        if not any(v is cut for v in order):
            raise ValueError("cut must be a value of root's graph (one root depends on)")
    copies: dict[int, Value] = {}
    for v in order:  # parents come first
        leaf = v is cut or not v._prev
        prev = () if leaf else tuple(copies[id(p)] for p in v._prev)
        copy = Value(v.data, v.label, _prev=prev, op="" if leaf else v.op)
        copy.grad = v.grad
        copies[id(v)] = copy
    return copies[id(root)]


def draw_graph_split(
    root: Value, cut: Value, ax: Axes | None = None, *, show_grad: bool = True
) -> tuple[Axes, Axes]:
    """Draw ``root``'s graph in two rows: the subgraph that makes ``cut``, then the rest.

    The top row is the graph of ``cut`` (its inputs up to ``cut``); the bottom row starts
    again from ``cut``, now drawn as a leaf, and goes on to ``root``. Both rows are drawn at
    the same scale, left-aligned, so one long chain fits the book's width. ``ax`` is switched
    off and holds the two rows as inset Axes.

    Parameters
    ----------
    root : Value
    cut : Value
        A value of ``root``'s graph where the picture wraps to the second row.
    ax : Axes, optional
        A new figure ``BOOK_WIDTH`` wide is made when it is None.
    show_grad : bool, default True

    Returns
    -------
    (top, bottom) : tuple of Axes

    See chapter 5.
    """
    _check_value(root)
    _check_value(cut, "cut")
    view = graph_view(root, cut)  # raises if cut is not in the graph
    if ax is None:
        _, ax = plt.subplots(figsize=(BOOK_WIDTH, 4.6))
    ax.axis("off")
    top = ax.inset_axes((0.0, 0.5, 1.0, 0.5))
    bottom = ax.inset_axes((0.0, 0.0, 1.0, 0.5))
    draw_graph(cut, ax=top, show_grad=show_grad)
    draw_graph(view, ax=bottom, show_grad=show_grad)
    # the same scale in both rows: give both the larger extent, keep the left edges
    width = max(np.ptp(a.get_xlim()) for a in (top, bottom))
    height = max(np.ptp(a.get_ylim()) for a in (top, bottom))
    for a in (top, bottom):
        x0, y0 = a.get_xlim()[0], a.get_ylim()
        centre = (y0[0] + y0[1]) / 2
        a.set_xlim(x0, x0 + width)
        a.set_ylim(centre - height / 2, centre + height / 2)
        a.set_anchor("W")
    return top, bottom


def plot_difference_errors(
    hs,
    forward,
    centred,
    ax: Axes | None = None,
    *,
    h_mark: float | None = None,
    label_suffix: str = "",
) -> Axes:
    """Log-log plot of the finite-difference errors against the step ``h``.

    Parameters
    ----------
    hs, forward, centred : array_like, shape (K,)
        Steps and the errors of the one-sided and centred differences, as returned by
        :func:`coursenn.lab.gradcheck_practice.difference_errors`. Zero errors are not drawn
        (they have no logarithm).
    ax : Axes, optional
    h_mark : float, optional
        A step to mark with a vertical line and the two errors there (interpolated in log
        space when it is not one of ``hs``).
    label_suffix : str
        Appended to the legend entries (e.g. ``" (float32)"``).

    Returns
    -------
    Axes

    See chapter 5.
    """
    hs, forward, centred = (
        as_array(a, n) for a, n in ((hs, "hs"), (forward, "forward"), (centred, "centred"))
    )
    if not (hs.ndim == 1 and forward.shape == hs.shape and centred.shape == hs.shape):
        raise ShapeError(
            f"hs, forward and centred must be 1-D of the same length, got shapes "
            f"{hs.shape}, {forward.shape}, {centred.shape}"
        )
    if np.any(hs <= 0):
        raise ValueError("hs must be > 0 (a log axis)")
    ax = axes_or_new(ax)
    shown = [np.where(e > 0, e, np.nan) for e in (forward, centred)]
    names = ("forward (f(x+h) - f(x)) / h", "centred (f(x+h) - f(x-h)) / 2h")
    lines = [
        ax.loglog(hs, errors, marker, ms=3, label=name + label_suffix)[0]
        for errors, marker, name in zip(shown, ("o-", "s-"), names, strict=True)
    ]
    if h_mark is not None:
        if not h_mark > 0:
            raise ValueError(f"h_mark must be > 0, got {h_mark!r}")
        ax.axvline(h_mark, color="0.4", lw=1, ls=":")
        order = np.argsort(hs)
        for errors, line in zip(shown, lines, strict=True):
            logs = np.log10(errors[order])
            if np.all(np.isnan(logs)):
                continue
            ok = ~np.isnan(logs)
            y = 10 ** np.interp(np.log10(h_mark), np.log10(hs[order][ok]), logs[ok])
            ax.plot([h_mark], [y], "o", ms=8, mfc="none", color=line.get_color())
    ax.minorticks_off()  # fewer tick labels: decades only, at most about seven per axis
    ax.xaxis.set_major_locator(LogLocator(base=10, numticks=7))
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
    ax.set_xlabel("step h")
    ax.set_ylabel("|numerical - exact derivative|")
    return ax
