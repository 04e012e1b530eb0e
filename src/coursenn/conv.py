r"""Convolution and pooling: a loop reference, the im2col version, and layers.

Images are ``(N, C, H, W)``, filters ``W`` are ``(F, C, KH, KW)`` and biases ``b`` are
``(F,)``, as in PyTorch. The "convolution" is a cross-correlation (no kernel flip), as in
PyTorch and the lecture:

.. math::
    \mathrm{out}[n, f, i, j] = b_f + \sum_{c, u, v}
        W[f, c, u, v]\; x_{\mathrm{pad}}[n, c, i S_H + u, j S_W + v]

with output size :math:`O = (I - K + 2P)/S + 1` (:func:`conv_output_size`). With a
``dilation`` :math:`D` (default 1, as PyTorch) the taps are :math:`D` pixels apart, ``x_pad[n,
c, i S_H + u D_H, j S_W + v D_W]``, and :math:`K` becomes :math:`D(K - 1) + 1` in the size.

Three ways to compute the same thing:

* ``*_naive`` functions: explicit loops over every output value, for reading and testing;
* ``conv2d_forward``/``conv2d_backward`` (:mod:`coursenn.conv_im2col`) and the pooling pairs
  (:mod:`coursenn.conv_pool`), re-exported here: :func:`im2col` turns all the windows into
  the columns of one matrix, so the convolution is one matrix product ``W_row @ X_col`` (the
  lecture's ``np.dot(W_row, X_col)``); pooling reduces over the kernel's taps; forward
  returns ``(out, cache)`` and backward takes ``(dout, cache)``;
* the layers :class:`Conv2D`, :class:`MaxPool2D`, :class:`AvgPool2D`, built on the second.

Pooling has no padding; its ``stride`` defaults to ``kernel_size`` (non-overlapping
windows). When several entries of a max-pooling window tie, the first one in row-major
order takes the gradient (as ``np.argmax``). See chapter 9.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ._checks import ShapeError, as_array, check_positive_int, check_shape
from .conv_geometry import (
    IntOrPair,
    Window,
    as_images,
    as_pair,
    conv_inputs,
    conv_output_size,
    pad,
    pool_geometry,
    read_images,
    window_geometry,
)
from .conv_im2col import col2im, conv2d_backward, conv2d_forward, im2col
from .conv_pool import (
    avgpool2d_backward,
    avgpool2d_forward,
    maxpool2d_backward,
    maxpool2d_forward,
)
from .init import he_normal
from .layers import Layer
from .parameter import Parameter

__all__ = [
    "conv_output_size",
    "im2col",
    "col2im",
    "conv2d_naive",
    "conv2d_naive_backward",
    "maxpool2d_naive",
    "maxpool2d_naive_backward",
    "avgpool2d_naive",
    "avgpool2d_naive_backward",
    "conv2d_forward",
    "conv2d_backward",
    "maxpool2d_forward",
    "maxpool2d_backward",
    "avgpool2d_forward",
    "avgpool2d_backward",
    "Conv2D",
    "MaxPool2D",
    "AvgPool2D",
]


# --- naive reference: one loop iteration per output value -----------------------------------


def _window(g: Window, i: int, j: int) -> tuple[slice, slice]:
    """Rows and columns of ``x_pad`` seen by output position ``(i, j)`` (every D-th one)."""
    rows = slice(i * g.sh, i * g.sh + g.dh * (g.kh - 1) + 1, g.dh)
    cols = slice(j * g.sw, j * g.sw + g.dw * (g.kw - 1) + 1, g.dw)
    return rows, cols


def conv2d_naive(
    x, W, b, stride: IntOrPair = 1, padding: IntOrPair = 0, dilation: IntOrPair = 1
) -> np.ndarray:
    r"""Convolution by explicit loops (reference implementation).

    Parameters
    ----------
    x : array, shape (N, C, H, W)
    W : array, shape (F, C, KH, KW)
    b : array, shape (F,)
    stride, padding, dilation : int or (int, int)
        Dilation :math:`D` reads every :math:`D`-th pixel of a window of
        :math:`D(K - 1) + 1` pixels (1: the ordinary convolution).

    Returns
    -------
    out : ndarray, shape (N, F, OH, OW)
        :math:`\mathrm{out}[n,f,i,j] = b_f + \sum_{c,u,v} W[f,c,u,v]\,
        x_{\mathrm{pad}}[n, c, iS_H + uD_H, jS_W + vD_W]`.

    See chapter 9.
    """
    x, W, b = conv_inputs(x, W, b)
    g = window_geometry(x.shape, W.shape[2:], stride, padding, dilation)
    x_pad = pad(x, g)
    out = np.empty((x.shape[0], W.shape[0], g.oh, g.ow))
    for n, f, i, j in np.ndindex(out.shape):
        rows, cols = _window(g, i, j)
        out[n, f, i, j] = np.sum(x_pad[n, :, rows, cols] * W[f]) + b[f]
    return out


def conv2d_naive_backward(
    dout, x, W, b, stride: IntOrPair = 1, padding: IntOrPair = 0, dilation: IntOrPair = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of :func:`conv2d_naive` by the same loops.

    Each output value :math:`\mathrm{out}[n,f,i,j]` sends :math:`\mathrm{dout}[n,f,i,j]
    \cdot W[f]` back to the window it read, and :math:`\mathrm{dout}[n,f,i,j] \cdot
    \mathrm{window}` to :math:`W[f]`; :math:`\partial L/\partial b_f = \sum_{n,i,j}
    \mathrm{dout}[n,f,i,j]`.

    Parameters
    ----------
    dout : array, shape (N, F, OH, OW)
        :math:`\partial L / \partial \mathrm{out}`.
    x, W, b, stride, padding, dilation
        As given to :func:`conv2d_naive`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    dW : ndarray, shape (F, C, KH, KW)
    db : ndarray, shape (F,)

    See chapter 9.
    """
    x, W, b = conv_inputs(x, W, b)
    g = window_geometry(x.shape, W.shape[2:], stride, padding, dilation)
    dout = as_array(dout, "dout")
    check_shape(dout, (x.shape[0], W.shape[0], g.oh, g.ow), "dout")
    x_pad = pad(x, g)
    dx_pad = np.zeros_like(x_pad)
    dW = np.zeros_like(W)
    for n, f, i, j in np.ndindex(dout.shape):
        rows, cols = _window(g, i, j)
        dx_pad[n, :, rows, cols] += dout[n, f, i, j] * W[f]
        dW[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
    dx = dx_pad[:, :, g.ph : g.ph + x.shape[2], g.pw : g.pw + x.shape[3]]
    return dx, dW, dout.sum(axis=(0, 2, 3))


def _pool_naive(x, kernel_size: IntOrPair, stride: IntOrPair | None, reduce) -> np.ndarray:
    """Pooling by loops: ``out[n, c, i, j] = reduce(window)``, one window at a time."""
    x = as_images(x)
    g = pool_geometry(x.shape, kernel_size, stride)
    out = np.empty(x.shape[:2] + (g.oh, g.ow))
    for n, c, i, j in np.ndindex(out.shape):
        rows, cols = _window(g, i, j)
        out[n, c, i, j] = reduce(x[n, c, rows, cols])
    return out


def _pool_backward_setup(dout, x, kernel_size: IntOrPair, stride: IntOrPair | None):
    """Validate a pooling backward's inputs; return ``(dout, x, geometry, zero dx)``."""
    x = as_images(x)
    g = pool_geometry(x.shape, kernel_size, stride)
    dout = as_array(dout, "dout")
    check_shape(dout, x.shape[:2] + (g.oh, g.ow), "dout")
    return dout, x, g, np.zeros_like(x)


def maxpool2d_naive(x, kernel_size: IntOrPair, stride: IntOrPair | None = None) -> np.ndarray:
    r"""Max pooling by loops: :math:`\mathrm{out}[n,c,i,j] = \max` of the window.

    ``x`` (N, C, H, W) -> ``out`` (N, C, OH, OW); ``stride`` defaults to ``kernel_size``.
    See chapter 9.
    """
    return _pool_naive(x, kernel_size, stride, np.max)


def maxpool2d_naive_backward(
    dout, x, kernel_size: IntOrPair, stride: IntOrPair | None = None
) -> np.ndarray:
    r"""Gradient of :func:`maxpool2d_naive`: ``dout`` goes to the maximum of each window.

    ``dout`` (N, C, OH, OW), ``x`` (N, C, H, W) -> ``dx`` (N, C, H, W). See chapter 9.
    """
    dout, x, g, dx = _pool_backward_setup(dout, x, kernel_size, stride)
    for n, c, i, j in np.ndindex(dout.shape):
        rows, cols = _window(g, i, j)
        u, v = np.unravel_index(np.argmax(x[n, c, rows, cols]), (g.kh, g.kw))
        dx[n, c, rows.start + u, cols.start + v] += dout[n, c, i, j]
    return dx


def avgpool2d_naive(x, kernel_size: IntOrPair, stride: IntOrPair | None = None) -> np.ndarray:
    r"""Average pooling by loops: :math:`\mathrm{out}[n,c,i,j] = \frac{1}{K_H K_W}\sum`
    of the window.

    ``x`` (N, C, H, W) -> ``out`` (N, C, OH, OW); ``stride`` defaults to ``kernel_size``.
    See chapter 9.
    """
    return _pool_naive(x, kernel_size, stride, np.mean)


def avgpool2d_naive_backward(
    dout, x, kernel_size: IntOrPair, stride: IntOrPair | None = None
) -> np.ndarray:
    r"""Gradient of :func:`avgpool2d_naive`: each window entry gets
    :math:`\mathrm{dout}/(K_H K_W)`.

    ``dout`` (N, C, OH, OW), ``x`` (N, C, H, W) -> ``dx`` (N, C, H, W). See chapter 9.
    """
    dout, x, g, dx = _pool_backward_setup(dout, x, kernel_size, stride)
    for n, c, i, j in np.ndindex(dout.shape):
        rows, cols = _window(g, i, j)
        dx[n, c, rows, cols] += dout[n, c, i, j] / (g.kh * g.kw)
    return dx


# --- layers ---------------------------------------------------------------------------------


class Conv2D(Layer):
    r"""Convolution layer, ``(N, C, H, W) -> (N, F, OH, OW)`` (see :func:`conv2d_forward`).

    Parameters
    ----------
    in_channels, out_channels : int
        :math:`C` and the number of filters :math:`F`.
    kernel_size : int or (int, int)
        :math:`(K_H, K_W)`.
    stride, padding : int or (int, int)
    dilation : int or (int, int), default 1
        Spacing of the kernel's taps (as PyTorch); a 3×3 kernel with dilation 2 sees 5×5.
    rng : Generator, int or None
        Randomness for the He-normal initialisation of ``W``:
        :math:`\mathcal N(0, 2 / (C K_H K_W))`; ``b`` starts at 0.

    ``W``: ``(F, C, KH, KW)``, ``b``: ``(F,)``; learnable scalars :math:`F(C K_H K_W + 1)`
    (AlexNet's first layer: :math:`96 \cdot (11 \cdot 11 \cdot 3 + 1) = 34944`).
    See chapter 9.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntOrPair,
        *,
        stride: IntOrPair = 1,
        padding: IntOrPair = 0,
        dilation: IntOrPair = 1,
        rng=None,
    ) -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kernel_size = as_pair(kernel_size, "kernel_size")
        self.stride = as_pair(stride, "stride")
        self.padding = as_pair(padding, "padding", allow_zero=True)
        self.dilation = as_pair(dilation, "dilation")
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.W = Parameter(he_normal(shape, rng=rng), "W")
        self.b = Parameter(np.zeros(self.out_channels), "b")

    def parameters(self) -> Iterator[Parameter]:
        yield self.W
        yield self.b

    def forward(self, x) -> np.ndarray:
        x = read_images(x)
        if x.shape[1] != self.in_channels:
            raise ShapeError(
                f"x must have shape (N, {self.in_channels}, H, W) for {self!r}, got {x.shape}"
            )
        out, self._cache = conv2d_forward(
            x, self.W.data, self.b.data, self.stride, self.padding, self.dilation
        )
        return out

    def backward(self, dout) -> np.ndarray:
        dx, self.W.grad, self.b.grad = conv2d_backward(dout, self._require_cache())
        return dx

    def backward_params(self, dout) -> None:
        """``backward`` without ``dx`` (no col2im): for a first layer, whose input is data."""
        _, self.W.grad, self.b.grad = conv2d_backward(dout, self._require_cache(), input_grad=False)

    def __repr__(self) -> str:
        return (
            f"Conv2D({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}"
            + (f", dilation={self.dilation})" if self.dilation != (1, 1) else ")")
        )


class _Pool2D(Layer):
    """Shared code of the pooling layers: no parameters, ``stride`` defaults to the kernel.

    A subclass names its pair of functions ``_forward`` (-> ``(out, cache)``) and ``_backward``.
    """

    def __init__(self, kernel_size: IntOrPair, stride: IntOrPair | None = None) -> None:
        super().__init__()
        self.kernel_size = as_pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else as_pair(stride, "stride")

    def forward(self, x) -> np.ndarray:
        out, self._cache = self._forward(x, self.kernel_size, self.stride)
        return out

    def backward(self, dout) -> np.ndarray:
        return self._backward(dout, self._require_cache())

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class MaxPool2D(_Pool2D):
    r"""Max pooling layer, ``(N, C, H, W) -> (N, C, OH, OW)`` (see :func:`maxpool2d_forward`).

    ``kernel_size`` and ``stride`` are ints or pairs; ``stride`` defaults to ``kernel_size``.
    No parameters. See chapter 9.
    """

    _forward = staticmethod(maxpool2d_forward)
    _backward = staticmethod(maxpool2d_backward)


class AvgPool2D(_Pool2D):
    r"""Average pooling layer, ``(N, C, H, W) -> (N, C, OH, OW)`` (see :func:`avgpool2d_forward`).

    ``kernel_size`` and ``stride`` are ints or pairs; ``stride`` defaults to ``kernel_size``.
    No parameters. See chapter 9.
    """

    _forward = staticmethod(avgpool2d_forward)
    _backward = staticmethod(avgpool2d_backward)
