r"""Chapter 7: dead rectifier units: find them, and record them while a network trains.

A unit of a ReLU layer is **dead** on a data set when its input :math:`z` (the pre-activation)
is :math:`\le 0` for every sample: then :math:`\mathrm{ReLU}(z) = 0` and
:math:`\mathrm{ReLU}'(z) = 0` on all of them, so the weights and the bias that feed it get
the gradient exactly 0 from every mini-batch of that data set. For Leaky ReLU, PReLU and ELU the
same test says "the unit sits on the negative side for every sample"; there the gradient is
small (slope :math:`\alpha`, or :math:`\alpha e^z`) but not 0, so the unit can come back.

The pre-activations are read with :func:`coursenn.training.layer_activations` (evaluation
mode: a ``BatchNorm1d`` uses its running statistics). See chapter 7.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._checks import as_array, as_rng, check_positive_int
from ..nn.layers import ELU, Layer, LeakyReLU, PReLU, ReLU, Sequential
from ..training import accuracy, iterate_minibatches, layer_activations

__all__ = [
    "RECTIFIERS",
    "preactivations",
    "dead_masks",
    "dead_fraction",
    "DeadRecord",
    "train_recording_dead",
]

#: Layer types whose units are "off" (output at or below the kink) when their input is <= 0.
RECTIFIERS: tuple[type[Layer], ...] = (ReLU, LeakyReLU, PReLU, ELU)


def _flat(model: Layer) -> list[Layer]:
    if isinstance(model, Sequential):
        return [inner for layer in model.layers for inner in _flat(layer)]
    return [model]


def preactivations(model: Layer, X) -> dict[str, np.ndarray]:
    """The input of every rectifier layer of ``model`` for the batch ``X``.

    Parameters
    ----------
    model : Layer
        Usually a :class:`~coursenn.nn.layers.Sequential`.
    X : array_like, shape (N, D)

    Returns
    -------
    dict
        ``{"1:ReLU": Z1, "3:ReLU": Z2, ...}`` (the names of
        :func:`coursenn.training.layer_activations`), each ``Z`` of shape ``(N, units)``.
    """
    X = as_array(X, "X")
    outputs = list(layer_activations(model, X).items())
    result = {}
    for i, (layer, (name, _)) in enumerate(zip(_flat(model), outputs, strict=True)):
        if isinstance(layer, RECTIFIERS):
            result[name] = X if i == 0 else outputs[i - 1][1]
    return result


def dead_masks(model: Layer, X) -> dict[str, np.ndarray]:
    r"""Which units of each rectifier layer have :math:`z \le 0` on **every** row of ``X``.

    Returns ``{layer name: bool array of shape (units,)}``; a unit is one column of the
    layer's input :math:`Z` (all axes but the batch axis, flattened).
    """
    return {
        name: np.all(Z.reshape(len(Z), -1) <= 0, axis=0)
        for name, Z in preactivations(model, X).items()
    }


def dead_fraction(model: Layer, X) -> float:
    """Share of all rectifier units of ``model`` that are dead on ``X`` (see :func:`dead_masks`).

    Raises
    ------
    ValueError
        If ``model`` has no ReLU, LeakyReLU, PReLU or ELU layer.
    """
    masks = dead_masks(model, X)
    if not masks:
        names = ", ".join(t.__name__ for t in RECTIFIERS)
        raise ValueError(f"model has no rectifier layer ({names})")
    return float(np.mean(np.concatenate(list(masks.values()))))


@dataclass
class DeadRecord:
    """What :func:`train_recording_dead` measured, one row per check.

    Attributes
    ----------
    steps : (C,) int array
        Number of SGD steps taken before each check (the first check is at step 0).
    dead : (C, U) bool array
        ``dead[c, u]``: unit ``u`` (all rectifier layers side by side) was dead on the whole
        training set at check ``c``.
    layer_sizes : dict name -> int
        How many of the ``U`` columns belong to each rectifier layer, in order.
    train_accuracy : (C,) float array
        Accuracy on the training set at each check.
    diverged : bool
        Training stopped early because the loss or a parameter became non-finite (the later
        checks are then missing: ``steps`` is shorter).
    """

    steps: np.ndarray
    dead: np.ndarray
    layer_sizes: dict[str, int]
    train_accuracy: np.ndarray
    diverged: bool = False

    @property
    def fraction(self) -> np.ndarray:
        """(C,) share of dead units at each check."""
        return self.dead.mean(axis=1)

    @property
    def never_revived(self) -> float:
        """Share of the units dead at the end that were dead at every check since they first died.

        NaN when no unit is dead at the end.
        """
        final = self.dead[-1]
        if not final.any():
            return float("nan")
        # a unit died for good if, from its last alive check on, it was dead at every check
        revived = np.zeros(self.dead.shape[1], dtype=bool)
        seen_dead = np.zeros(self.dead.shape[1], dtype=bool)
        for row in self.dead:
            revived |= seen_dead & ~row
            seen_dead |= row
        return float(np.mean(~revived[final]))

    @property
    def ever_revived(self) -> int:
        """Number of units that were dead at some check and alive at a later one."""
        alive_after_dead = np.zeros(self.dead.shape[1], dtype=bool)
        seen_dead = np.zeros(self.dead.shape[1], dtype=bool)
        for row in self.dead:
            alive_after_dead |= seen_dead & ~row
            seen_dead |= row
        return int(alive_after_dead.sum())


def train_recording_dead(
    model: Layer,
    loss_fn: Callable,
    optimizer,
    X,
    y,
    *,
    epochs: int,
    batch_size: int,
    rng,
    checks_per_epoch: int = 1,
    lr_at: Callable[[int], float] | None = None,
) -> DeadRecord:
    """Mini-batch training (as :func:`coursenn.training.fit`) that records the dead units.

    Each step: ``optimizer.zero_grad()``, forward, ``loss_fn``, backward, ``optimizer.step()``.
    Before the first step and ``checks_per_epoch`` times per epoch (evenly spaced, the last at
    the end of the epoch) the dead units on all of ``X`` are recorded, with the training
    accuracy. Training stops at the first non-finite loss or parameter (``diverged=True``).

    Parameters
    ----------
    model, loss_fn, optimizer
        As for :func:`coursenn.training.fit`; ``model`` needs a rectifier layer.
    X, y : arrays of shapes (N, D) and (N,) int
    epochs, batch_size, checks_per_epoch : int
    rng : Generator, int or None
        Shuffling of every epoch.
    lr_at : callable or None
        ``lr_at(t)`` is the learning rate of step ``t`` (0, 1, ...), written to
        ``optimizer.lr`` before the step; ``None`` keeps the optimizer's own ``lr``.

    Returns
    -------
    DeadRecord
    """
    X, y = as_array(X, "X"), np.asarray(y)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    checks_per_epoch = check_positive_int(checks_per_epoch, "checks_per_epoch")
    rng = as_rng(rng)
    params = list(model.parameters())
    steps_per_epoch = -(-len(X) // batch_size)
    check_at = {
        round(steps_per_epoch * (k + 1) / checks_per_epoch) for k in range(checks_per_epoch)
    }
    steps, rows, accs, sizes = [], [], [], {}

    def record(step: int) -> None:
        masks = dead_masks(model, X)
        sizes.update({name: int(m.size) for name, m in masks.items()})
        steps.append(step)
        rows.append(np.concatenate(list(masks.values())))
        model.eval()
        accs.append(accuracy(model.forward(X), y))
        model.train()

    record(0)
    step, diverged = 0, False
    for _ in range(epochs):
        model.train()
        for k, (X_batch, y_batch) in enumerate(iterate_minibatches(X, y, batch_size, rng=rng), 1):
            if lr_at is not None:
                optimizer.lr = float(lr_at(step))
            optimizer.zero_grad()
            with np.errstate(over="ignore", invalid="ignore"):
                loss, dscores = loss_fn(model.forward(X_batch), y_batch)
                model.backward(dscores)
                optimizer.step()
            step += 1
            if not np.isfinite(loss) or not all(np.all(np.isfinite(p.data)) for p in params):
                diverged = True
                break
            if k in check_at:
                record(step)
        if diverged:
            break
    model.eval()
    return DeadRecord(np.array(steps), np.array(rows), sizes, np.array(accs), diverged)
