"""Generated data sets: logic gates, blobs, XOR, the watermelon line, spirals, moons, circles.

Everything random takes ``rng``; nothing is downloaded. See chapter 1 (logic gates, XOR, two
blobs), chapter 3 (spirals, moons, circles) and chapter 5 (task A).
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array, as_rng, check_number, check_positive_int
from .splits import Split, _n_test

__all__ = [
    "logic_gate",
    "make_blobs",
    "make_xor",
    "make_watermelon",
    "make_spiral",
    "make_moons",
    "make_circles",
]


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
    centers = as_array(centers, "centers")
    if centers.ndim != 2 or centers.size == 0:
        raise ValueError(f"centers must be a 2-D list of points (K, D), got shape {centers.shape}")
    std = check_number(std, "std", 0.0, low_open=True)
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
    noise = _check_noise(noise)
    rng = as_rng(rng)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    which = np.arange(n_samples) % 4
    X = corners[which] + rng.normal(0.0, noise, size=(n_samples, 2))
    y = (corners[which, 0] != corners[which, 1]).astype(np.int64)
    return X, y


# --- regression: task A ----------------------------------------------------------------------
def make_watermelon(n_samples: int = 100, rng=None, *, test_size: float | int = 0.2) -> Split:
    r"""The lecture's task A: price :math:`y` of a watermelon of weight :math:`x`, with noise.

    .. math:: x \sim \mathcal N(0, 1), \qquad y = 2x + \varepsilon,
              \quad \varepsilon \sim \mathcal U(-0.5, 0.5)

    (the lecture's ``tf.random_normal`` and ``tf.random_uniform``). The split is **in order**,
    as in the lecture: the first ``n_samples - n_test`` samples train, the rest test
    (80 / 20 for the defaults).

    Returns a :class:`Split` ``(X_train, X_test, y_train, y_test)``, each a column
    ``(n, 1)``. See chapter 5.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    if n_samples < 2:
        raise ValueError(f"n_samples must be >= 2 (a training and a test part), got {n_samples}")
    n_test = _n_test(test_size, n_samples)
    rng = as_rng(rng)
    x = rng.normal(0.0, 1.0, size=n_samples)
    y = 2.0 * x + rng.uniform(-0.5, 0.5, size=n_samples)
    cut = n_samples - n_test
    return Split(x[:cut, None], x[cut:, None], y[:cut, None], y[cut:, None])


# --- toy classification sets in the plane ----------------------------------------------------


def _check_noise(noise: float) -> float:
    """The one rule for every generator's noise level: a finite number >= 0."""
    return check_number(noise, "noise", 0.0)


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    order = rng.permutation(len(y))
    return X[order], y[order].astype(np.int64)


def _two_arcs(n_samples: int, stop: float, endpoint: bool) -> tuple[np.ndarray, np.ndarray]:
    """Unit-circle points at angles in [0, stop]: ``n // 2`` of class 0, then the rest class 1."""
    n_out = n_samples // 2
    sizes = (n_out, n_samples - n_out)
    a = np.concatenate([np.linspace(0.0, stop, m, endpoint=endpoint) for m in sizes])
    return np.column_stack([np.cos(a), np.sin(a)]), (np.arange(n_samples) >= n_out).astype(int)


def make_spiral(
    n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, rng=None
) -> tuple[np.ndarray, np.ndarray]:
    r"""The CS231n spiral: ``n_classes`` arms winding around the origin.

    Arm :math:`k` has radius :math:`r` going linearly from 0 to 1 and angle
    :math:`t = 4k + 4r + \mathcal N(0, \text{noise}^2)`; the point is
    :math:`(r \sin t, r \cos t)`. Samples are split as evenly as possible between arms.

    Returns ``X`` of shape ``(n_samples, 2)`` and integer labels ``y`` of shape
    ``(n_samples,)``, rows in random order. See chapters 3 and 10.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_classes = check_positive_int(n_classes, "n_classes")
    noise = _check_noise(noise)
    rng = as_rng(rng)
    y = np.sort(np.arange(n_samples) % n_classes)
    r = np.concatenate([np.linspace(0.0, 1.0, np.sum(y == k)) for k in range(n_classes)])
    t = 4.0 * (y + r) + rng.normal(0.0, noise, size=n_samples)
    return _shuffled(np.column_stack([r * np.sin(t), r * np.cos(t)]), y, rng)


def make_moons(n_samples: int = 200, noise: float = 0.1, rng=None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (as scikit-learn's ``make_moons``).

    Class 0: the upper half of the unit circle; class 1: the lower half, shifted to
    centre (1, 0.5); Gaussian noise of std ``noise`` on both coordinates.
    Returns ``X`` (n_samples, 2) and integer ``y`` (n_samples,), rows in random order.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = _check_noise(noise)
    rng = as_rng(rng)
    X, y = _two_arcs(n_samples, np.pi, endpoint=True)
    X = np.where(y[:, None] == 1, np.array([1.0, 0.5]) - X, X)
    return _shuffled(X + rng.normal(0.0, noise, size=X.shape), y, rng)


def make_circles(
    n_samples: int = 200, noise: float = 0.05, factor: float = 0.5, rng=None
) -> tuple[np.ndarray, np.ndarray]:
    """A circle inside a circle (as scikit-learn's ``make_circles``); no line separates them.

    Class 0 lies on the unit circle, class 1 on the circle of radius ``factor`` (in (0, 1));
    Gaussian noise of std ``noise`` on both coordinates. Returns ``X`` (n_samples, 2) and
    integer ``y`` (n_samples,), rows in random order.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = _check_noise(noise)
    factor = check_number(factor, "factor", 0.0, 1.0, low_open=True, high_open=True)
    rng = as_rng(rng)
    X, y = _two_arcs(n_samples, 2 * np.pi, endpoint=False)
    X = X * np.where(y == 1, factor, 1.0)[:, None]
    return _shuffled(X + rng.normal(0.0, noise, size=X.shape), y, rng)
