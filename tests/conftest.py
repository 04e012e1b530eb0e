"""Shared fixtures: the repository's paths, the chapter notebooks, the built book, a browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

# the repository's tools (chapter_files, execute_notebooks, ...) are importable by the tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from execute_notebooks import NOTEBOOK_ENV  # noqa: E402

from repo import BOOK, ROOT  # noqa: E402

# nbval's kernels inherit this process's environment: run them exactly as the canonical
# execute command ran the notebooks whose outputs they compare against.
os.environ.update(NOTEBOOK_ENV)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Build the book once per session with ``-W`` into a fresh folder; return the html dir.

    The build log is kept beside it as ``build.log`` for tests that read it.
    """
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jupyter_book), "build", str(BOOK), "--path-output", str(out), "-W", "--all"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=900)
    log = proc.stdout + proc.stderr
    (out / "build.log").write_text(log, encoding="utf-8")
    if proc.returncode != 0:
        pytest.fail(f"jupyter-book build -W failed (exit {proc.returncode}):\n{log[-6000:]}")
    return out / "_build" / "html"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Serve the built site on 127.0.0.1 (a free port) for the browser tests."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def find_chromium() -> str | None:
    """Debian's Chromium (or the binary named by COURSENN_CHROMIUM)."""
    explicit = os.environ.get("COURSENN_CHROMIUM")
    if explicit:
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright; skipped with a reason where none is installed.

    In CI (``CI`` set) a missing Chromium is a failure: the browser checks must run there.
    Module-scoped: Playwright's sync API keeps an event loop running while it is open.
    """
    executable = find_chromium()
    if executable is None:
        message = (
            "headless Chromium not found (install Debian's 'chromium' package or set "
            "COURSENN_CHROMIUM): browser checks of the built site were not run"
        )
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests, but " + message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=executable,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()
