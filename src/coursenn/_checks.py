"""Input validation shared by every coursenn module.

Errors a user can trigger are exceptions (never ``assert``) whose message names the
argument, what was expected and what came.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "ShapeError",
    "as_array",
    "read_array",
    "check_ndim",
    "check_shape",
    "check_positive_int",
    "check_number",
    "as_rng",
]


class ShapeError(ValueError):
    """An array argument has the wrong number of dimensions or the wrong shape."""


def as_array(x, name: str, *, dtype=np.float64) -> np.ndarray:
    """Return ``x`` as a new float64 array (never a view of the caller's data).

    Raises ``TypeError`` naming ``name`` if ``x`` cannot be read as numbers.
    """
    try:
        if np.asarray(x).dtype == object:
            raise TypeError("it holds something that is not a number (None?)")
        arr = np.array(x, dtype=dtype, copy=True)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be an array of numbers, got {type(x).__name__}: {exc}"
        ) from None
    return arr


def read_array(x, name: str) -> np.ndarray:
    """``x`` as a float64 array for reading only: ``x`` itself when it already is one.

    For the hot paths of layers, losses and kernels, which only read their input and return
    new arrays: :func:`as_array` always copies. The caller must not modify the result (it may
    be the caller's array) and must not keep it beyond the call unless it documents that it
    keeps a reference. Anything that is not a float64 ``ndarray`` goes through
    :func:`as_array` and its error messages.
    """
    if type(x) is np.ndarray and x.dtype == np.float64:
        return x
    return as_array(x, name)


def check_ndim(x: np.ndarray, ndim: int, name: str, *, shape_hint: str = "") -> None:
    """Raise ``ShapeError`` unless ``x.ndim == ndim``."""
    if x.ndim != ndim:
        hint = f" {shape_hint}" if shape_hint else ""
        raise ShapeError(f"{name} must be {ndim}-D{hint}, got shape {x.shape}")


def check_shape(x: np.ndarray, shape: Sequence[int | None], name: str) -> None:
    """Raise ``ShapeError`` unless ``x.shape`` matches ``shape`` (``None`` matches any size)."""
    ok = x.ndim == len(shape) and all(
        s is None or s == n for s, n in zip(shape, x.shape, strict=True)
    )
    if not ok:
        parts = ["N" if s is None else str(s) for s in shape]
        wanted = f"({parts[0]},)" if len(parts) == 1 else "(" + ", ".join(parts) + ")"
        raise ShapeError(f"{name} must have shape {wanted}, got {x.shape}")


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as an int, raising ``ValueError`` unless it is an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def as_rng(rng=None) -> np.random.Generator:
    """Turn ``rng`` (a ``Generator``, an int seed or ``None``) into a ``Generator``.

    Global numpy random state is never used: ``None`` gives a fresh, unseeded generator.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")


def check_number(
    value, name: str, low: float, high: float = math.inf, *, low_open=False, high_open=False
) -> float:
    """Return ``value`` as a float, raising unless it lies between ``low`` and ``high``.

    The bounds are included unless ``low_open`` / ``high_open``. Non-numbers raise
    ``TypeError``; numbers out of range (or NaN) raise ``ValueError`` naming the interval.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}: {value!r}")
    value = float(value)
    above_low = value > low if low_open else value >= low
    below_high = value < high if high_open else value <= high
    if not (above_low and below_high):  # NaN fails both comparisons
        if high == math.inf:
            wanted = f"{'>' if low_open else '>='} {low:g}"
        else:
            left, right = "(" if low_open else "[", ")" if high_open else "]"
            wanted = f"in {left}{low:g}, {high:g}{right}"
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return value
