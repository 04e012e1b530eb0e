r"""A scalar autograd engine: every number remembers how it was computed.

A :class:`Value` holds one float ``data`` and its gradient ``grad``. Each operation returns
a new ``Value`` that keeps its parents (``_prev``), the name of the operation (``op``) and a
small closure ``_backward`` that applies the chain rule for that one gate:

.. math:: \frac{\partial L}{\partial \text{input}}
          \mathrel{+}= \frac{\partial\,\text{output}}{\partial \text{input}}
          \cdot \frac{\partial L}{\partial \text{output}}

(local gradient times upstream gradient). :meth:`Value.backward` visits the graph in
reverse topological order and calls every closure once. The design is Andrej Karpathy's
micrograd; see chapter 5 for the computational graphs this reproduces.

>>> x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
>>> f = (x + y) * z
>>> f.backward()
>>> f.data, x.grad, y.grad, z.grad
(-12.0, -4.0, -4.0, 3.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real

__all__ = ["Value"]


class Value:
    r"""A scalar in a computational graph, with its gradient.

    Parameters
    ----------
    data : float
        The forward value (any real number; stored as a Python float).
    label : str, optional
        A name shown by :func:`coursenn.plotting.draw_graph`; it may be set later.

    Attributes
    ----------
    data : float
        The forward value.
    grad : float
        :math:`\partial L / \partial\,\text{this value}` after ``L.backward()``; 0.0 before.
    label : str
        The display name.
    op : str
        The operation that produced this value (``"+"``, ``"*"``, ``"exp"``, ...); ``""``
        for a leaf (an input or a parameter).
    _prev : tuple of Value
        The operands of ``op``, in order (``(x, x)`` for ``x * x``); empty for a leaf.

    Notes
    -----
    Arithmetic mixes freely with ``int`` and ``float`` on either side; a number operand is
    wrapped in a leaf ``Value``. Subtraction, division and negation are built from the
    primitive gates: :math:`a - b = a + (-1)\,b`, :math:`a / b = a\,b^{-1}`.
    """

    def __init__(self, data: float, label: str = "", *, _prev: tuple = (), op: str = "") -> None:
        if not isinstance(data, Real):
            raise TypeError(f"data must be a real number, got {type(data).__name__}: {data!r}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.op = op
        self._prev = tuple(_prev)
        self._backward: Callable[[], None] = lambda: None  # a leaf has nothing to pass on

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data}, grad={self.grad}{name})"

    # -- the primitive gates --------------------------------------------------------------

    def __add__(self, other: Value | float) -> Value:
        """Add gate: hands the upstream gradient unchanged to both inputs."""
        other = _as_value(other, "+")
        out = Value(self.data + other.data, _prev=(self, other), op="+")

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        """Multiply gate: each input receives the *other* input's value times upstream."""
        other = _as_value(other, "*")
        out = Value(self.data * other.data, _prev=(self, other), op="*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def max(self, other: Value | float) -> Value:
        """Max gate: routes the whole upstream gradient to the larger input, 0 to the other.

        On a tie (``self.data == other.data``) the gradient goes to ``self``, the first
        operand, as Python's ``max`` returns its first argument on a tie.
        """
        other = _as_value(other, "max")
        self_wins = self.data >= other.data
        out = Value(max(self.data, other.data), _prev=(self, other), op="max")

        def _backward() -> None:
            if self_wins:
                self.grad += out.grad
            else:
                other.grad += out.grad

        out._backward = _backward
        return out

    def _unary(self, data: float, op: str, local_grad: float) -> Value:
        """A one-input gate whose local derivative at this point is ``local_grad``."""
        out = Value(data, _prev=(self,), op=op)

        def _backward() -> None:
            self.grad += local_grad * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: float) -> Value:
        r""":math:`x^n` for a number ``n``; :math:`\frac{d}{dx} x^n = n x^{n-1}` (1/x is n = -1)."""
        if not isinstance(exponent, Real):  # a Value exponent is not supported
            raise TypeError(
                f"exponent must be an int or float, got {type(exponent).__name__}: {exponent!r}"
            )
        x, n = self.data, float(exponent)
        if x < 0 and not n.is_integer():
            raise ValueError(f"x ** {exponent} needs an integer exponent for x < 0, got x = {x}")
        if x == 0 and n < 1:
            raise ValueError(f"x ** n at x = 0 needs n >= 1 (undefined derivative), got n = {n}")
        return self._unary(x**n, f"**{exponent:g}", n * x ** (n - 1))

    def exp(self) -> Value:
        r""":math:`e^x`, whose derivative is itself."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp overflows a float for data = {self.data} (> 709.78)"
            ) from None
        return self._unary(e, "exp", e)

    def log(self) -> Value:
        r"""Natural logarithm, :math:`\frac{d}{dx}\ln x = 1/x`; needs ``data > 0``."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive value, got data = {self.data}")
        return self._unary(math.log(self.data), "log", 1.0 / self.data)

    def tanh(self) -> Value:
        r""":math:`\tanh x`, with :math:`\tanh'(x) = 1 - \tanh^2 x`."""
        t = math.tanh(self.data)
        return self._unary(t, "tanh", 1.0 - t * t)

    def sigmoid(self) -> Value:
        r""":math:`\sigma(x) = 1/(1 + e^{-x})` as one gate, :math:`\sigma' = \sigma(1 - \sigma)`.

        With :math:`z = e^{-|x|}` (never overflows): :math:`\sigma = 1/(1 + z)` for
        :math:`x \ge 0`, :math:`z/(1 + z)` otherwise, and :math:`\sigma' = z/(1 + z)^2`, which
        keeps its digits where :math:`1 - \sigma` would round to 0.
        """
        z = math.exp(-abs(self.data))
        s = 1.0 / (1.0 + z) if self.data >= 0 else z / (1.0 + z)
        return self._unary(s, "sigmoid", z / (1.0 + z) ** 2)

    def relu(self) -> Value:
        r""":math:`\max(0, x)`; the derivative is taken as 0 at x = 0 (as in PyTorch)."""
        return self._unary(max(0.0, self.data), "relu", float(self.data > 0))

    # -- everything else is built from the gates above -------------------------------------

    def __neg__(self) -> Value:
        return self * -1

    def __sub__(self, other: Value | float) -> Value:
        return self + -_operand(other, "-")  # a number is negated before it becomes a leaf

    def __truediv__(self, other: Value | float) -> Value:
        return self * _divisor(other) ** -1

    def __radd__(self, other: float) -> Value:  # other + self
        return self + other

    def __rmul__(self, other: float) -> Value:  # other * self
        return self * other

    def __rsub__(self, other: float) -> Value:  # other - self
        return -self + _operand(other, "-")

    def __rtruediv__(self, other: float) -> Value:  # other / self
        return _divisor(self) ** -1 * _operand(other, "/")

    # -- backpropagation ------------------------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every value this one depends on (itself included), each after all its parents.

        An iterative depth-first search (no recursion, so chains of any depth work): a node
        is appended once all of its parents have been appended.
        """
        order: list[Value] = []
        visited: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))  # comes back after its parents
                stack.extend((p, False) for p in reversed(node._prev) if id(p) not in visited)
        return order

    def backward(self) -> None:
        r"""Fill ``grad`` of every value in the graph with :math:`\partial\,\text{self}/\partial v`.

        The gradients of intermediate values are recomputed from zero; the gradients of the
        leaves are *added to*, as in PyTorch: calling ``backward`` twice doubles them. Call
        :meth:`zero_grad` first to start again from zero.
        """
        order = self.topological_order()
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad += 1.0  # d self / d self
        for node in reversed(order):
            node._backward()

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on this value and on every value it depends on."""
        for node in self.topological_order():
            node.grad = 0.0


def _operand(x: Value | float, op: str) -> Value | float:
    """``x`` unchanged if it is a Value or a real number; a TypeError naming it otherwise."""
    if isinstance(x, (Value, Real)):
        return x
    raise TypeError(
        f"the other operand of {op!r} must be a Value or a number, got {type(x).__name__}: {x!r}"
    )


def _divisor(x: Value | float) -> Value | float:
    """``x`` as the right operand of ``/``; ``ZeroDivisionError`` in words if it is 0."""
    x = _operand(x, "/")
    if (x.data if isinstance(x, Value) else x) == 0:
        raise ZeroDivisionError(f"division by zero: the divisor {x!r} is 0 (a / b needs b != 0)")
    return x


def _as_value(x: Value | float, op: str) -> Value:
    """``x`` itself if it is a Value, a new leaf holding it if it is a number."""
    x = _operand(x, op)
    return x if isinstance(x, Value) else Value(x)
