"""coursenn.lab.regions.count_regions: against hand-made grids and SciPy's labelling."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn import ShapeError
from coursenn.lab.regions import count_regions


@pytest.mark.parametrize(
    ("grid", "count"),
    [
        ([[0, 0], [0, 0]], 0),
        ([[1, 1], [1, 1]], 1),
        ([[1, 0], [0, 1]], 2),  # touching at a corner only: two regions (4-neighbours)
        ([[1, 0, 1], [1, 0, 1], [1, 1, 1]], 1),  # a U is one region
        ([[1, 0, 1, 0, 1]], 3),
    ],
)
def test_small_grids(grid, count):
    assert count_regions(np.array(grid, dtype=bool)) == count


def test_a_spiral_needs_many_passes_and_is_one_region():
    grid = np.zeros((9, 9), dtype=bool)
    grid[0, :], grid[:, 8], grid[8, :], grid[2:, 0], grid[2, :7], grid[2:7, 6] = (True,) * 6
    grid[6, 2:7], grid[4:7, 2], grid[4, 2:5] = True, True, True
    assert count_regions(grid) == 1


def test_agrees_with_scipy_on_random_grids():
    ndimage = pytest.importorskip("scipy.ndimage")
    rng = np.random.default_rng(0)
    for _ in range(30):
        grid = rng.random((int(rng.integers(1, 40)), int(rng.integers(1, 40)))) < rng.random()
        assert count_regions(grid) == ndimage.label(grid)[1]


def test_input_is_not_changed_and_shape_is_checked():
    grid = np.array([[True, False], [False, True]])
    before = grid.copy()
    count_regions(grid)
    assert np.array_equal(grid, before)
    with pytest.raises(ShapeError, match=r"2-D grid.*\(4,\)"):
        count_regions(np.ones(4, dtype=bool))
