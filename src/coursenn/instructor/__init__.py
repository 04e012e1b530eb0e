"""The instructor's side: student notebooks, grading, the exercise index.

- :mod:`~coursenn.instructor.student`: chapters -> student notebooks (solutions and hidden
  grading cases stripped);
- :mod:`~coursenn.instructor.grade`: submitted notebooks -> a CSV gradebook, with the
  instructor's own checks run in a contained kernel per notebook;
- :mod:`~coursenn.instructor.index`: the exercise index of the instructor guide;
- :mod:`~coursenn.instructor.cli`: the ``coursenn`` console script
  (``coursenn student``, ``coursenn grade``, ``coursenn index``).

The exercise format they read is in :mod:`~coursenn.instructor.cells`; the checks
themselves live in :mod:`coursenn.exercises`.
"""
