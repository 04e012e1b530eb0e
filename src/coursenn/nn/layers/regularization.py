"""Layers that act differently in training and evaluation: ``Dropout`` and ``BatchNorm1d``.

``train()`` / ``eval()`` (:class:`~coursenn.nn.layers.base.Layer`) switch them. See chapter 10.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..._checks import (
    as_rng,
    check_number,
    check_positive_int,
    check_shape,
    read_array,
)
from ..parameter import Parameter
from .base import Layer

__all__ = ["Dropout", "BatchNorm1d"]


class Dropout(Layer):
    r"""Inverted dropout: keep each unit with probability ``keep_prob`` and rescale.

    Training: :math:`y = x \odot m / p` with :math:`m_i \sim \mathrm{Bernoulli}(p)`, so
    :math:`\mathbb E[y] = x` and nothing needs rescaling at test time. Evaluation
    (``eval()``): identity. The mask of the last forward pass is kept in ``mask`` and used by
    ``backward``: :math:`\partial L/\partial x = \mathrm{dout} \odot m / p`. See chapter 10.
    """

    def __init__(self, keep_prob: float, *, rng=None) -> None:
        super().__init__()
        self.keep_prob = check_number(keep_prob, "keep_prob", 0.0, 1.0, low_open=True)
        self.rng = as_rng(rng)
        self.mask: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        x = read_array(x, "x")
        if self.training:
            self.mask = (self.rng.random(x.shape) < self.keep_prob) / self.keep_prob
        else:
            self.mask = np.ones_like(x)
        self._cache = self.mask
        return x * self.mask

    def backward(self, dout) -> np.ndarray:
        mask = self._require_cache()
        dout = read_array(dout, "dout")
        if dout.shape != mask.shape:
            raise ValueError(f"dout must have shape {mask.shape}, got {dout.shape}")
        return dout * mask

    def __repr__(self) -> str:
        return f"Dropout(keep_prob={self.keep_prob})"


class BatchNorm1d(Layer):
    r"""Batch normalisation over the batch axis of ``(N, D)`` inputs (as PyTorch's BatchNorm1d).

    Training: :math:`\hat x = (x - \mu_B) / \sqrt{\sigma_B^2 + \epsilon}` with the batch mean and
    (biased) variance, :math:`y = \gamma \hat x + \beta`; running statistics are updated as
    :math:`r \leftarrow (1 - m) r + m \cdot s_B` (``momentum`` = m; the running variance uses the
    unbiased batch variance). Evaluation: the running statistics replace the batch ones.

    Parameters ``gamma`` (D,) (ones) and ``beta`` (D,) (zeros), yielded in that order. Backward
    in training mode:
    :math:`\partial L/\partial x = \frac{1}{N\sqrt{\sigma_B^2+\epsilon}}\big(N g - \sum_n g_n -
    \hat x \sum_n g_n \hat x_n\big)` with :math:`g = \gamma \odot \mathrm{dout}`. See chapter 10.
    """

    def __init__(self, num_features: int, *, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        self.num_features = check_positive_int(num_features, "num_features")
        self.eps = check_number(eps, "eps", 0.0, low_open=True)
        self.momentum = check_number(momentum, "momentum", 0.0, 1.0)
        self.gamma = Parameter(np.ones(self.num_features), "gamma")
        self.beta = Parameter(np.zeros(self.num_features), "beta")
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)

    def parameters(self) -> Iterator[Parameter]:
        yield self.gamma
        yield self.beta

    def forward(self, x) -> np.ndarray:
        x = read_array(x, "x")
        check_shape(x, (None, self.num_features), "x")
        if self.training:
            if x.shape[0] < 2:
                raise ValueError(
                    f"x must hold at least 2 samples for BatchNorm1d in training mode (batch "
                    f"statistics), got {x.shape[0]}"
                )
            mean, var = x.mean(axis=0), x.var(axis=0)
            m, n = self.momentum, x.shape[0]
            self.running_mean = (1 - m) * self.running_mean + m * mean
            self.running_var = (1 - m) * self.running_var + m * var * n / (n - 1)
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mean) * inv_std
        self._cache = (x_hat, inv_std, self.training)
        return self.gamma.data * x_hat + self.beta.data

    def backward(self, dout) -> np.ndarray:
        x_hat, inv_std, training = self._require_cache()
        dout = read_array(dout, "dout")
        if dout.shape != x_hat.shape:
            raise ValueError(f"dout must have shape {x_hat.shape}, got {dout.shape}")
        self.gamma.grad = np.sum(dout * x_hat, axis=0)
        self.beta.grad = dout.sum(axis=0)
        g = dout * self.gamma.data
        if not training:  # running statistics are constants
            return g * inv_std
        n = dout.shape[0]
        return inv_std / n * (n * g - g.sum(axis=0) - x_hat * np.sum(g * x_hat, axis=0))

    def __repr__(self) -> str:
        return f"BatchNorm1d({self.num_features})"
