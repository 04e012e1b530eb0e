"""coursenn: the numpy library behind the course companion on feedforward networks and CNNs.

Import the modules you need, for example::

    from coursenn import activations, layers, data
    from coursenn.layers import Dense, Sequential

Modules that draw (``plotting``, ``widgets``) import matplotlib and are not imported here,
so ``import coursenn`` needs numpy only.
"""

from importlib.metadata import PackageNotFoundError, version

from . import (
    activations,
    conv,
    data,
    engine,
    exercises,
    gradcheck,
    init,
    layers,
    losses,
    optim,
    perceptron,
    schedules,
    training,
)
from ._checks import ShapeError
from .engine import Value
from .layers import Dense, Sequential, count_parameters
from .parameter import Parameter

__all__ = [
    "activations",
    "conv",
    "data",
    "engine",
    "exercises",
    "gradcheck",
    "init",
    "layers",
    "losses",
    "optim",
    "perceptron",
    "schedules",
    "training",
    "Dense",
    "Value",
    "Parameter",
    "Sequential",
    "ShapeError",
    "count_parameters",
]

try:  # the version lives in pyproject.toml only
    __version__ = version("coursenn")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
