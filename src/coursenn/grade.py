"""``python -m coursenn.grade``: the same command as ``coursenn grade``.

The code lives in :mod:`coursenn.instructor.grade`.
"""

import sys

from .instructor.grade import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m coursenn.grade"))
