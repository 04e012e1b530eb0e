"""coursenn: the numpy library behind the course companion on feedforward networks and CNNs.

One folder per role:

==========================  ======================================================================
``coursenn.nn``             the network library: layers, losses, optimisers, conv, autograd ...
``coursenn.lab``            the chapters' experiments (zig-zag paths, dead units, races ...)
``coursenn.data``           data sets (nothing downloads); ``coursenn.training``: the loop
``coursenn.plotting``       pictures; ``coursenn.widgets``: scrubbers and live sliders
``coursenn.exercises``      ``check(label, answer)`` and the exercises' registry
``coursenn.instructor``     student notebooks, grading, the exercise index (``python -m coursenn``)
==========================  ======================================================================

Import what a chapter needs, for example::

    from coursenn import data, training
    from coursenn.nn import Dense, ReLU, Sequential, losses, optim
    from coursenn.lab import zigzag

Modules that draw (``plotting``, ``widgets``) import matplotlib and are not imported here,
so ``import coursenn`` needs numpy only.
"""

from importlib.metadata import PackageNotFoundError, version

from . import data, exercises, nn, training
from ._checks import ShapeError
from .nn.engine import Value
from .nn.layers import Dense, Sequential, count_parameters
from .nn.parameter import Parameter

__all__ = [
    "data",
    "exercises",
    "nn",
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
