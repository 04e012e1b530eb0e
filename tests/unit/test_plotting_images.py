"""coursenn.plotting.images: show_images and show_filters draw one Axes per picture; tile_montage makes one."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from coursenn._checks import ShapeError
from coursenn.plotting.images import show_filters, show_images, tile_montage

pytestmark = pytest.mark.usefixtures("close_figures", "strict_drawing")


def _grid_shape(fig) -> tuple[int, int]:
    return fig.axes[0].get_subplotspec().get_gridspec().get_geometry()


# --- show_images ------------------------------------------------------------------------------


def test_show_images_one_axes_per_image_with_labels(rng):
    images = rng.uniform(size=(10, 1, 8, 8))
    labels = list(range(10))
    fig = show_images(images, labels, ncols=4)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 10  # the two empty cells of the 3x4 grid are removed
    assert _grid_shape(fig) == (3, 4)
    assert [ax.get_title() for ax in fig.axes] == [str(k) for k in labels]
    for k, ax in enumerate(fig.axes):
        np.testing.assert_array_equal(ax.images[0].get_array(), images[k, 0])
        assert not ax.axison


def test_show_images_shares_one_grey_scale(rng):
    images = rng.uniform(-2.0, 3.0, size=(3, 5, 4))
    fig = show_images(images)
    for ax in fig.axes:
        assert ax.images[0].get_clim() == (images.min(), images.max())
        assert ax.get_title() == ""
    fig = show_images(images, vmin=0.0, vmax=1.0)
    assert fig.axes[0].images[0].get_clim() == (0.0, 1.0)


def test_show_images_fewer_images_than_columns(rng):
    fig = show_images(rng.uniform(size=(3, 4, 4)), ncols=8)
    assert len(fig.axes) == 3 and _grid_shape(fig) == (1, 3)


def test_show_images_draws_in_the_figure_it_was_given(rng):
    fig = plt.figure()
    assert show_images(rng.uniform(size=(2, 4, 4)), fig=fig) is fig
    assert len(plt.get_fignums()) == 1
    with pytest.raises(ValueError, match="fig must be an empty figure.*2 Axes"):
        show_images(rng.uniform(size=(2, 4, 4)), fig=fig)


def test_show_images_does_not_modify_its_input(rng):
    images = rng.normal(size=(2, 1, 4, 4))
    before = images.copy()
    show_images(images, ["a", "b"])
    np.testing.assert_array_equal(images, before)


@pytest.mark.parametrize(
    "images, kwargs, error, message",
    [
        (np.zeros((2, 3, 4, 4)), {}, ShapeError, r"\(N, H, W\) or \(N, 1, H, W\).*\(2, 3, 4, 4\)"),
        (np.zeros((4, 4)), {}, ShapeError, r"images must have shape .*got \(4, 4\)"),
        (np.zeros((0, 4, 4)), {}, ShapeError, r"N >= 1, got \(0, 4, 4\)"),
        (np.zeros((3, 4, 4)), {"labels": [1, 2]}, ValueError, "labels must have 3 entries.*got 2"),
        (np.zeros((3, 4, 4)), {"ncols": 0}, ValueError, "ncols must be a positive integer"),
    ],
)
def test_show_images_errors(images, kwargs, error, message):
    with pytest.raises(error, match=message):
        show_images(images, **kwargs)


# --- show_filters -----------------------------------------------------------------------------


def test_show_filters_grey_filters_are_rescaled_each_to_0_1(rng):
    W = rng.normal(size=(5, 1, 3, 3)) * np.arange(1, 6)[:, None, None, None]
    W[4] = 7.0  # a constant filter is drawn mid-grey
    fig = show_filters(W, ncols=2)
    assert len(fig.axes) == 5 and _grid_shape(fig) == (3, 2)
    assert [ax.get_title() for ax in fig.axes] == [f"filter {f}" for f in range(5)]
    for f, ax in enumerate(fig.axes[:4]):
        shown = np.asarray(ax.images[0].get_array())
        expected = (W[f, 0] - W[f, 0].min()) / (W[f, 0].max() - W[f, 0].min())
        np.testing.assert_allclose(shown, expected, atol=1e-12)
        assert ax.images[0].get_clim() == (0.0, 1.0)
    np.testing.assert_array_equal(fig.axes[4].images[0].get_array(), np.full((3, 3), 0.5))


def test_show_filters_rgb(rng):
    W = rng.normal(size=(4, 3, 5, 5))
    fig = show_filters(W)
    shown = np.asarray(fig.axes[2].images[0].get_array())
    assert shown.shape == (5, 5, 3)  # (KH, KW, RGB)
    expected = W[2].transpose(1, 2, 0)
    expected = (expected - expected.min()) / (expected.max() - expected.min())
    np.testing.assert_allclose(shown, expected, atol=1e-12)


def test_show_filters_one_channel_of_many(rng):
    W = rng.normal(size=(3, 16, 2, 2))
    with pytest.raises(ValueError, match=r"C = 16 input channels.*pass channel="):
        show_filters(W)
    fig = show_filters(W, channel=5)
    shown = np.asarray(fig.axes[1].images[0].get_array())
    assert shown.min() == 0.0 and shown.max() == 1.0
    np.testing.assert_array_equal(np.argsort(shown, axis=None), np.argsort(W[1, 5], axis=None))


def test_show_filters_from_a_conv_layer_and_into_a_given_figure():
    from coursenn.nn.conv import Conv2D

    layer = Conv2D(1, 6, 3, rng=0)
    before = layer.W.data.copy()
    fig = plt.figure()
    assert show_filters(layer.W.data, fig=fig) is fig
    assert len(fig.axes) == 6
    np.testing.assert_array_equal(layer.W.data, before)


@pytest.mark.parametrize(
    "W, kwargs, error, message",
    [
        (np.zeros((2, 3, 3)), {}, ShapeError, r"W must be 4-D \(F, C, KH, KW\), got shape"),
        (np.zeros((2, 4, 3, 3)), {"channel": 4}, ValueError, r"channel must be in 0..3, got 4"),
        (np.zeros((2, 4, 3, 3)), {"channel": 1.0}, TypeError, "channel must be an int"),
    ],
)
def test_show_filters_errors(W, kwargs, error, message):
    with pytest.raises(error, match=message):
        show_filters(W, **kwargs)


# --- tile_montage ----------------------------------------------------------------------------


def test_tile_montage_places_each_tile_scaled_by_its_largest_magnitude():
    tiles = np.stack([np.full((2, 3), -4.0), np.zeros((2, 3)), np.arange(6.0).reshape(2, 3)])
    out = tile_montage(tiles, 2, gap=1)
    assert out.shape == (2 * 2 + 1, 2 * 3 + 1)
    np.testing.assert_array_equal(out[0:2, 0:3], -1.0)  # -4 / 4
    np.testing.assert_array_equal(out[0:2, 4:7], 0.0)  # an all-zero tile stays 0
    np.testing.assert_allclose(out[3:5, 0:3], np.arange(6.0).reshape(2, 3) / 5)
    assert np.isnan(out[2]).all() and np.isnan(out[:, 3]).all()  # the gaps
    assert np.isnan(out[3:5, 4:7]).all()  # the unused cell of the last row


def test_tile_montage_without_gaps_and_input_unchanged(rng):
    tiles = rng.normal(size=(4, 8, 8))
    kept = tiles.copy()
    out = tile_montage(tiles, 4, gap=0)
    assert out.shape == (8, 32) and not np.isnan(out).any()
    assert np.abs(out).max() <= 1.0
    np.testing.assert_array_equal(tiles, kept)


def test_tile_montage_errors():
    with pytest.raises(ShapeError, match=r"tiles must be 3-D \(N, H, W\), got shape \(8, 8\)"):
        tile_montage(np.zeros((8, 8)), 4)
    with pytest.raises(ValueError, match="ncols"):
        tile_montage(np.zeros((2, 8, 8)), 0)
    with pytest.raises(ShapeError, match=r"at least one tile, got shape \(0, 8, 8\)"):
        tile_montage(np.zeros((0, 8, 8)), 4)
