"""The repository keeps its promises: README's commands, CI, pins, lint."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from install_cell import requirement, setup_cell, with_install_line  # tools/ is on sys.path

from repo import BOOK, ROOT, chapter_paths, read_notebook, readme_command


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.startswith("python3 ")]
    assert commands == [readme_command("test-command")]


def test_readme_build_command_builds_the_book_with_warnings_as_errors():
    cmd = readme_command("build-command")
    assert "pip install -r requirements.txt" in cmd and "jupyter-book build book" in cmd
    assert " -W" in cmd


def test_every_requirement_is_pinned_and_coursenn_is_editable():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    ]
    lines = [line for line in lines if line]
    assert lines[-1] == "-e ."
    unpinned = [line for line in lines[:-1] if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==\S+", line)]
    assert not unpinned, f"unpinned requirements: {unpinned}"
    assert "jupyter-book==1.0.4.post1" in lines


def test_book_config_keeps_the_site_self_contained():
    config = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "off"
    assert "language" not in config, "language belongs under sphinx: config:"
    assert config["sphinx"]["config"]["language"] == "zh_CN"
    assert config["repository"]["path_to_book"] == ""
    assert not (BOOK / "_static").exists(), "Jupyter Book 1 injects every file in _static"


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_chapter_installs_coursenn_from_the_book_repository_when_missing(path):
    """On Colab only the notebook is opened: its first code cell installs the package from
    the one repository setting, book/_config.yml's ``repository:`` (tools/install_cell.py)."""
    source = setup_cell(read_notebook(path)).source
    assert 'find_spec("coursenn") is None' in source
    assert source == with_install_line(source), (
        f"{path.name}: the install line disagrees with book/_config.yml's repository: "
        "run tools/execute_notebooks.py"
    )
    assert f'"{requirement()}"' in source


def test_a_fork_changes_one_setting_and_every_install_line_follows(tmp_path):
    config = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
    config["repository"].update(url="https://github.com/someone/nn-course/", branch="spring")
    fork = tmp_path / "_config.yml"
    fork.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    source = setup_cell(read_notebook(chapter_paths()[0])).source
    rewritten = with_install_line(source, fork)
    assert rewritten.count("%pip install") == 1
    assert '"coursenn[widgets] @ git+https://github.com/someone/nn-course@spring"' in rewritten
    assert rewritten.replace(requirement(fork), requirement()) == source
    with pytest.raises(ValueError, match="exactly one"):
        with_install_line("import numpy as np\n", fork)


def test_code_is_lint_clean():
    """The package, its tools and the chapter notebooks' code cells pass the same ruff rules."""
    linted = ["src", "tests", "tools", "bench", "book/_ext", "chapters"]
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *linted],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_python_code_is_formatted():
    """ruff format's style, so a change's diff shows what changed. The notebooks are not
    formatted: their cells keep the hand-aligned layout the page shows."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--check",
            "src",
            "tests",
            "tools",
            "bench",
            "book/_ext",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_version_lives_in_pyproject_only():
    import tomllib

    import coursenn

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert coursenn.__version__ == project["version"]
    copies = [
        path
        for path in (ROOT / "src").rglob("*.py")
        if f'"{project["version"]}"' in path.read_text(encoding="utf-8")
    ]
    assert copies == []


def test_binder_builds_from_the_repository_as_it_stands():
    """mybinder.org (repo2docker) reads runtime.txt and requirements.txt at the root; it
    copies the repository before installing when requirements.txt refers to it (``-e .``)."""
    import tomllib

    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert runtime == "python-" + project["requires-python"].removeprefix(">=")
    assert not (ROOT / "binder").exists(), "a binder/ folder would hide the root's files"
    assert not (ROOT / "environment.yml").exists(), "environment.yml would replace requirements.txt"
    local = [
        line
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith(("-", "."))
    ]
    assert local == ["-e ."]
