r"""The convolution and pooling layers: ``Conv2D``, ``MaxPool2D``, ``AvgPool2D``.

Built on the im2col convolution (:mod:`coursenn.nn.conv.fast`) and the vectorised pooling
(:mod:`coursenn.nn.conv.pool`); same conventions as :mod:`coursenn.nn.layers`. See chapter 9.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..._checks import ShapeError, check_positive_int
from ..init import he_normal
from ..layers.base import Layer
from ..parameter import Parameter
from .fast import _conv2d_product, conv2d_backward
from .geometry import IntOrPair, as_pair, read_images, window_geometry
from .pool import avgpool2d_backward, avgpool2d_forward, maxpool2d_backward, maxpool2d_forward

__all__ = ["Conv2D", "MaxPool2D", "AvgPool2D"]


class Conv2D(Layer):
    r"""Convolution layer, ``(N, C, H, W) -> (N, F, OH, OW)`` (see :func:`.conv2d_forward`).

    Parameters
    ----------
    in_channels, out_channels : int
        :math:`C` and the number of filters :math:`F`.
    kernel_size : int or (int, int)
        :math:`(K_H, K_W)`.
    stride, padding : int or (int, int)
    dilation : int or (int, int), default 1
        Spacing of the kernel's taps (as PyTorch); a 3×3 kernel with dilation 2 sees 5×5.
    rng : Generator, int or None
        Randomness for the He-normal initialisation of ``W``:
        :math:`\mathcal N(0, 2 / (C K_H K_W))`; ``b`` starts at 0.

    ``W``: ``(F, C, KH, KW)``, ``b``: ``(F,)``; learnable scalars :math:`F(C K_H K_W + 1)`
    (AlexNet's first layer: :math:`96 \cdot (11 \cdot 11 \cdot 3 + 1) = 34944`).
    See chapter 9.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntOrPair,
        *,
        stride: IntOrPair = 1,
        padding: IntOrPair = 0,
        dilation: IntOrPair = 1,
        rng=None,
    ) -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kernel_size = as_pair(kernel_size, "kernel_size")
        self.stride = as_pair(stride, "stride")
        self.padding = as_pair(padding, "padding", allow_zero=True)
        self.dilation = as_pair(dilation, "dilation")
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.W = Parameter(he_normal(shape, rng=rng), "W")
        self.b = Parameter(np.zeros(self.out_channels), "b")

    def parameters(self) -> Iterator[Parameter]:
        yield self.W
        yield self.b

    def forward(self, x) -> np.ndarray:
        x = read_images(x)
        if x.shape[1] != self.in_channels:
            raise ShapeError(
                f"x must have shape (N, {self.in_channels}, H, W) for {self!r}, got {x.shape}"
            )
        g = window_geometry(x.shape, self.kernel_size, self.stride, self.padding, self.dilation)
        # x was checked just above and W, b are the layer's own float64 parameters: validated
        # once, the arrays go straight to the product (W copied: the cache must not change)
        out, self._cache = _conv2d_product(x, self.W.data.copy(), self.b.data, g)
        return out

    def backward(self, dout) -> np.ndarray:
        dx, self.W.grad, self.b.grad = conv2d_backward(dout, self._require_cache())
        return dx

    def backward_params(self, dout) -> None:
        """``backward`` without ``dx`` (no col2im): for a first layer, whose input is data."""
        _, self.W.grad, self.b.grad = conv2d_backward(dout, self._require_cache(), input_grad=False)

    def __repr__(self) -> str:
        return (
            f"Conv2D({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}"
            + (f", dilation={self.dilation})" if self.dilation != (1, 1) else ")")
        )


class _Pool2D(Layer):
    """Shared code of the pooling layers: no parameters, ``stride`` defaults to the kernel.

    A subclass names its pair of functions ``_forward`` (-> ``(out, cache)``) and ``_backward``.
    """

    def __init__(self, kernel_size: IntOrPair, stride: IntOrPair | None = None) -> None:
        super().__init__()
        self.kernel_size = as_pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else as_pair(stride, "stride")

    def forward(self, x) -> np.ndarray:
        out, self._cache = self._forward(x, self.kernel_size, self.stride)
        return out

    def backward(self, dout) -> np.ndarray:
        return self._backward(dout, self._require_cache())

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class MaxPool2D(_Pool2D):
    r"""Max pooling layer, ``(N, C, H, W) -> (N, C, OH, OW)`` (see :func:`maxpool2d_forward`).

    ``kernel_size`` and ``stride`` are ints or pairs; ``stride`` defaults to ``kernel_size``.
    No parameters. See chapter 9.
    """

    _forward = staticmethod(maxpool2d_forward)
    _backward = staticmethod(maxpool2d_backward)


class AvgPool2D(_Pool2D):
    r"""Average pooling layer, ``(N, C, H, W) -> (N, C, OH, OW)`` (see :func:`avgpool2d_forward`).

    ``kernel_size`` and ``stride`` are ints or pairs; ``stride`` defaults to ``kernel_size``.
    No parameters. See chapter 9.
    """

    _forward = staticmethod(avgpool2d_forward)
    _backward = staticmethod(avgpool2d_backward)
