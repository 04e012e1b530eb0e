"""Figure sizes for the width the book shows them at, and the book's figure style.

The book's content column is about 690 CSS px wide on a desktop. A figure made at
``figure.dpi = 100`` and at most :data:`BOOK_WIDTH` inches wide is shown at its own size
(no shrinking), so a 10 pt font is about 14 px tall and the smallest text (9 pt) about
12 px. Wider figures would be scaled down and their text would shrink with them: use at
most two panels side by side, or stack them (``nrows``).

:func:`book_style` is the one place that sets the chapters' rcParams: a chapter calls it
once in its setup cell. The plotting helpers themselves never change global rcParams.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

__all__ = ["BOOK_WIDTH", "SIZES", "BOOK_RC", "figsize", "subplots", "book_style"]

BOOK_WIDTH = 6.4  # inches at 100 dpi: 640 px, shown unscaled in the book's column

# name -> (width, height) in inches
SIZES: dict[str, tuple[float, float]] = {
    "full": (BOOK_WIDTH, 3.4),  # one wide plot, or two panels side by side
    "half": (3.9, 3.1),  # one small plot (a curve, a scatter)
    "square": (4.2, 4.0),  # a decision region, a contour plot
    "tall": (BOOK_WIDTH, 5.8),  # two rows of two panels
}

BOOK_RC: dict[str, object] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "figure.titlesize": 11,
    "figure.constrained_layout.use": True,
}


def figsize(size: str = "full", height: float | None = None) -> tuple[float, float]:
    """The ``(width, height)`` in inches of a standard size, optionally with another height.

    Raises
    ------
    ValueError
        If ``size`` is not one of :data:`SIZES`, or ``height`` is not positive.
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, got {size!r}")
    if height is not None and not height > 0:
        raise ValueError(f"height must be a positive number of inches, got {height!r}")
    width, default = SIZES[size]
    return width, default if height is None else float(height)


def subplots(
    nrows: int = 1, ncols: int = 1, *, size: str = "full", height: float | None = None, **kw
):
    """``plt.subplots`` at a standard book size; at most two panels per row.

    Parameters
    ----------
    nrows, ncols : int
        Grid of panels; ``ncols`` may be 1 or 2 (a third panel would make text too small).
    size : str
        One of :data:`SIZES`.
    height : float, optional
        Overrides the size's height (inches), e.g. for several rows.

    Returns
    -------
    (Figure, Axes or array of Axes)
        As ``plt.subplots`` returns them.
    """
    if ncols not in (1, 2):
        raise ValueError(f"ncols must be 1 or 2 (text stays legible), got {ncols!r}")
    if not isinstance(nrows, int) or nrows < 1:
        raise ValueError(f"nrows must be a positive int, got {nrows!r}")
    kw.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, figsize=figsize(size, height), **kw)


def book_style() -> None:
    """Apply :data:`BOOK_RC` and high-DPI inline figures; call once in a chapter's setup cell.

    Changes ``matplotlib.rcParams`` (the caller asked for it) and, inside IPython, the
    inline backend's figure format to ``retina`` (PNG at twice the pixels, shown at the
    figure's size, sharp on high-DPI screens).
    """
    plt.rcParams.update(BOOK_RC)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to configure
        return
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['retina']")
