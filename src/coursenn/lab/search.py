r"""Chapters 8 and 10: random hyperparameter search, coarse to fine (lecture 001, 超参数调优).

* Sample learning rates and regularisation strengths on a **log scale**,
  ``lr = 10 ** rng.uniform(-6, 1)`` (:func:`log_uniform`): they act multiplicatively, so
  equal steps in :math:`\log_{10}` matter equally. A dropout probability is sampled on its
  own (linear) scale.
* **Random search beats grid search** (Bergstra and Bengio, 2012): with the same number of
  trials every trial tries a new value of every hyperparameter.
* **Coarse to fine**: a first round over wide ranges with short training, then a second one
  inside the range spanned by the best trials (:func:`narrow`), trained longer.
* **Beware of a best value at the edge** of its range (:func:`at_edge`): the range may miss
  better values.

See chapters 8 and 10.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._checks import as_rng, check_number, check_positive_int

__all__ = ["log_uniform", "Range", "Trial", "sample", "random_search", "narrow", "at_edge"]


def log_uniform(low: float, high: float, size: int | None = None, rng=None):
    r"""Samples :math:`10^{u}`, :math:`u \sim U(\log_{10} low, \log_{10} high)`.

    Each decade between ``low`` and ``high`` gets the same share of samples (a uniform
    draw on ``[low, high]`` would put 90 % of them in the top decade).

    Parameters
    ----------
    low, high : float
        ``0 < low < high``.
    size : int, optional
        How many samples; None gives one float.
    rng : Generator, int or None

    Returns
    -------
    float or ndarray of shape (size,)
    """
    low = check_number(low, "low", 0.0, low_open=True)
    high = check_number(high, "high", low, low_open=True)
    if size is not None:
        size = check_positive_int(size, "size")
    u = as_rng(rng).uniform(np.log10(low), np.log10(high), size)
    return float(10.0**u) if size is None else 10.0**u


@dataclass(frozen=True)
class Range:
    """A hyperparameter range: ``[low, high]``, sampled uniformly in ``log10`` or linearly."""

    low: float
    high: float
    log: bool = True

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"Range needs finite low < high, got low={self.low}, high={self.high}")
        if self.log and self.low <= 0:
            raise ValueError(f"a log Range needs low > 0, got low={self.low}")

    def _to_unit(self, value: float) -> float:
        """Position of ``value`` in the range on the sampling scale: 0 at ``low``, 1 at ``high``."""
        if self.log:
            return (math.log10(value) - math.log10(self.low)) / (
                math.log10(self.high) - math.log10(self.low)
            )
        return (value - self.low) / (self.high - self.low)

    def _from_unit(self, u: float) -> float:
        if self.log:
            lo, hi = math.log10(self.low), math.log10(self.high)
            return 10.0 ** (lo + u * (hi - lo))
        return self.low + u * (self.high - self.low)

    def draw(self, rng) -> float:
        """One value: ``10 ** uniform(log10 low, log10 high)`` or ``uniform(low, high)``."""
        return self._from_unit(float(as_rng(rng).uniform(0.0, 1.0)))


@dataclass
class Trial:
    """One evaluated configuration: ``config`` (name -> value), its ``score``, any ``result``."""

    config: dict[str, float]
    score: float
    result: Any = field(default=None, repr=False)


def sample(space: Mapping[str, Range], rng) -> dict[str, float]:
    """One configuration: a value drawn from every range of ``space``, in its key order."""
    rng = as_rng(rng)
    return {name: r.draw(rng) for name, r in space.items()}


def random_search(
    evaluate: Callable[..., tuple[float, Any] | float],
    space: Mapping[str, Range],
    n_trials: int,
    rng,
) -> list[Trial]:
    """Evaluate ``n_trials`` random configurations; return the trials, best score first.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(**config)`` returns a score (higher is better, e.g. validation accuracy)
        or a pair ``(score, result)`` (e.g. the trained model, kept in ``Trial.result``).
        A NaN score (a run that diverged) sorts last.
    space : mapping name -> Range
    n_trials : int
    rng : Generator, int or None
        Draws the configurations (all of them first, so ``evaluate`` may use its own rngs).
    """
    n_trials = check_positive_int(n_trials, "n_trials")
    rng = as_rng(rng)
    configs = [sample(space, rng) for _ in range(n_trials)]
    trials = []
    for config in configs:
        out = evaluate(**config)
        score, result = out if isinstance(out, tuple) else (out, None)
        trials.append(Trial(config, float(score), result))
    return sorted(trials, key=lambda t: -t.score if math.isfinite(t.score) else math.inf)


def narrow(
    space: Mapping[str, Range], trials: Sequence[Trial], *, top: int = 3, margin: float = 0.25
) -> dict[str, Range]:
    """The finer ranges of a second round: around the ``top`` best trials' values.

    Each new range spans the best ``top`` trials' values (on the range's own scale), widened
    on both sides by ``margin`` times the old range's width and clipped to the old range.
    ``trials`` must be sorted best first (as :func:`random_search` returns them).
    """
    top = check_positive_int(top, "top")
    if not 0.0 <= margin <= 1.0:
        raise ValueError(f"margin must be in [0, 1], got {margin!r}")
    best = [t for t in trials if math.isfinite(t.score)][:top]
    if not best:
        raise ValueError("trials must hold at least one trial with a finite score")
    new = {}
    for name, r in space.items():
        units = [r._to_unit(t.config[name]) for t in best]
        lo, hi = max(0.0, min(units) - margin), min(1.0, max(units) + margin)
        new[name] = Range(r._from_unit(lo), r._from_unit(hi), r.log)
    return new


def at_edge(space: Mapping[str, Range], trial: Trial, *, fraction: float = 0.1) -> list[str]:
    """Names of the hyperparameters whose value in ``trial`` lies in the outer ``fraction``
    of its range (on the sampling scale): the lecture's warning sign."""
    return [
        name
        for name, r in space.items()
        if not fraction <= r._to_unit(trial.config[name]) <= 1.0 - fraction
    ]
