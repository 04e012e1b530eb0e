"""coursenn.plotting.graph.draw_graph: the circuit picture of a Value graph."""

from __future__ import annotations

import itertools
from collections import Counter

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from coursenn.nn.engine import Value
from coursenn.plotting.graph import DATA_COLOR, GRAD_COLOR, draw_graph

pytestmark = pytest.mark.usefixtures("close_figures", "strict_drawing")


def sigmoid_neuron() -> Value:
    """The lecture's neuron 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))), built from primitive gates."""
    w = [Value(2.0, "w0"), Value(-3.0, "w1"), Value(-3.0, "w2")]
    x = [Value(-1.0, "x0"), Value(-2.0, "x1")]
    f = (1 + (-(w[0] * x[0] + w[1] * x[1] + w[2])).exp()) ** -1
    f.label = "f"
    f.backward()
    return f


def texts(ax: Axes, color: str | None = None) -> list[str]:
    return [t.get_text() for t in ax.texts if color is None or t.get_color() == color]


def test_returns_the_axes_it_was_given():
    fig, ax = plt.subplots()
    assert draw_graph(sigmoid_neuron(), ax=ax) is ax
    assert len(fig.axes) == 1


def test_makes_a_figure_sized_to_the_graph_when_ax_is_none():
    ax = draw_graph(sigmoid_neuron())
    assert isinstance(ax, Axes)
    width, height = ax.figure.get_size_inches()
    assert width > 2 * height  # a long chain is drawn wide


def test_one_data_text_and_one_grad_text_per_value_node():
    f = sigmoid_neuron()
    nodes = f.topological_order()
    ax = draw_graph(f)
    assert Counter(texts(ax, DATA_COLOR)) == Counter(f"data {v.data:.4f}" for v in nodes)
    assert Counter(texts(ax, GRAD_COLOR)) == Counter(f"grad {v.grad:.4f}" for v in nodes)
    assert "data 0.7311" in texts(ax) and "grad -0.5898" in texts(ax)  # f and x1, as in lecture
    for label in ["w0", "w1", "w2", "x0", "x1", "f"]:
        assert texts(ax).count(label) == 1


def test_show_grad_false_hides_the_gradients():
    ax = draw_graph(sigmoid_neuron(), show_grad=False)
    assert texts(ax, GRAD_COLOR) == []
    assert len(texts(ax, DATA_COLOR)) == 15


def test_op_nodes_are_circles_with_the_gate_names():
    f = sigmoid_neuron()
    ax = draw_graph(f)
    centres = [p.center for p in ax.patches if isinstance(p, Circle)]
    assert len(centres) == 8  # *, *, +, +, *(-1), exp, +1, 1/x
    op_texts = Counter(t.get_text() for t in ax.texts if tuple(t.get_position()) in centres)
    assert op_texts == Counter({"×": 3, "+": 3, "exp": 1, "1/x": 1})


def test_every_edge_is_an_arrow():
    f = sigmoid_neuron()
    ax = draw_graph(f)
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    ops = [v for v in f.topological_order() if v._prev]
    assert len(arrows) == sum(len(v._prev) for v in ops) + len(ops)  # inputs -> op -> output


def text_x(ax: Axes, content: str) -> float:
    (x,) = [t.get_position()[0] for t in ax.texts if t.get_text() == content]
    return x


def test_inputs_on_the_left_and_the_root_on_the_right():
    ax = draw_graph(sigmoid_neuron())
    root_x = text_x(ax, "f")
    for name in ["w0", "x0", "w1", "x1"]:
        assert text_x(ax, name) == min(t.get_position()[0] for t in ax.texts)
        assert text_x(ax, name) < text_x(ax, "w2") < root_x
    assert root_x == max(t.get_position()[0] for t in ax.texts)


def boxes_overlap(a, b) -> bool:
    return (
        a.get_x() < b.get_x() + b.get_width()
        and b.get_x() < a.get_x() + a.get_width()
        and a.get_y() < b.get_y() + b.get_height()
        and b.get_y() < a.get_y() + a.get_height()
    )


def two_sample_loss() -> Value:
    """About 30 value nodes: a shared tanh neuron on two samples and a squared error."""
    w1, w2, b = Value(0.5, "w1"), Value(-1.0, "w2"), Value(0.1, "b")
    loss = Value(0.0)
    for x1, x2, t in [(1.0, 2.0, 1.0), (-1.0, 0.5, -1.0)]:
        loss = loss + ((w1 * x1 + w2 * x2 + b).tanh() - t) ** 2
    loss.backward()
    return loss


@pytest.mark.parametrize("build", [sigmoid_neuron, two_sample_loss])
def test_no_two_nodes_overlap(build):
    ax = draw_graph(build())
    shapes = [p for p in ax.patches if isinstance(p, (FancyBboxPatch, Circle))]
    boxes = [p.get_window_extent() for p in shapes]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    value_boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    for a, b in itertools.combinations(value_boxes, 2):
        assert not boxes_overlap(a, b)


def test_layout_is_deterministic():
    first = draw_graph(two_sample_loss())
    second = draw_graph(two_sample_loss())
    assert [(t.get_text(), t.get_position()) for t in first.texts] == [
        (t.get_text(), t.get_position()) for t in second.texts
    ]


def test_a_single_leaf():
    ax = draw_graph(Value(3.0, "x"))
    assert texts(ax) == ["x", "data 3.0000", "grad 0.0000"]
    assert [type(p) for p in ax.patches] == [FancyBboxPatch]


def test_a_reused_node_gets_two_arrows():
    x = Value(3.0, "x")
    y = x * x
    y.backward()
    ax = draw_graph(y)
    assert "grad 6.0000" in texts(ax, GRAD_COLOR)
    assert sum(isinstance(p, FancyArrowPatch) for p in ax.patches) == 3


def test_root_must_be_a_value():
    with pytest.raises(TypeError, match=r"root must be a coursenn.nn.engine.Value, got float"):
        draw_graph(1.0)
