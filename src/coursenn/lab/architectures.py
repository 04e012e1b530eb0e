r"""Chapter 9: layer-by-layer sizes of a CNN: activation counts, weights, biases, receptive fields.

A network is a list of layer specs (:class:`Conv`, :class:`Pool`, :class:`FC`). Walking it
from an input volume :math:`H \times W \times C` gives one :class:`Row` per layer with its
output volume, the number of activations it stores (its "memory" in the lecture's table)
and its learnable weights and biases:

* conv, :math:`K` filters of :math:`F \times F` on depth :math:`C` (``groups`` :math:`g`:
  each filter sees :math:`C/g` channels): :math:`K \cdot F^2 C/g` weights, :math:`K` biases;
  output :math:`O = (W - F + 2P)/S + 1` (:func:`coursenn.nn.conv.geometry.conv_output_size`);
* pool: no parameters, depth unchanged;
* fully connected to the whole :math:`H \times W \times C` volume, :math:`K` units:
  :math:`HWC \cdot K` weights, :math:`K` biases; output :math:`1 \times 1 \times K`.

:func:`vgg16` is the lecture's VGG-16 table (CS231n's "VGGNet in detail"); :func:`alexnet`
is Krizhevsky et al. (2012), with the two-GPU grouping of conv2, conv4 and conv5.
:func:`receptive_field` is the receptive field of a stack of convolutions. See chapter 9.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._checks import check_positive_int
from ..nn.conv.fast import conv2d_backward, conv2d_forward
from ..nn.conv.geometry import conv_output_size

__all__ = [
    "Conv",
    "Pool",
    "FC",
    "Row",
    "layer_table",
    "totals",
    "vgg16",
    "alexnet",
    "receptive_field",
    "receptive_field_map",
]


@dataclass(frozen=True)
class Conv:
    """A convolution: ``filters`` of ``kernel`` × ``kernel``, ``stride``, zero ``padding``."""

    filters: int
    kernel: int
    stride: int = 1
    padding: int = 0
    groups: int = 1
    name: str = ""


@dataclass(frozen=True)
class Pool:
    """A (max) pooling layer: ``kernel`` × ``kernel`` windows, ``stride``; no parameters."""

    kernel: int
    stride: int
    name: str = ""


@dataclass(frozen=True)
class FC:
    """A fully connected layer of ``units`` neurons, each connected to the whole input."""

    units: int
    name: str = ""


@dataclass(frozen=True)
class Row:
    """One line of a size table: the layer's output volume ``(H, W, C)`` and its counts."""

    name: str
    shape: tuple[int, int, int]
    weights: int
    biases: int

    @property
    def activations(self) -> int:
        """Values the layer outputs (and must keep for backward): :math:`H W C`."""
        h, w, c = self.shape
        return h * w * c

    @property
    def params(self) -> int:
        """Learnable scalars: weights + biases."""
        return self.weights + self.biases


def _default_name(layer) -> str:
    if isinstance(layer, Conv):
        return f"CONV{layer.kernel}-{layer.filters}"
    if isinstance(layer, Pool):
        return f"POOL{layer.kernel}"
    return f"FC-{layer.units}"


def layer_table(input_shape: tuple[int, int, int], layers: Sequence) -> list[Row]:
    r"""Walk ``layers`` from an input volume; one :class:`Row` per layer, the input first.

    Parameters
    ----------
    input_shape : (int, int, int)
        :math:`(H, W, C)` of the input image (height, width, depth, as the lecture writes it).
    layers : sequence of Conv, Pool, FC

    Returns
    -------
    list of Row
        ``rows[0]`` is the input (no parameters); ``rows[k]`` the output of ``layers[k - 1]``.

    Raises
    ------
    ValueError
        When a window does not tile its input (the message of ``conv_output_size``, with the
        layer's name), or a conv's ``groups`` does not divide its input or output depth.
    TypeError
        For a layer that is not a Conv, Pool or FC.
    """
    if len(input_shape) != 3:
        raise ValueError(f"input_shape must be (H, W, C), got {input_shape!r}")
    h, w, c = (check_positive_int(s, "input_shape") for s in input_shape)
    rows = [Row("INPUT", (h, w, c), 0, 0)]
    for layer in layers:
        if not isinstance(layer, Conv | Pool | FC):
            raise TypeError(f"layers must hold Conv, Pool or FC specs, got {layer!r}")
        name = layer.name or _default_name(layer)
        try:
            if isinstance(layer, Conv):
                if c % layer.groups or layer.filters % layer.groups:
                    raise ValueError(
                        f"groups = {layer.groups} must divide the input depth {c} "
                        f"and the filters {layer.filters}"
                    )
                h = conv_output_size(h, layer.kernel, layer.stride, layer.padding)
                w = conv_output_size(w, layer.kernel, layer.stride, layer.padding)
                weights = layer.filters * layer.kernel**2 * (c // layer.groups)
                rows.append(Row(name, (h, w, layer.filters), weights, layer.filters))
                c = layer.filters
            elif isinstance(layer, Pool):
                h = conv_output_size(h, layer.kernel, layer.stride)
                w = conv_output_size(w, layer.kernel, layer.stride)
                rows.append(Row(name, (h, w, c), 0, 0))
            else:  # FC
                weights = h * w * c * layer.units
                h, w, c = 1, 1, layer.units
                rows.append(Row(name, (1, 1, c), weights, layer.units))
        except ValueError as exc:
            raise ValueError(f"layer {name}: {exc}") from None
    return rows


def totals(rows: Sequence[Row]) -> dict[str, int]:
    """Sums over a table: ``activations``, ``weights``, ``biases``, ``params``."""
    return {
        "activations": sum(r.activations for r in rows),
        "weights": sum(r.weights for r in rows),
        "biases": sum(r.biases for r in rows),
        "params": sum(r.params for r in rows),
    }


def vgg16() -> list:
    """VGG-16 (configuration D): 3×3 convs with stride 1, padding 1; 2×2 max pools, stride 2.

    Input 224×224×3; 13 conv and 3 FC layers (4096, 4096, 1000). See chapter 9.
    """
    layers: list = []
    for filters, repeat in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        layers += [Conv(filters, 3, 1, 1) for _ in range(repeat)]
        layers.append(Pool(2, 2))
    return layers + [FC(4096), FC(4096), FC(1000)]


def alexnet(groups: bool = True) -> list:
    """AlexNet (Krizhevsky et al., 2012) on a 227×227×3 input.

    conv1 96 11×11/4, pool 3×3/2, conv2 256 5×5 pad 2, pool, conv3 384 3×3 pad 1, conv4 384,
    conv5 256, pool, FC 4096, 4096, 1000. With ``groups=True`` conv2, conv4 and conv5 are
    split over the paper's two GPUs (each filter sees half the input depth). See chapter 9.
    """
    g = 2 if groups else 1
    return [
        Conv(96, 11, 4, 0, name="conv1"),
        Pool(3, 2, name="pool1"),
        Conv(256, 5, 1, 2, groups=g, name="conv2"),
        Pool(3, 2, name="pool2"),
        Conv(384, 3, 1, 1, name="conv3"),
        Conv(384, 3, 1, 1, groups=g, name="conv4"),
        Conv(256, 3, 1, 1, groups=g, name="conv5"),
        Pool(3, 2, name="pool5"),
        FC(4096, name="fc6"),
        FC(4096, name="fc7"),
        FC(1000, name="fc8"),
    ]


def receptive_field(
    kernels: Sequence[int],
    strides: Sequence[int] | None = None,
    dilations: Sequence[int] | None = None,
) -> int:
    r"""Receptive field (in input pixels, along one axis) of a stack of convolutions.

    .. math:: r_0 = 1, \qquad r_l = r_{l-1} + D_l (K_l - 1) \prod_{m<l} S_m

    Parameters
    ----------
    kernels : sequence of int
        :math:`K_l` of each layer, input side first.
    strides, dilations : sequence of int, optional
        :math:`S_l` and :math:`D_l` (default all 1; dilation 1 is the ordinary convolution,
        as PyTorch's ``dilation``).

    Returns
    -------
    int
        E.g. three 3×3 convs: 7; 3×3 with dilations 1, 2: 7.
    """
    n = len(kernels)
    strides = [1] * n if strides is None else list(strides)
    dilations = [1] * n if dilations is None else list(dilations)
    if len(strides) != n or len(dilations) != n:
        raise ValueError(
            f"strides and dilations must have one entry per kernel ({n}), "
            f"got {len(strides)} and {len(dilations)}"
        )
    field, jump = 1, 1
    for k, s, d in zip(kernels, strides, dilations, strict=True):
        k = check_positive_int(k, "kernels")
        s = check_positive_int(s, "strides")
        d = check_positive_int(d, "dilations")
        field += d * (k - 1) * jump
        jump *= s
    return field


def receptive_field_map(
    size: int, kernels: Sequence[int], dilations: Sequence[int] | None = None
) -> np.ndarray:
    r"""Which input pixels the centre neuron of the last layer sees, found by backprop.

    A stack of one-channel convolutions with all-ones ``kernels`` (stride 1, zero padding
    :math:`D(K-1)/2` so every layer keeps the ``size`` × ``size`` grid) is run forward on a
    blank image; a gradient of 1 at the centre output goes back through every layer
    (:func:`coursenn.nn.conv.fast.conv2d_backward`). The result counts the paths from each input
    pixel to that neuron: its non-zero square is the receptive field of
    :func:`receptive_field`, measured instead of computed.

    Returns
    -------
    ndarray, shape (size, size)
    """
    size = check_positive_int(size, "size")
    dilations = [1] * len(kernels) if dilations is None else list(dilations)
    if len(dilations) != len(kernels):
        raise ValueError(
            f"dilations must have one entry per kernel ({len(kernels)}), got {len(dilations)}"
        )
    x, caches = np.zeros((1, 1, size, size)), []
    for k, d in zip(kernels, dilations, strict=True):
        if (d * (k - 1)) % 2:
            raise ValueError(f"kernels must be odd to keep the grid (got kernel {k}, dilation {d})")
        x, cache = conv2d_forward(x, np.ones((1, 1, k, k)), np.zeros(1), 1, d * (k - 1) // 2, d)
        caches.append(cache)
    grad = np.zeros_like(x)
    grad[0, 0, size // 2, size // 2] = 1.0
    for cache in reversed(caches):
        grad, _, _ = conv2d_backward(grad, cache)
    return grad[0, 0]
