"""Train an MLP and a small CNN on scikit-learn's bundled 8x8 digits; report accuracy and time.

    python bench/bench_digits.py

Not a test (timings on shared machines are noisy): tests/unit/test_digits_training.py asserts
the accuracies with the same recipes. Also measures how much of an MLP training step (task B's
784-512-256-10 network) is spent in its matrix products.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"))

import numpy as np  # noqa: E402
from digits_recipes import train_cnn, train_mlp  # noqa: E402

from coursenn.nn.layers import Dense, ReLU, Sequential  # noqa: E402
from coursenn.nn.losses import softmax_cross_entropy  # noqa: E402
from coursenn.nn.optim import SGD  # noqa: E402


def main() -> None:
    for name, recipe in [("MLP 64-128-10", train_mlp), ("CNN conv32-pool-fc", train_cnn)]:
        start = time.perf_counter()
        model, history, test_acc = recipe()
        seconds = time.perf_counter() - start
        print(
            f"{name}: test accuracy {test_acc:.4f} after {history.epochs} epochs, "
            f"{seconds:.1f} s (train acc {history.train_accuracy[-1]:.4f})"
        )

    matmul_share()


def matmul_share(batch: int = 128, steps: int = 20) -> None:
    """Task B's MLP (784-512-256-10) on random data: how much of a step is matrix products."""
    rng = np.random.default_rng(0)
    X = rng.random((batch, 784))
    y = rng.integers(0, 10, size=batch)
    model = Sequential(
        Dense(784, 512, rng=1), ReLU(), Dense(512, 256, rng=2), ReLU(), Dense(256, 10, rng=3)
    )
    optimizer = SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        optimizer.zero_grad()
        loss, dscores = softmax_cross_entropy(model.forward(X), y)
        model.backward(dscores)
        optimizer.step()

    dense = model.layers[::2]
    step()
    inputs = [X] + [np.maximum(0.0, rng.random((batch, d.in_features))) for d in dense[1:]]
    douts = [rng.random((batch, d.out_features)) for d in dense]

    def products():  # the 3 forward and 6 backward matrix products of one step
        for x, d, g in zip(inputs, dense, douts, strict=True):
            x @ d.W.data
            x.T @ g
            g @ d.W.data.T

    t_step = min(_timeit(step) for _ in range(steps))
    t_prod = min(_timeit(products) for _ in range(steps))
    print(
        f"784-512-256-10 MLP, batch {batch}: one training step {t_step * 1e3:.1f} ms, "
        f"its 9 matrix products {t_prod * 1e3:.1f} ms ({t_prod / t_step:.0%} of the step)"
    )


def _timeit(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
