r"""Gradient checking: numerical gradients, the relative error, and a per-tensor report.

The lecture's recipe (study notes after CS231n, 梯度检查):

1. use the **centred** difference, not the one-sided one,

   .. math:: \frac{df(x)}{dx} \approx \frac{f(x+h) - f(x-h)}{2h}
             \quad\text{(error } O(h^2)\text{; the one-sided form has error } O(h)\text{)};

2. compare the analytic gradient :math:`f'_a` with the numerical one :math:`f'_n` by the
   **relative error**

   .. math:: \frac{|f'_a - f'_n|}{\max(|f'_a|, |f'_n|)};

3. read it with the lecture's bands: above 1e-2 the gradient is probably wrong; 1e-4 … 1e-2
   is suspicious; 1e-7 … 1e-4 is acceptable for functions with kinks (ReLU, max, hinge) but
   usually too high otherwise; below 1e-7 is excellent. (The lecture text prints the first
   bound as ``11e-2`` and drops the ``1e-7`` of the third band; the values here are CS231n's.)

Use double precision, few data points, no dropout/regularisation while checking, and stay
away from kinks (the lecture's advice). ``h = 1e-5`` is the default step.

See chapter 5.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .._checks import ShapeError, as_array, as_float, check_number

__all__ = [
    "numerical_gradient",
    "numerical_gradient_array",
    "rel_error",
    "verdict",
    "BANDS",
    "GradCheckRow",
    "GradCheckReport",
    "check_gradients",
]

#: The lecture's verdict bands, as ``(lower bound, name)`` from the top: a relative error
#: ``e`` gets the first name whose bound it reaches (``e > 1e-2`` for "wrong", ``e >= bound``
#: for the others); NaN or infinity is "wrong".
BANDS: tuple[tuple[float, str], ...] = (
    (1e-2, "wrong"),
    (1e-4, "suspicious"),
    (1e-7, "ok for kinks"),
    (0.0, "excellent"),
)


# --- helpers ---------------------------------------------------------------------------------


def _check_probe(x, name: str = "x") -> np.ndarray:
    """``x`` must be a writable float ndarray: it is perturbed in place."""
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"{name} must be a numpy float array (it is perturbed in place), got {type(x).__name__}"
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{name} must have a floating dtype (float64 recommended; it is perturbed in "
            f"place by ±h), got {x.dtype}"
        )
    if not x.flags.writeable:
        raise ValueError(
            f"{name} must be writable (it is perturbed in place), got a read-only array"
        )
    return x


def _check_h(h) -> float:
    return check_number(h, "h", 0.0, low_open=True)


def _probe_args(f, x, h) -> tuple[np.ndarray, float]:
    """Check the arguments of a numerical gradient: ``f`` callable, ``x`` a probe, ``h`` > 0."""
    if not callable(f):
        raise TypeError(f"f must be a function of x, got {type(f).__name__}")
    return _check_probe(x), _check_h(h)


def _scalar(value) -> float:
    """The float that ``f`` returned, or a clear error if it returned something else."""
    if isinstance(value, tuple):
        raise TypeError(
            "f must return a float, got a tuple (for a coursenn.nn.losses function, which returns "
            "(loss, dinput), use lambda z: loss_fn(z, ...)[0])"
        )
    arr = np.asarray(value)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"f must return a float, got {type(value).__name__}")
    if arr.size != 1:
        raise ShapeError(
            f"f must return a scalar, got an array of shape {arr.shape} "
            "(use numerical_gradient_array(f, x, dout) for functions with array outputs)"
        )
    return float(arr.reshape(()))


def _elementwise_rel_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``|a - b| / max(|a|, |b|)`` elementwise, 0 where both are 0, without warnings."""
    with np.errstate(invalid="ignore", over="ignore"):
        num = np.abs(a - b)
        den = np.maximum(np.abs(a), np.abs(b))
        out = np.zeros(np.broadcast_shapes(a.shape, b.shape))
        np.divide(num, den, out=out, where=den > 0)
        # inf - inf or NaN anywhere: no meaningful agreement
        out[np.isnan(num) | np.isnan(den)] = np.nan
    return out


# --- numerical gradients ---------------------------------------------------------------------


def _centred(x: np.ndarray, h: float, evaluate):
    """Yield ``(i, evaluate(x + h e_i), evaluate(x - h e_i))``; ``x[i]`` is always restored."""
    for i in np.ndindex(x.shape):
        old = x[i].copy()
        try:
            x[i] = old + h
            plus = evaluate(x)
            x[i] = old - h
            minus = evaluate(x)
        finally:
            x[i] = old
        yield i, plus, minus


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    r"""Centred-difference gradient of a scalar function ``f`` at ``x``.

    .. math::
        \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

    ``x`` is perturbed **in place**, one element at a time, and each element is restored
    right after its two evaluations, also when ``f`` raises (the exception propagates and
    ``x`` holds its original values). So ``f`` may ignore its argument and read ``x``
    through a closure, e.g. ``numerical_gradient(lambda _: model_loss(), layer.W.data)``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. For a ``coursenn.nn.losses`` function take the loss part:
        ``lambda z: mse_loss(z, y)[0]``.
    x : ndarray of floats, any shape
        The point; must be a writable float array (float64 recommended).
    h : float, default 1e-5
        The step.

    Returns
    -------
    grad : ndarray, float64, shape of ``x``

    See chapter 5.
    """
    x, h = _probe_args(f, x, h)
    grad = np.zeros(x.shape, dtype=np.float64)
    for i, plus, minus in _centred(x, h, lambda z: _scalar(f(z))):
        grad[i] = (plus - minus) / (2.0 * h)
    return grad


def numerical_gradient_array(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, dout, h: float = 1e-5
) -> np.ndarray:
    r"""Numerical gradient of :math:`\sum f(x) \odot \mathrm{dout}` for an array-valued ``f``.

    This is what a layer's ``backward(dout)`` must return as ``dx`` (CS231n's
    ``eval_numerical_gradient_array``):

    .. math::
        \frac{\partial}{\partial x_i} \sum_k f(x)_k\, \mathrm{dout}_k \approx
        \sum_k \frac{f(x + h e_i)_k - f(x - h e_i)_k}{2h}\, \mathrm{dout}_k .

    ``x`` is perturbed in place and always restored, as in :func:`numerical_gradient`.
    The outputs are copied, so ``f`` may return a view or a reused buffer.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray`` of the shape of ``dout``.
    x : ndarray of floats, any shape
    dout : array_like, shape of ``f(x)``
        The upstream gradient (use random values, not ones, to catch transposes).
    h : float, default 1e-5

    Returns
    -------
    dx : ndarray, float64, shape of ``x``

    See chapter 5.
    """
    x, h = _probe_args(f, x, h)
    dout = as_array(dout, "dout")

    def evaluate(z):
        out = np.array(f(z), dtype=np.float64, copy=True)  # f may reuse its output buffer
        if out.shape != dout.shape:
            raise ShapeError(f"dout must have the shape of f(x) {out.shape}, got {dout.shape}")
        return out

    grad = np.zeros(x.shape, dtype=np.float64)
    for i, plus, minus in _centred(x, h, evaluate):
        grad[i] = np.sum((plus - minus) * dout) / (2.0 * h)
    return grad


# --- relative error and verdicts -------------------------------------------------------------


def rel_error(a, b) -> float:
    r"""The lecture's relative error, worst element.

    .. math:: \max_i \frac{|a_i - b_i|}{\max(|a_i|, |b_i|)}

    An element where both are 0 counts as 0 (no division by zero, no warning). Returns a
    ``float`` in ``[0, 2]`` (at most 1 unless signs differ), or ``nan`` if any element is
    NaN (or both infinite); 0.0 for empty arrays.

    Beware tiny gradients: ``1e-17`` against ``0`` is a relative error of 1 although both
    are rounding noise; the lecture advises looking at the raw values too (below ~1e-10 is
    worrying). :class:`GradCheckReport` prints them.

    Parameters
    ----------
    a, b : array_like, same shape
        For example the analytic and the numerical gradient.

    See chapter 5.
    """
    a = as_array(a, "a")
    b = as_array(b, "b")
    if a.shape != b.shape:
        raise ShapeError(f"b must have the same shape as a {a.shape}, got {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(_elementwise_rel_error(a, b)))


def verdict(error: float) -> str:
    """The lecture's band for a relative error: "wrong", "suspicious", "ok for kinks", "excellent".

    ``> 1e-2`` wrong; ``[1e-4, 1e-2]`` suspicious; ``[1e-7, 1e-4)`` ok for kinks (acceptable
    only where the function has kinks); ``< 1e-7`` excellent. NaN or infinity is wrong.
    See chapter 5.
    """
    e = as_float(error, "error")
    if not np.isfinite(e) or e > BANDS[0][0]:
        return BANDS[0][1]
    for bound, name in BANDS[1:]:
        if e >= bound:
            return name
    raise ValueError(f"error must be a relative error >= 0, got {error!r}")


# --- the report ------------------------------------------------------------------------------


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
