"""check(...) never raises and never hangs: every odd answer is one capped ❌ line (issue 23).

Each test feeds one kind of odd answer from the issue to exercises registered for the test
only (labels ch98-...) and asserts what the student sees: exactly one line, a ❌ that says
what happened, no longer than the cap, and nothing raised -- except KeyboardInterrupt, which
must still stop a check. The time limit is set to 0.5 s here so the looping answers are fast.
``tools/fuzz_check.py`` runs the same kinds (and more) over every exercise of the book.
"""

from __future__ import annotations

import signal
import sys
import threading
import time

import numpy as np
import pytest

from coursenn import exercises as ex
from coursenn.exercises import Case, Choice, Function, Value, _registry, _timelimit, choice_digest
from coursenn.exercises._probe import Call, run_all, shorten
from coursenn.instructor import collect, sandbox

LIMIT = 0.5
CAP = _registry.MAX_DETAIL + 200  # the detail's cap plus the label and the longest hint here


def _double(x):
    return 2.0 * np.asarray(x, dtype=float)


TEST_EXERCISES = [
    Value("ch98-value", name="n_params", expected=lambda: 42.0, hints=["数一数"]),
    Function(
        "ch98-double",
        name="double",
        cases=lambda: [
            Case((np.array([1.0, 2.0]),), np.array([2.0, 4.0]), what="第 1 个例子"),
            Case((np.array([-1.0]),), np.array([-2.0]), what="第 2 个例子"),
            Case((np.array([0.5]),), np.array([1.0]), what="第 3 个例子"),
        ],
        hints=["乘以 2"],
    ),  # fmt: skip
    Choice("ch98-choice", name="answer", digest=choice_digest("ch98-choice", "B"), hints=["看图"]),
]


@pytest.fixture(autouse=True)
def registered():
    ex.register(*TEST_EXERCISES)
    ex.reset_attempts()
    ex.set_time_limit(LIMIT)
    yield
    ex.set_time_limit(None)
    for exercise in TEST_EXERCISES:
        _registry._EXERCISES.pop(exercise.label)
    ex.reset_attempts()


def red_line(capsys, label, answer) -> str:
    """Check ``answer``; assert that exactly one ❌ line came out, capped; return it."""
    ex.check(label, answer)
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 1, captured.out[:500]
    assert lines[0].startswith(f"❌ {label}："), lines[0][:200]
    assert len(lines[0]) <= CAP, len(lines[0])
    return lines[0]


def odd(**dunders):
    return type("Odd", (), dunders)()


def raising(exc):
    def method(*args, **kwargs):
        raise exc

    return method


def loop_forever(*args):
    while True:
        pass


# -- answers whose own methods break ----------------------------------------------------------


@pytest.mark.parametrize(
    "exc", [RuntimeError("x"), ZeroDivisionError(), MemoryError(), SystemExit(1)]
)
def test_a_float_that_raises_anything_is_named(capsys, exc):
    line = red_line(capsys, "ch98-value", odd(__float__=raising(exc)))
    assert f"（把它转换成数时抛出了 {type(exc).__name__}）" in line


def test_an_array_method_that_raises_is_named(capsys):
    line = red_line(capsys, "ch98-value", odd(__array__=raising(RuntimeError("no"))))
    assert "抛出了 RuntimeError" in line


def test_a_broken_repr_is_told_not_raised(capsys):
    answer = odd(__repr__=raising(RuntimeError()), __float__=raising(TypeError()))
    line = red_line(capsys, "ch98-value", answer)
    assert "<Odd 对象，它的 __repr__ 抛出了 RuntimeError>" in line


def test_a_str_subclass_cannot_run_its_own_strip_or_repr(capsys):
    class Letter(str):
        def strip(self, *args):
            raise RuntimeError("strip")

        def __repr__(self):
            raise RuntimeError("repr")

    assert ex.judge("ch98-choice", Letter(" b ")).ok  # str's own strip and upper
    line = red_line(capsys, "ch98-choice", Letter("Z"))
    assert "<Letter 对象，它的 __repr__ 抛出了 RuntimeError> 不是选项之一" in line


def test_an_int_too_big_for_a_float_is_told(capsys):
    line = red_line(capsys, "ch98-value", 10**5000)
    assert "抛出了 OverflowError" in line


def test_a_list_nested_too_deep_to_show_is_told(capsys):
    deep: list = [1.0]
    for _ in range(100_000):
        deep = [deep]
    line = red_line(capsys, "ch98-value", deep)
    assert "__repr__ 抛出了 RecursionError" in line


# -- function answers that raise, exit or never return ------------------------------------------


def test_an_exception_whose_str_raises_is_named_by_its_type(capsys):
    class Broken(Exception):
        def __str__(self):
            raise RuntimeError("no message for you")

    line = red_line(capsys, "ch98-double", raising(Broken()))
    assert "在 第 1 个例子 上抛出了 Broken: (its message cannot be shown: str() raised" in line


@pytest.mark.parametrize("code", [None, 3, "bye"])
def test_sys_exit_inside_an_answer_is_a_red_line(capsys, code):
    def leaves(x):
        sys.exit(code)

    line = red_line(capsys, "ch98-double", leaves)
    shown = "" if code is None else code
    assert f"上调用了 sys.exit({shown})：函数应该返回结果，而不是退出。" in line


def test_an_exception_deriving_from_baseexception_is_a_red_line(capsys):
    class Mine(BaseException):
        pass

    assert "上抛出了 Mine: mine" in red_line(capsys, "ch98-double", raising(Mine("mine")))


def test_an_answer_that_never_returns_is_stopped_after_the_limit(capsys):
    began = time.monotonic()
    line = red_line(capsys, "ch98-double", loop_forever)
    elapsed = time.monotonic() - began
    assert "在 第 1 个例子 上运行超过了 0.5 s 的时间限制，被停下了" in line
    assert LIMIT <= elapsed < LIMIT + 1.0  # one limit: the other cases are not tried


def test_except_exception_does_not_swallow_the_time_limit(capsys):
    def retries(x):
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # a student's retry loop
                pass

    assert "时间限制" in red_line(capsys, "ch98-double", retries)


def test_a_value_whose_float_never_returns_is_stopped(capsys):
    line = red_line(capsys, "ch98-value", odd(__float__=loop_forever))
    assert "读取你的答案（它的 __float__、__array__、__repr__ 等）超过了 0.5 s 的时间限制" in line


def test_the_limit_is_per_call_so_a_slow_right_answer_passes():
    calls = []

    def slow_double(x):
        calls.append(1)
        time.sleep(0.3)  # three cases: 0.9 s in all, each call under the 0.5 s limit
        return _double(x)

    assert ex.judge("ch98-double", slow_double).ok
    assert len(calls) == 3


def test_after_a_call_runs_out_of_time_the_rest_are_not_made():
    calls = []

    def first_loops(x):
        calls.append(1)
        loop_forever()

    outcomes = run_all(first_loops, [Call((1.0,)), Call((2.0,)), Call((3.0,))])
    assert len(calls) == 1
    assert [o.timed_out for o in outcomes] == [True, True, True]
    assert outcomes[0].error == ("TimeLimitExceeded", "0.5 s")


# -- what is shown is capped ---------------------------------------------------------------


def test_a_million_character_string_is_shown_shortened(capsys):
    line = red_line(capsys, "ch98-value", "x" * 1_000_000)
    assert "…（共 1000002 个字符）" in line and "x" * 100 not in line
    line = red_line(capsys, "ch98-choice", "x" * 1_000_000)
    assert "…（共 1000002 个字符） 不是选项之一" in line


def test_a_million_character_exception_message_is_shortened(capsys):
    line = red_line(capsys, "ch98-double", raising(ValueError("y" * 1_000_000)))
    assert "…（共 1000000 个字符）" in line


def test_a_lone_surrogate_in_a_message_can_be_printed(capsys):
    line = red_line(capsys, "ch98-double", raising(ValueError("bad \ud800 char")))
    assert "bad \\ud800 char" in line


def test_shorten_keeps_short_text_and_marks_long_text():
    assert shorten("abc", 10) == "abc"
    assert shorten("a" * 50, 20) == "a" * 9 + "…（共 50 个字符）"
    assert len(shorten("a" * 50, 20)) == 20


# -- what still goes through ---------------------------------------------------------------------


def test_keyboard_interrupt_from_a_function_answer_still_interrupts(capsys):
    with pytest.raises(KeyboardInterrupt):
        ex.check("ch98-double", raising(KeyboardInterrupt()))
    assert capsys.readouterr().out == ""


def test_keyboard_interrupt_from_a_value_answer_still_interrupts():
    with pytest.raises(KeyboardInterrupt):
        ex.check("ch98-value", odd(__float__=raising(KeyboardInterrupt())))


def test_mistakes_in_the_check_cell_itself_still_raise():
    with pytest.raises(KeyError, match="ch98-nope"):
        ex.check("ch98-nope", 1)
    with pytest.raises(TypeError, match="'ch98-value' \\(Value\\) takes no cases"):
        ex.check("ch98-value", 1, cases=[])


def test_an_unanswered_exercise_still_gets_a_friendly_red_line(capsys):
    assert "还没有作答" in red_line(capsys, "ch98-double", ...)
    assert "还没有作答" in red_line(capsys, "ch98-value", None)


# -- the alarm is borrowed and given back ------------------------------------------------------


def test_the_previous_sigalrm_handler_and_timer_are_restored(capsys):
    fired = []

    def mine(signum, frame):
        fired.append(signum)

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        red_line(capsys, "ch98-double", loop_forever)  # 0.5 s of the 5 s go by
        assert signal.getsignal(signal.SIGALRM) is mine
        left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        assert 3.5 < left < 4.6
        assert fired == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_timer_that_ran_out_while_checking_fires_afterwards(capsys):
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        red_line(capsys, "ch98-double", loop_forever)
        time.sleep(0.05)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_call_inside_a_stretch_pauses_it():
    with _timelimit.limited(0.3):
        time.sleep(0.1)
        with _timelimit.limited(0.4):
            time.sleep(0.35)  # the outer 0.3 s are paused meanwhile
        time.sleep(0.1)  # 0.2 s of the outer's 0.3 s used: no TimeLimitExceeded
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_no_limit_outside_the_main_thread_and_no_error_either():
    seen = {}

    def in_a_thread():
        seen["supported"] = _timelimit.supported()
        seen["ok"] = ex.judge("ch98-double", _double).ok

    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join()
    assert seen == {"supported": False, "ok": True}


# -- the time limit's settings -----------------------------------------------------------------


def test_the_limit_is_set_by_call_then_by_the_environment_then_by_default(monkeypatch):
    assert ex.time_limit() == LIMIT
    ex.set_time_limit(None)
    monkeypatch.setenv("COURSENN_CHECK_TIME_LIMIT", "2.5")
    assert ex.time_limit() == 2.5
    monkeypatch.delenv("COURSENN_CHECK_TIME_LIMIT")
    assert ex.time_limit() == _timelimit.DEFAULT_TIME_LIMIT == 10.0


@pytest.mark.parametrize(
    ("seconds", "error", "says"),
    [(0, ValueError, "positive, finite"), (-1.0, ValueError, "got -1.0"),
     (float("nan"), ValueError, "got nan"), (float("inf"), ValueError, "got inf"),
     ("10", TypeError, "got str"), (True, TypeError, "got bool")],
)  # fmt: skip
def test_a_bad_limit_is_refused_naming_it(seconds, error, says):
    with pytest.raises(error, match="seconds must be") as info:
        ex.set_time_limit(seconds)
    assert says in str(info.value)


def test_a_bad_limit_in_the_environment_is_refused_naming_it(monkeypatch):
    ex.set_time_limit(None)
    monkeypatch.setenv("COURSENN_CHECK_TIME_LIMIT", "ten")
    with pytest.raises(
        ValueError, match="COURSENN_CHECK_TIME_LIMIT must be a number of seconds, got 'ten'"
    ):  # noqa: E501
        ex.time_limit()
    with pytest.raises(ValueError, match="COURSENN_CHECK_TIME_LIMIT"):  # not the answer's fault
        ex.check("ch98-double", _double)


# -- the grading side ------------------------------------------------------------------------


def _request(answer_name: str, n: int) -> str:
    return collect.request(answer_name, [Call((float(i),)) for i in range(n)])


def test_grading_stops_a_looping_answer_and_skips_its_other_calls():
    payload = collect._answer({"f": loop_forever}, _request("f", 3))
    assert payload["status"] == "called"
    assert [o["error"] for o in payload["outcomes"]] == [["TimeLimitExceeded", "0.5 s"]] * 3


def test_grading_reports_an_answer_that_raises_keyboard_interrupt():
    payload = collect._answer({"f": raising(KeyboardInterrupt("ctrl-c"))}, _request("f", 1))
    assert payload == {"status": "error", "error": ["KeyboardInterrupt", "ctrl-c"]}


def test_the_grading_sandbox_gets_the_time_limit_module():
    view = sandbox.grading_view()
    assert sorted(p.name for p in view.iterdir()) == ["__init__.py", "_probe.py", "_timelimit.py"]
