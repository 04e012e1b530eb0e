r"""Convolution and pooling: a loop reference, the im2col version, and layers.

Images are ``(N, C, H, W)``, filters ``W`` are ``(F, C, KH, KW)`` and biases ``b`` are
``(F,)``, as in PyTorch. The "convolution" is a cross-correlation (no kernel flip), as in
PyTorch and the lecture:

.. math::
    \mathrm{out}[n, f, i, j] = b_f + \sum_{c, u, v}
        W[f, c, u, v]\; x_{\mathrm{pad}}[n, c, i S_H + u, j S_W + v]

with output size :math:`O = (I - K + 2P)/S + 1` (:func:`conv_output_size`). With a
``dilation`` :math:`D` (default 1, as PyTorch) the taps are :math:`D` pixels apart, ``x_pad[n,
c, i S_H + u D_H, j S_W + v D_W]``, and :math:`K` becomes :math:`D(K - 1) + 1` in the size.

Three ways to compute the same thing:

* ``*_naive`` functions: explicit loops over every output value, for reading and testing;
* ``conv2d_forward``/``conv2d_backward`` (:mod:`coursenn.nn.conv.fast`) and the pooling pairs
  (:mod:`coursenn.nn.conv.pool`), all re-exported here: :func:`im2col` turns all the windows into
  the columns of one matrix, so the convolution is one matrix product ``W_row @ X_col`` (the
  lecture's ``np.dot(W_row, X_col)``); pooling reduces over the kernel's taps; forward
  returns ``(out, cache)`` and backward takes ``(dout, cache)``;
* the layers :class:`Conv2D`, :class:`MaxPool2D`, :class:`AvgPool2D`, built on the second.

Pooling has no padding; its ``stride`` defaults to ``kernel_size`` (non-overlapping
windows). When several entries of a max-pooling window tie, the first one in row-major
order takes the gradient (as ``np.argmax``). See chapter 9.
"""

from . import naive
from .fast import col2im, conv2d_backward, conv2d_forward, im2col
from .geometry import conv_output_size
from .layers import AvgPool2D, Conv2D, MaxPool2D
from .naive import *  # noqa: F403 - the loop references (naive.__all__)
from .pool import avgpool2d_backward, avgpool2d_forward, maxpool2d_backward, maxpool2d_forward

__all__ = [
    "conv_output_size",
    "im2col",
    "col2im",
    *naive.__all__,
    "conv2d_forward",
    "conv2d_backward",
    "maxpool2d_forward",
    "maxpool2d_backward",
    "avgpool2d_forward",
    "avgpool2d_backward",
    "Conv2D",
    "MaxPool2D",
    "AvgPool2D",
]
