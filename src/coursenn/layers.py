r"""Layers with a forward and a backward pass.

A layer maps a batch ``x`` of shape ``(N, ...)`` to an output; ``forward`` keeps what
``backward`` needs, and ``backward(dout)`` returns ``dx = dL/dx`` and writes ``.grad`` of
each of its :class:`~coursenn.parameter.Parameter`. Calling ``backward`` before ``forward``
raises ``RuntimeError``.

Code convention versus the lecture: the lecture writes one sample as a column vector,
:math:`\mathbf z = \mathbf W \mathbf a + \mathbf b` with
:math:`\mathbf W \in \mathbb R^{M_l \times M_{l-1}}`.
Here a batch is a matrix with one sample per **row**, so ``Dense`` computes
``Z = X @ W + b`` with ``W`` of shape ``(D_in, D_out)``: ``Dense.W`` is the lecture's
:math:`\mathbf W^\top`. See chapter 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from . import activations as act
from ._checks import (
    as_array,
    as_rng,
    check_ndim,
    check_number,
    check_positive_int,
    check_shape,
    read_array,
)
from .init import get_initializer
from .parameter import Parameter

__all__ = [
    "Layer",
    "Dense",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "Softplus",
    "Flatten",
    "Dropout",
    "BatchNorm1d",
    "Sequential",
    "count_parameters",
]


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
        Weight initialiser from :mod:`coursenn.init` (default ``"he_normal"``); ``b`` starts at 0.
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
        f"Elementwise ``{f.__name__}`` as a layer (see :func:`coursenn.activations.{f.__name__}`)."
    )
    return type(
        name,
        (_Elementwise,),
        {"_f": staticmethod(f), "_df": staticmethod(df), "__doc__": doc, "__module__": __name__},
    )


Sigmoid = _activation_layer("Sigmoid", act.sigmoid, act.sigmoid_grad)
Tanh = _activation_layer("Tanh", act.tanh, act.tanh_grad)


def _relu_mask(x: np.ndarray) -> np.ndarray:
    """:func:`coursenn.activations.relu_grad` as booleans: ``dout * mask`` skips a float copy."""
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
    """ELU layer with a fixed ``alpha`` (see :func:`coursenn.activations.elu`)."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = check_number(alpha, "alpha", 0.0)

    def _f(self, x):
        return act.elu(x, self.alpha)

    def _df(self, x):
        return act.elu_grad(x, self.alpha)

    def __repr__(self) -> str:
        return f"ELU(alpha={self.alpha})"


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


class Dropout(Layer):
    r"""Inverted dropout: keep each unit with probability ``keep_prob`` and rescale.

    Training: :math:`y = x \odot m / p` with :math:`m_i \sim \mathrm{Bernoulli}(p)`, so
    :math:`\mathbb E[y] = x` and nothing needs rescaling at test time. Evaluation
    (``eval()``): identity. The mask of the last forward pass is kept in ``mask`` and used by
    ``backward``: :math:`\partial L/\partial x = \mathrm{dout} \odot m / p`. See chapter 10.
    """

    def __init__(self, keep_prob: float, *, rng=None) -> None:
        super().__init__()
        self.keep_prob = check_number(keep_prob, "keep_prob", 0.0, 1.0, low_open=True)
        self.rng = as_rng(rng)
        self.mask: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        x = read_array(x, "x")
        if self.training:
            self.mask = (self.rng.random(x.shape) < self.keep_prob) / self.keep_prob
        else:
            self.mask = np.ones_like(x)
        self._cache = self.mask
        return x * self.mask

    def backward(self, dout) -> np.ndarray:
        mask = self._require_cache()
        dout = read_array(dout, "dout")
        if dout.shape != mask.shape:
            raise ValueError(f"dout must have shape {mask.shape}, got {dout.shape}")
        return dout * mask

    def __repr__(self) -> str:
        return f"Dropout(keep_prob={self.keep_prob})"


class BatchNorm1d(Layer):
    r"""Batch normalisation over the batch axis of ``(N, D)`` inputs (as PyTorch's BatchNorm1d).

    Training: :math:`\hat x = (x - \mu_B) / \sqrt{\sigma_B^2 + \epsilon}` with the batch mean and
    (biased) variance, :math:`y = \gamma \hat x + \beta`; running statistics are updated as
    :math:`r \leftarrow (1 - m) r + m \cdot s_B` (``momentum`` = m; the running variance uses the
    unbiased batch variance). Evaluation: the running statistics replace the batch ones.

    Parameters ``gamma`` (D,) (ones) and ``beta`` (D,) (zeros), yielded in that order. Backward
    in training mode:
    :math:`\partial L/\partial x = \frac{1}{N\sqrt{\sigma_B^2+\epsilon}}\big(N g - \sum_n g_n -
    \hat x \sum_n g_n \hat x_n\big)` with :math:`g = \gamma \odot \mathrm{dout}`. See chapter 10.
    """

    def __init__(self, num_features: int, *, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        self.num_features = check_positive_int(num_features, "num_features")
        self.eps = check_number(eps, "eps", 0.0, low_open=True)
        self.momentum = check_number(momentum, "momentum", 0.0, 1.0)
        self.gamma = Parameter(np.ones(self.num_features), "gamma")
        self.beta = Parameter(np.zeros(self.num_features), "beta")
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)

    def parameters(self) -> Iterator[Parameter]:
        yield self.gamma
        yield self.beta

    def forward(self, x) -> np.ndarray:
        x = read_array(x, "x")
        check_shape(x, (None, self.num_features), "x")
        if self.training:
            if x.shape[0] < 2:
                raise ValueError(
                    f"x must hold at least 2 samples for BatchNorm1d in training mode (batch "
                    f"statistics), got {x.shape[0]}"
                )
            mean, var = x.mean(axis=0), x.var(axis=0)
            m, n = self.momentum, x.shape[0]
            self.running_mean = (1 - m) * self.running_mean + m * mean
            self.running_var = (1 - m) * self.running_var + m * var * n / (n - 1)
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mean) * inv_std
        self._cache = (x_hat, inv_std, self.training)
        return self.gamma.data * x_hat + self.beta.data

    def backward(self, dout) -> np.ndarray:
        x_hat, inv_std, training = self._require_cache()
        dout = read_array(dout, "dout")
        if dout.shape != x_hat.shape:
            raise ValueError(f"dout must have shape {x_hat.shape}, got {dout.shape}")
        self.gamma.grad = np.sum(dout * x_hat, axis=0)
        self.beta.grad = dout.sum(axis=0)
        g = dout * self.gamma.data
        if not training:  # running statistics are constants
            return g * inv_std
        n = dout.shape[0]
        return inv_std / n * (n * g - g.sum(axis=0) - x_hat * np.sum(g * x_hat, axis=0))

    def __repr__(self) -> str:
        return f"BatchNorm1d({self.num_features})"


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
