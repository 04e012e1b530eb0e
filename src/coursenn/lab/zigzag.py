r"""Chapter 6: the zig-zag experiment: gradient descent on a two-weight linear unit.

A linear unit :math:`\hat y = \mathbf x^\top \mathbf w` (no bias) is fitted to targets
:math:`y = \mathbf x^\top \mathbf w^\star` by mini-batch gradient descent on
:math:`L = \frac{1}{2B}\sum_{n \in \text{batch}} (\mathbf x_n^\top \mathbf w - y_n)^2`, whose
gradient is :math:`\frac1B \sum_n (\hat y_n - y_n)\,\mathbf x_n`. With one sample per step
(``batch_size=1``) and all-positive inputs (the outputs of a sigmoid layer) every update
:math:`-\eta\,(\hat y_n - y_n)\,\mathbf x_n` has components of one sign: the weights all go up
or all go down together, and reaching :math:`\mathbf w^\star = (1, -1)` takes a zig-zag path.

See chapter 6.
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array, as_rng, check_ndim, check_positive_int

__all__ = ["sgd_path", "same_sign_fraction", "steps_to_reach"]


def sgd_path(X, y, w0, *, lr: float, batch_size: int, steps: int, rng=None) -> np.ndarray:
    r"""Mini-batch gradient descent on :math:`\frac{1}{2B}\lVert X_B \mathbf w - y_B\rVert^2`.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Inputs, one sample per row.
    y : array_like, shape (N,)
        Targets.
    w0 : array_like, shape (D,)
        Starting weights.
    lr : float > 0
        Learning rate :math:`\eta`.
    batch_size : int
        Samples per step :math:`B`, drawn without replacement from a fresh permutation each
        epoch; ``batch_size >= N`` is full-batch gradient descent.
    steps : int
        Number of updates.
    rng : Generator, int or None
        Shuffling.

    Returns
    -------
    path : ndarray, shape (steps + 1, D)
        ``path[0] = w0``, ``path[t]`` the weights after ``t`` updates.
    """
    X, y, w = as_array(X, "X"), as_array(y, "y"), as_array(w0, "w0")
    check_ndim(X, 2, "X", shape_hint="(N, D)")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X {X.shape}, got {y.shape}")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w0 must have shape ({X.shape[1]},) to match X {X.shape}, got {w.shape}")
    if not lr > 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    batch_size = min(check_positive_int(batch_size, "batch_size"), X.shape[0])
    steps = check_positive_int(steps, "steps")
    rng = as_rng(rng)
    path = np.empty((steps + 1, w.size))
    path[0] = w
    order, start = rng.permutation(X.shape[0]), 0
    for t in range(1, steps + 1):
        if start + batch_size > X.shape[0]:
            order, start = rng.permutation(X.shape[0]), 0
        batch = order[start : start + batch_size]
        start += batch_size
        residual = X[batch] @ w - y[batch]
        w = w - lr * (X[batch].T @ residual) / batch_size
        path[t] = w
    return path


def same_sign_fraction(path) -> float:
    """Fraction of the updates ``path[t+1] - path[t]`` whose nonzero components share one sign.

    Updates that are exactly zero are left out; returns ``nan`` when every update is zero.

    Parameters
    ----------
    path : array_like, shape (T + 1, D)
    """
    path = as_array(path, "path")
    check_ndim(path, 2, "path", shape_hint="(T + 1, D)")
    steps = np.diff(path, axis=0)
    moving = np.any(steps != 0, axis=1)
    if not moving.any():
        return float("nan")
    steps = steps[moving]
    same = np.all(steps >= 0, axis=1) | np.all(steps <= 0, axis=1)
    return float(np.mean(same))


def steps_to_reach(path, target, tol: float) -> int | None:
    r"""First ``t`` with :math:`\lVert \mathbf w_t - \mathbf w^\star\rVert < \mathrm{tol}`.

    Returns ``None`` if the path never comes that close.

    Parameters
    ----------
    path : array_like, shape (T + 1, D)
    target : array_like, shape (D,)
    tol : float > 0
    """
    path, target = as_array(path, "path"), as_array(target, "target")
    check_ndim(path, 2, "path", shape_hint="(T + 1, D)")
    if target.shape != (path.shape[1],):
        raise ValueError(f"target must have shape ({path.shape[1]},), got {target.shape}")
    if not tol > 0:
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    close = np.linalg.norm(path - target, axis=1) < tol
    return int(np.argmax(close)) if close.any() else None
