"""Chapter 10 exercises: the reference answers pass, the known wrong answers fail with their reason."""

from __future__ import annotations

import math

import exercise_contract
import numpy as np
import pytest

from coursenn import training
from coursenn.data import load_digits
from coursenn.exercises import _heldout, ch10, get, judge, reset_attempts
from coursenn.nn import losses, optim
from coursenn.nn.layers import Dense, ReLU, Sequential


def _max_norm(W, c):
    W = np.asarray(W, dtype=float)
    norms = np.sqrt(np.sum(W**2, axis=0, keepdims=True))
    return W * np.minimum(1.0, c / norms)


def _max_norm_in_place(W, c):  # right values, but writes into its input
    norms = np.sqrt(np.sum(W**2, axis=0, keepdims=True))
    W *= np.minimum(1.0, c / norms)
    return W


def _ensemble_predict(probs):
    return np.argmax(np.mean(np.asarray(probs, dtype=float), axis=0), axis=1)


def _update_ratio(W, dW, lr):
    return float(np.linalg.norm(-lr * dW) / np.linalg.norm(W))


def _update_ratio_in_place(W, dW, lr):  # right order of operations, but updates W first
    ratio = float(np.linalg.norm(-lr * dW) / np.linalg.norm(W))
    W += -lr * dW
    return ratio


def _train_model(X, y, rng):
    model = Sequential(Dense(64, 128, rng=rng), ReLU(), Dense(128, 10, rng=rng))
    adam = optim.Adam(model.parameters(), lr=5e-3)
    training.fit(
        model,
        losses.softmax_cross_entropy,
        adam,
        X,
        y,
        epochs=16,
        batch_size=64,
        rng=rng,
        progress=False,
        monitor_size=0,
        scheduler=optim.StepLR(adam, step_size=8, gamma=0.1),
    )
    model.eval()
    return lambda X_new: model.forward(X_new).argmax(axis=1)


def _majority_class(X, y, rng):
    label = np.bincount(y).argmax()
    return lambda X_new: np.full(len(X_new), label)


def _cheat(X, y, rng):
    """Ignores its data: trains on a split of its own, which holds the held-out images too."""
    full = load_digits(rng=0)
    X_all = np.concatenate([full.X_train, full.X_test])
    y_all = np.concatenate([full.y_train, full.y_test])
    return _train_model(X_all, y_all, rng)


def _returns_scores(X, y, rng):
    predict = _train_model(X, y, rng)
    return lambda X_new: np.eye(10)[predict(X_new)]  # (N, 10) scores are accepted


def _wrong_shape(X, y, rng):
    return lambda X_new: np.zeros((len(X_new), 3))


REFERENCE = {
    "ch10-initial-loss": 4.61,
    "ch10-inverted-scale": 1.875,
    "ch10-max-norm": _max_norm,
    "ch10-ensemble-predict": _ensemble_predict,
    "ch10-update-ratio-bug": _update_ratio,
    "ch10-lambda-slider": "C",
    "ch10-dropout-mixup": "B",
    "ch10-beat-baseline": _train_model,
}

WRONG = {
    "ch10-initial-loss": [
        (2.30, "10 个类别"),
        (2.0, "以 10 为底"),
        (99, "SVM"),
        (0.01, "1/K"),
        (-4.61, "符号反了"),
        (4.60, "截断了"),
    ],
    "ch10-inverted-scale": [
        (1.2, "乘了 p"),
        (7.5, "1 − p"),
        (1.5, "没有缩放"),
        (0.3, "乘了 1 − p"),
        (1.88, "四舍五入了"),
        (1.87, "截断了"),
    ],
    "ch10-max-norm": [
        (ch10._wrong_max_norm_rows, "按行"),
        (ch10._wrong_max_norm_always, "放大"),
        (ch10._wrong_max_norm_clip, "逐个元素"),
        (ch10._wrong_max_norm_whole, "整个矩阵"),
        (_max_norm_in_place, "修改输入"),
    ],
    "ch10-ensemble-predict": [
        (ch10._wrong_ensemble_vote, "多数投票"),
        (ch10._wrong_ensemble_product, "几何平均"),
        (ch10._wrong_ensemble_most_confident, "最自信"),
        (ch10._wrong_ensemble_first, "第一个模型"),
    ],
    "ch10-update-ratio-bug": [
        (ch10._wrong_ratio_given, "原来的代码"),
        (ch10._wrong_ratio_inverted, "倒过来"),
        (ch10._wrong_ratio_after, "更新之后"),
        (ch10._wrong_ratio_no_lr, "学习率"),
        (_update_ratio_in_place, "改动了传进来的 W"),
    ],
    "ch10-lambda-slider": [
        ("A", "不是正确的选项"),
        ("B", "不是正确的选项"),
        ("D", "不是正确的选项"),
        ("E", "不是选项之一"),
    ],
    "ch10-dropout-mixup": [
        ("A", "不是正确的选项"),
        ("C", "不是正确的选项"),
        ("D", "不是正确的选项"),
    ],
    "ch10-beat-baseline": [
        (_majority_class, "没有达到 0.95"),
        (_heldout.baseline_model, "没有达到 0.95"),
        (_cheat, "没有从传给它的 (X, y) 学习"),
        (_wrong_shape, "shape"),
        (42, "应该是一个函数"),
    ],
}


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


def test_what_each_task_asks_for_is_accepted_and_nothing_else():
    assert judge("ch10-initial-loss", 4.605).ok and judge("ch10-initial-loss", 4.6052).ok
    assert not judge("ch10-initial-loss", 4.60).ok  # 四舍五入, not truncated
    assert judge("ch10-inverted-scale", 1.875).ok  # the exact value the task asks for
    assert not judge("ch10-inverted-scale", 1.88).ok and not judge("ch10-inverted-scale", 1.9).ok


def test_beat_baseline_accepts_scores_and_the_baseline_is_weak():
    assert judge("ch10-beat-baseline", _returns_scores).ok
    baseline = get("ch10-beat-baseline")._baseline_accuracy(2024)
    assert baseline < _heldout.THRESHOLD - 0.1, baseline


def test_held_out_split_is_not_the_chapter_split():
    chapter, held_out = load_digits(rng=0), load_digits(rng=_heldout._SPLIT_SEED)
    assert not np.array_equal(chapter.y_test, held_out.y_test)
    assert math.isclose(_heldout.THRESHOLD, 0.95)


TestExerciseContract = exercise_contract.contract(REFERENCE, WRONG)
