r"""Chapter 10: model ensembles, averaging the predictions of models, snapshots or weights.

The lecture (001, 模型集成) lists four ways to get the members:

1. the same model trained from different initialisations;
2. the best few models of a hyperparameter search;
3. checkpoints of one run (e.g. one per epoch) -- :class:`EpochCheckpoints`;
4. a running average of the parameters during training -- :class:`ParameterAverage`
   (one model whose weights are the mean of the last iterates, not an average of predictions).

An ensemble predicts the class with the largest **mean probability**:
:math:`\hat y = \arg\max_k \frac1M \sum_m \mathrm{softmax}(s^{(m)})_k`.
See chapter 10.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._checks import as_array, check_positive_int
from ..nn.activations import softmax
from ..nn.layers import Layer
from ..nn.optim import OptimizerWrapper
from ..nn.parameter import Parameter

__all__ = [
    "snapshot",
    "load_snapshot",
    "predict_proba",
    "ensemble_proba",
    "snapshot_proba",
    "EpochCheckpoints",
    "ParameterAverage",
]


def snapshot(model: Layer) -> list[np.ndarray]:
    """Copies of every parameter of ``model`` (in ``model.parameters()`` order)."""
    return [p.data.copy() for p in model.parameters()]


def load_snapshot(model: Layer, values: Sequence[np.ndarray]) -> None:
    """Write ``values`` (from :func:`snapshot`) into ``model``'s parameters, in place."""
    params = list(model.parameters())
    if len(values) != len(params):
        raise ValueError(
            f"values must hold {len(params)} arrays (one per parameter), got {len(values)}"
        )
    for p, v in zip(params, values, strict=True):
        v = np.asarray(v, dtype=np.float64)
        if v.shape != p.data.shape:
            raise ValueError(
                f"snapshot array for {p!r} must have shape {p.data.shape}, got {v.shape}"
            )
        p.data[...] = v


def predict_proba(model: Layer, X) -> np.ndarray:
    """Class probabilities ``softmax(model(X))`` in evaluation mode, shape ``(N, K)``."""
    model.eval()
    return softmax(model.forward(as_array(X, "X")))


def ensemble_proba(models: Sequence[Layer], X) -> np.ndarray:
    """Mean of :func:`predict_proba` over ``models``, shape ``(N, K)``."""
    if not models:
        raise ValueError("models must hold at least one model, got none")
    return np.mean([predict_proba(m, X) for m in models], axis=0)


def snapshot_proba(model: Layer, snapshots: Sequence[Sequence[np.ndarray]], X) -> np.ndarray:
    """Mean probabilities of ``model`` loaded with each snapshot in turn, ``(M, N, K)``.

    Returns one ``(N, K)`` array per snapshot (average over axis 0 for the ensemble); the
    model's own parameters are restored afterwards.
    """
    if not snapshots:
        raise ValueError("snapshots must hold at least one snapshot, got none")
    saved = snapshot(model)
    try:
        out = []
        for values in snapshots:
            load_snapshot(model, values)
            out.append(predict_proba(model, X))
    finally:
        load_snapshot(model, saved)
    return np.array(out)


class EpochCheckpoints:
    """Keep a snapshot of ``model`` at the end of every ``every``-th epoch.

    Pass it as ``scheduler=`` to :func:`coursenn.training.fit`, which calls ``step()`` once at
    the end of each epoch; a real schedule given as ``scheduler`` here is stepped too.

    Attributes
    ----------
    snapshots : list of list of ndarray
    epochs : list of int
        The epoch (1, 2, ...) at which each snapshot was taken.
    """

    def __init__(self, model: Layer, *, every: int = 1, scheduler=None) -> None:
        if not isinstance(model, Layer):
            raise TypeError(f"model must be a Layer, got {type(model).__name__}")
        self.model = model
        self.every = check_positive_int(every, "every")
        self.scheduler = scheduler
        self.snapshots: list[list[np.ndarray]] = []
        self.epochs: list[int] = []
        self._epoch = 0

    def step(self) -> None:
        self._epoch += 1
        if self._epoch % self.every == 0:
            self.snapshots.append(snapshot(self.model))
            self.epochs.append(self._epoch)
        if self.scheduler is not None:
            self.scheduler.step()


class ParameterAverage(OptimizerWrapper):
    r"""An optimizer wrapper that keeps the running mean of the parameters after each step.

    After step :math:`t \ge` ``start``: :math:`\bar\theta \leftarrow \bar\theta +
    (\theta_t - \bar\theta) / n` with :math:`n` the number of steps averaged so far, so
    :attr:`average` is the arithmetic mean of the iterates since ``start`` (Polyak averaging).
    Training itself is unchanged; load the average into the model with :func:`load_snapshot`.

    Parameters
    ----------
    optimizer : object with ``params``, ``zero_grad()``, ``step()`` and ``lr``
    start : int, default 0
        Number of steps to take before averaging begins (skip the early, poor iterates).
    """

    def __init__(self, optimizer, *, start: int = 0) -> None:
        params = getattr(optimizer, "params", None)
        if not params or not all(isinstance(p, Parameter) for p in params):
            raise TypeError(
                f"optimizer must have a list of Parameters in .params, got {optimizer!r}"
            )
        if isinstance(start, bool) or not isinstance(start, (int, np.integer)) or start < 0:
            raise ValueError(f"start must be an int >= 0, got {start!r}")
        super().__init__(optimizer)
        self.params = list(params)
        self.start = int(start)
        self.steps = 0
        self.count = 0
        self._mean = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        self.optimizer.step()
        self.steps += 1
        if self.steps > self.start:
            self.count += 1
            for mean, p in zip(self._mean, self.params, strict=True):
                mean += (p.data - mean) / self.count

    @property
    def average(self) -> list[np.ndarray]:
        """Copies of the averaged parameters (in the optimizer's ``params`` order)."""
        if self.count == 0:
            raise RuntimeError(
                f"no step averaged yet: {self.steps} steps taken, start={self.start}"
            )
        return [m.copy() for m in self._mean]
