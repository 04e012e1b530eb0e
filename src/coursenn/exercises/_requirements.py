"""Constraints a task states ("only numpy", "built from ReLUs", "do not modify the input").

A :class:`Requirement` is judged on two kinds of evidence, both plain data, so the grader can
judge it in its own process:

- :class:`Code`: what the answer's code names -- its identifiers and attribute names, and
  the ``coursenn`` objects they resolve to (``coursenn.nn.activations.elu``). In a student's
  notebook it is read from the function object (:func:`code_of`); when grading, from the
  submitted source with ``ast`` (:mod:`coursenn.instructor.source`);
- the :class:`~._probe.Outcome` of extra calls the requirement asks for (``calls``): watched
  library functions counted during a call, arguments read back, a call that must raise.

Helpers: :func:`read_only` (case arrays an answer cannot write into) and
:func:`numpy_only` (the answer uses none of these ``coursenn`` functions).
"No overflow warning" needs nothing here: ``Function(no_warnings=True)``.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._probe import Call, Outcome, attr_or_none

__all__ = ["Code", "Requirement", "read_only", "numpy_only", "code_names", "code_of"]


@dataclass(frozen=True)
class Code:
    """What an answer's code refers to.

    ``names``: every identifier and attribute name in the code of the answer (and of the
    helper functions it calls); ``refs``: the dotted paths of the ``coursenn`` objects those
    names resolve to (``"coursenn.nn.activations.elu"``, ``"coursenn.nn.layers.Dense"``);
    ``dynamic``: the ways it looks names up at run time (:data:`DYNAMIC_NAMES`,
    :data:`DYNAMIC_ATTRIBUTES`), which no reading of the code can resolve.
    """

    names: frozenset[str] = frozenset()
    refs: frozenset[str] = frozenset()
    dynamic: frozenset[str] = frozenset()

    def uses(self, *prefixes: str) -> list[str]:
        """The referenced paths equal to, or inside, any of ``prefixes``, sorted."""
        return sorted(
            r for r in self.refs if any(r == p or r.startswith(p + ".") for p in prefixes)
        )


def _no_calls(rng: np.random.Generator | None = None) -> list[Call]:
    return []


@dataclass(frozen=True)
class Requirement:
    """A constraint: ``decide(code, outcomes, calls)`` returns ``None`` or what is wrong.

    ``calls(rng)`` lists the extra calls whose outcomes ``decide`` reads (in the same order,
    with the calls themselves, so it can compare an argument before and after); with
    ``rng=None`` they are the fixed calls of a student's ``check``, with a Generator they
    may be drawn anew for a grading run (an answer cannot special-case the inputs it is
    probed on). ``decide`` never calls the answer itself; its text is Chinese.
    """

    decide: Callable[[Code, list[Outcome], list[Call]], str | None]
    calls: Callable[[np.random.Generator | None], Sequence[Call]] = field(default=_no_calls)


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


def _public(module: types.ModuleType) -> list[str]:
    return [name for name in module.__all__ if callable(getattr(module, name))]


def numpy_only(
    probe: Callable[[], tuple], *modules: types.ModuleType, what: str = "自己写出公式"
) -> Requirement:
    """The answer names no public function of ``modules`` (in its code), and calls none of
    them on the arguments ``probe()`` (counted while it runs)."""
    paths = [f"{m.__name__}.{name}" for m in modules for name in _public(m)]

    def decide(code: Code, outcomes: list[Outcome], calls: list[Call]) -> str | None:
        used = code.uses(*paths)
        if used:
            return f"用到了 {used[0]}：任务要求只用 numpy，{what}"
        called = [name for outcome in outcomes for name, _ in outcome.calls]
        if called:
            return f"调用了 {called[0]}：任务要求只用 numpy，{what}"
        return None

    def calls(rng: np.random.Generator | None = None) -> list[Call]:
        watch = tuple((m.__name__, name) for m in modules for name in _public(m))
        return [Call(probe(), watch=watch)]

    return Requirement(decide, calls)


def code_names(fn: Callable) -> set[str]:
    """Global and attribute names the code of ``fn`` (and functions nested in it) refers to."""

    def walk(code: types.CodeType) -> set[str]:
        found = set(code.co_names)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                found |= walk(const)
        return found

    code = attr_or_none(fn, "__code__")
    return walk(code) if isinstance(code, types.CodeType) else set()


def _path(obj) -> str | None:
    """``coursenn.x.y`` of a coursenn module, function or class; None for anything else."""
    if isinstance(obj, types.ModuleType):
        name = obj.__name__
    else:
        module, qualname = attr_or_none(obj, "__module__"), attr_or_none(obj, "__qualname__")
        named = isinstance(module, str) and isinstance(qualname, str)
        name = f"{module}.{qualname}" if named else ""
    return name if name.startswith("coursenn.") or name == "coursenn" else None


#: Builtins and modules through which code reaches a function without naming it.
DYNAMIC_NAMES = frozenset(
    {"getattr", "__import__", "importlib", "globals", "vars", "locals", "eval", "exec",
     "compile", "__builtins__"}
)  # fmt: skip
#: Attributes that open a namespace (or import by a computed name).
DYNAMIC_ATTRIBUTES = frozenset(
    {"__globals__", "__dict__", "__builtins__", "import_module", "__getattribute__", "f_globals"}
)


def code_of(fn: Callable) -> Code:
    """The :class:`Code` of a live function (a student's notebook; see the module docstring).

    A global that holds a ``coursenn`` module resolves with every attribute name the code
    uses (``activations.elu`` -> ``coursenn.nn.activations.elu``); a global that holds a
    ``coursenn`` function or class resolves to its own path; so does ``fn`` itself when it
    *is* a library function.
    """
    names = code_names(fn)
    # co_names cannot tell the builtin eval() from a method .eval(): left out here
    dynamic = names & (DYNAMIC_NAMES | DYNAMIC_ATTRIBUTES) - {"eval"}
    scope = attr_or_none(fn, "__globals__")
    scope = scope if type(scope) is dict else {}
    refs = {p for p in [_path(fn)] if p and not isinstance(fn, types.ModuleType)}
    for name in names:
        path = _path(scope.get(name)) if name in scope else None
        if path is None:
            continue
        refs.add(path)
        if isinstance(scope[name], types.ModuleType):
            refs |= {f"{path}.{attr}" for attr in names}
    return Code(frozenset(names), frozenset(refs), frozenset(dynamic))
