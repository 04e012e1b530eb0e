"""coursenn.lab.perceptron: PLA converges on separable gates and never on XOR."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn import data
from coursenn._checks import ShapeError
from coursenn.lab.perceptron import PerceptronResult, perceptron_predict, train_perceptron


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOR"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_converges_on_linearly_separable_gates(gate, seed):
    X, y = data.logic_gate(gate)
    result = train_perceptron(X, y, epochs=100, rng=seed)
    assert result.mistakes[-1] == 0
    assert result.converged
    assert all(m > 0 for m in result.mistakes[:-1])  # it stops after the first clean epoch
    np.testing.assert_array_equal(perceptron_predict(X, result.w, result.b), y)
    assert result.w.shape == (2,) and isinstance(result.b, float)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_never_converges_on_xor(seed):
    X, y = data.logic_gate("XOR")
    result = train_perceptron(X, y, epochs=50, rng=seed)
    assert len(result.mistakes) == 50
    assert min(result.mistakes) > 0
    assert not result.converged
    assert np.any(perceptron_predict(X, result.w, result.b) != y)


def test_first_update_matches_the_rule():
    """From w = 0, b = 0 the first sample is a mistake (sign(0) = +1 vs y = -1)."""
    X = np.array([[2.0, 3.0]])
    y = np.array([-1.0])
    result = train_perceptron(X, y, lr=0.5, epochs=5, rng=0)
    np.testing.assert_allclose(result.w, [-1.0, -1.5])
    assert result.b == -0.5
    assert result.mistakes == [1, 0]


def test_reproducible_with_seed():
    X, y = data.make_blobs(40, std=0.3, rng=0)
    y = np.where(y == 1, 1.0, -1.0)
    a, b = train_perceptron(X, y, rng=5), train_perceptron(X, y, rng=5)
    np.testing.assert_array_equal(a.w, b.w)
    assert a.b == b.b and a.mistakes == b.mistakes


def test_result_converged_is_false_when_no_epoch_ran():
    assert PerceptronResult(w=np.zeros(2), b=0.0).converged is False


def test_perceptron_predict_values():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(perceptron_predict(X, [1.0, -1.0], 0.0), [1.0, -1.0, 1.0])


def test_bad_y_values():
    X, _ = data.logic_gate("AND", encoding="01")
    with pytest.raises(
        ValueError, match=r"y must contain only -1 and \+1, got values \[0.0, 1.0\]"
    ):
        train_perceptron(X, [0, 0, 0, 1])


def test_bad_y_shape():
    X, y = data.logic_gate("AND")
    with pytest.raises(
        ShapeError, match=r"y must have shape \(4,\) to match X \(4, 2\), got \(3,\)"
    ):
        train_perceptron(X, y[:3])
    with pytest.raises(ShapeError, match=r"y must have shape \(4,\) .* got \(4, 1\)"):
        train_perceptron(X, y[:, None])


def test_bad_x_shape():
    with pytest.raises(ShapeError, match=r"X must be 2-D \(N, D\), got shape \(4,\)"):
        train_perceptron(np.ones(4), np.ones(4))


def test_bad_epochs():
    X, y = data.logic_gate("AND")
    with pytest.raises(ValueError, match=r"epochs must be a positive integer, got 0"):
        train_perceptron(X, y, epochs=0)


def test_predict_bad_w_shape():
    with pytest.raises(
        ShapeError, match=r"w must have shape \(2,\) to match X \(4, 2\), got \(3,\)"
    ):
        perceptron_predict(np.ones((4, 2)), np.ones(3), 0.0)


def test_inputs_not_mutated():
    X, y = data.logic_gate("OR")
    X0, y0 = X.copy(), y.copy()
    train_perceptron(X, y, rng=0)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
