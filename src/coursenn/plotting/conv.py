"""Pictures of convolution: the sliding window, im2col cell by cell, receptive fields.

Each function draws on one ``Axes`` (made when ``ax`` is None) and returns it; grids are
drawn cell by cell with rectangles, row 0 at the top, as the arrays print. See chapter 9.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from ..nn.conv.geometry import conv_output_size

__all__ = ["draw_conv_window", "draw_im2col", "draw_receptive_field"]

_WINDOW = "#f4a261"  # the taps of the current window
_OUTPUT = "#2a9d8f"  # the output cell they produce
_PAD = "#e9ecef"  # zero padding


def _grid(ax, left, top, values, colors, *, text=True, fontsize=8):
    """Cells ``values[r, c]`` with face ``colors[r][c]``; cell (0, 0) at (left, top)."""
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            ax.add_patch(
                Rectangle(
                    (left + c, top + r),
                    1,
                    1,
                    facecolor=colors[r][c],
                    edgecolor="0.4",
                    linewidth=0.6,
                )
            )
            if text:
                ax.text(
                    left + c + 0.5,
                    top + r + 0.5,
                    f"{values[r, c]:g}",
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                )


def _finish(ax, width, height):
    ax.set_xlim(-0.3, width + 0.3)
    ax.set_ylim(height + 0.3, -1.2)  # row 0 at the top; room for the titles
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def draw_conv_window(
    ax=None,
    *,
    size: int = 5,
    kernel: int = 3,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    position: int = 0,
):
    r"""The padded input, the taps of one window, and the output grid with its cell.

    Parameters
    ----------
    size, kernel, stride, padding, dilation : int
        One spatial axis (the input is ``size`` × ``size``): :math:`W, F, S, P, D`.
    position : int
        The output cell, in row-major order (taken modulo the number of cells).

    Raises
    ------
    ValueError
        When the windows do not tile the padded input (:func:`conv_output_size`).
    """
    if ax is None:
        _, ax = plt.subplots()
    out = conv_output_size(size, kernel, stride, padding, dilation)
    i, j = divmod(int(position) % (out * out), out)
    full = size + 2 * padding
    colors = [
        [
            _PAD if min(r, c) < padding or max(r, c) >= padding + size else "white"
            for c in range(full)
        ]
        for r in range(full)
    ]
    taps = [
        (i * stride + u * dilation, j * stride + v * dilation)
        for u in range(kernel)
        for v in range(kernel)
    ]
    for r, c in taps:
        colors[r][c] = _WINDOW
    _grid(ax, 0, 0, np.zeros((full, full)), colors, text=False)
    left = full + 1.5
    out_colors = [["white"] * out for _ in range(out)]
    out_colors[i][j] = _OUTPUT
    _grid(ax, left, 0, np.zeros((out, out)), out_colors, text=False)
    ax.text(full / 2, -0.4, f"input {size}x{size}, P={padding}", ha="center", fontsize=9)
    ax.text(left + out / 2, -0.4, f"output {out}x{out}", ha="center", fontsize=9)
    ax.text(
        0,
        full + 0.9,
        f"F={kernel}, S={stride}, D={dilation}: output cell ({i}, {j})",
        fontsize=9,
        va="center",
    )
    return _finish(ax, left + out, full + 1.2)


def draw_im2col(ax=None, *, x, kernel: int, stride: int = 1, column: int = 0):
    r"""A small one-channel image, one window, and the im2col matrix with its column.

    Column ``k = i * OW + j`` of the matrix holds the window of output cell ``(i, j)``, read
    row by row: ``cols[u * KW + v, k] = x[i*S + u, j*S + v]`` (no padding).

    Parameters
    ----------
    x : array, shape (H, W)
        Pixel values (printed in the cells: keep them short, e.g. 0 ... 15).
    kernel, stride : int
    column : int
        The highlighted window/column (taken modulo the number of columns).
    """
    if ax is None:
        _, ax = plt.subplots()
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D image (H, W), got shape {x.shape}")
    oh = conv_output_size(x.shape[0], kernel, stride)
    ow = conv_output_size(x.shape[1], kernel, stride)
    k = int(column) % (oh * ow)
    i, j = divmod(k, ow)
    cols = np.array(
        [
            [x[a * stride + u, b * stride + v] for a in range(oh) for b in range(ow)]
            for u in range(kernel)
            for v in range(kernel)
        ]
    )
    colors = [["white"] * x.shape[1] for _ in range(x.shape[0])]
    for u in range(kernel):
        for v in range(kernel):
            colors[i * stride + u][j * stride + v] = _WINDOW
    _grid(ax, 0, 0, x, colors)
    left = x.shape[1] + 1.5
    col_colors = [
        [_WINDOW if c == k else "white" for c in range(cols.shape[1])] for _ in range(cols.shape[0])
    ]
    _grid(ax, left, 0, cols, col_colors)
    ax.text(x.shape[1] / 2, -0.4, f"x ({x.shape[0]}x{x.shape[1]})", ha="center", fontsize=9)
    ax.text(
        left + cols.shape[1] / 2,
        -0.4,
        f"X_col ({cols.shape[0]}x{cols.shape[1]}): column {k} = window ({i}, {j})",
        ha="center",
        fontsize=9,
    )
    return _finish(ax, left + cols.shape[1], max(x.shape[0], cols.shape[0]))


def draw_receptive_field(ax=None, *, counts, title: str = ""):
    """A map of how many paths join each input pixel to one output neuron (0: not seen).

    ``counts`` (H, W), e.g. :func:`coursenn.lab.architectures.receptive_field_map`; the side of
    the non-zero square is the receptive field, written in the title.
    """
    if ax is None:
        _, ax = plt.subplots()
    counts = np.asarray(counts, dtype=float)
    seen = np.argwhere(counts > 0)
    side = 0 if seen.size == 0 else int(seen[:, 0].max() - seen[:, 0].min() + 1)
    shown = np.where(counts > 0, np.log1p(counts), np.nan)
    ax.imshow(np.zeros_like(counts), cmap="Greys", vmin=0, vmax=1)
    ax.imshow(shown, cmap="viridis")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{title}: {side}x{side}" if title else f"receptive field {side}x{side}")
    return ax
