"""coursenn.nn.losses: hand values, loop re-implementations, gradients, stability, errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coursenn import ShapeError
from coursenn.nn import activations as act
from coursenn.nn.losses import (
    binary_cross_entropy_with_logits,
    mae_loss,
    mse_loss,
    multiclass_hinge_loss,
    softmax_cross_entropy,
)

GRAD_TOL = 1e-7
# Underflow (exp(-2000) -> 0.0) is the correctly rounded result; nothing else may happen.
STRICT_FP = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


# --- independent re-implementations with explicit loops -------------------------------------


def loop_mse(pred, target):
    flat_p, flat_t = np.ravel(pred), np.ravel(target)
    total = 0.0
    for p, t in zip(flat_p, flat_t, strict=True):
        total += (p - t) ** 2
    return total / len(flat_p)


def loop_mae(pred, target):
    flat_p, flat_t = np.ravel(pred), np.ravel(target)
    return sum(abs(p - t) for p, t in zip(flat_p, flat_t, strict=True)) / len(flat_p)


def loop_softmax_ce(logits, labels):
    """-log(e^{s_y} / sum_j e^{s_j}) per row, with math.exp (moderate logits only)."""
    total = 0.0
    for row, y in zip(logits, labels, strict=True):
        denom = sum(math.exp(s) for s in row)
        total += -math.log(math.exp(row[y]) / denom)
    return total / len(labels)


def loop_softmax_ce_grad(logits, labels):
    n, k = np.shape(logits)
    grad = np.zeros((n, k))
    for i in range(n):
        denom = sum(math.exp(s) for s in logits[i])
        for j in range(k):
            grad[i, j] = (math.exp(logits[i][j]) / denom - (1.0 if j == labels[i] else 0.0)) / n
    return grad


def loop_bce(logits, targets):
    """-[t log p + (1 - t) log(1 - p)] with p = 1 / (1 + e^-z) (moderate logits only)."""
    flat_z, flat_t = np.ravel(logits), np.ravel(targets)
    total = 0.0
    for z, t in zip(flat_z, flat_t, strict=True):
        p = 1.0 / (1.0 + math.exp(-z))
        total += -(t * math.log(p) + (1.0 - t) * math.log(1.0 - p))
    return total / len(flat_z)


def loop_hinge(scores, labels, delta):
    """The lecture's L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + delta), averaged over rows."""
    n, k = np.shape(scores)
    total = 0.0
    grad = np.zeros((n, k))
    for i in range(n):
        y = labels[i]
        for j in range(k):
            if j == y:
                continue
            margin = scores[i][j] - scores[i][y] + delta
            if margin > 0:
                total += margin
                grad[i, j] += 1.0 / n
                grad[i, y] -= 1.0 / n
    return total / n, grad


# --- input makers ---------------------------------------------------------------------------


def _scores_away_from_hinge_kinks(rng, n=4, k=5, delta=1.0, gap=0.1):
    """Random scores and labels whose margins s_j - s_y + delta all satisfy |margin| >= gap.

    Half the margins are pushed positive, half negative, so both branches are checked.
    """
    labels = rng.integers(0, k, size=n)
    scores = rng.normal(size=(n, k))
    for i in range(n):
        for j in range(k):
            if j == labels[i]:
                continue
            m = rng.uniform(gap, 2.0) * rng.choice([-1.0, 1.0])
            scores[i, j] = scores[i, labels[i]] - delta + m
    return scores, labels


def _away_from_zero(rng, shape, lo=0.05, hi=2.0):
    return rng.uniform(lo, hi, size=shape) * rng.choice([-1.0, 1.0], size=shape)


# --- hand-computed values -------------------------------------------------------------------


def test_mse_hand_values_average_over_all_elements():
    loss, dpred = mse_loss([1.0, 2.0, 3.0], [1.0, 0.0, 0.0])
    assert loss == pytest.approx(13.0 / 3.0, rel=1e-15)
    np.testing.assert_allclose(dpred, [0.0, 4.0 / 3.0, 2.0], rtol=1e-15)
    # (N, D): divided by N * D = 4, like torch.nn.MSELoss() (reduction="mean")
    loss, dpred = mse_loss([[1.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 2.0]])
    assert loss == pytest.approx((1.0 + 4.0) / 4.0, rel=1e-15)
    np.testing.assert_allclose(dpred, [[0.5, 0.0], [0.0, -1.0]], rtol=1e-15)


def test_mae_hand_values_and_zero_gradient_at_tie():
    loss, dpred = mae_loss([1.0, -2.0, 3.0], [0.0, 0.0, 3.0])
    assert loss == pytest.approx(1.0, rel=1e-15)
    np.testing.assert_array_equal(dpred, [1.0 / 3.0, -1.0 / 3.0, 0.0])
    loss, dpred = mae_loss([[2.0, 2.0]], [[2.0, 2.0]])
    assert loss == 0.0
    np.testing.assert_array_equal(dpred, [[0.0, 0.0]])


def test_softmax_ce_hand_values():
    # p = softmax([0, ln 3]) = [1/4, 3/4]; the correct class is 1
    loss, dlogits = softmax_cross_entropy([[0.0, np.log(3.0)]], [1])
    assert loss == pytest.approx(-np.log(0.75), rel=1e-14)
    np.testing.assert_allclose(dlogits, [[0.25, -0.25]], rtol=1e-14)


@pytest.mark.parametrize("k", [2, 3, 10, 1000])
def test_softmax_ce_sanity_value_equal_logits_give_ln_k(k):
    """The lecture's sanity check: with equal scores the initial loss is ln K (ln 10 = 2.302)."""
    loss, _ = softmax_cross_entropy(np.full((7, k), 0.37), np.arange(7) % k)
    assert loss == pytest.approx(np.log(k), rel=1e-14)
    if k == 10:
        assert f"{loss:.3f}" == "2.303"


def test_softmax_ce_gradient_is_softmax_minus_one_hot_over_n(rng):
    logits = rng.normal(size=(6, 4))
    labels = np.array([0, 3, 1, 1, 2, 0])
    _, dlogits = softmax_cross_entropy(logits, labels)
    expected = (act.softmax(logits) - np.eye(4)[labels]) / 6
    np.testing.assert_allclose(dlogits, expected, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(dlogits.sum(axis=1), 0.0, atol=1e-15)  # each row sums to 0


def test_bce_hand_values():
    loss, dlogits = binary_cross_entropy_with_logits([0.0, 0.0], [1.0, 0.0])
    assert loss == pytest.approx(np.log(2.0), rel=1e-15)
    np.testing.assert_allclose(dlogits, [-0.25, 0.25], rtol=1e-15)
    # sigma(ln 3) = 3/4: target 1 costs -ln(3/4), target 0 costs -ln(1/4); mean over both
    loss, dlogits = binary_cross_entropy_with_logits([[np.log(3.0)], [np.log(3.0)]], [[1.0], [0.0]])
    assert loss == pytest.approx((-np.log(0.75) - np.log(0.25)) / 2.0, rel=1e-14)
    np.testing.assert_allclose(dlogits, [[-0.125], [0.375]], rtol=1e-14)


def test_hinge_lecture_worked_example_is_exactly_8():
    """s = [13, -7, 11], y = 0, delta = 10: max(0, -7-13+10) + max(0, 11-13+10) = 0 + 8."""
    loss, dscores = multiclass_hinge_loss([[13.0, -7.0, 11.0]], [0], margin=10.0)
    assert loss == 8.0
    assert type(loss) is float
    np.testing.assert_array_equal(dscores, [[-1.0, 0.0, 1.0]])
    loss_int, _ = multiclass_hinge_loss([[13, -7, 11]], [0], margin=10)  # ints are fine too
    assert loss_int == 8.0


def test_hinge_lecture_svm_versus_softmax_remark():
    """The lecture: with delta = 1, [10, -2, 3], [10, 9, 9] and [10, -100, -100] (class 0)
    all cost 0 for the SVM, while softmax still prefers the clearer [10, -100, -100]."""
    scores = [[10.0, -2.0, 3.0], [10.0, 9.0, 9.0], [10.0, -100.0, -100.0]]
    for row in scores:
        assert multiclass_hinge_loss([row], [0])[0] == 0.0
    assert softmax_cross_entropy([scores[1]], [0])[0] > softmax_cross_entropy([scores[2]], [0])[0]


def test_hinge_averages_over_batch_and_default_margin_is_one():
    # row 0: max(0, 2-1+1) + max(0, 0-1+1) = 2 + 0 (a margin exactly 0: gradient 0)
    # row 1: correct class 2: max(0, 0-3+1) + max(0, 5-3+1) = 0 + 3
    scores = np.array([[1.0, 2.0, 0.0], [0.0, 5.0, 3.0]])
    loss, dscores = multiclass_hinge_loss(scores, [0, 2])
    assert loss == pytest.approx((2.0 + 3.0) / 2.0, rel=1e-15)
    np.testing.assert_array_equal(dscores, [[-0.5, 0.5, 0.0], [0.0, 0.5, -0.5]])


# --- against the loop re-implementations -----------------------------------------------------


@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 2)])
def test_regression_losses_match_loops(shape, rng):
    pred, target = rng.normal(size=shape), rng.normal(size=shape)
    assert mse_loss(pred, target)[0] == pytest.approx(loop_mse(pred, target), rel=1e-13)
    assert mae_loss(pred, target)[0] == pytest.approx(loop_mae(pred, target), rel=1e-13)


def test_softmax_ce_matches_loop(rng):
    logits = rng.normal(scale=3.0, size=(8, 5))
    labels = rng.integers(0, 5, size=8)
    loss, dlogits = softmax_cross_entropy(logits, labels)
    assert loss == pytest.approx(loop_softmax_ce(logits, labels), rel=1e-12)
    np.testing.assert_allclose(
        dlogits, loop_softmax_ce_grad(logits, labels), rtol=1e-12, atol=1e-17
    )


def test_bce_matches_loop_with_hard_and_soft_targets(rng):
    logits = rng.normal(scale=3.0, size=(6, 2))
    targets = np.concatenate([rng.integers(0, 2, size=(3, 2)), rng.uniform(size=(3, 2))])
    loss, _ = binary_cross_entropy_with_logits(logits, targets)
    assert loss == pytest.approx(loop_bce(logits, targets), rel=1e-12)


@pytest.mark.parametrize("delta", [0.0, 1.0, 10.0])
def test_hinge_matches_loop(delta, rng):
    scores = rng.normal(scale=3.0, size=(7, 4))
    labels = rng.integers(0, 4, size=7)
    loss, dscores = multiclass_hinge_loss(scores, labels, margin=delta)
    ref_loss, ref_grad = loop_hinge(scores, labels, delta)
    assert loss == pytest.approx(ref_loss, rel=1e-13)
    np.testing.assert_allclose(dscores, ref_grad, rtol=1e-13)


# --- gradients against finite differences -----------------------------------------------------


def test_mse_gradient(rng, gradcheck):
    pred, target = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    _, dpred = mse_loss(pred, target)
    numeric = gradcheck.numerical(lambda z: mse_loss(z, target)[0], pred.copy())
    gradcheck.assert_close(dpred, numeric, GRAD_TOL, "mse dpred")


def test_mae_gradient_away_from_kink(rng, gradcheck):
    target = rng.normal(size=(5, 3))
    pred = target + _away_from_zero(rng, (5, 3))
    _, dpred = mae_loss(pred, target)
    numeric = gradcheck.numerical(lambda z: mae_loss(z, target)[0], pred.copy())
    gradcheck.assert_close(dpred, numeric, GRAD_TOL, "mae dpred")


def test_softmax_ce_gradient(rng, gradcheck):
    logits = rng.normal(size=(4, 5))
    labels = np.array([4, 0, 2, 2])
    _, dlogits = softmax_cross_entropy(logits, labels)
    numeric = gradcheck.numerical(lambda z: softmax_cross_entropy(z, labels)[0], logits.copy())
    gradcheck.assert_close(dlogits, numeric, GRAD_TOL, "softmax CE dlogits")


@pytest.mark.parametrize("shape", [(6,), (4, 3)])
def test_bce_gradient(shape, rng, gradcheck):
    logits = rng.normal(size=shape)
    targets = rng.integers(0, 2, size=shape).astype(float)
    _, dlogits = binary_cross_entropy_with_logits(logits, targets)
    numeric = gradcheck.numerical(
        lambda z: binary_cross_entropy_with_logits(z, targets)[0], logits.copy()
    )
    gradcheck.assert_close(dlogits, numeric, GRAD_TOL, "BCE dlogits")


@pytest.mark.parametrize("delta", [1.0, 10.0])
def test_hinge_gradient_away_from_kinks(delta, rng, gradcheck):
    scores, labels = _scores_away_from_hinge_kinks(rng, delta=delta)
    loss, dscores = multiclass_hinge_loss(scores, labels, margin=delta)
    assert loss > 0.0 and np.any(dscores == 0.0)  # both branches of the max are exercised
    numeric = gradcheck.numerical(
        lambda z: multiclass_hinge_loss(z, labels, margin=delta)[0], scores.copy()
    )
    gradcheck.assert_close(dscores, numeric, GRAD_TOL, "hinge dscores")


def test_package_gradcheck_agrees_with_the_test_fixture(rng, gradcheck):
    """coursenn.nn.gradcheck.check_gradients passes every loss at the lecture's 1e-7."""
    from coursenn.nn.gradcheck import check_gradients

    logits = rng.normal(size=(3, 4))
    labels = np.array([1, 0, 3])
    _, dlogits = softmax_cross_entropy(logits, labels)
    report = check_gradients(
        lambda p: softmax_cross_entropy(p["logits"], labels)[0],
        {"logits": logits},
        {"logits": dlogits},
    )
    assert report.ok, str(report)


# --- properties -------------------------------------------------------------------------------

_finite = st.floats(-1000, 1000, allow_nan=False, allow_infinity=False)


@st.composite
def scores_and_labels(draw, max_n=5, max_k=6):
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, max_k))
    scores = draw(arrays(np.float64, (n, k), elements=_finite))
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return scores, labels


@st.composite
def pred_and_target(draw, unit_target=False):
    shape = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    pred = draw(arrays(np.float64, shape, elements=_finite))
    elements = st.floats(0.0, 1.0) if unit_target else _finite
    target = draw(arrays(np.float64, shape, elements=elements))
    return pred, target


@settings(max_examples=80, deadline=None, database=None)
@given(pt=pred_and_target())
def test_regression_losses_are_nonnegative(pt):
    for fn in (mse_loss, mae_loss):
        loss, _ = fn(*pt)
        assert loss >= 0.0


@settings(max_examples=80, deadline=None, database=None)
@given(pt=pred_and_target(unit_target=True))
def test_bce_is_nonnegative_and_finite(pt):
    with np.errstate(**STRICT_FP):
        loss, dlogits = binary_cross_entropy_with_logits(*pt)
    assert loss >= 0.0 and math.isfinite(loss)
    assert np.all(np.isfinite(dlogits))


@settings(max_examples=80, deadline=None, database=None)
@given(sl=scores_and_labels(), delta=st.floats(0.0, 10.0))
def test_classification_losses_are_nonnegative_and_finite(sl, delta):
    scores, labels = sl
    with np.errstate(**STRICT_FP):
        ce, dce = softmax_cross_entropy(scores, labels)
        hinge, dhinge = multiclass_hinge_loss(scores, labels, margin=delta)
    assert ce >= 0.0 and math.isfinite(ce)
    assert hinge >= 0.0 and math.isfinite(hinge)
    assert np.all(np.isfinite(dce)) and np.all(np.isfinite(dhinge))


@settings(max_examples=80, deadline=None, database=None)
@given(
    sl=scores_and_labels(),
    shifts=arrays(np.float64, 5, elements=st.floats(-100, 100, allow_nan=False)),
)
def test_softmax_ce_is_invariant_to_a_constant_per_row(sl, shifts):
    scores, labels = sl
    scores = scores / 10.0  # |scores| <= 100, so shifting keeps float rounding small
    shifted = scores + shifts[: scores.shape[0], None]
    loss, dlogits = softmax_cross_entropy(scores, labels)
    loss_s, dlogits_s = softmax_cross_entropy(shifted, labels)
    assert loss_s == pytest.approx(loss, rel=1e-9, abs=1e-10)
    np.testing.assert_allclose(dlogits_s, dlogits, atol=1e-10)


# --- numerical stability ----------------------------------------------------------------------


def test_cross_entropies_finite_and_silent_at_plus_minus_1000():
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 1000.0]])
    with warnings.catch_warnings(), np.errstate(**STRICT_FP):
        warnings.simplefilter("error")
        ce, dce = softmax_cross_entropy(logits, [1, 0])
        bce, dbce = binary_cross_entropy_with_logits(logits, np.array([[0, 1, 0.5], [1, 0, 1]]))
        hinge, dhinge = multiclass_hinge_loss(logits, [1, 0])
    # row 0: -log softmax = 2000; row 1: two classes tie at 1000 above the correct -1000
    assert ce == pytest.approx((2000.0 + 2000.0 + np.log(2.0)) / 2.0, rel=1e-15)
    # BCE per element: 1000, 1000, ln 2, 1000, 1000, 0 -> mean
    assert bce == pytest.approx((4 * 1000.0 + np.log(2.0)) / 6.0, rel=1e-15)
    assert hinge == pytest.approx((2001.0 + 1001.0 + 2001.0 + 2001.0) / 2.0, rel=1e-15)
    for g in (dce, dbce, dhinge):
        assert np.all(np.isfinite(g))
    np.testing.assert_allclose(dce, [[0.5, -0.5, 0.0], [-0.5, 0.25, 0.25]], atol=1e-300)


# --- inputs, outputs, types -------------------------------------------------------------------

CALLS = [
    pytest.param(mse_loss, lambda r: (r.normal(size=(3, 2)), r.normal(size=(3, 2))), id="mse"),
    pytest.param(mae_loss, lambda r: (r.normal(size=(3, 2)), r.normal(size=(3, 2))), id="mae"),
    pytest.param(
        softmax_cross_entropy, lambda r: (r.normal(size=(3, 4)), np.array([0, 3, 1])), id="ce"
    ),
    pytest.param(
        binary_cross_entropy_with_logits,
        lambda r: (r.normal(size=(3, 2)), r.uniform(size=(3, 2))),
        id="bce",
    ),
    pytest.param(
        multiclass_hinge_loss, lambda r: (r.normal(size=(3, 4)), np.array([0, 3, 1])), id="hinge"
    ),
]


@pytest.mark.parametrize("fn, make", CALLS)
def test_inputs_not_mutated_and_outputs_fresh(fn, make, rng):
    a, b = make(rng)
    a_before, b_before = a.copy(), b.copy()
    loss, dinput = fn(a, b)
    np.testing.assert_array_equal(a, a_before)
    np.testing.assert_array_equal(b, b_before)
    assert type(loss) is float
    assert isinstance(dinput, np.ndarray) and dinput.dtype == np.float64
    assert dinput.shape == a.shape
    assert not np.shares_memory(dinput, a) and not np.shares_memory(dinput, b)


@pytest.mark.parametrize("fn, make", CALLS)
def test_lists_accepted(fn, make, rng):
    a, b = make(rng)
    loss_arr, grad_arr = fn(a, b)
    loss_list, grad_list = fn(a.tolist(), b.tolist())
    assert loss_list == loss_arr
    np.testing.assert_array_equal(grad_list, grad_arr)


# --- error messages ---------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [mse_loss, mae_loss])
def test_regression_shape_mismatch_names_target(fn):
    with pytest.raises(
        ShapeError, match=r"^target must have the same shape as pred \(3,\), got \(3, 1\)"
    ):
        fn([1.0, 2.0, 3.0], [[1.0], [2.0], [3.0]])


def test_regression_empty_input():
    with pytest.raises(ValueError, match=r"^pred must hold at least one element"):
        mse_loss([], [])


def test_regression_non_numeric_input_names_argument():
    with pytest.raises(TypeError, match=r"^target must be an array of numbers"):
        mae_loss([1.0], ["a"])


CLASSIFIERS = [
    pytest.param(softmax_cross_entropy, "logits", id="ce"),
    pytest.param(multiclass_hinge_loss, "scores", id="hinge"),
]


@pytest.mark.parametrize("fn, name", CLASSIFIERS)
def test_scores_must_be_2d(fn, name):
    with pytest.raises(ShapeError, match=rf"^{name} must be 2-D \(N, K\).*got shape \(3,\)$"):
        fn([13.0, -7.0, 11.0], [0])


@pytest.mark.parametrize("fn, name", CLASSIFIERS)
def test_empty_scores(fn, name):
    with pytest.raises(ShapeError, match=rf"^{name} must hold at least one sample"):
        fn(np.zeros((0, 3)), np.zeros(0, dtype=int))


@pytest.mark.parametrize("fn, name", CLASSIFIERS)
def test_labels_n_mismatch(fn, name):
    with pytest.raises(
        ShapeError,
        match=rf"^labels must have shape \(2,\), one label per row of {name} \(2, 3\), got \(3,\)$",
    ):
        fn(np.zeros((2, 3)), [0, 1, 2])


@pytest.mark.parametrize("fn, name", CLASSIFIERS)
def test_one_hot_labels_rejected_with_hint(fn, name):
    with pytest.raises(
        ShapeError, match=r"^labels must be 1-D class indices .*got shape \(2, 3\).*argmax"
    ):
        fn(np.zeros((2, 3)), np.eye(3, dtype=int)[[0, 2]])


@pytest.mark.parametrize("fn, name", CLASSIFIERS)
@pytest.mark.parametrize("labels", [[0.0, 1.0], [0.5, 1.0], [True, False], ["a", "b"]])
def test_non_integer_labels(fn, name, labels):
    with pytest.raises(ValueError, match=r"^labels must be integer class indices, got dtype "):
        fn(np.zeros((2, 3)), labels)


@pytest.mark.parametrize("fn, name", CLASSIFIERS)
@pytest.mark.parametrize(
    "labels, bad, where, extra",
    [([0, 3], 3, 1, ""), ([-1, 2], -1, 0, ""), ([5, 7], 5, 0, r" \(2 labels out of range\)")],
)
def test_labels_out_of_range_say_range_and_value(fn, name, labels, bad, where, extra):
    pattern = (
        rf"^labels must be class indices in \[0, K\) = \[0, 3\) for {name} with K = 3 columns, "
        rf"got {bad} at index {where}{extra}$"
    )
    with pytest.raises(ValueError, match=pattern):
        fn(np.zeros((2, 3)), np.array(labels))


def test_bce_shape_mismatch_and_targets_outside_unit_interval():
    with pytest.raises(
        ShapeError, match=r"^targets must have the same shape as logits \(2, 1\), got \(2,\)"
    ):
        binary_cross_entropy_with_logits([[0.0], [1.0]], [0.0, 1.0])
    with pytest.raises(
        ValueError, match=r"^targets must be in \[0, 1\].*got 1\.5 at index \(1, 0\)$"
    ):
        binary_cross_entropy_with_logits([[0.0], [1.0]], [[0.0], [1.5]])
    with pytest.raises(
        ValueError, match=r"^targets must be in \[0, 1\].*got -1\.0 at index \(0,\)$"
    ):
        binary_cross_entropy_with_logits([0.0, 1.0], [-1.0, 1.0])
    with pytest.raises(ValueError, match=r"^targets must be in \[0, 1\].*got nan"):
        binary_cross_entropy_with_logits([0.0], [np.nan])


@pytest.mark.parametrize("margin", [-1.0, np.inf, np.nan])
def test_hinge_margin_must_be_finite_and_nonnegative(margin):
    with pytest.raises(ValueError, match=r"^margin must be (a finite number )?>= 0"):
        multiclass_hinge_loss(np.zeros((1, 3)), [0], margin=margin)


@pytest.mark.parametrize("margin", ["1", None, True])
def test_hinge_margin_must_be_a_number(margin):
    with pytest.raises(TypeError, match=r"^margin must be a number"):
        multiclass_hinge_loss(np.zeros((1, 3)), [0], margin=margin)
