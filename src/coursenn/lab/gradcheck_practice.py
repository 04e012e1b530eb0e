r"""Chapter 5: gradient checking in practice: the step size, and checking a few coordinates.

Two tools for the lecture's advice (study notes after CS231n, 梯度检查) that
:mod:`coursenn.nn.gradcheck` does not cover:

* :func:`difference_errors` measures, for a function of one variable, the error of the
  one-sided difference :math:`(f(x+h) - f(x))/h` (truncation error :math:`O(h)`) and of the
  centred difference :math:`(f(x+h) - f(x-h))/(2h)` (:math:`O(h^2)`) over many steps ``h``,
  in float64 or float32: large ``h`` is limited by the truncation error, tiny ``h`` by
  rounding (about :math:`\epsilon_{\text{mach}} |f| / h`);
* :func:`sampled_gradient_check` checks only ``n`` randomly chosen coordinates of a large
  parameter (the lecture's 检查少量的维度): each costs two evaluations of the loss instead of
  two per coordinate of the whole tensor.

See chapter 5.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .._checks import ShapeError, as_array, as_rng, check_positive_int
from ..nn.gradcheck import rel_error

__all__ = ["difference_errors", "sampled_gradient_check"]


def difference_errors(
    f: Callable[[np.ndarray], np.ndarray],
    dfdx: float,
    x: float,
    hs: Sequence[float],
    dtype=np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Absolute errors of the one-sided and the centred difference of ``f`` at ``x``.

    .. math::
        e_{\text{fwd}}(h) = \Bigl|\frac{f(x+h) - f(x)}{h} - f'(x)\Bigr|, \qquad
        e_{\text{ctr}}(h) = \Bigl|\frac{f(x+h) - f(x-h)}{2h} - f'(x)\Bigr| .

    ``x + h``, ``x - h`` and the function values are computed in ``dtype`` (so float32 shows
    its larger rounding floor), then divided by the nominal ``h`` in float64. Once ``h`` is
    below the spacing of floats near ``x``, ``x + h`` rounds to ``x`` and the difference is 0
    (error :math:`|f'(x)|`).

    Parameters
    ----------
    f : callable
        Elementwise scalar function; called with an array of ``dtype`` and must return an
        array of the same shape (numpy ufuncs keep float32 as float32).
    dfdx : float
        The exact derivative :math:`f'(x)`.
    x : float
        The point.
    hs : sequence of float, length K
        The steps, each > 0.
    dtype : numpy float dtype, default float64

    Returns
    -------
    forward, centred : ndarray, float64, shape (K,)

    See chapter 5.
    """
    hs = as_array(hs, "hs")
    if hs.ndim != 1 or hs.size == 0:
        raise ShapeError(f"hs must be a non-empty 1-D sequence of steps, got shape {hs.shape}")
    if not np.all(np.isfinite(hs) & (hs > 0)):
        raise ValueError(f"hs must hold finite steps > 0, got {hs}")
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(f"dtype must be a floating dtype (float32 or float64), got {dtype}")
    x_d = np.asarray(x, dtype=dtype)
    h_d = hs.astype(dtype)
    plus, minus = x_d + h_d, x_d - h_d
    f0 = np.asarray(f(np.full(hs.shape, x_d, dtype=dtype)), dtype=np.float64)
    fp = np.asarray(f(plus), dtype=np.float64)
    fm = np.asarray(f(minus), dtype=np.float64)
    if fp.shape != hs.shape:
        raise ShapeError(
            f"f must return an array of the shape of its input {hs.shape}, got {fp.shape}"
        )
    forward = (fp - f0) / hs
    centred = (fp - fm) / (2.0 * hs)
    return np.abs(forward - dfdx), np.abs(centred - dfdx)


def sampled_gradient_check(
    f: Callable[[], float],
    x: np.ndarray,
    grad,
    n: int,
    rng=None,
    h: float = 1e-5,
) -> tuple[list[tuple[int, ...]], np.ndarray]:
    r"""Compare ``grad`` with centred differences at ``n`` random coordinates of ``x`` only.

    For each chosen index :math:`i`: :math:`(f(x + h e_i) - f(x - h e_i)) / (2h)` against
    ``grad[i]`` by the lecture's relative error :math:`|a - n| / \max(|a|, |n|)`. ``x`` is
    perturbed **in place** and always restored (also when ``f`` raises), so ``f`` takes no
    argument and reads ``x`` through a closure, e.g. ``lambda: model_loss(X, y)`` with
    ``x = layer.W.data``.

    Parameters
    ----------
    f : callable
        ``f() -> float``, the loss.
    x : ndarray of floats, any shape
        The parameter (the very array ``f`` reads); must be writable.
    grad : array_like, shape of ``x``
        The analytic gradient to check.
    n : int
        How many coordinates (at most ``x.size``), drawn without replacement.
    rng : Generator, int or None
        Which coordinates.
    h : float, default 1e-5

    Returns
    -------
    indices : list of tuple of int, length n
    errors : ndarray, float64, shape (n,)
        The relative error at each index.

    See chapter 5.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"x must be a numpy float array (it is perturbed in place), got {type(x).__name__}"
        )
    grad = as_array(grad, "grad")
    if grad.shape != x.shape:
        raise ShapeError(f"grad must have the shape of x {x.shape}, got {grad.shape}")
    n = check_positive_int(n, "n")
    if n > x.size:
        raise ValueError(f"n must be at most x.size = {x.size}, got {n}")
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a finite number > 0, got {h!r}")
    flat = as_rng(rng).choice(x.size, size=n, replace=False)
    indices = [tuple(int(i) for i in np.unravel_index(k, x.shape)) for k in flat]
    errors = np.empty(n)
    for k, i in enumerate(indices):
        old = x[i].copy()
        try:
            x[i] = old + h
            plus = float(f())
            x[i] = old - h
            minus = float(f())
        finally:
            x[i] = old
        errors[k] = rel_error(grad[i], (plus - minus) / (2.0 * h))
    return indices, errors
