"""Where a coursenn step spends its time: the parts of bench_vs_torch.py's workloads.

    python bench/profile_steps.py            # medians of 31 repeats, one BLAS thread

For each workload the parts are timed one by one on the state a real step leaves (the
same shapes and data as ``bench/bench_vs_torch.py``; no PyTorch needed), with the share of
the whole step they take. For Adam it also prints the floor that NumPy sets: one pass of
``np.sqrt`` and one in-place ``+=`` over every parameter, since an update made of separate
ufuncs costs at least one sqrt and about a dozen such passes. A script, not a test: the
numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
from threadpoolctl import threadpool_limits

from coursenn.nn.conv import Conv2D, MaxPool2D
from coursenn.nn.conv.fast import gather_windows, scatter_windows
from coursenn.nn.conv.geometry import window_geometry
from coursenn.nn.layers import Dense, ReLU, Sequential
from coursenn.nn.losses import softmax_cross_entropy
from coursenn.nn.optim import SGD, Adam


def median_ms(fn: Callable[[], object], repeats: int, number: int = 5) -> float:
    """Median over ``repeats`` of the mean time of ``number`` calls, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times) * 1e3


def report(title: str, parts: dict[str, float], whole: float) -> None:
    print(f"\n{title}: whole step {whole:.3f} ms")
    for name, ms in parts.items():
        print(f"  {name:44s} {ms:8.3f} ms  {100 * ms / whole:5.1f} %")


def mlp(sizes: tuple[int, ...], batch: int, optimizer: str, repeats: int) -> None:
    rng = np.random.default_rng(0)
    layers = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(Dense(d_in, d_out, rng=i))
        if i < len(sizes) - 2:
            layers.append(ReLU())
    model = Sequential(*layers)
    X, y = rng.random((batch, sizes[0])), rng.integers(0, sizes[-1], size=batch)
    opt = SGD(model.parameters(), lr=0.01) if optimizer == "sgd" else Adam(model.parameters())

    def step():
        opt.zero_grad()
        _, dscores = softmax_cross_entropy(model.forward(X), y)
        model.backward(dscores, input_grad=False)
        opt.step()

    for _ in range(3):
        step()
    scores = model.forward(X)
    _, dscores = softmax_cross_entropy(scores, y)
    parts = {
        "zero_grad": median_ms(opt.zero_grad, repeats),
        "forward (matrix products, bias, ReLU)": median_ms(lambda: model.forward(X), repeats),
        "softmax cross-entropy": median_ms(lambda: softmax_cross_entropy(scores, y), repeats),
        "backward (no data gradient)": median_ms(
            lambda: model.backward(dscores, input_grad=False), repeats
        ),
        f"{type(opt).__name__}.step": median_ms(opt.step, repeats),
    }
    whole = median_ms(step, repeats)
    report(f"MLP {'-'.join(map(str, sizes))}, batch {batch}, {type(opt).__name__}", parts, whole)
    if optimizer == "adam":
        flat = np.abs(np.concatenate([p.data.ravel() for p in model.parameters()]))
        other = np.ones_like(flat)
        sqrt_ms = median_ms(lambda: np.sqrt(flat, out=other), repeats)
        add_ms = median_ms(lambda: np.add(other, flat, out=other), repeats)
        print(
            f"  NumPy floor over all {flat.size} parameters: one np.sqrt pass {sqrt_ms:.3f} ms "
            f"({100 * sqrt_ms / whole:.1f} %), one in-place += pass {add_ms:.3f} ms "
            f"({100 * add_ms / whole:.1f} %)"
        )


def conv(batch: int, repeats: int) -> None:
    rng = np.random.default_rng(0)
    layer = Conv2D(3, 16, 3, padding=1, rng=0)
    x = rng.random((batch, 3, 32, 32))
    dout = rng.random((batch, 16, 32, 32))
    g = window_geometry(x.shape, (3, 3), 1, 1, 1)
    cols = gather_windows(x, g)
    W_row = layer.W.data.reshape(16, -1)
    D = dout.reshape(batch, 16, -1)
    dcols = W_row.T @ D

    def step():
        layer.forward(x)
        layer.backward(dout)

    parts = {
        "gather the windows (im2col)": median_ms(lambda: gather_windows(x, g), repeats),
        "forward product W_row @ X_col, + b": median_ms(
            lambda: np.add(W_row @ cols, layer.b.data[:, None]), repeats
        ),
        "dW = sum_n D_n X_col,n^T": median_ms(
            lambda: (D @ cols.transpose(0, 2, 1)).sum(0), repeats
        ),
        "dX_col = W_row^T D": median_ms(lambda: W_row.T @ D, repeats),
        "scatter to dx (col2im, 9 strided +=)": median_ms(
            lambda: scatter_windows(dcols, x.shape, g), repeats
        ),
    }
    report(f"Conv2D 3->16 3x3 pad 1, x ({batch},3,32,32), fwd+bwd", parts, median_ms(step, repeats))


def pool(batch: int, repeats: int) -> None:
    layer = MaxPool2D(2)
    x = np.random.default_rng(0).random((batch, 16, 32, 32))
    dout = np.random.default_rng(1).random((batch, 16, 16, 16))
    layer.forward(x)
    parts = {
        "forward": median_ms(lambda: layer.forward(x), repeats),
        "backward": median_ms(lambda: layer.backward(dout), repeats),
    }
    whole = median_ms(lambda: (layer.forward(x), layer.backward(dout)), repeats)
    report(f"MaxPool2D 2x2, x ({batch},16,32,32), fwd+bwd", parts, whole)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=31)
    args = parser.parse_args()
    with threadpool_limits(limits=1):
        mlp((64, 128, 64, 10), 64, "sgd", args.repeats)
        mlp((784, 512, 256, 10), 128, "adam", args.repeats)
        conv(32, args.repeats)
        pool(32, args.repeats)


if __name__ == "__main__":
    main()
