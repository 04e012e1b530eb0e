"""coursenn.plotting.conv: the window, im2col and receptive-field pictures."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from coursenn.plotting.conv import draw_conv_window, draw_im2col, draw_receptive_field

pytestmark = pytest.mark.usefixtures("close_figures")


def _faces(ax, color):
    from matplotlib.colors import to_rgba

    return [
        p for p in ax.patches if isinstance(p, Rectangle) and p.get_facecolor() == to_rgba(color)
    ]


def test_conv_window_draws_padded_input_and_output_grid():
    ax = draw_conv_window(size=5, kernel=3, stride=2, padding=1, position=4)
    # 7x7 padded input + 3x3 output
    assert len(ax.patches) == 49 + 9
    window = _faces(ax, "#f4a261")
    assert len(window) == 9
    # output cell 4 = (1, 1): window starts at padded (2, 2)
    assert min(p.get_x() for p in window) == 2 and min(p.get_y() for p in window) == 2
    assert len(_faces(ax, "#2a9d8f")) == 1


def test_conv_window_dilation_spreads_the_taps():
    ax = draw_conv_window(size=7, kernel=3, dilation=2, position=0)
    xs = sorted({p.get_x() for p in _faces(ax, "#f4a261")})
    assert xs == [0, 2, 4]


def test_conv_window_rejects_sizes_that_do_not_fit():
    with pytest.raises(ValueError, match="not a multiple of stride"):
        draw_conv_window(size=6, kernel=3, stride=2)


def test_im2col_picture_prints_the_column_values():
    x = np.arange(16).reshape(4, 4)
    ax = draw_im2col(x=x, kernel=3, stride=1, column=3)
    texts = [t.get_text() for t in ax.texts]
    assert "X_col (9x4): column 3 = window (1, 1)" in texts
    assert len(ax.patches) == 16 + 36
    highlighted = _faces(ax, "#f4a261")
    assert len(highlighted) == 9 + 9  # the window in x and the column in X_col
    with pytest.raises(ValueError, match="2-D image"):
        draw_im2col(x=np.zeros((1, 4, 4)), kernel=3)


def test_receptive_field_title_gives_the_side():
    counts = np.zeros((9, 9))
    counts[2:7, 2:7] = 1
    ax = draw_receptive_field(counts=counts, title="3x3 twice")
    assert ax.get_title() == "3x3 twice: 5x5"
