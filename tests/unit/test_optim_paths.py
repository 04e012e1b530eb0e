"""coursenn.lab.optim_paths: landscapes (gradients and Hessians by finite differences), races,
measured rates against the theory, Newton's step."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn._checks import ShapeError
from coursenn.lab import optim_paths
from coursenn.nn import optim
from coursenn.nn.gradcheck import numerical_gradient

LANDSCAPES = [optim_paths.quadratic(7.0), optim_paths.rosenbrock(), optim_paths.saddle()]


@pytest.mark.parametrize("land", LANDSCAPES, ids=lambda land: land.name)
def test_gradient_and_hessian_match_finite_differences(land):
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = rng.uniform(-1.5, 1.5, size=2)
        numeric = numerical_gradient(lambda p: land.value(p), x.copy())
        np.testing.assert_allclose(land.grad(x), numeric, rtol=1e-6, atol=1e-6)
        rows = [numerical_gradient(lambda p, i=i: land.grad(p)[i], x.copy()) for i in range(2)]
        np.testing.assert_allclose(land.hessian(x), np.array(rows), rtol=1e-5, atol=1e-5)


def test_minima_are_stationary_and_lowest():
    for land in LANDSCAPES[:2]:
        np.testing.assert_allclose(land.grad(land.minimum), 0.0, atol=1e-12)
        assert land.value(land.minimum) == 0.0
    assert optim_paths.saddle().minimum is None


def test_race_runs_every_optimizer_from_the_same_start():
    land = optim_paths.quadratic(10)
    paths = optim_paths.race(
        {"sgd": lambda ps: optim.SGD(ps, lr=0.1), "adam": lambda ps: optim.Adam(ps, lr=0.1)},
        land,
        [1.0, 1.0],
        steps=5,
    )
    assert list(paths) == ["sgd", "adam"]
    for path in paths.values():
        assert path.shape == (6, 2)
        np.testing.assert_array_equal(path[0], [1.0, 1.0])
    # plain GD on the quadratic: each coordinate is multiplied by (1 - lr * curvature)
    np.testing.assert_allclose(paths["sgd"][5], [0.9**5, 0.0], atol=1e-15)


def test_race_rejects_bad_input():
    with pytest.raises(TypeError, match="landscape must be a Landscape"):
        optim_paths.race({"s": lambda ps: optim.SGD(ps, lr=0.1)}, "bowl", [0, 0], 3)
    with pytest.raises(ValueError, match="at least one"):
        optim_paths.race({}, optim_paths.saddle(), [0, 0], 3)


def test_measured_rate_of_gradient_descent_is_the_theory():
    kappa = 50.0
    land = optim_paths.quadratic(kappa)
    path = optim_paths.optimize_path(
        lambda ps: optim.SGD(ps, lr=2 / (1 + kappa)), land.grad, [1.0, 1.0], steps=200
    )
    rate = optim_paths.measured_rate(path, land.minimum, 10, 200)
    assert rate == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-9)


def test_heavy_ball_tuning_reaches_the_optimal_rate():
    kappa = 100.0
    lr, mu = optim_paths.heavy_ball_tuning(1.0, kappa)
    assert lr == pytest.approx(4 / 11**2) and mu == pytest.approx((9 / 11) ** 2)
    land = optim_paths.quadratic(kappa)
    path = optim_paths.optimize_path(
        lambda ps: optim.SGD(ps, lr=lr, momentum=mu), land.grad, [1.0, 1.0], steps=150
    )
    rate = optim_paths.measured_rate(path, land.minimum, 50, 150)
    # the double eigenvalue adds a factor t: slightly above the theory, never below
    assert 9 / 11 <= rate < 9 / 11 + 0.02


def test_measured_rate_rejects_bad_windows():
    path = np.array([[1.0, 0.0], [0.5, 0.0], [0.25, 0.0]])
    with pytest.raises(ValueError, match="0 <= start < stop < 3"):
        optim_paths.measured_rate(path, np.zeros(2), 2, 1)
    with pytest.raises(ValueError, match="already at the target"):
        optim_paths.measured_rate(np.zeros((3, 2)), np.zeros(2), 0, 2)
    with pytest.raises(ShapeError, match="target must have shape"):
        optim_paths.distances(path, np.zeros(3))


def test_newton_step_solves_a_quadratic_in_one_step():
    for kappa in [1.0, 1e3, 1e6]:
        land = optim_paths.quadratic(kappa)
        assert np.linalg.norm(optim_paths.newton_step(land, [-1.8, 0.8])) < 1e-12
    with pytest.raises(ShapeError, match=r"x must have shape \(2,\)"):
        optim_paths.newton_step(optim_paths.saddle(), [1.0, 2.0, 3.0])


def test_constructors_check_their_arguments():
    with pytest.raises(ValueError, match="kappa must be >= 1"):
        optim_paths.quadratic(0.5)
    with pytest.raises(ValueError, match="b must be > 0"):
        optim_paths.rosenbrock(b=0.0)
