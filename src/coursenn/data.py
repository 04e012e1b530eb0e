"""Small datasets, generated or bundled; nothing is downloaded.

Conventions: features ``X`` of shape ``(N, D)`` float64, labels ``y`` of shape ``(N,)``
(integer class indices, or ±1 targets where a function says so). Everything random takes
``rng`` (a ``Generator``, an int seed or ``None``).

See chapter 1 (logic gates, XOR, two blobs).
"""

from __future__ import annotations

import numpy as np

from ._checks import as_rng, check_positive_int

__all__ = ["logic_gate", "make_blobs", "make_xor"]

_GATES = {
    "AND": lambda a, b: a & b,
    "OR": lambda a, b: a | b,
    "NAND": lambda a, b: ~(a & b),
    "NOR": lambda a, b: ~(a | b),
    "XOR": lambda a, b: a ^ b,
}


def logic_gate(name: str, *, encoding: str = "pm1") -> tuple[np.ndarray, np.ndarray]:
    """Truth table of a two-input logic gate.

    Parameters
    ----------
    name : {"AND", "OR", "NAND", "NOR", "XOR"}
    encoding : {"pm1", "01"}
        ``"pm1"``: false = -1, true = +1 (the perceptron lecture's convention);
        ``"01"``: false = 0, true = 1.

    Returns
    -------
    X : ndarray, shape (4, 2)
        The inputs in the order (F, F), (F, T), (T, F), (T, T).
    y : ndarray, shape (4,)
        The gate's output in the same encoding (float64 for ``"pm1"``, int for ``"01"``).
    """
    key = str(name).upper()
    if key not in _GATES:
        raise ValueError(f"name must be one of {sorted(_GATES)}, got {name!r}")
    if encoding not in ("pm1", "01"):
        raise ValueError(f"encoding must be 'pm1' or '01', got {encoding!r}")
    bits = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=bool)
    out = _GATES[key](bits[:, 0], bits[:, 1])
    if encoding == "01":
        return bits.astype(np.float64), out.astype(np.int64)
    return np.where(bits, 1.0, -1.0), np.where(out, 1.0, -1.0)


def make_blobs(
    n_samples: int = 100,
    centers=((-1.0, -1.0), (1.0, 1.0)),
    std: float = 0.5,
    rng=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clouds, one per centre; class ``k`` is drawn around ``centers[k]``.

    Returns ``X`` of shape ``(n_samples, D)`` and integer labels ``y`` of shape
    ``(n_samples,)``; samples are split as evenly as possible between the classes.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2:
        raise ValueError(f"centers must be a 2-D list of points (K, D), got shape {centers.shape}")
    if std <= 0:
        raise ValueError(f"std must be positive, got {std!r}")
    rng = as_rng(rng)
    k = centers.shape[0]
    y = np.arange(n_samples) % k
    X = centers[y] + rng.normal(0.0, std, size=(n_samples, centers.shape[1]))
    return X, y.astype(np.int64)


def make_xor(n_samples: int = 200, noise: float = 0.3, rng=None) -> tuple[np.ndarray, np.ndarray]:
    """Noisy XOR: four clouds around (±1, ±1); label 1 where the signs of x1 and x2 differ.

    Returns ``X`` of shape ``(n_samples, 2)`` and integer labels ``y`` of shape ``(n_samples,)``.
    No straight line separates the classes. See chapters 1 and 3.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    rng = as_rng(rng)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    which = np.arange(n_samples) % 4
    X = corners[which] + rng.normal(0.0, noise, size=(n_samples, 2))
    y = (corners[which, 0] != corners[which, 1]).astype(np.int64)
    return X, y
