"""Penalties (values and gradients against finite differences), max-norm, the optimizer wrapper."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn.lab.regularization import (
    L1,
    L2,
    ElasticNet,
    Regularized,
    max_norm,
    penalty_value,
    unit_norms,
    weights,
    with_penalty,
)
from coursenn.nn.conv import Conv2D
from coursenn.nn.gradcheck import numerical_gradient
from coursenn.nn.layers import Dense, ReLU, Sequential
from coursenn.nn.losses import softmax_cross_entropy
from coursenn.nn.optim import SGD


def test_values_on_a_small_example():
    W = np.array([[1.0, -2.0], [0.5, 0.0]])
    assert L2(0.1)(W)[0] == pytest.approx(0.5 * 0.1 * (1 + 4 + 0.25))
    assert L1(0.1)(W)[0] == pytest.approx(0.1 * 3.5)
    assert ElasticNet(0.1, 0.2)(W)[0] == pytest.approx(0.35 + 0.5 * 0.2 * 5.25)
    np.testing.assert_allclose(L2(0.1)(W)[1], 0.1 * W)  # lam W, not 2 lam W
    np.testing.assert_allclose(L1(0.1)(W)[1], 0.1 * np.sign(W))  # subgradient 0 at w = 0


@pytest.mark.parametrize("penalty", [L2(0.3), L1(0.3), ElasticNet(0.2, 0.7)])
def test_gradients_match_finite_differences(penalty, rng):
    W = rng.normal(size=(5, 4))
    W[np.abs(W) < 0.05] = 0.3  # stay away from L1's kink at 0
    numeric = numerical_gradient(lambda v: penalty(v)[0], W.copy())
    np.testing.assert_allclose(penalty(W)[1], numeric, rtol=1e-6, atol=1e-9)


def test_negative_strength_is_rejected():
    with pytest.raises(ValueError, match="lam must be >= 0"):
        L2(-1.0)
    with pytest.raises(ValueError, match="l1 must be >= 0"):
        ElasticNet(-0.1, 0.1)


def test_weights_leave_out_biases_and_see_conv_layers(rng):
    net = Sequential(Conv2D(1, 2, 3, rng=0), ReLU(), Sequential(Dense(4, 3, rng=1)), ReLU())
    found = weights(net)
    assert [p.shape for p in found] == [(2, 1, 3, 3), (4, 3)]
    assert penalty_value(L2(2.0), found) == pytest.approx(sum(np.sum(p.data**2) for p in found))


def test_max_norm_projects_columns_and_filters(rng):
    W = rng.normal(size=(6, 5)) * 3
    W[:, 0] *= 1e-3  # a column inside the ball: unchanged
    out = max_norm(W, 1.5)
    norms = unit_norms(out)
    assert np.all(norms <= 1.5 + 1e-12)
    np.testing.assert_array_equal(out[:, 0], W[:, 0])
    outside = unit_norms(W) > 1.5
    np.testing.assert_allclose(norms[outside], 1.5)
    # same direction: each column is a positive multiple of the original
    cos = np.sum(out * W, axis=0) / (unit_norms(out) * unit_norms(W))
    np.testing.assert_allclose(cos, 1.0)
    K = rng.normal(size=(3, 2, 3, 3))
    assert unit_norms(max_norm(K, 0.5)).shape == (3,)
    assert np.all(unit_norms(max_norm(K, 0.5)) <= 0.5 + 1e-12)
    with pytest.raises(ValueError, match="Dense weight"):
        unit_norms(np.ones(3))
    with pytest.raises(ValueError, match="c must be > 0"):
        max_norm(W, 0.0)


def _net_and_data(rng):
    net = Sequential(Dense(4, 6, rng=0), ReLU(), Dense(6, 3, rng=1))
    return net, rng.normal(size=(10, 4)), rng.integers(0, 3, size=10)


def _train(net, opt, X, y, steps=5, loss_fn=softmax_cross_entropy):
    for _ in range(steps):
        opt.zero_grad()
        net.backward(loss_fn(net.forward(X), y)[1])
        opt.step()


def test_l2_with_sgd_equals_weight_decay_on_the_weights(rng):
    a, X, y = _net_and_data(rng)
    b, _, _ = _net_and_data(rng)
    _train(a, Regularized(SGD(a.parameters(), lr=0.1), weights(a), penalty=L2(0.05)), X, y)
    opt_b = SGD([p for p in b.parameters() if p.name == "W"], lr=0.1, weight_decay=0.05)
    biases = SGD([p for p in b.parameters() if p.name == "b"], lr=0.1)
    for _ in range(5):
        opt_b.zero_grad(), biases.zero_grad()
        b.backward(softmax_cross_entropy(b.forward(X), y)[1])
        opt_b.step(), biases.step()
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_allclose(pa.data, pb.data, rtol=1e-12, atol=1e-14)


def test_regularized_gradient_is_the_gradient_of_the_whole_objective(rng):
    net, X, y = _net_and_data(rng)
    penalty = ElasticNet(0.01, 0.1)
    loss_fn = with_penalty(softmax_cross_entropy, penalty, weights(net))
    W = net[0].W
    opt = Regularized(SGD(net.parameters(), lr=0.0), weights(net), penalty=penalty)
    opt.zero_grad()
    net.backward(loss_fn(net.forward(X), y)[1])
    opt.step()  # lr 0: only the gradient is changed
    numeric = numerical_gradient(lambda _: loss_fn(net.forward(X), y)[0], W.data)
    np.testing.assert_allclose(W.grad, numeric, rtol=1e-5, atol=1e-8)


def test_max_norm_holds_after_every_step_even_with_a_huge_lr(rng):
    net, X, y = _net_and_data(rng)
    opt = Regularized(SGD(net.parameters(), lr=50.0), weights(net), max_norm=2.0)
    _train(net, opt, X, y)
    for W in weights(net):
        assert np.all(unit_norms(W.data) <= 2.0 + 1e-12)
    assert np.all(np.isfinite(net[0].W.data))


def test_wrapper_forwards_lr_and_checks_arguments(rng):
    net, _, _ = _net_and_data(rng)
    sgd = SGD(net.parameters(), lr=0.1)
    opt = Regularized(sgd, weights(net), penalty=L1(0.1))
    opt.lr = 0.02
    assert sgd.lr == 0.02 and opt.lr == 0.02
    with pytest.raises(TypeError, match="zero_grad"):
        Regularized(object(), weights(net))
    with pytest.raises(TypeError, match=r"params\[0\] must be a Parameter"):
        Regularized(sgd, [np.zeros(3)])
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        Regularized(sgd, weights(net), max_norm=-1.0)
