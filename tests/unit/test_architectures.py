"""coursenn.lab.architectures: layer tables (VGG-16, AlexNet) and receptive fields."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn.lab.architectures import (
    FC,
    Conv,
    Pool,
    alexnet,
    layer_table,
    receptive_field,
    receptive_field_map,
    totals,
    vgg16,
)


def test_conv_row_counts_weights_with_depth_and_one_bias_per_filter():
    rows = layer_table((227, 227, 3), [Conv(96, 11, 4)])
    assert rows[1].shape == (55, 55, 96)
    assert (rows[1].weights, rows[1].biases, rows[1].params) == (96 * 363, 96, 34944)
    assert rows[0].activations == 227 * 227 * 3


def test_pool_and_fc_rows():
    rows = layer_table((8, 8, 4), [Pool(2, 2), FC(10)])
    assert rows[1].shape == (4, 4, 4) and rows[1].params == 0
    assert rows[2].shape == (1, 1, 10)
    assert (rows[2].weights, rows[2].biases) == (4 * 4 * 4 * 10, 10)


def test_vgg16_shapes_and_totals():
    rows = layer_table((224, 224, 3), vgg16())
    assert len(rows) == 1 + 13 + 5 + 3
    assert rows[-4].shape == (7, 7, 512)
    assert rows[-3].weights == 7 * 7 * 512 * 4096
    assert [r.weights for r in rows[1:3]] == [27 * 64, 9 * 64 * 64]
    t = totals(rows)
    assert t["weights"] == sum(r.weights for r in rows)
    assert t["params"] == t["weights"] + t["biases"] == 138_357_544
    # sum of H*W*C over the 22 rows, written out by blocks
    expected = (
        224 * 224 * 3
        + 2 * 224 * 224 * 64
        + 112 * 112 * 64
        + 2 * 112 * 112 * 128
        + 56 * 56 * 128
        + 3 * 56 * 56 * 256
        + 28 * 28 * 256
        + 3 * 28 * 28 * 512
        + 14 * 14 * 512
        + 3 * 14 * 14 * 512
        + 7 * 7 * 512
        + 4096
        + 4096
        + 1000
    )
    assert t["activations"] == expected


def test_alexnet_sizes_and_grouping():
    rows = layer_table((227, 227, 3), alexnet())
    assert [r.shape[:2] for r in rows[1:9]] == [
        (55, 55),
        (27, 27),
        (27, 27),
        (13, 13),
        (13, 13),
        (13, 13),
        (13, 13),
        (6, 6),
    ]
    assert rows[3].weights == 256 * 5 * 5 * 48  # grouped: half the depth per filter
    ungrouped = layer_table((227, 227, 3), alexnet(groups=False))
    assert ungrouped[3].weights == 2 * rows[3].weights
    assert totals(rows)["params"] == 60_965_224


def test_layer_table_errors_name_the_layer():
    with pytest.raises(ValueError, match="layer CONV11-96.*not a multiple of stride"):
        layer_table((224, 224, 3), [Conv(96, 11, 4)])
    with pytest.raises(ValueError, match="groups = 2 must divide the input depth 3"):
        layer_table((8, 8, 3), [Conv(4, 3, groups=2)])
    with pytest.raises(TypeError, match="Conv, Pool or FC"):
        layer_table((8, 8, 3), ["conv"])
    with pytest.raises(ValueError, match=r"input_shape must be \(H, W, C\)"):
        layer_table((8, 8), [])


@pytest.mark.parametrize(
    ("kernels", "strides", "dilations", "field"),
    [
        ([3, 3, 3], None, None, 7),
        ([7], None, None, 7),
        ([3, 3], None, [1, 2], 7),
        ([3, 3, 3, 3], None, [1, 2, 4, 8], 31),
        ([2, 3], [2, 1], None, 6),
        ([], None, None, 1),
    ],
)
def test_receptive_field(kernels, strides, dilations, field):
    assert receptive_field(kernels, strides, dilations) == field


def test_receptive_field_rejects_mismatched_lists():
    with pytest.raises(ValueError, match="one entry per kernel"):
        receptive_field([3, 3], dilations=[1])


@pytest.mark.parametrize(
    ("kernels", "dilations"), [([3, 3, 3], None), ([3, 3, 3], [1, 2, 4]), ([5, 3], [1, 1])]
)
def test_receptive_field_map_matches_formula(kernels, dilations):
    counts = receptive_field_map(41, kernels, dilations)
    seen = np.argwhere(counts > 0)
    side = receptive_field(kernels, dilations=dilations)
    assert seen[:, 0].max() - seen[:, 0].min() + 1 == side
    assert seen[:, 1].max() - seen[:, 1].min() + 1 == side
    assert counts[20, 20] > 0  # the centre sees the pixel under it


def test_receptive_field_map_counts_paths():
    counts = receptive_field_map(9, [3, 3])  # two all-ones 3x3 layers: 1 2 3 2 1 per axis
    profile = np.array([1, 2, 3, 2, 1], dtype=float)
    np.testing.assert_array_equal(counts[2:7, 2:7], np.outer(profile, profile))
