"""The computational graph of a :class:`~coursenn.nn.engine.Value`, drawn like a circuit.

Values are boxes showing their label, forward value (green) and gradient (red); every
operation is a small circle between its inputs and its output, as in the lecture's
circuit figures. Matplotlib only (no graphviz). See chapter 5.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ..nn.engine import Value
from ._common import axes_or_new

__all__ = ["draw_graph"]

DATA_COLOR = "#1b7f3b"  # forward values: green
GRAD_COLOR = "#c0392b"  # gradients: red
_BOX_W, _BOX_H = 1.75, 0.95  # value box with three lines, in data units
_LINE = 0.27  # height of one line of text
_OP_R = 0.3  # radius of an operation circle
_X_STEP = 1.5  # horizontal distance between a column of values and the next column of ops
_Y_GAP = 1.3  # vertical distance between neighbours in a column
_INCH_PER_UNIT = 0.62  # figure size when draw_graph makes its own figure
_OP_SYMBOLS = {"*": "×", "sigmoid": "σ", "**-1": "1/x"}


def _layout(root: Value) -> tuple[dict, dict, dict]:
    """Column and height of every node, and the inputs of every op node.

    A node is a value (key ``id(v)``) or the op that made it (key ``("op", id(v))``).
    Values produced by an op sit one column right of the op, which sits one column right of
    its rightmost input; a leaf sits just left of the first op that uses it. Heights are
    set from the root leftwards: each node goes to the mean height its consumers want
    (see ``_input_offsets``), then the nodes of a column are pushed apart to at least
    ``_Y_GAP``.
    """
    order = root.topological_order()
    col: dict = {}
    inputs: dict = {}  # op key -> list of input value keys
    users: dict = {id(v): [] for v in order}  # value key -> [(op key, height offset)]
    for v in order:
        if v._prev:
            op = ("op", id(v))
            inputs[op] = [id(p) for p in v._prev]
            col[op] = max(col[id(p)] for p in v._prev) + 1
            col[id(v)] = col[op] + 1
            for p, offset in zip(v._prev, _input_offsets(v._prev), strict=True):
                users[id(p)].append((op, offset))
        else:
            col[id(v)] = 0
    for v in order:  # move each leaf next to the first op that uses it
        if not v._prev and users[id(v)]:
            col[id(v)] = min(col[op] for op, _ in users[id(v)]) - 1

    consumers = {op: [(op[1], 0.0)] for op in inputs} | users  # an op feeds its value
    rank = {key: n for n, key in enumerate(consumers)}  # ties: earlier in topological order
    height: dict = {id(root): 0.0}
    by_col: dict = {}
    for key in consumers:
        by_col.setdefault(col[key], []).append(key)
    for c in sorted(by_col, reverse=True):
        keys = [k for k in by_col[c] if k != id(root)]
        if not keys:
            continue
        wanted = {
            k: sum(height[u] + dy for u, dy in consumers[k]) / len(consumers[k]) for k in keys
        }
        keys.sort(key=lambda k: (-wanted[k], rank[k]))
        ys = [wanted[keys[0]]]
        for k in keys[1:]:
            ys.append(min(wanted[k], ys[-1] - _Y_GAP))
        shift = sum(wanted[k] - y for k, y in zip(keys, ys, strict=True)) / len(keys)
        height.update({k: y + shift for k, y in zip(keys, ys, strict=True)})
    return col, height, inputs


def _input_offsets(parents: tuple[Value, ...]) -> list[float]:
    """Heights of an op's inputs relative to the op: first input on top.

    When exactly one input is computed (not a leaf) it stays level with the op so the main
    chain of the graph is a straight line; otherwise the inputs are centred on the op.
    """
    computed = [i for i, p in enumerate(parents) if p._prev]
    middle = computed[0] if len(computed) == 1 else (len(parents) - 1) / 2
    return [(middle - i) * _Y_GAP for i in range(len(parents))]


def _op_text(op: str) -> str:
    if op in _OP_SYMBOLS:
        return _OP_SYMBOLS[op]
    if op.startswith("**"):
        return f"$x^{{{op[2:]}}}$"
    return op


def draw_graph(root: Value, ax: Axes | None = None, *, show_grad: bool = True) -> Axes:
    r"""Draw the computational graph that produced ``root``, inputs left, ``root`` right.

    Each value is a box with its label (if any), ``data`` in green and ``grad`` in red;
    each operation (``+``, ``×``, ``exp``, ``1/x``, ...) is a circle; arrows follow the
    forward pass. Call ``root.backward()`` first to see the gradients. The layout is
    deterministic. With ``ax=None`` the figure is sized to the graph so the text fits;
    graphs up to about 30 nodes stay readable.

    Parameters
    ----------
    root : Value
        The output of the computation (for example a loss).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when it is None.
    show_grad : bool, default True
        Also print every value's gradient.

    Returns
    -------
    Axes
        The Axes drawn on.

    See chapter 5.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a coursenn.nn.engine.Value, got {type(root).__name__}")
    col, height, inputs = _layout(root)
    x = {key: c * _X_STEP for key, c in col.items()}
    xmin, xmax = min(x.values()) - _BOX_W / 2 - 0.2, max(x.values()) + _BOX_W / 2 + 0.2
    ymin, ymax = min(height.values()) - _BOX_H / 2 - 0.2, max(height.values()) + _BOX_H / 2 + 0.2
    size = ((xmax - xmin) * _INCH_PER_UNIT, (ymax - ymin) * _INCH_PER_UNIT)
    ax = axes_or_new(ax, figsize=(min(max(size[0], 2.0), 20.0), min(max(size[1], 1.2), 16.0)))

    shapes = {}  # node key -> (centre, half width, half height, is a circle), for the arrows
    for v in root.topological_order():
        key, (cx, cy) = id(v), (x[id(v)], height[id(v)])
        lines = [(v.label, "black", "bold")] if v.label else []
        lines.append((f"data {v.data:.4f}", DATA_COLOR, "normal"))
        if show_grad:
            lines.append((f"grad {v.grad:.4f}", GRAD_COLOR, "normal"))
        h = _BOX_H - _LINE * (3 - len(lines))
        box = FancyBboxPatch(
            (cx - _BOX_W / 2, cy - h / 2),
            _BOX_W,
            h,
            facecolor="white",
            boxstyle="round,pad=0,rounding_size=0.12",
            edgecolor="0.35",
            zorder=2,
        )
        ax.add_patch(box)
        shapes[key] = ((cx, cy), _BOX_W / 2, h / 2, False)
        for n, (text, color, weight) in enumerate(lines):
            dy = ((len(lines) - 1) / 2 - n) * _LINE
            ax.text(
                cx,
                cy + dy,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color=color,
                fontweight=weight,
                zorder=3,
            )
        if v._prev:
            op = ("op", key)
            centre = (x[op], height[op])
            circle = Circle(centre, _OP_R, facecolor="#eef2f7", edgecolor="0.35", zorder=2)
            ax.add_patch(circle)
            shapes[op] = (centre, _OP_R, _OP_R, True)
            text = _op_text(v.op)
            ax.text(
                *centre,
                text,
                ha="center",
                va="center",
                fontsize=10 if len(text) <= 3 else 7,
                zorder=3,
            )

    for op, keys in inputs.items():
        for i, key in enumerate(keys):
            twin = keys.count(key)  # x * x: bend the two arrows apart
            rad = 0.0 if twin == 1 else (0.5 if keys.index(key) == i else -0.5)
            _arrow(ax, shapes[key], shapes[op], rad)
        _arrow(ax, shapes[op], shapes[op[1]], 0.0)

    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _arrow(ax: Axes, start: tuple, end: tuple, rad: float) -> None:
    """An arrow between two nodes given as ``shapes`` entries, from edge to edge."""
    ax.add_patch(
        FancyArrowPatch(
            posA=_edge_point(*start, towards=end[0]),
            posB=_edge_point(*end, towards=start[0]),
            arrowstyle="-|>",
            mutation_scale=10,
            shrinkA=0,
            shrinkB=0,
            connectionstyle=f"arc3,rad={rad}",
            color="0.3",
            linewidth=1.0,
            zorder=1,
        )
    )


def _edge_point(centre, half_w, half_h, is_circle, *, towards) -> tuple[float, float]:
    """Where the segment from ``centre`` to ``towards`` leaves the node's box or circle."""
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    if is_circle:
        t = half_w / math.hypot(dx, dy)
    else:
        t = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return centre[0] + t * dx, centre[1] + t * dy
