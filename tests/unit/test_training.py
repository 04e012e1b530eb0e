"""coursenn.training: mini-batches, accuracy, and fit with its monitoring.

The loss and the optimizer are tiny stand-ins written here (fit only needs their duck
types), so these tests do not depend on coursenn.nn.losses or coursenn.nn.optim.
"""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from coursenn import data, training
from coursenn._checks import ShapeError
from coursenn.nn.layers import Dense, ReLU, Sequential, Tanh

# --- stand-ins -------------------------------------------------------------------------------


def softmax_ce(scores, y):
    """Mean softmax cross-entropy and its gradient, (loss, dscores)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = len(y)
    loss = -log_p[np.arange(n), y].mean()
    dscores = np.exp(log_p)
    dscores[np.arange(n), y] -= 1.0
    return float(loss), dscores / n


def mse(pred, target):
    diff = pred - target
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


class TinySGD:
    """Plain SGD on coursenn Parameters: p.data -= lr * p.grad."""

    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr
        self.steps = 0

    def zero_grad(self):
        for p in self.params:
            p.grad = np.zeros_like(p.data)

    def step(self):
        self.steps += 1
        for p in self.params:
            p.data = p.data - self.lr * p.grad


def mlp(seed=0, hidden=8, activation=ReLU):
    return Sequential(Dense(2, hidden, rng=seed), activation(), Dense(hidden, 2, rng=seed + 1))


def run(model, X, y, *, lr=0.1, optimizer=None, loss_fn=softmax_ce, **kwargs):
    """fit with a TinySGD, one silent epoch of batches of 30 and rng=0 unless told otherwise."""
    optimizer = TinySGD(model.parameters(), lr) if optimizer is None else optimizer
    kwargs = {"epochs": 1, "batch_size": 30, "rng": 0, "progress": False} | kwargs
    return training.fit(model, loss_fn, optimizer, X, y, **kwargs)


@pytest.fixture
def blobs():
    X, y = data.make_blobs(120, centers=[(-1.5, -1.5), (1.5, 1.5)], std=0.6, rng=0)
    return X[:90], y[:90], X[90:], y[90:]


# --- iterate_minibatches ---------------------------------------------------------------------


@pytest.mark.parametrize("n, batch_size", [(10, 3), (10, 5), (7, 10), (1, 1)])
def test_minibatches_cover_every_index_exactly_once(n, batch_size):
    X = np.arange(n, dtype=float)[:, None] * 10
    y = np.arange(n)
    batches = list(training.iterate_minibatches(X, y, batch_size, rng=0))
    sizes = [len(yb) for _, yb in batches]
    assert sizes[:-1] == [batch_size] * (len(batches) - 1) and 1 <= sizes[-1] <= batch_size
    seen = np.concatenate([yb for _, yb in batches])
    np.testing.assert_array_equal(np.sort(seen), y)
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb[:, 0], 10 * yb)  # pairs stay together


def test_minibatches_reproducible_shuffled_and_ordered():
    X, y = np.zeros((50, 1)), np.arange(50)

    def order(**kw):
        return np.concatenate([yb for _, yb in training.iterate_minibatches(X, y, 8, **kw)])

    np.testing.assert_array_equal(order(rng=4), order(rng=4))
    assert not np.array_equal(order(rng=4), order(rng=5))
    assert not np.array_equal(order(rng=4), y)
    np.testing.assert_array_equal(order(shuffle=False), y)


def test_minibatches_keep_dtypes_and_copy():
    X, y = np.ones((4, 2)), np.arange(4)
    Xb, yb = next(training.iterate_minibatches(X, y, 4, shuffle=False))
    assert yb.dtype == y.dtype
    Xb[:] = 0.0
    assert np.all(X == 1.0)


def test_minibatches_check_arguments_when_called():
    with pytest.raises(ShapeError, match=r"X and y must have the same number of samples"):
        training.iterate_minibatches(np.zeros((5, 2)), np.zeros(4), 2)
    with pytest.raises(ValueError, match=r"batch_size must be a positive integer, got 0"):
        training.iterate_minibatches(np.zeros((5, 2)), np.zeros(5), 0)


# --- accuracy --------------------------------------------------------------------------------


def test_accuracy_from_scores_and_from_predictions():
    scores = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 0.0, 1.0], [5.0, 0.0, 0.0]])
    assert training.accuracy(scores, [0, 1, 1, 0]) == 0.75
    assert training.accuracy(np.array([1, 1, 0]), np.array([1, 0, 0])) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "scores, y, error, pattern",
    [
        (np.zeros((3, 1)), [0, 1, 0], ValueError, r"K >= 2, got \(3, 1\).*threshold"),
        (np.zeros((3, 2)), [0, 1], ShapeError, r"same number \(> 0\) of samples, got 3 and 2"),
        (np.zeros((2, 2, 2)), [0, 1], ShapeError, r"must be \(N, K\) or \(N,\), got \(2, 2, 2\)"),
        (np.zeros((2, 2)), [[0, 1]], ShapeError, r"y must have shape \(N,\), got \(1, 2\)"),
        (np.zeros((0, 2)), [], ShapeError, r"got 0 and 0"),
    ],
)
def test_accuracy_errors(scores, y, error, pattern):
    with pytest.raises(error, match=pattern):
        training.accuracy(scores, y)


# --- fit -------------------------------------------------------------------------------------


def test_fit_learns_and_records_one_entry_per_epoch(blobs):
    X, y, X_val, y_val = blobs
    model = mlp()
    opt = TinySGD(model.parameters(), lr=0.1)
    history = run(model, X, y, optimizer=opt, epochs=6, batch_size=16, val=(X_val, y_val))
    assert history.task == "classification" and history.epochs == 6
    assert opt.steps == 6 * 6  # ceil(90 / 16) = 6 steps per epoch
    for values in (history.loss, history.train_accuracy, history.val_loss, history.val_accuracy):
        assert len(values) == 6
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert history.val_accuracy[-1] >= 0.95
    np.testing.assert_allclose(
        history.val_accuracy[-1], training.accuracy(model.forward(X_val), y_val)
    )
    assert history.lr == [0.1] * 6
    assert set(history.update_ratio) == {"0:Dense", "2:Dense"}
    assert set(history.dead_fraction) == {"1:ReLU"}
    assert set(history.activation_stats) == {"0:Dense", "1:ReLU", "2:Dense"}
    assert set(history.grad_std) == {"0:Dense.W", "0:Dense.b", "2:Dense.W", "2:Dense.b"}
    for table in (history.update_ratio, history.dead_fraction, history.grad_std):
        assert all(len(v) == 6 for v in table.values())
    assert not model.training  # left in evaluation mode


def test_fit_without_val_records_no_val_entries(blobs):
    X, y, _, _ = blobs
    model = mlp()
    history = run(model, X, y, epochs=2)
    assert history.val_loss == [] and history.val_accuracy == []
    assert len(history.train_accuracy) == 2


def test_fit_is_reproducible_with_a_seed(blobs):
    X, y, X_val, y_val = blobs

    def once(seed):
        return run(mlp(), X, y, epochs=3, batch_size=10, rng=seed, val=(X_val, y_val))

    a, b, c = once(7), once(7), once(8)
    assert a.loss == b.loss and a.update_ratio == b.update_ratio
    assert a.summary() == b.summary() and repr(a) == repr(b)
    assert a.loss != c.loss


def test_fit_regression_records_no_accuracy():
    X_train, _, y_train, _ = data.make_watermelon(rng=0)
    model = Sequential(Dense(1, 1, rng=0))
    history = run(
        model,
        X_train,
        y_train,
        loss_fn=mse,
        epochs=20,
        batch_size=16,
        val=(X_train[:10], y_train[:10]),
    )
    assert history.task == "regression"
    assert history.train_accuracy == [] and history.val_accuracy == []
    assert len(history.val_loss) == 20
    assert history.loss[-1] < 0.1 < history.loss[0]
    assert model.layers[0].W.data[0, 0] == pytest.approx(2.0, abs=0.1)


def test_float_labels_mean_regression(blobs):
    X, y, _, _ = blobs
    model = Sequential(Dense(2, 1, rng=0))
    history = run(model, X, y[:, None].astype(float), lr=0.01, loss_fn=mse, batch_size=90)
    assert history.task == "regression" and history.train_accuracy == []


@pytest.mark.parametrize("bias, expected", [(-1e6, 1.0), (1e6, 0.0)])
def test_dead_relu_fraction(blobs, bias, expected):
    X, y, _, _ = blobs
    model = mlp(hidden=6)
    model.layers[0].b.data[:] = bias
    history = run(model, X, y, lr=0.0, epochs=2, batch_size=45)
    assert history.dead_fraction["1:ReLU"] == [expected, expected]


def test_dead_fraction_counts_units_dead_for_every_sample(blobs):
    X, y, _, _ = blobs
    model = mlp(hidden=4)
    model.layers[0].b.data[:] = [-1e6, -1e6, 1e6, 0.0]  # two dead, one alive, one mixed
    history = run(model, X, y, lr=0.0, batch_size=90)
    assert history.dead_fraction["1:ReLU"] == [0.5]


def test_update_ratio_equals_the_lecture_formula_for_one_step(blobs):
    X, y, _, _ = blobs
    lr = 0.05
    reference = mlp(seed=3)
    # the gradient on the full batch, computed by hand
    _, dscores = softmax_ce(reference.forward(X), y)
    reference.backward(dscores)
    expected = {
        name: lr * np.linalg.norm(layer.W.grad) / np.linalg.norm(layer.W.data)
        for name, layer in (("0:Dense", reference.layers[0]), ("2:Dense", reference.layers[2]))
    }
    model = mlp(seed=3)
    history = run(model, X, y, lr=lr, batch_size=90)
    for name, ratio in expected.items():
        assert history.update_ratio[name] == [pytest.approx(ratio, rel=1e-10)]


def test_grad_std_and_activation_stats_use_the_monitoring_batch(blobs):
    X, y, _, _ = blobs
    model = mlp(activation=Tanh)
    # a monitoring batch larger than N is the whole training set, in order
    history = run(model, X, y, epochs=2, monitor_size=1000)
    grads = training.parameter_gradients(model, softmax_ce, X, y)
    for name, g in grads.items():
        assert history.grad_std[name][-1] == pytest.approx(np.std(g), rel=1e-12)
    acts = training.layer_activations(model, X)
    assert history.activation_stats["1:Tanh"]["std"][-1] == pytest.approx(np.std(acts["1:Tanh"]))
    assert history.activation_stats["0:Dense"]["mean"][-1] == pytest.approx(acts["0:Dense"].mean())
    assert "saturated" not in history.activation_stats["0:Dense"]
    assert history.dead_fraction == {}


@pytest.mark.parametrize("scale, low, high", [(1e-3, 0.0, 0.0), (1e3, 0.9, 1.0)])
def test_tanh_saturation_fraction(blobs, scale, low, high):
    X, y, _, _ = blobs
    model = mlp(activation=Tanh, hidden=16)
    model.layers[0].W.data *= scale
    model.layers[0].b.data[:] = 0.0
    history = run(model, X, y, lr=0.0, batch_size=90)
    assert low <= history.activation_stats["1:Tanh"]["saturated"][0] <= high


def test_monitor_size_zero_switches_monitoring_off(blobs):
    X, y, _, _ = blobs
    model = mlp()
    history = run(model, X, y, monitor_size=0)
    assert history.dead_fraction == {} and history.grad_std == {}
    assert len(history.update_ratio["0:Dense"]) == 1


def test_scheduler_is_stepped_once_per_epoch(blobs):
    X, y, _, _ = blobs
    model = mlp()
    opt = TinySGD(model.parameters(), 0.1)

    class Halve:
        def step(self):
            opt.lr /= 2

    history = run(model, X, y, optimizer=opt, epochs=3, batch_size=45, scheduler=Halve())
    assert history.lr == [0.1, 0.05, 0.025]


def test_fit_with_progress_false_writes_nothing(blobs, capsys, monkeypatch):
    used = []
    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = lambda *a, **k: used.append(1)
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    X, y, X_val, y_val = blobs
    model = mlp()
    run(model, X, y, epochs=2, val=(X_val, y_val))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert used == []  # tqdm is installed here, yet not used


def test_fit_uses_tqdm_when_available_and_asked(blobs, monkeypatch):
    events = []

    class FakeBar:
        def __init__(self, total, desc):
            events.append(("open", total))

        def set_postfix(self, **kw):
            events.append(("loss", kw["loss"]))

        def update(self, n):
            events.append(("update", n))

        def close(self):
            events.append(("close",))

    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = FakeBar
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    X, y, _, _ = blobs
    model = mlp()
    run(model, X, y, epochs=2, batch_size=45, progress=True)
    assert events[0] == ("open", 2) and events[-1] == ("close",)
    assert [e for e in events if e[0] == "update"] == [("update", 1)] * 2


def test_fit_without_tqdm_is_silent_even_with_progress(blobs, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # makes `import tqdm` raise ImportError
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    X, y, _, _ = blobs
    model = mlp()
    run(model, X, y, batch_size=45, progress=True)
    assert capsys.readouterr() == ("", "")


def test_fit_does_not_mutate_the_data(blobs):
    X, y, X_val, y_val = blobs
    copies = [a.copy() for a in (X, y, X_val, y_val)]
    model = mlp()
    run(model, X, y, val=(X_val, y_val))
    for a, b in zip((X, y, X_val, y_val), copies, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "args, overrides, error, pattern",
    [
        ((np.zeros((5, 2)), np.zeros(4, int)), {}, ShapeError, r"X and y must have the same"),
        ((np.zeros((4, 2)), np.zeros(4, int)), {"epochs": 0}, ValueError, r"epochs must be a"),
        ((np.zeros((4, 2)), np.zeros(4, int)), {"batch_size": 2.5}, ValueError, r"batch_size"),
        (
            (np.zeros((4, 2)), np.zeros(4, int)),
            {"monitor_size": -1},
            ValueError,
            r"monitor_size must be a non-negative integer, got -1",
        ),
        (
            (np.zeros((4, 2)), np.zeros(4, int)),
            {"val": np.zeros((3, 2))},
            TypeError,
            r"val must be a pair \(X_val, y_val\) or None, got ndarray",
        ),
        (
            (np.zeros((4, 2)), np.zeros(4, int)),
            {"val": (np.zeros((3, 2)), np.zeros(2, int))},
            ShapeError,
            r"X_val and y_val must have the same number of samples",
        ),
    ],
)
def test_fit_argument_errors(args, overrides, error, pattern):
    model = mlp()
    with pytest.raises(error, match=pattern):
        run(model, *args, **({"batch_size": 4} | overrides))


class NoStep:
    def zero_grad(self):
        pass


def test_fit_rejects_bad_collaborators():
    model = mlp()
    X, y = np.zeros((4, 2)), np.zeros(4, int)
    with pytest.raises(TypeError, match=r"optimizer must have a step\(\) method"):
        run(model, X, y, optimizer=NoStep())
    with pytest.raises(TypeError, match=r"loss_fn must be callable, got str"):
        run(model, X, y, loss_fn="mse")
    with pytest.raises(TypeError, match=r"loss_fn must return a pair \(loss, dscores\), got float"):
        run(model, X, y, loss_fn=lambda s, t: 0.0)


# --- probing a model -------------------------------------------------------------------------


def test_layer_activations_follow_the_layers_and_restore_mode():
    model = mlp()
    X = np.random.default_rng(0).normal(size=(5, 2))
    model.train()
    acts = training.layer_activations(model, X)
    assert list(acts) == ["0:Dense", "1:ReLU", "2:Dense"]
    np.testing.assert_allclose(acts["1:ReLU"], np.maximum(acts["0:Dense"], 0.0))
    np.testing.assert_allclose(acts["2:Dense"], model.forward(X))
    assert model.training


def test_nested_sequentials_are_flattened_and_bare_layers_count_as_one():
    model = Sequential(Sequential(Dense(2, 3, rng=0), ReLU()), Dense(3, 2, rng=1))
    assert list(training.layer_activations(model, np.ones((2, 2)))) == [
        "0:Dense",
        "1:ReLU",
        "2:Dense",
    ]
    assert list(training.layer_activations(Dense(2, 3, rng=0), np.ones((2, 2)))) == ["0:Dense"]


def test_parameter_gradients_leave_grads_untouched(blobs):
    X, y, _, _ = blobs
    model = mlp()
    marker = [np.full(p.shape, 7.0) for p in model.parameters()]
    for p, m in zip(model.parameters(), marker, strict=True):
        p.grad = m.copy()
    grads = training.parameter_gradients(model, softmax_ce, X, y)
    _, dscores = softmax_ce(model.forward(X), y)
    model.backward(dscores)
    np.testing.assert_allclose(grads["0:Dense.W"], model.layers[0].W.grad)
    np.testing.assert_allclose(grads["2:Dense.b"], model.layers[2].b.grad)
    # ...and before our own backward, every .grad still held the marker
    model2 = mlp()
    for p in model2.parameters():
        p.grad = np.full(p.shape, 7.0)
    training.parameter_gradients(model2, softmax_ce, X, y)
    assert all(np.all(p.grad == 7.0) for p in model2.parameters())


# --- History ---------------------------------------------------------------------------------


def test_history_repr_and_summary_are_short_and_deterministic():
    h = training.History(
        loss=[1.0, 0.5],
        train_accuracy=[0.5, 0.75],
        update_ratio={"0:Dense": [2e-3, 1.23456e-3]},
        dead_fraction={"1:ReLU": [0.0, 0.25]},
    )
    assert repr(h) == "History(epochs=2, task='classification', loss=0.5, train_accuracy=0.75)"
    assert h.summary().splitlines() == [
        repr(h),
        "update/param ratio (~1e-3 is healthy): 0:Dense 0.00123",
        "dead ReLU fraction: 1:ReLU 0.25",
    ]
    assert training.History().epochs == 0
