"""The three kinds of exercise check: a value, a function, a multiple choice.

Each kind holds what one exercise needs -- its cases (computed lazily, once), known wrong
answers with what is wrong about them, constraints the task states, and hints from a first
nudge to a more specific step -- and judges an answer into ``(ok, detail)``: ``detail`` is
one Chinese sentence about the *student's* answer, never the expected value. The hint is
added by :mod:`coursenn.exercises._registry`, which counts the attempts.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._compare import compare, fmt_arg, shown, unanswered
from ._probe import Call, Outcome, materialize, run_all
from ._requirements import Code, Requirement, code_of

__all__ = [
    "Case", "Mistake", "Exercise", "Trial", "Reply", "Value", "Function", "Choice", "choice_digest",
    "failure",
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One call of a function exercise: ``fn(*args)`` should give ``expected``.

    ``what`` describes the case for the ❌ line (e.g. ``"k = 3 的随机例子"``); without it
    the line shows the call with its (small) arguments.
    """

    args: tuple
    expected: Any
    what: str = ""


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and what is wrong about it (a sentence, not the fix).

    ``answer`` is a value (value exercises), a function (function exercises: it matches
    when the student's function returns what this one returns on every case), or a choice.
    """

    answer: Any
    why: str


@dataclass
class Trial:
    """What grading asks of the student's kernel for one exercise, and what it keeps.

    ``calls`` are sent to the kernel (``None``: hand back the answer itself, for a value or
    a choice); ``cases`` (with their expected values) and ``context`` stay in the grader.
    """

    calls: list[Call] | None = None
    cases: list[Case] = field(default_factory=list)
    context: Any = None


@dataclass
class Reply:
    """What the kernel handed back for a :class:`Trial`, rebuilt as plain data.

    ``callable``: the answer was a function (then ``outcomes`` holds one
    :class:`~._probe.Outcome` per call); otherwise ``value`` is the answer itself.
    ``code``: what the answer's code names (read from the submitted source, not the kernel).
    """

    callable: bool = False
    value: Any = None
    outcomes: list[Outcome] = field(default_factory=list)
    code: Code = field(default_factory=Code)


@dataclass
class Exercise:
    """What every kind shares: the label, the name of the answer, and escalating hints."""

    label: str
    name: str
    hints: Sequence[str]

    def __post_init__(self) -> None:
        if not self.hints:
            raise ValueError(f"exercise {self.label!r}: give at least one hint")

    def judge(self, answer, cases: Sequence | None = None) -> tuple[bool, str]:
        """``(ok, detail)`` for ``answer`` in this process (a student's ``check``)."""
        raise NotImplementedError  # each kind overrides it

    def check_cases(self, cases: Sequence | None) -> None:
        """Refuse ``cases`` (only a function exercise takes them): a mistake in the notebook's
        check cell, raised before the answer is looked at.

        Raises
        ------
        TypeError
            If ``cases`` is given.
        """
        if cases is not None:
            kind = type(self).__name__
            raise TypeError(f"exercise {self.label!r} ({kind}) takes no cases, got {cases!r:.60}")

    def prepare(self) -> None:
        """Compute what is computed lazily (expected values, public cases), so that a time
        limit on judging an answer measures the answer, not our references."""

    def trial(self, rng: np.random.Generator, extra: Sequence = ()) -> Trial:
        """What grading asks the kernel for: by default the answer itself (no calls)."""
        if extra:
            raise TypeError(
                f"exercise {self.label!r} is not a function exercise: it takes no cases"
            )
        return Trial()

    def decide(self, trial: Trial, reply: Reply) -> tuple[bool, str]:
        """``(ok, detail)`` from what the kernel handed back for ``trial`` (in the grader)."""
        return self.judge(A_FUNCTION if reply.callable else reply.value)


class _AFunction:
    """Stands for a student's function that did not travel back (the answer was callable)."""

    def __call__(self, *args, **kwargs):
        raise TypeError("a placeholder for a function that stayed in the student's kernel")

    def __repr__(self) -> str:
        return "一个函数"


A_FUNCTION = _AFunction()


def _lazy(value):
    """``value()`` if it is a zero-argument factory, else ``value`` itself."""
    return value() if callable(value) else value


@dataclass
class Value(Exercise):
    """A number or an array, compared with ``np.isclose(rtol, atol)``.

    ``expected`` may be a zero-argument function (computed once, at the first check).
    """

    expected: Any = None
    rtol: float = 1e-6
    atol: float = 1e-8
    mistakes: Sequence[Mistake] = ()
    _cache: list = field(default_factory=list, repr=False)

    def value(self):
        if not self._cache:
            self._cache.append(_lazy(self.expected))
        return self._cache[0]

    def prepare(self) -> None:
        self.value()

    def judge(self, answer, cases=None) -> tuple[bool, str]:
        self.check_cases(cases)
        if unanswered(answer):
            return False, f"{self.name} 还没有作答（把占位符换成你的答案）"
        if callable(answer):
            return False, f"{self.name} 应该是一个数（或数组），你给的是一个函数"
        problem = compare(answer, self.value(), self.rtol, self.atol)
        if problem is None:
            return True, ""
        for mistake in self.mistakes:
            if compare(answer, _lazy(mistake.answer), self.rtol, self.atol) is None:
                return False, f"{self.name}：{problem}——{mistake.why}"
        return False, f"{self.name}：{problem}"


def _where(case: Case, name: str) -> str:
    """How a ❌ line names a case: its description, else the call with its small arguments."""
    return case.what or f"{name}({', '.join(fmt_arg(a) for a in case.args)})"


def _as_cases(cases: Sequence) -> list[Case]:
    return [c if isinstance(c, Case) else Case(*c) for c in cases]


@dataclass
class Function(Exercise):
    """A function, called on every case; all results must match.

    Parameters
    ----------
    cases : callable
        Zero-argument function returning the public :class:`Case` list (computed once).
    fresh : callable
        ``fresh(rng)`` returns grading cases drawn with ``rng`` (a ``np.random.Generator``),
        their expected values computed with the reference: grading draws new ones each run,
        so reading the registry or the chapter's printed values passes only the public cases.
    mistakes : sequence of Mistake
        Known wrong implementations: when the student's function gives a wrong value and
        agrees with one of them on every case, its ``why`` is added to the ❌ line. (A
        mistake that only breaks a constraint, such as an overflow warning, needs no entry:
        the ❌ line names the broken constraint itself.)
    no_warnings : bool
        Fail a function that emits any warning (overflow, divide by zero, ...).
    requires : sequence of Requirement
        Extra constraints the task states (:class:`~._requirements.Requirement`), judged on
        what the answer's code names and on the outcomes of extra calls.
    parts : sequence of str
        For a function that returns a tuple of arrays (``dx, dW, db``): their names; each
        part is compared on its own and a ❌ line names the wrong one.

    A known mistake matches when it gives the student's values on every case, a call that
    raises matching a call that raises (``W @ delta`` for ``W.T @ delta`` raises for a
    non-square ``W``).
    """

    cases: Callable[[], Sequence[Case]] = list
    fresh: Callable[[np.random.Generator], Sequence[Case]] | None = None
    rtol: float = 1e-6
    atol: float = 1e-8
    mistakes: Sequence[Mistake] = ()
    no_warnings: bool = False
    requires: Sequence[Requirement] = ()
    parts: Sequence[str] = ()
    _cache: list = field(default_factory=list, repr=False)

    def public_cases(self) -> list[Case]:
        if not self._cache:
            self._cache.append(_as_cases(self.cases()))
        return self._cache[0]

    def prepare(self) -> None:
        self.public_cases()

    def check_cases(self, cases: Sequence | None) -> None:
        """A function exercise takes cases (hidden grading cases): nothing to refuse."""

    def _difference(self, got, case: Case) -> str | None:
        """What is wrong with the result ``got`` of ``case`` (None: it is right)."""
        where = _where(case, self.name)
        if not self.parts:
            wrong = compare(got, case.expected, self.rtol, self.atol)
            return None if wrong is None else f"在 {where} 上，{wrong}"
        names, n = ", ".join(self.parts), len(self.parts)
        if not isinstance(got, (tuple, list)):
            return f"在 {where} 上，应返回 {n} 个数组 ({names})，你返回的是 {type(got).__name__}"
        if len(got) != n:
            return f"在 {where} 上，应返回 {n} 个数组 ({names})，你返回了 {len(got)} 个"
        for name, mine, expected in zip(self.parts, got, case.expected, strict=True):
            wrong = compare(mine, expected, self.rtol, self.atol)
            if wrong is not None:
                return f"在 {where} 上，{name} 不对：{wrong}"
        return None

    def _same(self, got, theirs) -> bool:
        """Do two results agree (``None``: the call raised)?"""
        if got is None or theirs is None:
            return got is None and theirs is None
        if self.parts:
            return (
                isinstance(got, (tuple, list))
                and isinstance(theirs, (tuple, list))
                and len(got) == len(theirs)
                and all(
                    compare(g, t, self.rtol, self.atol) is None
                    for g, t in zip(got, theirs, strict=True)
                )
            )
        return compare(got, theirs, self.rtol, self.atol) is None

    def _matches(self, wrong: Callable, cases: list[Case], results: list) -> bool:
        return all(
            self._same(got, _quiet(wrong, case)) for case, got in zip(cases, results, strict=True)
        )

    # -- probing (the student's process) and deciding (anywhere) ------------------------------

    def _trial(self, cases: list[Case], rng: np.random.Generator | None) -> Trial:
        """One call per case, then each requirement's own calls (kept per requirement in
        ``context``, for :meth:`decide`)."""
        probes = [list(requirement.calls(rng)) for requirement in self.requires]
        calls = [Call(c.args) for c in cases] + [call for group in probes for call in group]
        return Trial(calls, cases, context=probes)

    def trial(self, rng: np.random.Generator, extra: Sequence = ()) -> Trial:
        """Grading: the public cases, fresh cases drawn with ``rng``, and ``extra`` cases;
        the requirements' probes drawn with ``rng`` too."""
        if self.fresh is None:
            raise ValueError(f"exercise {self.label!r} has no fresh grading cases")
        cases = [*self.public_cases(), *_as_cases(self.fresh(rng)), *_as_cases(extra)]
        return self._trial(cases, rng)

    def judge(self, answer, cases=None) -> tuple[bool, str]:
        if unanswered(answer) or not callable(answer):
            return self.decide(Trial(), Reply(value=answer))
        cases = self.public_cases() if cases is None else _as_cases(cases)
        trial = self._trial(cases, None)
        reply = Reply(True, outcomes=run_all(answer, trial.calls), code=code_of(answer))
        return self.decide(trial, reply)

    def decide(self, trial: Trial, reply: Reply) -> tuple[bool, str]:
        """Judge the outcomes of ``trial.calls`` against the expected values of its cases."""
        if not reply.callable:
            if unanswered(reply.value):
                return False, f"{self.name} 还没有作答（先定义这个函数）"
            return False, f"{self.name} 应该是一个函数，你给的是 {type(reply.value).__name__}"
        cases = trial.cases
        outcomes = reply.outcomes[: len(cases)]
        problem, wrong_value, warned = None, False, None
        for case, outcome in zip(cases, outcomes, strict=True):
            problem = failure(outcome, _where(case, self.name))
            if problem is not None:
                break
            problem = self._difference(outcome.result, case)
            if problem is not None:
                wrong_value = True
                break
            if outcome.warnings and warned is None:
                warned = (
                    f"在 {_where(case, self.name)} 上发出了警告（{outcome.warnings[0]}）："
                    "任务要求不产生这种警告"
                )
        if problem is None and self.no_warnings:
            problem = warned  # right values, but the task forbids the warning
        if problem is None and self.requires and reply.code.dynamic:
            problem = (  # a requirement on the code needs code that can be read (fail closed)
                f"代码在运行时查找名字（{', '.join(sorted(reply.code.dynamic))}），"
                "无法确认它满足题目对代码的要求：请直接写出要用的函数"
            )
        rest = reply.outcomes[len(cases) :]
        for requirement, probes in zip(self.requires, trial.context or [], strict=True):
            if problem is not None:
                break
            n = len(probes)
            problem, rest = requirement.decide(reply.code, rest[:n], probes), rest[n:]
        if problem is None:
            return True, ""
        if wrong_value:
            full = [o.result if o.error is None else None for o in outcomes]
            for mistake in self.mistakes:
                if self._matches(mistake.answer, cases, full):
                    return False, f"{self.name}：{problem}——{mistake.why}"
        return False, f"{self.name}：{problem}"


def failure(outcome: Outcome, where: str) -> str | None:
    """Why ``outcome`` has no usable result (a stub, an exception, too slow, ``None``), or None."""
    if outcome.not_implemented:
        return "还没有实现（把 raise NotImplementedError() 换成你的代码）"
    if outcome.timed_out:
        return (
            f"在 {where} 上运行超过了 {outcome.error[1]} 的时间限制，被停下了"
            "（是不是有停不下来的循环）"
        )
    if outcome.error is not None:
        kind, message = outcome.error
        if kind == "SystemExit":
            return f"在 {where} 上调用了 sys.exit({message})：函数应该返回结果，而不是退出"
        return f"在 {where} 上抛出了 {kind}" + (f": {message}" if message else "")
    if outcome.result is None:
        return f"在 {where} 上返回了 None（忘了 return？）"
    return None


def _quiet(fn: Callable, case: Case):
    """``fn(*case.args)`` with warnings silenced; ``None`` if it raises (the grader's own
    reference and mistake functions, never a student's)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return fn(*materialize(case.args))
        except Exception:
            return None


def choice_digest(label: str, choice: str) -> str:
    """``"sha256:<hex>"`` of ``"<label>:<CHOICE>"``: the stored form of a right choice.

    Salted with the label, so the same letter in two exercises has two different digests.
    It hides the answer from a glance at the registry, not from someone who hashes every
    option.
    """
    text = f"{label}:{choice.strip().upper()}"
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Choice(Exercise):
    """Multiple choice; ``digest`` is :func:`choice_digest` of the right option."""

    options: Sequence[str] = ("A", "B", "C", "D")
    digest: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not any(choice_digest(self.label, o) == self.digest for o in self.options):
            raise ValueError(f"exercise {self.label!r}: digest matches none of {self.options}")

    def judge(self, answer, cases=None) -> tuple[bool, str]:
        self.check_cases(cases)
        if unanswered(answer):
            return False, f"{self.name} 还没有作答（把占位符换成一个字母）"
        # str's own methods: a str subclass cannot run code of its own here
        letter = str.upper(str.strip(answer)) if isinstance(answer, str) else None
        if letter not in self.options:
            return False, f"{shown(answer)} 不是选项之一（{'、'.join(self.options)}）"
        if choice_digest(self.label, letter) == self.digest:
            return True, ""
        return False, f"{letter} 不是正确的选项"
