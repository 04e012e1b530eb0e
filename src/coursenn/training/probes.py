"""Looking inside a model: each layer's activations and each parameter's gradient on a batch.

Layers are named ``"index:Class"`` (``"0:Dense"``, ``"1:ReLU"``); nested ``Sequential`` models
are flattened. See chapter 7 (activation histograms) and chapter 10 (monitoring).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._checks import (
    read_array,
)
from ..nn.layers import Layer, Sequential
from ..nn.parameter import Parameter

__all__ = ["layer_activations", "parameter_gradients"]


def _call_loss(loss_fn: Callable, scores: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    result = loss_fn(scores, y)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise TypeError(f"loss_fn must return a pair (loss, dscores), got {type(result).__name__}")
    return float(result[0]), result[1]


def _flat_layers(model: Layer) -> list[Layer]:
    """The layers of a Sequential in order (nested ones flattened); ``[model]`` otherwise."""
    if isinstance(model, Sequential):
        return [inner for layer in model.layers for inner in _flat_layers(layer)]
    return [model]


def _named_layers(model: Layer) -> list[tuple[str, Layer]]:
    """``[("0:Dense", layer), ("1:ReLU", layer), ...]``."""
    return [(f"{i}:{type(layer).__name__}", layer) for i, layer in enumerate(_flat_layers(model))]


def _named_parameters(layers: list[tuple[str, Layer]]) -> list[tuple[str, Parameter]]:
    """``("0:Dense.W", W)``, ``("0:Dense.b", b)``, ...: every parameter with its layer's name."""
    return [
        (f"{name}.{p.name or j}", p)
        for name, layer in layers
        for j, p in enumerate(layer.parameters())
    ]


def _probe(model: Layer, X, loss_fn=None, y=None):
    """Forward ``X`` layer by layer in evaluation mode (and backward if ``loss_fn`` is given).

    Returns ``(activations, gradients)`` dicts. The model's mode and every ``.grad`` are
    restored afterwards, so probing does not disturb training.
    """
    layers = _named_layers(model)
    params = _named_parameters(layers)
    saved = [p.grad.copy() for _, p in params]
    was_training = getattr(model, "training", True)
    model.eval()
    try:
        out = read_array(X, "X")
        activations = {}
        for name, layer in layers:
            out = layer.forward(out)
            activations[name] = out
        gradients = {}
        if loss_fn is not None:
            for _, p in params:
                p.zero_grad()
            dout = _call_loss(loss_fn, out, y)[1]
            for _, layer in reversed(layers):
                dout = layer.backward(dout)
            gradients = {name: p.grad.copy() for name, p in params}
    finally:
        for (_, p), grad in zip(params, saved, strict=True):
            p.grad = grad
        if was_training:
            model.train()
        else:
            model.eval()
    return activations, gradients


def layer_activations(model: Layer, X) -> dict[str, np.ndarray]:
    """Output of every layer of ``model`` for the batch ``X``, in evaluation mode.

    Returns ``{"0:Dense": (N, D1) array, "1:ReLU": ..., ...}`` in layer order (the last entry
    is the model's output). Feed it to
    :func:`coursenn.plotting.training.plot_layer_histograms`. See chapter 7.
    """
    return _probe(model, X)[0]


def parameter_gradients(model: Layer, loss_fn: Callable, X, y) -> dict[str, np.ndarray]:
    """Gradient of ``loss_fn(model(X), y)`` for every parameter, in evaluation mode.

    Returns ``{"0:Dense.W": dW, "0:Dense.b": db, ...}``; the model's own ``.grad`` arrays
    are left as they were. See chapter 7.
    """
    return _probe(model, X, loss_fn, y)[1]
