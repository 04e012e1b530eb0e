"""coursenn.nn.engine.Value: the lectures' worked examples, every gate against finite differences."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursenn.nn.engine import Value

# The lecture prints these for the sigmoid neuron (w = [2, -3, -3], x = [-1, -2]).
LECTURE_DX = [0.3932238664829637, -0.5898357997244456]
LECTURE_DW = [-0.19661193324148185, -0.3932238664829637, 0.19661193324148185]


# Functions that work on a Value (a gate of the graph) and on a float (for finite differences),
# so each test expression is written once.
def exp(v):
    return v.exp() if isinstance(v, Value) else math.exp(v)


def log(v):
    return v.log() if isinstance(v, Value) else math.log(v)


def tanh(v):
    return v.tanh() if isinstance(v, Value) else math.tanh(v)


def sigmoid(v):
    return v.sigmoid() if isinstance(v, Value) else 1.0 / (1.0 + math.exp(-v))


def relu(v):
    return v.relu() if isinstance(v, Value) else max(0.0, v)


def vmax(a, b):
    return a.max(b) if isinstance(a, Value) else max(a, b)


def backprop(expr, inputs):
    """Run ``expr`` on leaf Values made from ``inputs``; return (output data, input grads)."""
    leaves = [Value(x) for x in inputs]
    out = expr(*leaves)
    out.backward()
    return out.data, np.array([leaf.grad for leaf in leaves])


# (name, expression, inputs): every gate, number operands on either side, reuse, chains.
CASES = [
    ("add", lambda a, b: a + b, [1.5, -2.0]),
    ("mul", lambda a, b: a * b, [1.5, -2.0]),
    ("sub", lambda a, b: a - b, [1.5, -2.0]),
    ("div", lambda a, b: a / b, [1.5, -2.0]),
    ("neg", lambda a: -a, [0.7]),
    ("pow_int", lambda a: a**3, [-1.3]),
    ("pow_float", lambda a: a**2.5, [1.7]),
    ("reciprocal", lambda a: a**-1, [-0.8]),
    ("exp", lambda a: exp(a), [0.3]),
    ("log", lambda a: log(a), [2.5]),
    ("tanh", lambda a: tanh(a), [0.4]),
    ("sigmoid", lambda a: sigmoid(a), [-0.6]),
    ("relu_positive", lambda a: relu(a), [0.9]),
    ("relu_negative", lambda a: relu(a) + a, [-0.9]),
    ("max_first_wins", lambda a, b: vmax(a, b), [2.0, -1.0]),
    ("max_second_wins", lambda a, b: vmax(a, b), [-2.0, 1.0]),
    ("radd", lambda a: 3.0 + a, [0.5]),
    ("rmul", lambda a: 3.0 * a, [0.5]),
    ("rsub", lambda a: 3.0 - a, [0.5]),
    ("rtruediv", lambda a: 3.0 / a, [0.5]),
    ("number_operands", lambda a: (a + 2) * 4 - 1 / 2, [0.5]),
    ("reuse_square", lambda a: a * a, [-1.7]),
    ("reuse_many", lambda a, b: a * b + a * a + exp(a) * b, [0.6, -1.2]),
    ("chain", lambda a, b: log(sigmoid(tanh(a * b) + 1.0) * 2.0) ** 2, [0.8, -0.4]),
    ("neuron", lambda w, x, b: tanh(w * x + b), [0.5, -1.5, 0.3]),
    ("max_of_exprs", lambda a, b: vmax(a * b, a + b) * a, [1.5, 2.5]),
]


@pytest.mark.parametrize("expr, inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradient_matches_centred_finite_difference(expr, inputs, gradcheck):
    data, grads = backprop(expr, inputs)
    assert data == pytest.approx(expr(*inputs), rel=1e-12)
    x = np.array(inputs, dtype=np.float64)
    numeric = gradcheck.numerical(lambda arr: expr(*arr), x, h=1e-6)
    gradcheck.assert_close(grads, numeric, 1e-7)


def test_lecture_add_multiply_circuit():
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    f = (x + y) * z
    f.backward()
    assert (f.data, x.grad, y.grad, z.grad) == (-12.0, -4.0, -4.0, 3.0)


def sigmoid_neuron(w, x, *, primitive: bool):
    """f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))), with one sigmoid gate or the lecture's."""
    dot = w[0] * x[0] + w[1] * x[1] + w[2]
    return (1 + (-dot).exp()) ** -1 if primitive else dot.sigmoid()


@pytest.mark.parametrize("primitive", [False, True], ids=["sigmoid_gate", "primitive_gates"])
def test_lecture_sigmoid_neuron(primitive):
    w = [Value(2.0), Value(-3.0), Value(-3.0)]
    x = [Value(-1.0), Value(-2.0)]
    f = sigmoid_neuron(w, x, primitive=primitive)
    f.backward()
    assert f.data == pytest.approx(0.7310585786300049, rel=1e-14)
    assert round(f.data, 4) == 0.7311
    assert [v.grad for v in x] == pytest.approx(LECTURE_DX, rel=1e-12)
    assert [v.grad for v in w] == pytest.approx(LECTURE_DW, rel=1e-12)
    assert [round(v.grad, 4) for v in x + w] == [0.3932, -0.5898, -0.1966, -0.3932, 0.1966]


def test_sigmoid_gate_and_primitive_gates_agree_on_every_input():
    grads = []
    for primitive in (False, True):
        w = [Value(0.3), Value(-1.1), Value(0.4)]
        x = [Value(2.0), Value(0.5)]
        f = sigmoid_neuron(w, x, primitive=primitive)
        f.backward()
        grads.append([f.data] + [v.grad for v in w + x])
    assert grads[0] == pytest.approx(grads[1], rel=1e-12)


def test_primitive_neuron_uses_the_lecture_gates():
    w = [Value(2.0), Value(-3.0), Value(-3.0)]
    x = [Value(-1.0), Value(-2.0)]
    ops = [v.op for v in sigmoid_neuron(w, x, primitive=True).topological_order() if v.op]
    assert ops == ["*", "*", "+", "+", "*", "exp", "+", "**-1"]


def test_reused_node_accumulates_from_every_use():
    x = Value(3.0)
    y = x * x + x  # dy/dx = 2x + 1
    y.backward()
    assert x.grad == 7.0
    assert y.op == "+" and y._prev[0].op == "*" and y._prev[0]._prev == (x, x)


def test_backward_twice_adds_to_leaves_and_recomputes_the_rest():
    x, y = Value(-2.0), Value(5.0)
    q = x + y
    f = q * Value(-4.0)
    f.backward()
    f.backward()
    assert (x.grad, y.grad) == (-8.0, -8.0)  # leaves accumulate, as in PyTorch
    assert (f.grad, q.grad) == (1.0, -4.0)  # intermediate values hold one pass
    f.zero_grad()
    assert (x.grad, y.grad, q.grad, f.grad) == (0.0, 0.0, 0.0, 0.0)
    f.backward()
    assert (x.grad, y.grad) == (-4.0, -4.0)


def test_two_losses_sharing_a_leaf_sum_their_gradients():
    w = Value(2.0)
    (w * 3).backward()
    (w * w).backward()
    assert w.grad == 3.0 + 4.0


def test_deep_chain_of_10000_additions_has_no_recursion_error():
    x = Value(0.5)
    y = x
    for _ in range(10_000):
        y = y + 1.0
    y.backward()
    assert y.data == 10_000.5
    assert x.grad == 1.0


def test_deep_chain_of_multiplications_reusing_one_leaf():
    a = Value(1.0001)
    y = Value(1.0)
    for _ in range(10_000):
        y = y * a  # y = a ** 10000
    y.backward()
    assert a.grad == pytest.approx(10_000 * 1.0001**9_999, rel=1e-9)


def test_topological_order_lists_each_node_once_after_its_parents():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    e = d * c  # a diamond: c is used twice
    order = e.topological_order()
    assert len(order) == len({id(v) for v in order}) == 5
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        assert all(position[id(p)] < position[id(v)] for p in v._prev)
    assert order[-1] is e


def test_leaf_value_attributes_and_repr():
    v = Value(3, label="x")
    assert (v.data, v.grad, v.label, v.op, v._prev) == (3.0, 0.0, "x", "", ())
    assert isinstance(v.data, float)
    v.label = "renamed"
    assert v.label == "renamed"
    assert repr(Value(-12.0)) == "Value(data=-12.0, grad=0.0)"
    assert repr(v) == "Value(data=3.0, grad=0.0, label='renamed')"


def test_backward_on_a_leaf_sets_its_gradient_to_one():
    v = Value(4.0)
    v.backward()
    assert v.grad == 1.0


def test_max_gate_routes_gradient_to_larger_input_and_to_first_on_tie():
    a, b = Value(1.0), Value(1.0)
    out = a.max(b) * 5
    out.backward()
    assert (a.grad, b.grad) == (5.0, 0.0)
    c = Value(-3.0)
    m = c.max(0.0)
    m.backward()
    assert (m.data, c.grad) == (0.0, 0.0)


def test_relu_gradient_is_zero_at_zero():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


@pytest.mark.parametrize("x", [-1000.0, -40.0, 0.0, 40.0, 1000.0])
def test_sigmoid_is_stable_at_extreme_inputs(x):
    v = Value(x)
    s = v.sigmoid()
    s.backward()
    assert 0.0 <= s.data <= 1.0 and math.isfinite(v.grad)
    assert s.data == pytest.approx(1.0 / (1.0 + math.exp(-x)) if abs(x) < 700 else float(x > 0))


@pytest.mark.parametrize("data", [0.0, -1.5])
def test_log_of_non_positive_names_the_value(data):
    with pytest.raises(ValueError, match=rf"log needs a positive value, got data = {data}"):
        Value(data).log()


@pytest.mark.parametrize("exponent", [Value(2.0), "2", None])
def test_non_numeric_exponent_is_a_type_error_naming_it(exponent):
    name = type(exponent).__name__
    with pytest.raises(TypeError, match=rf"exponent must be an int or float, got {name}"):
        Value(3.0) ** exponent


def test_pow_outside_its_domain_is_a_value_error():
    with pytest.raises(ValueError, match=r"integer exponent for x < 0, got x = -2.0"):
        Value(-2.0) ** 0.5
    with pytest.raises(ValueError, match=r"x = 0 needs n >= 1.*got n = -1.0"):
        Value(0.0) ** -1
    assert (Value(-2.0) ** 2).data == 4.0


def test_exp_overflow_names_the_value():
    with pytest.raises(OverflowError, match=r"data = 1000.0"):
        Value(1000.0).exp()


@pytest.mark.parametrize(
    "operation, symbol",
    [
        (lambda v: v + "a", "+"),
        (lambda v: "a" + v, "+"),
        (lambda v: v * [1], "*"),
        (lambda v: v - None, "-"),
        (lambda v: None - v, "-"),
        (lambda v: v / "a", "/"),
        (lambda v: "a" / v, "/"),
        (lambda v: v.max("a"), "max"),
    ],
)
def test_non_number_operand_is_a_type_error_naming_it(operation, symbol):
    with pytest.raises(TypeError, match=rf"operand of '{re.escape(symbol)}' must be a Value"):
        operation(Value(1.0))


def test_non_number_data_is_a_type_error():
    with pytest.raises(TypeError, match=r"data must be a real number, got str: '1.0'"):
        Value("1.0")


# -- property tests on random inputs ---------------------------------------------------------

floats = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(a=floats, b=floats, x=floats)
def test_polynomial_gradient_is_its_derivative(a, b, x):
    xv = Value(x)
    p = a * xv * xv + b * xv - 1.0  # dp/dx = 2 a x + b
    p.backward()
    assert p.data == pytest.approx(a * x * x + b * x - 1.0, rel=1e-12, abs=1e-12)
    assert xv.grad == pytest.approx(2 * a * x + b, rel=1e-12, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(x=st.floats(min_value=-30.0, max_value=30.0))
def test_sigmoid_gate_equals_its_primitive_composition(x):
    gate, prim = Value(x), Value(x)
    s1, s2 = gate.sigmoid(), 1 / (1 + (-prim).exp())
    s1.backward()
    s2.backward()
    assert s1.data == pytest.approx(s2.data, rel=1e-12, abs=1e-300)
    assert gate.grad == pytest.approx(prim.grad, rel=1e-12, abs=1e-300)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # the gradcheck fixture is a stateless class
@given(x=floats, y=floats, z=floats)
def test_composite_expression_matches_finite_difference(x, y, z, gradcheck):
    def expr(a, b, c):
        return tanh(a * b + c) * sigmoid(c - a) + (a - b) ** 2 / (1.0 + exp(c))

    _, grads = backprop(expr, [x, y, z])
    numeric = gradcheck.numerical(lambda arr: expr(*arr), np.array([x, y, z]), h=1e-6)
    np.testing.assert_allclose(grads, numeric, rtol=1e-6, atol=1e-8)


@settings(max_examples=60, deadline=None)
@given(x=floats, y=floats)
def test_subtraction_and_division_gradients(x, y):
    a, b = Value(x), Value(y)
    (a - b).backward()
    assert (a.grad, b.grad) == (1.0, -1.0)
    d = Value(abs(y) + 0.5)
    q = x / d  # rtruediv: d(x/d)/dd = -x / d^2
    q.backward()
    assert d.grad == pytest.approx(-x / d.data**2, rel=1e-12, abs=1e-15)
