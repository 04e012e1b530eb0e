"""Splitting a data set into train and test parts, and one-hot labels. See chapters 5 and 10."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .._checks import ShapeError, as_rng, check_positive_int, check_real

__all__ = ["Split", "train_test_split", "one_hot"]


class Split(NamedTuple):
    """A train/test split in scikit-learn's order: unpack it, or read the fields by name."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def _n_test(test_size, n: int) -> int:
    """Number of test samples: ``ceil(test_size * n)`` for a fraction, or the count itself."""
    k = None
    if isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        k = int(test_size)
    elif isinstance(test_size, (float, np.floating)) and 0.0 < test_size < 1.0:
        k = math.ceil(test_size * n)
    if k is None or not 1 <= k <= n - 1:
        raise ValueError(
            f"test_size must be a fraction in (0, 1) or a count in [1, {n - 1}] that leaves "
            f"both parts non-empty ({n} samples), got {test_size!r}"
        )
    return k


def train_test_split(X, y, test_size: float | int = 0.2, rng=None, shuffle: bool = True) -> Split:
    """Split ``X`` (N, ...) and ``y`` (N, ...) into a training and a test part.

    ``test_size`` is a fraction in (0, 1) of the samples (rounded up, as scikit-learn) or a
    number of samples. ``shuffle=True`` draws the test samples at random with ``rng``;
    ``shuffle=False`` keeps the order: the first samples train, the last ``n_test`` test.
    Returns a :class:`Split` ``(X_train, X_test, y_train, y_test)`` of new arrays, dtypes kept.
    """
    X, y = check_real(np.asarray(X), "X"), check_real(np.asarray(y), "y")
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(
            "X and y must have the same number of samples (first axis), "
            f"got shapes {X.shape} and {y.shape}"
        )
    n = len(X)
    n_test = _n_test(test_size, n)
    if shuffle:
        order = as_rng(rng).permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        train, test = np.arange(n - n_test), np.arange(n - n_test, n)
    return Split(X[train], X[test], y[train], y[test])


def one_hot(labels, num_classes: int | None = None) -> np.ndarray:
    r"""One-hot rows: :math:`Y_{ik} = 1` if ``labels[i] == k``, else 0.

    ``labels`` of shape ``(N,)`` holds class indices (whole numbers, ``>= 0``);
    ``num_classes`` defaults to ``max(labels) + 1``. Returns float64 of shape ``(N, K)``.
    See chapter 4 (the lecture's 10-dimensional digit targets).
    """
    y = np.asarray(labels)
    if y.ndim != 1:
        raise ShapeError(f"labels must have shape (N,), got {y.shape}")
    if y.dtype == bool or y.dtype.kind not in "iuf":
        raise TypeError(f"labels must be integer class indices, got dtype {y.dtype}")
    bad = (y < 0) | ~np.isfinite(y) | (y != np.round(y))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"labels must be integers >= 0, got {y[i].item()!r} at index {i}")
    if num_classes is None:
        k = int(y.max()) + 1 if y.size else 0
    else:
        k = check_positive_int(num_classes, "num_classes")
        if y.size and y.max() >= k:
            i = int(np.argmax(y >= k))
            raise ValueError(f"labels must be < num_classes={k}, got {y[i].item()!r} at index {i}")
    out = np.zeros((y.size, k))
    out[np.arange(y.size), y.astype(np.int64)] = 1.0
    return out
