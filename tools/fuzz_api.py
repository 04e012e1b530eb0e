"""Feed coursenn's public API bad inputs and count what happens (issue 23).

Every entry point below is called once with valid arguments, then once per *mutation* of one
argument: wrong ndim or shape, empty batches, NaN/inf/1e308, lists, scalars, strings, None,
int/bool/complex/float32 dtypes, non-contiguous and read-only arrays, zero/negative/inf/NaN
sizes and rates, out-of-range labels, mismatched batches, ``rng=-1``, and lifecycle mistakes
(backward before forward, a cache from the wrong call, a dout of the wrong shape, a parameter
with no gradient, an empty training set, a scheduler without ``step``).

Each mutation says what a careful library should do with it:

``refuse``     invalid: must raise a clear error;
``accept``     a valid variant (a list, int or float32 data, a strided or read-only array):
               must work;
``either``     debatable (an empty batch, bool data): working or a clear error are both fine;
``propagate``  NaN/inf/huge *data*: arithmetic may carry it through to the output.

and each outcome is classified like the issue's table:

- **clear error**: ``TypeError``/``ValueError``/``RuntimeError`` (``ShapeError`` is a
  ``ValueError``) whose message names the argument (as a whole word);
- **valid or handled**: returned, and the mutation is not ``refuse``;
- **NaN/inf in, NaN/inf out**: a ``propagate`` mutation returned a non-finite result;
- **obscure error**: any other exception (``ZeroDivisionError``, ``AttributeError``,
  ``LinAlgError``, an unpacking error, or a message that does not name the argument);
- **silently accepted although invalid**: a ``refuse`` mutation returned normally;
- **valid input refused**: an ``accept`` mutation raised;
- **input mutated / global RNG touched / crash or hang**: an array argument changed, numpy's
  global random state moved, or the call raised a non-``Exception`` or ran over 10 s.

Run ``python tools/fuzz_api.py`` for the totals table (deterministic: no timings), ``--list
CATEGORY`` (e.g. ``--list obscure``) for the calls in one row, ``--entry NAME`` to fuzz
only the entry points whose name contains NAME.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import signal
import sys
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # each call runs in a forked child

import numpy as np  # noqa: E402

from coursenn import data, training
from coursenn.lab import perceptron, preprocessing, regularization
from coursenn.nn import activations, conv, engine, gradcheck, init, layers, losses, optim
from coursenn.nn.optim import schedules
from coursenn.nn.parameter import Parameter

CATEGORIES = {
    "clear": "clear error naming the argument / shape",
    "valid": "valid or handled",
    "nan": "NaN/inf in, NaN/inf out, no word",
    "obscure": "obscure error (numpy internals, ZeroDivisionError, AttributeError, ...)",
    "silent": "silently accepted although invalid",
    "refused": "valid input refused",
    "mutated": "input mutated",
    "rng": "numpy's global RNG touched",
    "crash": "crash or hang",
}
CLEAR_TYPES = (TypeError, ValueError, RuntimeError, ZeroDivisionError)
TIME_LIMIT = 10  # seconds per call


# --- mutations ----------------------------------------------------------------------------------


@dataclass
class Mutation:
    label: str
    value: Any
    expect: str  # "refuse", "accept", "either", "propagate"


class Later:
    """A value built at call time (fresh objects for each call, e.g. Parameters)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def _strided(a: np.ndarray) -> np.ndarray:
    """The same values as ``a`` in a non-contiguous view (every other element of a buffer)."""
    if a.ndim == 0:
        return a
    wide = np.zeros(a.shape[:-1] + (2 * a.shape[-1],))
    wide[..., ::2] = a
    return wide[..., ::2]


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a)
    a.flags.writeable = False
    return a


def _with(a: np.ndarray, value: float) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    if a.size:
        a.flat[0] = value
    return a


def array_mutations(
    a: np.ndarray,
    *,
    ndim_fixed: bool = True,
    last_fixed: bool = False,
    match: bool = False,
    batch: bool = True,
) -> list[Mutation]:
    """Mutations of a float data array ``a`` (valid as given)."""
    m = [
        Mutation("None", None, "refuse"),
        Mutation("string", "abc", "refuse"),
        Mutation("numeric strings", np.asarray(a).astype(str).tolist(), "refuse"),
        Mutation("complex dtype", np.asarray(a) + 1j, "refuse"),
        Mutation("object (dict)", {"a": 1}, "refuse"),
        Mutation("NaN", _with(a, np.nan), "propagate"),
        Mutation("inf", _with(a, np.inf), "propagate"),
        Mutation("1e308", _with(a, 1e308), "propagate"),
        Mutation("list", np.asarray(a).tolist(), "accept"),
        Mutation("int dtype", np.round(a).astype(np.int64), "accept"),
        Mutation("float32 dtype", np.asarray(a, dtype=np.float32), "accept"),
        Mutation("non-contiguous", _strided(np.asarray(a, dtype=np.float64)), "accept"),
        Mutation("read-only", _readonly(a), "accept"),
        Mutation("bool dtype", np.asarray(a) > 0, "either"),
    ]
    if ndim_fixed:
        m.append(Mutation("extra axis", np.asarray(a)[None], "refuse"))
        if a.ndim >= 1:
            m.append(Mutation("scalar", 1.0, "refuse"))
        if a.ndim >= 2:
            m.append(Mutation("flattened", np.asarray(a).reshape(-1), "refuse"))
    else:
        m.append(Mutation("scalar", 1.0, "either"))
    if last_fixed and a.ndim >= 2:
        m.append(Mutation("wrong last axis", np.asarray(a)[..., :-1], "refuse"))
    if match and a.ndim >= 1:
        m.append(Mutation("mismatched batch", np.asarray(a)[:-1], "refuse"))
        m.append(Mutation("broadcastable shape", np.asarray(a)[:1], "refuse"))
    if batch and a.ndim >= 1:
        m.append(Mutation("empty batch", np.asarray(a)[:0], "either"))
    return m


def label_mutations(y: np.ndarray, k: int) -> list[Mutation]:
    """Mutations of integer class labels ``y`` (N,) in [0, k)."""
    return [
        Mutation("None", None, "refuse"),
        Mutation("string", "abc", "refuse"),
        Mutation("label = K", np.r_[y[:-1], k], "refuse"),
        Mutation("label = -1", np.r_[y[:-1], -1], "refuse"),
        Mutation("float labels", y + 0.5, "refuse"),
        Mutation("bool labels", y > 0, "refuse"),
        Mutation("complex labels", y + 1j, "refuse"),
        Mutation("one-hot", np.eye(k)[y], "refuse"),
        Mutation("mismatched batch", y[:-1], "refuse"),
        Mutation("list", y.tolist(), "accept"),
        Mutation("int32", y.astype(np.int32), "accept"),
        Mutation("read-only", _readonly(y), "accept"),
    ]


def number_mutations(
    value: float,
    low: float,
    high: float = np.inf,
    *,
    low_open=False,
    high_open=False,
    integer=False,
) -> list[Mutation]:
    """Mutations of a hyperparameter ``value`` that must lie between ``low`` and ``high``."""
    m = [
        Mutation("NaN", np.nan, "refuse"),
        Mutation("inf", np.inf, "refuse"),
        Mutation("-inf", -np.inf, "refuse"),
        Mutation("None", None, "refuse"),
        Mutation("string", str(value), "refuse"),
        Mutation("complex", complex(value, 1), "refuse"),
        Mutation("array of two", np.array([value, value]), "refuse"),
        Mutation("bool True", True, "refuse"),
    ]
    if np.isfinite(low):
        m.append(Mutation("below range", low - 1 if low != 0 else -0.1, "refuse"))
        m.append(Mutation("lower bound", low, "refuse" if low_open else "accept"))
    if np.isfinite(high):
        m.append(Mutation("above range", high + 0.5, "refuse"))
        m.append(Mutation("upper bound", high, "refuse" if high_open else "accept"))
    if integer:
        m.append(Mutation("fractional", value + 0.5, "refuse"))
        m.append(Mutation("numpy int", np.int64(value), "accept"))
    else:
        m.append(Mutation("numpy float32", np.float32(value), "accept"))
        m.append(Mutation("1e308", 1e308, "either"))
    return m


def size_mutations(value: int, low: int = 1) -> list[Mutation]:
    return number_mutations(value, low, integer=True)


def rng_mutations() -> list[Mutation]:
    return [
        Mutation("rng=-1", -1, "refuse"),
        Mutation("rng=1.5", 1.5, "refuse"),
        Mutation("rng='seed'", "seed", "refuse"),
        Mutation("rng=True", True, "refuse"),
        Mutation("rng=RandomState", np.random.RandomState(0), "either"),
        Mutation("rng=None", None, "accept"),
        Mutation("rng=np.int64", np.int64(3), "accept"),
        Mutation("rng=Generator", Later(lambda: np.random.default_rng(1)), "accept"),
    ]


def object_mutations() -> list[Mutation]:
    return [
        Mutation("None", None, "refuse"),
        Mutation("object()", object(), "refuse"),
        Mutation("string", "abc", "refuse"),
    ]


# --- entry points -------------------------------------------------------------------------------


@dataclass
class Entry:
    name: str
    call: Callable[..., Any]
    valid: dict[str, Any]
    mutations: dict[str, list[Mutation]]
    scenarios: list[tuple[str, Callable[[], Any], str]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # argument -> name(s) in messages


RNG = np.random.default_rng(0)
X43 = RNG.normal(size=(4, 3))
Y4 = np.array([0, 2, 1, 1])
IMG = RNG.normal(size=(2, 1, 4, 4))
W2 = RNG.normal(size=(2, 1, 3, 3))
B2 = np.zeros(2)


def _params(*shapes):
    return Later(lambda: [Parameter(np.ones(s), f"p{i}") for i, s in enumerate(shapes)])


def elementwise_entries() -> list[Entry]:
    out = []
    with_parameters = {"leaky_relu", "elu", "prelu", "softmax", "log_softmax"}  # below
    for name in activations.__all__:
        if name.removesuffix("_grad") in with_parameters:
            continue
        out.append(
            Entry(
                f"activations.{name}",
                getattr(activations, name),
                {"x": X43},
                {"x": array_mutations(X43, ndim_fixed=False)},
            )
        )
    for name in ("leaky_relu", "leaky_relu_grad"):
        out.append(
            Entry(
                f"activations.{name}",
                getattr(activations, name),
                {"x": X43, "negative_slope": 0.01},
                {
                    "x": array_mutations(X43, ndim_fixed=False),
                    "negative_slope": number_mutations(0.01, 0.0),
                },
            )
        )
    for name in ("elu", "elu_grad"):
        out.append(
            Entry(
                f"activations.{name}",
                getattr(activations, name),
                {"x": X43, "alpha": 1.0},
                {"x": array_mutations(X43, ndim_fixed=False), "alpha": number_mutations(1.0, 0.0)},
            )
        )
    for name in ("prelu", "prelu_grad"):
        a = np.full(3, 0.25)
        out.append(
            Entry(
                f"activations.{name}",
                getattr(activations, name),
                {"x": X43, "a": a},
                {
                    "x": array_mutations(X43, ndim_fixed=False),
                    "a": [
                        Mutation("None", None, "refuse"),
                        Mutation("string", "abc", "refuse"),
                        Mutation("complex", a + 1j, "refuse"),
                        Mutation("NaN slope", np.nan, "propagate"),
                        Mutation("broadcasts x up (5,4,3)", np.ones((5, 4, 3)), "refuse"),
                        Mutation("wrong length (4,)", np.ones(4), "refuse"),
                        Mutation("scalar", 0.25, "accept"),
                        Mutation("list", a.tolist(), "accept"),
                    ],
                },
            )
        )
    for name in ("softmax", "log_softmax"):
        out.append(
            Entry(
                f"activations.{name}",
                getattr(activations, name),
                {"x": X43, "axis": -1},
                {
                    "x": array_mutations(X43, ndim_fixed=False),
                    "axis": [
                        Mutation("axis out of range", 5, "refuse"),
                        Mutation("axis float", 1.5, "refuse"),
                        Mutation("axis None", None, "refuse"),
                        Mutation("axis 0", 0, "accept"),
                    ],
                },
            )
        )
    return out


def loss_entries() -> list[Entry]:
    out = []
    for name in ("mse_loss", "mae_loss"):
        out.append(
            Entry(
                f"losses.{name}",
                getattr(losses, name),
                {"pred": X43, "target": X43 * 0},
                {
                    "pred": array_mutations(X43, ndim_fixed=False),
                    "target": array_mutations(X43 * 0, ndim_fixed=False, match=True),
                },
            )
        )
    t = (X43 > 0).astype(float)
    out.append(
        Entry(
            "losses.binary_cross_entropy_with_logits",
            losses.binary_cross_entropy_with_logits,
            {"logits": X43, "targets": t},
            {
                "logits": array_mutations(X43, ndim_fixed=False),
                "targets": array_mutations(t, ndim_fixed=False, match=True),
            },
        )
    )
    out.append(
        Entry(
            "losses.softmax_cross_entropy",
            losses.softmax_cross_entropy,
            {"logits": X43, "labels": Y4},
            {"logits": array_mutations(X43, last_fixed=False), "labels": label_mutations(Y4, 3)},
        )
    )
    out.append(
        Entry(
            "losses.multiclass_hinge_loss",
            losses.multiclass_hinge_loss,
            {"scores": X43, "labels": Y4, "margin": 1.0},
            {
                "scores": array_mutations(X43),
                "labels": label_mutations(Y4, 3),
                "margin": number_mutations(1.0, 0.0),
            },
        )
    )
    return out


def _layer_entries(name, make, x, dout_shape, *, any_shape=False, last_fixed=True) -> list[Entry]:
    """forward(x) and backward(dout) of a fresh layer; backward before forward."""
    dout = np.ones(dout_shape)

    def forward(x):
        return make().forward(x)

    def backward(dout):
        layer = make()
        layer.forward(x)
        return layer.backward(dout)

    return [
        Entry(
            f"{name}.forward",
            forward,
            {"x": x},
            {
                "x": array_mutations(
                    x, ndim_fixed=not any_shape, last_fixed=last_fixed and not any_shape
                )
            },
        ),
        Entry(
            f"{name}.backward",
            backward,
            {"dout": dout},
            {"dout": array_mutations(dout, last_fixed=True, match=True, batch=False)},
            scenarios=[
                (f"{name}.backward before forward", lambda: make().backward(dout), "forward")
            ],
        ),
    ]


def layer_entries() -> list[Entry]:
    out = []
    out += _layer_entries("Dense(3, 2)", lambda: layers.Dense(3, 2, rng=0), X43, (4, 2))
    for cls in (
        layers.Sigmoid,
        layers.Tanh,
        layers.ReLU,
        layers.Softplus,
        layers.LeakyReLU,
        layers.ELU,
    ):
        out += _layer_entries(f"{cls.__name__}()", cls, X43, (4, 3), any_shape=True)
    out += _layer_entries(
        "Dropout(0.5)", lambda: layers.Dropout(0.5, rng=0), X43, (4, 3), any_shape=True
    )
    out += _layer_entries("BatchNorm1d(3)", lambda: layers.BatchNorm1d(3), X43, (4, 3))
    out += _layer_entries("Flatten()", layers.Flatten, IMG, (2, 16), any_shape=True)
    out += _layer_entries("PReLU(3)", lambda: layers.PReLU(3), X43, (4, 3), any_shape=True)
    out += _layer_entries("Maxout(3, 2)", lambda: layers.Maxout(3, 2, rng=0), X43, (4, 2))
    out += _layer_entries(
        "Sequential(Dense, ReLU, Dense)",
        lambda: layers.Sequential(
            layers.Dense(3, 4, rng=0), layers.ReLU(), layers.Dense(4, 2, rng=1)
        ),
        X43,
        (4, 2),
    )
    out += _layer_entries(
        "Conv2D(1, 2, 3)", lambda: conv.Conv2D(1, 2, 3, rng=0), IMG, (2, 2, 2, 2), last_fixed=False
    )
    out += _layer_entries("MaxPool2D(2)", lambda: conv.MaxPool2D(2), IMG, (2, 1, 2, 2))
    out += _layer_entries("AvgPool2D(2)", lambda: conv.AvgPool2D(2), IMG, (2, 1, 2, 2))
    # constructors
    out.append(
        Entry(
            "Dense()",
            layers.Dense,
            {"in_features": 3, "out_features": 2, "rng": 0},
            {
                "in_features": size_mutations(3),
                "out_features": size_mutations(2),
                "rng": rng_mutations(),
            },
        )
    )
    out.append(
        Entry(
            "LeakyReLU()",
            layers.LeakyReLU,
            {"negative_slope": 0.01},
            {"negative_slope": number_mutations(0.01, 0.0)},
        )
    )
    out.append(Entry("ELU()", layers.ELU, {"alpha": 1.0}, {"alpha": number_mutations(1.0, 0.0)}))
    out.append(
        Entry(
            "Dropout()",
            layers.Dropout,
            {"keep_prob": 0.5, "rng": 0},
            {"keep_prob": number_mutations(0.5, 0.0, 1.0, low_open=True), "rng": rng_mutations()},
        )
    )
    out.append(
        Entry(
            "BatchNorm1d()",
            layers.BatchNorm1d,
            {"num_features": 3, "eps": 1e-5, "momentum": 0.1},
            {
                "num_features": size_mutations(3),
                "eps": number_mutations(1e-5, 0.0, low_open=True),
                "momentum": number_mutations(0.1, 0.0, 1.0),
            },
        )
    )
    out.append(
        Entry(
            "PReLU()",
            layers.PReLU,
            {"num_features": 3, "init": 0.25},
            {"num_features": size_mutations(3), "init": number_mutations(0.25, -np.inf)},
        )
    )
    out.append(
        Entry(
            "Maxout()",
            layers.Maxout,
            {"in_features": 3, "out_features": 2, "pieces": 2, "rng": 0},
            {"pieces": size_mutations(2), "rng": rng_mutations()},
        )
    )
    out.append(
        Entry(
            "Sequential()",
            lambda layers_: layers.Sequential(layers_),
            {"layers_": Later(layers.ReLU)},
            {"layers_": object_mutations()},
            aliases={"layers_": "layers"},
        )
    )
    out.append(
        Entry(
            "Conv2D()",
            conv.Conv2D,
            {
                "in_channels": 1,
                "out_channels": 2,
                "kernel_size": 3,
                "stride": 1,
                "padding": 0,
                "rng": 0,
            },
            {
                "kernel_size": size_mutations(3),
                "stride": size_mutations(1),
                "padding": size_mutations(0, 0),
                "rng": rng_mutations(),
            },
        )
    )
    out.append(
        Entry("MaxPool2D()", conv.MaxPool2D, {"kernel_size": 2}, {"kernel_size": size_mutations(2)})
    )
    return out


def conv_entries() -> list[Entry]:
    out = []
    for name in ("conv2d_naive", "conv2d_forward"):
        fn = getattr(conv, name)
        out.append(
            Entry(
                f"conv.{name}",
                fn,
                {"x": IMG, "W": W2, "b": B2, "stride": 1, "padding": 0},
                {
                    "x": array_mutations(IMG),
                    "W": array_mutations(W2, batch=False),
                    "b": array_mutations(B2, match=True, batch=False),
                    "stride": size_mutations(1),
                    "padding": size_mutations(0, 0),
                },
            )
        )
    for name in ("maxpool2d_naive", "avgpool2d_naive", "maxpool2d_forward", "avgpool2d_forward"):
        out.append(
            Entry(
                f"conv.{name}",
                getattr(conv, name),
                {"x": IMG, "kernel_size": 2},
                {"x": array_mutations(IMG), "kernel_size": size_mutations(2)},
            )
        )
    out.append(
        Entry(
            "conv.im2col",
            conv.im2col,
            {"x": IMG, "kernel_size": 3},
            {"x": array_mutations(IMG), "kernel_size": size_mutations(3)},
        )
    )
    cols = conv.im2col(IMG, 3)
    out.append(
        Entry(
            "conv.col2im",
            conv.col2im,
            {"cols": cols, "x_shape": IMG.shape, "kernel_size": 3},
            {
                "cols": array_mutations(cols, last_fixed=True, batch=False),
                "x_shape": object_mutations()
                + [
                    Mutation("3 dims", (2, 4, 4), "refuse"),
                    Mutation("zero size", (0, 1, 4, 4), "either"),
                ],
            },
        )
    )
    out.append(
        Entry(
            "conv.conv_output_size",
            conv.conv_output_size,
            {"size": 5, "kernel_size": 3, "stride": 1, "padding": 0},
            {
                "size": size_mutations(5, 3),
                "kernel_size": size_mutations(3),
                "stride": size_mutations(1),
                "padding": size_mutations(0, 0),
            },
        )
    )
    _, cache = conv.conv2d_forward(IMG, W2, B2)
    dout = np.ones((2, 2, 2, 2))
    out.append(
        Entry(
            "conv.conv2d_backward",
            conv.conv2d_backward,
            {"dout": dout, "cache": cache},
            {
                "dout": array_mutations(dout, last_fixed=True, match=True, batch=False),
                "cache": object_mutations()
                + [
                    Mutation(
                        "forward's output instead of cache",
                        conv.conv2d_forward(IMG, W2, B2)[0],
                        "refuse",
                    ),
                    Mutation("a pooling cache", conv.maxpool2d_forward(IMG, 2)[1], "refuse"),
                ],
            },
        )
    )
    _, pcache = conv.maxpool2d_forward(IMG, 2)
    pd = np.ones((2, 1, 2, 2))
    for name in ("maxpool2d_backward", "avgpool2d_backward"):
        c = pcache if name.startswith("max") else conv.avgpool2d_forward(IMG, 2)[1]
        out.append(
            Entry(
                f"conv.{name}",
                getattr(conv, name),
                {"dout": pd, "cache": c},
                {
                    "dout": array_mutations(pd, last_fixed=True, match=True, batch=False),
                    "cache": object_mutations() + [Mutation("a conv cache", cache, "refuse")],
                },
            )
        )
    # exported low-level helpers of conv.fast: a geometry larger than the array
    g_big = conv.geometry.Window(3, 3, 1, 1, 0, 0, 9, 9)
    for name in conv.fast.__all__:
        if name in ("window_view", "gather_windows", "tap_slices", "scatter_windows"):
            fn = getattr(conv.fast, name)
            if name == "tap_slices":
                continue  # returns slices, reads nothing
            args = {
                "window_view": {"x_pad": IMG, "g": conv.geometry.window_geometry(IMG.shape, 3)},
                "gather_windows": {"x": IMG, "g": conv.geometry.window_geometry(IMG.shape, 3)},
                "scatter_windows": {
                    "cols": conv.im2col(IMG, 3).reshape(9, 2, 4).transpose(1, 0, 2),
                    "x_shape": IMG.shape,
                    "g": conv.geometry.window_geometry(IMG.shape, 3),
                },
            }[name]
            out.append(
                Entry(
                    f"conv.fast.{name}",
                    fn,
                    args,
                    {
                        "g": [
                            Mutation("geometry larger than the array", g_big, "refuse"),
                            Mutation("None", None, "refuse"),
                        ]
                    },
                )
            )
    return out


def init_entries() -> list[Entry]:
    out = []
    for name in init.__all__:
        if name in ("fan_in_out", "get_initializer"):
            continue  # not initialisers: fan_in_out is called by them, get_initializer below
        out.append(
            Entry(
                f"init.{name}",
                getattr(init, name),
                {"shape": (4, 3), "rng": 0},
                {
                    "shape": [
                        Mutation("zero fan-in", (0, 4), "refuse"),
                        Mutation("negative", (-1, 3), "refuse"),
                        Mutation("3-D", (2, 3, 4), "either"),
                        Mutation("None", None, "refuse"),
                        Mutation("string", "abc", "refuse"),
                        Mutation("float sizes", (4.5, 3), "refuse"),
                        Mutation("int (not a tuple)", 4, "either"),
                        Mutation("list", [4, 3], "accept"),
                    ],
                    "rng": rng_mutations(),
                },
            )
        )
    out.append(
        Entry(
            "init.get_initializer",
            init.get_initializer,
            {"name": "he_normal"},
            {"name": object_mutations()},
            aliases={"name": "init"},
        )
    )
    return out


def _grad_params():
    def make():
        p = Parameter(np.ones((2, 2)), "W")
        p.grad = np.full((2, 2), 0.5)
        return [p]

    return Later(make)


def optim_entries() -> list[Entry]:
    out = []
    specs = {
        "SGD": {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.0},
        "Adagrad": {"lr": 0.1, "eps": 1e-10},
        "RMSprop": {"lr": 0.1, "alpha": 0.99, "eps": 1e-8},
        "Adam": {"lr": 0.1, "eps": 1e-8},
    }
    bounds = {
        "lr": (0.0, np.inf, False),
        "momentum": (0.0, np.inf, False),
        "weight_decay": (0.0, np.inf, False),
        "eps": (0.0, np.inf, False),
        "alpha": (0.0, 1.0, False),
    }
    for name, hyper in specs.items():
        cls = getattr(optim, name)

        def make_and_step(params, _cls=cls, **kw):
            opt = _cls(params, **kw)
            opt.step()
            return [p.data for p in opt.params]

        muts = {"params": object_mutations() + [Mutation("empty list", [], "refuse")]}
        for h, v in hyper.items():
            low, high, open_low = bounds[h]
            muts[h] = number_mutations(v, low, high, low_open=open_low)
        out.append(Entry(f"optim.{name}", make_and_step, {"params": _grad_params(), **hyper}, muts))

        def set_lr(lr, _cls=cls):
            opt = _cls(_grad_params().make(), lr=0.1)
            opt.lr = lr
            opt.step()
            return [p.data for p in opt.params]

        out.append(
            Entry(
                f"optim.{name}: opt.lr = ...; step()",
                set_lr,
                {"lr": 0.05},
                {
                    "lr": [
                        Mutation("lr = -0.1", -0.1, "refuse"),
                        Mutation("lr = nan", np.nan, "refuse"),
                        Mutation("lr = inf", np.inf, "refuse"),
                        Mutation("lr = 'a'", "a", "refuse"),
                    ]
                },
            )
        )

        def no_grad(_cls=cls):
            p = Parameter(np.ones(2), "W")
            opt = _cls([p], lr=0.1)
            p.grad = None
            opt.step()

        def wrong_grad(_cls=cls):
            p = Parameter(np.ones(2), "W")
            opt = _cls([p], lr=0.1)
            p.grad = np.ones(3)
            opt.step()

        out.append(
            Entry(
                f"optim.{name}.step lifecycle",
                lambda: None,
                {},
                {},
                scenarios=[
                    (f"optim.{name}.step with grad = None", no_grad, "grad"),
                    (f"optim.{name}.step with grad of the wrong shape", wrong_grad, "grad"),
                ],
            )
        )
    for name, arg, v, low in (
        ("StepLR", "gamma", 0.5, 0.0),
        ("ExponentialLR", "k", 0.1, 0.0),
        ("InverseTimeLR", "k", 0.1, 0.0),
    ):
        cls = getattr(schedules, name)
        extra = {"step_size": 2} if name == "StepLR" else {}

        def make_sched(optimizer, _cls=cls, **kw):
            s = _cls(optimizer, **kw)
            s.step()
            return optimizer.lr

        muts = {
            arg: number_mutations(v, low, low_open=name == "StepLR"),
            "optimizer": object_mutations(),
        }
        if extra:
            muts["step_size"] = size_mutations(2)
        out.append(
            Entry(
                f"schedules.{name}",
                make_sched,
                {
                    "optimizer": Later(lambda: optim.SGD(_grad_params().make(), lr=0.1)),
                    arg: v,
                    **extra,
                },
                muts,
            )
        )
    return out


def data_entries() -> list[Entry]:
    out = [
        Entry(
            "data.make_blobs",
            data.make_blobs,
            {"n_samples": 10, "std": 0.5, "rng": 0},
            {
                "n_samples": size_mutations(10),
                "std": number_mutations(0.5, 0.0, low_open=True),
                "rng": rng_mutations(),
            },
        ),
        Entry(
            "data.make_xor",
            data.make_xor,
            {"n_samples": 10, "noise": 0.3, "rng": 0},
            {
                "n_samples": size_mutations(10),
                "noise": number_mutations(0.3, 0.0),
                "rng": rng_mutations(),
            },
        ),
        Entry(
            "data.make_moons",
            data.make_moons,
            {"n_samples": 10, "noise": 0.1, "rng": 0},
            {
                "n_samples": size_mutations(10),
                "noise": number_mutations(0.1, 0.0),
                "rng": rng_mutations(),
            },
        ),
        Entry(
            "data.make_circles",
            data.make_circles,
            {"n_samples": 10, "noise": 0.1, "factor": 0.5, "rng": 0},
            {
                "noise": number_mutations(0.1, 0.0),
                "factor": number_mutations(0.5, 0.0, 1.0, low_open=True, high_open=True),
                "rng": rng_mutations(),
            },
        ),
        Entry(
            "data.make_spiral",
            data.make_spiral,
            {"n_samples": 12, "n_classes": 3, "noise": 0.2, "rng": 0},
            {
                "n_samples": size_mutations(12),
                "n_classes": size_mutations(3),
                "noise": number_mutations(0.2, 0.0),
                "rng": rng_mutations(),
            },
        ),
        Entry(
            "data.make_watermelon",
            data.make_watermelon,
            {"n_samples": 10, "rng": 0},
            {"n_samples": size_mutations(10, 2), "rng": rng_mutations()},
        ),
        Entry(
            "data.train_test_split",
            data.train_test_split,
            {"X": X43, "y": Y4, "test_size": 0.25, "rng": 0},
            {
                "X": array_mutations(X43, batch=False)[:5],
                "y": [
                    Mutation("mismatched batch", Y4[:-1], "refuse"),
                    Mutation("None", None, "refuse"),
                ],
                "test_size": [
                    Mutation("NaN", np.nan, "refuse"),
                    Mutation("1.5", 1.5, "refuse"),
                    Mutation("0", 0, "refuse"),
                    Mutation("string", "0.2", "refuse"),
                ],
                "rng": rng_mutations(),
            },
        ),
        Entry(
            "data.one_hot",
            data.one_hot,
            {"labels": Y4, "num_classes": 3},
            {
                "labels": label_mutations(Y4, 3)[:8] + [Mutation("list", Y4.tolist(), "accept")],
                "num_classes": [m for m in size_mutations(3, 3) if m.value is not None],
            },
        ),
        Entry(
            "data.load_digits",
            data.load_digits,
            {"test_size": 0.2, "rng": 0},
            {
                "test_size": [Mutation("NaN", np.nan, "refuse"), Mutation("0", 0, "refuse")],
                "rng": rng_mutations(),
            },
        ),
        Entry(
            "data.logic_gate",
            data.logic_gate,
            {"name": "AND"},
            {"name": object_mutations()[1:] + [Mutation("unknown", "XNOR", "refuse")]},
        ),
    ]
    return out


class _Model:
    """A tiny classifier for the training entries."""

    @staticmethod
    def make():
        return layers.Sequential(layers.Dense(3, 3, rng=0))


def training_entries() -> list[Entry]:
    def fit(X, y, **kw):
        model = _Model.make()
        opt = kw.pop("optimizer", None) or optim.SGD(model.parameters(), lr=0.1)
        return training.fit(model, losses.softmax_cross_entropy, opt, X, y, progress=False, **kw)

    fit_valid = {"X": X43, "y": Y4, "epochs": 1, "batch_size": 2, "rng": 0}

    def fit_scenarios():
        def empty():
            fit(X43[:0], Y4[:0], epochs=1, batch_size=2, rng=0)

        def bad_scheduler():
            fit(X43, Y4, epochs=3, batch_size=2, rng=0, scheduler=object())

        def bad_loss():
            model = _Model.make()
            training.fit(
                model,
                None,
                optim.SGD(model.parameters(), lr=0.1),
                X43,
                Y4,
                epochs=1,
                batch_size=2,
                rng=0,
                progress=False,
            )

        def label_out_of_range():
            fit(X43, np.array([0, 1, 2, 7]), epochs=1, batch_size=2, rng=0)

        return [
            ("fit on 0 samples", empty, "X"),
            ("fit(scheduler=object())", bad_scheduler, "scheduler"),
            ("fit(loss_fn=None)", bad_loss, "loss_fn"),
            ("fit with a label 7 for 3 classes", label_out_of_range, "labels"),
        ]

    return [
        Entry(
            "training.accuracy",
            training.accuracy,
            {"scores_or_predictions": X43, "y": Y4},
            {
                "scores_or_predictions": array_mutations(X43, batch=False)[:5],
                "y": label_mutations(Y4, 3),
            },
        ),
        Entry(
            "training.iterate_minibatches",
            lambda X, y, batch_size, rng: list(
                training.iterate_minibatches(X, y, batch_size, rng=rng)
            ),
            {"X": X43, "y": Y4, "batch_size": 2, "rng": 0},
            {
                "batch_size": size_mutations(2),
                "rng": rng_mutations(),
                "y": [Mutation("mismatched batch", Y4[:-1], "refuse")],
            },
        ),
        Entry(
            "training.fit",
            fit,
            fit_valid,
            {
                "X": array_mutations(X43, last_fixed=True)[:5]
                + [Mutation("empty batch", X43[:0], "refuse")],
                "y": label_mutations(Y4, 3)[:5] + [Mutation("mismatched batch", Y4[:-1], "refuse")],
                "epochs": size_mutations(1),
                "batch_size": size_mutations(2),
                "rng": rng_mutations(),
            },
            scenarios=fit_scenarios(),
            aliases={"y": "y|labels"},
        ),
    ]


def misc_entries() -> list[Entry]:
    V = engine.Value

    def value_scenarios():
        return [
            ("Value(1.0) / 0", lambda: V(1.0) / 0, "zero"),
            ("2 / Value(0.0)", lambda: 2 / V(0.0), "zero"),
            ("Value(0.0) ** -1", lambda: V(0.0) ** -1, "x|n"),
            ("Value(-1.0).log()", lambda: V(-1.0).log(), "log"),
            ("Value(1.0) + 'a'", lambda: V(1.0) + "a", "operand"),
        ]

    Xp = np.array([[1.0, 2.0], [2.0, 1.0], [-1.0, -2.0], [-2.0, -1.0]])
    yp = np.array([1.0, 1.0, -1.0, -1.0])
    return [
        Entry(
            "engine.Value",
            V,
            {"data": 1.0},
            {
                "data": [
                    Mutation("None", None, "refuse"),
                    Mutation("string", "1", "refuse"),
                    Mutation("complex", 1j, "refuse"),
                    Mutation("array", np.ones(2), "refuse"),
                    Mutation("numpy float", np.float64(2.0), "accept"),
                    Mutation("NaN", np.nan, "propagate"),
                    Mutation("int", 3, "accept"),
                ]
            },
            scenarios=value_scenarios(),
        ),
        Entry(
            "perceptron.train_perceptron",
            lambda X, y, epochs, lr, rng: perceptron.train_perceptron(
                X, y, epochs=epochs, lr=lr, rng=rng
            ),
            {"X": Xp, "y": yp, "epochs": 5, "lr": 1.0, "rng": 0},
            {
                "X": array_mutations(Xp, batch=False),
                "y": [
                    Mutation("0/1 labels", (yp > 0).astype(float), "refuse"),
                    Mutation("mismatched batch", yp[:-1], "refuse"),
                ],
                "epochs": size_mutations(5),
                "lr": number_mutations(1.0, 0.0, low_open=True),
                "rng": rng_mutations(),
            },
        ),
        Entry(
            "perceptron.perceptron_predict",
            perceptron.perceptron_predict,
            {"X": Xp, "w": np.ones(2), "b": 0.0},
            {
                "X": array_mutations(Xp, last_fixed=True),
                "w": array_mutations(np.ones(2), match=True, batch=False)[:8],
                "b": [
                    Mutation("None", None, "refuse"),
                    Mutation("string", "a", "refuse"),
                    Mutation("array", np.ones(4), "refuse"),
                ],
            },
        ),
        Entry(
            "preprocessing.Preprocessor.fit",
            lambda method, X, eps: preprocessing.Preprocessor(method, eps=eps).fit(X).mean_,
            {"method": "pca", "X": X43, "eps": 1e-5},
            {
                "method": object_mutations(),
                "X": array_mutations(X43, batch=False)[:8]
                + [Mutation("empty batch", X43[:0], "refuse")],
                "eps": number_mutations(1e-5, 0.0),
            },
        ),
        Entry(
            "Parameter",
            Parameter,
            {"data": X43},
            {"data": array_mutations(X43, ndim_fixed=False)[:5]},
        ),
        Entry(
            "gradcheck.numerical_gradient",
            lambda f, x, h: gradcheck.numerical_gradient(f, x, h),
            {"f": lambda z: float(np.sum(z**2)), "x": Later(lambda: np.ones(3)), "h": 1e-5},
            {"f": object_mutations()[:2], "h": number_mutations(1e-5, 0.0, low_open=True)},
        ),
        Entry(
            "gradcheck.rel_error",
            gradcheck.rel_error,
            {"a": X43, "b": X43 + 1e-9},
            {
                "a": array_mutations(X43, ndim_fixed=False)[:5],
                "b": array_mutations(X43, ndim_fixed=False, match=True)[-3:],
            },
        ),
        Entry(
            "regularization.L2",
            regularization.L2,
            {"lam": 0.1},
            {"lam": number_mutations(0.1, 0.0)},
        ),
        Entry(
            "regularization.max_norm",
            regularization.max_norm,
            {"W": X43, "c": 1.0},
            {
                "W": array_mutations(X43, ndim_fixed=False)[:5],
                "c": number_mutations(1.0, 0.0, low_open=True),
            },
        ),
    ]


def more_entries() -> list[Entry]:
    """The rest of the public functions: naive backward passes, geometry, schedules, helpers."""
    W, b = W2, B2
    out = [
        Entry(
            "conv.conv2d_naive_backward",
            conv.conv2d_naive_backward,
            {"dout": np.ones((2, 2, 2, 2)), "x": IMG, "W": W, "b": b},
            {
                "dout": array_mutations(
                    np.ones((2, 2, 2, 2)), last_fixed=True, match=True, batch=False
                ),
                "x": array_mutations(IMG, batch=False)[:5],
            },
        ),
    ]
    for name in ("maxpool2d_naive_backward", "avgpool2d_naive_backward"):
        d = np.ones((2, 1, 2, 2))
        out.append(
            Entry(
                f"conv.{name}",
                getattr(conv, name),
                {"dout": d, "x": IMG, "kernel_size": 2},
                {
                    "dout": array_mutations(d, last_fixed=True, match=True, batch=False),
                    "kernel_size": size_mutations(2)[:9],
                },
            )
        )
    out += [
        Entry("conv.fast.window_geometry", conv.fast.window_geometry,
              {"x_shape": IMG.shape, "kernel_size": 3, "stride": 1, "padding": 0},
              {"x_shape": object_mutations() + [Mutation("3 dims", (1, 4, 4), "refuse")],
               "kernel_size": size_mutations(3, 1)[:9], "stride": size_mutations(1)[:9]}),
        Entry("init.fan_in_out", init.fan_in_out, {"shape": (4, 3)},
              {"shape": [Mutation("None", None, "refuse"), Mutation("3-D", (2, 3, 4), "refuse"),
                         Mutation("zero", (0, 3), "refuse"), Mutation("string", "ab", "refuse")]}),
        Entry("optim.ReduceLROnPlateau",
              lambda optimizer, factor, patience, metric: optim.ReduceLROnPlateau(
                  optimizer, factor=factor, patience=patience).step(metric),
              {"optimizer": Later(lambda: optim.SGD(_grad_params().make(), lr=0.1)),
               "factor": 0.5, "patience": 1, "metric": 1.0},
              {"optimizer": object_mutations(),
               "factor": number_mutations(0.5, 0.0, 1.0, low_open=True, high_open=True),
               "patience": size_mutations(1, 0)[:9],
               "metric": [Mutation("None", None, "refuse"), Mutation("string", "1", "refuse"),
                          Mutation("NaN", np.nan, "refuse"), Mutation("inf", np.inf, "either")]}),
        Entry("optim.optimize_path",
              lambda x0, steps, grad_fn: optim.optimize_path(
                  lambda ps: optim.SGD(ps, lr=0.1), grad_fn, x0, steps),
              {"x0": np.ones(2), "steps": 3, "grad_fn": lambda x: 2 * x},
              {"x0": array_mutations(np.ones(2), batch=False)[:7],
               "steps": size_mutations(3)[:9],
               "grad_fn": [Mutation("None", None, "refuse"),
                           Mutation("wrong shape", lambda x: np.ones(3), "refuse"),
                           Mutation("returns a string", lambda x: "a", "refuse")]},
              aliases={"grad_fn": "grad_fn|optimizer_factory"}),
        Entry("gradcheck.numerical_gradient_array",
              lambda f, x, dout: gradcheck.numerical_gradient_array(f, x, dout),
              {"f": lambda z: z ** 2, "x": Later(lambda: np.ones(3)), "dout": np.ones(3)},
              {"f": object_mutations()[:2],
               "dout": array_mutations(np.ones(3), match=True, batch=False)[:5]}),
        Entry("gradcheck.verdict", gradcheck.verdict, {"error": 1e-8},
              {"error": [Mutation("None", None, "refuse"), Mutation("string", "a", "refuse"),
                         Mutation("negative", -1.0, "refuse"),
                         Mutation("NaN", np.nan, "either")]}),
        Entry("layers.count_parameters", layers.count_parameters, {"model": Later(layers.ReLU)},
              {"model": object_mutations()}),
        Entry("regularization.L1", regularization.L1, {"lam": 0.1},
              {"lam": number_mutations(0.1, 0.0)}),
        Entry("regularization.ElasticNet", regularization.ElasticNet, {"l1": 0.1, "l2": 0.1},
              {"l1": number_mutations(0.1, 0.0), "l2": number_mutations(0.1, 0.0)}),
        Entry("regularization.unit_norms", regularization.unit_norms, {"W": X43},
              {"W": array_mutations(X43, batch=False)[:5]
               + [Mutation("1-D", np.ones(3), "refuse")]}),
        Entry("training.layer_activations",
              lambda X: training.layer_activations(_Model.make(), X), {"X": X43},
              {"X": array_mutations(X43, last_fixed=True)[:5]}, aliases={"X": "X|x"}),
    ]  # fmt: skip
    return out


def all_entries() -> list[Entry]:
    return (
        elementwise_entries()
        + loss_entries()
        + layer_entries()
        + conv_entries()
        + init_entries()
        + optim_entries()
        + data_entries()
        + training_entries()
        + misc_entries()
        + more_entries()
    )


# --- running and classifying --------------------------------------------------------------------


def _materialise(value):
    return value.make() if isinstance(value, Later) else value


def _snapshot(args: dict) -> dict:
    return {k: np.array(v, copy=True) for k, v in args.items() if isinstance(v, np.ndarray)}


def _changed(args: dict, before: dict) -> bool:
    return any(
        not np.array_equal(args[k], v, equal_nan=v.dtype.kind in "fc") for k, v in before.items()
    )


def _nonfinite(result) -> bool:
    if isinstance(result, (tuple, list)):
        return any(_nonfinite(r) for r in result)
    if isinstance(result, (np.ndarray, float, np.floating)):
        arr = np.asarray(result)
        return arr.dtype.kind in "fc" and not np.all(np.isfinite(arr))
    if hasattr(result, "loss") and isinstance(result.loss, list):
        return _nonfinite(result.loss)
    return False


def _names(message: str, arg: str) -> bool:
    """Does ``message`` name ``arg`` (alternatives separated by ``|``) as a whole word?"""
    return any(re.search(rf"(?<![\w.]){re.escape(a)}(?!\w)", message) for a in arg.split("|"))


def _global_rng_state() -> tuple:
    """numpy's global Mersenne Twister: key, position, cached Gaussian. One draw moves the
    position; the key changes only every 624 draws, so the key alone would miss it."""
    _, key, position, has_gauss, gauss = np.random.get_state()  # noqa: NPY002 - watching it
    return key.copy(), position, has_gauss, gauss


def _same_rng_state(a: tuple, b: tuple) -> bool:
    return np.array_equal(a[0], b[0]) and a[1:] == b[1:]


def _classify(call, args: dict, arg: str, expect: str) -> tuple[str, str]:
    """Call ``call(**args)`` and classify the outcome; returns ``(category, detail)``."""
    args = {k: _materialise(v) for k, v in args.items()}
    before = _snapshot(args)
    rng_state = _global_rng_state()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                result = call(**args)
        error = None
    except Exception as exc:  # noqa: BLE001 - classifying everything is the point
        error = exc
    except BaseException as exc:  # noqa: BLE001
        return "crash", f"{type(exc).__name__}: {exc}"
    if not _same_rng_state(_global_rng_state(), rng_state):
        return "rng", ""
    if _changed(args, before):
        return "mutated", ""
    if error is not None:
        text = f"{type(error).__name__}: {error}"[:160]
        if expect == "accept":
            return "refused", text
        if isinstance(error, CLEAR_TYPES) and _names(str(error), arg):
            return "clear", text
        return "obscure", text
    if expect == "refuse":
        return "silent", "returned"
    if expect == "propagate" and _nonfinite(result):
        return "nan", ""
    return "valid", ""


def run_call(call, args: dict, arg: str, expect: str) -> tuple[str, str]:
    """:func:`_classify` in a forked child: a hang in C code (LAPACK) or a crash is caught."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            outcome = _classify(call, args, arg, expect)
        except BaseException as exc:  # noqa: BLE001
            outcome = ("crash", f"{type(exc).__name__}: {exc}")
        os.write(write_end, json.dumps(outcome).encode())
        os._exit(0)
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], TIME_LIMIT)
    if not ready:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_end)
        return "crash", f"hung (> {TIME_LIMIT} s)"
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return "crash", f"the process died (status {status})"
    category, detail = json.loads(b"".join(chunks))
    return category, detail


def fuzz(entries: list[Entry]):
    """Yield ``(entry name, argument, mutation label, category, detail)`` for every call."""
    for entry in entries:
        if entry.valid or not entry.scenarios:
            category, detail = run_call(entry.call, dict(entry.valid), "", "accept")
            yield entry.name, "", "valid call", category, detail
        for arg, mutations in entry.mutations.items():
            for m in mutations:
                args = dict(entry.valid)
                args[arg] = m.value
                named = entry.aliases.get(arg, arg)
                category, detail = run_call(entry.call, args, named, m.expect)
                yield entry.name, arg, m.label, category, detail
        for label, fn, arg in entry.scenarios:
            category, detail = run_call(lambda _fn=fn: _fn(), {}, arg, "refuse")
            yield entry.name, arg, label, category, detail


FUZZED_MODULES = (activations, losses, layers, conv, conv.fast, init, optim, schedules,
                  data, training, engine, perceptron, preprocessing, gradcheck,
                  regularization)  # fmt: skip


def not_fuzzed(entries: list[Entry]) -> list[str]:
    """Public names of the fuzzed modules that no entry point's name mentions."""
    labels = " ".join(e.name for e in entries)
    return sorted(
        f"{module.__name__.removeprefix('coursenn.')}.{name}"
        for module in FUZZED_MODULES
        for name in module.__all__
        if not re.search(rf"(?<![\w]){re.escape(name)}(?!\w)", labels)
        and isinstance(getattr(module, name), type(main) | type)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", choices=sorted(CATEGORIES), help="print the calls in a row")
    parser.add_argument("--entry", default="", help="only entry points whose name contains this")
    args = parser.parse_args(argv)
    entries = [e for e in all_entries() if args.entry in e.name]
    counts: Counter[str] = Counter()
    sites: dict[str, set[str]] = {c: set() for c in CATEGORIES}
    bad_valid = []
    for name, arg, label, category, detail in fuzz(entries):
        if label == "valid call" and category != "valid":
            bad_valid.append(f"{name}: {category} {detail}")
            continue
        if label == "valid call":
            continue
        counts[category] += 1
        sites[category].add(f"{name}({arg})")
        if args.list == category:
            print(f"{name:45s} {arg:22s} {label:34s} {detail}")
    if args.list:
        return 0
    total = sum(counts.values())
    print(f"coursenn fuzzer: {len(entries)} entry points, {total} bad calls\n")
    print("| result | calls | sites |")
    print("|---|---:|---:|")
    for key, title in CATEGORIES.items():
        print(f"| {title} | {counts[key]} | {len(sites[key])} |")
    if not args.entry:
        print(f"\npublic functions and classes not fuzzed: {', '.join(not_fuzzed(entries))}")
    for line in bad_valid:
        print(f"\nWARNING: the valid call failed: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
