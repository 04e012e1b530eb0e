r"""``fit``: the training loop, and the ``History`` of what it monitored per epoch.

What is recorded and why is explained in :mod:`coursenn.training`. See chapters 5, 7, 8 and 10.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .._checks import (
    as_rng,
    check_method,
    check_nonnegative_int,
    check_positive_int,
    check_real,
    read_array,
)
from ..nn.layers import Layer, ReLU, Sigmoid, Tanh
from ..nn.optim.schedules import ReduceLROnPlateau
from .batches import _same_length, accuracy, iterate_minibatches
from .probes import _call_loss, _named_layers, _probe

__all__ = ["History", "fit"]


@dataclass(repr=False)
class History:
    r"""What :func:`fit` measured, one entry per epoch in every list.

    Attributes
    ----------
    task : {"classification", "regression"}
    loss : list of float
        Mean training loss over the epoch's mini-batches (weighted by batch size).
    train_accuracy, val_accuracy, val_loss : list of float
        At the end of each epoch, in evaluation mode; empty when not measured (accuracy for
        regression, the ``val_*`` lists without ``val``).
    lr : list of float
        ``optimizer.lr`` during the epoch.
    update_ratio : dict layer name -> list of float
        :math:`\lVert W_{new} - W_{old}\rVert / \lVert W_{old}\rVert` of the layer's weight
        (its first parameter) around each ``optimizer.step()``, averaged over the epoch.
        Biases are left out: they start at 0, where the ratio is undefined.
    dead_fraction : dict ReLU layer name -> list of float
        Fraction of the layer's units that output 0 for every sample of the monitoring batch.
    activation_stats : dict layer name -> {"mean": [...], "std": [...], "saturated": [...]}
        Statistics of each layer's output on the monitoring batch; ``"saturated"`` (Sigmoid
        and Tanh layers only) is the fraction of outputs within 1% of either end of the range
        (sigmoid < 0.01 or > 0.99, tanh beyond ±0.98), where the local gradient is below 4% of
        its peak.
    grad_std : dict parameter name (``"0:Dense.W"``) -> list of float
        Standard deviation of the parameter's gradient on the monitoring batch.
    """

    task: str = "classification"
    loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    update_ratio: dict[str, list[float]] = field(default_factory=dict)
    dead_fraction: dict[str, list[float]] = field(default_factory=dict)
    activation_stats: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    grad_std: dict[str, list[float]] = field(default_factory=dict)

    @property
    def epochs(self) -> int:
        """Number of epochs recorded."""
        return len(self.loss)

    def __repr__(self) -> str:
        parts = [f"epochs={self.epochs}", f"task={self.task!r}"]
        for name in ("loss", "train_accuracy", "val_loss", "val_accuracy"):
            values = getattr(self, name)
            if values:
                parts.append(f"{name}={values[-1]:.4g}")
        return f"History({', '.join(parts)})"

    def summary(self) -> str:
        """The last epoch's numbers, one line per quantity (deterministic output)."""
        tables = {
            "update/param ratio (~1e-3 is healthy)": self.update_ratio,
            "dead ReLU fraction": self.dead_fraction,
            "activation std": {k: v["std"] for k, v in self.activation_stats.items()},
            "gradient std": self.grad_std,
        }
        lines = [repr(self)]
        for title, table in tables.items():
            if table:
                lines.append(f"{title}: " + ", ".join(f"{k} {v[-1]:.3g}" for k, v in table.items()))
        return "\n".join(lines)


def _predict(model: Layer, X: np.ndarray, batch_size: int) -> np.ndarray:
    """Scores for all of ``X`` in evaluation mode, computed in chunks to bound memory."""
    model.eval()
    chunk = max(batch_size, 512)
    return np.concatenate([model.forward(X[i : i + chunk]) for i in range(0, len(X), chunk)])


#: Where Sigmoid/Tanh outputs count as saturated: within 1% of either end of their range.
_SATURATED = {
    Sigmoid: lambda a: (a < 0.01) | (a > 0.99),
    Tanh: lambda a: np.abs(a) > 0.98,
}


def _monitor(history: History, model: Layer, loss_fn: Callable, X: np.ndarray, y) -> None:
    """Append dead fractions, activation and gradient statistics for the monitoring batch."""
    layers = dict(_named_layers(model))
    activations, gradients = _probe(model, X, loss_fn, y)
    for name, a in activations.items():
        stats = history.activation_stats.setdefault(name, {"mean": [], "std": []})
        stats["mean"].append(float(np.mean(a)))
        stats["std"].append(float(np.std(a)))
        if type(layers[name]) in _SATURATED:
            saturated = _SATURATED[type(layers[name])](a)
            stats.setdefault("saturated", []).append(float(np.mean(saturated)))
        if isinstance(layers[name], ReLU):  # a unit = one output position (all axes but N)
            dead = np.all(a == 0, axis=0)
            history.dead_fraction.setdefault(name, []).append(float(np.mean(dead)))
    for name, g in gradients.items():
        history.grad_std.setdefault(name, []).append(float(np.std(g)))


def _train_epoch(model, loss_fn, optimizer, X, y, batch_size, rng, weights):
    """One pass over the data: returns the mean loss and each weight's mean update ratio."""
    model.train()
    total, ratios = 0.0, {name: [] for name, _ in weights}
    for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng=rng):
        optimizer.zero_grad()
        loss, dscores = _call_loss(loss_fn, model.forward(X_batch), y_batch)
        # parameters' gradients only: the data needs none (a model without
        # backward_params, i.e. not a coursenn Layer, runs its backward)
        getattr(model, "backward_params", model.backward)(dscores)
        before = [p.data.copy() for _, p in weights]
        optimizer.step()
        for (name, p), old in zip(weights, before, strict=True):  # the lecture's ratio
            scale = np.linalg.norm(old)
            ratios[name].append(np.linalg.norm(p.data - old) / scale if scale else np.nan)
        total += loss * len(y_batch)
    return total / len(X), {name: float(np.mean(r)) for name, r in ratios.items()}


def _progress_bar(epochs: int):
    """A tqdm bar over the epochs if tqdm is installed, else None (a silent loop)."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=epochs, desc="epochs")


def fit(
    model: Layer,
    loss_fn: Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]],
    optimizer,
    X,
    y,
    *,
    epochs: int,
    batch_size: int,
    rng,
    val: tuple | None = None,
    progress: bool = True,
    scheduler=None,
    monitor_size: int = 256,
) -> History:
    """Train ``model`` by mini-batch gradient descent and record a :class:`History`.

    Each step: ``optimizer.zero_grad()``, ``scores = model.forward(X_batch)``,
    ``loss, dscores = loss_fn(scores, y_batch)``, ``model.backward(dscores)``,
    ``optimizer.step()``. After each epoch: accuracy on the training set and on ``val``,
    then the monitoring statistics on a fixed **monitoring batch** (``monitor_size`` training
    samples drawn once with ``rng``; 0 switches monitoring off), then ``scheduler.step()``.

    Parameters
    ----------
    model, loss_fn, optimizer
        See the module docstring.
    X, y : array_like, shapes (N, ...) and (N,) int (classification) or (N, ...) (regression)
    epochs, batch_size : int
    rng : Generator, int or None
        Shuffling of every epoch and choice of the monitoring batch.
    val : (X_val, y_val) or None
    progress : bool
        Show a tqdm progress bar if tqdm is installed (it is not a requirement). With
        ``progress=False``, or without tqdm, nothing at all is written to stdout/stderr.
    scheduler : object with ``step()`` or None
        A learning-rate schedule (:mod:`coursenn.nn.optim`), stepped once per epoch.

    Returns
    -------
    History
        The model is left in evaluation mode (call ``model.train()`` to train it by hand).

    See chapters 5, 7, 8 and 10.
    """
    X, y = read_array(X, "X"), check_real(np.asarray(y), "y")
    _same_length(X, y)
    if len(X) == 0:
        raise ValueError(f"X must hold at least one training sample, got shape {X.shape}")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    monitor_size = check_nonnegative_int(monitor_size, "monitor_size")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
    check_method(optimizer, ("zero_grad", "step"), "optimizer")
    if scheduler is not None:  # checked now, not after the first epoch
        check_method(scheduler, ("step",), "scheduler")
        if isinstance(scheduler, ReduceLROnPlateau):
            raise TypeError(
                "scheduler must step without arguments; ReduceLROnPlateau needs a metric: "
                "train epoch by epoch and call scheduler.step(val_loss) yourself"
            )
    check_method(model, ("forward", "backward", "parameters", "train", "eval"), "model")
    if val is not None:
        if not (isinstance(val, (tuple, list)) and len(val) == 2):
            raise TypeError(f"val must be a pair (X_val, y_val) or None, got {type(val).__name__}")
        X_val, y_val = read_array(val[0], "X_val"), check_real(np.asarray(val[1]), "y_val")
        _same_length(X_val, y_val, "X_val and y_val")
    classification = y.ndim == 1 and y.dtype.kind in "iu"
    rng = as_rng(rng)
    layers = _named_layers(model)
    weights = [(name, p) for name, layer in layers for p in list(layer.parameters())[:1]]
    monitor = np.sort(rng.choice(len(X), size=min(monitor_size, len(X)), replace=False))
    history = History(task="classification" if classification else "regression")
    bar = _progress_bar(epochs) if progress else None
    try:
        for _ in range(epochs):
            history.lr.append(float(getattr(optimizer, "lr", math.nan)))
            loss, ratios = _train_epoch(model, loss_fn, optimizer, X, y, batch_size, rng, weights)
            history.loss.append(loss)
            for name, ratio in ratios.items():
                history.update_ratio.setdefault(name, []).append(ratio)
            if classification:
                history.train_accuracy.append(accuracy(_predict(model, X, batch_size), y))
            if val is not None:
                scores = _predict(model, X_val, batch_size)
                history.val_loss.append(_call_loss(loss_fn, scores, y_val)[0])
                if classification:
                    history.val_accuracy.append(accuracy(scores, y_val))
            if len(monitor):
                _monitor(history, model, loss_fn, X[monitor], y[monitor])
            if scheduler is not None:
                scheduler.step()
            if bar is not None:
                bar.set_postfix(loss=f"{history.loss[-1]:.4g}")
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    model.eval()
    return history
