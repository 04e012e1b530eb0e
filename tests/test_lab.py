"""The live path: a chapter in a real JupyterLab, driven by headless Chromium (issue 22).

A student opens a chapter with ``.venv/bin/jupyter lab chapters/``, runs all cells and drags a
live ipywidgets slider; the plot must redraw. This test does exactly that with chapter 2's
activation explorer: it starts JupyterLab on 127.0.0.1 (a copy of the chapter in a temporary
folder, every JupyterLab folder there too, nothing asked of the network), runs all cells, drags
the ``x_max`` slider and checks that the picture and the slider's readout changed, that no
cell wrote to stderr or raised, and that the page logged no error.

The canonical execute command sets ``COURSENN_STATIC_WIDGETS=1`` (sliders become a printed
line); this test runs the chapter without it, as a student does.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from pagewatch import OfflinePage
from repo import ROOT, read_notebook

pytestmark = [pytest.mark.browser]

CHAPTER = ROOT / "chapters" / "02_activations.ipynb"
LIVE_CELL_SOURCE = "widgets.live(draw_activation"  # the chapter's live explorer
SLIDER = "x_max"  # its range slider that changes the picture
STDERR_MIME = "application/vnd.jupyter.stderr"

# JupyterLab options that keep it off the network and out of the user's folders:
# no news feed, no update check, no PyPI look-ups by the extension manager.
OFFLINE_OPTIONS = [
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
]
# ... and the front-end plugins that would ask the user about those checks.
DISABLED_PLUGINS = {
    "@jupyterlab/apputils-extension:announcements": True,
    "@jupyterlab/extensionmanager-extension": True,
}
SERVER_START_TIMEOUT_S = 90
RUN_ALL_TIMEOUT_MS = 120_000
REDRAW_TIMEOUT_MS = 30_000


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sha256_text(text: str) -> str:
    """A short digest, so that a failing comparison of two PNG data URLs stays readable."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Lab:
    """A running JupyterLab: its base URL, token, notebook folder and log file."""

    url: str
    token: str
    root: Path
    runtime: Path
    log: Path

    def log_tail(self, n: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-n:]


def _lab_environment(home: Path) -> dict[str, str]:
    """This process's environment with every Jupyter/IPython folder under ``home``.

    Creates those folders and the lab config that disables ``DISABLED_PLUGINS``.
    ``COURSENN_STATIC_WIDGETS`` is removed: with it the live sliders are only a printed line.
    """
    env = dict(os.environ)
    env.pop("COURSENN_STATIC_WIDGETS", None)
    folders = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "IPYTHONDIR": home / "ipython",
    }
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    # the front-end plugins above, disabled the way `jupyter labextension disable` does it
    labconfig = folders["JUPYTER_CONFIG_DIR"] / "labconfig"
    labconfig.mkdir()
    (labconfig / "page_config.json").write_text(
        json.dumps({"disabledExtensions": DISABLED_PLUGINS}), encoding="utf-8"
    )
    return env


def _wait_until_answering(proc: subprocess.Popen, lab: Lab) -> None:
    """Poll ``/api/status`` until the server answers 200; fail with its log otherwise."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    status_url = f"{lab.url}/api/status"
    request = urllib.request.Request(status_url, headers={"Authorization": f"token {lab.token}"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{lab.log_tail()}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"jupyter lab did not answer within {SERVER_START_TIMEOUT_S} s:\n{lab.log_tail()}")


def _stop(proc: subprocess.Popen, lab: Lab) -> None:
    """Shut the server down through its API (it stops its kernels first), else end it."""
    request = urllib.request.Request(
        f"{lab.url}/api/shutdown",
        method="POST",
        headers={"Authorization": f"token {lab.token}"},
    )
    try:
        urllib.request.urlopen(request, timeout=5).close()
        proc.wait(timeout=20)
    except (urllib.error.URLError, ConnectionError, TimeoutError, subprocess.TimeoutExpired):
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _kernel_pids(runtime: Path) -> list[int]:
    """Process ids of the kernels whose connection file is in ``runtime`` (this server's).

    A kernel runs as ``python -m ipykernel_launcher -f <runtime>/kernel-<id>.json`` in a
    session of its own, so it is found by that folder in its command line (Linux ``/proc``).
    """
    marker = str(runtime).encode()
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker in cmdline.read_bytes():
                pids.append(int(cmdline.parent.name))
        except OSError:  # the process ended meanwhile
            continue
    return sorted(pids)


def _end_kernels(runtime: Path, grace_s: float = 10) -> list[int]:
    """Wait up to ``grace_s`` for this server's kernels to exit; end the rest by their ids.

    Returns the ids of the kernels that had to be ended (none, after a clean shutdown).
    """
    deadline = time.monotonic() + grace_s
    while _kernel_pids(runtime) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _kernel_pids(runtime)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on 127.0.0.1 (a free port, a random token) serving a copy of chapter 2.

    Every folder JupyterLab or IPython writes to is under ``tmp_path``; ``chapters/`` is
    never served, and the test checks it is left unchanged.
    """
    root = tmp_path / "chapters"
    root.mkdir()
    shutil.copy2(CHAPTER, root / CHAPTER.name)
    home = tmp_path / "jupyter"
    token = secrets.token_hex(24)
    port = _free_port()
    lab = Lab(
        url=f"http://127.0.0.1:{port}",
        token=token,
        root=root,
        runtime=home / "runtime",
        log=tmp_path / "lab.log",
    )
    cmd = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        *OFFLINE_OPTIONS,
        *(["--allow-root"] if os.geteuid() == 0 else []),  # CI runs as root
    ]  # fmt: skip
    with lab.log.open("wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=root,
            env=_lab_environment(home),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C meant for pytest does not reach it
        )
    try:
        _wait_until_answering(proc, lab)
        yield lab
    finally:
        _stop(proc, lab)
        outlived = _end_kernels(lab.runtime)
    assert not outlived, f"kernels {outlived} outlived the server's shutdown (now ended)"


# The notebook panel as JupyterLab's own objects see it (window.jupyterapp is exposed).
NOTEBOOK_JS = "() => window.jupyterapp.shell.currentWidget"
KERNEL_READY_JS = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return Boolean(kernel && kernel.status === 'idle' && panel.content.widgets.length);
}"""
ALL_RUN_JS = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session.kernel;
    const code = panel.content.widgets.filter(c => c.model.type === 'code');
    return kernel.status === 'idle' && code.length > 0
        && code.every(c => typeof c.model.executionCount === 'number');
}"""
# Every output of every cell (from the model: the notebook renders only cells in view).
BAD_OUTPUTS_JS = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const bad = [];
    panel.content.widgets.forEach((cell, i) => {
        if (cell.model.type !== 'code') return;
        for (const out of cell.model.outputs.toJSON()) {
            if (out.output_type === 'error') bad.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
            if (out.output_type === 'stream' && out.name === 'stderr') {
                bad.push(`cell ${i} stderr: ${[].concat(out.text).join('')}`);
            }
        }
    });
    return bad;
}"""
LIVE_CELL_INDEX_JS = """(source) => {
    const panel = window.jupyterapp.shell.currentWidget;
    return panel.content.widgets.findIndex(
        c => c.model.type === 'code' && c.model.sharedModel.getSource().includes(source));
}"""
SCROLL_TO_CELL_JS = """async (index) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    notebook.activeCellIndex = index;
    await notebook.scrollToItem(index, 'start');
}"""


ACTIVE_PLUGINS_JS = """(ids) => window.jupyterapp.listPlugins().filter(
    id => window.jupyterapp.isPluginActivated(id)
        && ids.some(off => id === off || id.startsWith(off + ':')))"""


def _open_and_run_all(page, lab: Lab) -> None:
    """Open the chapter, wait for its kernel, run all cells and wait until every one has run."""
    page.goto(f"{lab.url}/lab/tree/{CHAPTER.name}?token={lab.token}", wait_until="load")
    page.wait_for_function(KERNEL_READY_JS, timeout=60_000)
    assert page.evaluate(NOTEBOOK_JS + ".context.path") == CHAPTER.name
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(ALL_RUN_JS, timeout=RUN_ALL_TIMEOUT_MS, polling=500)
    shown = page.evaluate(
        NOTEBOOK_JS + ".content.widgets.filter(c => c.model.type === 'code').length"
    )
    stored = sum(c.cell_type == "code" for c in read_notebook(CHAPTER).cells)
    assert shown == stored, f"JupyterLab ran {shown} code cells, {CHAPTER.name} has {stored}"


def _drag_handle(page, slider, fraction: float) -> None:
    """Drag the slider's handle with the mouse by ``fraction`` of its track (< 0: left)."""
    handle = slider.locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    track = slider.locator(".noUi-target").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + fraction * track["width"], y, steps=12)
    page.mouse.up()


def test_dragging_a_live_slider_redraws_the_plot_in_jupyterlab(browser, lab, tmp_path):
    chapter_before = _sha256(CHAPTER)
    session = OfflinePage(browser, viewport={"width": 1280, "height": 1000})
    page = session.page
    try:
        _open_and_run_all(page, lab)
        kernels = _kernel_pids(lab.runtime)
        assert len(kernels) == 1, f"one kernel should run the chapter, found {kernels}"
        still_on = page.evaluate(ACTIVE_PLUGINS_JS, list(DISABLED_PLUGINS))
        assert still_on == [], f"plugins meant to be disabled are active: {still_on}"

        # The live cell, scrolled into view (the notebook renders only cells in view).
        index = page.evaluate(LIVE_CELL_INDEX_JS, LIVE_CELL_SOURCE)
        assert index >= 0, f"no cell of {CHAPTER.name} calls {LIVE_CELL_SOURCE}"
        page.evaluate(SCROLL_TO_CELL_JS, index)
        cell = page.locator(f'.jp-Cell[data-windowed-list-index="{index}"]')
        slider = cell.locator(".widget-hslider").filter(has_text=SLIDER)
        slider.wait_for(timeout=REDRAW_TIMEOUT_MS)
        image = cell.locator(".jp-OutputArea-output img")
        image.first.wait_for(timeout=REDRAW_TIMEOUT_MS)
        assert image.count() == 1, f"the live cell should show one plot, shows {image.count()}"
        readout = slider.locator(".widget-readout")
        src_before, readout_before = image.get_attribute("src"), readout.inner_text()
        assert src_before.startswith("data:image/png;base64,"), src_before[:60]

        _drag_handle(page, slider, -0.35)  # towards a smaller x_max
        # Every position the handle passed through asks the kernel for a redraw: wait for
        # the last one (kernel idle and the same picture for a while), not the first.
        _wait_until_settled(page, _css_path(index))
        cell.screenshot(path=tmp_path / "live-cell-after-drag.png")
        page.screenshot(path=tmp_path / "lab-after-drag.png")

        assert image.count() == 1, "the redraw should replace the plot, not add one"
        src_after, readout_after = image.get_attribute("src"), readout.inner_text()
        assert src_after.startswith("data:image/png;base64,"), src_after[:60]
        assert _sha256_text(src_after) != _sha256_text(src_before), (
            "dragging x_max did not change the plot"
        )
        assert float(readout_after) < float(readout_before), (
            f"x_max readout went from {readout_before} to {readout_after}"
        )

        bad = page.evaluate(BAD_OUTPUTS_JS)
        shown_bad = cell.locator(
            f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"], '
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
        )
        assert bad == [], f"cells wrote to stderr or raised: {bad}"
        assert shown_bad.count() == 0, f"the live plot's output: {shown_bad.all_inner_texts()}"
        assert session.errors == [], f"the page logged errors: {session.errors}"
        assert session.foreign == [], f"the page asked other hosts for: {session.foreign}"
        assert session.failed == [], f"the page had failed requests: {session.failed}"
    finally:
        session.close()
    assert _sha256(CHAPTER) == chapter_before, "JupyterLab must not write into chapters/"


SETTLED_JS = """(img) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const el = document.querySelector(img);
    return [kernel.status, el ? el.getAttribute('src') : null];
}"""


def _wait_until_settled(page, img_selector: str, quiet_s: float = 1.5) -> None:
    """Wait until the kernel stayed idle and the plot stayed the same for ``quiet_s``."""
    deadline = time.monotonic() + REDRAW_TIMEOUT_MS / 1000
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = page.evaluate(SETTLED_JS, img_selector)
        if state != last or state[0] != "idle":
            last, since = state, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
        page.wait_for_timeout(200)
    pytest.fail(f"the live plot did not settle within {REDRAW_TIMEOUT_MS / 1000:.0f} s")


def _css_path(index: int) -> str:
    """CSS selector of the plot in the cell at ``index`` (for a wait inside the page)."""
    return f'.jp-Cell[data-windowed-list-index="{index}"] .jp-OutputArea-output img'
