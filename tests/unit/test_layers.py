"""coursenn.nn.layers: Dense, activation layers, Sequential, count_parameters."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn._checks import ShapeError
from coursenn.nn import activations as act
from coursenn.nn.layers import (
    ELU,
    Dense,
    LeakyReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Softplus,
    Tanh,
    count_parameters,
)
from coursenn.nn.parameter import Parameter

GRAD_TOL = 1e-7


def _dense_with_bias(rng, d_in=4, d_out=3) -> Dense:
    layer = Dense(d_in, d_out, rng=rng)
    layer.b.data = rng.normal(size=d_out)  # a non-zero bias so a wrong db/forward shows
    return layer


# --- Dense ----------------------------------------------------------------------------------


def test_dense_shapes_and_initial_bias():
    layer = Dense(3, 5, rng=0)
    assert layer.W.shape == (3, 5) and layer.b.shape == (5,)
    assert layer.W.data.dtype == np.float64
    np.testing.assert_array_equal(layer.b.data, np.zeros(5))
    assert layer.forward(np.ones((7, 3))).shape == (7, 5)


def test_dense_forward_is_x_at_w_plus_b(rng):
    layer = _dense_with_bias(rng)
    x = rng.normal(size=(6, 4))
    np.testing.assert_allclose(layer.forward(x), x @ layer.W.data + layer.b.data, rtol=1e-14)
    np.testing.assert_allclose(layer(x), layer.forward(x))  # __call__ is forward


def test_dense_forward_hand_computed():
    layer = Dense(2, 1, init="zeros")
    layer.W.data = np.array([[2.0], [-1.0]])
    layer.b.data = np.array([0.5])
    np.testing.assert_array_equal(layer.forward([[1.0, 1.0], [3.0, 4.0]]), [[1.5], [2.5]])


def test_dense_backward_against_finite_differences(rng, gradcheck):
    layer = _dense_with_bias(rng)
    x = rng.normal(size=(5, 4))
    dout = rng.normal(size=(5, 3))
    layer.forward(x)
    dx = layer.backward(dout)

    dx_num = gradcheck.numerical(layer.forward, x.copy(), dout)
    dW_num = gradcheck.numerical(lambda _: layer.forward(x), layer.W.data, dout)
    db_num = gradcheck.numerical(lambda _: layer.forward(x), layer.b.data, dout)

    assert dx.shape == x.shape and layer.W.grad.shape == (4, 3) and layer.b.grad.shape == (3,)
    gradcheck.assert_close(dx, dx_num, GRAD_TOL, "dx")
    gradcheck.assert_close(layer.W.grad, dW_num, GRAD_TOL, "dW")
    gradcheck.assert_close(layer.b.grad, db_num, GRAD_TOL, "db")


def test_dense_backward_closed_form(rng):
    layer = _dense_with_bias(rng)
    x = rng.normal(size=(5, 4))
    dout = rng.normal(size=(5, 3))
    layer.forward(x)
    dx = layer.backward(dout)
    np.testing.assert_allclose(layer.W.grad, x.T @ dout)
    np.testing.assert_allclose(layer.b.grad, dout.sum(axis=0))
    np.testing.assert_allclose(dx, dout @ layer.W.data.T)


def test_dense_wrong_input_width_names_x_and_expected_shape():
    layer = Dense(3, 2, rng=0)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 3\).*got \(4, 5\)"):
        layer.forward(np.ones((4, 5)))


def test_dense_one_dimensional_input_is_rejected_not_reshaped():
    layer = Dense(3, 2, rng=0)
    with pytest.raises(ShapeError, match=r"x must be 2-D \(N, 3\), got shape \(3,\)"):
        layer.forward(np.ones(3))


def test_dense_wrong_dout_shape():
    layer = Dense(3, 2, rng=0)
    layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"dout must have shape \(4, 2\), got \(4, 3\)"):
        layer.backward(np.ones((4, 3)))


@pytest.mark.parametrize("bad", [0, -1, 2.0, True, "3"])
def test_dense_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="in_features must be a positive integer"):
        Dense(bad, 2)
    with pytest.raises(ValueError, match="out_features must be a positive integer"):
        Dense(2, bad)


def test_dense_unknown_init_lists_names():
    with pytest.raises(ValueError, match=r"init must be one of \[.*'he_normal'.*\], got 'bogus'"):
        Dense(2, 2, init="bogus")


def test_dense_same_seed_same_weights_different_seed_different():
    np.testing.assert_array_equal(Dense(5, 4, rng=7).W.data, Dense(5, 4, rng=7).W.data)
    assert not np.array_equal(Dense(5, 4, rng=7).W.data, Dense(5, 4, rng=8).W.data)
    g1, g2 = np.random.default_rng(3), np.random.default_rng(3)
    np.testing.assert_array_equal(Dense(5, 4, rng=g1).W.data, Dense(5, 4, rng=g2).W.data)


def test_dense_init_name_is_used():
    np.testing.assert_array_equal(Dense(3, 2, init="zeros").W.data, np.zeros((3, 2)))
    w = Dense(400, 300, init="xavier_uniform", rng=0).W.data
    assert np.abs(w).max() <= np.sqrt(6.0 / 700)


def test_no_global_random_state_touched():
    before = np.random.get_state()
    Dense(10, 10)
    Dense(10, 10, rng=1)
    Sequential(Dense(3, 4), Tanh(), Dense(4, 1)).forward(np.ones((2, 3)))
    after = np.random.get_state()
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_forward_does_not_mutate_input(rng):
    x = rng.normal(size=(3, 4))
    before = x.copy()
    model = Sequential(Dense(4, 4, rng=0), ReLU(), Dense(4, 2, rng=1))
    out = model.forward(x)
    model.backward(np.ones_like(out))
    np.testing.assert_array_equal(x, before)


def test_dense_accepts_lists():
    layer = Dense(2, 1, init="zeros")
    layer.b.data = np.array([1.0])
    np.testing.assert_array_equal(layer.forward([[1, 2]]), [[1.0]])


# --- activation layers ----------------------------------------------------------------------

ACTIVATION_LAYERS = [
    pytest.param(Sigmoid, act.sigmoid, id="Sigmoid"),
    pytest.param(Tanh, act.tanh, id="Tanh"),
    pytest.param(ReLU, act.relu, id="ReLU"),
    pytest.param(lambda: LeakyReLU(0.1), lambda x: act.leaky_relu(x, 0.1), id="LeakyReLU"),
    pytest.param(lambda: ELU(0.7), lambda x: act.elu(x, 0.7), id="ELU"),
    pytest.param(Softplus, act.softplus, id="Softplus"),
]


@pytest.mark.parametrize("make, f", ACTIVATION_LAYERS)
def test_activation_layer_forward_equals_function(make, f, rng):
    x = rng.normal(size=(4, 3))
    np.testing.assert_array_equal(make().forward(x), f(x))


@pytest.mark.parametrize("make, f", ACTIVATION_LAYERS)
def test_activation_layer_backward_against_finite_differences(make, f, rng, gradcheck):
    layer = make()
    x = rng.uniform(0.05, 3.0, size=(4, 3)) * rng.choice([-1.0, 1.0], size=(4, 3))
    dout = rng.normal(size=(4, 3))
    layer.forward(x)
    dx = layer.backward(dout)
    dx_num = gradcheck.numerical(layer.forward, x.copy(), dout)
    gradcheck.assert_close(dx, dx_num, GRAD_TOL, "dx")


@pytest.mark.parametrize("make, f", ACTIVATION_LAYERS)
def test_activation_layer_has_no_parameters(make, f):
    assert list(make().parameters()) == []
    assert count_parameters(make()) == 0


@pytest.mark.parametrize("make, f", ACTIVATION_LAYERS)
def test_activation_layer_dout_shape_checked(make, f):
    layer = make()
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 3\).*got \(3, 2\)"):
        layer.backward(np.ones((3, 2)))


def test_leaky_relu_and_elu_keep_their_hyperparameters():
    x = np.array([[-2.0, 1.0]])
    np.testing.assert_allclose(LeakyReLU(0.3).forward(x), [[-0.6, 1.0]])
    np.testing.assert_allclose(ELU(2.0).forward(x), [[2.0 * np.expm1(-2.0), 1.0]])
    assert "0.3" in repr(LeakyReLU(0.3)) and "2.0" in repr(ELU(2.0))


# --- backward before forward ----------------------------------------------------------------


@pytest.mark.parametrize(
    "layer",
    [
        Dense(2, 2, rng=0),
        Sigmoid(),
        Tanh(),
        ReLU(),
        LeakyReLU(),
        ELU(),
        Softplus(),
        Sequential(Dense(2, 2, rng=0), Tanh()),
    ],
    ids=lambda layer: type(layer).__name__,
)
def test_backward_before_forward_raises_runtime_error(layer):
    with pytest.raises(RuntimeError, match=r"backward called before forward"):
        layer.backward(np.ones((1, 2)))


# --- Sequential -----------------------------------------------------------------------------


def test_sequential_forward_composes_layers(rng):
    d1, d2 = _dense_with_bias(rng, 3, 4), _dense_with_bias(rng, 4, 2)
    model = Sequential(d1, Tanh(), d2)
    x = rng.normal(size=(5, 3))
    expected = np.tanh(x @ d1.W.data + d1.b.data) @ d2.W.data + d2.b.data
    np.testing.assert_allclose(model.forward(x), expected, rtol=1e-13)
    assert len(model) == 3 and model[1].__class__ is Tanh


def test_sequential_backward_against_finite_differences(rng, gradcheck):
    model = Sequential(_dense_with_bias(rng, 3, 4), Tanh(), _dense_with_bias(rng, 4, 2))
    x = rng.normal(size=(5, 3))
    dout = rng.normal(size=(5, 2))
    model.forward(x)
    dx = model.backward(dout)
    gradcheck.assert_close(dx, gradcheck.numerical(model.forward, x.copy(), dout), GRAD_TOL, "dx")
    for p in model.parameters():
        numeric = gradcheck.numerical(lambda _: model.forward(x), p.data, dout)
        gradcheck.assert_close(p.grad, numeric, GRAD_TOL, f"d{p.name} of {p!r}")


def test_sequential_parameters_order_weight_before_bias():
    d1, d2 = Dense(3, 4, rng=0), Dense(4, 2, rng=1)
    params = list(Sequential(d1, Sigmoid(), d2).parameters())
    assert [p.name for p in params] == ["W", "b", "W", "b"]
    assert params[0] is d1.W and params[1] is d1.b and params[2] is d2.W and params[3] is d2.b
    assert all(isinstance(p, Parameter) for p in params)


def test_sequential_rejects_non_layers():
    with pytest.raises(
        TypeError, match=r"layers must be Layer instances, got function at position 1"
    ):
        Sequential(Dense(2, 2), lambda x: x)


def test_count_parameters_small_nets():
    assert count_parameters(Sequential(Dense(3, 4), Sigmoid(), Dense(4, 2))) == 26
    assert count_parameters(Sequential(Dense(3, 4), Tanh(), Dense(4, 4), Tanh(), Dense(4, 1))) == 41
    assert count_parameters(Dense(10, 1)) == 11


def test_count_parameters_rejects_non_layer():
    with pytest.raises(TypeError, match="model must be a Layer, got list"):
        count_parameters([Dense(2, 2)])


def test_train_eval_propagate_to_children():
    inner = Sequential(Dense(2, 2), ReLU())
    model = Sequential(Dense(2, 2), inner, Sigmoid())
    assert model.eval() is model
    assert model.training is False
    assert all(layer.training is False for layer in model.layers)
    assert all(layer.training is False for layer in inner.layers)
    assert model.train() is model
    assert model.training is True
    assert all(layer.training is True for layer in model.layers + inner.layers)


# --- Parameter -------------------------------------------------------------------------------


def test_parameter_copies_data_and_starts_with_zero_grad():
    source = [[1, 2], [3, 4]]
    p = Parameter(source, "W")
    assert p.data.dtype == np.float64 and p.shape == (2, 2) and p.size == 4
    np.testing.assert_array_equal(p.grad, np.zeros((2, 2)))
    arr = np.ones(3)
    q = Parameter(arr)
    arr[0] = 5.0
    assert q.data[0] == 1.0
    q.grad = np.full(3, 7.0)
    q.zero_grad()
    np.testing.assert_array_equal(q.grad, np.zeros(3))
    assert repr(p) == "Parameter(W, shape=(2, 2))"
