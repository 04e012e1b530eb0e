"""Pictures of a training run: learning curves, update ratios, per-layer histograms.

They draw what :func:`coursenn.training.fit` records in a :class:`~coursenn.training.History`
and what :func:`coursenn.training.layer_activations` / ``parameter_gradients`` return.
Every function takes ``ax=None`` (or ``axes=None``: a new figure is made), draws on it and
returns it. None calls ``plt.show()`` or changes global rcParams; labels are English.

See chapter 7 (activation histograms, dead ReLUs), chapter 8 (learning rates) and chapter 10.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ._common import axes_or_new
from .basic import CLASS_COLORS

__all__ = ["plot_history", "plot_update_ratios", "plot_layer_histograms"]

#: The lecture's rule of thumb for the update/parameter ratio.
UPDATE_RATIO_TARGET = 1e-3


def _epoch_axis(ax: Axes) -> None:
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no tick at epoch 1.5


def _epochs(history) -> np.ndarray:
    n = len(history.loss)
    if n == 0:
        raise ValueError("history must hold at least one epoch, got an empty History")
    return np.arange(1, n + 1)


def plot_history(history, ax: Axes | Sequence[Axes] | None = None) -> tuple[Axes, Axes | None]:
    """Learning curves: the loss (left) and the accuracy (right), per epoch.

    Parameters
    ----------
    history : coursenn.training.History
    ax : None, an Axes, or a pair of Axes
        ``None``: a new figure with two panels (one for regression, which has no accuracy);
        one Axes: the loss on it, the accuracy on a twin y-axis at its right;
        a pair: the loss on the first, the accuracy on the second.

    Returns
    -------
    (loss_ax, accuracy_ax)
        ``accuracy_ax`` is None when the history holds no accuracy (regression).

    A widening gap between train and validation accuracy means overfitting. See chapter 10.
    """
    epochs = _epochs(history)
    has_accuracy = bool(history.train_accuracy or history.val_accuracy)
    if ax is None:
        if has_accuracy:
            _, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(9.0, 3.6), layout="constrained")
        else:
            loss_ax, acc_ax = axes_or_new(None), None
    elif isinstance(ax, Axes):
        loss_ax, acc_ax = ax, (ax.twinx() if has_accuracy else None)
    else:
        if len(ax) != 2:
            raise ValueError(f"ax must be None, one Axes or a pair of Axes, got {len(ax)} Axes")
        loss_ax, acc_ax = ax[0], (ax[1] if has_accuracy else None)
    loss_ax.plot(epochs, history.loss, color=CLASS_COLORS[0], label="train loss")
    if history.val_loss:
        loss_ax.plot(epochs, history.val_loss, color=CLASS_COLORS[1], label="val loss")
    _epoch_axis(loss_ax)
    loss_ax.set_ylabel("loss")
    twin = isinstance(ax, Axes) and acc_ax is not None
    if not twin:
        loss_ax.legend()
    if acc_ax is not None:
        for values, color, label in (
            (history.train_accuracy, CLASS_COLORS[0], "train accuracy"),
            (history.val_accuracy, CLASS_COLORS[1], "val accuracy"),
        ):
            if values:
                acc_ax.plot(epochs, values, color=color, linestyle="--", label=label)
        acc_ax.set_ylim(0.0, 1.05)
        _epoch_axis(acc_ax)
        acc_ax.set_ylabel("accuracy")
        handles = (loss_ax.get_lines() if twin else []) + acc_ax.get_lines()
        acc_ax.legend(handles=handles, loc="center right")
    return loss_ax, acc_ax


def plot_update_ratios(history, ax: Axes | None = None) -> Axes:
    r"""The update/parameter ratio :math:`\lVert \Delta W\rVert / \lVert W\rVert` per layer.

    Log scale, with a dashed line at the lecture's rule of thumb :math:`10^{-3}`: far below
    it the learning rate is too low, far above it too high. See chapter 8.
    """
    epochs = _epochs(history)
    if not history.update_ratio:
        raise ValueError("history.update_ratio is empty: the model had no parameters to update")
    ax = axes_or_new(ax)
    for k, (name, values) in enumerate(history.update_ratio.items()):
        values = np.asarray(values, dtype=np.float64)
        values = np.where(values > 0, values, np.nan)  # log scale: leave out zeros
        ax.plot(epochs, values, marker="o", markersize=3, color=CLASS_COLORS[k % 4], label=name)
    ax.axhline(UPDATE_RATIO_TARGET, color="k", linestyle="--", linewidth=1, label="1e-3")
    ax.set_yscale("log")
    _epoch_axis(ax)
    ax.set_ylabel("update / parameter ratio")
    ax.legend()
    return ax


def plot_layer_histograms(
    arrays: Mapping[str, np.ndarray],
    axes: Sequence[Axes] | None = None,
    *,
    bins: int = 40,
    value_range: tuple[float, float] | None = None,
    xlabel: str = "value",
) -> list[Axes]:
    """One histogram per layer, left to right: the lecture's check of activations/gradients.

    Parameters
    ----------
    arrays : mapping name -> array
        For example :func:`coursenn.training.layer_activations` (per-layer outputs) or
        :func:`coursenn.training.parameter_gradients`; every array is flattened.
    axes : None or a sequence of Axes, one per entry
        ``None``: a new figure with one panel per entry.
    bins : int
    value_range : (low, high) or None
        The same x-range for every panel; ``None``: from the smallest to the largest finite
        value over all arrays, so the layers can be compared by eye.
    xlabel : str

    Returns
    -------
    list of Axes

    Healthy tanh activations spread over (-1, 1); all near 0 or piled up at ±1 (saturated)
    signals a bad initialisation; a spike at 0 after a ReLU is the dead units. See chapter 7.
    """
    if not arrays:
        raise ValueError("arrays must hold at least one name -> array entry, got none")
    values = {name: np.asarray(a, dtype=np.float64).ravel() for name, a in arrays.items()}
    values = {name: v[np.isfinite(v)] for name, v in values.items()}
    if axes is None:
        _, grid = plt.subplots(
            1, len(values), figsize=(2.6 * len(values), 2.8), squeeze=False, layout="constrained"
        )
        axes = list(grid[0])
    elif len(axes) != len(values):
        raise ValueError(f"axes must hold one Axes per entry ({len(values)}), got {len(axes)}")
    if value_range is None:
        finite = [v for v in values.values() if v.size]
        low = min((v.min() for v in finite), default=0.0)
        high = max((v.max() for v in finite), default=0.0)
        value_range = (low - 0.5, high + 0.5) if low == high else (low, high)
    for ax, (name, v) in zip(axes, values.items(), strict=True):
        ax.hist(v, bins=bins, range=value_range, color=CLASS_COLORS[0], edgecolor="white")
        stats = f"mean {v.mean():.2g}, std {v.std():.2g}" if v.size else "no finite values"
        ax.set_title(f"{name}\n{stats}", fontsize=9)
        ax.set_xlabel(xlabel)
        ax.set_yticks([])
    return list(axes)
