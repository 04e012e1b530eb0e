r"""Chapter 5: lecture 000/003's task B network, built as the lecture's TensorFlow code builds it.

The network is :math:`n_{in}`-512-256-10 with ReLU hidden layers; the lecture's ``inits()``
draws every weight *and bias* from :math:`U(-\sqrt{5/m}, \sqrt{5/m})`, with :math:`m` the
first dimension of the tensor (the fan-in of a weight matrix, the length of a bias), in the
order W1, b1, W2, b2, W3, b3. The lecture also puts a ReLU on the logits, a slip chapter 5
measures (``relu_on_logits=True``). See chapter 5 (task B and gradient checking).
"""

from __future__ import annotations

import numpy as np

from .._checks import as_rng, check_positive_int
from ..nn.layers import Dense, ReLU, Sequential

__all__ = ["lecture_uniform", "task_b_network"]


def lecture_uniform(shape: tuple[int, ...], rng=None) -> np.ndarray:
    r"""Lecture 003's ``inits()``: :math:`U(-\sqrt{5}\sqrt{1/m}, +\sqrt{5}\sqrt{1/m})`,
    :math:`m` = ``shape[0]``; float64 of ``shape``."""
    bound = np.sqrt(5) * np.sqrt(1.0 / shape[0])
    return as_rng(rng).uniform(-bound, bound, size=shape)


def task_b_network(n_in: int = 64, *, relu_on_logits: bool = False, rng=None) -> Sequential:
    """The ``n_in``-512-256-10 ReLU network of task B, initialised as the lecture does.

    Parameters
    ----------
    n_in : int
        Inputs per sample: 784 for MNIST (the lecture), 64 for the bundled 8x8 digits.
    relu_on_logits : bool
        Append the lecture's ReLU after the last layer (its slip: logits must stay linear).
    rng : Generator, int or None
        One generator draws W1, b1, W2, b2, W3, b3 in that order.
    """
    check_positive_int(n_in, "n_in")
    rng = as_rng(rng)
    layers = [Dense(n_in, 512, init="zeros"), ReLU(),
              Dense(512, 256, init="zeros"), ReLU(),
              Dense(256, 10, init="zeros")]  # fmt: skip
    for dense in layers[::2]:
        dense.W.data = lecture_uniform(dense.W.data.shape, rng)
        dense.b.data = lecture_uniform(dense.b.data.shape, rng)
    if relu_on_logits:
        layers.append(ReLU())  # y = tf.nn.relu(tf.matmul(h2, W3) + b3)
    return Sequential(*layers)
