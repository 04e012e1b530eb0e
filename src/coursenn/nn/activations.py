r"""Activation functions and their derivatives.

Every function takes an array-like ``x`` of any shape and returns a new float64 array of
the same shape (softmax and log-softmax work along ``axis``); it reads ``x`` without copying
it first and never changes it. ``NAME_grad(x, ...)`` is the
derivative :math:`f'(x)` with respect to the input, evaluated at ``x``, elementwise.
All of them are numerically stable: finite values and no overflow warnings at ±1000.

See chapter 1 (the neuron, the sign unit) and chapter 2 (activation functions).
"""

from __future__ import annotations

import numpy as np

from .._checks import ShapeError, check_number, read_array

__all__ = [
    "sign",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "relu",
    "relu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "prelu",
    "prelu_grad",
    "elu",
    "elu_grad",
    "softplus",
    "softplus_grad",
    "softmax",
    "log_softmax",
]


def sign(x) -> np.ndarray:
    r"""The perceptron's threshold unit, with values in :math:`\{-1, +1\}`.

    .. math:: \operatorname{sign}(x) = +1 \text{ if } x \ge 0, \quad -1 \text{ otherwise}.

    Unlike ``np.sign``, ``sign(0) = +1``, so the unit always fires one way or the other.
    Its derivative is zero almost everywhere, which is why gradient training needs smooth
    activations. See chapter 1.
    """
    x = read_array(x, "x")
    return np.where(x >= 0, 1.0, -1.0)


def sigmoid(x) -> np.ndarray:
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, values in (0, 1).

    Computed as :math:`1/(1+e^{-|x|})` or :math:`e^{-|x|}/(1+e^{-|x|})` so ``exp`` never
    overflows.
    """
    x = read_array(x, "x")
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_grad(x) -> np.ndarray:
    r""":math:`\sigma'(x) = \sigma(x)\,(1 - \sigma(x))`, at most 1/4 (at x = 0)."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x) -> np.ndarray:
    r"""Hyperbolic tangent, :math:`\tanh(x) = 2\sigma(2x) - 1`:

    .. math:: \tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}
    """
    return np.tanh(read_array(x, "x"))


def tanh_grad(x) -> np.ndarray:
    r""":math:`\tanh'(x) = 1 - \tanh^2(x)`, at most 1 (at x = 0)."""
    t = tanh(x)
    return 1.0 - t * t


def relu(x) -> np.ndarray:
    r"""Rectified linear unit :math:`\max(0, x)`."""
    x = read_array(x, "x")
    return np.maximum(x, 0.0)


def relu_grad(x) -> np.ndarray:
    r""":math:`\mathbb{1}(x > 0)`; the value at the kink x = 0 is taken as 0."""
    x = read_array(x, "x")
    return (x > 0).astype(np.float64)


def leaky_relu(x, negative_slope: float = 0.01) -> np.ndarray:
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\gamma x` otherwise.

    ``negative_slope`` is γ (0.01 by default, as PyTorch).
    """
    x = read_array(x, "x")
    negative_slope = check_number(negative_slope, "negative_slope", 0.0)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x, negative_slope: float = 0.01) -> np.ndarray:
    r""":math:`1` for :math:`x > 0`, :math:`\gamma` otherwise."""
    x = read_array(x, "x")
    return np.where(x > 0, 1.0, check_number(negative_slope, "negative_slope", 0.0))


def _x_and_slope(x, a) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and the PReLU slope ``a`` as arrays; ``a`` may broadcast to ``x``, never enlarge it."""
    x = read_array(x, "x")
    a = read_array(a, "a")
    try:
        grown = np.broadcast_shapes(a.shape, x.shape) != x.shape
    except ValueError:
        grown = True
    if grown:
        raise ShapeError(
            f"a must be a scalar or broadcast to the shape of x {x.shape} (e.g. one slope per "
            f"feature, shape ({x.shape[-1] if x.ndim else 1},)), got shape {a.shape}"
        )
    return x, a


def prelu(x, a) -> np.ndarray:
    r"""Parametric ReLU: :math:`x` for :math:`x > 0`, :math:`a_i x` otherwise.

    ``a`` is a learnable slope: a scalar or an array broadcastable against ``x``
    (for example one slope per feature, shape ``(D,)`` for ``x`` of shape ``(N, D)``).
    """
    x, a = _x_and_slope(x, a)
    return np.where(x > 0, x, a * x)


def prelu_grad(x, a) -> np.ndarray:
    r"""Derivative with respect to ``x``: :math:`1` for :math:`x > 0`, :math:`a_i` otherwise."""
    x, a = _x_and_slope(x, a)
    return np.where(x > 0, 1.0, a * np.ones_like(x))


def elu(x, alpha: float = 1.0) -> np.ndarray:
    r"""Exponential linear unit: :math:`x` for :math:`x > 0`, :math:`\alpha(e^x - 1)` otherwise."""
    x = read_array(x, "x")
    alpha = check_number(alpha, "alpha", 0.0)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x, alpha: float = 1.0) -> np.ndarray:
    r""":math:`1` for :math:`x > 0`, :math:`\alpha e^x` otherwise."""
    x = read_array(x, "x")
    alpha = check_number(alpha, "alpha", 0.0)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def softplus(x) -> np.ndarray:
    r"""Softplus :math:`\log(1 + e^x)`, computed as :math:`\max(x, 0) + \log(1 + e^{-|x|})`."""
    x = read_array(x, "x")
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def softplus_grad(x) -> np.ndarray:
    r""":math:`\frac{d}{dx}\log(1 + e^x) = \sigma(x)`."""
    return sigmoid(x)


def _along(x, axis) -> np.ndarray:
    """``x`` as an array with an axis ``axis`` (an int) to normalise along."""
    x = read_array(x, "x")
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}: {axis!r}")
    if not -x.ndim <= axis < x.ndim:
        raise ShapeError(
            f"axis {axis} is out of range for x of shape {x.shape}: x needs an axis to "
            "normalise along (for one vector pass a 1-D array)"
        )
    return x


def softmax(x, axis: int = -1) -> np.ndarray:
    r"""Softmax along ``axis``: :math:`\mathrm{softmax}(x)_k = e^{x_k} / \sum_j e^{x_j}`.

    The maximum is subtracted first (softmax is shift-invariant), so no ``exp`` overflows.
    For scores of shape ``(N, K)`` the default ``axis=-1`` gives one distribution per row.
    """
    x = _along(x, axis)
    e = x - np.max(x, axis=axis, keepdims=True)  # the one new array, reused in place below
    np.exp(e, out=e)
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def log_softmax(x, axis: int = -1) -> np.ndarray:
    r"""Log-softmax along ``axis``, computed without overflow.

    .. math:: \log \mathrm{softmax}(x)_k = x_k - m - \log \sum_j e^{x_j - m},
              \qquad m = \max_j x_j .
    """
    x = _along(x, axis)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
