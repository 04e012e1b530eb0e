r"""Sliding-window geometry shared by convolution and pooling, and input validation.

A window of ``K`` taps with dilation ``D`` spans :math:`D(K - 1) + 1` input positions (taps
``0, D, 2D, ...``); with ``P`` zeros on each side and step ``S`` an axis of length ``I``
holds

.. math:: O = \frac{I + 2P - D(K - 1) - 1}{S} + 1

windows, which for ``D = 1`` is the lecture's :math:`O = (I - K + 2P)/S + 1`. The windows
must tile the padded input exactly (the numerator a non-negative multiple of ``S``); all
sizes are computed with integers, never ``/``. See chapter 9.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..._checks import (
    ShapeError,
    as_array,
    as_shape,
    check_ndim,
    check_nonnegative_int,
    check_positive_int,
    check_shape,
    read_array,
)

__all__ = [
    "IntOrPair",
    "Window",
    "as_pair",
    "conv_output_size",
    "window_geometry",
    "pool_geometry",
    "check_window",
    "as_images",
    "read_images",
    "conv_inputs",
    "pad",
]

IntOrPair = int | tuple[int, int]


def as_pair(value, name: str, *, allow_zero: bool = False) -> tuple[int, int]:
    """``3 -> (3, 3)``, ``(3, 5) -> (3, 5)``; each entry a positive (or >= 0) integer."""
    check = check_nonnegative_int if allow_zero else check_positive_int
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"{name} must be an integer or a pair (height, width), got {value!r}")
        return check(value[0], name), check(value[1], name)
    size = check(value, name)
    return size, size


def conv_output_size(
    size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    r"""Output length of a convolution or pooling along one spatial axis.

    .. math:: O = \frac{I - K_D + 2P}{S} + 1, \qquad K_D = D(K - 1) + 1

    (:math:`K_D = K` without dilation, :math:`D = 1`).

    Parameters
    ----------
    size, kernel_size : int
        Input length :math:`I` (height or width) and filter length :math:`K`.
    stride, padding : int
        Step :math:`S` between windows and zeros :math:`P` added on **each** side.
    dilation : int, default 1
        Spacing :math:`D` between the filter's taps (as PyTorch's ``dilation``).

    Returns
    -------
    int
        :math:`O`, e.g. ``conv_output_size(227, 11, stride=4) == 55`` (AlexNet).

    Raises
    ------
    ValueError
        When the windows do not tile the padded input exactly (:math:`I - K_D + 2P` is
        negative or not a multiple of :math:`S`), naming every argument.

    See chapter 9.
    """
    size = check_positive_int(size, "size")
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    stride = check_positive_int(stride, "stride")
    padding = check_nonnegative_int(padding, "padding")
    dilation = check_positive_int(dilation, "dilation")
    span_k = dilation * (kernel_size - 1) + 1
    span = size - span_k + 2 * padding
    setting = f"size={size}, kernel_size={kernel_size}, stride={stride}, padding={padding}"
    kernel = f"kernel_size = {kernel_size}"
    if dilation != 1:
        setting += f", dilation={dilation}"
        kernel = f"the dilated kernel's span dilation*(kernel_size-1)+1 = {span_k}"
    if span < 0:
        raise ValueError(
            f"{setting}: the kernel is larger than the padded input "
            f"(size + 2*padding = {size + 2 * padding} < {kernel})"
        )
    if span % stride != 0:
        minus = "kernel_size" if dilation == 1 else "span"
        raise ValueError(
            f"{setting} do not fit: size - {minus} + 2*padding = {span} "
            f"is not a multiple of stride = {stride}"
        )
    return span // stride + 1


class Window(NamedTuple):
    """Sliding-window geometry: kernel ``(kh, kw)``, stride, padding, output size, dilation."""

    kh: int  # kernel height, width
    kw: int
    sh: int  # stride
    sw: int
    ph: int  # zeros on each side
    pw: int
    oh: int  # output height, width
    ow: int
    dh: int = 1  # dilation (spacing of the kernel's taps)
    dw: int = 1


def window_geometry(
    x_shape: tuple[int, ...],
    kernel_size: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
) -> Window:
    """Check ``kernel_size``, ``stride``, ``padding``, ``dilation`` against ``(N, C, H, W)`` images.

    Each is an int or a pair ``(height, width)``. Returns a :class:`Window`; raises
    ``ValueError`` when the windows do not tile the input (see :func:`conv_output_size`).
    """
    kh, kw = as_pair(kernel_size, "kernel_size")
    sh, sw = as_pair(stride, "stride")
    ph, pw = as_pair(padding, "padding", allow_zero=True)
    dh, dw = as_pair(dilation, "dilation")
    _, _, height, width = as_shape(x_shape, "x_shape", ndim=4, hint="(N, C, H, W)", minimum=0)
    sizes = []
    for axis, size, k, s, p, d in (
        ("height", height, kh, sh, ph, dh),
        ("width", width, kw, sw, pw, dw),
    ):
        try:
            sizes.append(conv_output_size(size, k, s, p, d))
        except ValueError as exc:
            raise ValueError(
                f"the {axis} of x (shape {tuple(x_shape)}) does not fit: {exc}"
            ) from None
    return Window(kh, kw, sh, sw, ph, pw, sizes[0], sizes[1], dh, dw)


def check_window(g, shape: tuple[int, ...], name: str, *, padded: bool) -> None:
    """Raise unless ``g`` is a :class:`Window` whose windows lie inside images of ``shape``.

    ``shape`` is (N, C, H, W), already padded if ``padded`` (else ``g``'s padding is added).
    The last window along each axis ends at :math:`(O - 1) S + D (K - 1) + 1`, which must not
    pass the padded array's end: a strided view would read memory that is not the array's.
    """
    if not isinstance(g, Window):
        raise TypeError(
            f"g must be a Window (from window_geometry or pool_geometry), got {type(g).__name__}"
        )
    if len(shape) != 4:
        raise ShapeError(f"{name} must be 4-D (N, C, H, W), got shape {tuple(shape)}")
    extra = (0, 0) if padded else (2 * g.ph, 2 * g.pw)
    padded_shape = (*shape[:2], shape[2] + extra[0], shape[3] + extra[1])
    reach = ((g.oh - 1) * g.sh + g.dh * (g.kh - 1) + 1, (g.ow - 1) * g.sw + g.dw * (g.kw - 1) + 1)
    if (
        min(g) < 0
        or min(g.kh, g.kw, g.sh, g.sw, g.oh, g.ow, g.dh, g.dw) < 1
        or any(r > size for r, size in zip(reach, padded_shape[2:], strict=True))
    ):
        raise ValueError(
            f"g does not fit {name} of shape {tuple(padded_shape)}: its windows reach "
            f"{reach[0]} rows and {reach[1]} columns; make g with window_geometry(x.shape, ...)"
        )


def pool_geometry(x_shape, kernel_size: IntOrPair, stride: IntOrPair | None) -> Window:
    """:func:`window_geometry` for pooling: no padding, ``stride`` defaults to the kernel."""
    return window_geometry(x_shape, kernel_size, kernel_size if stride is None else stride)


def as_images(x, name: str = "x") -> np.ndarray:
    """``x`` as a new float64 array of shape (N, C, H, W), or ``ShapeError``."""
    x = as_array(x, name)
    check_ndim(x, 4, name, shape_hint="(N, C, H, W)")
    return x


def read_images(x, name: str = "x") -> np.ndarray:
    """:func:`read_array` for images: float64, shape (N, C, H, W), or ``ShapeError``."""
    x = read_array(x, name)
    check_ndim(x, 4, name, shape_hint="(N, C, H, W)")
    return x


def conv_inputs(x, W, b) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate images ``x`` (N, C, H, W), filters ``W`` (F, C, KH, KW), bias ``b`` (F,).

    ``x`` and ``b`` are returned for reading only (no copy of a float64 array); ``W`` is
    copied (it is small), so the copy a forward pass keeps for backward cannot change.
    """
    x = read_images(x)
    W = as_array(W, "W")
    check_ndim(W, 4, "W", shape_hint="(F, C, KH, KW)")
    if W.shape[1] != x.shape[1]:
        raise ShapeError(
            f"W must have shape (F, {x.shape[1]}, KH, KW) to match the {x.shape[1]} channels "
            f"of x, got {W.shape}"
        )
    b = read_array(b, "b")
    check_shape(b, (W.shape[0],), "b")
    return x, W, b


def pad(x: np.ndarray, g: Window) -> np.ndarray:
    """``x`` (N, C, H, W) with ``g.ph`` rows and ``g.pw`` columns of zeros on each side.

    Returns ``x`` itself (no copy) when there is no padding.
    """
    if g.ph == 0 and g.pw == 0:
        return x
    n, c, h, w = x.shape
    x_pad = np.zeros((n, c, h + 2 * g.ph, w + 2 * g.pw))
    x_pad[:, :, g.ph : g.ph + h, g.pw : g.pw + w] = x
    return x_pad
