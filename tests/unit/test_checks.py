"""coursenn._checks: validation helpers and their messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coursenn import ShapeError
from coursenn._checks import (
    as_array,
    as_float,
    as_labels,
    as_rng,
    as_shape,
    check_cache,
    check_method,
    check_ndim,
    check_nonnegative_int,
    check_number,
    check_positive_int,
    check_real,
    check_shape,
)


def test_shape_error_is_a_value_error():
    assert issubclass(ShapeError, ValueError)


def test_as_array_returns_float64_copy():
    source = np.array([1, 2, 3])
    out = as_array(source, "x")
    assert out.dtype == np.float64
    out[0] = 99.0
    assert source[0] == 1
    f64 = np.arange(3.0)
    assert not np.shares_memory(as_array(f64, "x"), f64)
    np.testing.assert_array_equal(as_array([[1, 2]], "x"), [[1.0, 2.0]])


@pytest.mark.parametrize("bad", ["abc", {"a": 1}, [[1, 2], [3]]])
def test_as_array_rejects_non_numbers_naming_argument(bad):
    with pytest.raises(TypeError, match=r"^weights must be an array of numbers, got "):
        as_array(bad, "weights")


@pytest.mark.parametrize("bad", [None, [1.0, None]])
def test_as_array_rejects_none(bad):
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        as_array(bad, "x")


def test_check_ndim_message():
    check_ndim(np.ones((2, 3)), 2, "X")
    with pytest.raises(ShapeError, match=r"^X must be 2-D \(N, D\), got shape \(5,\)$"):
        check_ndim(np.ones(5), 2, "X", shape_hint="(N, D)")
    with pytest.raises(ShapeError, match=r"^X must be 3-D, got shape \(5,\)$"):
        check_ndim(np.ones(5), 3, "X")


def test_check_shape_with_free_dimension():
    check_shape(np.ones((7, 3)), (None, 3), "X")
    with pytest.raises(ShapeError, match=r"^X must have shape \(N, 3\), got \(7, 2\)$"):
        check_shape(np.ones((7, 2)), (None, 3), "X")
    with pytest.raises(ShapeError, match=r"^X must have shape \(N, 3\), got \(7,\)$"):
        check_shape(np.ones(7), (None, 3), "X")


def test_check_shape_one_dimensional_message():
    with pytest.raises(ShapeError, match=r"^b must have shape \(4,\), got \(4, 1\)$"):
        check_shape(np.ones((4, 1)), (4,), "b")


@pytest.mark.parametrize("value", [1, 7, np.int64(3)])
def test_check_positive_int_accepts(value):
    out = check_positive_int(value, "n")
    assert out == value and type(out) is int


@pytest.mark.parametrize("value", [0, -2, 2.0, True, "3", None])
def test_check_positive_int_rejects(value):
    with pytest.raises(
        ValueError,
        match=rf"^epochs must be a positive integer, got {value!r}$".replace("(", r"\(").replace(
            ")", r"\)"
        ),
    ):
        check_positive_int(value, "epochs")


def test_as_rng():
    g = np.random.default_rng(0)
    assert as_rng(g) is g
    assert isinstance(as_rng(None), np.random.Generator)
    assert as_rng(5).integers(1_000_000) == np.random.default_rng(5).integers(1_000_000)
    assert as_rng(np.int32(5)).integers(1_000_000) == np.random.default_rng(5).integers(1_000_000)


@pytest.mark.parametrize(
    "bad, kind", [(True, "bool"), (1.5, "float"), (np.random.RandomState(0), "RandomState")]
)
def test_as_rng_rejects(bad, kind):
    with pytest.raises(
        TypeError, match=rf"^rng must be a numpy Generator, an int seed or None, got {kind}$"
    ):
        as_rng(bad)


def test_as_rng_none_does_not_touch_global_state():
    before = np.random.get_state()[1].copy()
    as_rng(None).normal(size=10)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


# --- the helpers issue 23 added ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "pattern"),
    [
        (np.array([1 + 2j]), r"^x must be an array of numbers \(real\), got complex values"),
        (np.array(["0.5"]), r"^x must be an array of numbers, got strings \(dtype <U3\)"),
        (np.array([None]), r"^x must be an array of numbers, got something that is not a number"),
    ],
)
def test_check_real_refuses_complex_strings_and_objects_by_name(bad, pattern):
    with pytest.raises(TypeError, match=pattern):
        check_real(bad, "x")
    with pytest.raises(TypeError, match=pattern):
        as_array(bad.tolist(), "x")


@pytest.mark.parametrize("good", [np.array([True]), np.array([3], dtype=np.uint8), np.ones(2)])
def test_check_real_returns_real_arrays_unchanged(good):
    assert check_real(good, "x") is good


@pytest.mark.parametrize(
    ("value", "low", "high", "kw", "pattern"),
    [
        (math.inf, 0.0, math.inf, {}, r"^lr must be a finite number >= 0, got inf$"),
        (-math.inf, -math.inf, math.inf, {}, r"^lr must be a finite number, got -inf$"),
        (math.nan, 0.0, math.inf, {}, r"^lr must be >= 0, got nan$"),
        (0.0, 0.0, 1.0, {"low_open": True}, r"^lr must be in \(0, 1\], got 0.0$"),
        (1.0, 0.0, 1.0, {"high_open": True}, r"^lr must be in \[0, 1\), got 1.0$"),
    ],
)
def test_check_number_refuses_non_finite_and_out_of_range(value, low, high, kw, pattern):
    with pytest.raises(ValueError, match=pattern):
        check_number(value, "lr", low, high, **kw)


def test_check_number_lets_infinity_through_only_when_asked():
    assert check_number(math.inf, "metric", -math.inf, finite=False) == math.inf
    assert check_number(np.float32(0.5), "lr", 0.0) == 0.5


@pytest.mark.parametrize("bad", [None, "0.1", 1j, True, np.array([0.1, 0.2])])
def test_as_float_refuses_non_numbers(bad):
    with pytest.raises(TypeError, match=r"^lr must be a number, got "):
        as_float(bad, "lr")


def test_check_nonnegative_int():
    assert check_nonnegative_int(0, "patience") == 0
    assert type(check_nonnegative_int(np.int64(4), "patience")) is int
    for bad in (-1, 1.0, True, None, np.array([1, 2])):
        with pytest.raises(ValueError, match=r"^patience must be a non-negative integer, got "):
            check_nonnegative_int(bad, "patience")


def test_as_shape():
    assert as_shape(4, "shape") == (4,)
    assert as_shape([2, np.int64(3)], "shape") == (2, 3)
    assert as_shape((0, 3, 4, 4), "x_shape", ndim=4, minimum=0) == (0, 3, 4, 4)
    with pytest.raises(ValueError, match=r"^shape must be a tuple of positive integers, got \(0, 4\)$"):  # fmt: skip
        as_shape((0, 4), "shape")
    with pytest.raises(TypeError, match=r"^shape must be a tuple of positive integers, got \(4.5, 3\) \(entry 4.5 is a float\)$"):  # fmt: skip
        as_shape((4.5, 3), "shape")
    with pytest.raises(TypeError, match=r"^shape must be a tuple of positive integers, got str"):
        as_shape("ab", "shape")
    with pytest.raises(ShapeError, match=r"^x_shape must be \(N, C, H, W\), got \(3, 5, 5\)$"):
        as_shape((3, 5, 5), "x_shape", ndim=4, hint="(N, C, H, W)")


def test_as_labels_range_and_type_messages():
    np.testing.assert_array_equal(as_labels([0, 2, 1], num_classes=3), [0, 2, 1])
    with pytest.raises(ValueError, match=r"^labels must be class indices in \[0, 3\) for 3 classes, got 7 at index 3$"):  # fmt: skip
        as_labels([0, 2, 1, 7], num_classes=3)
    with pytest.raises(ValueError, match=r"^y must be class indices >= 0, got -1 at index 1 \(2 labels out of range\)$"):  # fmt: skip
        as_labels([0, -1, -2], "y")
    with pytest.raises(
        ValueError, match=r"^labels must be integer class indices, got dtype float64"
    ):
        as_labels([0.0, 1.0])
    with pytest.raises(ShapeError, match=r"one-hot: pass class indices"):
        as_labels(np.eye(3, dtype=int), n=3, num_classes=3, against=("scores", (3, 3)))
    with pytest.raises(ShapeError, match=r"^labels must have shape \(4,\), one label per row of scores \(4, 3\), got \(3,\)$"):  # fmt: skip
        as_labels([0, 1, 2], n=4, num_classes=3, against=("scores", (4, 3)))


def test_check_method_and_check_cache():
    check_method([], ("append",), "items")
    with pytest.raises(TypeError, match=r"^scheduler must have a step\(\) method, got <object"):
        check_method(object(), ("step",), "scheduler")
    check_cache((1, 2), tuple, "cache", "f")
    with pytest.raises(TypeError, match=r"^cache must be the cache that f returned .*got list$"):
        check_cache([1, 2], tuple, "cache", "f")


def test_as_rng_refuses_negative_seeds():
    with pytest.raises(ValueError, match=r"^rng must be an int seed >= 0 \(or a Generator or None\), got -3$"):  # fmt: skip
        as_rng(-3)
