"""Small datasets, generated or bundled; nothing is downloaded.

Conventions: features ``X`` of shape ``(N, D)`` float64 (images ``(N, 1, H, W)``), labels
``y`` of shape ``(N,)`` (integer class indices, or ±1 targets where a function says so).
Everything random takes ``rng`` (a ``Generator``, an int seed or ``None``). Functions that
split return a :class:`Split` ``(X_train, X_test, y_train, y_test)``, scikit-learn's order.

See chapter 1 (logic gates, XOR, two blobs), chapter 5 (tasks A and B) and chapter 10.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import math
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._checks import ShapeError, as_array, as_rng, check_number, check_positive_int, check_real

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


class Split(NamedTuple):
    """A train/test split in scikit-learn's order: unpack it, or read the fields by name."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def _n_test(test_size, n: int) -> int:
    """Number of test samples: ``ceil(test_size * n)`` for a fraction, or the count itself."""
    k = None
    if isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        k = int(test_size)
    elif isinstance(test_size, (float, np.floating)) and 0.0 < test_size < 1.0:
        k = math.ceil(test_size * n)
    if k is None or not 1 <= k <= n - 1:
        raise ValueError(
            f"test_size must be a fraction in (0, 1) or a count in [1, {n - 1}] that leaves "
            f"both parts non-empty ({n} samples), got {test_size!r}"
        )
    return k


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


# --- splitting and encoding ------------------------------------------------------------------


def train_test_split(X, y, test_size: float | int = 0.2, rng=None, shuffle: bool = True) -> Split:
    """Split ``X`` (N, ...) and ``y`` (N, ...) into a training and a test part.

    ``test_size`` is a fraction in (0, 1) of the samples (rounded up, as scikit-learn) or a
    number of samples. ``shuffle=True`` draws the test samples at random with ``rng``;
    ``shuffle=False`` keeps the order: the first samples train, the last ``n_test`` test.
    Returns a :class:`Split` ``(X_train, X_test, y_train, y_test)`` of new arrays, dtypes kept.
    """
    X, y = check_real(np.asarray(X), "X"), check_real(np.asarray(y), "y")
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(
            "X and y must have the same number of samples (first axis), "
            f"got shapes {X.shape} and {y.shape}"
        )
    n = len(X)
    n_test = _n_test(test_size, n)
    if shuffle:
        order = as_rng(rng).permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        train, test = np.arange(n - n_test), np.arange(n - n_test, n)
    return Split(X[train], X[test], y[train], y[test])


def one_hot(labels, num_classes: int | None = None) -> np.ndarray:
    r"""One-hot rows: :math:`Y_{ik} = 1` if ``labels[i] == k``, else 0.

    ``labels`` of shape ``(N,)`` holds class indices (whole numbers, ``>= 0``);
    ``num_classes`` defaults to ``max(labels) + 1``. Returns float64 of shape ``(N, K)``.
    See chapter 4 (the lecture's 10-dimensional digit targets).
    """
    y = np.asarray(labels)
    if y.ndim != 1:
        raise ShapeError(f"labels must have shape (N,), got {y.shape}")
    if y.dtype == bool or y.dtype.kind not in "iuf":
        raise TypeError(f"labels must be integer class indices, got dtype {y.dtype}")
    bad = (y < 0) | ~np.isfinite(y) | (y != np.round(y))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"labels must be integers >= 0, got {y[i].item()!r} at index {i}")
    if num_classes is None:
        k = int(y.max()) + 1 if y.size else 0
    else:
        k = check_positive_int(num_classes, "num_classes")
        if y.size and y.max() >= k:
            i = int(np.argmax(y >= k))
            raise ValueError(f"labels must be < num_classes={k}, got {y[i].item()!r} at index {i}")
    out = np.zeros((y.size, k))
    out[np.arange(y.size), y.astype(np.int64)] = 1.0
    return out


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


# --- handwritten digits ----------------------------------------------------------------------


def _check_shape_option(shape: str) -> None:
    if shape not in ("flat", "image"):
        raise ValueError(f"shape must be 'flat' or 'image', got {shape!r}")


def _as_shape(images: np.ndarray, shape: str) -> np.ndarray:
    """``(N, H, W)`` images -> ``(N, H*W)`` for ``"flat"`` or ``(N, 1, H, W)`` for ``"image"``."""
    return images.reshape(len(images), -1) if shape == "flat" else images[:, None, :, :]


def load_digits(*, shape: str = "flat", test_size: float | int = 0.2, rng=0) -> Split:
    """Real handwritten digits, 8×8 pixels, shipped inside coursenn (no download).

    1797 images of the digits 0–9; pixels (0..16 in the file) are scaled to [0, 1].
    The split is stratified (each digit keeps its share, ±1 image) and a pure function of
    ``rng``: the default ``rng=0`` gives the same 1437 / 360 split on every call.

    Parameters
    ----------
    shape : {"flat", "image"}
        ``"flat"``: ``X`` of shape ``(N, 64)`` for dense networks;
        ``"image"``: ``(N, 1, 8, 8)`` for convolutional ones.
    test_size : float in (0, 1) or int
        As in :func:`train_test_split`.
    rng : Generator, int or None
        Seed of the split (keep an int for a fixed split).

    Returns
    -------
    Split
        ``(X_train, X_test, y_train, y_test)``; ``X`` float64, ``y`` int64 of shape ``(N,)``.

    See chapters 5 (task B) and 10.
    """
    _check_shape_option(shape)
    pixels, labels = _digits_file()
    X = _as_shape(pixels.reshape(-1, 8, 8) / 16.0, shape)
    y = labels  # read-only; y[train] and y[test] below are new arrays
    n = len(y)
    n_test = _n_test(test_size, n)
    # Stratify: group a random permutation by class, then take every (n / n_test)-th sample.
    order = as_rng(rng).permutation(n)
    order = order[np.argsort(y[order], kind="stable")]
    i = np.arange(n)
    picked = (i + 1) * n_test // n > i * n_test // n
    test, train = np.sort(order[picked]), np.sort(order[~picked])
    return Split(X[train], X[test], y[train], y[test])


@functools.cache
def _digits_file() -> tuple[np.ndarray, np.ndarray]:
    """The 1797 digits shipped with coursenn: pixels (1797, 64), labels (1797,).

    ``coursenn/_data/digits.csv.gz`` is scikit-learn's copy of the UCI digits (credit and
    licence in ``_data/DIGITS-CREDIT.txt``): each row has 64 pixel values 0-16, then the
    label. Cached: callers must not change the arrays.
    """
    with importlib.resources.as_file(
        importlib.resources.files("coursenn") / "_data" / "digits.csv.gz"
    ) as path:
        table = np.loadtxt(path, delimiter=",")
    pixels, labels = table[:, :-1], table[:, -1].astype(np.int64)
    pixels.flags.writeable = labels.flags.writeable = False
    return pixels, labels


def _read_idx(path: Path, ndim: int) -> np.ndarray:
    """Read an IDX file of unsigned bytes with ``ndim`` dimensions (plain or gzipped).

    Layout (big-endian): two zero bytes, the type code 0x08 (unsigned byte), the number of
    dimensions, one 4-byte size per dimension, then the data. So the magic number (the
    first 4 bytes read as one integer) is 2049 for labels (1-D) and 2051 for images (3-D).
    """
    with (gzip.open if path.suffix == ".gz" else open)(path, "rb") as f:
        raw = f.read()
    expected, magic = 0x0800 + ndim, int.from_bytes(raw[:4], "big")
    if len(raw) < 4 or magic != expected:
        raise ValueError(
            f"{path.name}: bad magic number {magic} (0x{magic:08X}), expected {expected} "
            f"(0x{expected:08X}) for an IDX file of unsigned bytes with {ndim} dimension(s)"
        )
    header = 4 + 4 * ndim
    dims = tuple(int.from_bytes(raw[4 + 4 * d : 8 + 4 * d], "big") for d in range(ndim))
    if len(raw) < header or len(raw) - header != math.prod(dims):
        raise ValueError(
            f"{path.name}: the header gives dimensions {dims} ({math.prod(dims)} bytes of data), "
            f"but the file holds {max(len(raw) - header, 0)}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def load_mnist(path, kind: str = "train", *, shape: str = "flat") -> tuple[np.ndarray, np.ndarray]:
    """Read MNIST from the IDX files you downloaded into the folder ``path``; no download.

    ``kind="train"`` reads ``train-images-idx3-ubyte`` and ``train-labels-idx1-ubyte``
    (60000 images), ``kind="t10k"`` (or ``"test"``) the ``t10k-*`` pair (10000 images);
    each file may be gzipped (``.gz``).

    Returns
    -------
    X : ndarray, float64 in [0, 1] (pixel / 255)
        Shape ``(N, H*W)`` (``(N, 784)`` for MNIST) if ``shape="flat"``, else ``(N, 1, H, W)``.
    y : ndarray, int64, shape (N,)

    Raises ``FileNotFoundError`` naming the files expected when one is missing, and
    ``ValueError`` on a bad magic number, a truncated file or differing counts.
    See chapter 5 (task B: 784 inputs, 10 classes).
    """
    _check_shape_option(shape)
    stem = {"train": "train", "test": "t10k", "t10k": "t10k"}.get(kind)
    if stem is None:
        raise ValueError(f"kind must be 'train', 'test' or 't10k', got {kind!r}")
    names = (f"{stem}-images-idx3-ubyte", f"{stem}-labels-idx1-ubyte")
    arrays = []
    for name, ndim in zip(names, (3, 1), strict=True):
        found = [p for p in (Path(path) / name, Path(path) / f"{name}.gz") if p.is_file()]
        if not found:
            raise FileNotFoundError(
                f"MNIST file {name} (or {name}.gz) not found in {path}; "
                f"expected {names[0]}[.gz] and {names[1]}[.gz]"
            )
        arrays.append(_read_idx(found[0], ndim))
    images, labels = arrays
    if len(images) != len(labels):
        raise ValueError(f"{names[0]} holds {len(images)} images but {names[1]} {len(labels)}")
    return _as_shape(images.astype(np.float64) / 255.0, shape), labels.astype(np.int64)
