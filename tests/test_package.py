"""The package outside this repository: what ``python -m build`` makes, and a student's path.

The wheel and sdist are built as ``tools/student_path.py`` builds them; ``twine check``
must accept both; the wheel holds the code, the digits and their credit, and asks for
numpy and matplotlib only. Then the student's path on chapter 1 (the script runs every
chapter): a new venv with nothing but the wheel and ipykernel, Run All of the student
notebook (every check ❌, nothing raises but answer stubs) and of the full chapter (every
check ✅).
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tomllib
import zipfile

import pytest
from student_path import build_dists  # tools/ is on sys.path (tests/conftest.py)

from coursenn.instructor.cells import read_chapter

from repo import ROOT, chapter_paths


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    return build_dists(tmp_path_factory.mktemp("dist"))


def test_twine_accepts_the_wheel_and_the_sdist(dists):
    proc = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dists)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2


def test_the_wheel_holds_the_library_and_its_data_and_asks_for_two_dependencies(dists):
    wheel, _ = dists
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert wheel.name == f"coursenn-{project['version']}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        info = f"coursenn-{project['version']}.dist-info"
        metadata = zf.read(f"{info}/METADATA").decode()
        digits = zf.read("coursenn/_data/digits.csv.gz")
    assert {"coursenn/__init__.py", "coursenn/_data/DIGITS-CREDIT.txt"} <= names
    assert digits == (ROOT / "src/coursenn/_data/digits.csv.gz").read_bytes()
    assert f"{info}/licenses/LICENSE" in names
    assert not [n for n in names if n.startswith(("tests/", "chapters/", "book/"))]
    requires = [
        line.split(": ", 1)[1]
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist: ")
    ]
    assert [r for r in requires if "extra ==" not in r] == ["numpy>=1.26", "matplotlib>=3.8"]
    assert f"Version: {project['version']}" in metadata
    assert "Provides-Extra: widgets" in metadata and "Provides-Extra: instructor" in metadata


def test_the_sdist_rebuilds_the_package(dists):
    _, sdist = dists
    with tarfile.open(sdist) as tf:
        names = {name.split("/", 1)[1] for name in tf.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "LICENSE", "src/coursenn/_data/digits.csv.gz"} <= names


def test_a_student_runs_chapter_1_from_the_wheel_alone(dists):
    path = chapter_paths()[0]
    n_checks = len(read_chapter(path)[1])
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "student_path.py"), "01", "--wheel", str(dists[0])],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    venv = next(line for line in lines if line.startswith("venv: "))
    assert "coursenn==" in venv and "ipykernel==" in venv
    assert not [
        name for name in ("scikit-learn", "scipy", "ipywidgets", "nbformat") if name in venv
    ]
    for version in ("student", "full"):
        assert any(
            line.startswith(f"{path.stem} ({version}): {n_checks} checks,")
            and line.endswith(", ok")
            for line in lines
        ), proc.stdout
