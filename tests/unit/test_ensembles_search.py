"""Ensembles (snapshots, checkpoints, parameter averaging) and the random search helpers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coursenn.lab import search
from coursenn.lab.ensembles import (
    EpochCheckpoints,
    ParameterAverage,
    ensemble_proba,
    load_snapshot,
    predict_proba,
    snapshot,
    snapshot_proba,
)
from coursenn.lab.search import Range, Trial, at_edge, narrow, random_search, sample
from coursenn.nn.activations import softmax
from coursenn.nn.layers import Dense, ReLU, Sequential
from coursenn.nn.losses import softmax_cross_entropy
from coursenn.nn.optim import SGD
from coursenn.training import fit


def _net(seed):
    return Sequential(Dense(3, 5, rng=seed), ReLU(), Dense(5, 4, rng=seed + 1))


def test_snapshot_round_trip_and_errors(rng):
    net = _net(0)
    saved = snapshot(net)
    for p in net.parameters():
        p.data += 1.0
    load_snapshot(net, saved)
    for p, s in zip(net.parameters(), saved, strict=True):
        np.testing.assert_array_equal(p.data, s)
    with pytest.raises(ValueError, match="4 arrays"):
        load_snapshot(net, saved[:2])
    with pytest.raises(ValueError, match=r"shape \(3, 5\)"):
        load_snapshot(net, [np.zeros((5, 3))] + saved[1:])


def test_ensemble_is_the_mean_of_the_members_probabilities(rng):
    X = rng.normal(size=(7, 3))
    nets = [_net(0), _net(10)]
    expected = (softmax(nets[0].forward(X)) + softmax(nets[1].forward(X))) / 2
    np.testing.assert_allclose(ensemble_proba(nets, X), expected)
    np.testing.assert_allclose(predict_proba(nets[0], X).sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="at least one model"):
        ensemble_proba([], X)


def test_checkpoints_every_epoch_and_snapshot_proba_restores(rng):
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 4, size=20)
    net = _net(0)
    ckpt = EpochCheckpoints(net, every=2)
    fit(
        net,
        softmax_cross_entropy,
        SGD(net.parameters(), lr=0.5),
        X,
        y,
        epochs=5,
        batch_size=5,
        rng=0,
        progress=False,
        monitor_size=0,
        scheduler=ckpt,
    )
    assert ckpt.epochs == [2, 4]
    assert not np.array_equal(ckpt.snapshots[0][0], ckpt.snapshots[1][0])
    final = snapshot(net)
    probs = snapshot_proba(net, ckpt.snapshots, X)
    assert probs.shape == (2, 20, 4)
    load_snapshot(net, ckpt.snapshots[1])
    np.testing.assert_allclose(probs[1], predict_proba(net, X))
    load_snapshot(net, final)
    for p, s in zip(net.parameters(), final, strict=True):
        np.testing.assert_array_equal(p.data, s)


def test_parameter_average_is_the_mean_of_the_iterates(rng):
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 4, size=8)
    net = _net(0)
    avg = ParameterAverage(SGD(net.parameters(), lr=0.3), start=2)
    iterates = []
    for _ in range(6):
        avg.zero_grad()
        net.backward(softmax_cross_entropy(net.forward(X), y)[1])
        avg.step()
        iterates.append(snapshot(net))
    assert avg.count == 4
    for k, mean in enumerate(avg.average):
        np.testing.assert_allclose(mean, np.mean([it[k] for it in iterates[2:]], axis=0))
    with pytest.raises(RuntimeError, match="no step averaged"):
        _ = ParameterAverage(SGD(net.parameters(), lr=0.1)).average
    with pytest.raises(ValueError, match="start"):
        ParameterAverage(SGD(net.parameters(), lr=0.1), start=-1)


def test_log_range_samples_uniformly_in_log10():
    r = Range(1e-4, 1e0)
    values = np.array([r.draw(np.random.default_rng(s)) for s in range(2000)])
    assert values.min() >= 1e-4 and values.max() <= 1.0
    # a quarter of the log range holds about a quarter of the draws
    assert abs(np.mean(values < 1e-3) - 0.25) < 0.04
    lin = Range(0.2, 1.0, log=False)
    assert 0.2 <= lin.draw(0) <= 1.0
    with pytest.raises(ValueError, match="low > 0"):
        Range(0.0, 1.0)
    with pytest.raises(ValueError, match="low < high"):
        Range(1.0, 1.0, log=False)


def test_random_search_sorts_best_first_and_nan_last():
    space = {"lr": Range(1e-3, 1.0), "p": Range(0.0, 1.0, log=False)}
    trials = random_search(
        lambda lr, p: (math.nan if p > 0.8 else -abs(math.log10(lr) + 1), lr), space, 12, rng=3
    )
    scores = [t.score for t in trials]
    finite = [s for s in scores if math.isfinite(s)]
    assert finite == sorted(finite, reverse=True)
    assert all(not math.isfinite(s) for s in scores[len(finite) :])
    assert trials[0].result == trials[0].config["lr"]
    assert sample(space, 5) == sample(space, 5)


def test_narrow_and_at_edge():
    space = {"lr": Range(1e-4, 1e0)}
    trials = [Trial({"lr": v}, s) for v, s in [(1e-2, 0.9), (3e-2, 0.8), (1e-3, 0.7), (1e-4, 0.1)]]
    fine = narrow(space, trials, top=2, margin=0.0)
    assert fine["lr"].low == pytest.approx(1e-2) and fine["lr"].high == pytest.approx(3e-2)
    wide = narrow(space, trials, top=2, margin=0.25)  # a quarter of 4 decades = 1 decade
    assert wide["lr"].low == pytest.approx(1e-3) and wide["lr"].high == pytest.approx(3e-1)
    assert at_edge(space, trials[0]) == []
    assert at_edge(space, Trial({"lr": 2e-4}, 0.0)) == ["lr"]
    with pytest.raises(ValueError, match="finite score"):
        narrow(space, [Trial({"lr": 1e-2}, math.nan)])


# --- log-uniform sampling (chapter 8) ------------------------------------------------------------


def test_log_uniform_is_ten_to_a_uniform_exponent():
    got = search.log_uniform(1e-6, 10.0, 1000, rng=0)
    expected = 10.0 ** np.random.default_rng(0).uniform(-6.0, 1.0, 1000)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got.min() >= 1e-6 and got.max() < 10.0
    share = np.histogram(np.log10(got), bins=np.arange(-6, 2))[0] / len(got)
    assert np.all(np.abs(share - 1 / 7) < 0.05)  # every decade about equally often


def test_log_uniform_scalar_and_errors():
    assert isinstance(search.log_uniform(1e-3, 1.0, rng=1), float)
    with pytest.raises(ValueError, match="low must be > 0"):
        search.log_uniform(0.0, 1.0)
    with pytest.raises(ValueError, match="high must be > 0.1"):
        search.log_uniform(0.1, 0.1)
