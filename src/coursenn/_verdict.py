"""Runs inside the kernel of a graded notebook: one instructor check, one verdict line.

:mod:`coursenn.grade` appends, after a student's answer cell, a cell that loads this file
as a fresh module (not through ``sys.modules``, which student code may have replaced) and
calls :func:`run_check`. The checkers it uses are a fresh copy of ``coursenn.exercises``
too, so a student who reassigned ``check_value`` or ``coursenn.exercises.judge_value``
earlier in the notebook changes nothing. The verdict is printed as one line that starts
with a random token the grader made for this run and reads from this cell's output only.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from types import ModuleType

KINDS = ("value", "function", "choice")


def load_fresh(path: str, name: str) -> ModuleType:
    """Execute the Python file ``path`` as a new module object that no one else holds."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it is executed
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def run_check(user: dict, token: str, label: str, source: str, judges_file: str) -> bool:
    """Run the instructor's check ``source`` in the notebook namespace ``user``; print the verdict.

    While it runs, every ``check_*`` and ``assert_*`` name (in ``user`` and in the
    ``coursenn.exercises`` module) records the judgement of the fresh checkers. The
    exercise passes when the check raised nothing, called a checker at least once, and every
    call succeeded. Prints ``<token> {"label": ..., "ok": ..., "error": ...}``.
    """
    judges = load_fresh(judges_file, "_coursenn_grading_judges")
    verdicts: list[bool] = []

    def recording(kind: str, raising: bool):
        judge = getattr(judges, "judge_" + kind)

        def check(*args, **kwargs) -> None:
            result = judge(*args, **kwargs)
            verdicts.append(result.ok is True)
            if raising and not result.ok:
                raise AssertionError(result.message)

        return check

    names = {f"check_{k}": recording(k, False) for k in KINDS}
    names |= {f"assert_{k}": recording(k, True) for k in KINDS}
    module = sys.modules.get("coursenn.exercises")
    saved = {n: user[n] for n in names if n in user}
    saved_module = {n: getattr(module, n) for n in names if hasattr(module, n)}
    user.update(names)
    for n in saved_module:
        setattr(module, n, names[n])
    error = None
    try:
        shell = user.get("get_ipython")
        try:
            code = shell().transform_cell(source)  # the check may use IPython syntax
        except Exception:
            code = source
        exec(compile(code, f"<instructor check of {label}>", "exec"), user)
    except BaseException as exc:  # noqa: BLE001 -- whatever the student's code raised
        error = f"{type(exc).__name__}: {exc}"
    finally:
        for n in names:
            if n in saved:
                user[n] = saved[n]
            else:
                user.pop(n, None)
        for n, f in saved_module.items():
            setattr(module, n, f)
    ok = error is None and bool(verdicts) and all(verdicts)
    print(token, json.dumps({"label": label, "ok": ok, "error": error}))
    return ok
