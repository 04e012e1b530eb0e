"""``Parameter``: a learnable array and its gradient, the unit optimizers update."""

from __future__ import annotations

import numpy as np

from .._checks import as_array

__all__ = ["Parameter"]


class Parameter:
    """A learnable tensor.

    Attributes
    ----------
    data : ndarray, float64
        The current value.
    grad : ndarray, float64, same shape as ``data``
        dL/d(data), written by a layer's ``backward``; zero until then.
    name : str
        A short label such as ``"W"`` or ``"b"`` (used in reports).

    See chapter 1 (counting parameters) and chapter 5 (gradients).
    """

    def __init__(self, data, name: str = "") -> None:
        self.data = as_array(data, "data")
        self.grad = np.zeros_like(self.data)
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def size(self) -> int:
        """Number of scalars in this parameter."""
        return int(self.data.size)

    def zero_grad(self) -> None:
        """Set ``grad`` to (new) zeros."""
        self.grad = np.zeros(self.data.shape)

    def __repr__(self) -> str:
        label = f"{self.name}, " if self.name else ""
        return f"Parameter({label}shape={self.data.shape})"
