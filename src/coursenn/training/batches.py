"""Mini-batches and accuracy: the two small pieces every training loop uses. See chapter 5."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .._checks import (
    ShapeError,
    as_labels,
    as_rng,
    check_positive_int,
    check_real,
)

__all__ = ["iterate_minibatches", "accuracy"]


def _same_length(X: np.ndarray, y: np.ndarray, names: str = "X and y") -> None:
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ShapeError(
            f"{names} must have the same number of samples (first axis), "
            f"got shapes {X.shape} and {y.shape}"
        )


def iterate_minibatches(
    X, y, batch_size: int, *, shuffle: bool = True, rng=None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(X_batch, y_batch)`` pairs that cover every sample exactly once (one epoch).

    Batches hold ``batch_size`` samples, the last one possibly fewer. ``shuffle=True`` visits
    the samples in a random order drawn from ``rng``; ``shuffle=False`` keeps the order.
    ``X`` (N, ...) and ``y`` (N, ...) keep their dtypes; the batches are new arrays.
    Arguments are checked when the function is called, not at the first batch.
    """
    X, y = check_real(np.asarray(X), "X"), check_real(np.asarray(y), "y")
    _same_length(X, y)
    batch_size = check_positive_int(batch_size, "batch_size")
    order = as_rng(rng).permutation(len(X)) if shuffle else np.arange(len(X))

    def batches() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(order), batch_size):
            index = order[start : start + batch_size]
            yield X[index], y[index]

    return batches()


def accuracy(scores_or_predictions, y) -> float:
    r"""Fraction of samples classified correctly, in [0, 1].

    ``scores_or_predictions`` is either class scores of shape ``(N, K)``, ``K >= 2`` (the
    prediction is :math:`\arg\max_k s_{ik}`), or predicted labels of shape ``(N,)``;
    ``y`` holds the true labels, shape ``(N,)``.
    """
    s = check_real(np.asarray(scores_or_predictions), "scores_or_predictions")
    y = check_real(np.asarray(y), "y")
    if y.ndim != 1:
        raise ShapeError(f"y must have shape (N,), got {y.shape}")
    if s.ndim not in (1, 2):
        raise ShapeError(f"scores_or_predictions must be (N, K) or (N,), got {s.shape}")
    if len(s) != len(y) or len(y) == 0:
        raise ShapeError(
            f"scores_or_predictions and y must hold the same number (> 0) of samples, "
            f"got {len(s)} and {len(y)}"
        )
    if s.ndim == 2:
        if s.shape[1] < 2:
            raise ValueError(
                f"scores must have one column per class (N, K) with K >= 2, got {s.shape}; "
                "for a single output unit threshold it yourself, e.g. (scores[:, 0] > 0)"
            )
        y = as_labels(y, "y", num_classes=s.shape[1], against=("scores", s.shape))
        s = s.argmax(axis=1)
    else:
        y = as_labels(y, "y")
        s = as_labels(s, "scores_or_predictions")
    return float(np.mean(s == y))
