"""Layers with a forward and a backward pass, one file per kind (see each module).

* :mod:`~coursenn.nn.layers.base`: the ``Layer`` base class and ``Dense``;
* :mod:`~coursenn.nn.layers.activation`: activation layers, elementwise and learnable
  (``PReLU``, ``Maxout``);
* :mod:`~coursenn.nn.layers.shape`: ``Flatten``;
* :mod:`~coursenn.nn.layers.regularization`: ``Dropout``, ``BatchNorm1d``;
* :mod:`~coursenn.nn.layers.sequential`: ``Sequential`` and ``count_parameters``.

The convolution and pooling layers are in :mod:`coursenn.nn.conv`.
"""

from .activation import ELU, LeakyReLU, Maxout, PReLU, ReLU, Sigmoid, Softplus, Tanh
from .base import Dense, Layer
from .regularization import BatchNorm1d, Dropout
from .sequential import Sequential, count_parameters
from .shape import Flatten

__all__ = [
    "Layer",
    "Dense",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "Softplus",
    "PReLU",
    "Maxout",
    "Flatten",
    "Dropout",
    "BatchNorm1d",
    "Sequential",
    "count_parameters",
]
