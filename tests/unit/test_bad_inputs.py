"""Every bad call to the public API gets a clear error naming the argument (issue 23).

Property-based part: each public entry point below is fed generated bad inputs of one kind
(complex or string arrays, None, wrong ndim, non-finite or out-of-range hyperparameters,
non-numbers where a number goes, labels out of range, negative seeds, sizes below 1) and
must raise the right exception type with a message that names the argument. Then one plain
test per example of the issue. ``tools/fuzz_api.py`` counts the same kinds over the whole API.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from coursenn import ShapeError, data, training
from coursenn.lab import perceptron, preprocessing, regularization
from coursenn.nn import activations, conv, init, layers, losses, optim
from coursenn.nn.conv.fast import gather_windows, scatter_windows, window_view
from coursenn.nn.conv.geometry import Window, window_geometry
from coursenn.nn.engine import Value
from coursenn.nn.optim import schedules
from coursenn.nn.parameter import Parameter

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
X43 = np.arange(12.0).reshape(4, 3) - 5.0
Y4 = np.array([0, 2, 1, 1])
IMG = np.arange(32.0).reshape(2, 1, 4, 4)


def names(message: str, argument: str) -> bool:
    """Does ``message`` name ``argument`` as a whole word?"""
    return re.search(rf"(?<![\w.]){re.escape(argument)}(?!\w)", message) is not None


def raises_naming(error: type[Exception], argument: str, call) -> str:
    """Run ``call()``; it must raise ``error`` with a message naming ``argument``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning or RuntimeWarning on the way
        with pytest.raises(error) as info:
            call()
    message = str(info.value)
    assert names(message, argument), f"{message!r} does not name {argument!r}"
    return message


def params_with_grad():
    p = Parameter(np.ones((2, 2)), "W")
    p.grad = np.full((2, 2), 0.5)
    return [p]


# --- entry points: (id, call with the bad value, argument name, required ndim or None) ------

ARRAY_ENTRIES = [
    ("activations.sigmoid", activations.sigmoid, "x", None),
    ("activations.relu_grad", activations.relu_grad, "x", None),
    ("activations.softmax", activations.softmax, "x", None),
    ("activations.prelu(a)", lambda v: activations.prelu(X43, v), "a", None),
    ("losses.mse_loss(target)", lambda v: losses.mse_loss(X43, v), "target", None),
    ("losses.softmax_cross_entropy", lambda v: losses.softmax_cross_entropy(v, Y4), "logits", 2),
    ("losses.multiclass_hinge_loss", lambda v: losses.multiclass_hinge_loss(v, Y4), "scores", 2),
    ("Dense.forward", lambda v: layers.Dense(3, 2, rng=0).forward(v), "x", 2),
    ("Maxout.forward", lambda v: layers.Maxout(3, 2, rng=0).forward(v), "x", 2),
    ("BatchNorm1d.forward", lambda v: layers.BatchNorm1d(3).forward(v), "x", 2),
    ("Tanh.forward", lambda v: layers.Tanh().forward(v), "x", None),
    ("Conv2D.forward", lambda v: conv.Conv2D(1, 2, 3, rng=0).forward(v), "x", 4),
    ("conv2d_forward(W)", lambda v: conv.conv2d_forward(IMG, v, np.zeros(2)), "W", 4),
    ("maxpool2d_forward", lambda v: conv.maxpool2d_forward(v, 2), "x", 4),
    ("im2col", lambda v: conv.im2col(v, 2), "x", 4),
    ("perceptron_predict", lambda v: perceptron.perceptron_predict(v, np.ones(3), 0.0), "X", 2),
    ("Preprocessor.fit", lambda v: preprocessing.Preprocessor("center").fit(v), "X", 2),
    ("Parameter", Parameter, "data", None),
    ("regularization.max_norm", lambda v: regularization.max_norm(v, 1.0), "W", None),
    (
        "training.fit(X)",
        lambda v: training.fit(
            layers.Dense(3, 3, rng=0),
            losses.softmax_cross_entropy,
            optim.SGD(layers.Dense(3, 3, rng=0).parameters(), lr=0.1),
            v,
            Y4,
            epochs=1,
            batch_size=2,
            rng=0,
            progress=False,
        ),
        "X",
        None,
    ),
]
ARRAY_IDS = [entry[0] for entry in ARRAY_ENTRIES]

complex_arrays = hnp.arrays(
    np.complex128,
    hnp.array_shapes(min_dims=1, max_dims=4, max_side=3),
    elements=st.complex_numbers(allow_nan=False, allow_infinity=False, max_magnitude=1e6),
).filter(lambda a: np.any(a.imag != 0))
numeric_strings = st.lists(
    st.lists(st.floats(-1e6, 1e6).map(str), min_size=1, max_size=3), min_size=1, max_size=3
).filter(lambda rows: len({len(r) for r in rows}) == 1)


@pytest.mark.parametrize(("name", "call", "argument", "ndim"), ARRAY_ENTRIES, ids=ARRAY_IDS)
@SETTINGS
@given(value=complex_arrays)
def test_complex_arrays_are_refused_by_name(name, call, argument, ndim, value):
    message = raises_naming(TypeError, argument, lambda: call(value))
    assert "complex" in message


@pytest.mark.parametrize(("name", "call", "argument", "ndim"), ARRAY_ENTRIES, ids=ARRAY_IDS)
@SETTINGS
@given(value=numeric_strings)
def test_numeric_strings_are_not_parsed(name, call, argument, ndim, value):
    message = raises_naming(TypeError, argument, lambda: call(value))
    assert "string" in message


@pytest.mark.parametrize(("name", "call", "argument", "ndim"), ARRAY_ENTRIES, ids=ARRAY_IDS)
@pytest.mark.parametrize("value", [None, "abc", {"a": 1}, [[1.0, 2.0], [3.0]]])
def test_non_arrays_are_refused_by_name(name, call, argument, ndim, value):
    raises_naming(TypeError, argument, lambda: call(value))


FIXED_NDIM = [entry for entry in ARRAY_ENTRIES if entry[3] is not None]


@pytest.mark.parametrize(
    ("name", "call", "argument", "ndim"), FIXED_NDIM, ids=[e[0] for e in FIXED_NDIM]
)
@SETTINGS
@given(data=st.data())
def test_wrong_ndim_is_a_shape_error_naming_the_argument(name, call, argument, ndim, data):
    wrong = data.draw(st.integers(0, 5).filter(lambda d: d != ndim), label="ndim")
    shape = data.draw(hnp.array_shapes(min_dims=wrong, max_dims=wrong, min_side=1, max_side=3))
    value = np.ones(shape)
    raises_naming(ShapeError, argument, lambda: call(value))


# --- hyperparameters: (id, call, argument, low, high, low_open, high_open) ------------------


def _sgd(**kw):
    return optim.SGD(params_with_grad(), **{"lr": 0.1, **kw})


HYPER_ENTRIES = [
    ("SGD(lr)", lambda v: optim.SGD(params_with_grad(), lr=v), "lr", 0, math.inf, False, False),
    ("SGD(momentum)", lambda v: _sgd(momentum=v), "momentum", 0, math.inf, False, False),
    ("SGD(weight_decay)", lambda v: _sgd(weight_decay=v), "weight_decay", 0, math.inf, 0, 0),
    ("Adam(eps)", lambda v: optim.Adam(params_with_grad(), eps=v), "eps", 0, math.inf, 0, 0),
    ("RMSprop(alpha)", lambda v: optim.RMSprop(params_with_grad(), alpha=v), "alpha", 0, 1, 0, 0),
    ("Adagrad(lr)", lambda v: optim.Adagrad(params_with_grad(), lr=v), "lr", 0, math.inf, 0, 0),
    ("opt.lr = v", lambda v: setattr(_sgd(), "lr", v), "lr", 0, math.inf, False, False),
    ("StepLR(gamma)", lambda v: schedules.StepLR(_sgd(), 2, gamma=v), "gamma", 0, math.inf, 1, 0),
    ("ExponentialLR(k)", lambda v: schedules.ExponentialLR(_sgd(), k=v), "k", 0, math.inf, 0, 0),
    ("InverseTimeLR(k)", lambda v: schedules.InverseTimeLR(_sgd(), k=v), "k", 0, math.inf, 0, 0),
    ("Dropout(keep_prob)", lambda v: layers.Dropout(v), "keep_prob", 0, 1, True, False),
    ("BatchNorm1d(eps)", lambda v: layers.BatchNorm1d(3, eps=v), "eps", 0, math.inf, True, False),
    ("BatchNorm1d(momentum)", lambda v: layers.BatchNorm1d(3, momentum=v), "momentum", 0, 1, 0, 0),
    ("LeakyReLU(negative_slope)", layers.LeakyReLU, "negative_slope", 0, math.inf, 0, 0),
    ("ELU(alpha)", layers.ELU, "alpha", 0, math.inf, False, False),
    (
        "leaky_relu(negative_slope)",
        lambda v: activations.leaky_relu(X43, v),
        "negative_slope",
        0,
        math.inf,
        False,
        False,
    ),
    ("elu_grad(alpha)", lambda v: activations.elu_grad(X43, v), "alpha", 0, math.inf, 0, 0),
    ("make_blobs(std)", lambda v: data.make_blobs(10, std=v, rng=0), "std", 0, math.inf, 1, 0),
    ("make_xor(noise)", lambda v: data.make_xor(10, noise=v, rng=0), "noise", 0, math.inf, 0, 0),
    ("make_moons(noise)", lambda v: data.make_moons(10, noise=v), "noise", 0, math.inf, 0, 0),
    ("make_circles(factor)", lambda v: data.make_circles(10, factor=v), "factor", 0, 1, 1, 1),
    (
        "train_perceptron(lr)",
        lambda v: perceptron.train_perceptron(X43[:2, :2], np.array([1.0, -1.0]), lr=v),
        "lr",
        0,
        math.inf,
        True,
        False,
    ),
    (
        "Preprocessor(eps)",
        lambda v: preprocessing.Preprocessor("whiten", eps=v),
        "eps",
        0,
        math.inf,
        0,
        0,
    ),
    (
        "hinge(margin)",
        lambda v: losses.multiclass_hinge_loss(X43, Y4, v),
        "margin",
        0,
        math.inf,
        0,
        0,
    ),
    ("L2(lam)", regularization.L2, "lam", 0, math.inf, False, False),
    ("max_norm(c)", lambda v: regularization.max_norm(X43, v), "c", 0, math.inf, True, False),
    ("PReLU(init)", lambda v: layers.PReLU(3, init=v), "init", -math.inf, math.inf, 0, 0),
]
HYPER_IDS = [entry[0] for entry in HYPER_ENTRIES]


def _outside(low, high, low_open, high_open):
    """Floats outside the interval, plus NaN and both infinities."""
    parts = [st.sampled_from([math.nan, math.inf, -math.inf])]
    if low > -math.inf:
        parts.append(st.floats(max_value=low, exclude_max=not low_open, allow_nan=False))
    if high < math.inf:
        parts.append(st.floats(min_value=high, exclude_min=not high_open, allow_nan=False))
    return st.one_of(parts)


@pytest.mark.parametrize(("name", "call", "argument", "low", "high", "lo", "ho"), HYPER_ENTRIES,
                         ids=HYPER_IDS)  # fmt: skip
@SETTINGS
@given(data=st.data())
def test_out_of_range_or_non_finite_hyperparameters(name, call, argument, low, high, lo, ho, data):
    value = data.draw(_outside(low, high, lo, ho), label=argument)
    message = raises_naming(ValueError, argument, lambda: call(value))
    assert repr(float(value)) in message  # says what came


not_a_number = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.booleans(),
    st.complex_numbers(allow_nan=False).filter(lambda z: z.imag != 0),
    st.lists(st.floats(0.1, 0.9), min_size=2, max_size=3).map(np.array),
)


@pytest.mark.parametrize(("name", "call", "argument", "low", "high", "lo", "ho"), HYPER_ENTRIES,
                         ids=HYPER_IDS)  # fmt: skip
@SETTINGS
@given(value=not_a_number)
def test_hyperparameters_that_are_not_numbers(name, call, argument, low, high, lo, ho, value):
    raises_naming(TypeError, argument, lambda: call(value))


# --- labels, seeds and sizes ----------------------------------------------------------------

LABEL_ENTRIES = [
    ("softmax_cross_entropy", lambda y: losses.softmax_cross_entropy(X43, y), "labels"),
    ("multiclass_hinge_loss", lambda y: losses.multiclass_hinge_loss(X43, y), "labels"),
    ("accuracy", lambda y: training.accuracy(X43, y), "y"),
]


@pytest.mark.parametrize(
    ("name", "call", "argument"), LABEL_ENTRIES, ids=[e[0] for e in LABEL_ENTRIES]
)
@SETTINGS
@given(
    bad=st.one_of(st.integers(3, 10**6), st.integers(-(10**6), -1)), index=st.integers(0, 3)
)  # fmt: skip
def test_labels_out_of_range_name_the_label_and_its_index(name, call, argument, bad, index):
    y = Y4.copy()
    y[index] = bad
    message = raises_naming(ValueError, argument, lambda: call(y))
    assert "[0, 3)" in message and f"got {bad} at index {index}" in message


@pytest.mark.parametrize(
    ("name", "call", "argument"), LABEL_ENTRIES, ids=[e[0] for e in LABEL_ENTRIES]
)
@SETTINGS
@given(n=st.integers(0, 8).filter(lambda n: n != 4))
def test_labels_for_another_batch_size(name, call, argument, n):  # fmt: skip
    raises_naming(ShapeError, argument, lambda: call(np.zeros(n, dtype=int)))


RNG_ENTRIES = [
    ("Dense", lambda r: layers.Dense(3, 2, rng=r)),
    ("Dropout", lambda r: layers.Dropout(0.5, rng=r)),
    ("Conv2D", lambda r: conv.Conv2D(1, 2, 3, rng=r)),
    ("init.he_normal", lambda r: init.he_normal((3, 2), rng=r)),
    ("init.zeros", lambda r: init.zeros((3, 2), rng=r)),
    ("make_blobs", lambda r: data.make_blobs(10, rng=r)),
    ("make_spiral", lambda r: data.make_spiral(12, rng=r)),
    ("train_test_split", lambda r: data.train_test_split(X43, Y4, rng=r)),
    ("load_digits", lambda r: data.load_digits(rng=r)),
    ("iterate_minibatches", lambda r: training.iterate_minibatches(X43, Y4, 2, rng=r)),
    ("train_perceptron", lambda r: perceptron.train_perceptron(X43[:2], np.ones(2), rng=r)),
]


@pytest.mark.parametrize(("name", "call"), RNG_ENTRIES, ids=[e[0] for e in RNG_ENTRIES])
@SETTINGS
@given(seed=st.integers(max_value=-1))
def test_negative_seeds_are_refused_by_name(name, call, seed):
    message = raises_naming(ValueError, "rng", lambda: call(seed))
    assert str(seed) in message


@pytest.mark.parametrize(("name", "call"), RNG_ENTRIES, ids=[e[0] for e in RNG_ENTRIES])
@SETTINGS
@given(value=st.one_of(st.floats(), st.text(max_size=3), st.booleans()))
def test_seeds_that_are_not_ints_are_refused_by_name(name, call, value):
    raises_naming(TypeError, "rng", lambda: call(value))


SIZE_ENTRIES = [
    ("Dense(in_features)", lambda n: layers.Dense(n, 2), "in_features"),
    ("Conv2D(kernel_size)", lambda n: conv.Conv2D(1, 2, n), "kernel_size"),
    ("make_moons(n_samples)", lambda n: data.make_moons(n), "n_samples"),
    ("fit(epochs)", lambda n: training.fit(
        layers.Dense(3, 3, rng=0), losses.softmax_cross_entropy,
        optim.SGD(layers.Dense(3, 3).parameters(), lr=0.1), X43, Y4, epochs=n, batch_size=2,
        rng=0, progress=False), "epochs"),
    ("init.he_normal(shape)", lambda n: init.he_normal((n, 4)), "shape"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "call", "argument"), SIZE_ENTRIES, ids=[e[0] for e in SIZE_ENTRIES]
)
@SETTINGS
@given(n=st.integers(max_value=0))
def test_sizes_below_one_are_refused_by_name(name, call, argument, n):  # fmt: skip
    raises_naming(ValueError, argument, lambda: call(n))


# --- the examples, one test each ------------------------------------------------------


def test_accuracy_checks_labels_against_the_number_of_classes():
    scores = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"^y must be class indices in \[0, K\) = \[0, 3\) .*got 7 at index 3$"):  # fmt: skip
        training.accuracy(scores, [0, 2, 1, 7])


@pytest.mark.parametrize("fn", [activations.prelu, activations.prelu_grad])
def test_prelu_slope_may_not_enlarge_x(fn):
    with pytest.raises(ShapeError, match=r"^a must be a scalar or broadcast to the shape of x \(4, 3\)"):  # fmt: skip
        fn(np.ones((4, 3)), np.ones((5, 4, 3)))
    assert fn(np.ones((4, 3)), np.ones(3)).shape == (4, 3)  # one slope per feature still works


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adagrad, optim.RMSprop, optim.Adam])
@pytest.mark.parametrize("lr", [-0.1, math.nan, math.inf])
def test_setting_a_bad_lr_on_any_optimizer_is_refused(cls, lr):
    params = params_with_grad()
    opt = cls(params, lr=0.1)
    with pytest.raises(ValueError, match=r"^lr must be"):
        opt.lr = lr
    assert opt.lr == 0.1
    opt.step()
    assert np.all(params[0].data < 1.0)  # still descends


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda: optim.SGD(params_with_grad(), lr=math.inf), r"^lr must be a finite number >= 0"),
        (lambda: _sgd(momentum=math.inf), r"^momentum must be a finite number >= 0, got inf"),
        (lambda: schedules.StepLR(_sgd(), 2, gamma=math.inf), r"^gamma must be a finite number"),
        (lambda: schedules.ExponentialLR(_sgd(), k=math.inf), r"^k must be a finite number"),
    ],
)
def test_infinite_rates_are_refused(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


@pytest.mark.parametrize("lr", [-1, 0, math.nan])
def test_train_perceptron_needs_a_positive_finite_lr(lr):
    X, y = data.logic_gate("AND")
    with pytest.raises(ValueError, match=r"^lr must be > 0, got "):
        perceptron.train_perceptron(X, y, lr=lr)


@pytest.mark.parametrize(
    "make",
    [
        lambda: data.make_blobs(std=math.nan),
        lambda: data.make_xor(noise=math.nan),
        lambda: data.make_moons(noise=math.nan),
        lambda: data.make_circles(noise=math.nan),
        lambda: data.make_spiral(noise=math.nan),
    ],
)
def test_nan_noise_is_refused_by_every_generator_alike(make):
    with pytest.raises(ValueError, match=r"^(std|noise) must be (>|>=) 0, got nan$"):
        make()


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.BatchNorm1d(3, eps=math.nan),
        lambda: layers.LeakyReLU(math.nan),
        lambda: layers.LeakyReLU(math.inf),
        lambda: layers.ELU(math.nan),
        lambda: layers.ELU(math.inf),
    ],
)
def test_layer_hyperparameters_must_be_finite(make):
    with pytest.raises(ValueError, match=r"^(eps|negative_slope|alpha) must be"):
        make()


def test_complex_input_is_refused_not_truncated():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match=r"^x must be an array of numbers \(real\), got complex"):  # fmt: skip
            layers.Dense(2, 1, rng=0).forward(np.array([[1 + 2j, 0.5]]))


def test_numeric_strings_are_not_turned_into_numbers():
    with pytest.raises(TypeError, match=r"^x must be an array of numbers, got strings"):
        activations.sigmoid([["0.5", "1.5"]])


def test_window_view_checks_its_geometry_instead_of_reading_past_the_array():
    x = np.ones((1, 1, 4, 4))
    too_big = Window(3, 3, 1, 1, 0, 0, 9, 9)
    with pytest.raises(ValueError, match=r"^g does not fit x_pad of shape \(1, 1, 4, 4\)"):
        window_view(x, too_big)
    with pytest.raises(ValueError, match=r"^g does not fit x of shape"):
        gather_windows(x, too_big)
    with pytest.raises(ValueError, match=r"^g does not fit x_shape of shape"):
        scatter_windows(np.ones((1, 9, 81)), x.shape, too_big)
    with pytest.raises(TypeError, match=r"^g must be a Window"):
        window_view(x, (3, 3, 1, 1, 0, 0, 2, 2))
    fits = window_geometry(x.shape, 3)  # the geometry made for x still works
    assert window_view(x, fits).shape == (1, 1, 3, 3, 2, 2)


def test_fit_on_zero_samples_says_so():
    model = layers.Dense(3, 3, rng=0)
    with pytest.raises(ValueError, match=r"^X must hold at least one training sample, got shape \(0, 3\)$"):  # fmt: skip
        training.fit(model, losses.softmax_cross_entropy, optim.SGD(model.parameters(), lr=0.1),
                     np.zeros((0, 3)), np.zeros(0, dtype=int), epochs=1, batch_size=2, rng=0,
                     progress=False)  # fmt: skip


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adagrad, optim.RMSprop, optim.Adam])
def test_a_parameter_without_gradient_is_named(cls):
    p = Parameter(np.ones(2), "W")
    opt = cls([p], lr=0.1)
    p.grad = None
    with pytest.raises(TypeError, match=r"^grad of Parameter\(W, shape=\(2,\)\) must be an array .*got NoneType: run backward"):  # fmt: skip
        opt.step()


def test_conv2d_backward_with_the_forward_output_instead_of_its_cache():
    W, b = np.ones((2, 1, 3, 3)), np.zeros(2)
    out, cache = conv.conv2d_forward(IMG, W, b)
    with pytest.raises(TypeError, match=r"^cache must be the cache that conv2d_forward returned .*got ndarray$"):  # fmt: skip
        conv.conv2d_backward(np.ones_like(out), out)
    with pytest.raises(TypeError, match=r"^cache must be the cache that maxpool2d_forward"):
        conv.maxpool2d_backward(np.ones_like(out), cache)
    dx, dW, db = conv.conv2d_backward(np.ones_like(out), cache)  # the right cache works
    assert dx.shape == IMG.shape and dW.shape == W.shape and db.shape == (2,)


def test_value_division_by_zero_says_division():
    with pytest.raises(ZeroDivisionError, match=r"^division by zero: the divisor 0 is 0"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError, match=r"^division by zero: the divisor Value\(data=0.0"):
        2 / Value(0.0)
    assert (Value(1.0) / 4).data == 0.25


@pytest.mark.parametrize("bad", [math.nan, math.inf, 1e308])
def test_preprocessor_refuses_non_finite_statistics_instead_of_hanging_in_lapack(bad):
    X = np.arange(12.0).reshape(4, 3)
    X[2, 1] = bad
    with pytest.raises(ValueError, match=r"^X must hold finite numbers to fit statistics"):
        preprocessing.Preprocessor("pca").fit(X)


def test_rng_minus_one_is_named():
    with pytest.raises(ValueError, match=r"^rng must be an int seed >= 0 \(or a Generator or None\), got -1$"):  # fmt: skip
        data.make_moons(rng=-1)


def test_dropout_with_a_string_probability():
    with pytest.raises(TypeError, match=r"^keep_prob must be a number, got str: '0.5'$"):
        layers.Dropout("0.5")


def test_initialiser_with_a_zero_fan_in():
    with pytest.raises(ValueError, match=r"^shape must be a tuple of positive integers, got \(0, 4\)$"):  # fmt: skip
        init.he_normal((0, 4))


def test_fit_checks_the_scheduler_before_the_first_epoch():
    model = layers.Dense(3, 3, rng=0)
    before = model.W.data.copy()
    with pytest.raises(TypeError, match=r"^scheduler must have a step\(\) method"):
        training.fit(model, losses.softmax_cross_entropy, optim.SGD(model.parameters(), lr=0.1),
                     X43, Y4, epochs=3, batch_size=2, rng=0, progress=False,
                     scheduler=object())  # fmt: skip
    np.testing.assert_array_equal(model.W.data, before)  # not one step was taken


def test_fit_refuses_a_scheduler_that_needs_a_metric_before_training():
    model = layers.Dense(3, 3, rng=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    before = model.W.data.copy()
    with pytest.raises(TypeError, match=r"^scheduler must step without arguments; ReduceLROnPlateau"):  # fmt: skip
        training.fit(model, losses.softmax_cross_entropy, opt, X43, Y4, epochs=2, batch_size=2,
                     rng=0, progress=False, scheduler=optim.ReduceLROnPlateau(opt))  # fmt: skip
    np.testing.assert_array_equal(model.W.data, before)


@pytest.mark.parametrize("fn", [activations.softmax, activations.log_softmax])
def test_softmax_and_log_softmax_agree_on_a_scalar(fn):
    with pytest.raises(ShapeError, match=r"^axis -1 is out of range for x of shape \(\)"):
        fn(1.0)
    with pytest.raises(TypeError, match=r"^axis must be an int, got float"):
        fn(X43, axis=1.0)


def test_flatten_accepts_zero_samples_like_dense():
    assert layers.Dense(16, 2, rng=0).forward(np.zeros((0, 16))).shape == (0, 2)
    flat = layers.Flatten()
    assert flat.forward(np.zeros((0, 1, 4, 4))).shape == (0, 16)
    assert flat.backward(np.zeros((0, 16))).shape == (0, 1, 4, 4)
