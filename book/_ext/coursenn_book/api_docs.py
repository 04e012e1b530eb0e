"""Docstrings on the API page: a section title inside a docstring becomes a rubric.

A module docstring may use an RST section ("The lecture's momentum forms are the same
updates" underlined with ``-``). Rendered by autodoc, it would become a heading of the
whole API page, beside the module headings. After napoleon has turned the NumPy sections
(Parameters, Returns, ...) into field lists, any title still underlined is rewritten as
``.. rubric::``: bold text inside the module's section, not a page heading.

A bare class name in a ``:type:``/``:rtype:`` field ("root : Value") is looked up in the
documented object's own module and written out in full (``~coursenn.nn.engine.Value``): two
coursenn classes are called ``Value`` (the autograd scalar and the exercise kind), and a
bare name would be ambiguous on a page that documents both.
"""

from __future__ import annotations

import inspect
import re
import sys

_UNDERLINE = re.compile(r"^\s*([-=~^\"'`#*+])\1{2,}\s*$")


def titles_to_rubrics(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (
            line.strip()
            and _UNDERLINE.match(nxt)
            and len(nxt.strip()) >= len(line.strip())
            and not _UNDERLINE.match(line)
        ):
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}.. rubric:: {line.strip()}", ""]
            i += 2
            continue
        out.append(line)
        i += 1
    return out


_TYPE_FIELD = re.compile(r"^(\s*:(?:type [^:]+|rtype):\s*)(.*)$")
_WORD = re.compile(r"(?<![\w.~`])([A-Z]\w*)(?![\w.`])")


def _namespace(obj) -> dict:
    module = inspect.getmodule(obj)
    if module is None and hasattr(obj, "__module__"):
        module = sys.modules.get(obj.__module__)
    return vars(module) if module is not None else {}


def qualify_types(lines: list[str], namespace: dict) -> list[str]:
    """Write coursenn classes named bare in type fields as ``~module.Class``."""

    def full(match: re.Match) -> str:
        target = namespace.get(match.group(1))
        module = getattr(target, "__module__", "") or ""
        if inspect.isclass(target) and module.split(".")[0] == "coursenn":
            return f"~{module}.{target.__qualname__}"
        return match.group(1)

    out = []
    for line in lines:
        m = _TYPE_FIELD.match(line)
        out.append(m.group(1) + _WORD.sub(full, m.group(2)) if m else line)
    return out


def _process(app, what, name, obj, options, lines: list[str]) -> None:
    lines[:] = qualify_types(titles_to_rubrics(lines), _namespace(obj))


def setup(app) -> None:
    app.connect("autodoc-process-docstring", _process, priority=900)
