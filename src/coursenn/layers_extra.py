r"""Layers with learnable activation shapes: ``PReLU`` (a learnable negative slope) and ``Maxout``.

Same conventions as :mod:`coursenn.layers`: ``forward`` keeps what ``backward`` needs,
``backward(dout)`` returns ``dx`` and writes each parameter's ``.grad``, and calling
``backward`` before ``forward`` raises ``RuntimeError``. See chapter 7 (fixes for dead ReLUs)
and chapter 2 (the activation functions).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ._checks import as_array, as_rng, check_ndim, check_number, check_positive_int
from .init import get_initializer
from .layers import Layer
from .parameter import Parameter

__all__ = ["PReLU", "Maxout"]


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
        Initialiser of each piece's weights (:mod:`coursenn.init`), default ``"he_normal"``.
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
