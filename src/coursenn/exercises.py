"""Checkers for the exercises' autocheck cells.

Each ``check_*`` prints exactly one line: ``✅ name: ...`` when the answer is right, or
``❌ name: what came and what is wrong with it. Hint: ...`` when it is not. A ❌ line never
shows the expected answer (only the expected shape when the shapes differ): it describes
what the student's code produced -- a wrong value, a wrong shape, ``None``, NaN, an
exception, or an unimplemented stub -- and adds the exercise's hint. A wrong answer never
produces a traceback, even if the student's function raises. The ``assert_*`` variants
make the same judgement and raise ``AssertionError`` with the same line, for grading
scripts. ``judge_*`` return a :class:`CheckResult` without printing.

An unanswered placeholder (``...`` or ``None``) is reported as "no answer yet".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CheckResult",
    "judge_value",
    "judge_function",
    "judge_choice",
    "answer_digest",
    "check_value",
    "check_function",
    "check_choice",
    "assert_value",
    "assert_function",
    "assert_choice",
]


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check: ``ok`` and the one-line ``message`` shown to the student."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok


def _fmt(x) -> str:
    """Short one-line text for a value (arrays rounded to 4 significant digits)."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x[()]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, np.ndarray) or isinstance(x, (list, tuple)):
        try:
            arr = np.asarray(x, dtype=float)
        except (TypeError, ValueError):
            return repr(x)
        return np.array2string(arr, precision=4, separator=", ", max_line_width=10_000)
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.6g}"
    return repr(x)


def _fmt_arg(x) -> str:
    """An argument in a call description: small values in full, big arrays by shape only."""
    if isinstance(x, np.ndarray) and x.size > 6:
        return f"<array of shape {x.shape}>"
    return _fmt(x)


def _verdict(ok: bool, name: str, detail: str, hint: str) -> CheckResult:
    detail = " ".join(detail.split())  # always exactly one line, even for matrices
    if ok:
        return CheckResult(True, f"✅ {name}: {detail}")
    tail = f" Hint: {hint}" if hint else ""
    return CheckResult(False, f"❌ {name}: {detail}.{tail}")


def _unanswered(x) -> bool:
    return x is ... or x is None


_NAN_HINT = "NaN comes from 0/0, inf - inf, or log/sqrt of a negative number"


def _compare(got, expected, rtol: float, atol: float) -> str | None:
    """Return None if ``got`` matches ``expected`` numerically, else what is wrong.

    The text describes ``got`` and never shows ``expected`` (only its shape when the
    shapes differ), so a wrong answer does not give the right one away.
    """
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected a number or an array of numbers, got {type(got).__name__} {got!r}"
    exp_arr = np.asarray(expected, dtype=float)
    if got_arr.shape != exp_arr.shape:
        return f"expected shape {exp_arr.shape}, got shape {got_arr.shape}"
    nan = np.isnan(got_arr) & ~np.isnan(exp_arr)
    if nan.any():
        if got_arr.ndim == 0:
            return f"got NaN (not a number; {_NAN_HINT})"
        first = tuple(int(i) for i in np.argwhere(nan)[0])
        return (
            f"got NaN in {np.count_nonzero(nan)} of {got_arr.size} entries, the first at "
            f"index {first} ({_NAN_HINT})"
        )
    close = np.isclose(got_arr, exp_arr, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    if got_arr.size == 1:
        return f"got {_fmt(got)}, which is not right"
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    wrong = f"{np.count_nonzero(~close)} of {got_arr.size} entries are not right"
    if got_arr.size <= 6:
        return f"got {_fmt(got)}: {wrong}, the first at index {first}"
    return (
        f"got an array of shape {got_arr.shape}: {wrong}, the first at index {first} "
        f"(you have {_fmt(got_arr[first])})"
    )


def judge_value(
    got,
    expected,
    *,
    name: str = "answer",
    rtol: float = 1e-6,
    atol: float = 1e-8,
    hint: str = "",
    mistakes: dict | None = None,
) -> CheckResult:
    """Is ``got`` numerically equal to ``expected`` (same shape, ``np.allclose``)?

    ``mistakes`` maps known wrong answers to a targeted hint, e.g.
    ``{535040: "that counts the weights only: add the biases"}``; it replaces ``hint`` when
    the answer equals one of them.
    """
    if _unanswered(got):
        return _verdict(
            False, name, "no answer yet (replace the placeholder with your answer)", hint
        )
    problem = _compare(got, expected, rtol, atol)
    if problem is None:
        return _verdict(True, name, f"{_fmt(got)} is correct.", hint)
    for wrong, targeted in (mistakes or {}).items():
        if _compare(got, wrong, rtol, atol) is None:
            return _verdict(False, name, problem, targeted)
    return _verdict(False, name, problem, hint)


def judge_function(
    fn: Callable,
    cases: Sequence[tuple[tuple, object]],
    *,
    name: str | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    hint: str = "",
) -> CheckResult:
    """Call ``fn(*args)`` for each ``(args, expected)`` in ``cases``; all must match.

    Reports the first failing case -- the call and what it returned or raised, never the
    expected result.
    """
    label = name or getattr(fn, "__name__", "function")
    if _unanswered(fn):
        return _verdict(False, label, "no answer yet (define the function first)", hint)
    if not callable(fn):
        return _verdict(False, label, f"expected a function, got {type(fn).__name__}", hint)
    for args, expected in cases:
        call = f"{label}({', '.join(_fmt_arg(a) for a in args)})"
        try:
            got = fn(*args)
        except NotImplementedError:
            return _verdict(
                False,
                label,
                f"not implemented yet ({call} raised NotImplementedError: replace "
                "`raise NotImplementedError()` with your code)",
                hint,
            )
        except Exception as exc:  # a student's bug must not become a traceback
            return _verdict(False, label, f"{call} raised {type(exc).__name__}: {exc}", hint)
        if got is None:
            return _verdict(False, label, f"{call} returned None (a missing return?)", hint)
        problem = _compare(got, expected, rtol, atol)
        if problem is not None:
            return _verdict(False, label, f"{call}: {problem}", hint)
    return _verdict(True, label, f"all {len(cases)} test cases pass.", hint)


def answer_digest(answer) -> str:
    """``"sha256:<hex>"`` of a multiple-choice answer (text is stripped and upper-cased).

    An autocheck cell can name the right choice by its digest, so the student notebook
    does not show it in plain sight: ``check_choice(answer, answer_digest("B"))`` is written
    out as ``check_choice(answer, "sha256:...")``. This hides the answer from a glance, not
    from a student who hashes every option.
    """
    text = answer.strip().upper() if isinstance(answer, str) else repr(answer)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def judge_choice(
    answer, correct, *, name: str = "answer", options: Sequence | None = None, hint: str = ""
) -> CheckResult:
    """Multiple choice: ``answer`` (e.g. ``"B"``) against ``correct``, case-insensitive for text.

    ``correct`` is the right choice, or its :func:`answer_digest` (a ``"sha256:..."`` string).
    """
    if _unanswered(answer):
        return _verdict(
            False, name, "no answer yet (replace the placeholder with your choice)", hint
        )
    hashed = isinstance(correct, str) and correct.startswith("sha256:")
    textual = hashed or isinstance(correct, str)
    norm = (lambda v: v.strip().upper()) if textual else (lambda v: v)
    given = norm(answer) if isinstance(answer, str) == textual else answer
    if options is not None and given not in [norm(o) for o in options]:
        return _verdict(False, name, f"{answer!r} is not one of the options {list(options)}", hint)
    right = answer_digest(given) == correct if hashed else given == norm(correct)
    if right:
        return _verdict(True, name, f"{answer!r} is correct.", hint)
    return _verdict(False, name, f"{answer!r} is not the right choice", hint)


def check_value(got, expected, **kwargs) -> None:
    """Print the verdict of :func:`judge_value` (one ✅/❌ line)."""
    print(judge_value(got, expected, **kwargs).message)


def check_function(fn: Callable, cases: Sequence[tuple[tuple, object]], **kwargs) -> None:
    """Print the verdict of :func:`judge_function` (one ✅/❌ line)."""
    print(judge_function(fn, cases, **kwargs).message)


def check_choice(answer, correct, **kwargs) -> None:
    """Print the verdict of :func:`judge_choice` (one ✅/❌ line)."""
    print(judge_choice(answer, correct, **kwargs).message)


def _assert(result: CheckResult) -> None:
    if not result.ok:
        raise AssertionError(result.message)


def assert_value(got, expected, **kwargs) -> None:
    """Like :func:`check_value` but raise ``AssertionError`` on a wrong answer (for grading)."""
    _assert(judge_value(got, expected, **kwargs))


def assert_function(fn: Callable, cases: Sequence[tuple[tuple, object]], **kwargs) -> None:
    """Like :func:`check_function` but raise ``AssertionError`` on a wrong answer."""
    _assert(judge_function(fn, cases, **kwargs))


def assert_choice(answer, correct, **kwargs) -> None:
    """Like :func:`check_choice` but raise ``AssertionError`` on a wrong answer."""
    _assert(judge_choice(answer, correct, **kwargs))
