r"""Hyperparameter search: log-uniform sampling and random search over a box.

The lecture samples learning rates on a log scale, ``10 ** np.random.uniform(-6, 1)``:
every decade is equally likely. :func:`log_uniform` does that with a seeded generator;
:func:`random_search` draws ``n_trials`` settings from a search space and scores each one.

Typical use (chapter 8)::

    space = {"lr": (1e-4, 1.0, "log"), "momentum": (0.5, 0.99, "linear")}
    trials = random_search(score, space, n_trials=10, rng=0)    # best first

See chapters 8 and 10.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ._checks import as_rng, check_number, check_positive_int

__all__ = ["log_uniform", "Trial", "sample_space", "random_search"]


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


def _check_space(space: Mapping) -> None:
    if not isinstance(space, Mapping) or not space:
        raise ValueError("space must be a non-empty dict name -> (low, high, 'log'|'linear')")
    for name, spec in space.items():
        if not (isinstance(spec, tuple) and len(spec) == 3 and spec[2] in ("log", "linear")):
            raise ValueError(
                f"space[{name!r}] must be (low, high, 'log') or (low, high, 'linear'), got {spec!r}"
            )
        low, high = spec[0], spec[1]
        if not low < high or (spec[2] == "log" and not low > 0):
            raise ValueError(
                f"space[{name!r}] needs low < high (and low > 0 on a log scale), got {spec!r}"
            )


def sample_space(space: Mapping[str, tuple], rng=None) -> dict[str, float]:
    """One setting: each hyperparameter drawn independently, on its own scale.

    ``space`` maps a name to ``(low, high, "log")`` (:func:`log_uniform`) or
    ``(low, high, "linear")`` (uniform on ``[low, high]``, e.g. a dropout probability).
    """
    _check_space(space)
    rng = as_rng(rng)
    return {
        name: log_uniform(low, high, rng=rng) if scale == "log" else float(rng.uniform(low, high))
        for name, (low, high, scale) in space.items()
    }


@dataclass(frozen=True)
class Trial:
    """One tried setting and its score (higher is better, e.g. validation accuracy)."""

    params: dict
    score: float


def random_search(
    score: Callable[..., float], space: Mapping[str, tuple], n_trials: int, rng=None
) -> list[Trial]:
    """Score ``n_trials`` random settings; return them best first.

    Parameters
    ----------
    score : callable
        ``score(**params) -> float``, higher is better. A setting whose score is NaN (a
        diverged run) sorts last.
    space : mapping
        As :func:`sample_space`.
    n_trials : int
    rng : Generator, int or None
        Draws every setting (in trial order).

    Returns
    -------
    list of Trial
        Sorted by score, best first (ties keep the trial order).
    """
    n_trials = check_positive_int(n_trials, "n_trials")
    rng = as_rng(rng)
    trials = []
    for _ in range(n_trials):
        params = sample_space(space, rng)
        trials.append(Trial(params, float(score(**params))))
    return sorted(trials, key=lambda t: -t.score if np.isfinite(t.score) else np.inf)
