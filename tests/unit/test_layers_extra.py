"""coursenn.nn.layers: PReLU and Maxout, gradients against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn.nn import activations as act
from coursenn.nn.gradcheck import numerical_gradient_array, rel_error
from coursenn.nn.layers import Maxout, PReLU

TOL = 1e-7


def _away_from_kinks(rng, shape):
    x = rng.normal(size=shape)
    return np.where(np.abs(x) < 0.05, 0.3, x)  # finite differences straddle no kink


@pytest.mark.parametrize("num_features", [1, 4])
def test_prelu_forward_and_gradients(num_features):
    rng = np.random.default_rng(0)
    layer = PReLU(num_features, init=0.2)
    layer.a.data = rng.uniform(0.05, 0.5, size=num_features)
    x = _away_from_kinks(rng, (6, 4))
    out = layer.forward(x)
    np.testing.assert_allclose(out, act.prelu(x, layer.a.data))
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    num_dx = numerical_gradient_array(lambda z: PReLU_forward(layer, z), x.copy(), dout)
    assert rel_error(dx, num_dx) < TOL
    a = layer.a.data
    num_da = numerical_gradient_array(lambda _: np.where(x > 0, x, a * x), a, dout)
    assert rel_error(layer.a.grad, num_da) < TOL


def PReLU_forward(layer, z):
    return np.where(z > 0, z, layer.a.data * z)


def test_prelu_hand_computed():
    layer = PReLU(1, init=0.25)
    np.testing.assert_allclose(layer.forward([[-2.0, 3.0]]), [[-0.5, 3.0]])
    dx = layer.backward([[1.0, 1.0]])
    np.testing.assert_allclose(dx, [[0.25, 1.0]])
    np.testing.assert_allclose(layer.a.grad, [-2.0])
    assert [p.name for p in layer.parameters()] == ["a"]


def test_prelu_errors():
    with pytest.raises(RuntimeError, match="before forward"):
        PReLU().backward(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"\(N, \.\.\., 3\)"):
        PReLU(3).forward(np.ones((2, 4)))
    layer = PReLU()
    layer.forward(np.ones((2, 2)))
    with pytest.raises(ValueError, match="dout must have shape"):
        layer.backward(np.ones((2, 3)))


def test_maxout_forward_is_max_of_pieces():
    rng = np.random.default_rng(1)
    layer = Maxout(4, 3, pieces=3, rng=rng)
    layer.b.data = rng.normal(size=(3, 3))
    x = rng.normal(size=(5, 4))
    pieces = [x @ layer.W.data[j] + layer.b.data[j] for j in range(3)]
    np.testing.assert_allclose(layer.forward(x), np.max(pieces, axis=0))
    assert layer.W.shape == (3, 4, 3) and layer.b.shape == (3, 3)


def test_maxout_contains_relu():
    rng = np.random.default_rng(2)
    layer = Maxout(4, 3, rng=rng)
    layer.W.data[1] = 0.0
    x = rng.normal(size=(5, 4))
    np.testing.assert_allclose(layer.forward(x), act.relu(x @ layer.W.data[0]))


def test_maxout_gradients_against_finite_differences():
    rng = np.random.default_rng(3)
    layer = Maxout(4, 3, pieces=2, rng=rng)
    layer.b.data = rng.normal(size=(2, 3))
    x = rng.normal(size=(6, 4))
    dout = rng.normal(size=(6, 3))
    layer.forward(x)
    dx = layer.backward(dout)
    dW, db = layer.W.grad.copy(), layer.b.grad.copy()
    f = lambda _: layer.forward(x)  # noqa: E731 - reads the perturbed arrays in place
    assert rel_error(dx, numerical_gradient_array(lambda z: layer.forward(z), x.copy(), dout)) < TOL
    assert rel_error(dW, numerical_gradient_array(f, layer.W.data, dout)) < TOL
    assert rel_error(db, numerical_gradient_array(f, layer.b.data, dout)) < TOL


def test_maxout_errors():
    with pytest.raises(RuntimeError, match="before forward"):
        Maxout(2, 2).backward(np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        Maxout(2, 2).forward(np.ones((3, 5)))
    with pytest.raises(ValueError, match="pieces"):
        Maxout(2, 2, pieces=0)
