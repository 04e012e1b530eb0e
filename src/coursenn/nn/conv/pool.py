r"""Max and average pooling, vectorised over the windows: a loop over the kernel's taps only.

Tap ``(u, v)`` of every window reads one strided grid of pixels, an array of shape
``(N, C, OH, OW)`` (:func:`~coursenn.nn.conv.fast.tap_slices`); pooling is a reduction over
the ``KH*KW`` taps, so the code loops over the taps (4 for a 2×2 kernel) and does whole-array
NumPy operations inside, never a Python loop over windows or pixels.

* When the windows tile the input (stride = kernel, no padding, which the geometry then makes
  divide the input), the taps are the blocks of one **reshape**, ``x.reshape(N, C, OH, KH, OW,
  KW)[:, :, :, u, :, v]``, and every pixel lies in exactly one window: the backward pass
  *assigns* each tap's gradient (no zero fill, no additions).
* Otherwise (overlapping windows, or gaps when stride > kernel) the taps are the strided
  window view of :mod:`coursenn.nn.conv.fast`, and the backward pass *adds* each tap's
  gradient into ``dx`` (a pixel in several windows collects from each).

Ties in max pooling: the first maximal entry of a window in row-major order takes the
gradient (as ``np.argmax``): the running maximum only moves to a later tap that is strictly
larger. Results equal the loops of :mod:`coursenn.nn.conv`, which re-exports everything here.
See chapter 9.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..._checks import check_cache, check_shape, read_array
from .fast import tap_slices
from .geometry import IntOrPair, Window, pool_geometry, read_images

__all__ = ["maxpool2d_forward", "maxpool2d_backward", "avgpool2d_forward", "avgpool2d_backward"]


class MaxPoolCache(NamedTuple):
    """What :func:`maxpool2d_forward` keeps for :func:`maxpool2d_backward`."""

    x_shape: tuple[int, int, int, int]
    argmax: np.ndarray  # (N, C, OH, OW): the tap u*KW + v that held each maximum
    g: Window


class AvgPoolCache(NamedTuple):
    """What :func:`avgpool2d_forward` keeps for :func:`avgpool2d_backward`."""

    x_shape: tuple[int, int, int, int]
    g: Window


def _tiles(g: Window) -> bool:
    """Do the windows tile the input (each pixel in exactly one window)?"""
    return (g.kh, g.kw) == (g.sh, g.sw) and g.ph == g.pw == 0


def _taps(x: np.ndarray, g: Window) -> list[np.ndarray]:
    """One (N, C, OH, OW) view of ``x`` per tap ``(u, v)``, in row-major order of the taps.

    Views, not copies: writing into them writes into ``x``.
    """
    n_images, channels = x.shape[:2]
    if _tiles(g):
        # a view for a contiguous x (dx always is); a copy otherwise, which is fine for reading
        blocks = x.reshape(n_images, channels, g.oh, g.kh, g.ow, g.kw)
        return [blocks[:, :, :, u, :, v] for u, v in np.ndindex(g.kh, g.kw)]
    whole = (slice(None), slice(None))
    return [x[(*whole, *tap_slices(g, u, v))] for u, v in np.ndindex(g.kh, g.kw)]


def _scatter_taps(per_tap, x_shape: tuple, g: Window) -> np.ndarray:
    """``dx`` (N, C, H, W) from one (N, C, OH, OW) gradient per tap: assigned or added."""
    if _tiles(g):
        dx = np.empty(x_shape)  # every pixel is written exactly once
        for tap, grad in zip(_taps(dx, g), per_tap, strict=True):
            tap[...] = grad
    else:
        dx = np.zeros(x_shape)
        for tap, grad in zip(_taps(dx, g), per_tap, strict=True):
            tap += grad
    return dx


def _check_dout(dout, x_shape: tuple, g: Window) -> np.ndarray:
    dout = read_array(dout, "dout")
    check_shape(dout, x_shape[:2] + (g.oh, g.ow), "dout")
    return dout


def maxpool2d_forward(
    x, kernel_size: IntOrPair, stride: IntOrPair | None = None
) -> tuple[np.ndarray, tuple]:
    r"""Max pooling: :math:`\mathrm{out}[n,c,i,j] = \max_{u,v} x[n, c, iS_H + u, jS_W + v]`.

    ``x`` (N, C, H, W) -> ``out`` (N, C, OH, OW), equal to :func:`coursenn.nn.conv.maxpool2d_naive`;
    ``stride`` defaults to ``kernel_size``. ``cache = (x_shape, argmax, window)``, where
    ``argmax[n, c, i, j] = u*KW + v`` is the tap that held the (first) maximum: the
    lecture's "switches". See chapter 9.
    """
    x = read_images(x)
    g = pool_geometry(x.shape, kernel_size, stride)
    taps = _taps(x, g)
    out = taps[0].copy()  # the running maximum
    argmax = np.zeros(out.shape, dtype=np.min_scalar_type(len(taps) - 1))
    for k, tap in enumerate(taps[1:], start=1):
        larger = tap > out  # strictly larger: on a tie the earlier tap keeps the maximum
        np.maximum(out, tap, out=out)
        np.maximum(argmax, larger * argmax.dtype.type(k), out=argmax)  # k beats every earlier tap
    return out, MaxPoolCache(x.shape, argmax, g)


def maxpool2d_backward(dout, cache: tuple) -> np.ndarray:
    r"""Gradient of :func:`maxpool2d_forward`: ``dout`` (N, C, OH, OW) -> ``dx`` (N, C, H, W).

    Each output's gradient goes to the entry that was the maximum of its window (the tap
    ``argmax`` names): tap ``k`` receives ``dout * (argmax == k)``. See chapter 9.
    """
    check_cache(cache, MaxPoolCache, "cache", "maxpool2d_forward")
    x_shape, argmax, g = cache
    dout = _check_dout(dout, x_shape, g)
    per_tap = (dout * (argmax == k) for k in range(g.kh * g.kw))
    return _scatter_taps(per_tap, x_shape, g)


def avgpool2d_forward(
    x, kernel_size: IntOrPair, stride: IntOrPair | None = None
) -> tuple[np.ndarray, tuple]:
    r"""Average pooling: :math:`\mathrm{out}[n,c,i,j] = \frac{1}{K_H K_W}\sum_{u,v}
    x[n, c, iS_H + u, jS_W + v]`.

    ``x`` (N, C, H, W) -> ``out`` (N, C, OH, OW), equal to :func:`coursenn.nn.conv.avgpool2d_naive`;
    ``cache = (x_shape, window)``. See chapter 9.
    """
    x = read_images(x)
    g = pool_geometry(x.shape, kernel_size, stride)
    taps = _taps(x, g)
    out = taps[0].copy()
    for tap in taps[1:]:
        out += tap
    out /= g.kh * g.kw
    return out, AvgPoolCache(x.shape, g)


def avgpool2d_backward(dout, cache: tuple) -> np.ndarray:
    r"""Gradient of :func:`avgpool2d_forward`: ``dout`` (N, C, OH, OW) -> ``dx`` (N, C, H, W).

    Every entry of a window receives :math:`\mathrm{dout}/(K_H K_W)`. See chapter 9.
    """
    check_cache(cache, AvgPoolCache, "cache", "avgpool2d_forward")
    x_shape, g = cache
    dout = _check_dout(dout, x_shape, g)
    share = dout / (g.kh * g.kw)
    return _scatter_taps([share] * (g.kh * g.kw), x_shape, g)
