"""Reading array arguments without copying them (the hot paths of layers, losses, kernels).

:func:`coursenn._checks.as_array` always returns a new float64 array, which is right when a
function keeps its input or changes it. A function that only *reads* its input (and returns
new arrays) can skip that copy: :func:`read_array` returns a float64 ``ndarray`` as it is and
sends everything else through ``as_array`` and its error messages.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array

__all__ = ["read_array"]


def read_array(x, name: str) -> np.ndarray:
    """``x`` as a float64 array for reading only: ``x`` itself when it already is one.

    The caller must not modify the result (it may be the caller's array) and must not keep it
    beyond the call unless it documents that it keeps a reference.
    """
    if type(x) is np.ndarray and x.dtype == np.float64:
        return x
    return as_array(x, name)
