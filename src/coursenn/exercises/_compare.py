"""How a student's answer differs from the expected one, told without giving the answer away.

Every text here describes what the student's answer *is* (a wrong value, a wrong shape,
NaN, ``None``, an exception) and never shows the expected value: only the expected shape
when the shapes differ. Texts are Simplified Chinese, as the book.

Reading an answer runs the student's code (``__float__``, ``__array__``, ``__repr__`` ...):
whatever that raises becomes a text here (only ``KeyboardInterrupt`` and the time limit's
:class:`~._timelimit.TimeLimitExceeded` go through, to ``check``), and an answer is shown
at most :data:`SHOWN` characters long (:func:`shown`).
"""

from __future__ import annotations

import numpy as np

from ._probe import shorten
from ._timelimit import TimeLimitExceeded

__all__ = ["fmt", "fmt_arg", "shown", "compare", "unanswered", "SHOWN"]

SHOWN = 80  # characters of an answer shown in a ❌ line

_NAN_HINT = "NaN 来自 0/0、inf − inf，或负数的 log/sqrt"


def shown(x, limit: int = SHOWN) -> str:
    """``repr(x)`` cut to ``limit`` characters (with a marker), or what broke it."""
    try:
        text = repr(x)
    except (KeyboardInterrupt, TimeLimitExceeded):
        raise
    except BaseException as exc:  # noqa: BLE001 -- a student's __repr__, whatever it raised
        return f"<{type(x).__name__} 对象，它的 __repr__ 抛出了 {type(exc).__name__}>"
    return shorten(text, limit) if isinstance(text, str) else f"<{type(x).__name__} 对象>"


def fmt(x) -> str:
    """Short one-line text for a value (arrays rounded to 4 significant digits)."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x[()]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, (np.ndarray, list, tuple)):
        arr, _ = _numbers(x)
        if arr is None:
            return shown(x)
        return np.array2string(arr, precision=4, separator=", ", max_line_width=10_000)
    if isinstance(x, float):
        return f"{x:.6g}"
    return shown(x)


def fmt_arg(x) -> str:
    """An argument in a call description: small values in full, big arrays by shape only."""
    if isinstance(x, np.ndarray) and x.size > 6:
        return f"<形状为 {x.shape} 的数组>"
    return fmt(x)


def unanswered(x) -> bool:
    """The placeholder of an answer cell (``...`` or ``None``)."""
    return x is ... or x is None


def _numbers(got) -> tuple[np.ndarray | None, str]:
    """``(np.asarray(got, dtype=float), "")``, or ``(None, why)`` when it cannot be converted
    (``why`` is empty for the usual TypeError/ValueError, else names what was raised)."""
    try:
        return np.asarray(got, dtype=float), ""
    except (KeyboardInterrupt, TimeLimitExceeded):
        raise
    except (TypeError, ValueError):
        return None, ""
    except BaseException as exc:  # noqa: BLE001 -- __float__/__array__/__len__... of an answer
        return None, f"（把它转换成数时抛出了 {type(exc).__name__}）"


def compare(got, expected, rtol: float, atol: float) -> str | None:
    """``None`` if ``got`` matches ``expected`` (same shape, ``np.isclose``), else what is wrong.

    Parameters
    ----------
    got : object
        The student's answer (a number, a sequence or an array).
    expected : array_like
        The right answer; never shown, only its shape when the shapes differ.
    rtol, atol : float
        Tolerances of ``np.isclose``.
    """
    if isinstance(got, (str, bytes)):  # np.asarray("3", dtype=float) would accept it
        return f"应该是一个数或一个数值数组，你给的是字符串 {shown(got)}（去掉引号）"
    got_arr, why = _numbers(got)
    if got_arr is None:
        return f"应该是一个数或一个数值数组，你给的是 {type(got).__name__} {shown(got)}{why}"
    exp_arr = np.asarray(expected, dtype=float)
    if got_arr.shape != exp_arr.shape:
        return f"形状应为 {exp_arr.shape}，你的结果形状是 {got_arr.shape}"
    nan = np.isnan(got_arr) & ~np.isnan(exp_arr)
    if nan.any():
        if got_arr.ndim == 0:
            return f"结果是 NaN（{_NAN_HINT}）"
        first = tuple(int(i) for i in np.argwhere(nan)[0])
        return (
            f"{got_arr.size} 个元素中有 {np.count_nonzero(nan)} 个是 NaN，"
            f"第一个在下标 {first}（{_NAN_HINT}）"
        )
    close = np.isclose(got_arr, exp_arr, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    if got_arr.size == 1:
        return f"你的结果 {fmt(got)} 不对"
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    wrong = f"{got_arr.size} 个元素中有 {np.count_nonzero(~close)} 个不对，第一个在下标 {first}"
    if got_arr.size <= 6:
        return f"你的结果 {fmt(got)}：{wrong}"
    return f"你的结果（形状 {got_arr.shape}）：{wrong}（你的值是 {fmt(got_arr[first])}）"
