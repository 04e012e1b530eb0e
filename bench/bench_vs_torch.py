"""coursenn against PyTorch-CPU on the course's workloads, side by side in one process.

Run from the repository root (PyTorch is optional for the package; install it for this
script only, ``pip install -r bench/requirements.txt``)::

    python bench/bench_vs_torch.py                 # the five workloads, 15 repeats each
    python bench/bench_vs_torch.py --repeats 31 --sweep    # and the ratio vs batch size
    python bench/bench_vs_torch.py --only conv pool        # some workloads only

Both libraries run the same shapes in float64 on one thread (``threadpoolctl`` limits
numpy's BLAS, ``torch.set_num_threads(1)``) from the same weights. Before anything is
timed, each workload is run once in both libraries and the outputs, the loss, every
gradient and the updated parameters must agree (``rtol`` 1e-9); otherwise the script stops.
The training steps (the MLPs, the digits epoch) compute no gradient for the data in
either library, as in a training loop: ``model.backward(dscores, input_grad=False)`` and a
torch input without ``requires_grad``; ``--input-grad`` computes it in both. Then the two
are timed in interleaved repeats (coursenn, torch, coursenn, torch, ...), each
repeat the mean of ``--number`` calls, and the medians are printed with their ratio
``coursenn / torch`` (below 1 means coursenn is faster). A script, not a test: timings
depend on the machine and the load, and are never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - a message, not a crash
    sys.exit("bench_vs_torch.py needs PyTorch: pip install -r bench/requirements.txt")
from threadpoolctl import threadpool_limits

from coursenn.data import load_digits
from coursenn.nn.conv import Conv2D, MaxPool2D
from coursenn.nn.layers import Dense, Flatten, ReLU, Sequential
from coursenn.nn.losses import softmax_cross_entropy
from coursenn.nn.optim import SGD, Adam

RTOL = 1e-9
ATOL = 1e-12


@dataclass
class Workload:
    """One benchmark: a coursenn step, a torch step, and the check that they agree."""

    name: str
    coursenn: Callable[[], object]
    torch: Callable[[], object]
    check: Callable[[], None]
    number: int = 1  # calls per timed repeat (short steps need several)


def _close(a, b, what: str) -> None:
    b = b.detach().numpy() if isinstance(b, torch.Tensor) else np.asarray(b)
    if not np.allclose(a, b, rtol=RTOL, atol=ATOL):
        worst = np.max(np.abs(np.asarray(a) - b))
        sys.exit(f"coursenn and torch disagree on {what} (max deviation {worst:.3g}): not timing")


# --- MLP steps --------------------------------------------------------------------------------


def _mlp_pair(sizes: tuple[int, ...], seed: int):
    """A coursenn ReLU MLP and a torch copy of it with the same weights."""
    layers, torch_layers = [], []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        dense = Dense(d_in, d_out, rng=seed + i)
        dense.b.data[...] = np.random.default_rng(seed + 100 + i).normal(scale=0.1, size=d_out)
        linear = torch.nn.Linear(d_in, d_out, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(dense.W.data.T.copy()))
            linear.bias.copy_(torch.from_numpy(dense.b.data.copy()))
        layers.append(dense)
        torch_layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(ReLU())
            torch_layers.append(torch.nn.ReLU())
    return Sequential(*layers), torch.nn.Sequential(*torch_layers)


def _torch_dense_view(model: torch.nn.Sequential, attr: str) -> list[torch.Tensor]:
    """Weights (transposed to coursenn's (D_in, D_out)) and biases, or their gradients."""
    out = []
    for m in model:
        if isinstance(m, torch.nn.Linear):
            w, b = (m.weight, m.bias) if attr == "data" else (m.weight.grad, m.bias.grad)
            out += [w.T, b]
    return out


INPUT_GRAD = False  # set by --input-grad: also the gradient with respect to the data


def mlp_workload(name, sizes, batch, optimizer: str, seed: int = 0) -> Workload:
    rng = np.random.default_rng(seed)
    X = rng.random((batch, sizes[0]))
    y = rng.integers(0, sizes[-1], size=batch)
    Xt, yt = torch.from_numpy(X).requires_grad_(INPUT_GRAD), torch.from_numpy(y)
    model, tmodel = _mlp_pair(sizes, seed)
    if optimizer == "sgd":
        opt = SGD(model.parameters(), lr=0.01)
        topt = torch.optim.SGD(tmodel.parameters(), lr=0.01)
    else:
        opt = Adam(model.parameters(), lr=1e-3)
        topt = torch.optim.Adam(tmodel.parameters(), lr=1e-3)

    def cn_step():
        opt.zero_grad()
        loss, dscores = softmax_cross_entropy(model.forward(X), y)
        model.backward(dscores, input_grad=INPUT_GRAD)
        opt.step()
        return loss

    def torch_step():
        topt.zero_grad()
        Xt.grad = None
        loss = F.cross_entropy(tmodel(Xt), yt)
        loss.backward()
        topt.step()
        return loss

    def check():
        for _ in range(2):  # two steps: Adam's second step uses its state
            loss, tloss = cn_step(), torch_step()
            _close(loss, tloss, f"{name}: loss")
            for p, g in zip(model.parameters(), _torch_dense_view(tmodel, "grad"), strict=True):
                _close(p.grad, g, f"{name}: gradient of {p.name}")
            for p, d in zip(model.parameters(), _torch_dense_view(tmodel, "data"), strict=True):
                _close(p.data, d, f"{name}: updated {p.name}")

    return Workload(name, cn_step, torch_step, check, number=20 if batch * sizes[0] < 10**5 else 3)


# --- conv and pooling, forward + backward ---------------------------------------------------


def conv_workload(batch: int = 32, seed: int = 0) -> Workload:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, 3, 32, 32))
    layer = Conv2D(3, 16, 3, padding=1, rng=seed)
    layer.b.data[...] = rng.normal(size=16)
    out_shape = (batch, 16, 32, 32)
    dout = rng.normal(size=out_shape)
    tconv = torch.nn.Conv2d(3, 16, 3, padding=1, dtype=torch.float64)
    with torch.no_grad():
        tconv.weight.copy_(torch.from_numpy(layer.W.data))
        tconv.bias.copy_(torch.from_numpy(layer.b.data))
    xt = torch.from_numpy(x).requires_grad_()
    doutt = torch.from_numpy(dout)

    def cn_step():
        out = layer.forward(x)
        return out, layer.backward(dout)

    def torch_step():
        xt.grad = tconv.weight.grad = tconv.bias.grad = None
        out = tconv(xt)
        out.backward(doutt)
        return out, xt.grad

    def check():
        (out, dx), (tout, tdx) = cn_step(), torch_step()
        _close(out, tout, "conv: output")
        _close(dx, tdx, "conv: dx")
        _close(layer.W.grad, tconv.weight.grad, "conv: dW")
        _close(layer.b.grad, tconv.bias.grad, "conv: db")

    return Workload(f"Conv2D 3->16 3x3 pad 1, x ({batch},3,32,32), fwd+bwd", cn_step, torch_step,
                    check, number=max(1, 64 // batch))  # fmt: skip


def pool_workload(batch: int = 32, seed: int = 0) -> Workload:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, 16, 32, 32))
    dout = rng.normal(size=(batch, 16, 16, 16))
    layer = MaxPool2D(2)
    xt = torch.from_numpy(x).requires_grad_()
    doutt = torch.from_numpy(dout)

    def cn_step():
        out = layer.forward(x)
        return out, layer.backward(dout)

    def torch_step():
        xt.grad = None
        out = F.max_pool2d(xt, 2)
        out.backward(doutt)
        return out, xt.grad

    def check():
        (out, dx), (tout, tdx) = cn_step(), torch_step()
        _close(out, tout, "maxpool: output")
        _close(dx, tdx, "maxpool: dx")

    return Workload(f"MaxPool2D 2x2, x ({batch},16,32,32), fwd+bwd", cn_step, torch_step, check,
                    number=max(1, 64 // batch))  # fmt: skip


# --- an epoch of the capstone CNN on digits ---------------------------------------------------


def digits_cnn_workload(batch: int = 32, seed: int = 0) -> Workload:
    """conv3x3(32)-ReLU-maxpool2-fc(10), Adam(2e-3), one epoch of the 1437 training digits."""
    data = load_digits(shape="image")
    X, y = data.X_train, data.y_train
    order = np.random.default_rng(seed).permutation(len(y))
    batches = [order[i : i + batch] for i in range(0, len(y), batch)]
    conv = Conv2D(1, 32, 3, padding=1, rng=seed)
    dense = Dense(32 * 4 * 4, 10, rng=seed + 1)
    model = Sequential(conv, ReLU(), MaxPool2D(2), Flatten(), dense)
    tconv = torch.nn.Conv2d(1, 32, 3, padding=1, dtype=torch.float64)
    tdense = torch.nn.Linear(32 * 4 * 4, 10, dtype=torch.float64)
    with torch.no_grad():
        tconv.weight.copy_(torch.from_numpy(conv.W.data))
        tconv.bias.copy_(torch.from_numpy(conv.b.data))
        tdense.weight.copy_(torch.from_numpy(dense.W.data.T.copy()))
        tdense.bias.copy_(torch.from_numpy(dense.b.data))
    tmodel = torch.nn.Sequential(
        tconv, torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), tdense
    )
    opt = Adam(model.parameters(), lr=2e-3)
    topt = torch.optim.Adam(tmodel.parameters(), lr=2e-3)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def cn_epoch(n_batches=None):
        loss = None
        for idx in batches[:n_batches]:
            opt.zero_grad()
            loss, dscores = softmax_cross_entropy(model.forward(X[idx]), y[idx])
            model.backward(dscores, input_grad=INPUT_GRAD)
            opt.step()
        return loss

    def torch_epoch(n_batches=None):
        loss = None
        for idx in batches[:n_batches]:
            ti = torch.from_numpy(idx)
            topt.zero_grad()
            loss = F.cross_entropy(tmodel(Xt[ti].requires_grad_(INPUT_GRAD)), yt[ti])
            loss.backward()
            topt.step()
        return loss

    def params(m):
        return [tconv.weight, tconv.bias, tdense.weight.T, tdense.bias] if m else [
            p.data for p in model.parameters()]  # fmt: skip

    def check():
        _close(cn_epoch(3), torch_epoch(3), "digits CNN: loss after 3 steps")
        for a, b, name in zip(params(False), params(True), ("conv W", "conv b", "fc W", "fc b"),
                              strict=True):  # fmt: skip
            _close(a, b, f"digits CNN: {name} after 3 steps")

    return Workload(f"digits CNN epoch (1437 images, batch {batch}, Adam)", cn_epoch, torch_epoch,
                    check)  # fmt: skip


# --- timing -------------------------------------------------------------------------------------


def _mean_time(fn, number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def interleaved(w: Workload, repeats: int) -> tuple[float, float]:
    """Median seconds per call of coursenn and of torch over interleaved repeats."""
    w.coursenn(), w.torch()  # warm-up (allocator, caches)
    t_cn, t_torch = [], []
    for _ in range(repeats):
        t_cn.append(_mean_time(w.coursenn, w.number))
        t_torch.append(_mean_time(w.torch, w.number))
    return statistics.median(t_cn), statistics.median(t_torch)


WORKLOADS = {
    "mlp-sgd": lambda b: mlp_workload(
        f"MLP 64-128-64-10 step, batch {b or 64}, SGD", (64, 128, 64, 10), b or 64, "sgd"
    ),
    "mlp-adam": lambda b: mlp_workload(
        f"MLP 784-512-256-10 step, batch {b or 128}, Adam", (784, 512, 256, 10), b or 128, "adam"
    ),
    "conv": lambda b: conv_workload(b or 32),
    "pool": lambda b: pool_workload(b or 32),
    "digits": lambda b: digits_cnn_workload(b or 32),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="interleaved repeats (median)")
    parser.add_argument("--only", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--sweep", action="store_true", help="also the ratio vs batch size")
    parser.add_argument("--batches", type=int, nargs="+", default=[8, 16, 32, 64, 128])
    parser.add_argument(
        "--input-grad", action="store_true", help="training steps: also d(loss)/d(data)"
    )
    args = parser.parse_args()
    global INPUT_GRAD
    INPUT_GRAD = args.input_grad

    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        print(f"numpy {np.__version__}, torch {torch.__version__}, float64, 1 thread each, "
              f"median of {args.repeats} interleaved repeats, "
              f"gradient of the data in training steps: {INPUT_GRAD}")  # fmt: skip
        print(f"{'workload':58s} {'coursenn':>10s} {'torch':>10s} {'ratio':>7s}")
        for key in args.only:
            w = WORKLOADS[key](None)
            w.check()
            t_cn, t_torch = interleaved(w, args.repeats)
            print(f"{w.name:58s} {t_cn * 1e3:8.2f}ms {t_torch * 1e3:8.2f}ms {t_cn / t_torch:6.2f}x")
        if args.sweep:
            print("\nratio coursenn / torch vs batch size")
            print(f"{'workload':10s} " + " ".join(f"{b:>14d}" for b in args.batches))
            for key in args.only:
                if key == "digits":
                    continue
                cells = []
                for b in args.batches:
                    w = WORKLOADS[key](b)
                    w.check()
                    t_cn, t_torch = interleaved(w, max(5, args.repeats // 2))
                    cells.append(f"{t_cn * 1e3:6.2f}/{t_torch * 1e3:5.2f} {t_cn / t_torch:4.2f}x")
                print(f"{key:10s} " + " ".join(f"{c:>14s}" for c in cells))
            print("(cells: coursenn ms / torch ms, ratio)")


if __name__ == "__main__":
    main()
