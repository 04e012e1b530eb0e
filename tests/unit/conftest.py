"""Shared helpers for the unit tests: the finite-difference gradient check, written once.

The check is the CS231n one: the numerical gradient of ``sum(f(x) * dout)`` with respect to
``x`` by centred differences, compared with the analytic gradient by the relative error
``max |a - n| / max(1e-8, |a| + |n|)`` (floored, unlike the lecture's ``rel_error``, so that
gradients that are both ~0 do not count as wrong).
"""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from coursenn.nn.gradcheck import numerical_gradient_array  # noqa: E402


def numerical_gradient(f, x: np.ndarray, dout=None, h: float = 1e-6) -> np.ndarray:
    """Centred-difference gradient of ``sum(f(x) * dout)`` with respect to ``x``.

    The probing loop is :func:`coursenn.nn.gradcheck.numerical_gradient_array` (itself tested
    against hand-computed values in test_gradcheck.py). ``x`` is perturbed in place and
    restored, so ``f`` may also read ``x`` through a closure (a layer's ``W.data``).
    ``dout`` defaults to ones (the gradient of ``sum(f(x))``).
    """
    if dout is None:
        dout = np.ones_like(np.asarray(f(x), dtype=np.float64))
    return numerical_gradient_array(f, x, dout, h=h)


def rel_error(a, b) -> float:
    """The lecture's relative error, worst element: ``max |a - b| / max(1e-8, |a| + |b|)``."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


class GradCheck:
    """Bundle of the two helpers above, handed to tests by the ``gradcheck`` fixture."""

    numerical = staticmethod(numerical_gradient)
    rel_error = staticmethod(rel_error)

    @staticmethod
    def assert_close(analytic, numeric, tol: float, what: str = "gradient") -> None:
        err = rel_error(analytic, numeric)
        assert err < tol, f"{what}: relative error {err:.3e} >= {tol:.0e}"


@pytest.fixture
def gradcheck() -> type[GradCheck]:
    """``gradcheck.numerical(f, x, dout)``, ``gradcheck.rel_error(a, b)``, ``gradcheck.assert_close``."""
    return GradCheck


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator so every test draws the same numbers on every run."""
    return np.random.default_rng(20240601)


@pytest.fixture
def close_figures():
    """Close every matplotlib figure after the test (no 'too many figures' warnings)."""
    yield
    plt.close("all")


@pytest.fixture
def strict_drawing(monkeypatch):
    """Plotting helpers may not call plt.show(), change rcParams or emit a warning."""

    def no_show(*args, **kwargs):
        raise AssertionError("plotting helpers must not call plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    before = dict(matplotlib.rcParams)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    assert dict(matplotlib.rcParams) == before
