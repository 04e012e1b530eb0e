"""coursenn.lab.dead_units: dead masks match a direct computation; training records deaths honestly."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn.lab import dead_units
from coursenn.nn import losses, optim
from coursenn.nn.layers import BatchNorm1d, Dense, LeakyReLU, PReLU, ReLU, Sequential, Tanh


def _net(seed=0):
    rng = np.random.default_rng(seed)
    return Sequential(
        Dense(4, 6, rng=rng), ReLU(), Dense(6, 5, rng=rng), LeakyReLU(), Dense(5, 3, rng=rng)
    )


def test_dead_masks_match_the_preactivations_column_by_column():
    model = _net()
    model[0].b.data[[1, 4]] = -100.0  # two first-layer units negative on every input
    X = np.random.default_rng(1).uniform(-1, 1, size=(30, 4))
    masks = dead_units.dead_masks(model, X)
    assert list(masks) == ["1:ReLU", "3:LeakyReLU"]
    Z1 = X @ model[0].W.data + model[0].b.data
    np.testing.assert_array_equal(masks["1:ReLU"], np.all(Z1 <= 0, axis=0))
    assert masks["1:ReLU"][[1, 4]].all()
    Z2 = np.maximum(Z1, 0) @ model[2].W.data + model[2].b.data
    np.testing.assert_array_equal(masks["3:LeakyReLU"], np.all(Z2 <= 0, axis=0))
    expected = np.mean(np.concatenate([np.all(Z1 <= 0, axis=0), np.all(Z2 <= 0, axis=0)]))
    assert dead_units.dead_fraction(model, X) == pytest.approx(expected)


def test_zero_counts_as_dead_and_one_positive_sample_keeps_a_unit_alive():
    model = Sequential(Dense(1, 2, init="zeros"), ReLU())
    model[0].W.data[...] = [[1.0, 0.0]]
    X = np.array([[-1.0], [0.0], [1e-9]])
    np.testing.assert_array_equal(dead_units.dead_masks(model, X)["1:ReLU"], [False, True])


def test_first_layer_rectifier_reads_the_input_and_batchnorm_output_is_used():
    model = Sequential(BatchNorm1d(3), PReLU(3))
    X = np.array([[-1.0, 2.0, -3.0], [-2.0, 1.0, -1.0]])
    Z = dead_units.preactivations(model, X)["1:PReLU"]
    np.testing.assert_allclose(Z, X / np.sqrt(1 + 1e-5))  # eval mode: running stats 0, 1
    first = Sequential(ReLU())
    np.testing.assert_array_equal(dead_units.dead_masks(first, X)["0:ReLU"], [True, False, True])


def test_dead_fraction_needs_a_rectifier():
    with pytest.raises(ValueError, match="no rectifier layer"):
        dead_units.dead_fraction(Sequential(Dense(2, 2, rng=0), Tanh()), np.ones((3, 2)))


def _toy(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, size=(64, 4))
    return X, (X.sum(axis=1) > 2).astype(np.int64)


def test_a_huge_step_kills_first_layer_units_for_good():
    X, y = _toy()
    model = _net()
    record = dead_units.train_recording_dead(
        model,
        losses.softmax_cross_entropy,
        optim.SGD(list(model.parameters()), lr=0.1),
        X,
        y,
        epochs=4,
        batch_size=16,
        rng=0,
        checks_per_epoch=2,
        lr_at=lambda t: 500.0 if t == 2 else 0.1,
    )
    assert record.steps.tolist() == [0, 2, 4, 6, 8, 10, 12, 14, 16]
    assert record.dead.shape == (9, 11) and record.layer_sizes == {"1:ReLU": 6, "3:LeakyReLU": 5}
    first = record.dead[:, :6]
    dead_after = first[2]  # after the big step (step 3) at the check at step 4
    assert dead_after.any()
    assert np.all(first[1:] >= first[:-1])  # inputs of layer 1 never change: dead stays dead
    np.testing.assert_allclose(record.fraction, record.dead.mean(axis=1))
    assert record.train_accuracy.shape == (9,) and not record.diverged


def test_never_revived_and_ever_revived_on_a_hand_made_record():
    dead = np.array([[0, 0, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1], [1, 1, 0, 1]], dtype=bool)
    record = dead_units.DeadRecord(np.arange(4), dead, {"a": 4}, np.zeros(4))
    # at the end units 0, 1, 3 are dead; unit 1 revived in between, 0 and 3 did not
    assert record.never_revived == pytest.approx(2 / 3)
    assert record.ever_revived == 2  # unit 1 (dead, alive, dead) and unit 2 (dead, alive)
    alive = dead_units.DeadRecord(np.arange(2), np.zeros((2, 3), bool), {"a": 3}, np.zeros(2))
    assert np.isnan(alive.never_revived)


def test_divergence_stops_training_and_is_reported():
    X, y = _toy()
    model = _net()
    record = dead_units.train_recording_dead(
        model,
        losses.softmax_cross_entropy,
        optim.SGD(list(model.parameters()), lr=1e200),
        X,
        y,
        epochs=3,
        batch_size=16,
        rng=0,
    )
    assert record.diverged and len(record.steps) < 4


@pytest.mark.parametrize("bad", [dict(epochs=0), dict(batch_size=-1), dict(checks_per_epoch=0)])
def test_bad_arguments_are_named(bad):
    X, y = _toy()
    model = _net()
    kwargs = dict(epochs=1, batch_size=8, rng=0) | bad
    with pytest.raises(ValueError, match=next(iter(bad))):
        dead_units.train_recording_dead(
            model,
            losses.softmax_cross_entropy,
            optim.SGD(list(model.parameters()), lr=0.1),
            X,
            y,
            **kwargs,
        )
