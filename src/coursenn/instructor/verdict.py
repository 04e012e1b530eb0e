"""Runs inside the kernel of a graded notebook: the instructor's checks of one exercise.

:mod:`coursenn.instructor.grade` appends, after a student's answer cell, a cell that loads
this file as a fresh module (not through ``sys.modules``, which student code may have
replaced) and calls :func:`run_check`. The registry it judges with is a fresh copy of the
``coursenn.exercises`` package too, loaded from its files under a private name, so a student
who reassigned ``check`` or ``coursenn.exercises.judge`` earlier in the notebook changes
nothing. The verdict is printed as one line that starts with a random token the grader made
for this run and reads from this cell's output only.

Not defended against (best effort, see the instructor guide): student code that patches the
``coursenn`` modules the registry computes its expected values with.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

FRESH_NAME = "coursenn._grading_exercises"


def load_fresh_package(directory: str, name: str = FRESH_NAME) -> ModuleType:
    """Execute the package in ``directory`` as a new module object that no one else holds.

    ``name`` sits inside ``coursenn`` so that the chapter modules' relative imports
    (``from ..layers import Dense``) resolve. The copy is removed from ``sys.modules`` again
    once loaded: later imports cannot reach it.
    """
    init = Path(directory, "__init__.py")
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(directory)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]
    return module


def run_check(user: dict, token: str, label: str, sources: list[str], package_dir: str) -> bool:
    """Run the instructor's check cells ``sources`` for ``label`` in the notebook namespace.

    While they run, ``check`` in ``user`` records the judgement of the fresh registry. The
    exercise passes when no source raised, ``check`` was called at least once, and every
    call was for ``label`` and judged right (public and hidden cases alike). Prints
    ``<token> {"label": ..., "ok": ..., "error": ...}``.
    """
    registry = load_fresh_package(package_dir)
    verdicts: list[bool] = []

    def check(called: str, answer, *, cases=None) -> None:
        result = registry.judge(called, answer, cases=cases)
        verdicts.append(called == label and result.ok is True)

    saved = user.get("check", None)
    had = "check" in user
    error = None
    try:
        for number, source in enumerate(sources):
            user["check"] = check  # every cell anew: a check source cannot swap it either
            try:
                code = user["get_ipython"]().transform_cell(source)  # IPython syntax
            except Exception:
                code = source
            exec(compile(code, f"<instructor check {number} of {label}>", "exec"), user)
    except BaseException as exc:  # noqa: BLE001 -- whatever the student's code raised
        error = f"{type(exc).__name__}: {exc}"
    finally:
        if had:
            user["check"] = saved
        else:
            user.pop("check", None)
    ok = error is None and bool(verdicts) and all(verdicts)
    print(token, json.dumps({"label": label, "ok": ok, "error": error}))
    return ok
