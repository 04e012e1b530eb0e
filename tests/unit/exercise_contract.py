"""What every exercise of the book must do, as one test class a chapter's test file builds.

A chapter's ``tests/unit/test_exercises_chNN.py`` lists its reference answers and its
likely wrong answers (each with a fragment its ❌ line must contain), then::

    TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)

and keeps only the tests particular to its exercises. The contract: every exercise of the
chapter has a reference; the reference gets ✅; each wrong answer gets ❌ that names what is
wrong and holds no expected value; the placeholder ``None`` and a raising function get ❌
without raising; the hints escalate from one ❌ to the next in the same kernel and never
hold the expected value or the right letter. Every function exercise also draws fresh
grading cases (``fresh(rng)``): they depend on the seed alone, the reference passes them, each
wrong function fails them (and the whole grading trial), and no case description holds its
expected value.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from coursenn.exercises import Choice, Function, Value, check, get, judge, labels, reset_attempts
from coursenn.exercises._compare import fmt
from coursenn.exercises._kinds import Reply
from coursenn.exercises._probe import Rng, materialize, run_all
from coursenn.exercises._requirements import code_of

__all__ = ["contract", "expected_texts", "wrong_cases"]


def wrong_cases(wrong) -> list[tuple[str, object, str]]:
    """``(label, answer, fragment)`` rows from a ``{label: [(answer, fragment)]}`` table or a list."""
    if isinstance(wrong, dict):
        return [(label, answer, says) for label, items in wrong.items() for answer, says in items]
    return [tuple(row) for row in wrong]


def _numbers(values) -> list[str]:
    """Texts of the numbers worth looking for: several digits (a lone 0 or 1 is in any line)."""
    texts = []
    for v in np.atleast_1d(np.asarray(values, dtype=float)).ravel():
        if not np.isfinite(v):
            continue
        if v == round(v):
            texts += [str(int(v))] if abs(v) >= 10 else []
        elif abs(v) > 0.01:
            texts.append(f"{v:.4f}")
    return texts


def _quiet(fn, args):
    """``fn`` on copies of ``args`` (an answer that writes into its input must not change
    the cases), warnings silenced; None if it raises."""
    with np.errstate(all="ignore"):
        try:
            return fn(*materialize(args))
        except Exception:
            return None


def expected_texts(label: str, answer=None) -> list[str]:
    """How the expected value could appear in the ❌ line of ``answer``.

    What the line may show anyway is left out: the student's own answer (or, for a
    function, what it returned), and a case's inputs (its description). A choice gives
    none: its ❌ line names the student's letter and the options.
    """
    exercise = get(label)
    if isinstance(exercise, Value):
        own = fmt(answer) if answer is not None else ""
        value = exercise.value()
        texts = [*([fmt(value)] if np.size(value) > 1 else []), *_numbers(value)]
        return [t for t in texts if t not in own]
    if not isinstance(exercise, Function):
        return []
    texts = []
    for case in exercise.public_cases():
        shown = case.what + " ".join(fmt(a) for a in case.args)
        if callable(answer):
            shown += " " + fmt(_quiet(answer, case.args))
        pieces = list(case.expected) if exercise.parts else [case.expected]
        for expected in pieces:
            if np.size(expected) > 6:  # a ❌ line shows one entry of a big array at most
                continue
            whole = [fmt(expected)] if np.size(expected) > 1 else []
            texts += [t for t in [*whole, *_numbers(expected)] if t not in shown]
    return texts


def _ids(value) -> str:
    return getattr(value, "__name__", None) or repr(value)[:30]


#: Seeds the fresh grading cases are drawn with in these tests.
SEEDS = (0, 1, 20240607)


def fresh_cases(label: str, seed: int) -> list:
    """The fresh grading cases of function exercise ``label`` drawn with ``seed``."""
    return list(get(label).fresh(np.random.default_rng(seed)))


def _same(a, b) -> bool:
    """Are two case arguments the same (arrays by value, dtype and writability)?"""
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and a.shape == b.shape
            and a.flags.writeable == b.flags.writeable
            and np.array_equal(a, b, equal_nan=True)
        )
    if isinstance(a, Rng) or isinstance(b, Rng):
        return a == b
    return type(a) is type(b) and a == b


def _kinds(args: tuple) -> tuple[str, ...]:
    """What kind each argument is: a read-only or writable array, an Rng, a function, or
    the type's name (int, float, ...)."""

    def kind(a) -> str:
        if isinstance(a, np.ndarray):
            return "read-only array" if not a.flags.writeable else "array"
        if isinstance(a, Rng):
            return "Rng"
        return "function" if callable(a) else type(a).__name__

    return tuple(kind(a) for a in args)


def _expected_in(text: str, case, parts) -> list[str]:
    """Texts of the expected value of ``case`` (as a ❌ line could print it) found in ``text``."""
    pieces = list(case.expected) if parts else [case.expected]
    found = []
    for expected in pieces:
        texts = [*([fmt(expected)] if 1 < np.size(expected) <= 6 else []), *_numbers(expected)]
        found += [t for t in texts if t in text]
    return found


def trial_verdict(label: str, answer, seed: int) -> tuple[bool, str]:
    """``(ok, detail)`` of ``answer`` on the grading path: public and fresh cases drawn with
    ``seed``, probed into outcomes, decided apart from the call (as the grader does)."""
    exercise = get(label)
    trial = exercise.trial(np.random.default_rng(seed))
    reply = Reply(True, outcomes=run_all(answer, trial.calls), code=code_of(answer))
    return exercise.decide(trial, reply)


def contract(references: dict, wrong, *, fixed_only=()) -> type:
    """The contract test class for one chapter's ``references`` and ``wrong`` answers.

    ``fixed_only`` lists wrong functions that only a fixed public case can catch: they must
    fail the grading trial (public and fresh cases), not necessarily the fresh cases alone.
    """
    rows = wrong_cases(wrong)
    chapter = sorted(references)[0][:4]
    function_labels = sorted(k for k in references if isinstance(get(k), Function))
    wrong_functions = [r for r in rows if isinstance(get(r[0]), Function) and callable(r[1])]

    class TestExerciseContract:
        @pytest.fixture(autouse=True)
        def _fresh_attempts(self):
            reset_attempts()
            yield
            reset_attempts()

        def test_every_exercise_of_the_chapter_has_a_reference_and_a_wrong_answer(self):
            registered = {label for label in labels() if label.startswith(chapter)}
            assert set(references) == registered
            assert {label for label, _, _ in rows} == registered

        @pytest.mark.parametrize("label", sorted(references))
        def test_reference_answer_passes(self, label):
            result = judge(label, references[label])
            assert result.ok, result.message
            assert result.message == f"✅ {label}：正确！"

        @pytest.mark.parametrize(("label", "answer", "says"), rows, ids=_ids)
        def test_wrong_answer_fails_and_says_what_is_wrong(self, label, answer, says):
            result = judge(label, answer)
            assert not result.ok, f"{label}: {answer!r} passed"
            assert result.message.startswith(f"❌ {label}：") and "提示：" in result.message
            assert says in result.message, result.message
            assert "\n" not in result.message
            for text in expected_texts(label, answer):
                assert text not in result.message, (text, result.message)

        @pytest.mark.parametrize("label", sorted(references))
        def test_placeholder_fails_without_raising(self, label):
            result = judge(label, None)
            assert not result.ok and "还没有作答" in result.message

        @pytest.mark.parametrize("label", function_labels)
        def test_a_raising_or_unfinished_function_fails_without_raising(self, label):
            def broken(*args, **kwargs):
                raise RuntimeError("student bug")

            def unfinished(*args, **kwargs):
                raise NotImplementedError()

            assert "RuntimeError: student bug" in judge(label, broken).message
            assert "还没有实现" in judge(label, unfinished).message

        @pytest.mark.parametrize("label", sorted(references))
        def test_hints_escalate_in_one_kernel(self, label, capsys):
            check(label, None)
            check(label, None)
            first, second = capsys.readouterr().out.strip().split("\n")
            assert first.startswith("❌") and second.startswith("❌")
            if len(get(label).hints) > 1:
                assert first.split("提示：")[1] != second.split("提示：")[1]

        @pytest.mark.parametrize("label", sorted(references))
        def test_hints_never_give_the_expected_answer(self, label):
            hints = " ".join(get(label).hints)
            if isinstance(get(label), Choice):
                letter = references[label]
                given_away = [f"选 {letter}", f"是 {letter}", f"{letter}."]
            else:
                given_away = expected_texts(label)
            for text in given_away:
                assert text not in hints, (label, text)

        @pytest.mark.parametrize(
            "label", sorted(k for k in references if isinstance(get(k), Choice))
        )
        def test_a_choice_outside_the_options_is_named(self, label):
            assert "不是选项之一" in judge(label, "Z").message

        # -- fresh grading cases (function exercises) --------------------------------------

        def test_every_function_exercise_draws_fresh_grading_cases(self):
            missing = [label for label in function_labels if get(label).fresh is None]
            assert not missing, f"function exercises without fresh=: {missing}"

        @pytest.mark.parametrize("label", function_labels)
        def test_fresh_cases_depend_on_the_seed_and_on_nothing_else(self, label):
            def inputs(seed):
                return [case.args for case in fresh_cases(label, seed)]

            first = inputs(SEEDS[0])
            assert first, f"{label}: fresh(rng) gave no cases"
            assert _same(first, inputs(SEEDS[0]))
            for seed in SEEDS[1:]:
                assert not _same(first, inputs(seed)), (label, seed)

        @pytest.mark.parametrize("label", function_labels)
        def test_fresh_cases_take_the_kinds_of_arguments_the_public_ones_take(self, label):
            """Read-only arrays where the public cases have them, an Rng for a Generator..."""
            public = {_kinds(case.args) for case in get(label).public_cases()}
            for seed in SEEDS:
                for case in fresh_cases(label, seed):
                    assert _kinds(case.args) in public, (label, case.what, _kinds(case.args))

        @pytest.mark.parametrize("label", function_labels)
        @pytest.mark.parametrize("seed", SEEDS)
        def test_reference_passes_the_fresh_cases_and_the_grading_trial(self, label, seed):
            result = judge(label, references[label], cases=fresh_cases(label, seed))
            assert result.ok, result.message
            ok, detail = trial_verdict(label, references[label], seed)
            assert ok, detail

        @pytest.mark.parametrize(("label", "answer", "says"), wrong_functions, ids=_ids)
        def test_wrong_function_fails_the_fresh_cases_and_the_grading_trial(
            self, label, answer, says
        ):
            for seed in SEEDS[:2]:
                if answer not in fixed_only:
                    result = judge(label, answer, cases=fresh_cases(label, seed))
                    assert not result.ok, f"{label}: {_ids(answer)} passed the fresh cases"
                    assert "\n" not in result.message
                ok, _ = trial_verdict(label, answer, seed)
                assert not ok, f"{label}: {_ids(answer)} passed the grading trial"

        @pytest.mark.parametrize("label", function_labels)
        def test_fresh_case_descriptions_never_hold_the_expected_value(self, label):
            parts = get(label).parts
            for seed in SEEDS:
                for case in fresh_cases(label, seed):
                    assert case.what, (label, "every fresh case needs a what= description")
                    found = _expected_in(case.what, case, parts)
                    assert not found, (label, case.what, found)

        @pytest.mark.parametrize("label", function_labels)
        def test_fresh_cases_are_cheap_to_draw_and_to_run(self, label):
            """Drawn and run by the reference in well under 0.2 s (the best of three)."""
            best = float("inf")
            for seed in SEEDS:
                start = time.perf_counter()
                judge(label, references[label], cases=fresh_cases(label, seed))
                best = min(best, time.perf_counter() - start)
            assert best < 0.2, (label, best)

    return TestExerciseContract
