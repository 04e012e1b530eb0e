r"""``im2col`` / ``col2im``, and the convolution as one matrix product.

A convolution is a dot product between a filter and every window of the input. ``im2col``
copies every window into one **column** of a matrix, so that all the dot products become a
single matrix product (:func:`conv2d_forward` below). The teaching layout is the
lecture's: for AlexNet's first layer (input 227×227×3, 11×11 filters, stride 4) ``X_col``
is :math:`[11 \cdot 11 \cdot 3 \times 55 \cdot 55] = [363 \times 3025]`.

Index formula (``x_pad`` is ``x`` with ``padding`` zeros around each image, ``D`` the
dilation, 1 unless asked for)::

    cols[(c*KH + u)*KW + v,  (n*OH + i)*OW + j] = x_pad[n, c, i*SH + u*DH, j*SW + v*DW]

row    ``(c, u, v)``: channel ``c`` and tap ``(u, v)`` of the window;
column ``(n, i, j)``: image ``n`` and output position ``(i, j)``.

``col2im`` is the adjoint (transpose) of ``im2col``: it puts every entry of ``cols`` back
where it came from and **adds** the entries that came from the same pixel (windows overlap
when the stride is smaller than the kernel). That is exactly what the backward pass needs:
:math:`\langle \mathrm{im2col}(x), c\rangle = \langle x, \mathrm{col2im}(c)\rangle`.

How it is made fast
-------------------
* :func:`window_view` sees every window of ``x_pad`` without copying anything (a strided
  view, ``numpy.lib.stride_tricks.as_strided``), and :func:`gather_windows` copies it once
  into the batched layout ``(N, C*KH*KW, OH*OW)``: for each image, the lecture's matrix.
* :func:`conv2d_forward` is then **one** ``matmul``, ``W_row @ cols``, with ``W_row`` of shape
  ``(F, C*KH*KW)`` broadcast over the images; the result ``(N, F, OH*OW)`` is already the
  output ``(N, F, OH, OW)`` in memory order, so no transpose follows.
* :func:`scatter_windows` (the adjoint) loops over the ``KH*KW`` taps only: tap ``(u, v)``
  of all windows reads a strided grid of pixels (:func:`tap_slices`), so its gradients go
  back with one strided ``+=`` — no ``np.add.at``, no loop over pixels or windows.

The teaching :func:`im2col`/:func:`col2im` are this batched layout with the image axis moved
into the columns. The convolution returns ``(out, cache)`` and its backward takes
``(dout, cache)``; they equal the loops of :mod:`coursenn.nn.conv`, which re-exports everything
here. Geometry (output sizes, validation) is in :mod:`coursenn.nn.conv.geometry`. See chapter 9.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..._checks import ShapeError, as_shape, check_cache, check_shape, read_array
from .geometry import (  # noqa: F401 - IntOrPair, as_pair, pool_geometry: old home
    IntOrPair,
    Window,
    as_images,
    as_pair,
    check_window,
    conv_inputs,
    conv_output_size,
    pad,
    pool_geometry,
    window_geometry,
)

__all__ = [
    "Window",
    "conv_output_size",
    "window_geometry",
    "window_view",
    "tap_slices",
    "gather_windows",
    "scatter_windows",
    "im2col",
    "col2im",
    "conv2d_forward",
    "conv2d_backward",
]


def window_view(x_pad: np.ndarray, g: Window) -> np.ndarray:
    """Every window of ``x_pad`` as a read-only strided view (no copy).

    Parameters
    ----------
    x_pad : ndarray, shape (N, C, H + 2 PH, W + 2 PW)
        Already padded images.
    g : Window

    Returns
    -------
    ndarray, shape (N, C, KH, KW, OH, OW)
        ``view[n, c, u, v, i, j] = x_pad[n, c, i*SH + u*DH, j*SW + v*DW]``: moving ``u`` by one
        steps ``DH`` rows, moving ``i`` by one steps ``SH`` rows.
    """
    if not isinstance(x_pad, np.ndarray):
        raise TypeError(f"x_pad must be a numpy array, got {type(x_pad).__name__}")
    check_window(g, x_pad.shape, "x_pad", padded=True)
    s_n, s_c, s_h, s_w = x_pad.strides
    return as_strided(
        x_pad,
        shape=(x_pad.shape[0], x_pad.shape[1], g.kh, g.kw, g.oh, g.ow),
        strides=(s_n, s_c, s_h * g.dh, s_w * g.dw, s_h * g.sh, s_w * g.sw),
        writeable=False,
    )


def tap_slices(g: Window, u: int, v: int) -> tuple[slice, slice]:
    """Rows and columns of ``x_pad`` that tap ``(u, v)`` reads, one per window.

    ``x_pad[:, :, rows, cols]`` has shape (N, C, OH, OW) and equals ``window_view(x_pad,
    g)[:, :, u, v]``; no two windows share a pixel there, so a ``+=`` on it is safe.
    """
    top, left = u * g.dh, v * g.dw
    return (
        slice(top, top + g.sh * (g.oh - 1) + 1, g.sh),
        slice(left, left + g.sw * (g.ow - 1) + 1, g.sw),
    )


def gather_windows(x: np.ndarray, g: Window) -> np.ndarray:
    r"""Every window of ``x`` (N, C, H, W), copied once: shape (N, C*KH*KW, OH*OW).

    ``cols[n, (c*KH + u)*KW + v, i*OW + j] = x_pad[n, c, i*SH + u*DH, j*SW + v*DW]``: for
    each image, the lecture's im2col matrix (rows: channel and tap; columns: windows).
    """
    check_window(g, x.shape, "x", padded=False)
    n_images, channels = x.shape[:2]
    cols = np.empty((n_images, channels * g.kh * g.kw, g.oh * g.ow))
    cols.reshape(n_images, channels, g.kh, g.kw, g.oh, g.ow)[...] = window_view(pad(x, g), g)
    return cols  # the one copy of the windows (a view of no one's data)


def scatter_windows(cols: np.ndarray, x_shape: tuple, g: Window) -> np.ndarray:
    r"""The adjoint of :func:`gather_windows`: (N, C*KH*KW, OH*OW) -> (N, C, H, W).

    :math:`x[n, c, h, w] = \sum` of every entry of ``cols`` that was read from pixel
    ``(n, c, h, w)``; entries that fell on the padding are dropped. One strided ``+=`` per
    tap ``(u, v)``: ``KH*KW`` NumPy operations, whatever the image size.
    """
    n_images, channels, height, width = as_shape(x_shape, "x_shape", ndim=4, hint="(N, C, H, W)")
    check_window(g, x_shape, "x_shape", padded=False)
    cols = read_array(cols, "cols")
    check_shape(cols, (n_images, channels * g.kh * g.kw, g.oh * g.ow), "cols")
    taps = cols.reshape(n_images, channels, g.kh, g.kw, g.oh, g.ow)
    x_pad = np.zeros((n_images, channels, height + 2 * g.ph, width + 2 * g.pw))
    for u, v in np.ndindex(g.kh, g.kw):
        rows, columns = tap_slices(g, u, v)
        x_pad[:, :, rows, columns] += taps[:, :, u, v]
    return x_pad[:, :, g.ph : g.ph + height, g.pw : g.pw + width]


# --- the teaching layout: one matrix for the whole batch -------------------------------------


def im2col(
    x,
    kernel_size: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
) -> np.ndarray:
    r"""Copy every window of ``x`` into a column.

    Parameters
    ----------
    x : array, shape (N, C, H, W)
    kernel_size, stride, padding, dilation : int or (int, int)
        Window size :math:`(K_H, K_W)`, step, zero padding (on each side) and spacing of the
        taps (1: adjacent).

    Returns
    -------
    cols : ndarray, shape (C*KH*KW, N*OH*OW)
        ``cols[(c*KH + u)*KW + v, (n*OH + i)*OW + j] = x_pad[n, c, i*SH + u*DH, j*SW + v*DW]``,
        with :math:`O_H = (H - D_H(K_H - 1) - 1 + 2P_H)/S_H + 1` and likewise :math:`O_W`.

    See chapter 9.
    """
    x = as_images(x)
    g = window_geometry(x.shape, kernel_size, stride, padding, dilation)
    batched = gather_windows(x, g)  # (N, C*KH*KW, OH*OW)
    return batched.transpose(1, 0, 2).reshape(batched.shape[1], -1)


def col2im(
    cols,
    x_shape: tuple[int, int, int, int],
    kernel_size: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
) -> np.ndarray:
    r"""The adjoint of :func:`im2col`: scatter columns back onto images, summing overlaps.

    Parameters
    ----------
    cols : array, shape (C*KH*KW, N*OH*OW)
        One column per window, laid out as :func:`im2col` returns them.
    x_shape : tuple (N, C, H, W)
        Shape of the images the columns came from.
    kernel_size, stride, padding, dilation : int or (int, int)
        As given to :func:`im2col`.

    Returns
    -------
    ndarray, shape (N, C, H, W)
        :math:`x[n, c, h, w] = \sum` of every ``cols`` entry that :func:`im2col` read from
        pixel ``(n, c, h, w)``; entries that fell on the padding are dropped.

    See chapter 9.
    """
    x_shape = as_shape(x_shape, "x_shape", ndim=4, hint="(N, C, H, W)")
    n_images, channels, height, width = x_shape
    g = window_geometry(x_shape, kernel_size, stride, padding, dilation)
    cols = read_array(cols, "cols")
    expected = (channels * g.kh * g.kw, n_images * g.oh * g.ow)
    if cols.shape != expected:
        raise ShapeError(
            f"cols must have shape (C*KH*KW, N*OH*OW) = {expected} for x_shape "
            f"{tuple(x_shape)}, got {cols.shape}"
        )
    batched = cols.reshape(expected[0], n_images, g.oh * g.ow).transpose(1, 0, 2)
    return scatter_windows(batched, x_shape, g)


# --- convolution as a matrix product ---------------------------------------------------------


class ConvCache(NamedTuple):
    """What :func:`conv2d_forward` keeps for :func:`conv2d_backward`."""

    x_shape: tuple[int, int, int, int]
    W: np.ndarray  # (F, C, KH, KW), a copy
    X_col: np.ndarray  # (N, C*KH*KW, OH*OW), the windows
    g: Window


def conv2d_forward(
    x, W, b, stride: IntOrPair = 1, padding: IntOrPair = 0, dilation: IntOrPair = 1
) -> tuple[np.ndarray, tuple]:
    r"""Convolution as one matrix product, :math:`\mathrm{out}_n = W_{row} X_{col,n} + b`.

    ``X_col`` (:func:`gather_windows`) has shape (N, C*KH*KW, OH*OW) and ``W_row =
    W.reshape(F, -1)`` has shape (F, C*KH*KW); their product (N, F, OH*OW) is the output
    (N, F, OH, OW) without any transpose.

    Parameters
    ----------
    x : array, shape (N, C, H, W)
    W : array, shape (F, C, KH, KW)
    b : array, shape (F,)
    stride, padding, dilation : int or (int, int)
        Dilation :math:`D` spaces the filter's taps :math:`D` pixels apart (as PyTorch).

    Returns
    -------
    out : ndarray, shape (N, F, OH, OW)
        Equal to :func:`coursenn.nn.conv.conv2d_naive`.
    cache : ConvCache
        ``(x_shape, W, X_col, window)`` for :func:`conv2d_backward`.

    See chapter 9.
    """
    x, W, b = conv_inputs(x, W, b)
    g = window_geometry(x.shape, W.shape[2:], stride, padding, dilation)
    return _conv2d_product(x, W, b, g)


def _conv2d_product(
    x: np.ndarray, W: np.ndarray, b: np.ndarray, g: Window
) -> tuple[np.ndarray, ConvCache]:
    """:func:`conv2d_forward` on checked inputs: float64 ``x`` (N, C, H, W), ``W`` (F, C, KH, KW)
    (kept in the cache: pass a copy the caller will not change), ``b`` (F,), window ``g``.

    The public entries (:func:`conv2d_forward`, ``Conv2D.forward``) validate once and call this
    with plain arrays; nothing here checks again.
    """
    n_images, n_filters = x.shape[0], W.shape[0]
    X_col = gather_windows(x, g)
    out = W.reshape(n_filters, -1) @ X_col  # (N, F, OH*OW)
    out += b[:, None]
    return out.reshape(n_images, n_filters, g.oh, g.ow), ConvCache(x.shape, W, X_col, g)


def conv2d_backward(
    dout, cache: tuple, *, input_grad: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    r"""Gradients of :func:`conv2d_forward`.

    With ``D_n = dout[n]`` reshaped to (F, OH*OW):
    :math:`\partial L/\partial W_{row} = \sum_n D_n X_{col,n}^\top`,
    :math:`\partial L/\partial X_{col,n} = W_{row}^\top D_n` (then :func:`scatter_windows`
    sums the copies of each pixel), :math:`\partial L/\partial b = \sum_n D_n \mathbf 1`.

    Parameters
    ----------
    dout : array, shape (N, F, OH, OW)
    cache : ConvCache
        From :func:`conv2d_forward` (a cache from another call raises ``TypeError``).
    input_grad : bool, default True
        ``False`` skips ``dx`` (``None`` is returned for it): the input is the data.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W), or None
    dW : ndarray, shape (F, C, KH, KW)
    db : ndarray, shape (F,)

    See chapter 9.
    """
    check_cache(cache, ConvCache, "cache", "conv2d_forward")
    x_shape, W, X_col, g = cache
    n_images, n_filters = x_shape[0], W.shape[0]
    dout = read_array(dout, "dout")
    check_shape(dout, (n_images, n_filters, g.oh, g.ow), "dout")
    D = dout.reshape(n_images, n_filters, g.oh * g.ow)
    W_row = W.reshape(n_filters, -1)
    dW = (D @ X_col.transpose(0, 2, 1)).sum(axis=0)  # one (F, C*KH*KW) product per image
    dx = scatter_windows(W_row.T @ D, x_shape, g) if input_grad else None
    return dx, dW.reshape(W.shape), D.sum(axis=(0, 2))
