"""The exercises of every chapter and ``check``, the one call of an autocheck cell.

::

    from coursenn.exercises import check
    check("ch01-count-params", n_params)     # prints one ✅/❌ line, in Chinese

Each chapter's exercises -- public cases, expected values, known wrong answers with what is
wrong about them, the constraints a task states, and escalating hints -- live in one module
per chapter (``ch01``, ``ch02``, ...), never in a notebook. A ❌ line describes the
student's own answer (wrong shape, off by the bias count, an overflow warning, fails for
k = 3, ...) and never shows the expected value; a wrong answer never gives a traceback.
An unknown label raises ``KeyError`` naming it. Whatever else an answer does -- raise any
exception, ``SystemExit`` included, break its ``__repr__`` or ``__float__``, loop forever --
ends in one ❌ line, never a traceback or a hung cell: each call of a function answer (and
the reading of any answer) is stopped after a time limit, 10 s by default, changed with
``set_time_limit(seconds)`` or the environment variable ``COURSENN_CHECK_TIME_LIMIT``
(see :mod:`coursenn.exercises._timelimit`, which also says where no limit can be enforced).
``KeyboardInterrupt`` always goes through.

Hidden grading cases (function exercises) are passed as ``check(label, fn, cases=[...])``
in a notebook cell tagged ``hidden-check``: see the instructor guide.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from ._kinds import Case, Choice, Function, Mistake, Value, choice_digest
from ._registry import CheckResult, check, get, judge, labels, register, reset_attempts
from ._timelimit import set_time_limit, time_limit

__all__ = [
    "check",
    "judge",
    "get",
    "labels",
    "register",
    "reset_attempts",
    "set_time_limit",
    "time_limit",
    "CheckResult",
    "Case",
    "Mistake",
    "Value",
    "Function",
    "Choice",
    "choice_digest",
]

for _module in pkgutil.iter_modules(__path__):
    if re.fullmatch(r"ch\d\d[a-z]?", _module.name):
        importlib.import_module(f"{__name__}.{_module.name}")
