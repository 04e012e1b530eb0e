r"""Learning-rate schedules: set ``optimizer.lr`` to :math:`\alpha(t)` at every ``step()``.

``StepLR`` (as PyTorch), ``ExponentialLR`` (:math:`\alpha_0 e^{-kt}`, the lecture's form; note
PyTorch's class of that name uses :math:`\gamma^t`, i.e. :math:`k = -\ln\gamma`) and
``InverseTimeLR`` (:math:`\alpha_0 / (1 + kt)`), and ``ReduceLROnPlateau`` (as PyTorch: cut the
rate when a validation metric stops improving). Also available from :mod:`coursenn.nn.optim`.
See chapter 8.
"""

from __future__ import annotations

import math
from typing import Protocol

from ..._checks import check_nonnegative_int, check_number, check_positive_int

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "InverseTimeLR", "ReduceLROnPlateau"]


class Optimizer(Protocol):
    """All a schedule needs of an optimizer: a learning rate ``lr`` it can read and write.

    Every :class:`coursenn.nn.optim.Optimizer` (and ``OptimizerWrapper``) has one; the
    schedules import nothing from the optimizers, so either can be read alone.
    """

    lr: float


def _check_has_lr(optimizer) -> None:
    """Raise ``TypeError`` unless ``optimizer.lr`` is a real number (not a bool)."""
    lr = getattr(optimizer, "lr", None)
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        raise TypeError(
            "optimizer must be a coursenn.nn.optim Optimizer (an object with a numeric lr), "
            f"got {type(optimizer).__name__}"
        )


class LRScheduler:
    r"""Base class of the schedules: sets ``optimizer.lr`` to :math:`\alpha(t)` at every step.

    Attributes
    ----------
    optimizer : Optimizer
    base_lr : float
        :math:`\alpha_0`, the optimizer's ``lr`` when the schedule was made.
    last_epoch : int
        :math:`t`, the number of ``step()`` calls so far (0 after construction, as PyTorch).

    Make the schedule after its optimizer; call ``step()`` once per epoch (usual) or once
    per update, as you choose what :math:`t` counts. A subclass only writes ``_lr_at(t)``.
    Unlike PyTorch's "chainable" form, the rate is
    always recomputed from :math:`\alpha_0` and :math:`t`, so a change you make to
    ``optimizer.lr`` by hand is overwritten at the next ``step()``.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        _check_has_lr(optimizer)
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = 0
        optimizer.lr = self.get_lr()

    def get_lr(self) -> float:
        r"""The learning rate :math:`\alpha(t)` for ``t = last_epoch``."""
        return self._lr_at(self.last_epoch)

    def step(self) -> None:
        """Advance :math:`t` by one and write :math:`\\alpha(t)` into ``optimizer.lr``."""
        self.last_epoch += 1
        self.optimizer.lr = self.get_lr()

    def _lr_at(self, t: int) -> float:
        raise NotImplementedError(f"{type(self).__name__} must define _lr_at(t)")


class StepLR(LRScheduler):
    r"""Step decay: multiply the rate by ``gamma`` every ``step_size`` steps.

    .. math:: \alpha_t = \alpha_0\, \gamma^{\lfloor t / s \rfloor}

    as ``torch.optim.lr_scheduler.StepLR``. The lecture's "halve every 5 epochs" is
    ``StepLR(opt, step_size=5, gamma=0.5)``. See chapter 8.

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        :math:`s \ge 1`.
    gamma : float, default 0.1
        Factor :math:`\gamma > 0`.
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size = check_positive_int(step_size, "step_size")
        self.gamma = check_number(gamma, "gamma", 0.0, low_open=True)
        super().__init__(optimizer)

    def _lr_at(self, t: int) -> float:
        return self.base_lr * self.gamma ** (t // self.step_size)


class _DecayLR(LRScheduler):
    """A schedule with one decay rate ``k >= 0`` (0 keeps the rate constant)."""

    def __init__(self, optimizer: Optimizer, k: float) -> None:
        self.k = check_number(k, "k", 0.0)
        super().__init__(optimizer)


class ExponentialLR(_DecayLR):
    r"""The lecture's exponential decay :math:`\alpha_t = \alpha_0 e^{-kt}`.

    **Not PyTorch's parametrisation:** ``torch.optim.lr_scheduler.ExponentialLR(opt, gamma)``
    gives :math:`\alpha_0 \gamma^t`, which is this schedule with :math:`k = -\ln\gamma`
    (``gamma=0.9`` is ``k ≈ 0.105``). The argument is ``k``, so code written for PyTorch
    (``gamma=...``) fails loudly instead of silently meaning something else. See chapter 8.

    Parameters
    ----------
    optimizer : Optimizer
    k : float
        Decay rate :math:`k \ge 0` (0 keeps the rate constant).
    """

    def _lr_at(self, t: int) -> float:
        return self.base_lr * math.exp(-self.k * t)


class InverseTimeLR(_DecayLR):
    r"""The lecture's 1/t decay :math:`\alpha_t = \alpha_0 / (1 + kt)`. See chapter 8.

    Parameters
    ----------
    optimizer : Optimizer
    k : float
        Decay rate :math:`k \ge 0` (0 keeps the rate constant).
    """

    def _lr_at(self, t: int) -> float:
        return self.base_lr / (1.0 + self.k * t)


class ReduceLROnPlateau:
    r"""Multiply ``optimizer.lr`` by ``factor`` when a metric stops improving (as PyTorch).

    Call ``step(metric)`` once per epoch with a validation metric. The metric improves when
    it beats the best so far by more than ``threshold`` (relative): :math:`m > b(1 + \tau)`
    for ``mode="max"`` (an accuracy), :math:`m < b(1 - \tau)` for ``mode="min"`` (a loss).
    After more than ``patience`` epochs in a row without improvement the rate becomes
    :math:`\max(\alpha f, \alpha_{min})` and the count starts again. PyTorch's
    ``ReduceLROnPlateau`` with ``threshold_mode="rel"`` and ``cooldown=0``, same defaults.

    Attributes
    ----------
    best : float
        The best metric so far (:math:`-\infty` or :math:`+\infty` before the first step).
    num_bad_epochs : int
        Epochs since the last improvement (or the last cut).
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        min_lr: float = 0.0,
    ) -> None:
        _check_has_lr(optimizer)
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.optimizer, self.mode = optimizer, mode
        self.factor = check_number(factor, "factor", 0.0, 1.0, low_open=True, high_open=True)
        self.patience = check_nonnegative_int(patience, "patience")
        self.threshold = check_number(threshold, "threshold", 0.0)
        self.min_lr = check_number(min_lr, "min_lr", 0.0)
        self.best = -math.inf if mode == "max" else math.inf
        self.num_bad_epochs = 0

    def _improved(self, metric: float) -> bool:
        if self.mode == "max":
            return metric > self.best * (1.0 + self.threshold)
        return metric < self.best * (1.0 - self.threshold)

    def step(self, metric: float) -> None:
        """Record one epoch's ``metric``; cut ``optimizer.lr`` after too long a plateau."""
        metric = check_number(metric, "metric", -math.inf, finite=False)
        if self._improved(metric):
            self.best, self.num_bad_epochs = metric, 0
        else:
            self.num_bad_epochs += 1
        if self.num_bad_epochs > self.patience:
            self.optimizer.lr = max(self.optimizer.lr * self.factor, self.min_lr)
            self.num_bad_epochs = 0
