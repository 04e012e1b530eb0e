"""coursenn.plotting.landscape: loss contours and optimizer paths."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.contour import ContourSet

from coursenn._checks import ShapeError
from coursenn.nn.optim import SGD, optimize_path
from coursenn.plotting.landscape import plot_loss_contours, plot_optimizer_path

pytestmark = pytest.mark.usefixtures("close_figures", "strict_drawing")


def quadratic(X, Y):
    return 0.5 * (X**2 + 50 * Y**2)


def contour_sets(ax):
    return [c for c in ax.get_children() if isinstance(c, ContourSet)]


def test_contours_on_given_axes():
    fig, ax = plt.subplots()
    assert plot_loss_contours(quadratic, (-2, 2), (-1, 1), levels=7, ax=ax) is ax
    assert len(fig.axes) == 1
    (cs,) = contour_sets(ax)
    assert 5 <= len(cs.levels) <= 10  # matplotlib picks about 7 round values
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.0)
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"


def test_contours_make_new_axes_and_accept_level_values():
    ax = plot_loss_contours(quadratic, (-1, 1), (-1, 1), levels=[0.1, 1.0, 5.0], filled=True)
    assert isinstance(ax, Axes)
    assert all(list(cs.levels) == [0.1, 1.0, 5.0] for cs in contour_sets(ax))
    assert len(contour_sets(ax)) == 2  # filled regions and their outlines


def test_f_receives_the_meshgrid():
    seen = {}

    def f(X, Y):
        seen["X"], seen["Y"] = X, Y
        return X + Y

    plot_loss_contours(f, (0, 1), (2, 3), resolution=5)
    np.testing.assert_allclose(seen["X"][0], np.linspace(0, 1, 5))
    np.testing.assert_allclose(seen["Y"][:, 0], np.linspace(2, 3, 5))


def test_log_levels_are_geometric_from_smallest_positive_to_largest_value():
    ax = plot_loss_contours(quadratic, (-1, 1), (-1, 1), levels=5, log_levels=True, resolution=51)
    levels = contour_sets(ax)[0].levels
    grid = np.linspace(-1, 1, 51)
    Z = quadratic(*np.meshgrid(grid, grid))
    np.testing.assert_allclose([levels[0], levels[-1]], [Z[Z > 0].min(), Z.max()])
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])
    assert ratios[0] > 1.5


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"xlim": (1, -1)}, ValueError, r"xlim must be a pair \(low, high\)"),
        ({"ylim": (0, 1, 2)}, ValueError, r"ylim must be a pair"),
        ({"f": lambda X, Y: X[0]}, ShapeError, r"f\(X, Y\) must return an array of shape"),
        ({"log_levels": True, "levels": [1.0, 2.0]}, ValueError, "needs an int levels"),
        ({"log_levels": True, "f": lambda X, Y: -(X**2)}, ValueError, "needs f"),
        ({"resolution": 0}, ValueError, "resolution must be a positive integer"),
    ],
)
def test_contour_errors(kwargs, error, message):
    args = {"f": quadratic, "xlim": (-1, 1), "ylim": (-1, 1)} | kwargs
    f, xlim, ylim = args.pop("f"), args.pop("xlim"), args.pop("ylim")
    with pytest.raises(error, match=message):
        plot_loss_contours(f, xlim, ylim, **args)


def test_path_is_drawn_with_start_end_and_arrow():
    path = optimize_path(
        lambda ps: SGD(ps, lr=0.035), lambda x: np.array([1.0, 50.0]) * x, [1, 1], 10
    )
    fig, ax = plt.subplots()
    assert plot_optimizer_path(path, ax=ax, label="SGD", color="red") is ax
    line, start, end = ax.lines
    np.testing.assert_array_equal(np.column_stack(line.get_data()), path)
    np.testing.assert_array_equal(np.ravel(start.get_data()), path[0])
    np.testing.assert_array_equal(np.ravel(end.get_data()), path[-1])
    assert start.get_marker() == "o" and end.get_marker() == "*"
    assert {line.get_color(), start.get_color(), end.get_color()} == {"red"}
    (arrow,) = ax.texts
    np.testing.assert_array_equal(arrow.xy, path[1])
    assert [t.get_text() for t in ax.legend().get_texts()] == ["SGD"]


def test_paths_take_successive_cycle_colours():
    ax = plot_optimizer_path([[0.0, 0.0], [1.0, 1.0]])
    plot_optimizer_path([[0.0, 1.0], [1.0, 0.0]], ax=ax)
    assert ax.lines[0].get_color() != ax.lines[3].get_color()


def test_path_of_one_point_has_no_arrow():
    ax = plot_optimizer_path([[0.5, 0.5]])
    assert len(ax.lines) == 3 and len(ax.texts) == 0


@pytest.mark.parametrize(
    "path, message",
    [
        (np.zeros(4), r"path must be 2-D \(T, 2\), got shape \(4,\)"),
        (np.zeros((5, 3)), r"path must have shape \(T, 2\) with T >= 1, got \(5, 3\)"),
        (np.zeros((0, 2)), r"got \(0, 2\)"),
    ],
)
def test_path_shape_errors(path, message):
    with pytest.raises(ShapeError, match=message):
        plot_optimizer_path(path)
