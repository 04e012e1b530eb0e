"""coursenn.plotting: every helper draws on the Axes it is given and returns it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from coursenn import data, plotting
from coursenn._checks import ShapeError

pytestmark = pytest.mark.usefixtures("close_figures", "strict_drawing")


def _xor():
    X, y = data.make_xor(40, noise=0.2, rng=0)
    return X, y


def _calls():
    """(function, positional args) for every helper, with valid inputs."""
    X, y = _xor()
    return [
        pytest.param(plotting.plot_points, (X, y), id="plot_points"),
        pytest.param(
            plotting.plot_decision_regions,
            (lambda g: (g[:, 0] > 0).astype(int), X, y),
            id="plot_decision_regions",
        ),
        pytest.param(
            plotting.plot_linear_unit, (np.array([1.0, -1.0]), 0.5, X, y), id="plot_linear_unit"
        ),
        pytest.param(plotting.draw_network, ((3, 4, 4, 1),), id="draw_network"),
    ]


@pytest.mark.parametrize("fn, args", _calls())
def test_returns_the_axes_it_was_given(fn, args):
    fig, ax = plt.subplots()
    assert fn(*args, ax=ax) is ax
    assert len(fig.axes) == 1  # no extra axes or figures
    assert plt.get_fignums() == [fig.number]


@pytest.mark.parametrize("fn, args", _calls())
def test_makes_new_axes_when_none(fn, args):
    ax = fn(*args)
    assert isinstance(ax, Axes)
    assert plt.get_fignums() == [ax.figure.number]


# --- plot_points -----------------------------------------------------------------------------


def test_plot_points_one_scatter_per_class():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    ax = plotting.plot_points(X, np.array([-1, 1, 1, -1]))
    assert len(ax.collections) == 2
    assert [c.get_label() for c in ax.collections] == ["y = -1", "y = 1"]
    np.testing.assert_array_equal(ax.collections[0].get_offsets(), X[[0, 3]])
    np.testing.assert_array_equal(ax.collections[1].get_offsets(), X[[1, 2]])


def test_plot_points_custom_labels():
    X, y = _xor()
    ax = plotting.plot_points(X, y, labels=["same sign", "different sign"])
    assert [c.get_label() for c in ax.collections] == ["same sign", "different sign"]


def test_plot_points_bad_shapes():
    with pytest.raises(ShapeError, match=r"X must have shape \(N, 2\), got \(4, 3\)"):
        plotting.plot_points(np.ones((4, 3)), np.zeros(4))
    with pytest.raises(ShapeError, match=r"y must have shape \(4,\), got \(3,\)"):
        plotting.plot_points(np.ones((4, 2)), np.zeros(3))
    with pytest.raises(ShapeError, match=r"X must be 2-D"):
        plotting.plot_points(np.ones(4), np.zeros(4))


# --- plot_decision_regions -------------------------------------------------------------------


def test_plot_decision_regions_queries_a_grid_and_sets_limits():
    seen = []

    def predict(grid):
        seen.append(grid.shape)
        return np.where(grid[:, 0] + grid[:, 1] > 0, 1, -1)

    ax = plotting.plot_decision_regions(predict, xlim=(-2, 2), ylim=(-1, 1), resolution=30)
    assert seen == [(900, 2)]
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.0)
    assert len(ax.collections) >= 1  # the filled regions
    assert ax.collections[0].get_alpha() == 0.25


def test_plot_decision_regions_draws_points_on_top():
    X, y = _xor()
    ax = plotting.plot_decision_regions(lambda g: np.zeros(len(g), dtype=int), X, y, resolution=20)
    labels = [c.get_label() for c in ax.collections]
    assert "y = 0" in labels and "y = 1" in labels


# --- plot_linear_unit ------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["sigmoid", "sign", "tanh"])
def test_plot_linear_unit_shows_activation(activation):
    ax = plotting.plot_linear_unit([2.0, -1.0], 0.5, activation=activation, lim=2.0)
    (image,) = ax.images
    a = image.get_array()
    lo = 0.0 if activation == "sigmoid" else -1.0
    assert a.min() >= lo and a.max() <= 1.0
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-2.0, 2.0)
    assert ax.get_title() == "w = (2, -1), b = 0.5"
    (boundary,) = ax.collections  # the line w.x + b = 0
    vertices = np.concatenate([p.vertices for p in boundary.get_paths()])
    assert len(vertices) > 2
    np.testing.assert_allclose(vertices @ [2.0, -1.0] + 0.5, 0.0, atol=1e-9)
    assert len(ax.texts) == 1  # the arrow w from the boundary's foot


def test_plot_linear_unit_no_arrow_when_foot_off_screen():
    ax = plotting.plot_linear_unit([1.0, 0.0], -2.5, lim=2.0)  # foot at (2.5, 0)
    assert len(ax.texts) == 0


def test_plot_linear_unit_zero_weights_draw_no_boundary():
    ax = plotting.plot_linear_unit([0.0, 0.0], 1.0)
    assert len(ax.images) == 1
    assert len(ax.collections) == 0 and len(ax.texts) == 0


@pytest.mark.parametrize("w", [[1.0], [1.0, 2.0, 3.0], [[1.0, 2.0]]])
def test_plot_linear_unit_rejects_wrong_w_shape(w):
    with pytest.raises(ShapeError, match=r"w must have shape \(2,\), got"):
        plotting.plot_linear_unit(w, 0.0)


def test_plot_linear_unit_rejects_unknown_activation():
    with pytest.raises(
        ValueError, match=r"activation must be one of \['sigmoid', 'sign', 'tanh'\], got 'relu'"
    ):
        plotting.plot_linear_unit([1.0, 1.0], 0.0, activation="relu")


# --- draw_network ----------------------------------------------------------------------------


def test_draw_network_neurons_weights_and_captions():
    ax = plotting.draw_network((3, 4, 4, 1))
    assert len(ax.collections) == 4  # one scatter per layer
    assert [len(c.get_offsets()) for c in ax.collections] == [3, 4, 4, 1]
    assert len(ax.lines) == 3 * 4 + 4 * 4 + 4 * 1  # one line per weight
    captions = [t.get_text() for t in ax.texts]
    assert captions[0] == "input\n3 units"
    assert [c.splitlines()[-1] for c in captions[1:]] == ["16 params", "20 params", "5 params"]


def test_draw_network_layer_names():
    ax = plotting.draw_network([2, 1], layer_names=["x", "y"])
    assert [t.get_text().splitlines()[0] for t in ax.texts] == ["x", "y"]


@pytest.mark.parametrize("sizes", [[], [3], [3, 0], [3, -2, 1]])
def test_draw_network_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match=r"layer_sizes must list at least two positive sizes"):
        plotting.draw_network(sizes)


def test_draw_network_layer_names_length():
    with pytest.raises(
        ValueError, match=r"layer_names must have 3 entries \(one per layer\), got 2"
    ):
        plotting.draw_network([2, 3, 1], layer_names=["a", "b"])


def test_draw_network_rejects_non_integer_size():
    with pytest.raises(ValueError, match="layer_sizes"):
        plotting.draw_network([3, 2.5])
