r"""Convolution and pooling by explicit loops: one loop iteration per output value.

The reference the fast versions (:mod:`coursenn.nn.conv.fast`, :mod:`coursenn.nn.conv.pool`)
are tested against: slow, but every line is the formula. Images ``(N, C, H, W)``, filters
``(F, C, KH, KW)``; pooling has no padding and its ``stride`` defaults to ``kernel_size``.
See chapter 9.
"""

from __future__ import annotations

import numpy as np

from ..._checks import as_array, check_shape
from .geometry import (
    IntOrPair,
    Window,
    as_images,
    conv_inputs,
    pad,
    pool_geometry,
    window_geometry,
)

__all__ = [
    "conv2d_naive",
    "conv2d_naive_backward",
    "maxpool2d_naive",
    "maxpool2d_naive_backward",
    "avgpool2d_naive",
    "avgpool2d_naive_backward",
]


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
