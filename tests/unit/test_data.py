"""coursenn.data: logic gates, XOR and blobs."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn import data

TRUTH = {  # outputs for inputs (F, F), (F, T), (T, F), (T, T)
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
}


@pytest.mark.parametrize("gate", sorted(TRUTH))
def test_logic_gate_01_encoding(gate):
    X, y = data.logic_gate(gate, encoding="01")
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, TRUTH[gate])
    assert X.dtype == np.float64 and X.shape == (4, 2)
    assert np.issubdtype(y.dtype, np.integer) and y.shape == (4,)


@pytest.mark.parametrize("gate", sorted(TRUTH))
def test_logic_gate_pm1_encoding_is_default(gate):
    X, y = data.logic_gate(gate)
    np.testing.assert_array_equal(X, [[-1, -1], [-1, 1], [1, -1], [1, 1]])
    np.testing.assert_array_equal(y, 2 * np.array(TRUTH[gate]) - 1)
    assert X.dtype == np.float64 and y.dtype == np.float64


def test_logic_gate_name_is_case_insensitive():
    np.testing.assert_array_equal(data.logic_gate("nand")[1], data.logic_gate("NAND")[1])


def test_logic_gate_bad_name_lists_gates():
    with pytest.raises(
        ValueError, match=r"name must be one of \['AND', 'NAND', 'NOR', 'OR', 'XOR'\], got 'XNOR'"
    ):
        data.logic_gate("XNOR")


def test_logic_gate_bad_encoding():
    with pytest.raises(ValueError, match=r"encoding must be 'pm1' or '01', got 'bool'"):
        data.logic_gate("AND", encoding="bool")


# --- make_xor --------------------------------------------------------------------------------


def test_make_xor_shapes_and_balance():
    X, y = data.make_xor(200, rng=0)
    assert X.shape == (200, 2) and X.dtype == np.float64
    assert y.shape == (200,) and np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y)) == {0, 1}
    assert np.sum(y == 1) == 100


def test_make_xor_without_noise_sits_on_corners():
    X, y = data.make_xor(8, noise=0.0, rng=0)
    assert set(map(tuple, X)) == {(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)}
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))


def test_make_xor_label_is_sign_disagreement_of_corner():
    # with noise 0.1 no point leaves its quadrant (that would be a 10-sigma draw)
    X, y = data.make_xor(400, noise=0.1, rng=3)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    assert 0.05 < np.std(X - np.sign(X)) < 0.15  # the noise is really there


def test_make_xor_reproducible():
    a, b, c = data.make_xor(50, rng=9), data.make_xor(50, rng=9), data.make_xor(50, rng=10)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        ({"n_samples": 0}, r"n_samples must be a positive integer, got 0"),
        ({"n_samples": 10.5}, r"n_samples must be a positive integer, got 10.5"),
        ({"noise": -0.1}, r"noise must be >= 0, got -0.1"),
    ],
)
def test_make_xor_bad_arguments(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        data.make_xor(**kwargs)


# --- make_blobs ------------------------------------------------------------------------------


def test_make_blobs_shapes_and_balance():
    centers = [(0.0, 0.0, 0.0), (5.0, 5.0, 5.0), (-5.0, 0.0, 5.0)]
    X, y = data.make_blobs(100, centers=centers, rng=0)
    assert X.shape == (100, 3) and y.shape == (100,)
    counts = np.bincount(y)
    assert counts.tolist() == [34, 33, 33]


def test_make_blobs_defaults_two_balanced_classes():
    X, y = data.make_blobs(rng=0)
    assert X.shape == (100, 2)
    assert np.bincount(y).tolist() == [50, 50]


def test_make_blobs_class_k_is_around_center_k():
    centers = np.array([[-3.0, 1.0], [4.0, -2.0]])
    X, y = data.make_blobs(4000, centers=centers, std=0.5, rng=1)
    for k in range(2):
        np.testing.assert_allclose(X[y == k].mean(axis=0), centers[k], atol=0.05)
        np.testing.assert_allclose(X[y == k].std(axis=0), [0.5, 0.5], rtol=0.05)


def test_make_blobs_reproducible():
    a, b = data.make_blobs(30, rng=4), data.make_blobs(30, rng=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], data.make_blobs(30, rng=5)[0])


def test_generators_leave_global_state_alone():
    before = np.random.get_state()[1].copy()
    data.make_blobs(20)
    data.make_xor(20)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        ({"n_samples": -3}, r"n_samples must be a positive integer, got -3"),
        (
            {"centers": [1.0, 2.0]},
            r"centers must be a 2-D list of points \(K, D\), got shape \(2,\)",
        ),
        ({"std": 0.0}, r"std must be positive, got 0.0"),
    ],
)
def test_make_blobs_bad_arguments(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        data.make_blobs(**kwargs)


def test_bad_rng_raises_type_error_naming_rng():
    with pytest.raises(
        TypeError, match=r"^rng must be a numpy Generator, an int seed or None, got str"
    ):
        data.make_blobs(rng="x")
    with pytest.raises(TypeError, match=r"^rng must be .* got RandomState"):
        data.make_xor(rng=np.random.RandomState(0))
