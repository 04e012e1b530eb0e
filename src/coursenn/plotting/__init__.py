"""Matplotlib helpers for the chapters.

Every function takes ``ax=None`` (a new figure is made when it is None), draws on it and
returns it. None calls ``plt.show()`` or changes global rcParams. Labels are English so no
CJK font is needed. One submodule per kind of picture; everything is re-exported here.
"""

from .activations import plot_activation
from .backprop import draw_graph_split, gates, graph_view, partial_backward, plot_difference_errors
from .basic import (
    CLASS_COLORS,
    draw_network,
    plot_decision_regions,
    plot_linear_unit,
    plot_points,
)
from .conv import draw_conv_window, draw_im2col, draw_receptive_field
from .graph import draw_graph
from .images import show_filters, show_images, tile_montage
from .landscape import plot_loss_contours, plot_optimizer_path
from .race import plot_race
from .style import BOOK_RC, BOOK_WIDTH, SIZES, book_style, figsize, subplots
from .training import plot_history, plot_layer_histograms, plot_update_ratios

__all__ = [
    "BOOK_RC",
    "BOOK_WIDTH",
    "SIZES",
    "book_style",
    "figsize",
    "subplots",
    "plot_activation",
    "draw_graph_split",
    "gates",
    "graph_view",
    "partial_backward",
    "plot_difference_errors",
    "draw_conv_window",
    "draw_im2col",
    "draw_receptive_field",
    "CLASS_COLORS",
    "draw_graph",
    "draw_network",
    "plot_decision_regions",
    "plot_linear_unit",
    "plot_points",
    "plot_loss_contours",
    "plot_optimizer_path",
    "plot_race",
    "show_filters",
    "show_images",
    "tile_montage",
    "plot_history",
    "plot_layer_histograms",
    "plot_update_ratios",
]
