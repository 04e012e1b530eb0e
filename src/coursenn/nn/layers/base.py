r"""The ``Layer`` base class and ``Dense``: a forward and a backward pass.

A layer maps a batch ``x`` of shape ``(N, ...)`` to an output; ``forward`` keeps what
``backward`` needs, and ``backward(dout)`` returns ``dx = dL/dx`` and writes ``.grad`` of
each of its :class:`~coursenn.nn.parameter.Parameter`. Calling ``backward`` before ``forward``
raises ``RuntimeError``.

Code convention versus the lecture: the lecture writes one sample as a column vector,
:math:`\mathbf z = \mathbf W \mathbf a + \mathbf b` with
:math:`\mathbf W \in \mathbb R^{M_l \times M_{l-1}}`.
Here a batch is a matrix with one sample per **row**, so ``Dense`` computes
``Z = X @ W + b`` with ``W`` of shape ``(D_in, D_out)``: ``Dense.W`` is the lecture's
:math:`\mathbf W^\top`. See chapter 1.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..._checks import (
    check_ndim,
    check_positive_int,
    read_array,
)
from ..init import get_initializer
from ..parameter import Parameter

__all__ = ["Layer", "Dense"]


class Layer:
    """Base class: ``forward``, ``backward``, ``parameters``, ``train``/``eval``."""

    def __init__(self) -> None:
        self.training = True
        self._cache = None

    def parameters(self) -> Iterator[Parameter]:
        """Yield this layer's Parameters (weight before bias). None by default."""
        yield from ()

    def forward(self, x) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def backward(self, dout) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must implement backward")

    def backward_params(self, dout) -> None:
        """Write every parameter's ``.grad`` as ``backward`` does, without returning ``dx``.

        For the first layer of a network, whose input (the data) needs no gradient: a layer
        that can skip computing ``dx`` overrides this (``Dense``, ``Conv2D``; PyTorch skips
        it too when the input has ``requires_grad=False``). By default it runs ``backward``.
        """
        self.backward(dout)

    def __call__(self, x) -> np.ndarray:
        return self.forward(x)

    def train(self) -> Layer:
        """Switch to training mode (matters for Dropout and BatchNorm); returns self."""
        self.training = True
        return self

    def eval(self) -> Layer:
        """Switch to evaluation mode; returns self."""
        self.training = False
        return self

    def _require_cache(self):
        if self._cache is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward called before forward: "
                "run forward(x) first so the layer has its inputs"
            )
        return self._cache


class Dense(Layer):
    r"""Fully connected (affine) layer :math:`Z = XW + b`.

    Parameters
    ----------
    in_features, out_features : int
        :math:`D_{in}` and :math:`D_{out}`.
    init : str
        Weight initialiser from :mod:`coursenn.nn.init` (default ``"he_normal"``); ``b`` starts
        at 0.
    rng : Generator, int or None
        Randomness for the initialiser.

    Shapes
    ------
    ``W``: ``(D_in, D_out)``, ``b``: ``(D_out,)``; ``forward``: ``(N, D_in) -> (N, D_out)``.

    Backward, with ``dout`` :math:`= \partial L/\partial Z` of shape ``(N, D_out)``:
    :math:`\partial L/\partial W = X^\top \,\mathrm{dout}`,
    :math:`\partial L/\partial b = \sum_n \mathrm{dout}_n`,
    :math:`\partial L/\partial X = \mathrm{dout}\, W^\top`.
    Learnable scalars: :math:`(D_{in} + 1) D_{out}`. ``forward`` keeps a reference to ``x``
    (no copy) for ``backward``: change ``x`` in place between the two and ``dW`` changes too.
    See chapters 1 and 5.
    """

    def __init__(
        self, in_features: int, out_features: int, *, init: str = "he_normal", rng=None
    ) -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        initializer = get_initializer(init)
        self.W = Parameter(initializer((self.in_features, self.out_features), rng=rng), "W")
        self.b = Parameter(np.zeros(self.out_features), "b")

    def parameters(self) -> Iterator[Parameter]:
        yield self.W
        yield self.b

    def forward(self, x) -> np.ndarray:
        x = read_array(x, "x")
        check_ndim(x, 2, "x", shape_hint=f"(N, {self.in_features})")
        if x.shape[1] != self.in_features:
            raise ValueError(
                f"x must have shape (N, {self.in_features}) for Dense({self.in_features}, "
                f"{self.out_features}), got {x.shape}"
            )
        self._cache = x
        out = x @ self.W.data
        out += self.b.data  # in place: no second (N, D_out) array
        return out

    def backward(self, dout) -> np.ndarray:
        dout = self._param_grads(dout)
        return dout @ self.W.data.T

    def backward_params(self, dout) -> None:
        """``backward`` without the product ``dout @ W.T`` (the input needs no gradient)."""
        self._param_grads(dout)

    def _param_grads(self, dout) -> np.ndarray:
        """Check ``dout``, write ``W.grad`` and ``b.grad``; return ``dout`` as an array."""
        x = self._require_cache()
        dout = read_array(dout, "dout")
        expected = (x.shape[0], self.out_features)
        if dout.shape != expected:
            raise ValueError(f"dout must have shape {expected}, got {dout.shape}")
        self.W.grad = x.T @ dout
        self.b.grad = dout.sum(axis=0)
        return dout

    def __repr__(self) -> str:
        return f"Dense({self.in_features}, {self.out_features})"
