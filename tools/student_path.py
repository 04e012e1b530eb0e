"""A student's path on a fresh machine: the built wheel in a new venv, then Run All.

    python tools/student_path.py                  # every chapter
    python tools/student_path.py 01 05b           # chapters by number (05: 05 and 05b)
    python tools/student_path.py --wheel dist/coursenn-0.1.0-py3-none-any.whl

1. Build the wheel (``python -m build --no-isolation`` from a copy of the sources),
   unless ``--wheel`` names one.
2. Make a new virtual environment holding nothing but that wheel (with its own dependencies)
   and ``ipykernel``, at the versions ``requirements.txt`` pins.
3. For each chapter, in an empty folder and that environment's kernel (nbclient, as Run All):
   - the *student* notebook, as ``coursenn student`` makes it, exercises unanswered: every
     check cell prints ❌ and no ✅, and no cell raises except an answer stub
     (``NotImplementedError`` in a cell tagged ``raises-exception``);
   - the *full* chapter: every check cell prints ✅ and no ❌, and no cell raises.
   No cell may write to stderr in either.

It prints the wheel's size, what the environment installed, one line per notebook with its
time, and every problem; it exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from chapter_files import select_chapters
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from coursenn.instructor.cells import read_chapter, tags
from coursenn.instructor.student import student_notebook

ROOT = Path(__file__).resolve().parents[1]
KERNEL = "coursenn-student-path"
# what a package build reads: the project file, the readme it embeds, the licences, the code
BUILD_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "src")


def build_dists(out: Path) -> tuple[Path, Path]:
    """Build coursenn's wheel and sdist into ``out`` from a copy of the sources (so the tree
    gets no ``build/`` or ``*.egg-info``); returns ``(wheel, sdist)``."""
    source = out / "source"
    source.mkdir(parents=True)
    for name in BUILD_INPUTS:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("coursenn-*.whl")
    (sdist,) = out.glob("coursenn-*.tar.gz")
    return wheel, sdist


def make_venv(path: Path, wheel: Path) -> Path:
    """A new venv with ``wheel`` and ipykernel only; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    python = path / "bin" / "python"
    pins = path / "constraints.txt"
    pins.write_text(
        "".join(
            line + "\n"
            for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if not line.startswith("-e")
        ),
        encoding="utf-8",
    )
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(pins),
            str(wheel),
            "ipykernel",
        ],
        check=True,
    )
    return python


def installed(python: Path) -> list[str]:
    """``name==version`` of every package in the environment of ``python``."""
    out = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(out.split(), key=str.lower)


def kernel_manager(python: Path, kernels: Path) -> KernelManager:
    """A kernel manager for a kernel running ``python`` (its spec kept in ``kernels``)."""
    spec = kernels / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "coursenn student path",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    specs = KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)
    return KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


@dataclass
class Run:
    """What one Run All of one notebook showed."""

    name: str
    seconds: float
    checks: list[str] = field(default_factory=list)  # each check cell's printed text
    problems: list[str] = field(default_factory=list)

    def expect_checks(self, count: int, expected: str, unexpected: str) -> None:
        """Note a problem unless ``count`` check cells ran and each printed ``expected`` and
        no ``unexpected``."""
        if len(self.checks) != count:
            self.problems.append(f"{self.name}: {len(self.checks)} check cells ran, not {count}")
        self.problems += [
            f"{self.name}: check {k}: expected {expected} and no {unexpected}, "
            f"got {text.strip()[:200]!r}"
            for k, text in enumerate(self.checks)
            if expected not in text or unexpected in text
        ]


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


def run_all(nb, name: str, python: Path, workdir: Path, is_check, may_raise) -> Run:
    """Run ``nb`` top to bottom in ``python``'s kernel, in ``workdir``, continuing past errors.

    ``is_check(cell)`` picks the check cells; ``may_raise(cell, error)`` says whether a
    cell's error is expected."""
    workdir.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(
        nb,
        km=kernel_manager(python, workdir.parent / "kernels"),
        timeout=900,
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(workdir)}},
    )
    start = time.perf_counter()
    client.execute()
    run = Run(name, time.perf_counter() - start)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stderr":
                run.problems.append(f"{name}: cell {i} wrote to stderr: {out.text[:200]!r}")
            if out.output_type == "error" and not may_raise(cell, out):
                run.problems.append(f"{name}: cell {i} raised {out.ename}: {out.evalue[:200]}")
        if is_check(cell):
            run.checks.append(_text(cell))
    return run


def run_chapter(path: Path, python: Path, work: Path) -> tuple[Run, Run]:
    """Run the student version of ``path``, then the full chapter; both judged."""
    chapter, exercises = read_chapter(path)
    student = student_notebook(chapter, exercises, path)

    def is_student_check(cell) -> bool:
        return cell.metadata.get("coursenn", {}).get("role") == "autocheck"

    def is_stub(cell, error) -> bool:
        return "raises-exception" in tags(cell) and error.ename == "NotImplementedError"

    first = run_all(
        student, f"{path.stem} (student)", python, work / "student", is_student_check, is_stub
    )
    first.expect_checks(len(exercises), "❌", "✅")
    second = run_all(
        nbformat.read(path, as_version=4),
        f"{path.stem} (full)",
        python,
        work / "full",
        lambda cell: "autocheck" in tags(cell),
        lambda cell, error: False,
    )
    second.expect_checks(len(exercises), "✅", "❌")
    return first, second


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "chapters", nargs="*", help="chapters by number or name (01 … 10, 05b); default all"
    )
    parser.add_argument("--wheel", type=Path, help="a built coursenn wheel (default: build one)")
    args = parser.parse_args(argv)
    paths = select_chapters(args.chapters)
    # the kernel is the student's: no course environment leaks in from the caller
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "COURSENN_STATIC_WIDGETS", "MPLBACKEND"):
        os.environ.pop(name, None)
    with tempfile.TemporaryDirectory(prefix="coursenn-student-path-") as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        wheel = args.wheel.resolve() if args.wheel else build_dists(tmp / "dist")[0]
        python = make_venv(tmp / "venv", wheel)
        packages = installed(python)
        print(f"wheel: {wheel.name}, {wheel.stat().st_size / 1024:.0f} kB")
        print(f"venv: {len(packages)} packages: {' '.join(packages)}")
        print(f"set-up (build, venv, install): {time.perf_counter() - start:.0f} s")
        problems: list[str] = []
        for path in paths:
            for run in run_chapter(path, python, tmp / "run" / path.stem):
                mark = "ok" if not run.problems else f"{len(run.problems)} problem(s)"
                print(
                    f"{run.name}: {len(run.checks)} checks, {run.seconds:.0f} s, {mark}", flush=True
                )
                problems += run.problems
        print(f"total: {time.perf_counter() - start:.0f} s")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
