"""The registry of exercises, and ``check``: one ✅/❌ line, with hints that escalate.

The chapter modules (``ch01``, ``ch02``, ...) call :func:`register` at import. An
autocheck cell is one line, ``check("ch01-count-params", n_params)``. Each ❌ for a label
in the same kernel moves one step along that exercise's hints: the first is a nudge, later
ones more specific steps (never the code of the fix).

``check`` never raises because of the answer and never hangs: whatever the answer does
(raise any exception, ``SystemExit`` included; a broken ``__repr__``, ``__str__``,
``__float__`` or ``__array__``; loop forever) ends in one ❌ line that says what happened,
at most :data:`MAX_DETAIL` characters before the hint. A function answer's calls, and the
reading of any answer, are stopped after the time limit
(:mod:`coursenn.exercises._timelimit`: 10 s, ``set_time_limit`` or
``$COURSENN_CHECK_TIME_LIMIT``). ``KeyboardInterrupt`` (Ctrl-C, Jupyter's ■) goes through.
What still raises is a mistake in the check cell or the setup: an unknown label
(``KeyError``), ``cases=`` for an exercise that takes none (``TypeError``), a
``$COURSENN_CHECK_TIME_LIMIT`` that is not a positive number (``ValueError``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ._kinds import Exercise
from ._probe import said, shorten
from ._timelimit import TimeLimitExceeded, limited

__all__ = ["CheckResult", "register", "get", "labels", "judge", "check", "reset_attempts"]

MAX_DETAIL = 400  # characters of a ❌ line's description of the answer (before the hint)

_EXERCISES: dict[str, Exercise] = {}
_ATTEMPTS: Counter = Counter()


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check: ``ok`` and the one line shown to the student."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok


def register(*exercises: Exercise) -> None:
    """Add exercises to the registry (a chapter module does this at import).

    Raises
    ------
    ValueError
        If a label is already registered.
    """
    for exercise in exercises:
        if exercise.label in _EXERCISES:
            raise ValueError(f"exercise label {exercise.label!r} is registered twice")
        _EXERCISES[exercise.label] = exercise


def get(label: str) -> Exercise:
    """The exercise registered under ``label``.

    Raises
    ------
    KeyError
        If no exercise has that label (the message lists the labels of its chapter).
    """
    if not isinstance(label, str) or label not in _EXERCISES:
        chapter = label[:4] if isinstance(label, str) else ""
        near = sorted(k for k in _EXERCISES if k.startswith(chapter)) or sorted(_EXERCISES)
        raise KeyError(f"unknown exercise label {label!r}; known labels: {', '.join(near)}")
    return _EXERCISES[label]


def labels() -> list[str]:
    """Every registered label, sorted."""
    return sorted(_EXERCISES)


def judge(label: str, answer, *, cases=None, attempt: int | None = None) -> CheckResult:
    """Judge ``answer`` for exercise ``label`` without printing or counting the attempt.

    Parameters
    ----------
    label : str
        The exercise label, e.g. ``"ch01-forward"``.
    answer : object
        The student's value, function or choice.
    cases : sequence, optional
        Cases to use instead of the public ones (function exercises: hidden grading cases),
        as :class:`~coursenn.exercises.Case` or ``(args, expected)`` pairs.
    attempt : int, optional
        Which hint to show on a ❌ (0: the first nudge); by default the first.
    """
    exercise = get(label)
    exercise.check_cases(cases)
    exercise.prepare()  # our references are not the answer's time
    ok, detail = _judged(exercise, answer, cases)
    if ok:
        return CheckResult(True, f"✅ {label}：正确！")
    hints = list(exercise.hints)
    hint = hints[min(attempt or 0, len(hints) - 1)]
    detail = shorten(" ".join(detail.split()), MAX_DETAIL)  # always one line, never a flood
    return CheckResult(False, f"❌ {label}：{detail}。提示：{hint}")


def _judged(exercise: Exercise, answer, cases) -> tuple[bool, str]:
    """``exercise.judge(answer, cases)`` under the time limit; what escapes it (from the
    answer's own methods, as it is read) becomes the ❌ detail. Only Ctrl-C goes through."""
    stretch = limited()  # a bad $COURSENN_CHECK_TIME_LIMIT raises here, naming it
    try:
        with stretch:
            return exercise.judge(answer, cases)
    except KeyboardInterrupt:
        raise
    except TimeLimitExceeded as exc:
        return False, (
            f"{exercise.name}：读取你的答案（它的 __float__、__array__、__repr__ 等）"
            f"超过了 {exc} 的时间限制，被停下了"
        )
    except BaseException as exc:  # noqa: BLE001 -- the answer's code raised it
        return False, (
            f"{exercise.name}：读取你的答案时它抛出了 {type(exc).__name__}: {said(exc)}"
            "（来自它的 __float__、__array__、__len__、__repr__ 等方法）"
        )


def check(label: str, answer, *, cases=None) -> None:
    """Print the one-line verdict for ``answer``; each ❌ brings the next, more specific hint."""
    result = judge(label, answer, cases=cases, attempt=_ATTEMPTS[label])
    if not result.ok:
        _ATTEMPTS[label] += 1
    print(result.message)


def reset_attempts() -> None:
    """Forget the attempts counted so far (hints start again from the first)."""
    _ATTEMPTS.clear()
