"""Runs inside the student's kernel while grading: hand one exercise's answer back as data.

:mod:`coursenn.instructor.grade` puts one cell after each answer cell::

    __import__("coursenn.instructor.collect", fromlist=["reply"]).reply(globals(), REQUEST)

``REQUEST`` (JSON) names the answer expression of the exercise's autocheck cell and, for a
function exercise, the calls to make (the case inputs, never their expected values). The
reply is one ``display_data`` output of type :data:`MIME`: the answer itself, or the
outcome of each call (:mod:`coursenn.exercises._probe`), encoded by
:mod:`coursenn.instructor.wire`.

Nothing here decides anything: whatever this module sends back is only the student's answer,
judged in the grader's own process. Student code that patches this module can change what is
handed back -- which a student could have done by writing a different answer -- but cannot
learn an expected value or the verdict, which never exist in this process.
"""

from __future__ import annotations

import json
from typing import Any

from ..exercises._probe import Call, Outcome, run_all, said, shorten
from . import wire

__all__ = ["MIME", "reply", "request"]

MIME = "application/vnd.coursenn.reply+json"
MAX_TEXT = 300  # characters of an exception message sent back


def request(expression: str, calls: list[Call] | None) -> str:
    """The JSON request for :func:`reply` (made by the grader)."""
    encoded = None
    if calls is not None:
        encoded = [
            {
                "args": wire.encode(tuple(c.args)),
                "then": None if c.then is None else wire.encode(tuple(c.then)),
                "watch": [list(w) for w in c.watch],
                "names": list(c.names),
                "read_back": c.read_back,
            }
            for c in calls
        ]
    return json.dumps({"expr": expression, "calls": encoded}, separators=(",", ":"))


def _calls(encoded: list[dict]) -> list[Call]:
    return [
        Call(
            wire.decode(c["args"]),
            None if c["then"] is None else wire.decode(c["then"]),
            tuple(tuple(w) for w in c["watch"]),
            tuple(c["names"]),
            bool(c["read_back"]),
        )
        for c in encoded
    ]


def _short(text: str) -> str:
    return shorten(text, MAX_TEXT)


def _outcome(outcome: Outcome) -> dict:
    try:
        result = wire.encode(outcome.result)
    except wire.Unencodable as exc:
        result, outcome.error = None, ("TypeError", f"returned {exc}, not numbers or arrays")
    try:
        args_after = None if outcome.args_after is None else wire.encode(outcome.args_after)
    except wire.Unencodable:
        args_after = None
    return {
        "result": result,
        "error": None if outcome.error is None else [outcome.error[0], _short(outcome.error[1])],
        "warnings": [_short(w) for w in outcome.warnings[:5]],
        "calls": [[name, size] for name, size in outcome.calls[:1000]],
        "args_after": args_after,
    }


def _answer(user: dict, request_text: str) -> dict[str, Any]:
    asked = json.loads(request_text)
    try:
        answer = eval(compile(asked["expr"], "<answer>", "eval"), user)  # noqa: S307
    except BaseException as exc:  # noqa: BLE001 -- whatever the student's code raised
        return {"status": "error", "error": [type(exc).__name__, _short(str(exc))]}
    if callable(answer):
        if asked["calls"] is None:
            return {"status": "callable"}
        try:  # each call under the time limit of coursenn.exercises._timelimit (10 s)
            outcomes = run_all(answer, _calls(asked["calls"]))
        except KeyboardInterrupt as exc:  # nobody presses Ctrl-C in grading: the answer did
            return {"status": "error", "error": [type(exc).__name__, _short(said(exc))]}
        return {"status": "called", "outcomes": [_outcome(o) for o in outcomes]}
    try:
        return {"status": "value", "value": wire.encode(answer)}
    except wire.Unencodable as exc:
        return {"status": "unencodable", "type": _short(str(exc))}


def reply(user: dict, request_text: str) -> None:
    """Answer the grader's request in the notebook namespace ``user`` (one display output)."""
    from IPython.display import display

    payload = _answer(user, request_text)
    display({MIME: json.dumps(payload, allow_nan=False)}, raw=True)
