"""Chapter 6 exercises: the reference answers pass, the known wrong answers fail with their reason."""

from __future__ import annotations

import exercise_contract
import numpy as np
import pytest

from coursenn.exercises import ch06, judge, reset_attempts
from coursenn.lab.preprocessing import Preprocessor


def _standardize(X_train, X_test):
    X_train = np.asarray(X_train, float)
    return (np.asarray(X_test, float) - X_train.mean(axis=0)) / X_train.std(axis=0)


def _whiten(X, eps):
    X = np.asarray(X, float)
    X = X - X.mean(axis=0)
    U, S, _ = np.linalg.svd(X.T @ X / X.shape[0])
    return X @ U / np.sqrt(S + eps)


def _whiten_lecture_bug(X, eps):  # the exercise's given code
    X -= np.mean(X, axis=0)
    U, S, _ = np.linalg.svd(X.T @ X / X.shape[0])
    return X @ U / S


def _whiten_mutating(X, eps):  # fixed the divisor, still mutates the input
    X -= np.mean(X, axis=0)
    U, S, _ = np.linalg.svd(X.T @ X / X.shape[0])
    return X @ U / np.sqrt(S + eps)


def _standardize_mutating(X_train, X_test):
    X_test -= X_train.mean(axis=0)
    X_test /= X_train.std(axis=0)
    return X_test


REFERENCE = {
    "ch06-five-sigmoids": [9.77e-4, 6.81e-4],  # 3 significant digits, as the task asks
    "ch06-whiten-factor": 7.07,
    "ch06-standardize": _standardize,
    "ch06-whiten-bug": _whiten,
    "ch06-zigzag-slider": "C",
    "ch06-vanish-slider": "b",
}

WRONG = {
    "ch06-five-sigmoids": [
        ([0.25**5, 0.25**5], "取不到"),
        ([0.25**5, 6.76e-4], "x = 0"),  # the slope at x = 0, to 3 digits
        ([1.25, 6.81e-4], "相乘"),
        ([0.5**5, 6.81e-4], "σ(0)"),
        ([0.25, 6.81e-4], "一层"),
        ([0.25**4, 6.81e-4], "少算"),
        (0.25**5, "形状"),  # the bound alone
        ([9.77e-4, 6.9e-4], "不对"),
    ],
    "ch06-whiten-factor": [
        (50.0, "平方根"),
        (100.0, "特征值本身"),
        (10.0, "漏了 ε"),
        (9.995, "1e-5"),
        (0.1414, "乘上"),
    ],
    "ch06-standardize": [
        (ch06._wrong_standardize_test_stats, "测试集自己"),
        (ch06._wrong_standardize_all, "泄漏"),
        (ch06._wrong_standardize_variance, "方差"),
        (ch06._wrong_standardize_ddof, "ddof"),
        (_standardize_mutating, "read-only"),
    ],
    "ch06-whiten-bug": [
        (_whiten_lecture_bug, "read-only"),
        (_whiten_mutating, "read-only"),
        (ch06._wrong_whiten_divide_s_eps, "平方根"),
        (ch06._wrong_whiten_no_eps, "除以 0"),
        (ch06._wrong_whiten_no_centre, "零中心化"),
    ],
    "ch06-zigzag-slider": [("A", "不是正确"), ("B", "不是正确"), ("D", "不是正确")],
    "ch06-vanish-slider": [("A", "不是正确"), ("C", "不是正确"), ("D", "不是正确")],
}


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


def test_lecture_bug_without_mutation_is_caught_as_dividing_by_s():
    result = judge("ch06-whiten-bug", ch06._wrong_whiten_divide_s)
    assert not result.ok and "特征值本身" in result.message


def test_whiten_fresh_cases_do_not_depend_on_how_the_covariance_is_computed():
    """np.cov gives the covariance with other rounding than X.T @ X / N; the signs of the
    principal directions (so the whitened data) must not change with it."""

    def whiten_with_cov(X, eps):
        X = np.asarray(X, float) - np.mean(X, axis=0)
        U, S, _ = np.linalg.svd(np.cov(X, rowvar=False, bias=True))
        return X @ U / np.sqrt(S + eps)

    for seed in range(20):
        fresh = exercise_contract.fresh_cases("ch06-whiten-bug", seed)
        result = judge("ch06-whiten-bug", whiten_with_cov, cases=fresh)
        assert result.ok, (seed, result.message)


def test_whiten_reference_makes_identity_covariance():
    X = ch06._whiten_data()
    W = Preprocessor("whiten", eps=0.0).fit_transform(X)
    np.testing.assert_allclose(W.T @ W / len(W), np.eye(3), atol=1e-10)


TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)


def test_five_sigmoids_maximum_is_attained_below_the_bound():
    # independent of the registry: a dense grid, the chain rule written out
    x = np.linspace(-3, 3, 600_001)
    a, slope = x, np.ones_like(x)
    for _ in range(5):
        s = 1 / (1 + np.exp(-a))
        slope, a = slope * s * (1 - s), s
    best = slope.argmax()
    assert abs(x[best] + 0.158) < 1e-3
    assert abs(slope[best] - 6.81e-4) < 5e-7 < 0.25**5 - slope[best]
    assert abs(ch06._five_sigmoids_max() - slope[best]) < 1e-12
