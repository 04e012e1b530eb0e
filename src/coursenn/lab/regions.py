"""Chapter 1: connected regions of a decision map: how many pieces a classifier cuts the plane into.

Chapter 1 counts them for networks of growing width (a wider net can wrap a region around a
single misplaced point). Pure numpy, so the chapter needs no SciPy: the same count as
``scipy.ndimage.label`` with its default (4-neighbour) structure. See chapter 1.
"""

from __future__ import annotations

import numpy as np

from .._checks import ShapeError

__all__ = ["count_regions"]


def _spread_along_rows(labels: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Each horizontal run of ``True`` cells takes the largest label in it."""
    left = np.zeros_like(mask)
    left[:, 1:] = mask[:, :-1]
    cells = np.flatnonzero(mask)  # row-major: the cells of one run are consecutive
    if cells.size == 0:
        return labels
    run = np.cumsum((mask & ~left).ravel())[cells]
    firsts = np.flatnonzero(np.r_[True, run[1:] != run[:-1]])
    largest = np.maximum.reduceat(labels.ravel()[cells], firsts)
    out = np.zeros(labels.size, dtype=labels.dtype)
    out[cells] = np.repeat(largest, np.diff(np.r_[firsts, cells.size]))
    return out.reshape(labels.shape)


def count_regions(mask) -> int:
    """The number of connected regions of ``True`` cells in a 2-D boolean grid.

    Two cells are connected when they share an edge (4-neighbours). Every ``True`` cell
    starts with its own label; then each horizontal run of ``True`` cells, and each
    vertical one, takes the largest label in it, alternately, until nothing changes: each
    region then holds one label (a pass along rows and one along columns carry a label
    round each bend of a region at once).

    Parameters
    ----------
    mask : array_like of bool, shape (H, W)

    Returns
    -------
    int
        How many regions (0 for an all-``False`` grid).

    Raises
    ------
    ShapeError
        If ``mask`` is not 2-D.
    """
    mask = np.asarray(mask, dtype=bool)
    if mask.ndim != 2:
        raise ShapeError(f"mask must be a 2-D grid (H, W), got shape {mask.shape}")
    labels = np.where(mask, np.arange(1, mask.size + 1).reshape(mask.shape), 0)
    while True:
        spread = _spread_along_rows(labels, mask)
        spread = _spread_along_rows(spread.T.copy(), mask.T.copy()).T
        if np.array_equal(spread, labels):
            return int(np.unique(labels[mask]).size)
        labels = spread
