"""coursenn.plotting.backprop: partial backward passes, graph views, split graphs, FD errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from coursenn.nn.engine import Value
from coursenn.plotting.backprop import (
    draw_graph_split,
    gates,
    graph_view,
    partial_backward,
    plot_difference_errors,
)

pytestmark = pytest.mark.usefixtures("close_figures", "strict_drawing")


def neuron() -> tuple[Value, Value, list[Value]]:
    """The lecture's sigmoid neuron from primitive gates: (f, dot, leaves)."""
    leaves = [
        Value(2.0, "w0"),
        Value(-1.0, "x0"),
        Value(-3.0, "w1"),
        Value(-2.0, "x1"),
        Value(-3.0, "w2"),
    ]
    w0, x0, w1, x1, w2 = leaves
    dot = w0 * x0 + w1 * x1 + w2
    f = (1 + (-dot).exp()) ** -1
    return f, dot, leaves


def test_gates_are_listed_from_the_output_backwards():
    f, dot, _ = neuron()
    order = gates(f)
    assert len(order) == 8  # 2 mul, 2 add, *(-1), exp, +1, 1/x
    assert order[0] is f and [g.op for g in order[:4]] == ["**-1", "+", "exp", "*"]
    assert order.index(dot) == 4


def test_all_gates_give_the_gradients_of_backward():
    f, _, leaves = neuron()
    partial_backward(f, len(gates(f)))
    partial_grads = [v.grad for v in leaves]
    g, _, fresh = neuron()
    g.backward()
    assert partial_grads == pytest.approx([v.grad for v in fresh], abs=1e-15)
    # the lecture's printed input gradients (study notes 001)
    assert partial_grads[1] == pytest.approx(0.3932238664829637, abs=1e-12)


def test_partial_pass_fills_in_gradients_one_gate_at_a_time():
    f, dot, leaves = neuron()
    f.backward()  # stale gradients must be cleared
    ran = partial_backward(f, 0)
    assert ran == [] and f.grad == 1.0 and dot.grad == 0.0 and leaves[0].grad == 0.0
    ran = partial_backward(f, 4)  # 1/x, +1, exp, *(-1): dot now has its gradient
    assert [g.op for g in ran] == ["**-1", "+", "exp", "*"]
    s = 1 / (1 + np.exp(-1.0))
    assert dot.grad == pytest.approx(s * (1 - s))
    assert all(v.grad == 0.0 for v in leaves)
    partial_backward(f, 4)  # repeatable: starts again from zero each time
    assert dot.grad == pytest.approx(s * (1 - s))


def test_partial_backward_rejects_bad_step_counts():
    f, _, _ = neuron()
    with pytest.raises(ValueError, match=r"n_gates must be in \[0, 8\]"):
        partial_backward(f, 9)
    with pytest.raises(TypeError, match="n_gates must be an int"):
        partial_backward(f, 1.5)
    with pytest.raises(TypeError, match="root must be a coursenn.nn.engine.Value"):
        partial_backward(3.0, 1)


def test_graph_view_copies_values_and_cuts_the_graph():
    f, dot, leaves = neuron()
    dot.label = "dot"
    f.backward()
    view = graph_view(f, dot)
    assert view is not f and view.data == f.data and view.grad == f.grad
    nodes = view.topological_order()
    cut = [v for v in nodes if v.label == "dot"]
    assert not cut[0]._prev and cut[0].data == dot.data
    assert len(cut) == 1 and cut[0].grad == dot.grad
    assert not any(v.label in {"w0", "x0"} for v in nodes)  # above the cut: left out
    assert len(graph_view(f).topological_order()) == len(f.topological_order())
    with pytest.raises(ValueError, match="cut must be a value of root's graph"):
        graph_view(f, Value(1.0))


def test_split_drawing_has_two_rows_at_one_scale():
    f, dot, _ = neuron()
    dot.label = "dot"
    f.backward()
    fig, ax = plt.subplots()
    top, bottom = draw_graph_split(f, dot, ax=ax)
    assert top.get_position().y0 > bottom.get_position().y0
    assert np.ptp(top.get_xlim()) == pytest.approx(np.ptp(bottom.get_xlim()))
    top_text = [t.get_text() for t in top.texts]
    bottom_text = [t.get_text() for t in bottom.texts]
    assert "w0" in top_text and "w0" not in bottom_text
    assert top_text.count("dot") == 1 and bottom_text.count("dot") == 1
    assert "grad 0.1966" in bottom_text  # the cut node keeps its gradient
    assert not ax.axison


def test_difference_error_plot_skips_zeros_and_marks_a_step():
    hs = np.array([1e-1, 1e-2, 1e-3])
    fwd, ctr = np.array([1e-2, 1e-3, 0.0]), np.array([1e-3, 1e-5, 1e-7])
    ax = plot_difference_errors(hs, fwd, ctr, h_mark=1e-2)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert np.isnan(lines[0].get_ydata()[-1])
    marks = [ln for ln in lines if len(ln.get_xdata()) == 1]
    assert [m.get_ydata()[0] for m in marks] == pytest.approx([1e-3, 1e-5])
    with pytest.raises(ValueError, match="same length"):
        plot_difference_errors(hs, fwd[:2], ctr)
