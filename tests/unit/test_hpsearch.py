"""coursenn.hpsearch: log-uniform sampling, search spaces, random search."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn import hpsearch


def test_log_uniform_is_ten_to_a_uniform_exponent():
    got = hpsearch.log_uniform(1e-6, 10.0, 1000, rng=0)
    expected = 10.0 ** np.random.default_rng(0).uniform(-6.0, 1.0, 1000)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got.min() >= 1e-6 and got.max() < 10.0
    share = np.histogram(np.log10(got), bins=np.arange(-6, 2))[0] / len(got)
    assert np.all(np.abs(share - 1 / 7) < 0.05)  # every decade about equally often


def test_log_uniform_scalar_and_errors():
    assert isinstance(hpsearch.log_uniform(1e-3, 1.0, rng=1), float)
    with pytest.raises(ValueError, match="low must be > 0"):
        hpsearch.log_uniform(0.0, 1.0)
    with pytest.raises(ValueError, match="high must be > 0.1"):
        hpsearch.log_uniform(0.1, 0.1)


def test_sample_space_uses_each_scale():
    space = {"lr": (1e-4, 1.0, "log"), "keep": (0.5, 1.0, "linear")}
    params = hpsearch.sample_space(space, rng=3)
    rng = np.random.default_rng(3)
    assert params["lr"] == pytest.approx(10 ** rng.uniform(-4, 0))
    assert params["keep"] == pytest.approx(rng.uniform(0.5, 1.0))


@pytest.mark.parametrize(
    "space",
    [{}, {"lr": (1.0, 0.1, "log")}, {"lr": (0.0, 1.0, "log")}, {"lr": (0.1, 1.0, "cubic")}],
)
def test_sample_space_rejects_bad_spaces(space):
    with pytest.raises(ValueError, match="space"):
        hpsearch.sample_space(space)


def test_random_search_sorts_best_first_and_nan_last():
    def score(x):
        return np.nan if x > 0.9 else -((x - 0.5) ** 2)

    trials = hpsearch.random_search(score, {"x": (0.0, 1.0, "linear")}, 30, rng=0)
    assert len(trials) == 30
    scores = [t.score for t in trials]
    finite = [s for s in scores if np.isfinite(s)]
    assert finite == sorted(finite, reverse=True)
    assert all(np.isnan(s) for s in scores[len(finite) :])
    assert abs(trials[0].params["x"] - 0.5) < 0.1
