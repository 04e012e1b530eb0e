"""What a submission's source says, read with ``ast`` in the grader (the code never runs here).

- :func:`answer_code`: the :class:`~coursenn.exercises._requirements.Code` of an answer --
  the names used by the function (or value) the autocheck cell hands in and by the notebook's
  own helper functions it calls, and the ``coursenn`` objects those names resolve to through
  the notebook's imports. Requirements such as "only numpy" or "do not call ``elu``" are
  judged on it, where the student's kernel cannot interfere.
- :func:`suspicious`: lines that reach for the grading machinery (tracing, import hooks,
  IPython hooks, other processes' ``/proc``); reported in the gradebook, never scored.
"""

from __future__ import annotations

import ast
import re

from ..exercises._requirements import DYNAMIC_ATTRIBUTES, DYNAMIC_NAMES, Code

__all__ = ["parse_cell", "answer_code", "suspicious"]


def parse_cell(source: str) -> ast.Module | None:
    """The cell as a module (IPython syntax such as ``%magic`` translated), or None."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except Exception:  # IPython missing, or a transformer failed: parse what is there
        pass
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _aliases(trees: list[ast.Module]) -> dict[str, str]:
    """Local name -> dotted path, from every import in the notebook (any depth)."""
    found: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        found[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        found[root] = root
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name != "*":
                        found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _definitions(trees: list[ast.Module]) -> dict[str, list[ast.AST]]:
    """Top-level name -> the nodes that define it (functions, classes, assignments)."""
    found: dict[str, list[ast.AST]] = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.setdefault(node.name, []).append(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            found.setdefault(name.id, []).append(node)
    return found


def _chain(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None if the root is not a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def answer_code(sources: list[str], expression: str) -> Code:
    """The :class:`Code` of the answer ``expression`` (e.g. ``"forward"``) in ``sources``.

    Starting from the expression, every notebook-level function, class or assignment whose
    name it uses is read too, and so on (the student's helper functions count as the
    answer's code). Unparsable cells are skipped.
    """
    trees = [t for t in map(parse_cell, sources) if t is not None]
    aliases = _aliases(trees)
    definitions = _definitions(trees)
    start = parse_cell(expression)
    todo: list[ast.AST] = [start] if start is not None else []
    seen: set[str] = set()
    names: set[str] = set()
    refs: set[str] = set()
    dynamic: set[str] = set()
    while todo:
        for node in ast.walk(todo.pop()):
            if isinstance(node, ast.Name) and node.id in DYNAMIC_NAMES:
                dynamic.add(node.id)
            elif isinstance(node, ast.Attribute) and node.attr in DYNAMIC_ATTRIBUTES:
                dynamic.add(node.attr)
            if isinstance(node, ast.Name):
                names.add(node.id)
                if node.id in definitions and node.id not in seen:
                    seen.add(node.id)
                    todo += definitions[node.id]
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            if isinstance(node, (ast.Name, ast.Attribute)):
                chain = _chain(node)
                if chain and chain[0] in aliases:
                    refs.add(".".join([aliases[chain[0]], *chain[1:]]))
    refs = {r for r in refs if r == "coursenn" or r.startswith("coursenn.")}
    return Code(frozenset(names), frozenset(refs), frozenset(dynamic))


# What an answer never needs, and a forgery does: (pattern, what it is).
_SUSPICIOUS = [
    (r"\bsys\s*\.\s*(settrace|setprofile|_getframe|addaudithook)\b", "tracing or frames"),
    (r"\bsys\s*\.\s*modules\b", "sys.modules"),
    (r"\binspect\s*\.\s*(stack|currentframe|getouterframes)\b", "stack inspection"),
    (r"\b(input_transformers_\w+|ast_transformers)\b", "IPython input transformers"),
    (r"\bevents\s*\.\s*register\b", "IPython event hooks"),
    (r"\bcoursenn\s*\.\s*instructor\b|\b_coursenn\w*", "the grader's own modules"),
    (r"/proc/", "other processes' /proc"),
    (r"\bspec_from_file_location\b|\bmeta_path\b|\bpath_hooks\b", "import machinery"),
    (r"\b(setsid|fork|forkpty|daemon)\s*\(", "background processes"),
]


def suspicious(sources: dict[int, str]) -> list[tuple[int, str]]:
    """``(cell number, what)`` for each cell (number -> source) using grading machinery."""
    found = []
    for number, source in sources.items():
        for pattern, what in _SUSPICIOUS:
            if re.search(pattern, source):
                found.append((number, what))
    return found
