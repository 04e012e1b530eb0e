"""What every exercise of the book must do, as one test class a chapter's test file builds.

A chapter's ``tests/unit/test_exercises_chNN.py`` lists its reference answers and its
likely wrong answers (each with a fragment its ❌ line must contain), then::

    TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)

and keeps only the tests particular to its exercises. The contract: every exercise of the
chapter has a reference; the reference gets ✅; each wrong answer gets ❌ that names what is
wrong and holds no expected value; the placeholder ``None`` and a raising function get ❌
without raising; the hints escalate from one ❌ to the next in the same kernel and never
hold the expected value or the right letter.
"""

from __future__ import annotations

import numpy as np
import pytest

from coursenn.exercises import Choice, Function, Value, check, get, judge, labels, reset_attempts
from coursenn.exercises._compare import fmt

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
    with np.errstate(all="ignore"):
        try:
            return fn(*args)
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


def contract(references: dict, wrong) -> type:
    """The contract test class for one chapter's ``references`` and ``wrong`` answers."""
    rows = wrong_cases(wrong)
    chapter = sorted(references)[0][:4]
    function_labels = sorted(k for k in references if isinstance(get(k), Function))

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

    return TestExerciseContract
