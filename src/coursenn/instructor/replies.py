"""The grader's reading of a collect cell's output: the student's answer as plain data.

Everything here reads what the student's kernel produced, so it trusts nothing: one reply of
the collect MIME type per collect cell (:func:`replies_in`), strict JSON, the statuses and
shapes :mod:`coursenn.instructor.collect` makes and nothing else, values rebuilt by
:mod:`coursenn.instructor.wire`. :func:`read_reply` returns a
:class:`~coursenn.exercises.Reply` or raises what the answer was instead.
"""

from __future__ import annotations

from ..exercises._kinds import Reply
from ..exercises._probe import Outcome
from . import wire
from .collect import MIME
from .source import answer_code
from .sources import Source

__all__ = ["AnswerRaised", "NotData", "read_reply", "replies_in"]


def _outcome(data) -> Outcome:
    if type(data) is not dict or set(data) != {
        "result",
        "error",
        "warnings",
        "calls",
        "args_after",
    }:
        raise wire.WireError("malformed outcome")
    error, warnings_, calls = data["error"], data["warnings"], data["calls"]
    if error is not None and not (
        type(error) is list and len(error) == 2 and all(type(e) is str for e in error)
    ):
        raise wire.WireError("malformed error")
    if type(warnings_) is not list or not all(type(w) is str for w in warnings_):
        raise wire.WireError("malformed warnings")
    if type(calls) is not list or not all(
        type(c) is list and len(c) == 2 and type(c[0]) is str and type(c[1]) is int for c in calls
    ):
        raise wire.WireError("malformed calls")
    args_after = None if data["args_after"] is None else wire.decode(data["args_after"])
    return Outcome(
        result=wire.decode(data["result"]),
        error=None if error is None else (error[0], error[1]),
        warnings=list(warnings_),
        calls=[(name, size) for name, size in calls],
        args_after=args_after if isinstance(args_after, tuple) else None,
    )


def read_reply(text, src: Source, code_sources: list[str]) -> Reply:
    """Rebuild the kernel's reply (raises WireError, or ValueError saying what the answer was)."""
    if type(text) is not str:
        raise wire.WireError("reply is not text")
    payload = wire.parse_json(text)
    if type(payload) is not dict or type(payload.get("status")) is not str:
        raise wire.WireError("malformed reply")
    status = payload["status"]
    if status == "error":
        error = payload.get("error")
        if not (type(error) is list and len(error) == 2 and all(type(e) is str for e in error)):
            raise wire.WireError("malformed reply")
        raise AnswerRaised(error[0], error[1])
    if status == "callable":
        return Reply(callable=True)
    if status == "value":
        return Reply(value=wire.decode(payload.get("value")))
    if status == "unencodable":
        raise NotData(str(payload.get("type"))[:60])
    if status == "called":
        outcomes = payload.get("outcomes")
        calls = src.trial.calls or []
        if type(outcomes) is not list or len(outcomes) != len(calls):
            raise wire.WireError("reply does not answer every call")
        code = answer_code(code_sources, src.expression)
        return Reply(True, outcomes=[_outcome(o) for o in outcomes], code=code)
    raise wire.WireError("unknown reply status")


class AnswerRaised(Exception):
    """Evaluating the answer expression raised (e.g. NameError: the answer is gone)."""


class NotData(Exception):
    """The answer is an object the wire cannot carry."""


def replies_in(run_nb, index: int) -> list:
    return [
        out.get("data", {}).get(MIME)
        for out in run_nb.cells[index].get("outputs", [])
        if out.get("output_type") == "display_data" and MIME in out.get("data", {})
    ]
