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
    "check_real",
    "check_ndim",
    "check_shape",
    "check_positive_int",
    "check_nonnegative_int",
    "as_shape",
    "as_float",
    "check_number",
    "as_labels",
    "check_method",
    "check_cache",
    "as_rng",
]


class ShapeError(ValueError):
    """An array argument has the wrong number of dimensions or the wrong shape."""


def check_real(x: np.ndarray, name: str) -> np.ndarray:
    """Return ``x`` unchanged if its dtype holds real numbers (int, float or bool).

    Raises ``TypeError`` naming ``name`` for complex numbers (whose imaginary part numpy
    would drop with only a warning), strings (even ``"0.5"``: no silent parsing) and
    arbitrary objects.
    """
    kind = x.dtype.kind
    if kind == "c":
        raise TypeError(
            f"{name} must be an array of numbers (real), got complex values (dtype {x.dtype}); "
            "keep the part you mean, e.g. x.real or abs(x)"
        )
    if kind in "USO" or kind not in "biuf":
        what = "strings" if kind in "US" else "something that is not a number (None?)"
        raise TypeError(
            f"{name} must be an array of numbers, got {what} (dtype {x.dtype}); "
            "convert them to numbers first"
        )
    return x


def as_array(x, name: str, *, dtype=np.float64) -> np.ndarray:
    """Return ``x`` as a new float64 array (never a view of the caller's data).

    Raises ``TypeError`` naming ``name`` if ``x`` is not numbers: ``None``, strings (also
    numeric ones such as ``"0.5"``), complex numbers, ragged lists, objects.
    """
    try:
        check_real(np.asarray(x), name)
        arr = np.array(x, dtype=dtype, copy=True)
    except (TypeError, ValueError) as exc:
        message = str(exc)
        if message.startswith(f"{name} must be"):
            raise TypeError(message) from None
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


def check_nonnegative_int(value, name: str) -> int:
    """Return ``value`` as an int, raising ``ValueError`` unless it is an integer >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def as_shape(
    shape, name: str, *, ndim: int | None = None, hint: str = "", minimum: int = 1
) -> tuple[int, ...]:
    """``shape`` (an int or a sequence of ints) as a tuple of positive ints, or a clear error.

    ``ndim`` fixes the number of entries (``hint`` names them, e.g. ``"(N, C, H, W)"``);
    ``minimum=0`` lets sizes be 0 (the shape of an empty batch). Raises ``TypeError`` for
    something that is not a sequence of integers, ``ShapeError`` for a wrong length and
    ``ValueError`` for a size below ``minimum``.
    """
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    if isinstance(shape, (str, bytes)) or not isinstance(shape, (Sequence, np.ndarray)):
        raise TypeError(
            f"{name} must be a tuple of positive integers, got {type(shape).__name__}: {shape!r}"
        )
    if ndim is not None and len(shape) != ndim:
        raise ShapeError(f"{name} must be {hint or f'{ndim} sizes'}, got {tuple(shape)!r}")
    for size in shape:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise TypeError(
                f"{name} must be a tuple of positive integers, got {tuple(shape)!r} "
                f"(entry {size!r} is a {type(size).__name__})"
            )
        if size < minimum:
            wanted = "positive integers" if minimum == 1 else f"integers >= {minimum}"
            raise ValueError(f"{name} must be a tuple of {wanted}, got {tuple(shape)!r}")
    return tuple(int(size) for size in shape)


def as_rng(rng=None) -> np.random.Generator:
    """Turn ``rng`` (a ``Generator``, an int seed >= 0 or ``None``) into a ``Generator``.

    Global numpy random state is never used: ``None`` gives a fresh, unseeded generator.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng must be an int seed >= 0 (or a Generator or None), got {rng}")
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")


def as_float(value, name: str) -> float:
    """``value`` as a float if it is a real number (not bool), else ``TypeError`` naming it.

    NaN and infinities pass: :func:`check_number` is the rule for hyperparameters.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}: {value!r}")
    return float(value)


def check_number(
    value,
    name: str,
    low: float,
    high: float = math.inf,
    *,
    low_open=False,
    high_open=False,
    finite=True,
) -> float:
    """Return ``value`` as a float, raising unless it lies between ``low`` and ``high``.

    The rule for every hyperparameter (learning rates, momenta, eps, decay rates, noise
    levels): a real number, finite unless ``finite=False`` (a NaN or infinite setting never
    propagates into the numbers), within the bounds, which are included unless ``low_open`` /
    ``high_open``. Non-numbers (``None``, strings, complex, bool, arrays) raise ``TypeError``;
    numbers out of range, NaN or infinite raise ``ValueError`` naming the interval.
    """
    value = as_float(value, name)
    above_low = value > low if low_open else value >= low
    below_high = value < high if high_open else value <= high
    if not (above_low and below_high):  # NaN fails both comparisons
        raise ValueError(
            f"{name} must be {_interval(low, high, low_open, high_open)}, got {value!r}"
        )
    if finite and not math.isfinite(value):
        wanted = _interval(low, high, low_open, high_open).removeprefix("a number")
        raise ValueError(
            f"{name} must be a finite number{' ' + wanted if wanted else ''}, got {value!r}"
        )
    return value


def _interval(low: float, high: float, low_open: bool, high_open: bool) -> str:
    """``">= 0"``, ``"in (0, 1]"`` or ``"a number"``: the range of :func:`check_number`."""
    if high == math.inf:
        return f"{'>' if low_open else '>='} {low:g}" if low > -math.inf else "a number"
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    return f"in {left}{low:g}, {high:g}{right}"


def as_labels(
    labels,
    name: str = "labels",
    *,
    n: int | None = None,
    num_classes: int | None = None,
    against: tuple[str, tuple[int, ...]] | None = None,
) -> np.ndarray:
    """Integer class indices of shape ``(N,)``, each in ``[0, num_classes)``, as ``intp``.

    ``n`` fixes the number of labels and ``num_classes`` the upper end (without it, labels
    must be ``>= 0``); ``against = (name, shape)`` names the scores they go with, for the
    messages. Raises ``ShapeError`` for a wrong shape (one-hot rows are recognised) and
    ``ValueError`` for a non-integer dtype (floats, bool, complex, strings) and for labels out of
    range, naming the first bad label and its index, e.g. "labels must be class indices in
    [0, K) = [0, 3) for logits with K = 3 columns, got 7 at index 3".
    """
    y = np.asarray(labels)  # strings, complex, None: refused below by their dtype
    scores = f"{against[0]} {against[1]}" if against else ""
    if y.ndim != 1:
        wanted = f"({n},)" if n is not None else "(N,)"
        hint = ""
        if y.ndim == 2 and against and y.shape == against[1]:
            hint = f" (these look one-hot: pass class indices, {name}.argmax(axis=1))"
        raise ShapeError(
            f"{name} must be 1-D class indices of shape {wanted}"
            f"{' to match ' + scores if scores else ''}, got shape {y.shape}{hint}"
        )
    if n is not None and y.shape[0] != n:
        per_row = f", one label per row of {scores}" if scores else ""
        raise ShapeError(f"{name} must have shape ({n},){per_row}, got {y.shape}")
    if y.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must be integer class indices, got dtype {y.dtype} "
            f"(if they are whole numbers, convert with {name}.astype(int))"
        )
    y = y.astype(np.intp, copy=False)
    top = np.iinfo(np.intp).max if num_classes is None else num_classes
    # One pass for both ends: viewed as unsigned, a negative label is larger than any K.
    if y.size and y.view(np.uintp).max() >= top:
        bad = np.flatnonzero((y < 0) | (y >= top))
        i = int(bad[0])
        more = f" ({bad.size} labels out of range)" if bad.size > 1 else ""
        if num_classes is None:
            wanted = ">= 0"
        elif against:
            wanted = f"in [0, K) = [0, {top}) for {against[0]} with K = {top} columns"
        else:
            wanted = f"in [0, {top}) for {top} classes"
        raise ValueError(
            f"{name} must be class indices {wanted}, got {int(y[i])} at index {i}{more}"
        )
    return y


def check_method(obj, methods: Sequence[str], name: str) -> None:
    """Raise ``TypeError`` unless ``obj`` has every method in ``methods`` (duck typing)."""
    for method in methods:
        if not callable(getattr(obj, method, None)):
            raise TypeError(f"{name} must have a {method}() method, got {obj!r}")


def check_cache(cache, kind: type, name: str, made_by: str) -> None:
    """Raise ``TypeError`` unless ``cache`` is the ``kind`` that ``made_by`` returned.

    A backward function takes the cache its forward returned; a cache from another call
    (or the forward's output) is named as such instead of failing while being unpacked.
    """
    if not isinstance(cache, kind):
        raise TypeError(
            f"{name} must be the cache that {made_by} returned (its second value: "
            f"out, cache = {made_by}(...)), got {type(cache).__name__}"
        )
