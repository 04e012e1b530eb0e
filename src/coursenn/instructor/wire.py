"""Plain data across the grading boundary, as JSON: nothing but numbers, text and arrays.

The grader sends case inputs into the student's kernel and gets answers and outcomes back
in this form. :func:`decode` runs in the grader on bytes the student's kernel produced, so it
trusts nothing: it rebuilds only ``None``, ``bool``, ``int``, ``float``, ``complex``, ``str``,
lists, tuples, string-keyed dicts, :class:`~coursenn.exercises._probe.Rng` and numpy arrays of
bool/int/uint/float/complex dtype from their bytes -- no pickle, no class the student defined,
no subclass -- and refuses anything deeper, larger or different with :class:`WireError`.

Tagged forms (a dict with one key starting with ``$``): ``{"$float": "nan" | "inf" | "-inf"}``,
``{"$complex": [re, im]}``, ``{"$tuple": [...]}``, ``{"$ellipsis": 0}``, ``{"$rng": seed}``,
``{"$ref": "coursenn.module.function"}``, ``{"$dict": [[key, value], ...]}`` and
``{"$array": {"dtype": "<f8", "shape": [2, 3], "data": base64, "readonly": false}}``.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np

from ..exercises._probe import Ref, Rng

__all__ = ["WireError", "Unencodable", "encode", "decode", "dumps", "loads", "parse_json"]

MAX_DEPTH = 20
MAX_ITEMS = 100_000  # containers' items, all together
MAX_BYTES = 64_000_000  # array data, all together
_KINDS = "biufc"  # bool, int, uint, float, complex


class WireError(ValueError):
    """What came back is not plain data of the allowed kinds and sizes."""


class Unencodable(TypeError):
    """A value the wire cannot carry (a class of the student's, a generator, a module...)."""


def _float(x: float):
    if math.isfinite(x):
        return x
    return {"$float": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def encode(value: Any, _depth: int = 0) -> Any:
    """``value`` as JSON-ready data (see the module docstring).

    Raises
    ------
    Unencodable
        For anything but the kinds listed above (numpy scalars count as their Python kind).
    """
    if _depth > MAX_DEPTH:
        raise Unencodable("nested too deeply")
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return _float(value)
    if type(value) is complex:
        return {"$complex": [_float(value.real), _float(value.imag)]}
    if value is ...:
        return {"$ellipsis": 0}
    if type(value) is Rng:
        return {"$rng": int(value.seed)}
    if type(value) is Ref:
        return {"$ref": value.path}
    if isinstance(value, np.generic) and value.dtype.kind in _KINDS:
        return encode(value.item(), _depth)
    if type(value) is np.ndarray:
        if value.dtype.kind not in _KINDS:
            raise Unencodable(f"array of dtype {value.dtype}")
        array = np.asarray(value, dtype=value.dtype.newbyteorder("<"), order="C")
        return {
            "$array": {
                "dtype": array.dtype.str,
                "shape": list(array.shape),
                "data": base64.b64encode(array.tobytes()).decode("ascii"),
                "readonly": not value.flags.writeable,
            }
        }
    if type(value) is list:
        return [encode(v, _depth + 1) for v in value]
    if type(value) is tuple:
        return {"$tuple": [encode(v, _depth + 1) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"$dict": [[k, encode(v, _depth + 1)] for k, v in value.items()]}
    raise Unencodable(type(value).__name__)


class _Budget:
    def __init__(self) -> None:
        self.items, self.bytes = 0, 0

    def spend(self, items: int = 0, nbytes: int = 0) -> None:
        self.items, self.bytes = self.items + items, self.bytes + nbytes
        if self.items > MAX_ITEMS or self.bytes > MAX_BYTES:
            raise WireError("more data than an answer can hold")


def _number(x: Any) -> float:
    if type(x) in (int, float):
        return float(x)
    if type(x) is dict and set(x) == {"$float"} and x["$float"] in ("nan", "inf", "-inf"):
        return float(x["$float"])
    raise WireError(f"not a number: {type(x).__name__}")


def _array(spec: Any, budget: _Budget) -> np.ndarray:
    if type(spec) is not dict or set(spec) != {"dtype", "shape", "data", "readonly"}:
        raise WireError("malformed array")
    dtype_text, shape, data = spec["dtype"], spec["shape"], spec["data"]
    if type(dtype_text) is not str or len(dtype_text) > 4:
        raise WireError("malformed array dtype")
    try:
        dtype = np.dtype(dtype_text)
    except TypeError as exc:
        raise WireError(f"unknown dtype {dtype_text!r}") from exc
    if dtype.kind not in _KINDS or dtype.byteorder not in ("<", "|", "="):
        raise WireError(f"dtype {dtype_text!r} is not allowed")
    if type(shape) is not list or len(shape) > 32 or any(type(n) is not int for n in shape):
        raise WireError("malformed array shape")
    if any(n < 0 for n in shape) or type(data) is not str or type(spec["readonly"]) is not bool:
        raise WireError("malformed array")
    size = math.prod(shape)
    budget.spend(nbytes=size * dtype.itemsize)
    try:
        raw = base64.b64decode(data.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise WireError("array data is not base64") from exc
    if len(raw) != size * dtype.itemsize:
        raise WireError("array data does not match its shape")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))
    if spec["readonly"]:
        array.setflags(write=False)
    return array


def decode(data: Any, _depth: int = 0, _budget: _Budget | None = None) -> Any:
    """Rebuild what :func:`encode` made, trusting nothing in ``data``.

    Raises
    ------
    WireError
        For any other shape of data, or past the depth and size limits.
    """
    budget = _budget or _Budget()
    if _depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    budget.spend(items=1)
    kind = type(data)
    if data is None or kind in (bool, int, float, str):
        if kind is int and abs(data) > 2**63:
            raise WireError("integer out of range")
        return data
    if kind is list:
        return [decode(v, _depth + 1, budget) for v in data]
    if kind is not dict or len(data) != 1:
        raise WireError(f"unexpected {kind.__name__}")
    ((tag, body),) = data.items()
    if tag == "$float":
        return _number(data)
    if tag == "$complex" and type(body) is list and len(body) == 2:
        return complex(_number(body[0]), _number(body[1]))
    if tag == "$tuple" and type(body) is list:
        return tuple(decode(v, _depth + 1, budget) for v in body)
    if tag == "$ellipsis":
        return ...
    if tag == "$rng" and type(body) is int and 0 <= body < 2**63:
        return Rng(body)
    if tag == "$ref" and type(body) is str and len(body) < 200:
        try:
            return Ref(body)
        except ValueError as exc:
            raise WireError(str(exc)) from exc
    if tag == "$dict" and type(body) is list:
        out = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                raise WireError("malformed dict")
            out[pair[0]] = decode(pair[1], _depth + 1, budget)
        return out
    if tag == "$array":
        return _array(body, budget)
    raise WireError(f"unknown tag {str(tag)[:20]!r}")


def dumps(value: Any) -> str:
    """``encode`` then strict JSON (no NaN literals)."""
    return json.dumps(encode(value), allow_nan=False, separators=(",", ":"))


def _no_constants(name: str):
    raise WireError(f"JSON constant {name} is not allowed")


def parse_json(text: str | bytes) -> Any:
    """Strict JSON: no NaN/Infinity literals, at most ``2 * MAX_BYTES`` characters.

    Raises
    ------
    WireError
        For anything else (too large, too deep, not JSON).
    """
    if len(text) > MAX_BYTES * 2:
        raise WireError("reply too large")
    try:
        return json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not JSON: {str(exc)[:80]}") from exc


def loads(text: str | bytes) -> Any:
    """:func:`parse_json`, then :func:`decode`."""
    return decode(parse_json(text))
