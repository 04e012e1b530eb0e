"""The network library every chapter builds on: numpy only, importing nothing of the chapters.

==================  ==============================================================
module              holds
==================  ==============================================================
``parameter``       ``Parameter``: ``.data`` and ``.grad``, what optimizers update
``activations``     activation functions and their derivatives
``losses``          loss functions, each returning ``(loss, dinput)``
``init``            weight initialisations (Xavier, He, ...)
``layers``          ``Layer``, ``Dense``, activation layers, ``Dropout``, ``Sequential`` ...
``conv``            convolution and pooling: geometry, loops, im2col, layers
``optim``           optimizers (as ``torch.optim``) and learning-rate schedules
``engine``          ``Value``, a scalar autograd engine (micrograd-style)
``gradcheck``       numerical gradients and the lecture's relative-error check
==================  ==============================================================

The classes a chapter builds networks from are importable from here::

    from coursenn.nn import Dense, ReLU, Sequential
"""

from . import activations, conv, engine, gradcheck, init, layers, losses, optim, parameter
from .conv import AvgPool2D, Conv2D, MaxPool2D
from .engine import Value
from .layers import *  # noqa: F403 - every layer class (layers.__all__)
from .optim import SGD, Adagrad, Adam, RMSprop
from .parameter import Parameter

__all__ = [
    "activations",
    "conv",
    "engine",
    "gradcheck",
    "init",
    "layers",
    "losses",
    "optim",
    "parameter",
    "Parameter",
    "Value",
    *layers.__all__,
    "Conv2D",
    "MaxPool2D",
    "AvgPool2D",
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adam",
]
