"""coursenn.nn.init: fan computation, the initialisers' spread, lookup by name, seeding."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn.nn import init

SHAPE = (500, 400)  # 200 000 draws: the sample std is within ~0.3 % of the true one
FAN_IN, FAN_OUT = SHAPE

# name -> the standard deviation the formula promises for SHAPE
EXPECTED_STD = {
    "lecun": np.sqrt(1.0 / FAN_IN),
    "xavier_normal": np.sqrt(2.0 / (FAN_IN + FAN_OUT)),
    "xavier_uniform": np.sqrt(6.0 / (FAN_IN + FAN_OUT)) / np.sqrt(3.0),
    "he_normal": np.sqrt(2.0 / FAN_IN),
    "he_uniform": np.sqrt(6.0 / FAN_IN) / np.sqrt(3.0),
    "small_random": 0.01,
}


@pytest.mark.parametrize(
    "shape, fans",
    [
        ((3, 5), (3, 5)),
        ((7,), (7, 7)),
        ((16, 3, 5, 5), (3 * 25, 16 * 25)),  # conv (F, C, KH, KW), as PyTorch
        ((8, 1, 3, 2), (1 * 6, 8 * 6)),
    ],
)
def test_fan_in_out(shape, fans):
    assert init.fan_in_out(shape) == fans


@pytest.mark.parametrize("shape", [(), (2, 3, 4), (1, 2, 3, 4, 5)])
def test_fan_in_out_rejects_other_ranks(shape):
    with pytest.raises(ValueError, match=r"shape must be 1-D, dense .* got"):
        init.fan_in_out(shape)


@pytest.mark.parametrize("name", sorted(EXPECTED_STD))
def test_empirical_std_matches_formula(name):
    w = init.get_initializer(name)(SHAPE, rng=0)
    assert w.shape == SHAPE and w.dtype == np.float64
    assert w.std() == pytest.approx(EXPECTED_STD[name], rel=0.02)
    # centred at 0: the mean's standard error is std / sqrt(200 000) ~ 0.0022 std
    assert abs(w.mean()) < 0.01 * EXPECTED_STD[name]


@pytest.mark.parametrize(
    "name, bound",
    [
        ("xavier_uniform", np.sqrt(6.0 / (FAN_IN + FAN_OUT))),
        ("he_uniform", np.sqrt(6.0 / FAN_IN)),
    ],
)
def test_uniform_initialisers_stay_in_bounds_and_fill_them(name, bound):
    w = init.get_initializer(name)(SHAPE, rng=1)
    assert np.abs(w).max() <= bound
    assert np.abs(w).max() > 0.99 * bound


def test_he_normal_uses_conv_fan_in():
    shape = (64, 8, 3, 3)
    w = init.he_normal(shape, rng=2)
    assert w.std() == pytest.approx(np.sqrt(2.0 / (8 * 9)), rel=0.03)


def test_zeros():
    w = init.zeros((3, 4), rng=5)
    assert w.dtype == np.float64
    np.testing.assert_array_equal(w, np.zeros((3, 4)))


def test_small_random_std_argument():
    assert init.small_random(SHAPE, rng=0, std=0.5).std() == pytest.approx(0.5, rel=0.02)


@pytest.mark.parametrize("name", sorted(EXPECTED_STD))
def test_reproducible_with_seed_and_generator(name):
    f = init.get_initializer(name)
    np.testing.assert_array_equal(f((4, 3), rng=11), f((4, 3), rng=11))
    np.testing.assert_array_equal(
        f((4, 3), rng=np.random.default_rng(11)), f((4, 3), rng=np.random.default_rng(11))
    )
    assert not np.array_equal(f((4, 3), rng=11), f((4, 3), rng=12))


def test_unseeded_initialisers_leave_global_state_alone():
    before = np.random.get_state()[1].copy()
    for name in EXPECTED_STD:
        init.get_initializer(name)((5, 5))
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_get_initializer_returns_the_function():
    assert init.get_initializer("he_normal") is init.he_normal
    assert init.get_initializer("xavier_uniform") is init.xavier_uniform


def test_get_initializer_unknown_name_lists_names():
    with pytest.raises(ValueError) as info:
        init.get_initializer("kaiming")
    message = str(info.value)
    assert "'kaiming'" in message
    for name in [
        "zeros",
        "small_random",
        "lecun",
        "xavier_uniform",
        "xavier_normal",
        "he_normal",
        "he_uniform",
    ]:
        assert repr(name) in message


def test_bad_rng_type_raises():
    with pytest.raises(
        TypeError, match="rng must be a numpy Generator, an int seed or None, got str"
    ):
        init.he_normal((2, 2), rng="seed")
