"""Run a list of code cells in a fresh, contained Jupyter kernel (for :mod:`coursenn.grade`).

Containment, all of it best effort and none of it a security boundary:

- a new ``python3`` kernel per notebook, started in a fresh temporary working directory
  that is deleted afterwards;
- a scrubbed environment: only ``PATH``, ``HOME``, locale, temp and Python-path variables
  of the grader's environment reach the kernel (no tokens or passwords it may hold);
- the kernel's own stdin/stdout/stderr go to ``/dev/null`` (a subprocess that writes to
  the terminal floods nothing), its IPython history lives in memory;
- one time limit for the whole notebook: each cell gets what is left of it;
- a cap on the size of everything the notebook outputs; past it the run stops;
- a dead kernel (``os._exit``, a segfault, out of memory) ends the run, not the grader;
- the kernel is killed with SIGKILL to its whole process group when the run ends.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from subprocess import DEVNULL
from time import monotonic

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KEEP_ENV = {
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP",
    "SYSTEMROOT", "PYTHONPATH", "VIRTUAL_ENV", "CONDA_PREFIX", "MPLCONFIGDIR",
    "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
}  # fmt: skip


@dataclass
class Run:
    """What happened: the executed notebook, and why the run stopped early (``None``: it did not).

    ``stopped_at`` is the index of the cell that was running when the run stopped.
    """

    nb: nbformat.NotebookNode
    stop: str | None = None
    stopped_at: int | None = None
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (cell, ename, evalue)


def kernel_env() -> dict[str, str]:
    """The grader's environment reduced to what a kernel needs, plus deterministic settings."""
    env = {k: v for k, v in os.environ.items() if k in KEEP_ENV or k.startswith("LC_")}
    env["PYTHONHASHSEED"] = "0"
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["COURSENN_STATIC_WIDGETS"] = "1"  # no live sliders while grading (coursenn.widgets.live)
    for threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[threads] = os.environ.get(threads, "1")
    return env


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
    cells: list[tuple[str, list[str]]], *, keep: set[int], time_limit: float, max_output: int
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
    """
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(src, metadata={"tags": tags}) for src, tags in cells]
    )
    run = Run(nb)
    with tempfile.TemporaryDirectory(prefix="coursenn-grade-") as cwd:
        km = AsyncKernelManager(kernel_name="python3")
        client = _CappedClient(
            nb, km, keep=keep, max_output=max_output, record_timing=False,
            interrupt_on_timeout=False, allow_errors=False, shutdown_kernel="immediate",
        )  # fmt: skip
        try:
            await km.start_kernel(
                cwd=cwd, env=kernel_env(), stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL,
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
    return run


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
