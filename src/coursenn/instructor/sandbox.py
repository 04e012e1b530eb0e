"""Run code cells in a fresh, sandboxed Jupyter kernel (for :mod:`coursenn.instructor.grade`).

The kernel runs a student's code, so it is treated as hostile. On Linux with bubblewrap
(``bwrap``, Debian/Ubuntu package ``bubblewrap``) each notebook gets a kernel that

- lives in new user, PID, network, IPC, UTS and mount namespaces: no network at all (not
  even the host's loopback), its own ``/proc`` (no view of the grader or of other kernels);
- sees the system (``/usr``), the Python installation and the ``coursenn`` package read-only,
  a private writable folder holding only a copy of its own submission, a private ``/tmp``
  (of bounded size) and ``$HOME`` -- nothing else of the grader's files (no ``--source``
  chapters, no classmates);
- sees the exercise registry ``coursenn.exercises`` replaced by a stub (:func:`grading_view`):
  no reference implementation or expected value of any exercise is inside the sandbox;
- runs under limits: address space, CPU time, file size, open files per process, and for the
  whole notebook a process count and a memory limit (``pids`` and ``memory`` cgroups where
  the grader may create them, usually as root; else ``RLIMIT_NPROC`` and only the limits per
  process);
- talks to the grader only over Unix sockets in its private folder (Jupyter's ``ipc``
  transport), with an environment of a few plain variables (no ``JPY_PARENT_PID``);
- cannot outlive the run: ``--die-with-parent`` and the end of its PID namespace kill every
  process it started (``setsid`` daemons included), and the cgroup is emptied and removed.

Without bubblewrap, :func:`run_cells` refuses (``SandboxUnavailable``) unless the caller
passes ``sandbox=None`` -- the grader's ``--no-sandbox``, which warns on every run.

In every mode: one time limit for the whole notebook, a cap on the size of everything it
outputs, a dead kernel (``os._exit``, a segfault, out of memory) ending the run and not the
grader, and the kernel's own stdin/stdout/stderr sent to ``/dev/null``.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import DEVNULL
from time import monotonic

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from .limits import Cgroups, Limits, limits_command

__all__ = [
    "Limits", "Run", "SandboxUnavailable", "bwrap_path", "grading_view", "kernel_env", "run_cells",
]  # fmt: skip

INSTALL_HINT = (
    "coursenn grade runs submissions inside bubblewrap (bwrap): install it with "
    "'sudo apt-get install bubblewrap' (Debian/Ubuntu) or 'sudo dnf install bubblewrap' "
    "(Fedora); on macOS or Windows, grade inside a Linux container (see the instructor guide). "
    "--no-sandbox runs submissions unsandboxed, as your own user: only for notebooks you trust."
)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing, or cannot create its namespaces on this machine."""


@dataclass
class Run:
    """What happened: the executed notebook, and why the run stopped early (``None``: it did not).

    ``stopped_at`` is the index of the cell that was running when the run stopped.
    """

    nb: nbformat.NotebookNode
    stop: str | None = None
    stopped_at: int | None = None
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (cell, ename, evalue)


def kernel_env(home: str | None = None) -> dict[str, str]:
    """A kernel's whole environment: a few plain variables and deterministic settings.

    Nothing of the grader's own environment passes but the locale and the thread counts
    (no tokens, passwords or paths it may hold).
    """
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        "HOME": home or tempfile.gettempdir(),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "PYTHONHASHSEED": "0",
        "PYTHONNOUSERSITE": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "COURSENN_STATIC_WIDGETS": "1",  # no live sliders while grading (coursenn.widgets.live)
    }
    for threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[threads] = os.environ.get(threads, "1")
    return env


def bwrap_path() -> str | None:
    """The ``bwrap`` executable, or None."""
    return shutil.which("bwrap")


def _read_only_roots() -> list[str]:
    """What a kernel must read: the Python installation(s) and the coursenn package."""
    import coursenn

    roots = {sys.prefix, sys.base_prefix, str(Path(coursenn.__file__).resolve().parents[1])}
    roots.add(str(Path(sys.executable).resolve().parent.parent))
    ordered = sorted(roots, key=len)
    return [r for i, r in enumerate(ordered) if not any(r.startswith(p + "/") for p in ordered[:i])]


_STUB_INIT = '''"""No exercise registry in a grading sandbox: the grader judges the answers.

``check`` only says so; ``_probe`` (how a function answer is called) and ``_timelimit`` (the
time limit on each call) are all the grading cells use. See coursenn.instructor.sandbox.
"""


def check(label, answer, *, cases=None):
    print(f"{label}: graded by the instructor's grader, not in this notebook")
'''
_VIEW: list[Path] = []


def grading_view() -> Path:
    """A folder to mount over ``coursenn/exercises`` in the sandbox (made once per process).

    It holds a stub ``check`` and the modules the grading cells call answers with, and
    nothing of the registry: a submission cannot call an exercise's reference solution.
    """
    if not _VIEW:
        import atexit

        from ..exercises import _probe, _timelimit

        folder = Path(tempfile.mkdtemp(prefix="coursenn-view-"))
        (folder / "__init__.py").write_text(_STUB_INIT, encoding="utf-8")
        for module in (_probe, _timelimit):  # _probe imports _timelimit
            shutil.copyfile(module.__file__, folder / Path(module.__file__).name)
        folder.chmod(0o755)
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _VIEW.append(folder)
    return _VIEW[0]


def _bwrap_command(bwrap: str, run_dir: Path, env: dict[str, str], limits: Limits) -> list[str]:
    cmd = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    cmd += ["--uid", "65534", "--gid", "65534", "--hostname", "sandbox"]
    cmd += ["--ro-bind", "/usr", "/usr"]
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/", top)
        if path.is_symlink():
            cmd += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            cmd += ["--ro-bind", str(path), str(path)]
    for etc in ("/etc/ld.so.cache", "/etc/fonts", "/etc/localtime", "/etc/alternatives"):
        if os.path.exists(etc):
            cmd += ["--ro-bind", etc, etc]
    for root in _read_only_roots():
        cmd += ["--ro-bind", root, root]
    from .. import exercises

    cmd += ["--ro-bind", str(grading_view()), str(Path(exercises.__file__).parent)]
    cmd += ["--proc", "/proc", "--dev", "/dev"]
    cmd += ["--size", str(limits.tmp_mb * 2**20), "--tmpfs", "/tmp", "--dir", env["HOME"]]
    cmd += ["--bind", str(run_dir), str(run_dir), "--chdir", str(run_dir / "work")]
    cmd += ["--clearenv"]
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    return [*cmd, "--"]


class _WrappedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel command is prefixed (cgroup, limits, bwrap)."""

    prefix: list[str] = []

    def format_kernel_cmd(self, extra_arguments=None):
        return [*self.prefix, *super().format_kernel_cmd(extra_arguments)]


def _size(content: dict) -> int:
    size = len(content.get("text", "")) + sum(len(line) for line in content.get("traceback", []))
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value))
    return size


class _CappedClient(NotebookClient):
    """Keeps only error outputs and the outputs of cells in ``keep``; stops past ``max_output``."""

    def __init__(self, nb, km, *, keep: set[int], max_output: int, **kw) -> None:
        super().__init__(nb, km=km, **kw)
        self.keep, self.max_output = keep, max_output
        self.output_size, self.flooded = 0, False

    def output(self, outs, msg, display_id, cell_index):
        self.output_size += _size(msg.get("content", {}))
        if self.output_size > self.max_output:
            if not self.flooded and self.task_poll_for_reply is not None:
                self.task_poll_for_reply.cancel()  # nbclient turns this into DeadKernelError
            self.flooded = True
            return None
        if cell_index in self.keep or msg["msg_type"] == "error":
            return super().output(outs, msg, display_id, cell_index)
        return None


async def run_cells(
    cells: list[tuple[str, list[str]]],
    *,
    keep: set[int],
    time_limit: float,
    max_output: int,
    sandbox: Limits | None,
    files: dict[str, bytes] | None = None,
) -> Run:
    """Execute ``(source, tags)`` cells in order in a new kernel, as Run All would.

    A cell that raises stops the run unless it is tagged ``raises-exception``.

    Parameters
    ----------
    cells : list of (str, list of str)
        Source and tags of each code cell.
    keep : set of int
        Indices of the cells whose outputs are kept (other cells keep error outputs only).
    time_limit : float
        Seconds for the whole run, kernel start-up excluded.
    max_output : int
        Characters of output (all cells together) after which the run stops.
    sandbox : Limits or None
        Run the kernel in bubblewrap under these limits; ``None``: unsandboxed.
    files : dict of str to bytes, optional
        Files to place in the kernel's working folder (the submission's copy).

    Raises
    ------
    SandboxUnavailable
        If ``sandbox`` is given and bubblewrap is not installed.
    """
    bwrap = bwrap_path()
    if sandbox is not None and bwrap is None:
        raise SandboxUnavailable(INSTALL_HINT)
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(src, metadata={"tags": tags}) for src, tags in cells]
    )
    run = Run(nb)
    # A short folder name: Unix socket paths are limited to about 108 bytes.
    run_dir = Path(tempfile.mkdtemp(prefix="cg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    cgroup = Cgroups(sandbox) if sandbox is not None else None
    try:
        (run_dir / "work").mkdir()
        for name, data in (files or {}).items():
            (run_dir / "work" / Path(name).name).write_bytes(data)
        km = _WrappedKernelManager(kernel_name="python3")
        if sandbox is not None:
            env = kernel_env(home="/tmp/home")
            km.transport, km.ip = "ipc", str(run_dir / "k")
            km.connection_file = str(run_dir / "kernel.json")
            limits = limits_command(sandbox, time_limit, cgroup.counts_processes)
            km.prefix = [*cgroup.enter(), *limits, *_bwrap_command(bwrap, run_dir, env, sandbox)]
        else:
            env = kernel_env()
            km.connection_file = str(run_dir / "kernel.json")
        client = _CappedClient(
            nb, km, keep=keep, max_output=max_output, record_timing=False,
            interrupt_on_timeout=False, allow_errors=False, shutdown_kernel="immediate",
        )  # fmt: skip
        await _execute(run, client, km, env, run_dir, time_limit, max_output)
    finally:
        if cgroup is not None:
            cgroup.close()
        shutil.rmtree(run_dir, ignore_errors=True)
    return run


async def _execute(run, client, km, env, run_dir, time_limit, max_output) -> None:
    nb = run.nb
    try:
        await km.start_kernel(
            cwd=str(run_dir / "work"), env=env, stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL,
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
        )  # fmt: skip
        await client.async_start_new_kernel_client()
        deadline = monotonic() + time_limit
        for index, cell in enumerate(nb.cells):
            remaining = deadline - monotonic()
            if remaining <= 0:
                run.stop, run.stopped_at = f"time limit of {time_limit:g} s exceeded", index
                break
            client.timeout = max(1, math.ceil(remaining))  # nbclient wants an int
            try:
                await client.async_execute_cell(cell, index, execution_count=index + 1)
            except CellTimeoutError:
                run.stop, run.stopped_at = f"time limit of {time_limit:g} s exceeded", index
                break
            except DeadKernelError:
                run.stopped_at = index
                run.stop = (
                    f"output limit of {max_output:,} characters exceeded"
                    if client.flooded
                    else "the kernel died"
                )
                break
            except CellExecutionError as exc:
                run.stop, run.stopped_at = f"{exc.ename}: {exc.evalue}", index
                break
            finally:
                run.errors += [
                    (index, out.ename, out.evalue)
                    for out in cell.get("outputs", [])
                    if out.output_type == "error"
                ]
    except Exception as exc:  # the kernel could not start, or its channels broke
        if run.stop is None:
            run.stop = f"the kernel failed: {type(exc).__name__}: {exc}"
    finally:
        await _shutdown(km, client)


async def _shutdown(km: AsyncKernelManager, client: NotebookClient) -> None:
    try:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
    except Exception:  # already dead: only its resources are left
        try:
            await km.cleanup_resources()
        except Exception:
            pass
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
