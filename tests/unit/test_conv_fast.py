"""The fast convolution and pooling paths: dilation, odd sizes, stride > kernel, padding,
non-contiguous inputs, the window view / tap loops, and gradients skipped for the data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coursenn.nn import conv
from coursenn.nn.conv import Conv2D, MaxPool2D, col2im, conv_output_size, im2col
from coursenn.nn.conv.fast import gather_windows, scatter_windows, window_view
from coursenn.nn.conv.geometry import window_geometry
from coursenn.nn.layers import Dense, Flatten, Layer, ReLU, Sequential

GRAD_TOL = 1e-7
PROPERTY = settings(max_examples=40, deadline=None, database=None)


@st.composite
def dilated_geometries(draw, *, max_padding=2, max_dilation=3):
    """(x_shape, kernel, stride, padding, dilation) that fit, built from the output size."""
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))  # up to stride > kernel
    padding = (draw(st.integers(0, max_padding)), draw(st.integers(0, max_padding)))
    dilation = (draw(st.integers(1, max_dilation)), draw(st.integers(1, max_dilation)))
    out = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    h, w = (
        (o - 1) * s + d * (k - 1) + 1 - 2 * p
        for o, s, k, p, d in zip(out, stride, kernel, padding, dilation, strict=True)
    )
    assume(h >= 1 and w >= 1)
    return (n, c, h, w), kernel, stride, padding, dilation


# --- geometry with dilation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "size, kernel, stride, padding, dilation, expected",
    [
        (7, 3, 1, 0, 2, 3),  # a 3-tap kernel with dilation 2 spans 5 pixels: 7 - 5 + 1
        (7, 3, 1, 2, 2, 7),  # padding = dilation keeps the size of a dilated 3x3
        (9, 3, 2, 0, 3, 2),  # span 7: (9 - 7)/2 + 1
        (5, 1, 1, 0, 4, 5),  # a 1x1 kernel has no gaps to dilate
    ],
)
def test_conv_output_size_with_dilation(size, kernel, stride, padding, dilation, expected):
    assert conv_output_size(size, kernel, stride, padding, dilation) == expected


def test_conv_output_size_dilation_errors_name_the_span():
    with pytest.raises(ValueError, match=r"dilation=3.*dilation\*\(kernel_size-1\)\+1 = 7"):
        conv_output_size(6, 3, 1, 0, 3)
    with pytest.raises(ValueError, match=r"dilation=2 do not fit: size - span \+ 2\*padding = 3"):
        conv_output_size(8, 3, 2, 0, 2)
    with pytest.raises(ValueError, match="dilation must be a positive integer, got 0"):
        conv_output_size(8, 3, 1, 0, 0)
    with pytest.raises(ValueError, match="dilation must be a positive integer, got 0"):
        Conv2D(1, 1, 3, dilation=0)


def test_im2col_with_dilation_follows_the_index_formula(rng):
    x = rng.normal(size=(2, 2, 8, 8))
    kh, kw, sh, sw, ph, pw, dh, dw = 2, 3, 2, 1, 1, 0, 3, 2
    cols = im2col(x, (kh, kw), stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw))
    oh = conv_output_size(8, kh, sh, ph, dh)
    ow = conv_output_size(8, kw, sw, pw, dw)
    assert cols.shape == (2 * kh * kw, 2 * oh * ow)
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    for c, u, v, n, i, j in np.ndindex(2, kh, kw, 2, oh, ow):
        row, col = (c * kh + u) * kw + v, (n * oh + i) * ow + j
        assert cols[row, col] == x_pad[n, c, i * sh + u * dh, j * sw + v * dw]


def test_lecture_im2col_matrix_is_exact_copies_of_the_pixels(rng):
    """AlexNet's first layer: [363 x 3025], each entry one pixel of the input (no arithmetic)."""
    x = rng.normal(size=(1, 3, 227, 227))
    cols = im2col(x, 11, stride=4)
    assert cols.shape == (363, 3025)
    # column 55*2 + 3 is output position (2, 3): rows 8..18, columns 12..22 of the image
    np.testing.assert_array_equal(cols[:, 2 * 55 + 3], x[0, :, 8:19, 12:23].ravel())


# --- naive and fast agree, and the adjoint --------------------------------------------------


@given(dilated_geometries(), st.integers(1, 3), st.integers(0, 2**32 - 1))
@PROPERTY
def test_dilated_convolution_naive_and_fast_agree(geometry, n_filters, seed):
    x_shape, kernel, stride, padding, dilation = geometry
    rng = np.random.default_rng(seed)
    x = rng.normal(size=x_shape)
    W = rng.normal(size=(n_filters, x_shape[1], *kernel))
    b = rng.normal(size=n_filters)
    out, cache = conv.conv2d_forward(x, W, b, stride, padding, dilation)
    expected = conv.conv2d_naive(x, W, b, stride, padding, dilation)
    np.testing.assert_allclose(out, expected, atol=1e-12)
    dout = rng.normal(size=out.shape)
    fast = conv.conv2d_backward(dout, cache)
    naive = conv.conv2d_naive_backward(dout, x, W, b, stride, padding, dilation)
    for name, a, e in zip(("dx", "dW", "db"), fast, naive, strict=True):
        np.testing.assert_allclose(a, e, atol=1e-12, err_msg=name)


@given(dilated_geometries(), st.integers(0, 2**32 - 1))
@PROPERTY
def test_dilated_col2im_is_the_adjoint_of_im2col(geometry, seed):
    x_shape, kernel, stride, padding, dilation = geometry
    rng = np.random.default_rng(seed)
    x = rng.normal(size=x_shape)
    cols = im2col(x, kernel, stride, padding, dilation)
    c = rng.normal(size=cols.shape)
    back = col2im(c, x_shape, kernel, stride, padding, dilation)
    np.testing.assert_allclose(np.sum(cols * c), np.sum(x * back), rtol=1e-10, atol=1e-10)


def test_window_view_is_a_view_and_gather_is_one_new_array(rng):
    x = rng.normal(size=(2, 3, 5, 5))
    g = window_geometry(x.shape, 1)  # 1x1 kernel: the windows are x itself, in order
    view = window_view(x, g)
    assert np.shares_memory(view, x) and not view.flags.writeable
    cols = gather_windows(x, g)
    np.testing.assert_array_equal(cols, x.reshape(2, 3, 25))
    assert not np.shares_memory(cols, x)  # the cache of a forward pass never aliases x


def test_scatter_windows_counts_how_often_each_pixel_is_read():
    g = window_geometry((1, 1, 5, 5), 3, stride=1, padding=1, dilation=2)
    counts = scatter_windows(np.ones((1, 9, g.oh * g.ow)), (1, 1, 5, 5), g)
    # tap (u, v) reads pixel (h, w) from output (h - 2u + 1, w - 2v + 1) when that is in 0..2
    expected = np.zeros((5, 5))
    for i, j, u, v in np.ndindex(3, 3, 3, 3):
        h, w = i + 2 * u - 1, j + 2 * v - 1
        if 0 <= h < 5 and 0 <= w < 5:
            expected[h, w] += 1
    np.testing.assert_array_equal(counts[0, 0], expected)


# --- gradients against finite differences ---------------------------------------------------


@pytest.mark.parametrize(
    "x_shape, stride, padding, dilation",
    [
        ((2, 2, 8, 7), (1, 1), (2, 1), (2, 1)),
        ((2, 2, 9, 7), (2, 1), (0, 2), (1, 3)),
        ((2, 2, 9, 7), (3, 2), (1, 1), (2, 2)),
    ],
)
def test_dilated_conv_gradients_against_finite_differences(
    x_shape, stride, padding, dilation, rng, gradcheck
):
    g = window_geometry(x_shape, (3, 2), stride, padding, dilation)
    assert g.oh >= 2 and g.ow >= 2
    layer = Conv2D(2, 3, (3, 2), stride=stride, padding=padding, dilation=dilation, rng=rng)
    layer.b.data = rng.normal(size=3)
    x = rng.normal(size=x_shape)
    dout = rng.normal(size=layer.forward(x).shape)
    dx = layer.backward(dout)
    # The convolution is linear in each of x, W, b: centred differences have no truncation
    # error for any h, and h = 1e-3 keeps their roundoff far below small entries like 1e-4.
    h = 1e-3
    numeric = gradcheck.numerical(layer.forward, x.copy(), dout, h=h)
    gradcheck.assert_close(dx, numeric, GRAD_TOL, "dx")
    for p in (layer.W, layer.b):
        numeric = gradcheck.numerical(lambda _: layer.forward(x), p.data, dout, h=h)
        gradcheck.assert_close(p.grad, numeric, GRAD_TOL, p.name)
    naive_dx, naive_dW, _ = conv.conv2d_naive_backward(
        dout, x, layer.W.data, layer.b.data, stride, padding, dilation
    )
    np.testing.assert_allclose(naive_dx, dx, atol=1e-12)
    np.testing.assert_allclose(naive_dW, layer.W.grad, atol=1e-12)


def test_conv2d_layer_repr_and_attribute_show_dilation():
    assert Conv2D(1, 2, 3, dilation=2).dilation == (2, 2)
    assert "dilation=(2, 1)" in repr(Conv2D(1, 2, 3, dilation=(2, 1)))
    assert "dilation" not in repr(Conv2D(1, 2, 3))


# --- pooling: tiling reshape path, window path, odd sizes, gaps --------------------------------


@pytest.mark.parametrize(
    "x_shape, kernel, stride",
    [
        ((2, 3, 9, 9), 3, None),  # odd size, tiled by 3x3: the reshape path
        ((1, 2, 6, 10), (3, 5), None),  # rectangular tiles
        ((1, 2, 7, 7), 3, 2),  # overlapping windows, odd size
        ((1, 2, 8, 10), 2, (3, 4)),  # stride > kernel: pixels no window sees
        ((2, 1, 5, 5), (1, 1), 2),  # 1x1 windows with gaps
    ],
)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_paths_equal_the_loops_and_finite_differences(
    kind, x_shape, kernel, stride, rng, gradcheck
):
    fwd, bwd = getattr(conv, f"{kind}pool2d_forward"), getattr(conv, f"{kind}pool2d_backward")
    naive_fwd = getattr(conv, f"{kind}pool2d_naive")
    naive_bwd = getattr(conv, f"{kind}pool2d_naive_backward")
    x = rng.permutation(np.prod(x_shape)).reshape(x_shape) * 0.1  # no ties within 2h
    out, cache = fwd(x, kernel, stride)
    # max: the same entry, exactly; avg: a sum in another order (last-bit rounding)
    np.testing.assert_allclose(out, naive_fwd(x, kernel, stride), rtol=1e-14, atol=0)
    dout = rng.normal(size=out.shape)
    dx = bwd(dout, cache)
    np.testing.assert_allclose(dx, naive_bwd(dout, x, kernel, stride), atol=1e-12)
    numeric = gradcheck.numerical(lambda v: fwd(v, kernel, stride)[0], x.copy(), dout)
    gradcheck.assert_close(dx, numeric, GRAD_TOL)


@pytest.mark.parametrize("kernel, stride", [(2, None), (3, 1)], ids=["tiled", "overlapping"])
def test_max_pool_ties_go_to_the_first_entry_in_row_major_order(kernel, stride):
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 1, 1] = x[0, 0, 1, 2] = 5.0  # a tie inside the windows that hold both
    out, cache = conv.maxpool2d_forward(x, kernel, stride)
    dx = conv.maxpool2d_backward(np.ones_like(out), cache)
    np.testing.assert_array_equal(
        dx, conv.maxpool2d_naive_backward(np.ones_like(out), x, kernel, stride)
    )
    if kernel == 3:  # every window holding (1, 2) holds (1, 1) too, which comes first
        assert dx[0, 0, 1, 2] == 0.0
    flat = np.zeros((1, 1, 2, 2))
    out, cache = conv.maxpool2d_forward(flat, 2)  # all four equal: the top-left one
    np.testing.assert_array_equal(
        conv.maxpool2d_backward(np.ones((1, 1, 1, 1)), cache)[0, 0], [[1, 0], [0, 0]]
    )


def test_max_pool_with_more_than_256_taps(rng):
    x = rng.normal(size=(1, 2, 1, 300))
    out, cache = conv.maxpool2d_forward(x, (1, 300))
    np.testing.assert_array_equal(out[:, :, 0, 0], x.max(axis=(2, 3)))
    dx = conv.maxpool2d_backward(np.ones_like(out), cache)
    assert np.array_equal(np.argmax(dx[0, :, 0], axis=1), np.argmax(x[0, :, 0], axis=1))


# --- non-contiguous inputs ------------------------------------------------------------------


def _strided(a: np.ndarray) -> np.ndarray:
    """The same values as ``a`` in a non-contiguous array (every other element of a bigger one)."""
    big = np.zeros(tuple(2 * s for s in a.shape))
    view = big[tuple(slice(None, None, 2) for _ in a.shape)]
    view[...] = a
    assert not view.flags.c_contiguous
    return view


def test_non_contiguous_inputs_give_the_same_results(rng):
    x, W, b = rng.normal(size=(2, 3, 6, 6)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
    out, cache = conv.conv2d_forward(x, W, b, 1, 1, 2)
    out_s, cache_s = conv.conv2d_forward(_strided(x), _strided(W), _strided(b), 1, 1, 2)
    np.testing.assert_array_equal(out, out_s)
    dout = rng.normal(size=out.shape)
    for a, e in zip(
        conv.conv2d_backward(_strided(dout), cache_s),
        conv.conv2d_backward(dout, cache),
        strict=True,
    ):
        np.testing.assert_array_equal(a, e)
    fortran = np.asfortranarray(x)
    for kernel, stride in [(2, None), (3, 1)]:
        for kind in ("max", "avg"):
            fwd, bwd = (
                getattr(conv, f"{kind}pool2d_forward"),
                getattr(conv, f"{kind}pool2d_backward"),
            )
            expected, c = fwd(x, kernel, stride)
            for variant in (_strided(x), fortran, x.transpose(0, 1, 3, 2).transpose(0, 1, 3, 2)):
                got, c2 = fwd(variant, kernel, stride)
                np.testing.assert_array_equal(got, expected)
                d = rng.normal(size=got.shape)
                np.testing.assert_array_equal(bwd(_strided(d), c2), bwd(d, c))


# --- no gradient for the data -----------------------------------------------------------------


def _grads(model):
    return [p.grad.copy() for p in model.parameters()]


@pytest.mark.parametrize(
    "make, x_shape",
    [
        (lambda: Sequential(Dense(4, 5, rng=0), ReLU(), Dense(5, 3, rng=1)), (6, 4)),
        (
            lambda: Sequential(
                Conv2D(2, 3, 3, padding=1, rng=0),
                ReLU(),
                MaxPool2D(2),
                Flatten(),
                Dense(12, 2, rng=1),
            ),
            (3, 2, 4, 4),
        ),  # fmt: skip
        (lambda: Sequential(Flatten(), Dense(8, 2, rng=0)), (3, 2, 2, 2)),  # no-parameter first
    ],
    ids=["mlp", "cnn", "flatten-first"],
)
def test_backward_without_input_grad_gives_the_same_parameter_gradients(make, x_shape, rng):
    x = rng.normal(size=x_shape)
    model = make()
    out = model.forward(x)
    dout = rng.normal(size=out.shape)
    dx = model.backward(dout)
    assert dx.shape == x_shape
    expected = _grads(model)
    for p in model.parameters():
        p.zero_grad()
    assert model.backward(dout, input_grad=False) is None
    for a, e in zip(_grads(model), expected, strict=True):
        np.testing.assert_array_equal(a, e)


def test_conv2d_backward_can_skip_dx(rng):
    x, W, b = rng.normal(size=(2, 2, 5, 5)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    out, cache = conv.conv2d_forward(x, W, b, 2, 1)
    dout = rng.normal(size=out.shape)
    dx, dW, db = conv.conv2d_backward(dout, cache)
    none, dW2, db2 = conv.conv2d_backward(dout, cache, input_grad=False)
    assert none is None and dx.shape == x.shape
    np.testing.assert_array_equal(dW, dW2)
    np.testing.assert_array_equal(db, db2)


def test_backward_params_falls_back_to_backward_for_other_layers(rng):
    class Double(Layer):
        calls = 0

        def forward(self, x):
            return 2 * np.asarray(x)

        def backward(self, dout):
            Double.calls += 1
            return 2 * np.asarray(dout)

    model = Sequential(Double(), Dense(3, 2, rng=0))
    model.forward(rng.normal(size=(4, 3)))
    assert model.backward(np.ones((4, 2)), input_grad=False) is None
    assert Double.calls == 0  # before the first layer with parameters: nothing to compute
    layer = Double()
    layer.backward_params(np.ones(2))
    assert Double.calls == 1
    no_parameters = Sequential(ReLU())
    no_parameters.forward(np.ones(3))
    assert no_parameters.backward(np.ones(3), input_grad=False) is None
