"""``Flatten``: the layer between convolutional and dense layers. See chapter 9."""

from __future__ import annotations

import numpy as np

from ..._checks import (
    as_array,
)
from .base import Layer

__all__ = ["Flatten"]


class Flatten(Layer):
    """Flatten every sample: ``(N, d1, d2, ...) -> (N, d1*d2*...)``; backward restores the shape.

    Used between convolutional and dense layers. See chapter 9.
    """

    def forward(self, x) -> np.ndarray:
        x = as_array(x, "x")
        if x.ndim < 2:
            raise ValueError(f"x must have a batch axis and at least one more, got shape {x.shape}")
        self._cache = x.shape
        return x.reshape(x.shape[0], int(np.prod(x.shape[1:])))  # -1 fails for 0 samples

    def backward(self, dout) -> np.ndarray:
        shape = self._require_cache()
        dout = as_array(dout, "dout")
        expected = (shape[0], int(np.prod(shape[1:])))
        if dout.shape != expected:
            raise ValueError(f"dout must have shape {expected}, got {dout.shape}")
        return dout.reshape(shape)

    def __repr__(self) -> str:
        return "Flatten()"
