"""A time limit on a student's code: an answer that runs too long is stopped, with words.

``check`` runs a student's code in two kinds of stretch: each *call* of a function answer
(:func:`coursenn.exercises._probe.run`), and the *reading* of an answer (its ``__float__``,
``__array__``, ``__repr__`` ... while it is compared). Each stretch runs inside
:func:`limited`: when it lasts longer than the limit, :class:`TimeLimitExceeded` is raised
inside the student's code, and the caller turns it into a ❌ line. The limit is per stretch
and restarts for each call: an answer that is right but slow on several cases passes as long
as no single call takes longer than the limit. A nested stretch pauses the one around it
(time spent in a call of the answer is not charged to the reading around it); our own
bookkeeping between stretches runs in :func:`shielded` (no limit, nothing raised).

The limit
---------
10 seconds by default. ``set_time_limit(seconds)`` (exported as
``coursenn.exercises.set_time_limit``) changes it for this process; otherwise the environment
variable ``COURSENN_CHECK_TIME_LIMIT`` (seconds, a positive number) does. Grading uses the
default in the student's sandboxed kernel (the grader has its own per-notebook timeout).

How, and where it works
-----------------------
``signal.setitimer(ITIMER_REAL)`` and ``SIGALRM``, in the main thread of a platform that has
them (Linux, macOS: a Jupyter kernel runs cells in its main thread). The timer re-fires every
0.25 s after the limit, so an answer that catches the first :class:`TimeLimitExceeded` (a bare
``except:``) is stopped by the next, unless it swallows them all. The previous ``SIGALRM``
handler and any timer already running are restored afterwards (a running timer is charged
the time spent here). :class:`TimeLimitExceeded` derives from ``BaseException`` so that an
answer's ``except Exception:`` does not swallow it.

Elsewhere -- Windows (no ``SIGALRM``) and any thread but the main one -- there is **no time
limit**: a looping answer runs until the kernel is interrupted (Jupyter's ■ button, i.e.
``KeyboardInterrupt``, which ``check`` always lets through). :func:`supported` says which
case applies.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time

__all__ = [
    "DEFAULT_TIME_LIMIT", "ENV_VAR", "TimeLimitExceeded", "set_time_limit", "time_limit",
    "supported", "limited", "shielded",
]  # fmt: skip

DEFAULT_TIME_LIMIT = 10.0
ENV_VAR = "COURSENN_CHECK_TIME_LIMIT"
REFIRE = 0.25  # seconds between SIGALRMs once the limit has passed

_SETTING: list[float] = []  # set_time_limit's value, if any
_STACK: list[_Stretch] = []  # the open stretches, innermost last


class TimeLimitExceeded(BaseException):  # noqa: N818 -- it is not an error of ours
    """Raised inside a student's code that ran longer than ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:  # the ❌ lines say the rest, in Chinese
        return f"{self.seconds:g} s"


def _valid(seconds, what: str) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, got {type(seconds).__name__}")
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"{what} must be a positive, finite number of seconds, got {seconds!r}")
    return float(seconds)


def set_time_limit(seconds: float | None) -> None:
    """Set how long one call of an answer (or one reading of it) may run, in seconds.

    ``None`` goes back to ``$COURSENN_CHECK_TIME_LIMIT``, else the default (10 s).

    Raises
    ------
    TypeError, ValueError
        If ``seconds`` is not a positive, finite number (or None).
    """
    _SETTING.clear()
    if seconds is not None:
        _SETTING.append(_valid(seconds, "seconds"))


def time_limit() -> float:
    """The limit in seconds: :func:`set_time_limit`'s, else the environment's, else 10.

    Raises
    ------
    ValueError
        If ``$COURSENN_CHECK_TIME_LIMIT`` is set but is not a positive number.
    """
    if _SETTING:
        return _SETTING[0]
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return DEFAULT_TIME_LIMIT
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{ENV_VAR} must be a number of seconds, got {text!r}") from None
    return _valid(value, ENV_VAR)


def supported() -> bool:
    """Can a limit be enforced here (``setitimer`` exists and this is the main thread)?"""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _on_alarm(signum, frame) -> None:
    """SIGALRM: stop the student's code in the innermost limited stretch.

    Never inside this module's own frames (entering or leaving a stretch), so that opening and
    closing one is never cut in half; the timer fires again :data:`REFIRE` s later.
    """
    if _STACK and _STACK[-1].seconds is not None and frame.f_code.co_filename != __file__:
        raise TimeLimitExceeded(_STACK[-1].seconds)


class _Stretch:
    """A stretch of code with a timer of ``seconds`` (None: no timer); it pauses the stretch
    around it and resumes it afterwards. The outermost one takes SIGALRM over and gives it
    back (handler and timer) on exit."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.active = False
        self.saved: tuple[object, float, float] | None = None  # outermost: handler, timer, t0
        self.paused = 0.0  # nested: what was left of the outer stretch's timer

    def __enter__(self) -> _Stretch:
        if not supported():
            return self
        if not _STACK:  # take SIGALRM over; remember whoever had it
            handler = signal.getsignal(signal.SIGALRM)
            delay, _ = signal.setitimer(signal.ITIMER_REAL, 0)
            self.saved = (handler, delay, time.monotonic())
            signal.signal(signal.SIGALRM, _on_alarm)
        else:  # pause the stretch around this one
            self.paused, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        _STACK.append(self)
        self.active = True
        if self.seconds is not None:
            signal.setitimer(signal.ITIMER_REAL, self.seconds, REFIRE)
        return self

    def __exit__(self, *exc_info) -> None:
        if not self.active:
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        _STACK.remove(self)
        self.active = False
        if self.saved is not None:
            handler, delay, began = self.saved
            signal.signal(signal.SIGALRM, handler if handler is not None else signal.SIG_DFL)
            if delay > 0:  # someone else's timer: charge it the time spent here
                left = max(delay - (time.monotonic() - began), 1e-6)
                signal.setitimer(signal.ITIMER_REAL, left)
        elif self.paused > 0:
            signal.setitimer(signal.ITIMER_REAL, self.paused, REFIRE)


def limited(seconds: float | None = None) -> _Stretch:
    """Context manager: a stretch of student code, stopped after ``seconds`` (default:
    :func:`time_limit`) by :class:`TimeLimitExceeded`; a no-op where not :func:`supported`."""
    return _Stretch(time_limit() if seconds is None else _valid(seconds, "seconds"))


def shielded() -> _Stretch:
    """Context manager: our own code inside a limited stretch (its timer is paused)."""
    return _Stretch(None)
