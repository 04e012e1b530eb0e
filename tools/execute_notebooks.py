"""Re-execute the chapter notebooks in place, in order, deterministically.

This is the only way chapter outputs are regenerated:

    python tools/execute_notebooks.py            # every chapters/*.ipynb, in file order
    python tools/execute_notebooks.py chapters/01_neuron.ipynb
    python tools/execute_notebooks.py --check    # run in memory; fail if outputs would change

Before it runs, the install line of the chapter's set-up cell is written from the book's
repository setting (``tools/install_cell.py``): fork, change ``repository:`` in
``book/_config.yml``, run this, push.

Each notebook runs top to bottom in a fresh ``python3`` kernel of the current environment,
with ``chapters/`` as the working directory, the environment ``NOTEBOOK_ENV`` (hash seed,
one BLAS thread), no timing metadata, and consecutive stream outputs merged.
Widget state and widget views are dropped from the notebook (their model ids are random, and a
stored widget would show dead controls without a kernel: live sliders need a kernel anyway,
the static site uses scrubbers). Running it twice
in a row changes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from chapter_files import every_chapter
from install_cell import setup_cell, with_install_line
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The kernel inherits this environment. One BLAS thread: the chapters' matrices are small
# (threads only add overhead) and sums are then taken in one fixed order.
# COURSENN_STATIC_WIDGETS: live sliders are not built in an unattended run (coursenn.widgets.live).
NOTEBOOK_ENV = {
    "PYTHONHASHSEED": "0",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "COURSENN_STATIC_WIDGETS": "1",
}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _strip_widget_views(nb: nbformat.NotebookNode) -> None:
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "data" in out:
                out["data"].pop(WIDGET_VIEW, None)


def execute(path: Path) -> nbformat.NotebookNode:
    """Run one notebook in a fresh kernel and return it with new outputs."""
    nb = nbformat.read(path, as_version=4)
    cell = setup_cell(nb)
    cell.source = with_install_line(cell.source)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        record_timing=False,
        coalesce_streams=True,  # one print may arrive in several chunks under load
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    _strip_widget_views(nb)
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        help="notebooks to run (default: every chapters/*.ipynb in order)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if any notebook's stored outputs would change",
    )
    args = parser.parse_args(argv)
    os.environ.update(NOTEBOOK_ENV)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    paths = [p.resolve() for p in args.notebooks] or every_chapter()
    changed = []
    for path in paths:
        start = time.perf_counter()
        nb = execute(path)
        new_text = nbformat.writes(nb) + "\n"
        if new_text != path.read_text(encoding="utf-8"):
            changed.append(path)
            if not args.check:
                path.write_text(new_text, encoding="utf-8")
        print(
            f"{path.relative_to(ROOT)}: {time.perf_counter() - start:.1f} s"
            f"{' (changed)' if path in changed else ''}",
            file=sys.stderr,
        )
    if args.check and changed:
        print(
            "outputs would change: " + ", ".join(str(p.relative_to(ROOT)) for p in changed),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
