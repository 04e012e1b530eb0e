"""coursenn.nn.optim: update rules equal to torch.optim, the lecture's momentum forms, schedules."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from coursenn._checks import ShapeError
from coursenn.nn.optim import (
    SGD,
    Adagrad,
    Adam,
    ExponentialLR,
    InverseTimeLR,
    ReduceLROnPlateau,
    RMSprop,
    StepLR,
    optimize_path,
)
from coursenn.nn.parameter import Parameter

CURVATURE = np.array([1.0, 50.0])  # f(x) = 1/2 x^T diag(1, 50) x


def quad_grad(x):
    return CURVATURE * x


def one_param(data, grad):
    p = Parameter(np.array(data, dtype=float))
    p.grad = np.array(grad, dtype=float)
    return p


# --------------------------------------------------------------------------- one step by hand
# p = (1, -2), g = (0.5, -4) in every test below.


def test_sgd_one_step_by_hand():
    p = one_param([1.0, -2.0], [0.5, -4.0])
    SGD([p], lr=0.1).step()
    # p - lr g = (1 - 0.05, -2 + 0.4)
    np.testing.assert_allclose(p.data, [0.95, -1.6], rtol=0, atol=1e-15)


def test_sgd_momentum_two_steps_by_hand():
    p = one_param([1.0, -2.0], [0.5, -4.0])
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()  # buf = g = (0.5, -4); p = (1 - 0.05, -2 + 0.4) = (0.95, -1.6)
    np.testing.assert_allclose(p.data, [0.95, -1.6], rtol=0, atol=1e-15)
    p.grad = np.array([1.0, 2.0])
    opt.step()  # buf = 0.9 (0.5, -4) + (1, 2) = (1.45, -1.6); p = (0.95 - 0.145, -1.6 + 0.16)
    np.testing.assert_allclose(opt.state[id(p)]["momentum_buffer"], [1.45, -1.6], atol=1e-15)
    np.testing.assert_allclose(p.data, [0.805, -1.44], rtol=0, atol=1e-15)


def test_sgd_nesterov_one_step_by_hand():
    p = one_param([1.0, -2.0], [0.5, -4.0])
    SGD([p], lr=0.1, momentum=0.9, nesterov=True).step()
    # buf = g; step direction g + 0.9 buf = 1.9 g = (0.95, -7.6); p = (1 - 0.095, -2 + 0.76)
    np.testing.assert_allclose(p.data, [0.905, -1.24], rtol=0, atol=1e-15)


def test_sgd_weight_decay_by_hand():
    p = one_param([1.0, -2.0], [0.5, -4.0])
    SGD([p], lr=0.1, weight_decay=0.5).step()
    # g = grad + 0.5 p = (1.0, -5.0); p = (1 - 0.1, -2 + 0.5)
    np.testing.assert_allclose(p.data, [0.9, -1.5], rtol=0, atol=1e-15)
    np.testing.assert_array_equal(p.grad, [0.5, -4.0])  # the gradient itself is untouched


def test_adagrad_one_step_by_hand():
    p = one_param([1.0, -2.0], [0.5, -4.0])
    opt = Adagrad([p], lr=0.1)
    opt.step()
    # sum = g^2 = (0.25, 16); sqrt(sum) = (0.5, 4); p -= 0.1 g / (|g| + 1e-10)
    np.testing.assert_allclose(opt.state[id(p)]["sum"], [0.25, 16.0])
    expected = [1.0 - 0.1 * 0.5 / (0.5 + 1e-10), -2.0 + 0.1 * 4.0 / (4.0 + 1e-10)]
    np.testing.assert_allclose(p.data, expected, rtol=1e-15)


def test_rmsprop_one_step_by_hand():
    p = one_param([1.0, -2.0], [0.5, -4.0])
    opt = RMSprop([p], lr=0.01)
    opt.step()
    # v = 0.01 g^2 = (0.0025, 0.16); sqrt(v) = (0.05, 0.4): a first step of 10 lr = 0.1 each
    np.testing.assert_allclose(opt.state[id(p)]["square_avg"], [0.0025, 0.16], rtol=1e-14)
    expected = [1.0 - 0.01 * 0.5 / (0.05 + 1e-8), -2.0 + 0.01 * 4.0 / (0.4 + 1e-8)]
    np.testing.assert_allclose(p.data, expected, rtol=1e-14)
    np.testing.assert_allclose(p.data, [0.9, -1.9], atol=1e-7)


def test_adam_one_step_by_hand():
    p = one_param([1.0, -2.0], [0.5, -4.0])
    opt = Adam([p], lr=0.1)
    opt.step()
    # m = 0.1 g, v = 0.001 g^2; m_hat = g, v_hat = g^2; p -= 0.1 g / (|g| + 1e-8)
    state = opt.state[id(p)]
    assert state["step"] == 1
    np.testing.assert_allclose(state["exp_avg"], [0.05, -0.4], rtol=1e-14)
    np.testing.assert_allclose(state["exp_avg_sq"], [0.00025, 0.016], rtol=1e-12)
    expected = [1.0 - 0.1 * 0.5 / (0.5 + 1e-8), -2.0 + 0.1 * 4.0 / (4.0 + 1e-8)]
    np.testing.assert_allclose(p.data, expected, rtol=1e-14)


# ------------------------------------------------- trajectories vs PyTorch's documented pseudo-code


def reference_sgd(x, grad, steps, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    """torch.optim.SGD pseudo-code (dampening 0), one loop, no sharing with the library."""
    path, b = [x.copy()], None
    for _ in range(steps):
        g = grad(x) + weight_decay * x
        if momentum != 0:
            b = g if b is None else momentum * b + g
            g = g + momentum * b if nesterov else b
        x = x - lr * g
        path.append(x)
    return np.array(path)


def reference_adagrad(x, grad, steps, lr, eps=1e-10):
    path, s = [x.copy()], np.zeros_like(x)
    for _ in range(steps):
        g = grad(x)
        s = s + g * g
        x = x - lr * g / (np.sqrt(s) + eps)
        path.append(x)
    return np.array(path)


def reference_rmsprop(x, grad, steps, lr, alpha=0.99, eps=1e-8):
    path, v = [x.copy()], np.zeros_like(x)
    for _ in range(steps):
        g = grad(x)
        v = alpha * v + (1 - alpha) * g * g
        x = x - lr * g / (np.sqrt(v) + eps)
        path.append(x)
    return np.array(path)


def reference_adam(x, grad, steps, lr, betas=(0.9, 0.999), eps=1e-8):
    path, m, v = [x.copy()], np.zeros_like(x), np.zeros_like(x)
    for t in range(1, steps + 1):
        g = grad(x)
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        m_hat, v_hat = m / (1 - betas[0] ** t), v / (1 - betas[1] ** t)
        x = x - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(x)
    return np.array(path)


def bumpy_grad(x):
    """Gradient of a non-quadratic 2-D function, so the steps are not all alike."""
    return np.array([np.sin(3 * x[0]) + x[1], 4 * x[1] ** 3 - x[0]])


@pytest.mark.parametrize(
    "make, reference, kwargs",
    [
        (SGD, reference_sgd, {"lr": 0.05}),
        (SGD, reference_sgd, {"lr": 0.05, "momentum": 0.8}),
        (SGD, reference_sgd, {"lr": 0.05, "momentum": 0.8, "nesterov": True}),
        (SGD, reference_sgd, {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1}),
        (Adagrad, reference_adagrad, {"lr": 0.2}),
        (Adagrad, reference_adagrad, {"lr": 0.2, "eps": 1e-3}),
        (RMSprop, reference_rmsprop, {"lr": 0.02}),
        (RMSprop, reference_rmsprop, {"lr": 0.02, "alpha": 0.9, "eps": 1e-4}),
        (Adam, reference_adam, {"lr": 0.05}),
        (Adam, reference_adam, {"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-3}),
    ],
)
@pytest.mark.parametrize("grad", [quad_grad, bumpy_grad], ids=["quadratic", "bumpy"])
def test_trajectory_matches_reference_implementation(make, reference, kwargs, grad):
    x0 = np.array([0.7, -0.4])
    expected = reference(x0.copy(), grad, 40, **kwargs)
    path = optimize_path(functools.partial(make, **kwargs), grad, x0, 40)
    assert not np.allclose(expected[-1], expected[-2])  # the steps really move
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-14)


def test_sgd_momentum_zero_is_plain_gradient_descent():
    path = optimize_path(lambda ps: SGD(ps, lr=0.03, momentum=0.0), quad_grad, [1.0, 1.0], 25)
    x = np.array([1.0, 1.0])
    for t in range(1, 26):
        x = x - 0.03 * quad_grad(x)
        np.testing.assert_array_equal(path[t], x)


def test_several_parameters_keep_separate_state():
    a = one_param([1.0], [1.0])
    b = one_param([[1.0, 2.0]], [[3.0, 4.0]])
    opt = Adam([a, b], lr=0.1)
    opt.step()
    assert set(opt.state) == {id(a), id(b)}
    assert opt.state[id(b)]["exp_avg"].shape == (1, 2)
    # the first Adam step moves each element by about lr, whatever its gradient
    np.testing.assert_allclose(b.data, [[0.9, 1.9]], rtol=1e-7)


def test_step_updates_data_in_place_and_accepts_a_generator():
    p = one_param([1.0, 2.0], [1.0, 1.0])
    array_before = p.data
    for opt in (SGD((q for q in [p]), lr=0.1, momentum=0.9), Adagrad([p]), RMSprop([p]), Adam([p])):
        opt.step()
    assert p.data is array_before
    assert np.all(p.data < [1.0, 2.0])


def test_zero_grad_zeros_every_grad():
    a, b = one_param([1.0, 2.0], [3.0, 4.0]), one_param([[5.0]], [[6.0]])
    opt = SGD([a, b], lr=0.1)
    opt.zero_grad()
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])
    np.testing.assert_array_equal(b.grad, [[0.0]])
    opt.step()  # a zero gradient changes nothing
    np.testing.assert_array_equal(a.data, [1.0, 2.0])


def test_momentum_buffer_does_not_alias_grad():
    p = one_param([0.0], [1.0])
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()
    p.grad *= 0.0  # a layer that writes its gradient in place
    np.testing.assert_array_equal(opt.state[id(p)]["momentum_buffer"], [1.0])


# ------------------------------------------------------------ the lecture's momentum forms


def test_lecture_momentum_is_torch_momentum():
    mu, learning_rate = 0.9, 0.01
    x, v = np.array([1.0, 1.0]), np.zeros(2)
    lecture = [x.copy()]
    for _ in range(30):
        dx = quad_grad(x)
        v = mu * v - learning_rate * dx  # integrate velocity
        x = x + v  # integrate position
        lecture.append(x.copy())
    path = optimize_path(lambda ps: SGD(ps, lr=learning_rate, momentum=mu), quad_grad, [1, 1], 30)
    assert np.abs(np.diff(lecture, axis=0)).max() > 0.01
    np.testing.assert_allclose(path, lecture, rtol=0, atol=1e-12)


def test_lecture_nesterov_forms_are_torch_nesterov():
    mu, learning_rate = 0.9, 0.01
    path = optimize_path(
        lambda ps: SGD(ps, lr=learning_rate, momentum=mu, nesterov=True), quad_grad, [1, 1], 30
    )
    # first form: the gradient is taken at the look-ahead point x + mu v
    x, v = np.array([1.0, 1.0]), np.zeros(2)
    ahead = [x + mu * v]
    for _ in range(30):
        x_ahead = x + mu * v
        dx_ahead = quad_grad(x_ahead)
        v = mu * v - learning_rate * dx_ahead
        x = x + v
        ahead.append(x + mu * v)
    # rewritten form: the stored x is the look-ahead point
    x, v = np.array([1.0, 1.0]), np.zeros(2)
    rewritten = [x.copy()]
    for _ in range(30):
        dx = quad_grad(x)
        v_prev = v
        v = mu * v - learning_rate * dx
        x = x + (-mu * v_prev + (1 + mu) * v)
        rewritten.append(x.copy())
    assert np.abs(np.diff(rewritten, axis=0)).max() > 0.01
    np.testing.assert_allclose(path, rewritten, rtol=0, atol=1e-12)
    np.testing.assert_allclose(path, ahead, rtol=0, atol=1e-12)
    plain = optimize_path(lambda ps: SGD(ps, lr=learning_rate, momentum=mu), quad_grad, [1, 1], 30)
    assert np.abs(plain - path).max() > 1e-3  # Nesterov is not plain momentum


# ------------------------------------------------------------------------------- convergence


@pytest.mark.parametrize(
    "factory",
    [
        lambda ps: SGD(ps, lr=0.035),
        lambda ps: SGD(ps, lr=0.02, momentum=0.6),
        lambda ps: SGD(ps, lr=0.02, momentum=0.6, nesterov=True),
        lambda ps: Adagrad(ps, lr=0.5),
        lambda ps: RMSprop(ps, lr=0.01),
        lambda ps: Adam(ps, lr=0.05),
    ],
    ids=["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"],
)
def test_converges_on_ill_conditioned_quadratic(factory):
    path = optimize_path(factory, quad_grad, [1.0, 1.0], 500)
    assert np.linalg.norm(path[-1]) < 1e-3


def test_sgd_diverges_above_two_over_the_largest_curvature():
    path = optimize_path(lambda ps: SGD(ps, lr=2 / 50 * 1.05), quad_grad, [1.0, 1.0], 200)
    assert abs(path[-1, 1]) > 1.0


# ---------------------------------------------------------------------------------- schedules


def lr_sequence(scheduler, steps):
    lrs = [scheduler.optimizer.lr]
    for _ in range(steps):
        scheduler.step()
        lrs.append(scheduler.optimizer.lr)
        assert scheduler.get_lr() == scheduler.optimizer.lr
    return lrs


def test_step_lr_sequence():
    sched = StepLR(SGD([one_param([0.0], [0.0])], lr=1.0), step_size=3, gamma=0.5)
    assert sched.last_epoch == 0 and sched.base_lr == 1.0
    assert lr_sequence(sched, 7) == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25]
    assert sched.last_epoch == 7


def test_exponential_lr_is_the_lectures_exp_minus_kt():
    sched = ExponentialLR(SGD([one_param([0.0], [0.0])], lr=0.2), k=0.5)
    expected = [0.2 * math.exp(-0.5 * t) for t in range(5)]
    np.testing.assert_allclose(lr_sequence(sched, 4), expected, rtol=1e-15)
    # torch's ExponentialLR(gamma) is k = -ln(gamma)
    sched = ExponentialLR(SGD([one_param([0.0], [0.0])], lr=1.0), k=-math.log(0.9))
    np.testing.assert_allclose(lr_sequence(sched, 3), [1.0, 0.9, 0.81, 0.729], rtol=1e-14)


def test_inverse_time_lr_sequence():
    sched = InverseTimeLR(SGD([one_param([0.0], [0.0])], lr=1.0), k=0.5)
    np.testing.assert_allclose(lr_sequence(sched, 4), [1.0, 1 / 1.5, 1 / 2, 1 / 2.5, 1 / 3])


def test_schedule_changes_the_step_the_optimizer_takes():
    p = one_param([0.0], [1.0])
    opt = SGD([p], lr=1.0)
    sched = StepLR(opt, step_size=1, gamma=0.1)
    opt.step()  # lr 1
    sched.step()
    opt.step()  # lr 0.1
    np.testing.assert_allclose(p.data, [-1.1], rtol=1e-15)


# ------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda ps: SGD(ps, lr=-0.1), "lr must be >= 0, got -0.1"),
        (lambda ps: SGD(ps, lr=float("nan")), "lr must be >= 0, got nan"),
        (lambda ps: SGD(ps, lr=0.1, momentum=-0.5), "momentum must be >= 0, got -0.5"),
        (lambda ps: SGD(ps, lr=0.1, nesterov=True), "nesterov=True needs momentum > 0"),
        (lambda ps: SGD(ps, lr=0.1, weight_decay=-1), "weight_decay must be >= 0, got -1.0"),
        (lambda ps: Adagrad(ps, lr=-1), "lr must be >= 0, got -1.0"),
        (lambda ps: Adagrad(ps, eps=-1e-10), "eps must be >= 0, got -1e-10"),
        (lambda ps: RMSprop(ps, lr=-1), "lr must be >= 0"),
        (lambda ps: RMSprop(ps, alpha=1.5), r"alpha must be in \[0, 1\], got 1.5"),
        (lambda ps: RMSprop(ps, alpha=-0.1), r"alpha must be in \[0, 1\], got -0.1"),
        (lambda ps: RMSprop(ps, eps=-1), "eps must be >= 0"),
        (lambda ps: Adam(ps, lr=-1), "lr must be >= 0"),
        (lambda ps: Adam(ps, betas=(1.0, 0.999)), r"betas\[0\] must be in \[0, 1\), got 1.0"),
        (lambda ps: Adam(ps, betas=(0.9, -0.1)), r"betas\[1\] must be in \[0, 1\), got -0.1"),
        (lambda ps: Adam(ps, betas=(0.9,)), r"betas must be a pair"),
        (lambda ps: Adam(ps, eps=-1), "eps must be >= 0"),
    ],
)
def test_invalid_hyperparameters_raise_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make([one_param([0.0], [0.0])])


def test_boundary_hyperparameters_are_accepted():
    ps = [one_param([0.0], [0.0])]
    SGD(ps, lr=0.0)
    RMSprop(ps, alpha=0.0)
    RMSprop(ps, alpha=1.0)
    Adam(ps, betas=(0.0, 0.0), eps=0.0)


@pytest.mark.parametrize("cls", [SGD, Adagrad, RMSprop, Adam])
def test_empty_params_raise_value_error(cls):
    with pytest.raises(ValueError, match="params must hold at least one Parameter"):
        cls(iter([]), lr=0.1)


def test_bad_params_raise_type_or_value_error():
    p = one_param([0.0], [0.0])
    with pytest.raises(TypeError, match="params must be an iterable of Parameter"):
        SGD(p, lr=0.1)
    with pytest.raises(TypeError, match="params must be an iterable"):
        SGD(3, lr=0.1)
    with pytest.raises(TypeError, match=r"params\[1\] must be a Parameter, got ndarray"):
        SGD([p, np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match="same Parameter twice"):
        SGD([p, p], lr=0.1)
    with pytest.raises(TypeError, match="lr must be a number, got str"):
        SGD([p], lr="0.1")


def test_grad_of_wrong_shape_raises():
    p = one_param([0.0, 0.0], [0.0, 0.0])
    p.grad = np.zeros(3)
    with pytest.raises(ShapeError, match=r"must have shape \(2,\) like its data, got \(3,\)"):
        SGD([p], lr=0.1).step()


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda o: StepLR(o, step_size=0), ValueError, "step_size must be a positive integer"),
        (lambda o: StepLR(o, step_size=2.5), ValueError, "step_size must be a positive integer"),
        (lambda o: StepLR(o, step_size=2, gamma=0), ValueError, "gamma must be > 0, got 0.0"),
        (lambda o: StepLR(o, step_size=2, gamma=-1), ValueError, "gamma must be > 0, got -1.0"),
        (lambda o: ExponentialLR(o, k=-0.1), ValueError, "k must be >= 0, got -0.1"),
        (lambda o: InverseTimeLR(o, k=-1), ValueError, "k must be >= 0, got -1.0"),
        (lambda o: StepLR("sgd", step_size=2), TypeError, "optimizer must be a coursenn.nn.optim"),
    ],
)
def test_invalid_schedules_raise(make, error, message):
    with pytest.raises(error, match=message):
        make(SGD([one_param([0.0], [0.0])], lr=0.1))


def test_exponential_lr_rejects_torch_style_gamma():
    with pytest.raises(TypeError, match="gamma"):
        ExponentialLR(SGD([one_param([0.0], [0.0])], lr=0.1), gamma=0.9)


# ------------------------------------------------------------------------------ optimize_path


def test_optimize_path_shape_start_and_copy():
    seen = []

    def grad(x):
        seen.append(x)
        x += 100.0  # mutating the copy must not move the optimizer's point
        return quad_grad(x - 100.0)

    x0 = np.array([1.0, 1.0])
    path = optimize_path(lambda ps: SGD(ps, lr=0.01), grad, x0, 5)
    assert path.shape == (6, 2)
    np.testing.assert_array_equal(path[0], [1.0, 1.0])
    np.testing.assert_allclose(path[1], [0.99, 0.5])
    np.testing.assert_array_equal(x0, [1.0, 1.0])
    assert len(seen) == 5


def test_optimize_path_errors():
    sgd = functools.partial(SGD, lr=0.1)
    with pytest.raises(ShapeError, match=r"x0 must be 1-D"):
        optimize_path(sgd, quad_grad, [[1.0, 1.0]], 3)
    with pytest.raises(ValueError, match="steps must be a positive integer, got 0"):
        optimize_path(sgd, quad_grad, [1.0, 1.0], 0)
    with pytest.raises(
        ShapeError, match=r"grad_fn\(x\) must have shape \(2,\) like x0, got \(3,\)"
    ):
        optimize_path(sgd, lambda x: np.zeros(3), [1.0, 1.0], 3)
    with pytest.raises(TypeError, match="optimizer_factory must return"):
        optimize_path(lambda ps: None, quad_grad, [1.0, 1.0], 3)


def test_repr_names_hyperparameters():
    p = one_param([0.0], [0.0])
    assert repr(SGD([p], lr=0.1, momentum=0.9)) == (
        "SGD(lr=0.1, momentum=0.9, nesterov=False, weight_decay=0.0)"
    )
    assert repr(Adam([p])) == "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08)"


# ------------------------------------------------ in place, in cache-sized blocks (large params)


def _reference_steps(reference, x0, grads, **kwargs):
    """Run a reference optimizer (above) on a fixed sequence of gradients."""
    it = iter(grads)
    return reference(x0.copy(), lambda _: next(it), len(grads), **kwargs)[-1]


@pytest.mark.parametrize(
    "make, reference, kwargs",
    [
        (SGD, reference_sgd, {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1}),
        (SGD, reference_sgd, {"lr": 0.05}),
        (Adagrad, reference_adagrad, {"lr": 0.2}),
        (RMSprop, reference_rmsprop, {"lr": 0.02}),
        (Adam, reference_adam, {"lr": 0.05}),
    ],
)
@pytest.mark.parametrize("layout", ["large", "fortran", "small"])
def test_block_updates_equal_the_reference_for_every_layout(make, reference, kwargs, layout):
    """Parameters larger than BLOCK are updated block by block, non-contiguous ones
    whole; both must be the same update as the plain formula."""
    from coursenn.nn.optim.optimizer import BLOCK

    rng = np.random.default_rng(3)
    shape = {"large": (3, BLOCK // 2 + 7), "fortran": (40, 30), "small": (5,)}[layout]
    x0 = rng.normal(size=shape)
    grads = [rng.normal(size=shape) for _ in range(4)]
    p = Parameter(x0)
    if layout == "fortran":
        p.data = np.asfortranarray(p.data)
    opt = make([p], **kwargs)
    for g in grads:
        p.grad = np.asfortranarray(g) if layout == "fortran" else g.copy()
        opt.step()
    expected = _reference_steps(reference, x0, grads, **kwargs)
    np.testing.assert_allclose(p.data, expected, rtol=1e-12, atol=1e-14)


def test_state_arrays_are_updated_in_place_and_never_alias_grad():
    p = one_param(np.zeros(4), np.ones(4))
    opt = Adam([p], lr=0.1)
    opt.step()
    m = opt.state[id(p)]["exp_avg"]
    opt.step()
    assert opt.state[id(p)]["exp_avg"] is m  # the same array, changed in place
    np.testing.assert_allclose(m, 0.19 * np.ones(4))  # 0.9 * 0.1 + 0.1 * 1
    assert not np.shares_memory(m, p.grad) and not np.shares_memory(m, p.data)


def test_replacing_data_by_a_larger_array_still_updates_it():
    p = one_param([1.0], [1.0])
    opt = SGD([p], lr=0.5, momentum=0.5)
    opt.step()
    p.data, p.grad = np.ones(1000), np.ones(1000)
    opt.state.clear()  # the old buffer has the old shape
    opt.step()
    np.testing.assert_array_equal(p.data, np.full(1000, 0.5))


# --- ReduceLROnPlateau ------------------------------------------------------------------------


def _plateau_lrs(metrics, **kwargs):
    opt = SGD([Parameter(np.zeros(1))], lr=1.0)
    plateau = ReduceLROnPlateau(opt, **kwargs)
    rates = []
    for m in metrics:
        plateau.step(m)
        rates.append(opt.lr)
    return rates


def test_plateau_cuts_after_more_than_patience_bad_epochs_as_pytorch():
    # max mode, patience 1: the 2nd epoch in a row without a new best cuts, then counting restarts
    accs = [0.5, 0.6, 0.6, 0.55, 0.7, 0.7, 0.7, 0.69, 0.68]
    rates = _plateau_lrs(accs, mode="max", factor=0.5, patience=1, threshold=0.0)
    assert rates == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.125]


def test_plateau_min_mode_threshold_and_floor():
    # a loss that improves by less than the relative threshold counts as no improvement
    losses_seen = [1.0, 0.99995, 0.99990, 0.5, 0.5]
    rates = _plateau_lrs(losses_seen, mode="min", factor=0.1, patience=1, min_lr=0.05)
    assert rates == [1.0, 1.0, 0.1, 0.1, 0.1]
    assert _plateau_lrs([1.0, 1.0, 1.0, 1.0], factor=0.1, patience=0, min_lr=0.05) == [
        1.0, 0.1, 0.05, 0.05,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mode": "up"}, "mode must be 'min' or 'max'"),
        ({"factor": 1.0}, "factor"),
        ({"factor": 0.0}, "factor"),
        ({"patience": -1}, "patience"),
        ({"threshold": -0.1}, "threshold"),
    ],
)
def test_plateau_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ReduceLROnPlateau(SGD([Parameter(np.zeros(1))], lr=0.1), **kwargs)
