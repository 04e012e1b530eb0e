"""``Sequential``, the container of layers, and ``count_parameters``. See chapter 1."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..._checks import (
    read_array,
)
from ..parameter import Parameter
from .base import Layer

__all__ = ["Sequential", "count_parameters"]


class Sequential(Layer):
    """Layers applied in order; ``backward`` runs them in reverse.

    ``Sequential(Dense(3, 4), Tanh(), Dense(4, 1))`` is the network
    :math:`x \\to \\tanh(xW_1 + b_1)W_2 + b_2`. See chapter 1.
    """

    def __init__(self, *layers: Layer) -> None:
        super().__init__()
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layers must be Layer instances, got {type(layer).__name__} at position {i}"
                )
        self.layers = list(layers)

    def parameters(self) -> Iterator[Parameter]:
        for layer in self.layers:
            yield from layer.parameters()

    def forward(self, x) -> np.ndarray:
        out = read_array(x, "x")
        for layer in self.layers:
            out = layer.forward(out)
        self._cache = True
        return out

    def backward(self, dout, *, input_grad: bool = True) -> np.ndarray | None:
        """Backpropagate ``dout`` through the layers in reverse; return ``dL/dx``.

        With ``input_grad=False`` nothing is computed for the network's input (the data):
        the first layer with parameters writes its ``.grad`` without its ``dx``
        (:meth:`Layer.backward_params`), the layers before it are skipped, and the result is
        ``None``. Every parameter gets the same gradient either way.
        """
        self._require_cache()
        grad = read_array(dout, "dout")
        if input_grad:
            for layer in reversed(self.layers):
                grad = layer.backward(grad)
            return grad
        first = self._first_with_parameters()
        for layer in reversed(self.layers[first + 1 :]):
            grad = layer.backward(grad)
        if first < len(self.layers):
            self.layers[first].backward_params(grad)
        return None

    def backward_params(self, dout) -> None:
        self.backward(dout, input_grad=False)

    def _first_with_parameters(self) -> int:
        """Index of the first layer that has parameters (``len(layers)`` if none has)."""
        for i, layer in enumerate(self.layers):
            if next(iter(layer.parameters()), None) is not None:
                return i
        return len(self.layers)

    def train(self) -> Sequential:
        super().train()
        for layer in self.layers:
            layer.train()
        return self

    def eval(self) -> Sequential:
        super().eval()
        for layer in self.layers:
            layer.eval()
        return self

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, i: int) -> Layer:
        return self.layers[i]

    def __repr__(self) -> str:
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential(\n{inner}\n)"


def count_parameters(model: Layer) -> int:
    r"""Number of learnable scalars in ``model``.

    For a fully connected net with layer sizes :math:`M_0, M_1, \dots, M_L` this is
    :math:`\sum_{l=1}^{L} (M_{l-1} + 1)\, M_l` (weights plus biases). See chapter 1.
    """
    if not isinstance(model, Layer):
        raise TypeError(f"model must be a Layer, got {type(model).__name__}")
    return sum(p.size for p in model.parameters())
