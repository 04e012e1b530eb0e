"""Grids of images: a batch of pictures with their labels, and the filters of a conv layer.

A grid needs one small Axes per picture, so these helpers work on a whole figure: they take
``fig=None`` (a new figure is made when it is None; otherwise an *empty* ``Figure`` or
``SubFigure`` to draw in) and return it. The Axes are ``fig.axes``, one per picture, in
row-major order. Nothing calls ``plt.show()`` or changes global rcParams; titles are English.
See chapter 9 (first-layer filters) and chapter 10 (digits).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import FigureBase

from .._checks import ShapeError, as_array, check_ndim, check_positive_int

__all__ = ["show_images", "show_filters", "tile_montage"]


def _grid(n: int, ncols: int, fig: FigureBase | None, cell: float) -> tuple[FigureBase, list[Axes]]:
    """``n`` Axes in rows of ``ncols`` (no empty cells left over), ticks and frames off."""
    ncols = min(check_positive_int(ncols, "ncols"), n)
    nrows = -(-n // ncols)  # ceil(n / ncols) in integers
    if fig is None:
        fig = plt.figure(figsize=(cell * ncols, cell * nrows + 0.3 * nrows))
    elif fig.axes:
        raise ValueError(
            f"fig must be an empty figure (these helpers draw a whole grid), "
            f"got one with {len(fig.axes)} Axes"
        )
    axes = list(fig.subplots(nrows, ncols, squeeze=False).ravel())
    for ax in axes[n:]:
        ax.remove()
    for ax in axes[:n]:
        ax.set_axis_off()
    return fig, axes[:n]


def show_images(
    images,
    labels: Sequence | None = None,
    *,
    ncols: int = 8,
    cmap: str = "gray",
    vmin: float | None = None,
    vmax: float | None = None,
    fig: FigureBase | None = None,
    cell: float = 1.2,
) -> FigureBase:
    """Draw grayscale images in a grid, each titled with its label.

    Parameters
    ----------
    images : array, shape (N, H, W) or (N, 1, H, W)
        Grayscale images (for example digits from :func:`coursenn.data.load_digits`).
    labels : sequence of length N, optional
        One title per image (class indices, predictions, strings ...).
    ncols : int
        Images per row.
    cmap : str
        Matplotlib colormap.
    vmin, vmax : float, optional
        Grey-level range shared by every image; default the smallest and largest pixel of
        the whole batch, so brightness can be compared between images.
    fig : Figure or SubFigure, optional
        An empty figure to draw in; a new one (``cell`` inches per image) when None.

    Returns
    -------
    Figure
        With one Axes per image in ``fig.axes``.
    """
    images = as_array(images, "images")
    if images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    if images.ndim != 3 or images.shape[0] == 0:
        raise ShapeError(
            f"images must have shape (N, H, W) or (N, 1, H, W) with N >= 1, got {images.shape}"
        )
    if labels is not None and len(labels) != len(images):
        raise ValueError(
            f"labels must have {len(images)} entries (one per image), got {len(labels)}"
        )
    vmin = float(images.min()) if vmin is None else vmin
    vmax = float(images.max()) if vmax is None else vmax
    fig, axes = _grid(len(images), ncols, fig, cell)
    for k, ax in enumerate(axes):
        ax.imshow(images[k], cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        if labels is not None:
            ax.set_title(str(labels[k]), fontsize=9)
    return fig


def _rescale_each(tiles: np.ndarray) -> np.ndarray:
    """Map every tile ``tiles[f]`` linearly onto [0, 1] (a constant tile becomes 0.5)."""
    axes = tuple(range(1, tiles.ndim))
    low = tiles.min(axis=axes, keepdims=True)
    span = tiles.max(axis=axes, keepdims=True) - low
    safe_span = np.where(span > 0, span, 1.0)
    return np.where(span > 0, (tiles - low) / safe_span, 0.5)


def tile_montage(tiles, ncols: int, *, gap: int = 1) -> np.ndarray:
    r"""Small tiles as one picture, each on its own symmetric grey scale, for one ``imshow``.

    One image is far quicker to draw than one Axes per tile (a scrubber draws every frame).

    Parameters
    ----------
    tiles : array, shape (N, H, W)
        For example first-layer weights or their change, one 8×8 tile per unit.
    ncols : int
        Tiles per row; the rows are ``ceil(N / ncols)``.
    gap : int, default 1
        Pixels of NaN between tiles (and in the unused cells of the last row): ``imshow``
        draws them in the colormap's "bad" colour, e.g.
        ``plt.get_cmap("gray").with_extremes(bad="white")``.

    Returns
    -------
    ndarray, shape (rows*H + (rows-1)*gap, ncols*W + (ncols-1)*gap)
        Tile :math:`k` divided by its own :math:`\max |t_k|` (an all-zero tile stays 0), so
        values lie in [-1, 1] and 0 is mid-grey with ``vmin=-1, vmax=1``.
    """
    tiles = as_array(tiles, "tiles")
    check_ndim(tiles, 3, "tiles", shape_hint="(N, H, W)")
    n, height, width = tiles.shape
    if n == 0:
        raise ShapeError(f"tiles must hold at least one tile, got shape {tiles.shape}")
    ncols = min(check_positive_int(ncols, "ncols"), n)
    rows = -(-n // ncols)  # ceil(n / ncols) in integers
    largest = np.abs(tiles).max(axis=(1, 2), keepdims=True)
    scaled = tiles / np.where(largest > 0, largest, 1.0)
    step_h, step_w = height + gap, width + gap
    out = np.full((rows * step_h - gap, ncols * step_w - gap), np.nan)
    for k in range(n):
        top, left = (k // ncols) * step_h, (k % ncols) * step_w
        out[top : top + height, left : left + width] = scaled[k]
    return out


def show_filters(
    W,
    *,
    channel: int | None = None,
    ncols: int = 8,
    cmap: str = "gray",
    fig: FigureBase | None = None,
    cell: float = 0.9,
) -> FigureBase:
    r"""Draw the filters of a convolution layer, each rescaled to its own [min, max].

    Parameters
    ----------
    W : array, shape (F, C, KH, KW)
        Conv weights (``Conv2D.W.data``). With ``C == 1`` each filter is drawn in grey,
        with ``C == 3`` as an RGB colour picture (like AlexNet's first-layer filters).
    channel : int, optional
        Draw only input channel ``channel`` of every filter, in grey; needed when ``C`` is
        neither 1 nor 3.
    ncols : int
        Filters per row.
    cmap : str
        Colormap for grey filters.
    fig : Figure or SubFigure, optional
        An empty figure to draw in; a new one when None.

    Returns
    -------
    Figure
        With one Axes per filter, titled ``"filter f"``.

    Each filter is rescaled on its own, :math:`(w - \min w) / (\max w - \min w)`, so
    only its pattern is seen, not its scale. See chapter 9.
    """
    W = as_array(W, "W")
    check_ndim(W, 4, "W", shape_hint="(F, C, KH, KW)")
    n_channels = W.shape[1]
    if channel is not None:
        if isinstance(channel, bool) or not isinstance(channel, (int, np.integer)):
            raise TypeError(f"channel must be an int, got {type(channel).__name__}")
        if not 0 <= channel < n_channels:
            raise ValueError(f"channel must be in 0..{n_channels - 1}, got {channel}")
        tiles = W[:, channel]
    elif n_channels == 1:
        tiles = W[:, 0]
    elif n_channels == 3:
        tiles = W.transpose(0, 2, 3, 1)  # (F, KH, KW, 3) for imshow
    else:
        raise ValueError(
            f"W has C = {n_channels} input channels (shape {W.shape}); only C = 1 (grey) or "
            "C = 3 (RGB) can be drawn whole: pass channel=c to draw one channel"
        )
    tiles = _rescale_each(tiles)
    fig, axes = _grid(len(tiles), ncols, fig, cell)
    for f, ax in enumerate(axes):
        ax.imshow(tiles[f], cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
        ax.set_title(f"filter {f}", fontsize=8)
    return fig
