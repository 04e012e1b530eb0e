"""The digits training recipes shared by the accuracy tests and bench/bench_digits.py."""

from __future__ import annotations

from coursenn.data import load_digits
from coursenn.nn.conv import Conv2D, MaxPool2D
from coursenn.nn.layers import Dense, Flatten, ReLU, Sequential
from coursenn.nn.losses import softmax_cross_entropy
from coursenn.nn.optim import Adam
from coursenn.training import accuracy, fit


def _train(model, shape: str, *, lr: float, epochs: int, seed: int):
    """Adam on softmax cross-entropy, batches of 32; returns (model, history, test accuracy)."""
    data = load_digits(shape=shape)
    optimizer = Adam(model.parameters(), lr=lr)
    history = fit(
        model,
        softmax_cross_entropy,
        optimizer,
        data.X_train,
        data.y_train,
        epochs=epochs,
        batch_size=32,
        rng=seed,
        progress=False,
        monitor_size=0,
    )
    return model, history, accuracy(model.eval().forward(data.X_test), data.y_test)


def train_mlp(epochs: int = 20, seed: int = 0):
    """A 64-128-10 ReLU MLP on flat digits."""
    model = Sequential(Dense(64, 128, rng=seed), ReLU(), Dense(128, 10, rng=seed + 1))
    return _train(model, "flat", lr=3e-3, epochs=epochs, seed=seed)


def train_cnn(epochs: int = 10, seed: int = 0):
    """conv3x3(32)-ReLU-maxpool2-fc(10) on (N, 1, 8, 8) digit images."""
    model = Sequential(
        Conv2D(1, 32, 3, padding=1, rng=seed),
        ReLU(),
        MaxPool2D(2),  # (N, 32, 4, 4)
        Flatten(),
        Dense(32 * 4 * 4, 10, rng=seed + 1),
    )
    return _train(model, "image", lr=2e-3, epochs=epochs, seed=seed)
