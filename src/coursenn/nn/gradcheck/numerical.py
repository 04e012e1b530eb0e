r"""Numerical gradients (centred differences), the relative error and the lecture's verdicts.

The recipe and the bands are explained in :mod:`coursenn.nn.gradcheck`. See chapter 5.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..._checks import ShapeError, as_array, as_float, check_number

__all__ = ["numerical_gradient", "numerical_gradient_array", "rel_error", "verdict", "BANDS"]

#: The lecture's verdict bands, as ``(lower bound, name)`` from the top: a relative error
#: ``e`` gets the first name whose bound it reaches (``e > 1e-2`` for "wrong", ``e >= bound``
#: for the others); NaN or infinity is "wrong".
BANDS: tuple[tuple[float, str], ...] = (
    (1e-2, "wrong"),
    (1e-4, "suspicious"),
    (1e-7, "ok for kinks"),
    (0.0, "excellent"),
)


# --- helpers ---------------------------------------------------------------------------------


def _check_probe(x, name: str = "x") -> np.ndarray:
    """``x`` must be a writable float ndarray: it is perturbed in place."""
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"{name} must be a numpy float array (it is perturbed in place), got {type(x).__name__}"
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{name} must have a floating dtype (float64 recommended; it is perturbed in "
            f"place by ±h), got {x.dtype}"
        )
    if not x.flags.writeable:
        raise ValueError(
            f"{name} must be writable (it is perturbed in place), got a read-only array"
        )
    return x


def _check_h(h) -> float:
    return check_number(h, "h", 0.0, low_open=True)


def _probe_args(f, x, h) -> tuple[np.ndarray, float]:
    """Check the arguments of a numerical gradient: ``f`` callable, ``x`` a probe, ``h`` > 0."""
    if not callable(f):
        raise TypeError(f"f must be a function of x, got {type(f).__name__}")
    return _check_probe(x), _check_h(h)


def _scalar(value) -> float:
    """The float that ``f`` returned, or a clear error if it returned something else."""
    if isinstance(value, tuple):
        raise TypeError(
            "f must return a float, got a tuple (for a coursenn.nn.losses function, which returns "
            "(loss, dinput), use lambda z: loss_fn(z, ...)[0])"
        )
    arr = np.asarray(value)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"f must return a float, got {type(value).__name__}")
    if arr.size != 1:
        raise ShapeError(
            f"f must return a scalar, got an array of shape {arr.shape} "
            "(use numerical_gradient_array(f, x, dout) for functions with array outputs)"
        )
    return float(arr.reshape(()))


def _elementwise_rel_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``|a - b| / max(|a|, |b|)`` elementwise, 0 where both are 0, without warnings."""
    with np.errstate(invalid="ignore", over="ignore"):
        num = np.abs(a - b)
        den = np.maximum(np.abs(a), np.abs(b))
        out = np.zeros(np.broadcast_shapes(a.shape, b.shape))
        np.divide(num, den, out=out, where=den > 0)
        # inf - inf or NaN anywhere: no meaningful agreement
        out[np.isnan(num) | np.isnan(den)] = np.nan
    return out


# --- numerical gradients ---------------------------------------------------------------------


def _centred(x: np.ndarray, h: float, evaluate):
    """Yield ``(i, evaluate(x + h e_i), evaluate(x - h e_i))``; ``x[i]`` is always restored."""
    for i in np.ndindex(x.shape):
        old = x[i].copy()
        try:
            x[i] = old + h
            plus = evaluate(x)
            x[i] = old - h
            minus = evaluate(x)
        finally:
            x[i] = old
        yield i, plus, minus


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    r"""Centred-difference gradient of a scalar function ``f`` at ``x``.

    .. math::
        \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

    ``x`` is perturbed **in place**, one element at a time, and each element is restored
    right after its two evaluations, also when ``f`` raises (the exception propagates and
    ``x`` holds its original values). So ``f`` may ignore its argument and read ``x``
    through a closure, e.g. ``numerical_gradient(lambda _: model_loss(), layer.W.data)``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. For a ``coursenn.nn.losses`` function take the loss part:
        ``lambda z: mse_loss(z, y)[0]``.
    x : ndarray of floats, any shape
        The point; must be a writable float array (float64 recommended).
    h : float, default 1e-5
        The step.

    Returns
    -------
    grad : ndarray, float64, shape of ``x``

    See chapter 5.
    """
    x, h = _probe_args(f, x, h)
    grad = np.zeros(x.shape, dtype=np.float64)
    for i, plus, minus in _centred(x, h, lambda z: _scalar(f(z))):
        grad[i] = (plus - minus) / (2.0 * h)
    return grad


def numerical_gradient_array(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, dout, h: float = 1e-5
) -> np.ndarray:
    r"""Numerical gradient of :math:`\sum f(x) \odot \mathrm{dout}` for an array-valued ``f``.

    This is what a layer's ``backward(dout)`` must return as ``dx`` (CS231n's
    ``eval_numerical_gradient_array``):

    .. math::
        \frac{\partial}{\partial x_i} \sum_k f(x)_k\, \mathrm{dout}_k \approx
        \sum_k \frac{f(x + h e_i)_k - f(x - h e_i)_k}{2h}\, \mathrm{dout}_k .

    ``x`` is perturbed in place and always restored, as in :func:`numerical_gradient`.
    The outputs are copied, so ``f`` may return a view or a reused buffer.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray`` of the shape of ``dout``.
    x : ndarray of floats, any shape
    dout : array_like, shape of ``f(x)``
        The upstream gradient (use random values, not ones, to catch transposes).
    h : float, default 1e-5

    Returns
    -------
    dx : ndarray, float64, shape of ``x``

    See chapter 5.
    """
    x, h = _probe_args(f, x, h)
    dout = as_array(dout, "dout")

    def evaluate(z):
        out = np.array(f(z), dtype=np.float64, copy=True)  # f may reuse its output buffer
        if out.shape != dout.shape:
            raise ShapeError(f"dout must have the shape of f(x) {out.shape}, got {dout.shape}")
        return out

    grad = np.zeros(x.shape, dtype=np.float64)
    for i, plus, minus in _centred(x, h, evaluate):
        grad[i] = np.sum((plus - minus) * dout) / (2.0 * h)
    return grad


# --- relative error and verdicts -------------------------------------------------------------


def rel_error(a, b) -> float:
    r"""The lecture's relative error, worst element.

    .. math:: \max_i \frac{|a_i - b_i|}{\max(|a_i|, |b_i|)}

    An element where both are 0 counts as 0 (no division by zero, no warning). Returns a
    ``float`` in ``[0, 2]`` (at most 1 unless signs differ), or ``nan`` if any element is
    NaN (or both infinite); 0.0 for empty arrays.

    Beware tiny gradients: ``1e-17`` against ``0`` is a relative error of 1 although both
    are rounding noise; the lecture advises looking at the raw values too (below ~1e-10 is
    worrying). :class:`GradCheckReport` prints them.

    Parameters
    ----------
    a, b : array_like, same shape
        For example the analytic and the numerical gradient.

    See chapter 5.
    """
    a = as_array(a, "a")
    b = as_array(b, "b")
    if a.shape != b.shape:
        raise ShapeError(f"b must have the same shape as a {a.shape}, got {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(_elementwise_rel_error(a, b)))


def verdict(error: float) -> str:
    """The lecture's band for a relative error: "wrong", "suspicious", "ok for kinks", "excellent".

    ``> 1e-2`` wrong; ``[1e-4, 1e-2]`` suspicious; ``[1e-7, 1e-4)`` ok for kinks (acceptable
    only where the function has kinks); ``< 1e-7`` excellent. NaN or infinity is wrong.
    See chapter 5.
    """
    e = as_float(error, "error")
    if not np.isfinite(e) or e > BANDS[0][0]:
        return BANDS[0][1]
    for bound, name in BANDS[1:]:
        if e >= bound:
            return name
    raise ValueError(f"error must be a relative error >= 0, got {error!r}")
