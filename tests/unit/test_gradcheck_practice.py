"""coursenn.lab.gradcheck_practice: finite-difference errors against h, sampled gradient checks."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn.lab.gradcheck_practice import difference_errors, sampled_gradient_check


def test_truncation_errors_shrink_like_h_and_h_squared():
    hs = np.array([1e-2, 1e-3])
    fwd, ctr = difference_errors(np.exp, np.exp(1.0), 1.0, hs)
    # forward: error ~ f''/2 h; centred: ~ f'''/6 h^2
    assert fwd == pytest.approx(np.e / 2 * hs, rel=1e-2)
    assert ctr == pytest.approx(np.e / 6 * hs**2, rel=1e-2)


def test_rounding_floor_is_higher_in_float32():
    hs = np.array([1e-8])
    _, ctr64 = difference_errors(np.sin, np.cos(0.5), 0.5, hs)
    fwd32, ctr32 = difference_errors(np.sin, np.cos(0.5), 0.5, hs, dtype=np.float32)
    assert ctr64[0] < 1e-6
    # in float32 0.5 + 1e-8 rounds to 0.5: the difference is 0, the error |f'(x)|
    assert fwd32[0] == pytest.approx(np.cos(0.5)) and ctr32[0] == pytest.approx(np.cos(0.5))


def test_difference_errors_rejects_bad_steps():
    with pytest.raises(ValueError, match="hs must hold finite steps > 0"):
        difference_errors(np.sin, 1.0, 0.0, [1e-3, 0.0])
    with pytest.raises(TypeError, match="dtype must be a floating dtype"):
        difference_errors(np.sin, 1.0, 0.0, [1e-3], dtype=np.int64)


def test_sampled_check_passes_a_right_gradient_and_restores_x():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(6, 4))
    before = W.copy()
    indices, errors = sampled_gradient_check(lambda: float(np.sum(W**3)), W, 3 * W**2, 5, rng=1)
    assert len(indices) == len(set(indices)) == 5
    assert np.all(errors < 1e-7)
    assert np.array_equal(W, before)


def test_sampled_check_catches_a_wrong_gradient():
    W = np.arange(1.0, 7.0).reshape(2, 3)
    _, errors = sampled_gradient_check(lambda: float(np.sum(W**2)), W, W, 6, rng=0)
    assert np.allclose(errors, 0.5)  # the factor 2 is missing everywhere


def test_sampled_check_restores_x_when_f_raises():
    W = np.ones(3)

    def boom():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        sampled_gradient_check(boom, W, np.ones(3), 1, rng=0)
    assert np.array_equal(W, np.ones(3))


def test_sampled_check_validates_its_arguments():
    W = np.ones((2, 2))
    with pytest.raises(ValueError, match="n must be at most x.size = 4"):
        sampled_gradient_check(lambda: 0.0, W, np.ones((2, 2)), 5)
    with pytest.raises(ValueError, match=r"grad must have the shape of x \(2, 2\)"):
        sampled_gradient_check(lambda: 0.0, W, np.ones(4), 1)
    with pytest.raises(TypeError, match="x must be a numpy float array"):
        sampled_gradient_check(lambda: 0.0, [1.0, 2.0], [1.0, 2.0], 1)
