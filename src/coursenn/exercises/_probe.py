"""Call a student's function and describe what happened, as plain data (an :class:`Outcome`).

A function exercise is judged in two steps: first its answer is *probed* -- called on each
case's arguments, with warnings recorded, watched library functions counted and, when asked,
the arguments read back afterwards -- then the outcomes are *decided* against the expected
values (:meth:`coursenn.exercises.Function.decide`). In a student's notebook ``check`` does
both in one process. When an instructor grades, only the probe runs in the student's
(sandboxed) kernel; the outcomes travel back as data (:mod:`coursenn.instructor.wire`) and
the decision is taken in the grader, where the expected values are.

Whatever the answer does while it is called is an outcome, never an exception of ``check``:
any exception (``SystemExit`` too, and exceptions whose ``__str__`` raises) is recorded with
its type and (shortened) message, and a call that runs longer than the time limit is stopped
(:mod:`coursenn.exercises._timelimit`). Only ``KeyboardInterrupt`` goes through: a student's
Ctrl-C (Jupyter's ■ button) must stop the check.
"""

from __future__ import annotations

import copy
import functools
import importlib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._timelimit import TimeLimitExceeded, limited, shielded

__all__ = [
    "Rng", "Ref", "Call", "Outcome", "materialize", "run", "run_all", "shorten", "said",
    "attr_or_none", "MAX_MESSAGE",
]  # fmt: skip

MAX_MESSAGE = 300  # characters of an exception message kept in an outcome


@dataclass(frozen=True)
class Rng:
    """A case argument that stands for ``np.random.default_rng(seed)`` (a fresh one per call).

    A ``Generator`` cannot travel to a grading kernel as data; its seed can.
    """

    seed: int


@dataclass(frozen=True)
class Ref:
    """A case argument that stands for a function of the library, by its dotted path
    (``Ref("coursenn.nn.activations.tanh_grad")``): a function cannot travel as data, its name can.
    """

    path: str

    def __post_init__(self) -> None:
        parts = self.path.split(".")
        if parts[0] != "coursenn" or len(parts) < 3 or not all(p.isidentifier() for p in parts):
            raise ValueError(f"Ref path must name a coursenn function, got {self.path!r}")

    def resolve(self) -> Callable:
        module, name = self.path.rsplit(".", 1)
        return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Call:
    """One call to make: ``fn(*args)``, then ``result(*then)`` if ``then`` is given.

    Parameters
    ----------
    args : tuple
        Arguments (plain data, numpy arrays, :class:`Rng`).
    then : tuple, optional
        Arguments for a second call on what the first returned (``train_model(X, y, rng)``
        returns ``predict``; ``predict(X_test)`` is the result).
    watch : tuple of (str, str)
        ``(module, attribute)`` pairs, e.g. ``("coursenn.nn.activations", "relu")``: each is
        counted while the call runs, as the module's attribute and wherever the function's
        globals hold the same object. A class method is ``("coursenn.nn.layers", "Dense.forward")``.
    names : tuple of str
        Global names of the function to count whatever they hold (a student's own ``relu``).
    read_back : bool
        Report the arguments as they are after the call (did the function write into them?).
    """

    args: tuple
    then: tuple | None = None
    watch: tuple[tuple[str, str], ...] = ()
    names: tuple[str, ...] = ()
    read_back: bool = False


@dataclass
class Outcome:
    """What one :class:`Call` did, as plain data.

    ``error`` is ``(exception type name, message)`` when the call raised (``result`` is then
    None), ``("TimeLimitExceeded", ...)`` when it ran too long and was stopped; ``warnings``
    lists ``"Category: message"`` of each warning (underflow is ignored, as numpy does);
    ``calls`` lists ``(name, size of first argument)`` of each watched call;
    ``args_after`` holds the arguments after the call when the call asked to read them back.
    """

    result: Any = None
    error: tuple[str, str] | None = None
    warnings: list[str] = field(default_factory=list)
    calls: list[tuple[str, int]] = field(default_factory=list)
    args_after: tuple | None = None

    @property
    def not_implemented(self) -> bool:
        return self.error is not None and self.error[0] == "NotImplementedError"

    @property
    def timed_out(self) -> bool:
        return self.error is not None and self.error[0] == TimeLimitExceeded.__name__


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to at most ``limit`` characters, with a marker saying how long it was;
    characters that cannot be printed (lone surrogates) escaped."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) <= limit:
        return text
    marker = f"…（共 {len(text)} 个字符）"
    return text[: max(limit - len(marker), 0)] + marker


def said(exc: BaseException) -> str:
    """The message of a student's exception, shortened; a ``__str__`` that raises or runs too
    long is told, not raised (only ``KeyboardInterrupt`` goes through)."""
    try:
        with limited():
            text = str(exc)
    except KeyboardInterrupt:
        raise
    except BaseException as broken:  # noqa: BLE001 -- the student's __str__, whatever it did
        return f"(its message cannot be shown: str() raised {type(broken).__name__})"
    return shorten(text)


def attr_or_none(obj, name: str):
    """``getattr(obj, name, None)`` that also gives None when a student's ``__getattr__`` (or
    property) raises anything but ``KeyboardInterrupt``."""
    try:
        return getattr(obj, name, None)
    except Exception:  # noqa: BLE001 -- an answer's broken __getattr__ is no attribute
        return None


def materialize(args: tuple) -> tuple:
    """A deep copy of ``args`` to call with: :class:`Rng` becomes a Generator, :class:`Ref`
    the library function it names; arrays that were read-only stay read-only (an answer that
    writes into its input then raises)."""
    out = []
    for original in args:
        if isinstance(original, Rng):
            out.append(np.random.default_rng(original.seed))
            continue
        if isinstance(original, Ref):
            out.append(original.resolve())
            continue
        duplicate = copy.deepcopy(original)
        if isinstance(original, np.ndarray) and not original.flags.writeable:
            duplicate.setflags(write=False)
        out.append(duplicate)
    return tuple(out)


def _resolve(module: str, attribute: str) -> tuple[object, str]:
    """The owner object and attribute name of ``module:attribute`` (``"Dense.forward"``)."""
    owner = importlib.import_module(module)
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    return owner, name


def _counting(label: str, original: Callable, calls: list) -> Callable:
    @functools.wraps(original)
    def wrapper(*a, **k):
        calls.append((label, int(np.size(a[0])) if a else 0))
        return original(*a, **k)

    return wrapper


def _watching(fn: Callable, call: Call, calls: list) -> list[tuple[object, str, object]]:
    """Swap each watched function for a counting wrapper; return what to restore."""
    scope = attr_or_none(fn, "__globals__")
    scope = scope if type(scope) is dict else {}
    undo: list[tuple[object, str, object]] = []  # (owner or dict, key, original)
    for module, attribute in call.watch:
        owner, name = _resolve(module, attribute)
        original = getattr(owner, name)
        wrapper = _counting(f"{module}.{attribute}", original, calls)
        undo.append((owner, name, original))
        setattr(owner, name, wrapper)
        for key, value in list(scope.items()):
            if value is original:
                undo.append((scope, key, value))
                scope[key] = wrapper
    replaced = {key for owner, key, _ in undo if owner is scope}
    for key in call.names:
        if key not in replaced and callable(scope.get(key)):
            undo.append((scope, key, scope[key]))
            scope[key] = _counting(key, scope[key], calls)
    return undo


def _restore(undo: list[tuple[object, str, object]]) -> None:
    for owner, key, original in reversed(undo):
        if isinstance(owner, dict):
            owner[key] = original
        else:
            setattr(owner, key, original)


def run(fn: Callable, call: Call) -> Outcome:
    """Make ``call`` on ``fn`` and describe it; nothing the student's code does escapes but
    ``KeyboardInterrupt``.

    The function gets :func:`materialize` copies of the arguments and the time limit
    (:func:`~coursenn.exercises._timelimit.limited`, for ``fn(*args)`` and ``then`` together).
    Warnings are recorded (``np.errstate`` warns on overflow, division by zero and invalid
    values, ignores underflow); watched functions are restored afterwards, whatever happens.
    Our own bookkeeping runs :func:`~coursenn.exercises._timelimit.shielded` (a limit around
    this call never cuts it in half).
    """
    with shielded():
        return _run(fn, call)


def _run(fn: Callable, call: Call) -> Outcome:
    outcome = Outcome()
    args = materialize(call.args)
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
    ):
        warnings.simplefilter("always")
        stretch = limited()  # a bad $COURSENN_CHECK_TIME_LIMIT raises here, not as the answer's
        undo = _watching(fn, call, outcome.calls) if (call.watch or call.names) else []
        try:
            with stretch:
                outcome.result = fn(*args)
                if call.then is not None:
                    if not callable(outcome.result):
                        kind = type(outcome.result).__name__
                        raise TypeError(f"expected the call to return a function, got {kind}")
                    outcome.result = outcome.result(*materialize(call.then))
        except KeyboardInterrupt:  # the student pressed Ctrl-C: stop the check
            raise
        except BaseException as exc:  # noqa: BLE001 -- a student's bug is an outcome
            outcome.result, outcome.error = None, (type(exc).__name__, said(exc))
        finally:
            _restore(undo)
    outcome.warnings = [f"{w.category.__name__}: {said(w.message)}" for w in caught]
    if call.read_back:  # the arguments as the function left them (markers as they were sent)
        outcome.args_after = tuple(
            sent if isinstance(sent, (Rng, Ref)) else after
            for sent, after in zip(call.args, args, strict=True)
        )
    return outcome


def run_all(fn: Callable, calls: Sequence[Call]) -> list[Outcome]:
    """:func:`run` for each call, in order; after a call that ran out of time the rest are
    not made (each gets the same outcome), so a looping answer costs one time limit."""
    outcomes: list[Outcome] = []
    for call in calls:
        if outcomes and outcomes[-1].timed_out:
            outcomes.append(Outcome(error=outcomes[-1].error))
        else:
            outcomes.append(run(fn, call))
    return outcomes
