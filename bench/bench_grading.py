"""How long `coursenn grade` takes per notebook: sandboxed, unsandboxed, and another checkout.

Grades each published chapter given (default 1, 5 and 10) against itself, one notebook at a
time (``--jobs 1``), several times, and prints the median wall time per notebook::

    .venv/bin/python bench/bench_grading.py                      # this checkout, both modes
    .venv/bin/python bench/bench_grading.py --src /tmp/old/src   # another checkout's grader
    .venv/bin/python bench/bench_grading.py --startup            # kernel start, both modes

``--src`` runs the grader of another checkout (its ``src`` folder first on ``PYTHONPATH``);
a grader without ``--no-sandbox`` (the one before the sandbox) is run in its only mode.
Not a test: these machines are shared and noisy, so read the spread, not one number.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = {1: "01_neuron", 5: "05_backprop", 10: "10_capstone_digits"}


def grade_once(chapter: Path, src: Path, sandbox: bool | None) -> float:
    """Wall seconds of one ``coursenn grade`` of ``chapter`` against itself.

    ``sandbox``: True or False for a grader with a sandbox, None for one without."""
    env = dict(os.environ, PYTHONPATH=str(src))
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "coursenn.instructor.cli", "grade", str(chapter)]
        cmd += ["--source", str(chapter), "--out", f"{out}/g.csv", "--jobs", "1"]
        cmd += ["--no-sandbox"] if sandbox is False else []
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"grading failed:\n{done.stderr[-2000:]}")
    return elapsed


def startup(repeats: int) -> None:
    """Seconds to start a kernel, run ``1 + 1`` and tear it down, sandboxed or not."""
    import asyncio

    sys.path.insert(0, str(ROOT / "src"))
    from coursenn.instructor.sandbox import Limits, run_cells

    print(f"{'mode':<11} median s  (all runs)")
    for name, limits in (("sandbox", Limits()), ("no sandbox", None)):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            run = asyncio.run(
                run_cells([("1 + 1", [])], keep={0}, time_limit=60, max_output=10_000,
                          sandbox=limits)
            )  # fmt: skip
            times.append(time.perf_counter() - start)
            assert run.stop is None, run.stop
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:<11} {statistics.median(times):8.2f}  ({runs})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="src folder of a grader")
    parser.add_argument("--chapters", type=int, nargs="+", default=sorted(CHAPTERS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--startup", action="store_true", help="time a one-cell kernel only")
    args = parser.parse_args()
    if args.startup:
        startup(args.repeats)
        return
    has_sandbox = (args.src / "coursenn" / "instructor" / "collect.py").exists()
    modes = [("sandbox", True), ("no sandbox", False)] if has_sandbox else [("old grader", None)]
    print(f"grader: {args.src}")
    print(f"{'chapter':<22} {'mode':<11} median s  (all runs)")
    for number in args.chapters:
        chapter = ROOT / "chapters" / f"{CHAPTERS[number]}.ipynb"
        for name, sandbox in modes:
            times = [grade_once(chapter, args.src, sandbox) for _ in range(args.repeats)]
            runs = ", ".join(f"{t:.1f}" for t in times)
            print(f"{chapter.stem:<22} {name:<11} {statistics.median(times):8.1f}  ({runs})")


if __name__ == "__main__":
    main()
