"""Flatten, Dropout and BatchNorm1d: values, modes, gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn.nn.layers import BatchNorm1d, Dense, Dropout, Flatten, ReLU, Sequential


def test_flatten_round_trip(rng, gradcheck):
    x = rng.normal(size=(3, 2, 4, 5))
    layer = Flatten()
    out = layer.forward(x)
    assert out.shape == (3, 40)
    np.testing.assert_array_equal(out[1], x[1].ravel())
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    num = gradcheck.numerical(lambda v: Flatten().forward(v), x, dout)
    gradcheck.assert_close(dx, num, 1e-7)


def test_flatten_errors():
    with pytest.raises(ValueError, match="batch axis"):
        Flatten().forward(np.zeros(4))
    layer = Flatten()
    layer.forward(np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 9\)"):
        layer.backward(np.zeros((2, 8)))


def test_dropout_keeps_expectation_and_rescales(rng):
    layer = Dropout(0.8, rng=0)
    x = np.ones((2000, 50))
    out = layer.forward(x)
    kept = out != 0
    assert set(np.unique(out)) == {0.0, 1.0 / 0.8}
    assert abs(kept.mean() - 0.8) < 0.01
    assert abs(out.mean() - 1.0) < 0.01


def test_dropout_backward_uses_the_same_mask(rng, gradcheck):
    layer = Dropout(0.5, rng=3)
    x = rng.normal(size=(4, 6))
    layer.forward(x)
    mask = layer.mask.copy()
    dout = rng.normal(size=x.shape)
    dx = layer.backward(dout)
    np.testing.assert_allclose(dx, dout * mask)
    # with the mask fixed, dropout is the linear map x -> x * mask
    num = gradcheck.numerical(lambda v: v * mask, x.copy(), dout)
    gradcheck.assert_close(dx, num, 1e-7)


def test_dropout_is_identity_in_eval_mode(rng):
    layer = Dropout(0.3, rng=1).eval()
    x = rng.normal(size=(5, 4))
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), np.ones_like(x))


@pytest.mark.parametrize("keep_prob", [0.0, -0.1, 1.5])
def test_dropout_rejects_bad_keep_prob(keep_prob):
    with pytest.raises(ValueError, match="keep_prob must be in"):
        Dropout(keep_prob)


def test_dropout_same_seed_same_mask():
    x = np.ones((3, 7))
    np.testing.assert_array_equal(Dropout(0.5, rng=9).forward(x), Dropout(0.5, rng=9).forward(x))


def test_batchnorm_normalises_each_feature_in_training(rng):
    x = rng.normal(loc=3.0, scale=2.0, size=(64, 5))
    out = BatchNorm1d(5).forward(x)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1.0, atol=1e-3)


def test_batchnorm_running_statistics_follow_pytorch_convention(rng):
    x = rng.normal(size=(10, 3))
    layer = BatchNorm1d(3, momentum=0.1)
    layer.forward(x)
    np.testing.assert_allclose(layer.running_mean, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(layer.running_var, 0.9 + 0.1 * x.var(axis=0, ddof=1))
    layer.eval()
    x_test = rng.normal(size=(4, 3))
    expected = (x_test - layer.running_mean) / np.sqrt(layer.running_var + 1e-5)
    np.testing.assert_allclose(layer.forward(x_test), expected)


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_batchnorm_backward_against_finite_differences(rng, gradcheck, mode):
    layer = BatchNorm1d(4)
    layer.gamma.data = rng.normal(size=4)
    layer.beta.data = rng.normal(size=4)
    layer.running_mean = rng.normal(size=4)
    layer.running_var = rng.uniform(0.5, 2.0, size=4)
    getattr(layer, mode)()
    stats = (layer.running_mean.copy(), layer.running_var.copy())
    x = rng.normal(size=(6, 4))
    dout = rng.normal(size=x.shape)

    def forward(_):
        layer.running_mean, layer.running_var = stats[0].copy(), stats[1].copy()
        return layer.forward(x)

    forward(None)
    dx = layer.backward(dout)
    dgamma, dbeta = layer.gamma.grad.copy(), layer.beta.grad.copy()
    gradcheck.assert_close(dx, gradcheck.numerical(forward, x, dout), 1e-7, "dx")
    gradcheck.assert_close(dgamma, gradcheck.numerical(forward, layer.gamma.data, dout), 1e-7)
    gradcheck.assert_close(dbeta, gradcheck.numerical(forward, layer.beta.data, dout), 1e-7)


def test_batchnorm_parameters_and_errors():
    layer = BatchNorm1d(3)
    assert [p.name for p in layer.parameters()] == ["gamma", "beta"]
    with pytest.raises(ValueError, match=r"x must have shape \(N, 3\)"):
        layer.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="at least 2 samples"):
        layer.forward(np.zeros((1, 3)))
    with pytest.raises(RuntimeError, match="before forward"):
        BatchNorm1d(2).backward(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm1d(2, momentum=1.5)


def test_sequential_with_every_layer_kind_checks_out(rng, gradcheck):
    model = Sequential(
        Flatten(),
        Dense(6, 5, rng=1),
        BatchNorm1d(5),
        ReLU(),
        Dropout(0.7, rng=2),
        Dense(5, 3, rng=3),
    )
    x = rng.normal(size=(4, 2, 3))
    out = model.forward(x)
    mask = model[4].mask.copy()
    dout = rng.normal(size=out.shape)
    dx = model.backward(dout)

    def forward(v):
        model[4].rng = np.random.default_rng(0)  # any draw; the mask is pinned below
        out = model.layers[0].forward(v)
        for layer in model.layers[1:4]:
            out = layer.forward(out)
        out = out * mask
        return model.layers[5].forward(out)

    gradcheck.assert_close(dx, gradcheck.numerical(forward, x, dout), 1e-6, "dx")
    assert len(list(model.parameters())) == 6
