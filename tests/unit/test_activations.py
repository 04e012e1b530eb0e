"""coursenn.nn.activations: values, derivatives against finite differences, stability."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coursenn.nn import activations as act

# (function, its derivative, keyword arguments) for every elementwise activation.
ELEMENTWISE = [
    pytest.param(act.sigmoid, act.sigmoid_grad, {}, id="sigmoid"),
    pytest.param(act.tanh, act.tanh_grad, {}, id="tanh"),
    pytest.param(act.relu, act.relu_grad, {}, id="relu"),
    pytest.param(act.leaky_relu, act.leaky_relu_grad, {}, id="leaky_relu"),
    pytest.param(act.leaky_relu, act.leaky_relu_grad, {"negative_slope": 0.2}, id="leaky_relu_0.2"),
    pytest.param(act.elu, act.elu_grad, {}, id="elu"),
    pytest.param(act.elu, act.elu_grad, {"alpha": 0.5}, id="elu_alpha0.5"),
    pytest.param(act.softplus, act.softplus_grad, {}, id="softplus"),
    pytest.param(act.prelu, act.prelu_grad, {"a": 0.25}, id="prelu_scalar"),
    pytest.param(
        act.prelu, act.prelu_grad, {"a": np.array([0.1, 0.3, 0.7])}, id="prelu_per_feature"
    ),
]

ALL_FUNCTIONS = (
    [act.sign, act.softmax, act.log_softmax]
    + [p.values[0] for p in ELEMENTWISE]
    + [p.values[1] for p in ELEMENTWISE]
)


def _away_from_kink(rng, shape=(20, 3), lo=0.05, hi=3.0):
    """Random points with lo <= |x| <= hi, so no kink at 0 lies within h of a sample."""
    return rng.uniform(lo, hi, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def _call(f, x, kwargs):
    return f(x, **kwargs)


# --- values at known points ---------------------------------------------------------------


def test_sigmoid_known_values():
    assert act.sigmoid(0.0) == 0.5
    np.testing.assert_allclose(act.sigmoid([np.log(3.0), -np.log(3.0)]), [0.75, 0.25], rtol=1e-15)
    x = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(act.sigmoid(x), 1.0 / (1.0 + np.exp(-x)), rtol=1e-14)


def test_sigmoid_symmetry():
    x = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(act.sigmoid(-x), 1.0 - act.sigmoid(x), atol=1e-15)


def test_sigmoid_grad_peak_is_quarter_at_zero():
    assert act.sigmoid_grad(0.0) == 0.25
    assert np.all(act.sigmoid_grad(np.linspace(-10, 10, 101)) <= 0.25)


def test_tanh_is_shifted_scaled_sigmoid():
    x = np.linspace(-10, 10, 201)
    np.testing.assert_allclose(act.tanh(x), 2.0 * act.sigmoid(2.0 * x) - 1.0, atol=1e-14)
    assert act.tanh(0.0) == 0.0
    assert act.tanh_grad(0.0) == 1.0


def test_relu_values_and_grad_convention_at_zero():
    x = np.array([-2.0, -0.0, 0.0, 1.5])
    np.testing.assert_array_equal(act.relu(x), [0.0, 0.0, 0.0, 1.5])
    np.testing.assert_array_equal(act.relu_grad([-2.0, 0.0, 1.5]), [0.0, 0.0, 1.0])


def test_leaky_relu_values():
    np.testing.assert_allclose(act.leaky_relu([-2.0, 0.0, 3.0]), [-0.02, 0.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu([-2.0, 3.0], negative_slope=0.5), [-1.0, 3.0])
    np.testing.assert_array_equal(act.leaky_relu_grad([-2.0, 0.0, 3.0], 0.2), [0.2, 0.2, 1.0])


def test_prelu_per_feature_slopes():
    x = np.array([[-1.0, -2.0, 3.0], [4.0, -1.0, -1.0]])
    a = np.array([0.1, 0.2, 0.3])
    np.testing.assert_allclose(act.prelu(x, a), [[-0.1, -0.4, 3.0], [4.0, -0.2, -0.3]])
    np.testing.assert_allclose(act.prelu_grad(x, a), [[0.1, 0.2, 1.0], [1.0, 0.2, 0.3]])


def test_elu_values():
    np.testing.assert_allclose(
        act.elu([-1.0, 0.0, 2.0]), [np.exp(-1.0) - 1.0, 0.0, 2.0], rtol=1e-15
    )
    np.testing.assert_allclose(act.elu([-1.0], alpha=2.0), [2.0 * (np.exp(-1.0) - 1.0)], rtol=1e-15)
    # ELU saturates at -alpha
    np.testing.assert_allclose(act.elu([-50.0], alpha=1.5), [-1.5])


def test_softplus_values_and_smooth_relu():
    np.testing.assert_allclose(act.softplus(0.0), np.log(2.0), rtol=1e-15)
    x = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(act.softplus(x), np.log1p(np.exp(x)), rtol=1e-13)
    # far from 0 softplus equals relu
    np.testing.assert_allclose(act.softplus([-40.0, 40.0]), [0.0, 40.0], atol=1e-15)


def test_softplus_grad_is_sigmoid():
    x = np.linspace(-8, 8, 33)
    np.testing.assert_array_equal(act.softplus_grad(x), act.sigmoid(x))


def test_sign_of_zero_is_plus_one():
    np.testing.assert_array_equal(act.sign([-3.0, -1e-300, 0.0, -0.0, 2.0]), [-1, -1, 1, 1, 1])
    assert act.sign(0) == 1.0


# --- derivatives against centred finite differences ---------------------------------------


@pytest.mark.parametrize("f, df, kwargs", ELEMENTWISE)
def test_grad_matches_centred_difference(f, df, kwargs, rng, gradcheck):
    x = _away_from_kink(rng)
    numeric = gradcheck.numerical(lambda z: _call(f, z, kwargs), x, h=1e-6)
    analytic = _call(df, x, kwargs)
    assert analytic.shape == x.shape
    gradcheck.assert_close(analytic, numeric, tol=1e-7, what=f.__name__)


def test_prelu_grad_with_respect_to_slope(rng, gradcheck):
    """d prelu / d a is x where x <= 0 (not part of the API, but the layer math needs it)."""
    x = _away_from_kink(rng, shape=(6, 3))
    a = np.array([0.1, 0.3, 0.7])
    numeric = gradcheck.numerical(lambda s: act.prelu(x, s), a)
    np.testing.assert_allclose(numeric, np.where(x > 0, 0.0, x).sum(axis=0), rtol=1e-7)


def test_softmax_jacobian_matches_finite_difference(rng, gradcheck):
    """J = diag(p) - p p^T, so dL/dx = p * (dout - sum(dout * p))."""
    x = rng.normal(size=(4, 5))
    dout = rng.normal(size=(4, 5))
    p = act.softmax(x)
    analytic = p * (dout - np.sum(dout * p, axis=1, keepdims=True))
    numeric = gradcheck.numerical(act.softmax, x, dout)
    gradcheck.assert_close(analytic, numeric, tol=1e-7, what="softmax")


# --- numerical stability -------------------------------------------------------------------

# Underflow (exp(-1000) -> 0.0) is the correct rounded result and numpy ignores it by
# default; overflow, division by zero and invalid operations must never happen.
STRICT_FP = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


@pytest.mark.parametrize("f", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_finite_and_silent_at_plus_minus_1000(f):
    x = np.array([[-1000.0, -500.0, 0.0, 500.0, 1000.0]])
    kwargs = {"a": 0.25} if f in (act.prelu, act.prelu_grad) else {}
    with warnings.catch_warnings(), np.errstate(**STRICT_FP):
        warnings.simplefilter("error")
        out = f(x, **kwargs)
    assert out.shape == x.shape
    assert np.all(np.isfinite(out))


def test_saturated_values_at_plus_minus_1000():
    x = np.array([-1000.0, 1000.0])
    with np.errstate(**STRICT_FP):
        np.testing.assert_array_equal(act.sigmoid(x), [0.0, 1.0])
        np.testing.assert_array_equal(act.tanh(x), [-1.0, 1.0])
        np.testing.assert_array_equal(act.softplus(x), [0.0, 1000.0])
        np.testing.assert_array_equal(act.elu(x), [-1.0, 1000.0])
        np.testing.assert_array_equal(act.softmax(x), [0.0, 1.0])
        np.testing.assert_allclose(act.log_softmax(x), [-2000.0, 0.0])


# --- softmax and log-softmax ---------------------------------------------------------------

_rows = arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(1, 6)),
    elements=st.floats(-500, 500, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None, database=None)
@given(x=_rows)
def test_softmax_rows_are_distributions(x):
    p = act.softmax(x)
    assert p.shape == x.shape
    assert np.all(p >= 0.0) and np.all(p <= 1.0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


@settings(max_examples=60, deadline=None, database=None)
@given(x=_rows, shift=st.floats(-300, 300, allow_nan=False))
def test_softmax_is_shift_invariant(x, shift):
    np.testing.assert_allclose(act.softmax(x + shift), act.softmax(x), atol=1e-12)


@settings(max_examples=60, deadline=None, database=None)
@given(x=_rows)
def test_log_softmax_is_log_of_softmax(x):
    p = act.softmax(x)
    finite = p > 1e-300  # log(0) is -inf; log_softmax stays finite there
    np.testing.assert_allclose(act.log_softmax(x)[finite], np.log(p[finite]), atol=1e-10)
    assert np.all(np.isfinite(act.log_softmax(x)))


def test_softmax_axis_argument():
    x = np.array([[1.0, 2.0], [3.0, 5.0]])
    np.testing.assert_allclose(act.softmax(x, axis=0).sum(axis=0), [1.0, 1.0])
    np.testing.assert_allclose(act.softmax(x, axis=0), act.softmax(x.T).T)
    np.testing.assert_allclose(act.softmax([0.0, np.log(3.0)]), [0.25, 0.75])


# --- inputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("f", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_input_not_mutated_and_output_is_new(f):
    x = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    before = x.copy()
    kwargs = {"a": 0.25} if f in (act.prelu, act.prelu_grad) else {}
    out = f(x, **kwargs)
    np.testing.assert_array_equal(x, before)
    assert not np.shares_memory(out, x)
    assert out.dtype == np.float64


@pytest.mark.parametrize("f", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_lists_and_ints_accepted(f):
    kwargs = {"a": 0.25} if f in (act.prelu, act.prelu_grad) else {}
    from_list = f([[-2, 0, 3]], **kwargs)
    from_array = f(np.array([[-2.0, 0.0, 3.0]]), **kwargs)
    assert isinstance(from_list, np.ndarray) and from_list.dtype == np.float64
    np.testing.assert_array_equal(from_list, from_array)


def test_non_numeric_input_raises_type_error_naming_x():
    with pytest.raises(TypeError, match=r"^x must be an array of numbers"):
        act.sigmoid("abc")
