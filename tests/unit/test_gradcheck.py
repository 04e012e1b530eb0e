"""coursenn.nn.gradcheck: numerical gradients, the lecture's relative error, verdicts, the report."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from coursenn import ShapeError
from coursenn.nn.gradcheck import (
    BANDS,
    GradCheckReport,
    GradCheckRow,
    check_gradients,
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
    verdict,
)
from coursenn.nn.losses import mse_loss

STRICT_FP = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


class RaisesOnCall:
    """A scalar function that raises on its ``n``-th call (to test that x is restored)."""

    def __init__(self, n: int, f=lambda x: float(np.sum(x**2))) -> None:
        self.n, self.f, self.calls = n, f, 0

    def __call__(self, x):
        self.calls += 1
        if self.calls == self.n:
            raise RuntimeError(f"call {self.n} fails")
        return self.f(x)


# --- numerical_gradient -----------------------------------------------------------------------


def test_numerical_gradient_of_known_functions(rng):
    x = rng.normal(size=(3, 4))
    g = numerical_gradient(lambda z: float(np.sum(z**2)), x)
    np.testing.assert_allclose(g, 2.0 * x, rtol=1e-8, atol=1e-10)
    g = numerical_gradient(lambda z: float(np.sum(np.sin(z))), x)
    np.testing.assert_allclose(g, np.cos(x), rtol=1e-8, atol=1e-10)
    assert g.shape == x.shape and g.dtype == np.float64


def test_numerical_gradient_is_centred():
    """f = x^3 at 1: centred gives 3 + h^2 (error O(h^2)); one-sided would be 3 + 3h + h^2."""
    h = 1e-3
    g = numerical_gradient(lambda z: float(z[0] ** 3), np.array([1.0]), h=h)
    assert g[0] == pytest.approx(3.0 + h * h, rel=1e-9)


def test_numerical_gradient_of_a_loss_matches_its_analytic_gradient(rng, gradcheck):
    pred, target = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    g = numerical_gradient(lambda z: mse_loss(z, target)[0], pred)
    gradcheck.assert_close(mse_loss(pred, target)[1], g, 1e-7, "mse via coursenn.nn.gradcheck")
    # ... and agrees with the test suite's own centred difference
    ours = gradcheck.numerical(lambda z: mse_loss(z, target)[0], pred.copy(), h=1e-5)
    np.testing.assert_allclose(g, ours, rtol=1e-12)


def test_numerical_gradient_zero_dimensional_and_closure(rng):
    x = np.array(2.0)
    assert numerical_gradient(lambda z: float(z**2), x) == pytest.approx(4.0, rel=1e-9)
    W = rng.normal(size=(2, 3))
    X = rng.normal(size=(5, 2))
    # f ignores its argument and reads W through the closure: the in-place probe still works
    g = numerical_gradient(lambda _: float(np.sum(X @ W)), W)
    np.testing.assert_allclose(g, X.sum(axis=0)[:, None] * np.ones((1, 3)), rtol=1e-8)


def test_numerical_gradient_restores_x_bitwise():
    x = np.array([0.1, 0.7, 1e-300, -3.3e10, 1 / 3])
    before = x.copy()
    numerical_gradient(lambda z: float(np.sum(z)), x)
    assert x.tobytes() == before.tobytes()


@pytest.mark.parametrize("fail_on", [1, 2, 3, 4])
def test_numerical_gradient_restores_x_when_f_raises(fail_on):
    x = np.array([[0.1, 0.2], [0.3, 0.4]])
    before = x.copy()
    f = RaisesOnCall(fail_on)
    with pytest.raises(RuntimeError, match=f"call {fail_on} fails"):
        numerical_gradient(f, x)
    assert f.calls == fail_on
    assert x.tobytes() == before.tobytes()


def test_numerical_gradient_third_call_raises_during_second_element():
    """Call 3 is f(x + h e_1): element 0 is already done, element 1 is perturbed at the raise."""
    x = np.array([1.0, 2.0, 3.0])
    seen = []

    def f(z):
        seen.append(z.copy())
        if len(seen) == 3:
            raise ValueError("boom")
        return float(np.sum(z))

    with pytest.raises(ValueError, match="boom"):
        numerical_gradient(f, x, h=0.5)
    np.testing.assert_array_equal(seen[2], [1.0, 2.5, 3.0])
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_f_returning_a_tuple_gets_a_hint():
    with pytest.raises(TypeError, match=r"^f must return a float, got a tuple .*\[0\]"):
        numerical_gradient(lambda z: mse_loss(z, np.zeros(2)), np.ones(2))


def test_f_returning_an_array_points_to_the_array_version():
    x = np.ones(2)
    with pytest.raises(
        ShapeError,
        match=r"^f must return a scalar, got an array of shape \(2,\).*numerical_gradient_array",
    ):
        numerical_gradient(lambda z: z * 2.0, x)
    np.testing.assert_array_equal(x, [1.0, 1.0])
    with pytest.raises(TypeError, match=r"^f must return a float, got str"):
        numerical_gradient(lambda z: "loss", x)


def test_size_one_array_output_is_accepted():
    g = numerical_gradient(lambda z: np.array([[np.sum(z**2)]]), np.array([3.0]))
    assert g[0] == pytest.approx(6.0, rel=1e-9)


@pytest.mark.parametrize(
    "x, error, message",
    [
        (
            [1.0, 2.0],
            TypeError,
            r"^x must be a numpy float array \(it is perturbed in place\), got list",
        ),
        (np.array([1, 2]), TypeError, r"^x must have a floating dtype .*got int64"),
    ],
)
def test_x_must_be_a_float_array(x, error, message):
    with pytest.raises(error, match=message):
        numerical_gradient(lambda z: 0.0, x)


def test_read_only_x_rejected():
    x = np.ones(3)
    x.flags.writeable = False
    with pytest.raises(ValueError, match=r"^x must be writable"):
        numerical_gradient(lambda z: 0.0, x)


@pytest.mark.parametrize("h", [0.0, -1e-5, np.nan, np.inf])
def test_h_must_be_positive_and_finite(h):
    with pytest.raises(ValueError, match=r"^h must be (a finite number )?> 0"):
        numerical_gradient(lambda z: 0.0, np.ones(2), h=h)
    with pytest.raises(ValueError, match=r"^h must be (a finite number )?> 0"):
        numerical_gradient_array(lambda z: z, np.ones(2), np.ones(2), h=h)


# --- numerical_gradient_array ----------------------------------------------------------------


def test_numerical_gradient_array_of_matrix_product(rng):
    """f(x) = x @ W: the gradient of sum(f(x) * dout) is dout @ W.T (CS231n's affine check)."""
    x = rng.normal(size=(4, 3))
    W = rng.normal(size=(3, 5))
    dout = rng.normal(size=(4, 5))
    dx = numerical_gradient_array(lambda z: z @ W, x, dout)
    np.testing.assert_allclose(dx, dout @ W.T, rtol=1e-7, atol=1e-9)
    dW = numerical_gradient_array(lambda _: x @ W, W, dout)
    np.testing.assert_allclose(dW, x.T @ dout, rtol=1e-7, atol=1e-9)


def test_numerical_gradient_array_matches_the_test_fixture(rng, gradcheck):
    x = rng.normal(size=(3, 4))
    dout = rng.normal(size=(3, 4))
    ours = numerical_gradient_array(np.tanh, x, dout)
    theirs = gradcheck.numerical(np.tanh, x.copy(), dout, h=1e-5)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    gradcheck.assert_close((1.0 - np.tanh(x) ** 2) * dout, ours, 1e-7, "tanh")


def test_numerical_gradient_array_copies_a_reused_output_buffer(rng):
    """f writes into the same buffer every call: f(x+h) must not be overwritten by f(x-h)."""
    buffer = np.empty(3)

    def f(z):
        np.multiply(z, 3.0, out=buffer)
        return buffer

    dout = rng.normal(size=3)
    dx = numerical_gradient_array(f, np.array([1.0, 2.0, 3.0]), dout)
    np.testing.assert_allclose(dx, 3.0 * dout, rtol=1e-9)


def test_numerical_gradient_array_restores_x_when_f_raises():
    x = np.array([0.1, 0.2, 0.3])
    before = x.copy()
    f = RaisesOnCall(3, f=lambda z: z * 2.0)
    with pytest.raises(RuntimeError, match="call 3 fails"):
        numerical_gradient_array(f, x, np.ones(3))
    assert x.tobytes() == before.tobytes()


def test_numerical_gradient_array_dout_shape_checked():
    x = np.ones((2, 3))
    with pytest.raises(
        ShapeError, match=r"^dout must have the shape of f\(x\) \(2, 3\), got \(3, 2\)$"
    ):
        numerical_gradient_array(lambda z: z * 2.0, x, np.ones((3, 2)))
    np.testing.assert_array_equal(x, np.ones((2, 3)))


# --- rel_error --------------------------------------------------------------------------------


def test_rel_error_is_the_lecture_formula_worst_element():
    # |1 - 1.1| / 1.1, |2 - 2| / 2, |-4 - -3| / 4 = 0.0909..., 0, 0.25
    err = rel_error([1.0, 2.0, -4.0], [1.1, 2.0, -3.0])
    assert type(err) is float
    assert err == pytest.approx(0.25, rel=1e-15)
    assert rel_error([1.0], [1.1]) == pytest.approx(0.1 / 1.1, rel=1e-12)
    assert rel_error(3.0, -3.0) == 2.0  # opposite signs: the largest possible value
    assert rel_error([1e-12], [0.0]) == 1.0  # tiny against 0 is 100 % off: print raw values


def test_rel_error_is_symmetric(rng):
    a, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    assert rel_error(a, b) == rel_error(b, a)


def test_rel_error_of_identical_arrays_is_zero(rng):
    a = rng.normal(size=(4, 5))
    assert rel_error(a, a.copy()) == 0.0


def test_rel_error_zeros_give_zero_without_warnings():
    with warnings.catch_warnings(), np.errstate(**STRICT_FP):
        warnings.simplefilter("error")
        assert rel_error(np.zeros((3, 2)), np.zeros((3, 2))) == 0.0
        assert rel_error([0.0, 1.0], [0.0, 1.0]) == 0.0
        assert rel_error([0.0, -0.0], [-0.0, 0.0]) == 0.0
        assert rel_error(np.zeros(0), np.zeros(0)) == 0.0
        assert rel_error([0.0, 2.0], [0.0, 1.0]) == 0.5


def test_rel_error_nan_and_inf_give_nan_without_warnings():
    with warnings.catch_warnings(), np.errstate(**STRICT_FP):
        warnings.simplefilter("error")
        assert np.isnan(rel_error([1.0, np.nan], [1.0, 1.0]))
        assert np.isnan(rel_error([np.inf], [np.inf]))
        assert np.isnan(rel_error([np.inf], [1.0]))


def test_rel_error_shape_mismatch():
    with pytest.raises(ShapeError, match=r"^b must have the same shape as a \(3,\), got \(3, 1\)$"):
        rel_error(np.ones(3), np.ones((3, 1)))


def test_rel_error_inputs_not_mutated(rng):
    a, b = rng.normal(size=4), rng.normal(size=4)
    a0, b0 = a.copy(), b.copy()
    rel_error(a, b)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)


# --- verdict bands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error, expected",
    [
        (1.0, "wrong"),
        (np.nextafter(1e-2, 1.0), "wrong"),
        (1e-2, "suspicious"),  # "> 1e-2" is wrong, so 1e-2 itself is not
        (1e-3, "suspicious"),
        (1e-4, "suspicious"),
        (np.nextafter(1e-4, 0.0), "ok for kinks"),
        (1e-6, "ok for kinks"),
        (1e-7, "ok for kinks"),
        (np.nextafter(1e-7, 0.0), "excellent"),
        (1e-12, "excellent"),
        (0.0, "excellent"),
        (float("nan"), "wrong"),
        (float("inf"), "wrong"),
    ],
)
def test_verdict_bands_at_boundaries(error, expected):
    assert verdict(error) == expected


def test_bands_are_the_lectures():
    assert [b for b, _ in BANDS] == [1e-2, 1e-4, 1e-7, 0.0]
    assert [name for _, name in BANDS] == ["wrong", "suspicious", "ok for kinks", "excellent"]


def test_verdict_rejects_negative_error():
    with pytest.raises(ValueError, match=r"^error must be a relative error >= 0"):
        verdict(-1e-3)


# --- check_gradients and the report -----------------------------------------------------------


def _linear_problem(rng):
    """loss(W, b) = sum(C_W * W) + sum(C_b * b): the gradients are exactly C_W and C_b."""
    W, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    C_W, C_b = rng.uniform(0.5, 2.0, size=(3, 2)), rng.uniform(0.5, 2.0, size=2)

    def f(p):
        return float(np.sum(C_W * p["W"]) + np.sum(C_b * p["b"]))

    return f, {"W": W, "b": b}, C_W, C_b


def test_check_gradients_dense_softmax_layer_is_excellent(rng):
    from coursenn.nn.losses import softmax_cross_entropy

    X, y = rng.normal(size=(5, 3)), np.array([0, 1, 2, 3, 0])
    W, b = rng.normal(size=(3, 4)), rng.normal(size=4)
    _, d = softmax_cross_entropy(X @ W + b, y)
    params = {"W": W, "b": b}
    before = {k: v.copy() for k, v in params.items()}
    report = check_gradients(
        lambda p: softmax_cross_entropy(X @ p["W"] + p["b"], y)[0],
        params,
        {"W": X.T @ d, "b": d.sum(0)},
    )
    assert isinstance(report, GradCheckReport)
    assert [r.name for r in report.rows] == ["W", "b"]
    assert report.ok and report.worst < 1e-7
    assert {r.verdict for r in report.rows} == {"excellent"}
    assert report["W"].shape == (3, 4) and report["b"].shape == (4,)
    assert report.numerical["W"].shape == (3, 4)
    for k, v in params.items():
        assert v.tobytes() == before[k].tobytes()  # every tensor restored


@pytest.mark.parametrize(
    "scale, expected",
    [(1.0, "excellent"), (1.0 + 1e-6, "ok for kinks"), (1.0 + 1e-3, "suspicious"), (2.0, "wrong")],
)
def test_check_gradients_verdicts(rng, scale, expected):
    f, params, C_W, C_b = _linear_problem(rng)
    report = check_gradients(f, params, {"W": C_W, "b": C_b * scale})
    assert report["W"].verdict == "excellent"
    assert report["b"].verdict == expected
    assert report.worst == max(report["W"].error, report["b"].error)
    assert report.ok == (expected == "excellent")


def test_check_gradients_finds_a_transposed_gradient(rng):
    W = rng.normal(size=(3, 3))
    A = rng.normal(size=(3, 3))
    report = check_gradients(lambda p: float(np.sum(A * p["W"])), {"W": W}, {"W": A.T})
    assert report["W"].verdict == "wrong" and not report.ok
    row = report["W"]
    assert row.analytic == A.T[row.index] and row.numerical == pytest.approx(A[row.index])


def test_report_row_points_at_the_worst_element(rng):
    f, params, C_W, C_b = _linear_problem(rng)
    bad = C_W.copy()
    bad[2, 1] *= 1.5
    row = check_gradients(f, params, {"W": bad, "b": C_b})["W"]
    assert row.index == (2, 1)
    assert row.analytic == bad[2, 1]
    assert row.numerical == pytest.approx(C_W[2, 1], rel=1e-8)
    assert row.error == pytest.approx(0.5 / 1.5, rel=1e-8)


def test_threshold_argument(rng):
    f, params, C_W, C_b = _linear_problem(rng)
    analytic = {"W": C_W, "b": C_b * (1.0 + 1e-6)}
    assert not check_gradients(f, params, analytic).ok
    assert check_gradients(f, params, analytic, threshold=1e-4).ok


def _report(*errors, threshold=1e-7):
    rows = tuple(
        GradCheckRow(f"t{i}", (1,), e, verdict(e), (0,), 1.0, 1.0) for i, e in enumerate(errors)
    )
    return GradCheckReport(rows, threshold=threshold)


def test_report_worst_and_ok_at_the_threshold_boundary():
    assert _report(1e-9, 3e-8).worst == 3e-8
    assert _report(np.nextafter(1e-7, 0.0)).ok
    assert not _report(1e-7).ok  # ok means strictly below the threshold
    assert _report(1e-5, threshold=1e-4).ok
    nan_report = _report(1e-9, float("nan"))
    assert np.isnan(nan_report.worst) and not nan_report.ok


def test_report_str_is_a_table(rng):
    f, params, C_W, C_b = _linear_problem(rng)
    report = check_gradients(f, params, {"W": C_W, "b": 2.0 * C_b})
    text = str(report)
    lines = text.splitlines()
    assert lines[0].split() == [
        "tensor",
        "shape",
        "rel.",
        "error",
        "verdict",
        "worst",
        "at",
        "analytic",
        "numerical",
    ]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].startswith("W ") and "(3, 2)" in lines[2] and "excellent" in lines[2]
    assert lines[3].startswith("b ") and "wrong" in lines[3] and "5.00e-01" in lines[3]
    assert lines[-1] == "worst 5.00e-01 >= threshold 1e-07: NOT ok"
    assert len(lines) == 5


def test_report_displays_as_table_in_ipython(rng):
    f, params, C_W, C_b = _linear_problem(rng)
    report = check_gradients(f, params, {"W": C_W, "b": C_b})

    class Printer:
        def __init__(self):
            self.out = ""

        def text(self, s):
            self.out += s

    printer = Printer()
    report._repr_pretty_(printer, False)
    assert printer.out == str(report)
    assert str(report).endswith(": ok")


def test_report_unknown_name():
    with pytest.raises(KeyError, match="no tensor named 'V'"):
        _report(0.0)["V"]


def test_check_gradients_copies_analytic_before_calling_f(rng):
    """f may run a backward pass that overwrites the .grad arrays passed as analytic."""
    W = rng.normal(size=(2, 2))
    grad = 2.0 * W  # d/dW sum(W^2)

    def f(p):
        grad[...] = 0.0  # a careless backward pass inside the loss
        return float(np.sum(p["W"] ** 2))

    assert check_gradients(f, {"W": W}, {"W": grad}).ok


def test_check_gradients_restores_params_when_f_raises(rng):
    W, b = rng.normal(size=(2, 2)), rng.normal(size=2)
    W0, b0 = W.copy(), b.copy()
    f = RaisesOnCall(11, f=lambda p: float(np.sum(p["W"]) + np.sum(p["b"])))
    with pytest.raises(RuntimeError):
        check_gradients(f, {"W": W, "b": b}, {"W": np.ones((2, 2)), "b": np.ones(2)})
    assert W.tobytes() == W0.tobytes() and b.tobytes() == b0.tobytes()


def test_check_gradients_errors():
    W = np.ones((2, 3))
    f = lambda p: 0.0  # noqa: E731
    with pytest.raises(
        ValueError,
        match=r"^analytic must have the same names as params \['W'\]: missing \['W'\], unexpected \['w'\]$",
    ):
        check_gradients(f, {"W": W}, {"w": W})
    with pytest.raises(
        ShapeError,
        match=r"^analytic\['W'\] must have the shape of params\['W'\] \(2, 3\), got \(3, 2\)$",
    ):
        check_gradients(f, {"W": W}, {"W": W.T})
    with pytest.raises(TypeError, match=r"^params\['W'\] must have a floating dtype"):
        check_gradients(f, {"W": np.ones(2, dtype=int)}, {"W": np.ones(2)})
    with pytest.raises(ValueError, match=r"^params must name at least one tensor"):
        check_gradients(f, {}, {})
    with pytest.raises(TypeError, match=r"^params and analytic must be mappings"):
        check_gradients(f, [W], [W])
