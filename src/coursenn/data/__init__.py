"""Small datasets, generated or bundled; nothing is downloaded.

Conventions: features ``X`` of shape ``(N, D)`` float64 (images ``(N, 1, H, W)``), labels
``y`` of shape ``(N,)`` (integer class indices, or ±1 targets where a function says so).
Everything random takes ``rng`` (a ``Generator``, an int seed or ``None``). Functions that
split return a :class:`Split` ``(X_train, X_test, y_train, y_test)``, scikit-learn's order.

See chapter 1 (logic gates, XOR, two blobs), chapter 5 (tasks A and B) and chapter 10.
"""

from .digits import load_digits, load_mnist
from .splits import Split, one_hot, train_test_split
from .synthetic import (
    logic_gate,
    make_blobs,
    make_circles,
    make_moons,
    make_spiral,
    make_watermelon,
    make_xor,
)

__all__ = [
    "logic_gate",
    "make_blobs",
    "make_xor",
    "Split",
    "make_watermelon",
    "train_test_split",
    "one_hot",
    "make_spiral",
    "make_moons",
    "make_circles",
    "load_digits",
    "load_mnist",
]
