"""The instructor's side: student notebooks, grading, the exercise index.

- :mod:`~coursenn.instructor.student`: chapters -> student notebooks (solutions and hidden
  grading cases stripped);
- :mod:`~coursenn.instructor.grade`: submitted notebooks -> a CSV gradebook. Each
  notebook runs in its own sandboxed kernel (:mod:`~coursenn.instructor.sandbox`,
  :mod:`~coursenn.instructor.limits`) that only hands answers back as plain data
  (:mod:`~coursenn.instructor.plan`, :mod:`~coursenn.instructor.collect`,
  :mod:`~coursenn.instructor.wire`, :mod:`~coursenn.instructor.replies`); the verdicts are
  taken in the grader from the instructor's chapters (:mod:`~coursenn.instructor.sources`)
  and the submitted source (:mod:`~coursenn.instructor.source`), into a safe gradebook
  (:mod:`~coursenn.instructor.gradebook`);
- :mod:`~coursenn.instructor.index`: the exercise index of the instructor guide;
- :mod:`~coursenn.instructor.cli`: the ``coursenn`` console script
  (``coursenn student``, ``coursenn grade``, ``coursenn index``).

The exercise format they read is in :mod:`~coursenn.instructor.cells`; the checks
themselves live in :mod:`coursenn.exercises`.
"""
