r"""Learning-rate schedules: set ``optimizer.lr`` to :math:`\alpha(t)` at every ``step()``.

``StepLR`` (as PyTorch), ``ExponentialLR`` (:math:`\alpha_0 e^{-kt}`, the lecture's form; note
PyTorch's class of that name uses :math:`\gamma^t`, i.e. :math:`k = -\ln\gamma`) and
``InverseTimeLR`` (:math:`\alpha_0 / (1 + kt)`). Also available from :mod:`coursenn.optim`.
See chapter 8.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ._checks import check_number, check_positive_int

if TYPE_CHECKING:  # pragma: no cover
    from .optim import Optimizer

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "InverseTimeLR"]


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
        # duck-typed (optim imports this module): anything with a numeric ``lr``
        if isinstance(getattr(optimizer, "lr", None), bool) or not isinstance(
            getattr(optimizer, "lr", None), (int, float)
        ):
            raise TypeError(
                f"optimizer must be a coursenn.optim Optimizer, got {type(optimizer).__name__}"
            )
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
