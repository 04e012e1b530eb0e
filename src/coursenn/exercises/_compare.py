"""How a student's answer differs from the expected one, told without giving the answer away.

Every text here describes what the student's answer *is* (a wrong value, a wrong shape,
NaN, ``None``, an exception) and never shows the expected value: only the expected shape
when the shapes differ. Texts are Simplified Chinese, as the book.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fmt", "fmt_arg", "compare", "unanswered"]

_NAN_HINT = "NaN 来自 0/0、inf − inf，或负数的 log/sqrt"


def fmt(x) -> str:
    """Short one-line text for a value (arrays rounded to 4 significant digits)."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x[()]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, (np.ndarray, list, tuple)):
        try:
            arr = np.asarray(x, dtype=float)
        except (TypeError, ValueError):
            return repr(x)
        return np.array2string(arr, precision=4, separator=", ", max_line_width=10_000)
    if isinstance(x, float):
        return f"{x:.6g}"
    return repr(x)


def fmt_arg(x) -> str:
    """An argument in a call description: small values in full, big arrays by shape only."""
    if isinstance(x, np.ndarray) and x.size > 6:
        return f"<形状为 {x.shape} 的数组>"
    return fmt(x)


def unanswered(x) -> bool:
    """The placeholder of an answer cell (``...`` or ``None``)."""
    return x is ... or x is None


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
        return f"应该是一个数或一个数值数组，你给的是字符串 {got!r}（去掉引号）"
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"应该是一个数或一个数值数组，你给的是 {type(got).__name__} {got!r}"
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
