"""The ``coursenn`` console script: the instructor's commands.

::

    coursenn student CHAPTERS... --out student                   # student notebooks
    coursenn grade SUBMISSIONS... --source chapters --out grades.csv
    coursenn index [CHAPTERS...] [--page book/instructors.md]     # regenerate the exercise index

``python -m coursenn COMMAND ...`` (:mod:`coursenn.__main__`) is the same command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import grade, student
from .cells import ExerciseFormatError
from .index import update_index

__all__ = ["main"]

COMMANDS = ("student", "grade", "index")
USAGE = """usage:
  coursenn student CHAPTERS... --out DIR
  coursenn grade SUBMISSIONS... --source CHAPTERS --out CSV [--jobs N] [--timeout S]
  coursenn index [CHAPTERS...] [--page PAGE]
'coursenn COMMAND --help' tells more about each command."""


def _index(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="coursenn index",
        description="Regenerate the exercise index of the instructor guide from the chapters.",
    )
    parser.add_argument(
        "chapters", nargs="*", type=Path, default=[Path("chapters")], metavar="CHAPTERS",
        help="chapter notebooks or folders (default: chapters)",
    )  # fmt: skip
    parser.add_argument(
        "--page", type=Path, default=Path("book/instructors.md"),
        help="page holding the exercise-index markers (default: book/instructors.md)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        changed = update_index(args.page, args.chapters)
    except ExerciseFormatError as exc:
        print("error: malformed chapter notebook, nothing written:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{'updated' if changed else 'unchanged'}: exercise index in {args.page}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``coursenn COMMAND ...`` with COMMAND one of ``student``, ``grade``, ``index``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        stream = sys.stdout if argv and argv[0] in ("-h", "--help") else sys.stderr
        print(USAGE, file=stream)
        if argv and argv[0] not in ("-h", "--help"):
            print(f"error: unknown command {argv[0]!r}; choose one of {', '.join(COMMANDS)}",
                  file=sys.stderr)  # fmt: skip
            return 2
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "student":
        return student.main(rest)
    if command == "grade":
        return grade.main(rest)
    return _index(rest)


if __name__ == "__main__":
    sys.exit(main())
