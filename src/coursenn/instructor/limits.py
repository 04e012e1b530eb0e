"""Resource limits of one sandboxed kernel: per process (``prlimit``), per notebook (cgroups).

:class:`Limits` says how much; :func:`limits_command` is the ``prlimit`` prefix of the
kernel's command (address space, CPU time, file size, open files, core dumps, and
``RLIMIT_NPROC`` where no cgroup counts processes); :class:`Cgroups` makes a ``pids`` and a
``memory`` cgroup for the notebook where this process may (usually as root, cgroup v1 or
v2), below its own cgroup, and empties and removes them at the end.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path
from time import sleep

__all__ = ["Limits", "Cgroups", "limits_command"]


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed kernel.

    ``memory_mb``: address space of each process (``RLIMIT_AS``) and, with a memory cgroup,
    the memory of the whole notebook (its private ``/tmp`` included); ``processes``: tasks
    (processes and threads) at once; ``file_mb``: size of any file written; ``tmp_mb``: size
    of the private ``/tmp``; ``cpu_seconds``: CPU time of each process (``None``: the time
    limit plus a minute).
    """

    memory_mb: int = 4096
    processes: int = 256
    file_mb: int = 256
    tmp_mb: int = 512
    cpu_seconds: int | None = None


class Cgroups:
    """A ``pids`` and a ``memory`` cgroup for one kernel, where this process may make them
    (usually as root; cgroup v1 or v2). Each is made below this process's own cgroup.

    ``enter`` is a shell prefix that moves the kernel's first process into them; ``close``
    kills whatever is left in them and removes them.
    """

    def __init__(self, limits: Limits) -> None:
        name = f"coursenn-{secrets.token_hex(6)}"
        self.paths: list[Path] = []
        v1 = {"pids": ("pids.max", str(limits.processes)),
              "memory": ("memory.limit_in_bytes", str(limits.memory_mb * 2**20))}  # fmt: skip
        for controller, (key, value) in v1.items():
            base = Path("/sys/fs/cgroup", controller)
            if base.is_dir():
                self._make(base / _own_cgroup(controller) / name, {key: value})
        if not self.paths and "pids" in _read(Path("/sys/fs/cgroup/cgroup.controllers")):
            limits_v2 = {
                "pids.max": str(limits.processes),
                "memory.max": str(limits.memory_mb * 2**20),
            }
            self._make(Path("/sys/fs/cgroup") / _own_cgroup("") / name, limits_v2)

    @property
    def counts_processes(self) -> bool:
        return bool(self.paths)

    def _make(self, path: Path, settings: dict[str, str]) -> None:
        try:
            path.mkdir()
        except OSError:
            return
        try:
            for key, value in settings.items():
                if (path / key).exists():
                    (path / key).write_text(value)
        except OSError:
            _rmdir(path)
            return
        self.paths.append(path)

    def enter(self) -> list[str]:
        if not self.paths:
            return []
        moves = " && ".join(f'echo $$ > "{p / "cgroup.procs"}"' for p in self.paths)
        return ["/bin/sh", "-c", f'{moves} && exec "$@"', "sh"]

    def close(self) -> None:
        for path in self.paths:
            for _ in range(50):
                pids = [int(p) for p in _read(path / "cgroup.procs").split()]
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                sleep(0.02)
            _rmdir(path)


def _own_cgroup(controller: str) -> str:
    """This process's cgroup path (relative) in the hierarchy of ``controller`` ("": v2)."""
    for line in _read(Path("/proc/self/cgroup")).splitlines():
        _, names, path = line.split(":", 2)
        if (controller and controller in names.split(",")) or (not controller and not names):
            return path.lstrip("/")
    return ""


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _rmdir(path: Path) -> None:
    for _ in range(50):
        try:
            path.rmdir()
            return
        except OSError:
            sleep(0.02)


def _own_processes() -> int:
    """How many processes this user runs now (RLIMIT_NPROC counts them all)."""
    uid = os.getuid()
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                count += entry.stat().st_uid == uid
            except OSError:
                pass
    return count


def limits_command(limits: Limits, time_limit: float, with_cgroup: bool) -> list[str]:
    """``prlimit`` with the per-process limits (and RLIMIT_NPROC when no cgroup counts)."""
    cpu = limits.cpu_seconds or int(time_limit) + 60
    cmd = [
        shutil.which("prlimit") or "prlimit",
        f"--as={limits.memory_mb * 2**20}",
        f"--cpu={cpu}",
        f"--fsize={limits.file_mb * 2**20}",
        "--nofile=1024",
        "--core=0",
    ]
    if not with_cgroup and os.getuid() != 0:  # root is exempt from RLIMIT_NPROC
        cmd.append(f"--nproc={_own_processes() + limits.processes}")
    return [*cmd, "--"]
