r"""Activation layers: the elementwise ones (Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softplus) and
the learnable ones, ``PReLU`` (a learnable negative slope) and ``Maxout``.

An elementwise layer computes ``f(x)`` forward and ``dout * f'(x)`` backward, with ``f`` and
``f'`` from :mod:`coursenn.nn.activations`. Same conventions as every layer: ``forward`` keeps
what ``backward`` needs, ``backward(dout)`` returns ``dx`` and writes each parameter's
``.grad``, and calling ``backward`` before ``forward`` raises ``RuntimeError``. See chapter 2
(the activation functions) and chapter 7 (fixes for dead ReLUs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ..._checks import (
    as_array,
    as_rng,
    check_ndim,
    check_number,
    check_positive_int,
    read_array,
)
from .. import activations as act
from ..init import get_initializer
from ..parameter import Parameter
from .base import Layer

__all__ = ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softplus", "PReLU", "Maxout"]


class _Elementwise(Layer):
    """An activation applied elementwise: ``forward = f(x)``, ``backward = dout * f'(x)``.

    ``forward`` keeps a reference to its input (no copy) for ``backward``.
    """

    def _f(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _df(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def forward(self, x) -> np.ndarray:
        x = read_array(x, "x")
        self._cache = x
        return self._f(x)

    def backward(self, dout) -> np.ndarray:
        x = self._require_cache()
        dout = read_array(dout, "dout")
        if dout.shape != x.shape:
            raise ValueError(f"dout must have shape {x.shape} (the input's), got {dout.shape}")
        return dout * self._df(x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _activation_layer(
    name: str, f: Callable[[np.ndarray], np.ndarray], df: Callable[[np.ndarray], np.ndarray]
) -> type[_Elementwise]:
    """Make an :class:`_Elementwise` subclass from a function and its derivative."""
    doc = (
        f"Elementwise ``{f.__name__}`` as a layer "
        f"(see :func:`coursenn.nn.activations.{f.__name__}`)."
    )
    return type(
        name,
        (_Elementwise,),
        {"_f": staticmethod(f), "_df": staticmethod(df), "__doc__": doc, "__module__": __name__},
    )


Sigmoid = _activation_layer("Sigmoid", act.sigmoid, act.sigmoid_grad)
Tanh = _activation_layer("Tanh", act.tanh, act.tanh_grad)


def _relu_mask(x: np.ndarray) -> np.ndarray:
    """:func:`coursenn.nn.activations.relu_grad` as booleans: ``dout * mask`` skips a float copy."""
    return x > 0


ReLU = _activation_layer("ReLU", act.relu, _relu_mask)
Softplus = _activation_layer("Softplus", act.softplus, act.softplus_grad)


class LeakyReLU(_Elementwise):
    """Leaky ReLU layer with a fixed ``negative_slope`` (see :func:`.activations.leaky_relu`)."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = check_number(negative_slope, "negative_slope", 0.0)

    def _f(self, x):
        return act.leaky_relu(x, self.negative_slope)

    def _df(self, x):
        return act.leaky_relu_grad(x, self.negative_slope)

    def __repr__(self) -> str:
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class ELU(_Elementwise):
    """ELU layer with a fixed ``alpha`` (see :func:`coursenn.nn.activations.elu`)."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = check_number(alpha, "alpha", 0.0)

    def _f(self, x):
        return act.elu(x, self.alpha)

    def _df(self, x):
        return act.elu_grad(x, self.alpha)

    def __repr__(self) -> str:
        return f"ELU(alpha={self.alpha})"


class PReLU(Layer):
    r"""Parametric ReLU :math:`f(x) = \max(0, x) + a \min(0, x)` with a learnable slope ``a``.

    Parameters
    ----------
    num_features : int, default 1
        1: one slope shared by every unit; ``D``: one slope per feature (the last axis).
    init : float, default 0.25
        Starting slope (He et al., 2015).

    Shapes
    ------
    ``a``: ``(num_features,)``; ``forward``: ``(N, ..., D) -> (N, ..., D)``.

    Backward:
    :math:`\partial L/\partial x = \mathrm{dout} \cdot (1 \text{ if } x > 0 \text{ else } a)`,
    :math:`\partial L/\partial a = \sum_{x \le 0} \mathrm{dout} \cdot x` (summed over every
    position that shares the slope).
    """

    def __init__(self, num_features: int = 1, init: float = 0.25) -> None:
        super().__init__()
        self.num_features = check_positive_int(num_features, "num_features")
        init = check_number(init, "init", -np.inf)
        self.a = Parameter(np.full(self.num_features, init), "a")

    def parameters(self) -> Iterator[Parameter]:
        yield self.a

    def forward(self, x) -> np.ndarray:
        x = as_array(x, "x")
        if self.num_features > 1 and (x.ndim < 2 or x.shape[-1] != self.num_features):
            raise ValueError(
                f"x must have shape (N, ..., {self.num_features}) for PReLU({self.num_features}), "
                f"got {x.shape}"
            )
        self._cache = x
        return np.where(x > 0, x, self.a.data * x)

    def backward(self, dout) -> np.ndarray:
        x = self._require_cache()
        dout = as_array(dout, "dout")
        if dout.shape != x.shape:
            raise ValueError(f"dout must have shape {x.shape} (the input's), got {dout.shape}")
        negative = np.where(x > 0, 0.0, x) * dout
        if self.num_features == 1:
            self.a.grad = np.array([negative.sum()])
        else:
            self.a.grad = negative.reshape(-1, self.num_features).sum(axis=0)
        return dout * np.where(x > 0, 1.0, self.a.data)

    def __repr__(self) -> str:
        return f"PReLU({self.num_features})"


class Maxout(Layer):
    r"""Maxout unit: :math:`y = \max_{j=1..k} (X W_j + b_j)`, elementwise over the ``k`` pieces.

    With ``k = 2`` it contains ReLU (:math:`W_2 = 0, b_2 = 0`) and Leaky ReLU; it never has a
    zero gradient everywhere, at the price of ``k`` times the parameters of a Dense layer.

    Parameters
    ----------
    in_features, out_features : int
        :math:`D_{in}`, :math:`D_{out}`.
    pieces : int, default 2
        :math:`k`, the number of affine pieces.
    init : str
        Initialiser of each piece's weights (:mod:`coursenn.nn.init`), default ``"he_normal"``.
    rng : Generator, int or None

    Shapes
    ------
    ``W``: ``(k, D_in, D_out)``, ``b``: ``(k, D_out)``; ``forward``: ``(N, D_in) -> (N, D_out)``.

    Backward: the gradient flows only through the winning piece :math:`j^*(n, m)`:
    :math:`\partial L/\partial W_j = X^\top (\mathrm{dout} \odot [j = j^*])`,
    :math:`\partial L/\partial b_j = \sum_n \mathrm{dout} \odot [j = j^*]`,
    :math:`\partial L/\partial X = \sum_j (\mathrm{dout} \odot [j = j^*]) W_j^\top`.
    Ties go to the first piece (as ``np.argmax``).
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        pieces: int = 2,
        init: str = "he_normal",
        rng=None,
    ) -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        self.pieces = check_positive_int(pieces, "pieces")
        initializer = get_initializer(init)
        rng = as_rng(rng)
        W = np.stack(
            [
                initializer((self.in_features, self.out_features), rng=rng)
                for _ in range(self.pieces)
            ]
        )
        self.W = Parameter(W, "W")
        self.b = Parameter(np.zeros((self.pieces, self.out_features)), "b")

    def parameters(self) -> Iterator[Parameter]:
        yield self.W
        yield self.b

    def forward(self, x) -> np.ndarray:
        x = as_array(x, "x")
        check_ndim(x, 2, "x", shape_hint=f"(N, {self.in_features})")
        if x.shape[1] != self.in_features:
            raise ValueError(
                f"x must have shape (N, {self.in_features}) for Maxout({self.in_features}, "
                f"{self.out_features}), got {x.shape}"
            )
        Z = x @ self.W.data + self.b.data[:, None, :]  # (k, N, M): one product per piece
        winner = np.argmax(Z, axis=0)  # (N, M)
        self._cache = (x, winner)
        return np.take_along_axis(Z, winner[None], axis=0)[0]

    def backward(self, dout) -> np.ndarray:
        x, winner = self._require_cache()
        dout = as_array(dout, "dout")
        expected = (x.shape[0], self.out_features)
        if dout.shape != expected:
            raise ValueError(f"dout must have shape {expected}, got {dout.shape}")
        dZ = (np.arange(self.pieces)[:, None, None] == winner[None]) * dout[None]  # (k, N, M)
        self.W.grad = x.T @ dZ  # (k, D_in, D_out)
        self.b.grad = dZ.sum(axis=1)
        return np.sum(dZ @ self.W.data.transpose(0, 2, 1), axis=0)  # (N, D_in)

    def __repr__(self) -> str:
        return f"Maxout({self.in_features}, {self.out_features}, pieces={self.pieces})"
