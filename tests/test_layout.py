"""The package's layout: imports point one way, no cycles, no module over ~400 lines.

Every import statement of every module under ``src/coursenn`` (relative ones, and those inside
functions and ``TYPE_CHECKING`` blocks too) is read with ``ast`` into a graph of modules. The
roles, from the bottom up (a role may import its own and those listed for it, nothing else):

==================  =================================================================
role                may import
==================  =================================================================
``_checks``         nothing of coursenn (validation helpers every role shares)
``nn``              ``_checks``: the network library stands alone
``data, training``  ``nn``, ``_checks``, each other
``pictures``        (``plotting``, ``widgets``) the above
``lab``             the above (the chapters' experiments)
``exercises``       the above and ``lab`` (a chapter's exercise may check with its experiment)
``instructor``      ``exercises``' registry and its private helpers (``exercises._kinds`` ...),
                    the top package (to find its folder): no chapter exercise module
                    (``exercises.chNN``), no ``lab``, no library code
``top``             (``coursenn``, ``coursenn.__main__``) anything
==================  =================================================================
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from repo import ROOT

PACKAGE = ROOT / "src" / "coursenn"
MAX_LINES = 400
# modules allowed over MAX_LINES, each with its reason
LONG_MODULES = {
    "coursenn.exercises.ch08": "one registry per chapter (the registry's convention)",
    "coursenn.exercises._kinds": "the exercise kinds (Value, Choice, Function) and their judging",
}

ROLES = ("_checks", "nn", "core", "pictures", "lab", "exercises", "instructor", "top")
MAY_IMPORT = {
    "_checks": set(),
    "nn": {"_checks"},
    "core": {"_checks", "nn"},
    "pictures": {"_checks", "nn", "core"},
    "lab": {"_checks", "nn", "core", "pictures"},
    "exercises": {"_checks", "nn", "core", "pictures", "lab"},
    "instructor": {"exercises-registry", "top"},
    "top": set(ROLES) | {"exercises-registry"},
}


def role(module: str) -> str:
    """The role of a module name such as ``coursenn.nn.conv.fast``."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "top"
    head = parts[1]
    if head in ("data", "training"):
        return "core"
    if head in ("plotting", "widgets"):
        return "pictures"
    if head in ("_checks", "nn", "lab", "exercises", "instructor"):
        return head
    raise AssertionError(f"{module} has no role in tests/test_layout.py: add it to role()")


def target_role(module: str) -> str:
    """Like :func:`role`, but the registry side of ``exercises`` (everything but chNN) apart."""
    parts = module.split(".")
    if parts[:2] == ["coursenn", "exercises"] and not (len(parts) > 2 and parts[2][:2] == "ch"):
        return "exercises-registry"
    return role(module)


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The coursenn modules that module ``name`` (file ``path``) imports, wherever it does."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:  # `from pkg import submodule` imports the submodule
                sub = f"{source}.{alias.name}"
                found.add(sub if sub in modules else source)
    return {m for m in found if m == "coursenn" or m.startswith("coursenn.")}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    modules = all_modules(package)
    return {name: imports_of(name, path, modules) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def wrong_way(graph: dict[str, set[str]]) -> list[str]:
    """Every import that points from a role to one it may not import."""
    bad = []
    for module, targets in sorted(graph.items()):
        mine = role(module)
        for target in sorted(targets):
            theirs = target_role(target)
            allowed = MAY_IMPORT[mine] | {mine}
            if mine == "exercises":
                allowed |= {"exercises-registry"}
            if theirs not in allowed:
                bad.append(f"{module} ({mine}) imports {target} ({theirs})")
    return bad


def test_every_module_has_a_role_and_the_graph_is_not_empty():
    graph = import_graph()
    assert {role(m) for m in graph} == set(ROLES)
    assert "coursenn.nn.parameter" in graph["coursenn.nn.layers.base"]
    assert "coursenn.nn.activations" in graph["coursenn.nn.layers.activation"]  # from .. import


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph()) == []


def test_imports_point_one_way():
    assert wrong_way(import_graph()) == []


def test_no_module_is_over_400_lines():
    long = {}
    for name, path in all_modules().items():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES and name not in LONG_MODULES:
            long[name] = n
    assert long == {}, f"split these where the concept splits: {long}"
    stale = [m for m in LONG_MODULES if len(all_modules()[m].read_text().splitlines()) <= MAX_LINES]
    assert stale == [], f"no longer long, drop them from LONG_MODULES: {stale}"


# --- the checks themselves can fail: a small package with the bad cases -------------------------


def write_package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "coursenn"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


@pytest.mark.parametrize(
    "files, expected",
    [
        (  # nn reaching up into lab, inside a function
            {
                "__init__.py": "",
                "nn/__init__.py": "",
                "nn/layers.py": "def f():\n    from ..lab import zigzag\n",
                "lab/__init__.py": "",
                "lab/zigzag.py": "from ..nn import layers\n",
            },
            ["coursenn.nn.layers (nn) imports coursenn.lab.zigzag (lab)"],
        ),
        (  # the instructor importing a chapter's exercise module
            {
                "__init__.py": "",
                "exercises/__init__.py": "",
                "exercises/ch01.py": "",
                "instructor/__init__.py": "",
                "instructor/grade.py": "import coursenn.exercises.ch01\n",
            },
            ["coursenn.instructor.grade (instructor) imports coursenn.exercises.ch01 (exercises)"],
        ),
        (  # data importing the pictures (absolute import)
            {
                "__init__.py": "",
                "data.py": "from coursenn.plotting import basic\n",
                "plotting/__init__.py": "",
                "plotting/basic.py": "",
            },
            ["coursenn.data (core) imports coursenn.plotting.basic (pictures)"],
        ),
    ],
)
def test_wrong_way_imports_are_found(tmp_path, files, expected):
    assert wrong_way(import_graph(write_package(tmp_path, files))) == expected


def test_a_cycle_is_found(tmp_path):
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "nn/__init__.py": "",
            "nn/optim.py": "from .schedules import StepLR\n",
            "nn/schedules.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .optim import Optimizer\n",
        },
    )
    assert cycles(import_graph(package)) == [["coursenn.nn.optim", "coursenn.nn.schedules"]]
