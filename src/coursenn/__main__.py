"""``python -m coursenn COMMAND ...``: the same commands as the ``coursenn`` console script.

``COMMAND`` is ``student``, ``grade`` or ``index``; the code lives in
:mod:`coursenn.instructor.cli`.
"""

import sys

from .instructor.cli import main

if __name__ == "__main__":
    sys.exit(main())
