r"""The ``Optimizer`` base class: what every update rule shares, and ``OptimizerWrapper``.

After ``backward`` has written every ``p.grad``, ``step()`` changes every ``p.data`` **in
place** (the array object stays the same, so the layers see the new values) and
``zero_grad()`` sets every ``p.grad`` to zeros. What an optimizer remembers between steps
lives in ``optimizer.state``, a dict keyed by ``id(p)`` (never on the layers), under
PyTorch's names: ``momentum_buffer``, ``sum``, ``square_avg``, ``exp_avg``, ``exp_avg_sq``,
``step``. Each update is the one ``torch.optim`` computes with the same hyperparameters and
its defaults (``dampening=0``, no ``amsgrad``, RMSprop ``centered=False, momentum=0``,
Adagrad ``lr_decay=0, initial_accumulator_value=0``), written as in PyTorch's documented
pseudo-code, so results agree up to floating-point rounding.

In place, in cache-sized blocks
-------------------------------
``step()`` allocates nothing per step: every update writes through ``out=`` into the
parameter, its state arrays (created once, then changed in place: copy them to keep a
history) and two scratch blocks. Large parameters are updated in flat blocks of
``BLOCK`` elements, so that the handful of arrays an update touches stays in the CPU cache
between its operations. The arithmetic is the formula's, operation by operation, so the
numbers are the same as the plain NumPy expressions in the docstrings, with one exception:
Adam folds its two bias corrections into scalars (as PyTorch does), which is the same
formula with different rounding, within a few units in the last place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from ..._checks import (
    ShapeError,
    check_method,
    check_number,
)
from ..parameter import Parameter

__all__ = ["Optimizer", "OptimizerWrapper", "BLOCK"]


BLOCK = 1 << 15  # elements per block: a few float64 blocks of 256 KiB fit a core's L2 cache


class Optimizer:
    """Base class: holds the parameters, the learning rate ``lr`` and the per-parameter state.

    A subclass only writes ``_update(p, state)``, the rule for one parameter.

    Parameters
    ----------
    params : iterable of Parameter
        For example ``model.parameters()``. Materialised to the list ``self.params``.
    lr : float
        Learning rate, >= 0. A plain attribute: schedules (or you) may change it between steps.
    """

    _hyperparameters: tuple[str, ...] = ("lr",)

    def __init__(self, params: Iterable[Parameter], lr: float) -> None:
        try:
            params = list(params)
        except TypeError:
            raise TypeError(
                f"params must be an iterable of Parameter (e.g. model.parameters()), "
                f"got {type(params).__name__}"
            ) from None
        if not params:
            raise ValueError("params must hold at least one Parameter, got an empty list")
        for i, p in enumerate(params):
            if not isinstance(p, Parameter):
                raise TypeError(f"params[{i}] must be a Parameter, got {type(p).__name__}")
        if len({id(p) for p in params}) != len(params):
            raise ValueError("params must not hold the same Parameter twice")
        self.params: list[Parameter] = params
        self.lr = lr
        self.state: dict[int, dict] = {}
        self._scratch = np.empty((2, min(BLOCK, max(p.size for p in params))))  # see _blocks

    @property
    def lr(self) -> float:
        """The learning rate, a finite number >= 0, checked whenever it is set."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_number(value, "lr", 0.0)

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to zeros (call it before each ``backward``)."""
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        """Update every ``p.data`` in place from ``p.grad`` (one optimisation step)."""
        for p in self.params:
            if not isinstance(p.grad, np.ndarray):
                raise TypeError(
                    f"grad of {p!r} must be an array like its data, got "
                    f"{type(p.grad).__name__}: run backward (which writes every .grad) "
                    "before step()"
                )
            if p.grad.shape != p.data.shape:
                raise ShapeError(
                    f"grad of {p!r} must have shape {p.data.shape} like its data, "
                    f"got {p.grad.shape}"
                )
            self._update(p, self.state.setdefault(id(p), {}))

    def _update(self, p: Parameter, state: dict) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define _update(p, state)")

    def _blocks(self, *arrays: np.ndarray) -> Iterable[tuple[np.ndarray, ...]]:
        """Matching blocks of same-shape arrays, after two scratch blocks of their size.

        Yields ``(s0, s1, block_0, block_1, ...)``; the blocks are views, so writing into
        them writes into ``arrays``. An array of at most ``BLOCK`` elements is one block;
        larger ones are cut into flat blocks of ``BLOCK`` elements (when they are not all
        C-contiguous, a flat view would be a copy: they come whole, with new scratch arrays).
        """
        shape, size = arrays[0].shape, arrays[0].size
        if size > BLOCK and all(a.flags.c_contiguous for a in arrays):
            return self._flat_blocks([a.reshape(-1) for a in arrays])
        if size > self._scratch.shape[1]:
            if size <= BLOCK:  # p.data was replaced by a larger array
                self._scratch = np.empty((2, size))
            else:
                return [(np.empty(shape), np.empty(shape), *arrays)]
        scratch = self._scratch[:, :size]
        return [(scratch[0].reshape(shape), scratch[1].reshape(shape), *arrays)]

    def _flat_blocks(self, flat: list[np.ndarray]) -> Iterator[tuple[np.ndarray, ...]]:
        size = flat[0].size
        for start in range(0, size, BLOCK):
            n = min(BLOCK, size - start)
            s0, s1 = self._scratch[0, :n], self._scratch[1, :n]
            yield (s0, s1, *(f[start : start + n] for f in flat))

    def _buffers(self, state: dict, p: Parameter, *names: str) -> list[np.ndarray]:
        """The state arrays ``names`` of ``p``, created as zeros on its first step."""
        for name in names:
            if name not in state:
                state[name] = np.zeros_like(p.data)
        return [state[name] for name in names]

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._hyperparameters)
        return f"{type(self).__name__}({args})"


class OptimizerWrapper:
    """An optimizer that wraps another one and changes what ``step()`` does around it.

    ``lr`` reads and writes the wrapped optimizer's (so schedules work on the wrapper),
    ``zero_grad()`` is the wrapped one's, and ``step()`` calls the wrapped ``step()``; a
    subclass adds its work before or after. See :class:`coursenn.lab.regularization.Regularized`
    and :class:`coursenn.lab.ensembles.ParameterAverage` (chapter 10).
    """

    def __init__(self, optimizer) -> None:
        check_method(optimizer, ("zero_grad", "step"), "optimizer")
        self.optimizer = optimizer

    @property
    def lr(self) -> float:
        return self.optimizer.lr

    @lr.setter
    def lr(self, value: float) -> None:
        self.optimizer.lr = value

    def zero_grad(self) -> None:
        self.optimizer.zero_grad()

    def step(self) -> None:
        self.optimizer.step()
