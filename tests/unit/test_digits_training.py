"""End to end: the library trains real networks on real handwritten digits (8x8, 360 test images).

The recipes live in digits_recipes.py, shared with bench/bench_digits.py (which reports time).
"""

from __future__ import annotations

from digits_recipes import train_cnn, train_mlp


def test_mlp_reaches_95_percent_on_digits():
    _, history, test_acc = train_mlp()
    assert history.loss[-1] < history.loss[0]
    assert test_acc >= 0.95, f"MLP test accuracy {test_acc:.4f}"


def test_small_cnn_reaches_97_percent_on_digits():
    _, history, test_acc = train_cnn()
    assert history.loss[-1] < history.loss[0]
    assert test_acc >= 0.97, f"CNN test accuracy {test_acc:.4f}"
