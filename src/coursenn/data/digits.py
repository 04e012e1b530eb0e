"""Handwritten digits: the bundled UCI 8x8 set (task B, chapter 10) and MNIST files a student has.

``load_digits`` reads the copy shipped inside the package (credit and licence in
``coursenn/_data/DIGITS-CREDIT.txt``); ``load_mnist`` reads IDX files already on disk. Nothing
is downloaded. See chapter 5 (task B) and chapter 10.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import math
from pathlib import Path

import numpy as np

from .._checks import as_rng
from .splits import Split, _n_test

__all__ = ["load_digits", "load_mnist"]


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
