"""Constraints a task states, checked on the student's answer (``Function(requires=...)``).

- :func:`read_only`: case arrays an answer cannot write into ("do not modify the input");
- :func:`calls_during`: which library functions one call of the answer uses, for tasks that
  say "only numpy" or "built from ReLUs";
- :func:`numpy_only`: the requirement "uses none of these coursenn functions";
- :func:`code_names`: the names a function's code refers to, for a check without calling it.

"No overflow warning" needs nothing here: ``Function(no_warnings=True)``.
"""

from __future__ import annotations

import functools
import types
import warnings
from collections.abc import Callable, Iterable

import numpy as np

__all__ = ["read_only", "calls_during", "numpy_only", "code_names"]


def read_only(*arrays) -> tuple[np.ndarray, ...]:
    """Float64 copies of ``arrays`` marked read-only.

    An answer that writes into its input then raises ("assignment destination is read-only")
    and gets a ❌ line, instead of changing the cases.
    """
    out = []
    for values in arrays:
        array = np.array(values, dtype=float)
        array.setflags(write=False)
        out.append(array)
    return tuple(out)


def calls_during(
    fn: Callable,
    args: tuple,
    watched: Iterable[tuple[object, str]],
    *,
    names: Iterable[str] = (),
) -> list[tuple[str, int]]:
    """The watched functions one call ``fn(*args)`` uses: ``(name, size of first argument)``.

    Parameters
    ----------
    fn : callable
        The student's function.
    args : tuple
        Its arguments for the one call (what it returns or raises does not matter here).
    watched : iterable of (module or class, attribute)
        Functions to watch, e.g. ``[(activations, "relu")]`` or ``[(Dense, "forward")]``.
        For the duration of the call each is replaced by a counting wrapper as the owner's
        attribute
        (``activations.relu(z)``) and wherever ``fn``'s globals hold the same object
        (``from coursenn.activations import relu``); all are restored afterwards.
    names : iterable of str
        Global names of ``fn`` to watch whatever they hold (a student's own ``relu``).

    Returns
    -------
    list of (str, int)
        In call order; the name is ``module.attribute`` or the global name.
    """
    calls: list[tuple[str, int]] = []

    def counting(label: str, original: Callable) -> Callable:
        @functools.wraps(original)
        def wrapper(*a, **k):
            calls.append((label, int(np.size(a[0])) if a else 0))
            return original(*a, **k)

        return wrapper

    scope = getattr(fn, "__globals__", {})
    patched: list[tuple[object, str, object]] = []  # (module or class, attribute, original)
    restore: list[tuple[dict, str, object]] = []  # (fn's globals, key, original)
    try:
        for owner, attribute in watched:
            original = getattr(owner, attribute)
            wrapper = counting(f"{getattr(owner, '__name__', owner)}.{attribute}", original)
            patched.append((owner, attribute, original))
            setattr(owner, attribute, wrapper)
            for key, value in list(scope.items()):
                if value is original:
                    restore.append((scope, key, value))
                    scope[key] = wrapper
        replaced = {key for _, key, _ in restore}
        for key in names:
            if key not in replaced and callable(scope.get(key)):
                restore.append((scope, key, scope[key]))
                scope[key] = counting(key, scope[key])
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                fn(*args)
            except Exception:  # a failing call is reported by the cases, not here
                pass
    finally:
        for where, key, original in reversed(restore):
            where[key] = original
        for owner, attribute, original in reversed(patched):
            setattr(owner, attribute, original)
    return calls


def numpy_only(
    probe: Callable[[], tuple], *modules: types.ModuleType, what: str = "自己写出公式"
) -> Callable[[Callable], str | None]:
    """A requirement: on the arguments ``probe()``, the answer calls no public function of
    ``modules`` (their ``__all__``), and is not one of them itself."""

    def requirement(fn: Callable) -> str | None:
        functions = {name: getattr(m, name) for m in modules for name in m.__all__}
        for name, function in functions.items():
            if fn is function:
                return f"这直接用了 coursenn 的 {name}：任务要求只用 numpy，{what}"
        watched = [(m, name) for m in modules for name in m.__all__ if callable(getattr(m, name))]
        called = calls_during(fn, probe(), watched)
        if called:
            return f"调用了 coursenn 的 {called[0][0]}：任务要求只用 numpy，{what}"
        return None

    return requirement


def code_names(fn: Callable) -> set[str]:
    """Global and attribute names the code of ``fn`` (and functions nested in it) refers to."""

    def walk(code: types.CodeType) -> set[str]:
        found = set(code.co_names)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                found |= walk(const)
        return found

    code = getattr(fn, "__code__", None)
    return walk(code) if code is not None else set()
