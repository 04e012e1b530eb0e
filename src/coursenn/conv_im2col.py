r"""Convolution geometry, ``im2col`` / ``col2im``, and the fast convolution and pooling.

A convolution is a dot product between a filter and every window of the input. ``im2col``
copies every window into one **column** of a matrix, so that all the dot products become a
single matrix product (:func:`conv2d_forward` below). The layout is the
lecture's: for AlexNet's first layer (input 227×227×3, 11×11 filters, stride 4) ``X_col``
is :math:`[11 \cdot 11 \cdot 3 \times 55 \cdot 55] = [363 \times 3025]`.

Index formula (``x_pad`` is ``x`` with ``padding`` zeros around each image)::

    cols[(c*KH + u)*KW + v,  (n*OH + i)*OW + j] = x_pad[n, c, i*SH + u, j*SW + v]

row    ``(c, u, v)``: channel ``c`` and position ``(u, v)`` inside the window;
column ``(n, i, j)``: image ``n`` and output position ``(i, j)``.

``col2im`` is the adjoint (transpose) of ``im2col``: it puts every entry of ``cols`` back
where it came from and **adds** the entries that came from the same pixel (windows overlap
when the stride is smaller than the kernel). That is exactly what the backward pass needs:
:math:`\langle \mathrm{im2col}(x), c\rangle = \langle x, \mathrm{col2im}(c)\rangle`.

The convolution and pooling built on them return ``(out, cache)`` and take ``(dout, cache)``;
they equal the loops of :mod:`coursenn.conv`, which re-exports everything here.
All sizes are computed with integers (never ``/``). See chapter 9.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import ShapeError, as_array, check_ndim, check_positive_int, check_shape

__all__ = [
    "Window",
    "conv_output_size",
    "window_geometry",
    "im2col",
    "col2im",
    "conv2d_forward",
    "conv2d_backward",
    "maxpool2d_forward",
    "maxpool2d_backward",
    "avgpool2d_forward",
    "avgpool2d_backward",
]

IntOrPair = int | tuple[int, int]


def _nonnegative_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def as_pair(value, name: str, *, allow_zero: bool = False) -> tuple[int, int]:
    """``3 -> (3, 3)``, ``(3, 5) -> (3, 5)``; each entry a positive (or >= 0) integer."""
    check = _nonnegative_int if allow_zero else check_positive_int
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"{name} must be an integer or a pair (height, width), got {value!r}")
        return check(value[0], name), check(value[1], name)
    size = check(value, name)
    return size, size


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    r"""Output length of a convolution or pooling along one spatial axis.

    .. math:: O = \frac{I - K + 2P}{S} + 1

    Parameters
    ----------
    size, kernel_size : int
        Input length :math:`I` (height or width) and filter length :math:`K`.
    stride, padding : int
        Step :math:`S` between windows and zeros :math:`P` added on **each** side.

    Returns
    -------
    int
        :math:`O`, e.g. ``conv_output_size(227, 11, stride=4) == 55`` (AlexNet).

    Raises
    ------
    ValueError
        When the windows do not tile the padded input exactly (:math:`I - K + 2P` is
        negative or not a multiple of :math:`S`), naming every argument.

    See chapter 9.
    """
    size = check_positive_int(size, "size")
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    stride = check_positive_int(stride, "stride")
    padding = _nonnegative_int(padding, "padding")
    span = size - kernel_size + 2 * padding
    setting = f"size={size}, kernel_size={kernel_size}, stride={stride}, padding={padding}"
    if span < 0:
        raise ValueError(
            f"{setting}: the kernel is larger than the padded input "
            f"(size + 2*padding = {size + 2 * padding} < kernel_size = {kernel_size})"
        )
    if span % stride != 0:
        raise ValueError(
            f"{setting} do not fit: size - kernel_size + 2*padding = {span} "
            f"is not a multiple of stride = {stride}"
        )
    return span // stride + 1


class Window(NamedTuple):
    """Sliding-window geometry: kernel ``(kh, kw)``, stride, padding and output size."""

    kh: int  # kernel height, width
    kw: int
    sh: int  # stride
    sw: int
    ph: int  # zeros on each side
    pw: int
    oh: int  # output height, width
    ow: int


def window_geometry(
    x_shape: tuple[int, ...], kernel_size: IntOrPair, stride: IntOrPair = 1, padding: IntOrPair = 0
) -> Window:
    """Check ``kernel_size``, ``stride``, ``padding`` against images of shape ``(N, C, H, W)``.

    Each of ``kernel_size``, ``stride`` and ``padding`` is an int or a pair
    ``(height, width)``. Returns a :class:`Window`; raises ``ValueError`` when the windows
    do not tile the input (see :func:`conv_output_size`).
    """
    kh, kw = as_pair(kernel_size, "kernel_size")
    sh, sw = as_pair(stride, "stride")
    ph, pw = as_pair(padding, "padding", allow_zero=True)
    _, _, height, width = x_shape
    sizes = []
    for axis, size, k, s, p in (("height", height, kh, sh, ph), ("width", width, kw, sw, pw)):
        try:
            sizes.append(conv_output_size(size, k, s, p))
        except ValueError as exc:
            raise ValueError(
                f"the {axis} of x (shape {tuple(x_shape)}) does not fit: {exc}"
            ) from None
    return Window(kh, kw, sh, sw, ph, pw, sizes[0], sizes[1])


def pool_geometry(x_shape, kernel_size: IntOrPair, stride: IntOrPair | None) -> Window:
    """:func:`window_geometry` for pooling: no padding, ``stride`` defaults to the kernel."""
    return window_geometry(x_shape, kernel_size, kernel_size if stride is None else stride)


def as_images(x, name: str = "x") -> np.ndarray:
    """``x`` as a new float64 array of shape (N, C, H, W), or ``ShapeError``."""
    x = as_array(x, name)
    check_ndim(x, 4, name, shape_hint="(N, C, H, W)")
    return x


def conv_inputs(x, W, b) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate images ``x`` (N, C, H, W), filters ``W`` (F, C, KH, KW), bias ``b`` (F,)."""
    x = as_images(x)
    W = as_array(W, "W")
    check_ndim(W, 4, "W", shape_hint="(F, C, KH, KW)")
    if W.shape[1] != x.shape[1]:
        raise ShapeError(
            f"W must have shape (F, {x.shape[1]}, KH, KW) to match the {x.shape[1]} channels "
            f"of x, got {W.shape}"
        )
    b = as_array(b, "b")
    check_shape(b, (W.shape[0],), "b")
    return x, W, b


def pad(x: np.ndarray, g: Window) -> np.ndarray:
    """``x`` (N, C, H, W) with ``g.ph`` rows and ``g.pw`` columns of zeros on each side."""
    return np.pad(x, ((0, 0), (0, 0), (g.ph, g.ph), (g.pw, g.pw)))


def _indices(channels: int, g: Window) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index arrays ``(c, h, w)`` with ``cols[r, i*OW + j] = x_pad[n, c[r], h[r, ij], w[r, ij]]``.

    ``c`` has shape ``(C*KH*KW, 1)``; ``h`` and ``w`` have shape ``(C*KH*KW, OH*OW)``.
    """
    c, u, v = np.meshgrid(np.arange(channels), np.arange(g.kh), np.arange(g.kw), indexing="ij")
    i, j = np.meshgrid(np.arange(g.oh), np.arange(g.ow), indexing="ij")
    c, u, v = c.reshape(-1, 1), u.reshape(-1, 1), v.reshape(-1, 1)  # one row per (c, u, v)
    i, j = i.reshape(1, -1), j.reshape(1, -1)  # one column per output position (i, j)
    return c, i * g.sh + u, j * g.sw + v


def im2col(x, kernel_size: IntOrPair, stride: IntOrPair = 1, padding: IntOrPair = 0) -> np.ndarray:
    r"""Copy every window of ``x`` into a column.

    Parameters
    ----------
    x : array, shape (N, C, H, W)
    kernel_size, stride, padding : int or (int, int)
        Window size :math:`(K_H, K_W)`, step and zero padding (on each side).

    Returns
    -------
    cols : ndarray, shape (C*KH*KW, N*OH*OW)
        ``cols[(c*KH + u)*KW + v, (n*OH + i)*OW + j] = x_pad[n, c, i*SH + u, j*SW + v]``,
        with :math:`O_H = (H - K_H + 2P_H)/S_H + 1` and likewise :math:`O_W`.

    See chapter 9.
    """
    x = as_images(x)
    g = window_geometry(x.shape, kernel_size, stride, padding)
    n_images, channels = x.shape[:2]
    x_pad = pad(x, g)
    c, h, w = _indices(channels, g)
    patches = x_pad[:, c, h, w]  # (N, C*KH*KW, OH*OW)
    return patches.transpose(1, 0, 2).reshape(channels * g.kh * g.kw, n_images * g.oh * g.ow)


def col2im(
    cols,
    x_shape: tuple[int, int, int, int],
    kernel_size: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
) -> np.ndarray:
    r"""The adjoint of :func:`im2col`: scatter columns back onto images, summing overlaps.

    Parameters
    ----------
    cols : array, shape (C*KH*KW, N*OH*OW)
        One column per window, laid out as :func:`im2col` returns them.
    x_shape : tuple (N, C, H, W)
        Shape of the images the columns came from.
    kernel_size, stride, padding : int or (int, int)
        As given to :func:`im2col`.

    Returns
    -------
    ndarray, shape (N, C, H, W)
        :math:`x[n, c, h, w] = \sum` of every ``cols`` entry that :func:`im2col` read from
        pixel ``(n, c, h, w)``; entries that fell on the padding are dropped.

    See chapter 9.
    """
    if len(x_shape) != 4:
        raise ShapeError(f"x_shape must be (N, C, H, W), got {tuple(x_shape)}")
    n_images, channels, height, width = (check_positive_int(s, "x_shape") for s in x_shape)
    g = window_geometry(x_shape, kernel_size, stride, padding)
    cols = as_array(cols, "cols")
    expected = (channels * g.kh * g.kw, n_images * g.oh * g.ow)
    if cols.shape != expected:
        raise ShapeError(
            f"cols must have shape (C*KH*KW, N*OH*OW) = {expected} for x_shape "
            f"{tuple(x_shape)}, got {cols.shape}"
        )
    patches = cols.reshape(expected[0], n_images, g.oh * g.ow).transpose(1, 0, 2)
    x_pad = np.zeros((n_images, channels, height + 2 * g.ph, width + 2 * g.pw))
    c, h, w = _indices(channels, g)
    np.add.at(x_pad, (slice(None), c, h, w), patches)  # += that adds repeated indices too
    return x_pad[:, :, g.ph : g.ph + height, g.pw : g.pw + width]


# --- convolution and pooling as matrix operations ---------------------------------------


def conv2d_forward(
    x, W, b, stride: IntOrPair = 1, padding: IntOrPair = 0
) -> tuple[np.ndarray, tuple]:
    r"""Convolution as one matrix product, :math:`\mathrm{out} = W_{row} X_{col} + b`.

    ``X_col = im2col(x)`` has shape (C*KH*KW, N*OH*OW) and ``W_row = W.reshape(F, -1)``
    has shape (F, C*KH*KW); their product (F, N*OH*OW) is reshaped to (N, F, OH, OW).

    Parameters
    ----------
    x : array, shape (N, C, H, W)
    W : array, shape (F, C, KH, KW)
    b : array, shape (F,)
    stride, padding : int or (int, int)

    Returns
    -------
    out : ndarray, shape (N, F, OH, OW)
        Equal to :func:`coursenn.conv.conv2d_naive`.
    cache : tuple
        ``(x_shape, W, X_col, stride, padding)`` for :func:`conv2d_backward`.

    See chapter 9.
    """
    x, W, b = conv_inputs(x, W, b)
    g = window_geometry(x.shape, W.shape[2:], stride, padding)
    n_images, n_filters = x.shape[0], W.shape[0]
    X_col = im2col(x, W.shape[2:], stride, padding)
    out = W.reshape(n_filters, -1) @ X_col + b[:, None]
    out = out.reshape(n_filters, n_images, g.oh, g.ow).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(out), (x.shape, W, X_col, stride, padding)


def conv2d_backward(dout, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of :func:`conv2d_forward`.

    With ``D = dout`` reshaped to (F, N*OH*OW):
    :math:`\partial L/\partial W_{row} = D X_{col}^\top`,
    :math:`\partial L/\partial X_{col} = W_{row}^\top D` (then :func:`col2im` sums the
    copies of each pixel), :math:`\partial L/\partial b = D\,\mathbf 1`.

    Parameters
    ----------
    dout : array, shape (N, F, OH, OW)
    cache : tuple
        From :func:`conv2d_forward`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    dW : ndarray, shape (F, C, KH, KW)
    db : ndarray, shape (F,)

    See chapter 9.
    """
    x_shape, W, X_col, stride, padding = cache
    g = window_geometry(x_shape, W.shape[2:], stride, padding)
    n_filters = W.shape[0]
    dout = as_array(dout, "dout")
    check_shape(dout, (x_shape[0], n_filters, g.oh, g.ow), "dout")
    D = dout.transpose(1, 0, 2, 3).reshape(n_filters, -1)
    dW = (D @ X_col.T).reshape(W.shape)
    dx = col2im(W.reshape(n_filters, -1).T @ D, x_shape, W.shape[2:], stride, padding)
    return dx, dW, D.sum(axis=1)


def _pool_columns(x, kernel_size, stride) -> tuple[np.ndarray, tuple, Window]:
    """Every pooling window as a column, (KH*KW, N*C*OH*OW): each channel is one image."""
    x = as_images(x)
    n_images, channels, height, width = x.shape
    g = pool_geometry(x.shape, kernel_size, stride)
    cols = im2col(x.reshape(n_images * channels, 1, height, width), (g.kh, g.kw), (g.sh, g.sw))
    return cols, x.shape, g


def _pool_dx(dcols: np.ndarray, x_shape: tuple, g: Window) -> np.ndarray:
    """col2im for pooling columns: (KH*KW, N*C*OH*OW) -> (N, C, H, W)."""
    n_images, channels, height, width = x_shape
    flat_shape = (n_images * channels, 1, height, width)
    return col2im(dcols, flat_shape, (g.kh, g.kw), (g.sh, g.sw)).reshape(x_shape)


def maxpool2d_forward(
    x, kernel_size: IntOrPair, stride: IntOrPair | None = None
) -> tuple[np.ndarray, tuple]:
    r"""Max pooling with im2col: the maximum of each column.

    ``x`` (N, C, H, W) -> ``out`` (N, C, OH, OW), equal to :func:`coursenn.conv.maxpool2d_naive`;
    ``cache = (x_shape, argmax, window)`` remembers where each maximum was (the lecture's
    "switches"). See chapter 9.
    """
    cols, x_shape, g = _pool_columns(x, kernel_size, stride)
    argmax = cols.argmax(axis=0)  # first maximum of each window
    out = cols[argmax, np.arange(cols.shape[1])]
    return out.reshape(x_shape[:2] + (g.oh, g.ow)), (x_shape, argmax, g)


def maxpool2d_backward(dout, cache: tuple) -> np.ndarray:
    r"""Gradient of :func:`maxpool2d_forward`: ``dout`` (N, C, OH, OW) -> ``dx`` (N, C, H, W).

    Each output's gradient goes to the entry that was the maximum of its window.
    See chapter 9.
    """
    x_shape, argmax, g = cache
    dout = as_array(dout, "dout")
    check_shape(dout, x_shape[:2] + (g.oh, g.ow), "dout")
    dout = dout.ravel()  # in the order of the columns
    dcols = np.zeros((g.kh * g.kw, dout.size))
    dcols[argmax, np.arange(dout.size)] = dout
    return _pool_dx(dcols, x_shape, g)


def avgpool2d_forward(
    x, kernel_size: IntOrPair, stride: IntOrPair | None = None
) -> tuple[np.ndarray, tuple]:
    r"""Average pooling with im2col: the mean of each column.

    ``x`` (N, C, H, W) -> ``out`` (N, C, OH, OW), equal to :func:`coursenn.conv.avgpool2d_naive`;
    ``cache = (x_shape, window)``. See chapter 9.
    """
    cols, x_shape, g = _pool_columns(x, kernel_size, stride)
    return cols.mean(axis=0).reshape(x_shape[:2] + (g.oh, g.ow)), (x_shape, g)


def avgpool2d_backward(dout, cache: tuple) -> np.ndarray:
    r"""Gradient of :func:`avgpool2d_forward`: ``dout`` (N, C, OH, OW) -> ``dx`` (N, C, H, W).

    Every entry of a window receives :math:`\mathrm{dout}/(K_H K_W)`. See chapter 9.
    """
    x_shape, g = cache
    dout = as_array(dout, "dout")
    check_shape(dout, x_shape[:2] + (g.oh, g.ow), "dout")
    dout = dout.ravel()  # in the order of the columns
    dcols = np.broadcast_to(dout / (g.kh * g.kw), (g.kh * g.kw, dout.size))
    return _pool_dx(dcols, x_shape, g)
