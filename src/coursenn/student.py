"""``python -m coursenn.student``: the same command as ``coursenn student``.

The code lives in :mod:`coursenn.instructor.student`.
"""

import sys

from .instructor.student import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m coursenn.student"))
