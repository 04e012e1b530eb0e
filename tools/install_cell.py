"""The install line of every chapter, written from the book's one repository setting.

A chapter opened where ``coursenn`` is not installed yet (Colab, Binder, a fresh Jupyter)
installs it in its first code cell::

    if importlib.util.find_spec("coursenn") is None:
        %pip install --quiet "coursenn[widgets] @ git+https://github.com/OWNER/REPO@BRANCH"

``OWNER/REPO`` and ``BRANCH`` come from ``repository.url`` and ``repository.branch`` in
``book/_config.yml``, the setting the launch buttons (Colab, Binder) already read. An
instructor who publishes the book from a fork changes that setting and nothing else: the
canonical execute command (``tools/execute_notebooks.py``) writes this line into every
chapter before running it, and ``tests/test_repo.py`` fails when a chapter disagrees.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "book" / "_config.yml"
# the whole line: indentation, the magic, then one double-quoted requirement
INSTALL_LINE = re.compile(r'^(?P<indent>[ \t]*)%pip install --quiet "[^"\n]*"[ \t]*$', re.M)


def requirement(config: Path = CONFIG) -> str:
    """The pip requirement for the package at ``repository.url`` / ``repository.branch``."""
    repository = yaml.safe_load(config.read_text(encoding="utf-8"))["repository"]
    url = str(repository["url"]).rstrip("/")
    if not url.startswith("https://"):
        raise ValueError(f"{config}: repository.url: expected an https:// URL, got {url!r}")
    branch = str(repository.get("branch") or "main")
    return f"coursenn[widgets] @ git+{url}@{branch}"


def with_install_line(source: str, config: Path = CONFIG) -> str:
    """``source`` (a chapter's set-up cell) with its one install line written from ``config``."""
    found = INSTALL_LINE.findall(source)
    if len(found) != 1:
        raise ValueError(
            f"set-up cell: expected exactly one '%pip install --quiet \"...\"' line, "
            f"found {len(found)}"
        )
    line = f'%pip install --quiet "{requirement(config)}"'
    return INSTALL_LINE.sub(lambda m: m["indent"] + line, source)


def setup_cell(nb) -> dict:
    """The chapter's set-up cell: its first code cell."""
    return next(cell for cell in nb.cells if cell.cell_type == "code")
