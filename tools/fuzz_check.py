"""Feed every exercise's ``check(label, answer)`` odd answers and count what happens.

Usage::

    python tools/fuzz_check.py                 # all labels x all answer kinds, totals table
    python tools/fuzz_check.py --jobs 2 --time-limit 1 --hang-after 6 --details

Each label runs in a worker subprocess that calls ``check`` on every answer kind in turn,
with stdout captured, and reports one JSON line per call. The parent is a watchdog: a call
that reports nothing within ``--hang-after`` seconds is counted as a hang, the worker is
killed (its process group) and a new one carries on with the next answer. ``--time-limit``
is handed to the workers as ``COURSENN_CHECK_TIME_LIMIT`` (the check's own limit, when the
code has one), so a looping answer costs seconds, not the default 10 s.

Outcomes:

- ``one ❌ line``        -- the goal: one line, starting with ❌, at most ``--max-line`` chars;
- ``✅ (wrong!)``         -- an odd answer passed;
- ``traceback``           -- an exception escaped ``check`` (its type is listed);
- ``hang``                -- no verdict within ``--hang-after`` seconds;
- ``over-long line``      -- one ❌ line longer than ``--max-line`` characters;
- ``not one line``        -- no output, several lines, or a line that is not a verdict;
- ``worker died``         -- the worker process ended without reporting (a crash);
- ``interrupt propagated``-- a ``KeyboardInterrupt`` kind raised KeyboardInterrupt out of
  ``check``: this is by design (Ctrl-C must stop a check), so it counts as handled;
- ``interrupt swallowed`` -- a ``KeyboardInterrupt`` kind did *not* interrupt.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import math
import os
import select
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

# -- the odd answers (built inside the worker: most cannot be pickled) ----------------------

_EXC = {
    "TypeError": TypeError,
    "ValueError": ValueError,
    "RuntimeError": RuntimeError,
    "ZeroDivisionError": ZeroDivisionError,
    "SystemExit": SystemExit,
    "KeyboardInterrupt": KeyboardInterrupt,
    "MemoryError": MemoryError,
    "StopIteration": StopIteration,
}


_FIRED: list[str] = []  # a KeyboardInterrupt kind records here that it did raise


def _raiser(name: str):
    exc = _EXC[name]

    def dunder(self, *a, **k):
        _FIRED.append(name)
        raise exc("boom from a dunder")

    return dunder


def _obj(**dunders):
    """An instance of a fresh class with the given dunder methods."""
    return type("Odd", (), dunders)()


class _BadStrError(Exception):
    def __str__(self):
        raise RuntimeError("__str__ of the exception is broken")


class _BadStrExit(Exception):
    def __str__(self):
        raise SystemExit(2)


class _HomeMadeBase(BaseException):
    pass


def _recurse(*a):
    return _recurse(*a)


def _loop(*a):
    while True:
        pass


def _sleep_loop(*a):
    while True:
        time.sleep(0.05)


def _swallowing_loop(*a):  # an honest student's retry loop: except Exception
    while True:
        try:
            time.sleep(0.05)
        except Exception:
            pass


def _fn_raising(name: str):
    exc = _EXC[name]

    def fn(*a, **k):
        _FIRED.append(name)
        raise exc("boom from the answer")

    return fn


def _raise(exc):
    def fn(*a, **k):
        raise exc

    return fn


def _gen_fn(*a):
    yield 1


def _deep_list(depth: int):
    out: list = [1.0]
    for _ in range(depth):
        out = [out]
    return out


def _self_list():
    out: list = [1.0]
    out.append(out)
    return out


class _BadStr(str):
    def strip(self, *a):
        raise RuntimeError("strip is broken")

    def __repr__(self):
        raise RuntimeError("repr is broken")


class _CallableBadGetattr:
    def __call__(self, *a):
        return 1.0

    def __getattr__(self, name):
        raise RuntimeError(f"no attribute {name} for you")


def answers() -> list[tuple[str, object]]:
    """``(kind, factory)``: the odd answers, built fresh for each call."""
    import numpy as np

    kinds: list[tuple[str, object]] = []
    # objects whose dunders raise
    for exc in ("RuntimeError", "ZeroDivisionError", "SystemExit", "MemoryError"):
        kinds.append((f"__float__ raises {exc}", lambda e=exc: _obj(__float__=_raiser(e))))
    kinds.append(("__float__ recurses", lambda: _obj(__float__=lambda s: float(s))))
    kinds.append(("__float__ loops", lambda: _obj(__float__=_loop)))
    kinds.append(("__float__ returns a str", lambda: _obj(__float__=lambda s: "1.0")))
    for exc in ("RuntimeError", "SystemExit"):
        kinds.append((f"__array__ raises {exc}", lambda e=exc: _obj(__array__=_raiser(e))))
    kinds.append(("__array__ returns garbage", lambda: _obj(__array__=lambda s, *a, **k: "x")))
    for exc in ("RuntimeError", "SystemExit"):
        kinds.append(
            (
                f"__repr__ raises {exc}",
                lambda e=exc: _obj(__repr__=_raiser(e), __float__=_raiser("TypeError")),
            )
        )
    kinds.append(
        (
            "__repr__ and __str__ raise",
            lambda: _obj(__repr__=_raiser("RuntimeError"), __str__=_raiser("RuntimeError")),
        )
    )
    kinds.append(
        (
            "__len__ raises RuntimeError",
            lambda: _obj(__len__=_raiser("RuntimeError"), __getitem__=lambda s, i: 1.0),
        )
    )
    for exc in ("ValueError", "RuntimeError", "StopIteration"):
        kinds.append(
            (
                f"__iter__ raises {exc}",
                lambda e=exc: _obj(
                    __iter__=_raiser(e), __len__=lambda s: 2, __getitem__=lambda s, i: 1.0
                ),
            )
        )
    kinds.append(("__eq__ raises", lambda: _obj(__eq__=_raiser("RuntimeError"), __hash__=None)))
    kinds.append(("__bool__ raises", lambda: _obj(__bool__=_raiser("RuntimeError"))))
    kinds.append(
        ("__float__ raises KeyboardInterrupt", lambda: _obj(__float__=_raiser("KeyboardInterrupt")))
    )  # noqa: E501
    kinds.append(("str subclass, broken strip and repr", lambda: _BadStr("Z")))  # no option
    # functions that misbehave
    for exc in ("RuntimeError", "ZeroDivisionError", "MemoryError", "StopIteration"):
        kinds.append((f"function raises {exc}", lambda e=exc: _fn_raising(e)))
    kinds.append(("function recurses forever", lambda: _recurse))
    kinds.append(("function calls sys.exit()", lambda: _raise(SystemExit())))
    kinds.append(("function calls sys.exit(3)", lambda: _raise(SystemExit(3))))
    kinds.append(("function raises, exception __str__ raises", lambda: _raise(_BadStrError())))
    kinds.append(("function raises, exception __str__ exits", lambda: _raise(_BadStrExit())))
    kinds.append(("function raises a BaseException subclass", lambda: _raise(_HomeMadeBase("x"))))
    kinds.append(("function raises a 1e6-char message", lambda: _raise(ValueError("x" * 10**6))))
    kinds.append(
        ("function raises, message has a lone surrogate", lambda: _raise(ValueError("\ud800")))
    )  # noqa: E501
    kinds.append(("function raises KeyboardInterrupt", lambda: _fn_raising("KeyboardInterrupt")))
    kinds.append(("function loops forever", lambda: _loop))
    kinds.append(("function sleeps forever", lambda: _sleep_loop))
    kinds.append(("function loops, swallows Exception", lambda: _swallowing_loop))
    kinds.append(
        (
            "function returns __float__ raising",
            lambda: lambda *a: _obj(__float__=_raiser("RuntimeError")),
        )  # noqa: E501
    )
    kinds.append(
        (
            "function returns repr-less garbage",
            lambda: (
                lambda *a: _obj(__repr__=_raiser("RuntimeError"), __float__=_raiser("TypeError"))
            ),  # noqa: E501
        )
    )
    kinds.append(("function returns a generator", lambda: lambda *a: (i for i in range(3))))
    kinds.append(("function returns a 1e6-char str", lambda: lambda *a: "x" * 10**6))
    kinds.append(("function returns NaN", lambda: lambda *a: math.nan))
    kinds.append(("generator function", lambda: _gen_fn))
    kinds.append(("callable, __getattr__ raises", lambda: _CallableBadGetattr()))
    kinds.append(("a class", lambda: type("Student", (), {})))
    kinds.append(("a builtin (len)", lambda: len))
    kinds.append(("lambda of no arguments", lambda: lambda: 1.0))
    # plain odd values
    kinds.append(("1,000,000-char string", lambda: "x" * 10**6))
    kinds.append(("1,000,000-byte bytes", lambda: b"x" * 10**6))
    kinds.append(("huge array (10^7)", lambda: np.zeros(10**7)))
    kinds.append(("huge list (10^6)", lambda: [0.5] * 10**6))
    kinds.append(("NaN", lambda: math.nan))
    kinds.append(("inf", lambda: math.inf))
    kinds.append(("None", lambda: None))
    kinds.append(("a generator", lambda: (i for i in range(3))))
    kinds.append(("ragged nested list", lambda: [[1.0, [2.0, 3.0]], [4.0]]))
    kinds.append(("list nested 100,000 deep", lambda: _deep_list(100_000)))
    kinds.append(("list that contains itself", _self_list))
    kinds.append(("structured array", lambda: np.zeros(3, dtype=[("a", float), ("b", int)])))
    kinds.append(("object array", lambda: np.array([object(), None], dtype=object)))
    kinds.append(("a module (numpy)", lambda: np))
    kinds.append(("complex 1+2j", lambda: 1 + 2j))
    kinds.append(("int 10**5000", lambda: 10**5000))
    kinds.append(("a dict", lambda: {"a": 1}))
    kinds.append(("a set", lambda: {1.0, 2.0}))
    kinds.append(("an exception instance", lambda: ValueError("not an answer")))
    return kinds


# -- the worker ------------------------------------------------------------------------------


def _worker(label: str, start: int) -> None:
    out = os.fdopen(os.dup(1), "w", buffering=1)
    sys.setrecursionlimit(3000)
    from coursenn.exercises import check

    kinds = answers()
    for index in range(start, len(kinds)):
        kind, factory = kinds[index]
        buffer = io.StringIO()
        real_stdout, sys.stdout = sys.stdout, buffer
        escaped = None
        _FIRED.clear()
        try:
            check(label, factory())
        except BaseException as exc:  # noqa: BLE001 -- that is what we count
            escaped = type(exc).__name__
        finally:
            sys.stdout = real_stdout
        out.write(
            json.dumps(
                {"i": index, "escaped": escaped, "out": buffer.getvalue(), "fired": bool(_FIRED)}
            )
            + "\n"
        )


# -- the parent ------------------------------------------------------------------------------


def classify(kind: str, record: dict, max_line: int) -> str:
    if "KeyboardInterrupt" in kind and record["fired"]:  # the answer did raise it
        if record["escaped"] == "KeyboardInterrupt":
            return "interrupt propagated"
        return "interrupt swallowed"
    if record["escaped"] is not None:
        return "traceback"
    lines = record["out"].splitlines()
    if len(lines) != 1:
        return "not one line"
    if lines[0].startswith("✅"):
        return "✅ (wrong!)"
    if not lines[0].startswith("❌"):
        return "not one line"
    return "over-long line" if len(lines[0]) > max_line else "one ❌ line"


def run_label(label: str, args, n_kinds: int) -> list[tuple[int, str, str]]:
    """``(index, outcome, detail)`` for every answer kind on ``label``."""
    results: list[tuple[int, str, str]] = []
    kinds = [name for name, _ in answers()]
    env = dict(os.environ, COURSENN_CHECK_TIME_LIMIT=str(args.time_limit))
    start = 0
    while start < n_kinds:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", label, str(start)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )  # fmt: skip
        buffer = b""
        deadline = time.monotonic() + args.hang_after + args.startup
        next_index = start
        while True:
            wait = deadline - time.monotonic()
            ready = select.select([proc.stdout], [], [], max(0.0, wait))[0] if wait > 0 else []
            if not ready:
                results.append((next_index, "hang", ""))
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                start = next_index + 1
                break
            chunk = os.read(proc.stdout.fileno(), 1 << 20)
            if not chunk:  # the worker ended
                proc.wait()
                if next_index < n_kinds:
                    results.append((next_index, "worker died", f"exit {proc.returncode}"))
                start = next_index + 1
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                record = json.loads(line)
                outcome = classify(kinds[record["i"]], record, args.max_line)
                first = (record["out"].splitlines() or [""])[0]
                detail = record["escaped"] or first[:160]
                results.append((record["i"], outcome, detail))
                next_index = record["i"] + 1
                deadline = time.monotonic() + args.hang_after
            if next_index >= n_kinds:
                proc.wait()
                start = n_kinds
                break
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("LABEL", "START"), help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help="labels fuzzed at once (default 1)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=1.0,
        help="COURSENN_CHECK_TIME_LIMIT for the workers (default 1 s)",
    )
    parser.add_argument(
        "--hang-after",
        type=float,
        default=6.0,
        help="seconds without a verdict that count as a hang (default 6)",
    )
    parser.add_argument(
        "--startup",
        type=float,
        default=20.0,
        help="extra seconds for a worker to import coursenn (default 20)",
    )
    parser.add_argument(
        "--max-line",
        type=int,
        default=600,
        help="longest acceptable ❌ line, in characters (default 600)",
    )
    parser.add_argument("--labels", nargs="*", help="only these labels")
    parser.add_argument("--details", action="store_true", help="list every call not ok")
    args = parser.parse_args(argv)  # fmt: skip
    if args.worker:
        _worker(args.worker[0], int(args.worker[1]))
        return 0

    from coursenn.exercises import labels

    names = args.labels or labels()
    kinds = [name for name, _ in answers()]
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        found = pool.map(lambda lb: run_label(lb, args, len(kinds)), names)
        per_label = dict(zip(names, found, strict=True))
    totals: collections.Counter = collections.Counter()
    escaped: collections.Counter = collections.Counter()
    bad_kinds: dict[str, set[str]] = collections.defaultdict(set)
    for label, results in per_label.items():
        for index, outcome, detail in results:
            totals[outcome] += 1
            if outcome == "traceback":
                escaped[detail] += 1
            if outcome not in ("one ❌ line", "interrupt propagated"):
                bad_kinds[outcome].add(kinds[index])
                if args.details:
                    print(f"{outcome:22} {label:28} {kinds[index]:44} {detail}")
    n = sum(totals.values())
    print(f"\n{len(names)} labels x {len(kinds)} answers = {n} calls "
          f"({time.monotonic() - began:.0f} s, time limit {args.time_limit} s, "
          f"hang after {args.hang_after} s)\n")  # fmt: skip
    print("| result | calls | answer kinds |\n|---|---|---|")
    order = ["one ❌ line", "interrupt propagated", "✅ (wrong!)", "traceback", "hang",
             "over-long line", "not one line", "worker died", "interrupt swallowed"]  # fmt: skip
    for outcome in order:
        print(f"| {outcome} | {totals[outcome]} | {len(bad_kinds.get(outcome, ()))} |")
    if escaped:
        print("\nescaped exceptions: " + ", ".join(f"{k} {v}" for k, v in escaped.most_common()))
    return 0 if n == totals["one ❌ line"] + totals["interrupt propagated"] else 1


if __name__ == "__main__":
    sys.exit(main())
