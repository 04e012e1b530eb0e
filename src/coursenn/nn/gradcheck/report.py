r"""``check_gradients``: compare every parameter's gradient with a numerical one, in a report.

One :class:`GradCheckRow` per tensor (the worst relative error and its verdict), gathered in a
:class:`GradCheckReport`. See chapter 5.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from ..._checks import ShapeError, as_array
from .numerical import _check_h, _check_probe, _elementwise_rel_error, numerical_gradient, verdict

__all__ = ["GradCheckRow", "GradCheckReport", "check_gradients"]


@dataclass(frozen=True)
class GradCheckRow:
    """The check of one tensor: its worst relative ``error`` (:func:`rel_error`), its
    ``verdict`` (:func:`verdict`), the ``index`` of the worst element (None if the tensor is
    empty) and the ``analytic`` and ``numerical`` gradient values there."""

    name: str
    shape: tuple[int, ...]
    error: float
    verdict: str
    index: tuple[int, ...] | None
    analytic: float
    numerical: float


@dataclass(frozen=True)
class GradCheckReport:
    """Result of :func:`check_gradients`: one :class:`GradCheckRow` per tensor.

    ``str(report)`` (and the notebook display) is a small text table. ``report.worst`` is
    the largest relative error over all tensors, ``report.ok`` is ``worst < threshold``,
    ``report["W"]`` is the row of tensor ``"W"`` and ``report.numerical["W"]`` the numerical
    gradient itself. See chapter 5.
    """

    rows: tuple[GradCheckRow, ...]
    threshold: float = 1e-7
    h: float = 1e-5
    numerical: Mapping[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def worst(self) -> float:
        """The largest relative error over all tensors (NaN if any tensor gave NaN)."""
        errors = [row.error for row in self.rows]
        if any(np.isnan(e) for e in errors):
            return float("nan")
        return float(max(errors, default=0.0))

    @property
    def ok(self) -> bool:
        """``worst < threshold`` (False for NaN)."""
        return bool(self.worst < self.threshold)

    def __getitem__(self, name: str) -> GradCheckRow:
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"no tensor named {name!r}; the report has {[r.name for r in self.rows]}")

    def __str__(self) -> str:
        header = ("tensor", "shape", "rel. error", "verdict", "worst at", "analytic", "numerical")
        lines = [header]
        for r in self.rows:
            lines.append(
                (
                    r.name,
                    str(r.shape),
                    f"{r.error:.2e}",
                    r.verdict,
                    "-" if r.index is None else str(r.index),
                    f"{r.analytic:.6g}",
                    f"{r.numerical:.6g}",
                )
            )
        widths = [max(len(line[c]) for line in lines) for c in range(len(header))]
        text = [
            "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            for line in lines
        ]
        text.insert(1, "  ".join("-" * w for w in widths))
        status = "ok" if self.ok else "NOT ok"
        relation = "<" if self.ok else ">="
        text.append(f"worst {self.worst:.2e} {relation} threshold {self.threshold:.0e}: {status}")
        return "\n".join(text)

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython / Jupyter display
        printer.text(str(self))


def check_gradients(
    f: Callable[[Mapping[str, np.ndarray]], float],
    params: Mapping[str, np.ndarray],
    analytic: Mapping[str, np.ndarray],
    h: float = 1e-5,
    threshold: float = 1e-7,
) -> GradCheckReport:
    r"""Compare analytic gradients with centred-difference ones, tensor by tensor.

    For every name in ``params`` the numerical gradient of ``f`` with respect to
    ``params[name]`` is computed with :func:`numerical_gradient` (perturbing that array in
    place, always restoring it) and compared with ``analytic[name]`` by the lecture's
    relative error :math:`|f'_a - f'_n| / \max(|f'_a|, |f'_n|)`.

    Parameters
    ----------
    f : callable
        ``f(params) -> float``: the loss, called with the ``params`` mapping itself while one
        of its arrays is perturbed in place. It may also ignore its argument and read the same
        arrays through a closure (``lambda _: model_loss(X, y)``).
    params : mapping of str to ndarray
        The tensors to check, e.g. ``{"W": layer.W.data, "b": layer.b.data}``: writable float
        arrays (the very arrays ``f`` reads, not copies).
    analytic : mapping of str to ndarray
        The gradients to check, same names and shapes, e.g. ``{"W": layer.W.grad, ...}``.
    h : float, default 1e-5
        The step of the centred difference.
    threshold : float, default 1e-7
        ``report.ok`` is ``report.worst < threshold``; 1e-7 is the lecture's "excellent".
        Raise it (say to 1e-4) for functions with kinks.

    Returns
    -------
    GradCheckReport
        One row per tensor, in the order of ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> from coursenn.nn.gradcheck import check_gradients
    >>> W = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> report = check_gradients(lambda p: float(np.sum(p["W"] ** 2)), {"W": W}, {"W": 2 * W})
    >>> report.ok, report["W"].verdict
    (True, 'excellent')

    See chapter 5.
    """
    if not isinstance(params, Mapping) or not isinstance(analytic, Mapping):
        raise TypeError("params and analytic must be mappings (dicts) from names to arrays")
    if not params:
        raise ValueError("params must name at least one tensor to check")
    if set(params) != set(analytic):
        missing = [k for k in params if k not in analytic]
        extra = [k for k in analytic if k not in params]
        raise ValueError(
            f"analytic must have the same names as params {list(params)}: "
            f"missing {missing}, unexpected {extra}"
        )
    h = _check_h(h)
    threshold = float(threshold)
    # copy the analytic gradients first: f may run a backward pass that overwrites .grad
    analytic_copy = {}
    for name, x in params.items():
        _check_probe(x, f"params[{name!r}]")
        grad = as_array(analytic[name], f"analytic[{name!r}]")
        if grad.shape != x.shape:
            raise ShapeError(
                f"analytic[{name!r}] must have the shape of params[{name!r}] {x.shape}, "
                f"got {grad.shape}"
            )
        analytic_copy[name] = grad

    rows = []
    numerical = {}
    for name, x in params.items():
        num = numerical_gradient(lambda _: f(params), x, h=h)
        ana = analytic_copy[name]
        numerical[name] = num
        if x.size == 0:
            rows.append(GradCheckRow(name, x.shape, 0.0, verdict(0.0), None, np.nan, np.nan))
            continue
        errors = _elementwise_rel_error(ana, num)
        flat = int(np.argmax(np.where(np.isnan(errors), np.inf, errors)))
        where = np.unravel_index(flat, x.shape)
        index = tuple(int(i) for i in where)
        error = float(errors[where])
        rows.append(
            GradCheckRow(
                name, x.shape, error, verdict(error), index, float(ana[where]), float(num[where])
            )
        )
    return GradCheckReport(tuple(rows), threshold=threshold, h=h, numerical=numerical)
