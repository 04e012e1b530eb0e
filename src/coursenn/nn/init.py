r"""Weight initialisation.

Every initialiser takes the weight ``shape`` and an ``rng`` (a ``Generator``, an int seed
or ``None``) and returns a new float64 array. Shapes follow the package conventions:
Dense weights ``(D_in, D_out)``, conv weights ``(F, C, KH, KW)``.

==================  =========================================================
name                distribution
==================  =========================================================
``zeros``           all zeros (never breaks symmetry: every unit stays equal)
``small_random``    :math:`\mathcal N(0, 0.01^2)`
``lecun``           :math:`\mathcal N(0, 1/n_{in})` (the "1/√n" rule)
``xavier_uniform``  :math:`U(-a, a)`, :math:`a = \sqrt{6/(n_{in}+n_{out})}`
``xavier_normal``   :math:`\mathcal N(0, 2/(n_{in}+n_{out}))`
``he_normal``       :math:`\mathcal N(0, 2/n_{in})`
``he_uniform``      :math:`U(-a, a)`, :math:`a = \sqrt{6/n_{in}}`
==================  =========================================================

See chapter 7 (dead ReLU, the variance derivation).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._checks import as_rng, as_shape, check_number

__all__ = [
    "fan_in_out",
    "zeros",
    "small_random",
    "lecun",
    "xavier_uniform",
    "xavier_normal",
    "he_normal",
    "he_uniform",
    "get_initializer",
]


def fan_in_out(shape: tuple[int, ...]) -> tuple[int, int]:
    """Return ``(fan_in, fan_out)`` for a weight shape.

    Dense ``(D_in, D_out)`` gives ``(D_in, D_out)``; conv ``(F, C, KH, KW)`` gives
    ``(C*KH*KW, F*KH*KW)`` (as PyTorch). A 1-D shape ``(D,)`` gives ``(D, D)``.
    """
    shape = as_shape(shape, "shape")
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) == 4:
        receptive = shape[2] * shape[3]
        return shape[1] * receptive, shape[0] * receptive
    raise ValueError(f"shape must be 1-D, dense (D_in, D_out) or conv (F, C, KH, KW), got {shape}")


def zeros(shape: tuple[int, ...], rng=None) -> np.ndarray:
    """All zeros (``rng`` is accepted for a uniform signature, checked and not used)."""
    as_rng(rng)
    return np.zeros(as_shape(shape, "shape"), dtype=np.float64)


def small_random(shape: tuple[int, ...], rng=None, std: float = 0.01) -> np.ndarray:
    r""":math:`\mathcal N(0, \mathrm{std}^2)` with ``std = 0.01`` by default."""
    std = check_number(std, "std", 0.0)
    return as_rng(rng).normal(0.0, std, size=as_shape(shape, "shape"))


def lecun(shape: tuple[int, ...], rng=None) -> np.ndarray:
    r""":math:`\mathcal N(0, 1/n_{in})`.

    Keeps the variance of a linear unit's output equal to that of its inputs.
    """
    shape = as_shape(shape, "shape")
    fan_in, _ = fan_in_out(shape)
    return as_rng(rng).normal(0.0, np.sqrt(1.0 / fan_in), size=shape)


def xavier_uniform(shape: tuple[int, ...], rng=None) -> np.ndarray:
    r""":math:`U(-a, a)`, :math:`a = \sqrt{6 / (n_{in} + n_{out})}` (Glorot and Bengio, 2010)."""
    shape = as_shape(shape, "shape")
    fan_in, fan_out = fan_in_out(shape)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return as_rng(rng).uniform(-a, a, size=shape)


def xavier_normal(shape: tuple[int, ...], rng=None) -> np.ndarray:
    r""":math:`\mathcal N(0, 2 / (n_{in} + n_{out}))`."""
    shape = as_shape(shape, "shape")
    fan_in, fan_out = fan_in_out(shape)
    return as_rng(rng).normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape)


def he_normal(shape: tuple[int, ...], rng=None) -> np.ndarray:
    r""":math:`\mathcal N(0, 2 / n_{in})` (He et al., 2015), for ReLU units."""
    shape = as_shape(shape, "shape")
    fan_in, _ = fan_in_out(shape)
    return as_rng(rng).normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


def he_uniform(shape: tuple[int, ...], rng=None) -> np.ndarray:
    r""":math:`U(-a, a)` with :math:`a = \sqrt{6 / n_{in}}`."""
    shape = as_shape(shape, "shape")
    fan_in, _ = fan_in_out(shape)
    a = np.sqrt(6.0 / fan_in)
    return as_rng(rng).uniform(-a, a, size=shape)


_INITIALIZERS: dict[str, Callable[..., np.ndarray]] = {
    "zeros": zeros,
    "small_random": small_random,
    "lecun": lecun,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
}


def get_initializer(name: str) -> Callable[..., np.ndarray]:
    """Look an initialiser up by name (``"he_normal"``, ``"xavier_uniform"``, ...)."""
    if not isinstance(name, str):
        raise TypeError(
            f"init must be the name of an initialiser (a str), got {type(name).__name__}: {name!r}"
        )
    try:
        return _INITIALIZERS[name]
    except KeyError:
        raise ValueError(f"init must be one of {sorted(_INITIALIZERS)}, got {name!r}") from None
