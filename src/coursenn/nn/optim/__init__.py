"""Optimizers with the update rules of ``torch.optim``, and learning-rate schedules.

* :mod:`~coursenn.nn.optim.optimizer`: the ``Optimizer`` base class (state, in-place blocks)
  and ``OptimizerWrapper``;
* :mod:`~coursenn.nn.optim.sgd`: ``SGD`` with (Nesterov) momentum, and why it is the lecture's;
* :mod:`~coursenn.nn.optim.adaptive`: ``Adagrad``, ``RMSprop``, ``Adam``;
* :mod:`~coursenn.nn.optim.schedules`: ``StepLR``, ``ExponentialLR``, ``InverseTimeLR``,
  ``ReduceLROnPlateau`` (a schedule needs only the optimizer's ``lr``);
* :mod:`~coursenn.nn.optim.path`: ``optimize_path``, the points an optimizer visits.

See chapter 8.
"""

from .adaptive import Adagrad, Adam, RMSprop
from .optimizer import Optimizer, OptimizerWrapper
from .path import optimize_path
from .schedules import ExponentialLR, InverseTimeLR, LRScheduler, ReduceLROnPlateau, StepLR
from .sgd import SGD

__all__ = [
    "Optimizer",
    "OptimizerWrapper",
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adam",
    "LRScheduler",
    "StepLR",
    "ReduceLROnPlateau",
    "ExponentialLR",
    "InverseTimeLR",
    "optimize_path",
]
