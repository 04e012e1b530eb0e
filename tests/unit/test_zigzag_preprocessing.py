"""coursenn.lab.zigzag and coursenn.lab.preprocessing: the chapter 6 experiments' building blocks."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn.lab.preprocessing import Preprocessor
from coursenn.lab.zigzag import same_sign_fraction, sgd_path, steps_to_reach
from coursenn.nn import activations as act


def _problem(rng, positive=True):
    U = rng.normal(size=(100, 2))
    X = act.sigmoid(U) if positive else act.tanh(U)
    return X, X @ np.array([1.0, -1.0])


def test_sgd_path_full_batch_is_gradient_descent(rng):
    X, y = _problem(rng)
    path = sgd_path(X, y, [0.0, 0.0], lr=0.5, batch_size=1000, steps=3)
    w = np.zeros(2)
    for t in range(1, 4):
        w = w - 0.5 * X.T @ (X @ w - y) / len(X)
        np.testing.assert_allclose(path[t], w, rtol=1e-12)
    assert path.shape == (4, 2) and np.array_equal(path[0], [0.0, 0.0])


def test_positive_inputs_give_same_sign_updates_with_batch_one(rng):
    X, y = _problem(rng, positive=True)
    assert same_sign_fraction(sgd_path(X, y, [0, 0], lr=1.0, batch_size=1, steps=200, rng=0)) == 1.0
    Xc, yc = _problem(rng, positive=False)
    assert (
        same_sign_fraction(sgd_path(Xc, yc, [0, 0], lr=1.0, batch_size=1, steps=200, rng=0)) < 0.8
    )


def test_same_sign_fraction_by_hand():
    path = np.array([[0, 0], [1, 2], [0, 3], [0, 3], [-1, -1]], dtype=float)
    assert same_sign_fraction(path) == pytest.approx(2 / 3)  # the zero step is left out
    assert np.isnan(same_sign_fraction(np.zeros((3, 2))))


def test_steps_to_reach():
    path = np.array([[0, 0], [0.5, 0], [0.95, 0], [1.0, 0]])
    assert steps_to_reach(path, [1.0, 0.0], 0.1) == 2
    assert steps_to_reach(path, [5.0, 0.0], 0.1) is None
    with pytest.raises(ValueError, match="tol"):
        steps_to_reach(path, [1.0, 0.0], 0.0)


def test_sgd_path_errors():
    X = np.ones((5, 2))
    with pytest.raises(ValueError, match="y must have shape"):
        sgd_path(X, np.ones(4), [0, 0], lr=0.1, batch_size=1, steps=1)
    with pytest.raises(ValueError, match="w0 must have shape"):
        sgd_path(X, np.ones(5), [0, 0, 0], lr=0.1, batch_size=1, steps=1)
    with pytest.raises(ValueError, match="lr"):
        sgd_path(X, np.ones(5), [0, 0], lr=0.0, batch_size=1, steps=1)


@pytest.fixture
def correlated(rng):
    A = np.array([[2.0, 0.0], [1.5, 0.5]])
    return rng.normal(size=(500, 2)) @ A + np.array([4.0, -3.0])


def test_center_and_standardize(correlated):
    Xc = Preprocessor("center").fit_transform(correlated)
    np.testing.assert_allclose(Xc.mean(axis=0), 0.0, atol=1e-12)
    Xs = Preprocessor("standardize").fit_transform(correlated)
    np.testing.assert_allclose(Xs.std(axis=0), 1.0, rtol=1e-12)


def test_pca_decorrelates_and_whiten_gives_identity(correlated):
    Xr = Preprocessor("pca").fit_transform(correlated)
    cov = Xr.T @ Xr / len(Xr)
    assert abs(cov[0, 1]) < 1e-10 and cov[0, 0] > cov[1, 1]
    Xw = Preprocessor("whiten", eps=0.0).fit_transform(correlated)
    np.testing.assert_allclose(Xw.T @ Xw / len(Xw), np.eye(2), atol=1e-10)


def test_svd_values_are_the_eigenvalues_not_their_squares(correlated):
    pre = Preprocessor("pca").fit(correlated)
    Xc = correlated - correlated.mean(axis=0)
    eig = np.linalg.eigvalsh(Xc.T @ Xc / len(Xc))[::-1]
    np.testing.assert_allclose(pre.S_, eig, rtol=1e-10)


def test_statistics_come_from_training_data_only(correlated):
    pre = Preprocessor("standardize").fit(correlated[:400])
    test = correlated[400:]
    np.testing.assert_allclose(
        pre.transform(test), (test - correlated[:400].mean(0)) / correlated[:400].std(0)
    )


def test_whiten_eps_and_components(correlated):
    pre = Preprocessor("whiten", eps=1.0, n_components=1).fit(correlated)
    out = pre.transform(correlated)
    assert out.shape == (500, 1)
    np.testing.assert_allclose(out.var(), pre.S_[0] / (pre.S_[0] + 1.0), rtol=1e-10)


def test_preprocessor_errors(correlated):
    with pytest.raises(ValueError, match="method"):
        Preprocessor("zca")
    with pytest.raises(RuntimeError, match="before fit"):
        Preprocessor("center").transform(correlated)
    with pytest.raises(ValueError, match="zero standard deviation"):
        Preprocessor("standardize").fit(np.column_stack([correlated, np.ones(500)]))
    with pytest.raises(ValueError, match="columns"):
        Preprocessor("center").fit(correlated).transform(np.ones((3, 5)))
