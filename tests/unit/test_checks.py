"""coursenn._checks: validation helpers and their messages."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn import ShapeError
from coursenn._checks import as_array, as_rng, check_ndim, check_positive_int, check_shape


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
