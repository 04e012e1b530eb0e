"""Time the loop convolution against the im2col convolution (forward + backward).

Run from the repository root:

    python bench/bench_conv.py            # x (32, 3, 32, 32), 16 filters 3x3, padding 1
    python bench/bench_conv.py --naive-images 2 --repeats 5

The loop version is slow, so it is timed on the first ``--naive-images`` images only and
the time is scaled linearly to the whole batch (its cost is exactly proportional to N: one
loop iteration per output value). Both versions are first checked to give the same result.
This is a script, not a test: timings depend on the machine and are never asserted.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from coursenn.nn import conv


def blas_summary() -> str:
    """Which BLAS numpy's matrix products use (threadpoolctl if installed)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        blas = [
            f"{info.get('internal_api')} {info.get('version')} "
            f"({info.get('num_threads')} threads, {info.get('filepath')})"
            for info in threadpool_info()
            if info.get("user_api") == "blas"
        ]
        if blas:
            return "; ".join(blas)
    config = np.show_config(mode="dicts")  # numpy >= 1.25
    blas = config.get("Build Dependencies", {}).get("blas", {})
    return f"{blas.get('name', '?')} {blas.get('version', '')} (from np.show_config)"


def best_time(fn, repeats: int) -> float:
    """Smallest wall-clock time of ``repeats`` calls of ``fn()``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32, help="images N (default 32)")
    parser.add_argument("--naive-images", type=int, default=2, help="images timed in the loops")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (each)")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.batch, 3, 32, 32))
    W = rng.normal(size=(16, 3, 3, 3))
    b = rng.normal(size=16)
    stride, padding = 1, 1

    def im2col_step():
        out, cache = conv.conv2d_forward(x, W, b, stride, padding)
        return out, conv.conv2d_backward(np.ones_like(out), cache)

    x_small = x[: args.naive_images]

    def naive_step():
        out = conv.conv2d_naive(x_small, W, b, stride, padding)
        return out, conv.conv2d_naive_backward(np.ones_like(out), x_small, W, b, stride, padding)

    fast_out, (fast_dx, _, _) = im2col_step()
    naive_out, (naive_dx, _, _) = naive_step()
    n = args.naive_images
    if not (np.allclose(fast_out[:n], naive_out) and np.allclose(fast_dx[:n], naive_dx)):
        raise SystemExit("the loop and im2col convolutions disagree: not timing them")

    t_fast = best_time(im2col_step, args.repeats)
    t_naive_small = best_time(naive_step, args.repeats)
    t_naive = t_naive_small * args.batch / args.naive_images

    print(f"numpy {np.__version__}; BLAS: {blas_summary()}")
    print(f"x {x.shape}, W {W.shape} (16 filters 3x3), stride {stride}, padding {padding}")
    print(f"forward + backward, best of {args.repeats} runs:")
    print(f"  im2col : {t_fast * 1e3:9.1f} ms for {args.batch} images")
    print(
        f"  naive  : {t_naive * 1e3:9.1f} ms for {args.batch} images "
        f"(measured {t_naive_small * 1e3:.1f} ms on {args.naive_images} images, "
        f"scaled linearly x{args.batch / args.naive_images:g})"
    )
    print(f"  speedup: {t_naive / t_fast:.0f}x (target >= 20x)")


if __name__ == "__main__":
    main()
