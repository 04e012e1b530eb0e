r"""Loss functions, each returning the loss and its gradient with respect to the input.

Every function returns a pair ``(loss, dinput)``: ``loss`` is a Python ``float`` and
``dinput`` :math:`= \partial\,\mathrm{loss} / \partial\,\mathrm{input}` is a new float64 array
of the input's shape, ready to be passed to the last layer's ``backward``.

- :func:`mse_loss` (L2) and :func:`mae_loss` (L1): ``pred`` of any shape, averaged over all
  elements (PyTorch's default ``reduction="mean"``);
- :func:`softmax_cross_entropy` and :func:`multiclass_hinge_loss` (the lecture's multiclass
  SVM loss): scores of shape ``(N, K)``, averaged over the batch ``N``;
- :func:`binary_cross_entropy_with_logits`: logits of any shape, averaged over all elements
  (as ``torch.nn.BCEWithLogitsLoss``).

Class labels are integer class indices of shape ``(N,)`` (not one-hot). Inputs are never
modified. The classification losses are computed from log-sum-exp / softplus forms, so they
stay finite, without overflow warnings, for logits as large as ±1000.

See chapter 4 (losses) and chapter 5 (the gradients, checked numerically).
"""

from __future__ import annotations

import numpy as np

from .._checks import ShapeError, as_labels, check_ndim, check_number, read_array
from . import activations as act

__all__ = [
    "mse_loss",
    "mae_loss",
    "softmax_cross_entropy",
    "binary_cross_entropy_with_logits",
    "multiclass_hinge_loss",
]


# --- validation -----------------------------------------------------------------------------


def _pair(a, b, name_a: str, name_b: str) -> tuple[np.ndarray, np.ndarray]:
    """Both arguments as float64 arrays (read only) of one, non-empty shape (no broadcasting)."""
    a = read_array(a, name_a)
    b = read_array(b, name_b)
    if a.shape != b.shape:
        raise ShapeError(
            f"{name_b} must have the same shape as {name_a} {a.shape}, got {b.shape} "
            "(no broadcasting: reshape one of them explicitly)"
        )
    if a.size == 0:
        raise ValueError(f"{name_a} must hold at least one element, got shape {a.shape}")
    return a, b


def _scores_and_labels(scores, labels, scores_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``(N, K)`` scores and ``(N,)`` integer labels in ``[0, K)``."""
    scores = read_array(scores, scores_name)
    check_ndim(
        scores,
        2,
        scores_name,
        shape_hint=f"(N, K); for a single sample pass {scores_name}[None, :]",
    )
    n, k = scores.shape
    if n == 0 or k == 0:
        raise ShapeError(
            f"{scores_name} must hold at least one sample and one class, got shape {scores.shape}"
        )
    labels = as_labels(labels, n=n, num_classes=k, against=(scores_name, scores.shape))
    return scores, labels


# --- regression ------------------------------------------------------------------------------


def mse_loss(pred, target) -> tuple[float, np.ndarray]:
    r"""Mean squared error (L2 loss), averaged over **all** elements.

    .. math::
        L = \frac{1}{M} \sum_{m=1}^{M} (\hat y_m - y_m)^2,
        \qquad
        \frac{\partial L}{\partial \hat y_m} = \frac{2}{M} (\hat y_m - y_m),

    where :math:`M` is the number of elements of ``pred`` (``N`` for ``(N,)``, ``N·D`` for
    ``(N, D)``), as ``torch.nn.MSELoss()`` with its default ``reduction="mean"``. Some texts
    put a factor 1/2 in front; this one does not.

    Parameters
    ----------
    pred : array_like, any shape
        Predictions :math:`\hat y`.
    target : array_like, same shape as ``pred``
        True values :math:`y` (no broadcasting).

    Returns
    -------
    loss : float
    dpred : ndarray, shape of ``pred``

    See chapter 4.
    """
    pred, target = _pair(pred, target, "pred", "target")
    diff = pred - target
    loss = float(np.mean(diff * diff))
    return loss, (2.0 / diff.size) * diff


def mae_loss(pred, target) -> tuple[float, np.ndarray]:
    r"""Mean absolute error (L1 loss), averaged over **all** elements.

    .. math::
        L = \frac{1}{M} \sum_{m=1}^{M} |\hat y_m - y_m|,
        \qquad
        \frac{\partial L}{\partial \hat y_m} = \frac{1}{M} \operatorname{sign}(\hat y_m - y_m),

    with :math:`M` the number of elements, as ``torch.nn.L1Loss()``. At the kink
    :math:`\hat y_m = y_m` the (sub)gradient is taken as 0, which is ``np.sign(0)``.

    Parameters
    ----------
    pred : array_like, any shape
    target : array_like, same shape as ``pred``

    Returns
    -------
    loss : float
    dpred : ndarray, shape of ``pred``

    See chapter 4.
    """
    pred, target = _pair(pred, target, "pred", "target")
    diff = pred - target
    loss = float(np.mean(np.abs(diff)))
    return loss, np.sign(diff) / diff.size


# --- classification --------------------------------------------------------------------------


def softmax_cross_entropy(logits, labels) -> tuple[float, np.ndarray]:
    r"""Softmax followed by cross-entropy, averaged over the batch.

    .. math::
        L = \frac{1}{N} \sum_{i=1}^{N} -\log \frac{e^{s_{i, y_i}}}{\sum_j e^{s_{ij}}},
        \qquad
        \frac{\partial L}{\partial s_{ij}} = \frac{1}{N}\bigl(p_{ij} - \mathbb 1[j = y_i]\bigr),

    with :math:`p_i = \mathrm{softmax}(s_i)`. The log-probabilities are those of
    :func:`coursenn.nn.activations.log_softmax` (the max-subtraction trick of the lecture,
    :math:`\log p_{ij} = s_{ij} - m_i - \log\sum_k e^{s_{ik} - m_i}`), so the loss is finite
    for logits of ±1000; the same exponentials, divided by their sum, are :math:`p` for the
    gradient (one pass over the logits). Sanity value: ``K`` equal logits give
    :math:`\ln K` (``ln 10 = 2.302…`` for ten classes). Same value as
    ``torch.nn.functional.cross_entropy(logits, labels)``.

    Parameters
    ----------
    logits : array_like, shape (N, K)
        Unnormalised class scores :math:`s`, one row per sample.
    labels : array_like of int, shape (N,)
        Correct class :math:`y_i \in \{0, \dots, K-1\}` of each sample.

    Returns
    -------
    loss : float
    dlogits : ndarray, shape (N, K)

    Raises
    ------
    ShapeError
        ``logits`` not 2-D, or ``labels`` not of shape ``(N,)``.
    ValueError
        ``labels`` not integers, or outside ``[0, K)``.

    See chapter 4.
    """
    logits, labels = _scores_and_labels(logits, labels, "logits")
    n = logits.shape[0]
    rows = np.arange(n)
    # One pass: the shifted exponentials give both the log-sum-exp and the probabilities.
    shifted = logits - np.maximum.reduce(logits, axis=1, keepdims=True)
    e = np.exp(shifted)
    total = np.add.reduce(e, axis=1, keepdims=True)
    # -mean log p[i, y_i] = mean(log total_i - shifted[i, y_i])
    loss = float(np.add.reduce(np.log(total[:, 0]) - shifted[rows, labels]) / n)
    e /= total  # now the probabilities p, reused as the gradient below
    e[rows, labels] -= 1.0
    e /= n
    return loss, e


def binary_cross_entropy_with_logits(logits, targets) -> tuple[float, np.ndarray]:
    r"""Sigmoid followed by binary cross-entropy, averaged over **all** elements.

    With :math:`p = \sigma(z)` and targets :math:`t \in [0, 1]`,

    .. math::
        L = \frac{1}{M} \sum_{m} -\bigl[t_m \log p_m + (1 - t_m) \log(1 - p_m)\bigr]
          = \frac{1}{M} \sum_{m} \bigl[\operatorname{softplus}(z_m) - t_m z_m\bigr],
        \qquad
        \frac{\partial L}{\partial z_m} = \frac{1}{M}\bigl(\sigma(z_m) - t_m\bigr).

    The softplus form :math:`\max(z, 0) + \log(1 + e^{-|z|}) - t z` never takes the log of 0,
    so the loss is finite for logits of ±1000. As ``torch.nn.BCEWithLogitsLoss()``.

    Parameters
    ----------
    logits : array_like, any shape, e.g. (N,) or (N, D)
        Scores :math:`z` before the sigmoid.
    targets : array_like of floats in [0, 1], same shape as ``logits``
        Labels 0/1, or soft targets.

    Returns
    -------
    loss : float
    dlogits : ndarray, shape of ``logits``

    See chapter 4.
    """
    logits, targets = _pair(logits, targets, "logits", "targets")
    outside = np.flatnonzero(~((targets >= 0.0) & (targets <= 1.0)))  # catches NaN too
    if outside.size:
        i = np.unravel_index(int(outside[0]), targets.shape)
        raise ValueError(
            f"targets must be in [0, 1] (probabilities or 0/1 labels), got {float(targets[i])!r} "
            f"at index {tuple(int(j) for j in i)}"
        )
    loss = float(np.mean(act.softplus(logits) - targets * logits))
    return loss, (act.sigmoid(logits) - targets) / logits.size


def multiclass_hinge_loss(scores, labels, margin: float = 1.0) -> tuple[float, np.ndarray]:
    r"""The lecture's multiclass SVM (hinge) loss, averaged over the batch.

    .. math::
        L = \frac{1}{N} \sum_{i=1}^{N} L_i, \qquad
        L_i = \sum_{j \ne y_i} \max(0,\; s_{ij} - s_{i, y_i} + \Delta),

    .. math::
        \frac{\partial L}{\partial s_{ij}}
            = \frac{1}{N}\,\mathbb 1[s_{ij} - s_{i,y_i} + \Delta > 0] \quad (j \ne y_i),
        \qquad
        \frac{\partial L}{\partial s_{i,y_i}}
            = -\sum_{j \ne y_i} \frac{\partial L}{\partial s_{ij}}.

    At a kink (a margin exactly 0) the gradient is taken as 0. The lecture's worked example:
    scores ``[13, -7, 11]``, correct class 0, Δ = 10 give
    :math:`\max(0, -7 - 13 + 10) + \max(0, 11 - 13 + 10) = 0 + 8 = 8`.
    ``torch.nn.MultiMarginLoss`` differs: it also divides each :math:`L_i` by ``K``.

    Parameters
    ----------
    scores : array_like, shape (N, K)
        Class scores :math:`s`, one row per sample.
    labels : array_like of int, shape (N,)
        Correct class :math:`y_i \in \{0, \dots, K-1\}`.
    margin : float, default 1.0
        The margin :math:`\Delta \ge 0` (the lecture: 1 is a safe choice almost always).

    Returns
    -------
    loss : float
    dscores : ndarray, shape (N, K)

    Raises
    ------
    ShapeError, ValueError
        As :func:`softmax_cross_entropy`; ``ValueError`` also for a negative or non-finite
        ``margin``.

    See chapter 4.
    """
    scores, labels = _scores_and_labels(scores, labels, "scores")
    margin = check_number(margin, "margin", 0.0)
    n = scores.shape[0]
    rows = np.arange(n)
    correct = scores[rows, labels][:, None]
    margins = np.maximum(0.0, scores - correct + float(margin))
    margins[rows, labels] = 0.0
    loss = float(np.sum(margins) / n)
    dscores = (margins > 0).astype(np.float64)
    dscores[rows, labels] = -np.sum(dscores, axis=1)
    dscores /= n
    return loss, dscores
