"""coursenn.nn.conv (and coursenn.nn.conv.fast): geometry, im2col/col2im, convolution, pooling, layers."""

from __future__ import annotations

import collections
import sys

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coursenn._checks import ShapeError
from coursenn.nn import conv
from coursenn.nn.conv import (
    AvgPool2D,
    Conv2D,
    MaxPool2D,
    col2im,
    conv_output_size,
    im2col,
)
from coursenn.nn.layers import Layer

GRAD_TOL = 1e-7
PROPERTY = settings(max_examples=30, deadline=None, database=None)


# --- conv_output_size -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size, kernel, stride, padding, expected",
    [
        (7, 3, 1, 0, 5),  # CS231n: 7x7 input, 3x3 filter, stride 1 -> 5x5
        (7, 3, 2, 0, 3),  # ... stride 2 -> 3x3
        (11, 5, 2, 0, 4),  # lecture: X.shape (11, 11, 4), F=5, S=2 -> (11-5)/2+1 = 4
        (227, 11, 4, 0, 55),  # lecture (AlexNet): (227-11)/4+1 = 55
        (32, 5, 1, 2, 32),  # lecture: p=2 with a 5x5 filter keeps the size
        (32, 3, 1, 1, 32),  # ... p=1 with a 3x3 filter
        (7, 7, 1, 0, 1),  # FC -> conv: a filter as large as the input gives 1x1
        (12, 7, 1, 0, 6),  # lecture: (12-7)/1+1 = 6 (the 384x384 sliding example)
    ],
)
def test_conv_output_size_lecture_examples(size, kernel, stride, padding, expected):
    result = conv_output_size(size, kernel, stride, padding)
    assert result == expected and type(result) is int


@pytest.mark.parametrize(
    "args, message",
    [
        ((10, 3, 2, 0), "size=10, kernel_size=3, stride=2, padding=0 do not fit.*= 7.*stride = 2"),
        ((7, 3, 3, 0), "size=7, kernel_size=3, stride=3, padding=0 do not fit"),  # CS231n
        ((3, 5, 1, 0), "kernel is larger than the padded input"),
        ((7, 3, 0, 0), "stride must be a positive integer, got 0"),
        ((7, 3, 1, -1), "padding must be a non-negative integer, got -1"),
        ((7.0, 3, 1, 0), "size must be a positive integer, got 7.0"),
        ((7, True, 1, 0), "kernel_size must be a positive integer, got True"),
    ],
)
def test_conv_output_size_errors(args, message):
    with pytest.raises(ValueError, match=message):
        conv_output_size(*args)


@given(
    size=st.integers(1, 40),
    kernel=st.integers(1, 12),
    stride=st.integers(1, 5),
    padding=st.integers(0, 4),
)
@PROPERTY
def test_conv_output_size_fits_exactly_or_raises(size, kernel, stride, padding):
    span = size - kernel + 2 * padding
    if span < 0 or span % stride:
        with pytest.raises(ValueError):
            conv_output_size(size, kernel, stride, padding)
    else:
        out = conv_output_size(size, kernel, stride, padding)
        assert (out - 1) * stride + kernel == size + 2 * padding  # last window ends at the edge


# --- the lecture's worked numbers -------------------------------------------------------------


def test_alexnet_first_layer_numbers_from_the_lecture():
    x = np.zeros((1, 3, 227, 227))
    X_col = im2col(x, 11, stride=4)
    assert X_col.shape == (363, 3025)  # lecture: [363 x 3025], 55*55 = 3025 windows
    W_row = np.zeros((96, 363))  # lecture: [96 x 363]
    assert (W_row @ X_col).shape == (96, 3025)
    neurons = 55 * 55 * 96
    assert neurons == 290400
    # Lecture slips (勘误): it writes "11*11*3=364" (11*11*3 is 363; 364 counts the bias too)
    # and "290400*364=10570560" (the product is 105,705,600).
    assert 11 * 11 * 3 == 363 and X_col.shape[0] + 1 == 364
    assert neurons * (X_col.shape[0] + 1) == 105_705_600
    # parameter sharing: 11*11*3*96 + 96 = 34944
    layer = Conv2D(3, 96, 11, stride=4, rng=0)
    assert sum(p.size for p in layer.parameters()) == 34944


def test_lecture_numpy_example_v_entries(rng):
    """The lecture's V[x, y, d] = np.sum(X[...] * W_d) + b_d with X of shape (11, 11, 4)."""
    X = rng.normal(size=(11, 11, 4))  # lecture layout: (height, width, depth)
    W_hwc = rng.normal(size=(2, 5, 5, 4))  # two filters W0, W1 of shape [5, 5, 4]
    b = np.array([0.3, -0.7])
    x = X.transpose(2, 0, 1)[None]  # (1, 4, 11, 11) in this package's layout
    W = W_hwc.transpose(0, 3, 1, 2)  # (2, 4, 5, 5)
    out, _ = conv.conv2d_forward(x, W, b, stride=2)
    assert out.shape == (1, 2, 4, 4)

    def V(i, j, d):
        return out[0, d, i, j]

    W0, W1 = W_hwc
    assert V(0, 0, 0) == pytest.approx(np.sum(X[:5, :5, :] * W0) + b[0])
    assert V(1, 0, 0) == pytest.approx(np.sum(X[2:7, :5, :] * W0) + b[0])
    assert V(3, 0, 0) == pytest.approx(np.sum(X[6:11, :5, :] * W0) + b[0])
    assert V(0, 1, 1) == pytest.approx(np.sum(X[:5, 2:7, :] * W1) + b[1])
    assert V(2, 3, 1) == pytest.approx(np.sum(X[4:9, 6:11, :] * W1) + b[1])


# --- a convolution computed by hand -----------------------------------------------------------

X_HAND = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # [[1,2,3],[4,5,6],[7,8,9]]
W_HAND = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])  # one 2x2 filter


def _conv_by_each_route(x, W, b, dout):
    """(out, dx, dW, db) from the naive functions, the im2col functions and the layer."""
    naive_out = conv.conv2d_naive(x, W, b)
    naive_grads = conv.conv2d_naive_backward(dout, x, W, b)
    fast_out, cache = conv.conv2d_forward(x, W, b)
    fast_grads = conv.conv2d_backward(dout, cache)
    layer = Conv2D(W.shape[1], W.shape[0], W.shape[2:], rng=0)
    layer.W.data, layer.b.data = W.copy(), np.array(b, dtype=float)
    layer_out = layer.forward(x)
    layer_dx = layer.backward(dout)
    return [
        (naive_out, *naive_grads),
        (fast_out, *fast_grads),
        (layer_out, layer_dx, layer.W.grad, layer.b.grad),
    ]


@pytest.mark.parametrize("route", ["naive", "im2col", "layer"])
def test_tiny_convolution_by_hand(route):
    index = ["naive", "im2col", "layer"].index(route)
    out, dx, dW, db = _conv_by_each_route(X_HAND, W_HAND, [0.5], np.ones((1, 1, 2, 2)))[index]
    # out[i, j] = 1*x[i,j] + 2*x[i,j+1] + 3*x[i+1,j] + 4*x[i+1,j+1] + 0.5 (no kernel flip)
    # e.g. out[0, 0] = 1*1 + 2*2 + 3*4 + 4*5 + 0.5 = 37.5
    np.testing.assert_array_equal(out, [[[[37.5, 47.5], [67.5, 77.5]]]])
    # dout = 1: dW[u, v] = sum of the pixels that weight u, v saw; db = number of outputs
    np.testing.assert_array_equal(dW, [[[[12.0, 16.0], [24.0, 28.0]]]])
    np.testing.assert_array_equal(db, [4.0])
    # dx[h, w] = sum of the weights that touched pixel (h, w)
    np.testing.assert_array_equal(dx, [[[[1.0, 3.0, 2.0], [4.0, 10.0, 6.0], [3.0, 7.0, 4.0]]]])


def test_padding_adds_zeros_around_each_image(rng):
    x = rng.normal(size=(2, 1, 2, 3))
    identity = np.ones((1, 1, 1, 1))
    for fn in (conv.conv2d_naive, lambda *a, **k: conv.conv2d_forward(*a, **k)[0]):
        out = fn(x, identity, [0.0], padding=1)
        np.testing.assert_array_equal(out, np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1))))


def test_pooling_by_hand():
    x = np.array([[[[1.0, 2.0, 5.0, 0.0], [3.0, 4.0, 6.0, 7.0], [0, 0, 1, 1], [0, 9, 1, 1]]]])
    dout = np.array([[[[10.0, 20.0], [30.0, 40.0]]]])
    maxpool, avgpool = MaxPool2D(2), AvgPool2D(2)  # stride defaults to kernel_size
    np.testing.assert_array_equal(maxpool.forward(x), [[[[4.0, 7.0], [9.0, 1.0]]]])
    np.testing.assert_array_equal(avgpool.forward(x), [[[[2.5, 4.5], [2.25, 1.0]]]])
    dx_max = np.zeros((4, 4))
    dx_max[1, 1], dx_max[1, 3], dx_max[3, 1] = 10.0, 20.0, 30.0
    dx_max[2, 2] = 40.0  # a tie (all four are 1): the first entry in row-major order wins
    np.testing.assert_array_equal(maxpool.backward(dout)[0, 0], dx_max)
    np.testing.assert_array_equal(
        conv.maxpool2d_naive_backward(dout, x, 2)[0, 0], dx_max
    )  # same tie rule in the loops
    dx_avg = np.kron(dout[0, 0], np.ones((2, 2))) / 4.0
    np.testing.assert_array_equal(avgpool.backward(dout)[0, 0], dx_avg)


# --- im2col / col2im --------------------------------------------------------------------------


def test_im2col_follows_the_documented_index_formula(rng):
    x = rng.normal(size=(2, 3, 5, 6))
    kh, kw, sh, sw, ph, pw = 3, 2, 2, 1, 1, 0
    cols = im2col(x, (kh, kw), stride=(sh, sw), padding=(ph, pw))
    oh, ow = conv_output_size(5, kh, sh, ph), conv_output_size(6, kw, sw, pw)
    assert cols.shape == (3 * kh * kw, 2 * oh * ow)
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    for c, u, v, n, i, j in np.ndindex(3, kh, kw, 2, oh, ow):
        row, col = (c * kh + u) * kw + v, (n * oh + i) * ow + j
        assert cols[row, col] == x_pad[n, c, i * sh + u, j * sw + v]


def test_col2im_sums_overlapping_windows():
    counts = col2im(im2col(np.ones((1, 1, 3, 3)), 2), (1, 1, 3, 3), 2)
    np.testing.assert_array_equal(counts[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


@st.composite
def geometries(draw, *, max_padding=2):
    """(x_shape, kernel, stride, padding) that fit, built from the output size backwards."""
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, max_padding)), draw(st.integers(0, max_padding)))
    out = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    h, w = (
        (o - 1) * s + k - 2 * p for o, s, k, p in zip(out, stride, kernel, padding, strict=True)
    )
    assume(h >= 1 and w >= 1)
    return (n, c, h, w), kernel, stride, padding


@given(geometries(), st.integers(0, 2**32 - 1))
@PROPERTY
def test_col2im_is_the_adjoint_of_im2col(geometry, seed):
    x_shape, kernel, stride, padding = geometry
    rng = np.random.default_rng(seed)
    x = rng.normal(size=x_shape)
    cols = im2col(x, kernel, stride, padding)
    c = rng.normal(size=cols.shape)
    back = col2im(c, x_shape, kernel, stride, padding)
    assert back.shape == x_shape
    np.testing.assert_allclose(np.sum(cols * c), np.sum(x * back), rtol=1e-10, atol=1e-10)


# --- naive and im2col versions agree ---------------------------------------------------------


@given(geometries(), st.integers(1, 3), st.integers(0, 2**32 - 1))
@PROPERTY
def test_convolution_naive_and_im2col_agree(geometry, n_filters, seed):
    x_shape, kernel, stride, padding = geometry
    rng = np.random.default_rng(seed)
    x = rng.normal(size=x_shape)
    W = rng.normal(size=(n_filters, x_shape[1], *kernel))
    b = rng.normal(size=n_filters)
    out, cache = conv.conv2d_forward(x, W, b, stride, padding)
    expected_shape = (
        x_shape[0],
        n_filters,
        conv_output_size(x_shape[2], kernel[0], stride[0], padding[0]),
        conv_output_size(x_shape[3], kernel[1], stride[1], padding[1]),
    )
    assert out.shape == expected_shape
    np.testing.assert_allclose(out, conv.conv2d_naive(x, W, b, stride, padding), atol=1e-12)
    dout = rng.normal(size=out.shape)
    fast = conv.conv2d_backward(dout, cache)
    naive = conv.conv2d_naive_backward(dout, x, W, b, stride, padding)
    for name, a, e in zip(("dx", "dW", "db"), fast, naive, strict=True):
        np.testing.assert_allclose(a, e, atol=1e-12, err_msg=name)


POOLS = {
    "max": (conv.maxpool2d_naive, conv.maxpool2d_naive_backward, conv.maxpool2d_forward,
            conv.maxpool2d_backward),
    "avg": (conv.avgpool2d_naive, conv.avgpool2d_naive_backward, conv.avgpool2d_forward,
            conv.avgpool2d_backward),
}  # fmt: skip


@pytest.mark.parametrize("kind", ["max", "avg"])
@given(geometry=geometries(max_padding=0), seed=st.integers(0, 2**32 - 1))
@PROPERTY
def test_pooling_naive_and_im2col_agree(kind, geometry, seed):
    naive_fwd, naive_bwd, fast_fwd, fast_bwd = POOLS[kind]
    x_shape, kernel, stride, _ = geometry
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=x_shape).astype(float)  # small integers: many ties
    out, cache = fast_fwd(x, kernel, stride)
    np.testing.assert_array_equal(out, naive_fwd(x, kernel, stride))
    dout = rng.normal(size=out.shape)
    np.testing.assert_allclose(
        fast_bwd(dout, cache), naive_bwd(dout, x, kernel, stride), atol=1e-12
    )


# --- gradients against finite differences ----------------------------------------------------


def _conv_setup(rng):
    x = rng.normal(size=(2, 2, 5, 4))
    W = rng.normal(size=(3, 2, 3, 2))
    b = rng.normal(size=3)
    return x, W, b, {"stride": (2, 1), "padding": 1}


def _check_conv_grads(gradcheck, forward, dx, dW, db, x, W, b, dout):
    dx_num = gradcheck.numerical(lambda v: forward(v, W, b), x.copy(), dout)
    dW_num = gradcheck.numerical(lambda v: forward(x, v, b), W.copy(), dout)
    db_num = gradcheck.numerical(lambda v: forward(x, W, v), b.copy(), dout)
    gradcheck.assert_close(dx, dx_num, GRAD_TOL, "dx")
    gradcheck.assert_close(dW, dW_num, GRAD_TOL, "dW")
    gradcheck.assert_close(db, db_num, GRAD_TOL, "db")


def test_naive_conv_backward_against_finite_differences(rng, gradcheck):
    x, W, b, geo = _conv_setup(rng)
    dout = rng.normal(size=conv.conv2d_naive(x, W, b, **geo).shape)
    grads = conv.conv2d_naive_backward(dout, x, W, b, **geo)

    def forward(x_, W_, b_):
        return conv.conv2d_naive(x_, W_, b_, **geo)

    _check_conv_grads(gradcheck, forward, *grads, x, W, b, dout)


def test_im2col_conv_backward_against_finite_differences(rng, gradcheck):
    x, W, b, geo = _conv_setup(rng)
    out, cache = conv.conv2d_forward(x, W, b, **geo)
    dout = rng.normal(size=out.shape)
    grads = conv.conv2d_backward(dout, cache)

    def forward(x_, W_, b_):
        return conv.conv2d_forward(x_, W_, b_, **geo)[0]

    _check_conv_grads(gradcheck, forward, *grads, x, W, b, dout)


def test_conv2d_layer_backward_against_finite_differences(rng, gradcheck):
    layer = Conv2D(2, 3, (3, 2), stride=(2, 1), padding=1, rng=rng)
    layer.b.data = rng.normal(size=3)
    x = rng.normal(size=(2, 2, 5, 4))
    dout = rng.normal(size=layer.forward(x).shape)
    dx = layer.backward(dout)
    dx_num = gradcheck.numerical(layer.forward, x.copy(), dout)
    dW_num = gradcheck.numerical(lambda _: layer.forward(x), layer.W.data, dout)
    db_num = gradcheck.numerical(lambda _: layer.forward(x), layer.b.data, dout)
    assert layer.W.grad.shape == (3, 2, 3, 2) and layer.b.grad.shape == (3,)
    gradcheck.assert_close(dx, dx_num, GRAD_TOL, "dx")
    gradcheck.assert_close(layer.W.grad, dW_num, GRAD_TOL, "dW")
    gradcheck.assert_close(layer.b.grad, db_num, GRAD_TOL, "db")


def _pool_input(rng, shape=(1, 2, 4, 6)):
    """Distinct values at least 0.1 apart, so no max-pool window has a tie within 2h."""
    return rng.permutation(np.prod(shape)).reshape(shape) * 0.1


POOL_SETTINGS = [pytest.param(2, None, id="k2-default-stride"),
                 pytest.param((3, 2), (1, 2), id="k3x2-overlapping")]  # fmt: skip


@pytest.mark.parametrize("kernel, stride", POOL_SETTINGS)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_functions_backward_against_finite_differences(
    kind, kernel, stride, rng, gradcheck
):
    naive_fwd, naive_bwd, fast_fwd, fast_bwd = POOLS[kind]
    x = _pool_input(rng)
    out, cache = fast_fwd(x, kernel, stride)
    dout = rng.normal(size=out.shape)
    dx_num = gradcheck.numerical(lambda v: naive_fwd(v, kernel, stride), x.copy(), dout)
    gradcheck.assert_close(naive_bwd(dout, x, kernel, stride), dx_num, GRAD_TOL, "naive dx")
    dx_num = gradcheck.numerical(lambda v: fast_fwd(v, kernel, stride)[0], x.copy(), dout)
    gradcheck.assert_close(fast_bwd(dout, cache), dx_num, GRAD_TOL, "im2col dx")


@pytest.mark.parametrize("kernel, stride", POOL_SETTINGS)
@pytest.mark.parametrize("layer_class", [MaxPool2D, AvgPool2D])
def test_pooling_layers_backward_against_finite_differences(
    layer_class, kernel, stride, rng, gradcheck
):
    layer = layer_class(kernel, stride)
    x = _pool_input(rng)
    dout = rng.normal(size=layer.forward(x).shape)
    dx = layer.backward(dout)
    gradcheck.assert_close(dx, gradcheck.numerical(layer.forward, x.copy(), dout), GRAD_TOL)
    assert list(layer.parameters()) == []


# --- inputs are never modified ---------------------------------------------------------------


def test_no_function_mutates_its_inputs(rng):
    x, W, b, geo = _conv_setup(rng)
    dout = rng.normal(size=(2, 3, 3, 5))
    pool_x = _pool_input(rng)
    pool_dout = rng.normal(size=(1, 2, 2, 3))
    arrays = [x, W, b, dout, pool_x, pool_dout]
    before = [a.copy() for a in arrays]

    conv.conv2d_naive(x, W, b, **geo)
    conv.conv2d_naive_backward(dout, x, W, b, **geo)
    _, cache = conv.conv2d_forward(x, W, b, **geo)
    conv.conv2d_backward(dout, cache)
    cols = im2col(x, 2)
    cols_before = cols.copy()
    col2im(cols, x.shape, 2)
    for naive_fwd, naive_bwd, fast_fwd, fast_bwd in POOLS.values():
        naive_fwd(pool_x, 2)
        naive_bwd(pool_dout, pool_x, 2)
        _, pool_cache = fast_fwd(pool_x, 2)
        fast_bwd(pool_dout, pool_cache)
    for layer, inp, d in [
        (Conv2D(2, 3, (3, 2), stride=(2, 1), padding=1, rng=0), x, dout),
        (MaxPool2D(2), pool_x, pool_dout),
        (AvgPool2D(2), pool_x, pool_dout),
    ]:
        layer.forward(inp)
        layer.backward(d)

    for a, a0 in zip(arrays, before, strict=True):
        np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(cols, cols_before)


# --- Conv2D and the pooling layers -----------------------------------------------------------


def test_conv2d_layer_parameters_and_init():
    layer = Conv2D(16, 64, 3, rng=0)
    assert isinstance(layer, Layer)
    W, b = list(layer.parameters())
    assert W is layer.W and b is layer.b
    assert W.shape == (64, 16, 3, 3) and b.shape == (64,)
    np.testing.assert_array_equal(b.data, np.zeros(64))
    # He normal with fan-in C*KH*KW = 144: std sqrt(2/144) = 0.1179 (9216 draws: within 3 %)
    assert W.data.std() == pytest.approx(np.sqrt(2 / 144), rel=0.03)
    assert abs(W.data.mean()) < 0.01
    np.testing.assert_array_equal(Conv2D(16, 64, 3, rng=0).W.data, W.data)  # seeded
    assert Conv2D(3, 5, (2, 4)).W.shape == (5, 3, 2, 4)


def test_conv2d_layer_does_not_touch_global_random_state():
    before = np.random.get_state()[1].copy()
    Conv2D(3, 4, 3, rng=None)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_conv2d_layer_forward_equals_the_functions(rng):
    layer = Conv2D(3, 4, 3, stride=2, padding=1, rng=rng)
    layer.b.data = rng.normal(size=4)
    x = rng.normal(size=(2, 3, 7, 5))
    out = layer(x)
    assert out.shape == (2, 4, 4, 3)
    np.testing.assert_allclose(
        out, conv.conv2d_naive(x, layer.W.data, layer.b.data, 2, 1), atol=1e-12
    )


def test_pool_layers_stride_defaults_to_kernel_size():
    assert MaxPool2D(2).stride == (2, 2)
    assert AvgPool2D((2, 3)).stride == (2, 3)
    assert MaxPool2D(3, stride=1).stride == (1, 1)
    assert MaxPool2D(2).forward(np.zeros((1, 1, 8, 6))).shape == (1, 1, 4, 3)


@pytest.mark.parametrize("layer", [Conv2D(1, 1, 2, rng=0), MaxPool2D(2), AvgPool2D(2)], ids=repr)
def test_backward_before_forward_raises(layer):
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((1, 1, 1, 1)))


def test_conv2d_layer_input_errors():
    layer = Conv2D(3, 4, 3, rng=0)
    with pytest.raises(ShapeError, match=r"x must be 4-D \(N, C, H, W\), got shape \(3, 8, 8\)"):
        layer.forward(np.zeros((3, 8, 8)))
    with pytest.raises(ShapeError, match=r"x must have shape \(N, 3, H, W\).*got \(2, 1, 8, 8\)"):
        layer.forward(np.zeros((2, 1, 8, 8)))
    with pytest.raises(ValueError, match=r"the height of x \(shape \(1, 3, 2, 8\)\) does not fit"):
        layer.forward(np.zeros((1, 3, 2, 8)))
    layer.forward(np.zeros((2, 3, 5, 5)))
    with pytest.raises(ShapeError, match=r"dout must have shape \(2, 4, 3, 3\), got \(2, 4, 3\)"):
        layer.backward(np.zeros((2, 4, 3)))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"in_channels": 0}, "in_channels must be a positive integer, got 0"),
        ({"out_channels": 2.0}, "out_channels must be a positive integer, got 2.0"),
        ({"kernel_size": 0}, "kernel_size must be a positive integer, got 0"),
        ({"kernel_size": (3, 3, 3)}, r"kernel_size must be an integer or a pair"),
        ({"stride": 0}, "stride must be a positive integer, got 0"),
        ({"padding": -1}, "padding must be a non-negative integer, got -1"),
    ],
)
def test_conv2d_layer_constructor_errors(kwargs, message):
    args = {"in_channels": 3, "out_channels": 4, "kernel_size": 3} | kwargs
    with pytest.raises(ValueError, match=message):
        Conv2D(args.pop("in_channels"), args.pop("out_channels"), args.pop("kernel_size"), **args)


def test_pool_errors():
    with pytest.raises(ValueError, match="kernel_size must be a positive integer, got 0"):
        MaxPool2D(0)
    with pytest.raises(ShapeError, match=r"x must be 4-D \(N, C, H, W\), got shape \(4, 4\)"):
        AvgPool2D(2).forward(np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"the width of x .* does not fit: size=5, kernel_size=2"):
        MaxPool2D(2).forward(np.zeros((1, 1, 4, 5)))
    layer = MaxPool2D(2)
    layer.forward(np.zeros((1, 2, 4, 4)))
    with pytest.raises(
        ShapeError, match=r"dout must have shape \(1, 2, 2, 2\), got \(1, 2, 4, 4\)"
    ):
        layer.backward(np.zeros((1, 2, 4, 4)))


def test_function_argument_errors():
    x = np.zeros((1, 3, 5, 5))
    with pytest.raises(ShapeError, match=r"W must have shape \(F, 3, KH, KW\).*got \(2, 1, 3, 3\)"):
        conv.conv2d_forward(x, np.zeros((2, 1, 3, 3)), np.zeros(2))
    with pytest.raises(ShapeError, match=r"W must be 4-D \(F, C, KH, KW\)"):
        conv.conv2d_naive(x, np.zeros((2, 3, 3)), np.zeros(2))
    with pytest.raises(ShapeError, match=r"b must have shape \(2,\), got \(3,\)"):
        conv.conv2d_naive(x, np.zeros((2, 3, 3, 3)), np.zeros(3))
    with pytest.raises(ShapeError, match=r"dout must have shape \(1, 2, 3, 3\)"):
        conv.conv2d_naive_backward(np.zeros((1, 2, 2, 2)), x, np.zeros((2, 3, 3, 3)), np.zeros(2))
    with pytest.raises(
        ShapeError, match=r"cols must have shape \(C\*KH\*KW, N\*OH\*OW\) = \(27, 9\)"
    ):
        col2im(np.zeros((9, 27)), (1, 3, 5, 5), 3)
    with pytest.raises(ShapeError, match=r"x_shape must be \(N, C, H, W\), got \(3, 5, 5\)"):
        col2im(np.zeros((27, 9)), (3, 5, 5), 3)
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        im2col([[None]], 1)


def test_conv2d_forward_reads_its_input_once():
    """Validate at the public entry, then pass plain arrays down: the images are read
    (converted and checked) once per forward, not again on their way to the product."""
    layer = Conv2D(2, 3, kernel_size=3, rng=0)
    x = np.random.default_rng(0).normal(size=(4, 2, 8, 8))
    calls = collections.Counter()

    def count(frame, event, arg):
        if event == "call" and "coursenn" in frame.f_code.co_filename:
            calls[frame.f_code.co_name] += 1

    sys.setprofile(count)
    try:
        layer.forward(x)
    finally:
        sys.setprofile(None)
    assert calls["read_images"] == 1 and calls["read_array"] == 1, calls
    assert calls["_conv2d_product"] == 1
