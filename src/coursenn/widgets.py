"""Interactive demos in two forms that share one drawing function.

A demo is a function ``draw(ax, **params)`` that draws on a matplotlib ``Axes``.

* :func:`scrubber` renders it once per value of one parameter and returns a kernel-free
  HTML slider over those precomputed frames. It works on the static book site (no Python,
  no CDN: the frames are inline palette PNGs, each distinct picture stored once, and the
  slider is a plain ``<input type="range">``).
* :func:`live` wraps it in ipywidgets sliders that redraw on every move; it needs a
  running kernel (students' notebooks, Colab, Binder).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["Scrubber", "scrubber", "live"]

DrawFn = Callable[..., object]

# One inline handler: show the image of the slider's frame, update the label and alt text.
# Frames that draw the same picture share one image: data-frames maps frame -> image.
_ONINPUT = (
    "var r=this.closest('.cnn-scrubber'),i=+this.value,"
    "k=JSON.parse(r.dataset.frames)[i],t=JSON.parse(r.dataset.labels)[i];"
    "r.querySelectorAll('img.cnn-frame').forEach(function(f,j){"
    "f.style.display=j===k?'':'none';if(j===k){f.alt=r.dataset.alt+t;}});"
    "r.querySelector('.cnn-scrubber-value').textContent=t;"
)

_IMG_STYLE = "max-width:100%;height:auto"


def _render_png(
    draw: DrawFn, params: dict, figsize: tuple[float, float], dpi: int, colors: int | None
) -> bytes:
    """Draw one frame into PNG bytes.

    The figure is drawn once, at ``dpi``, and its pixels are taken from the canvas
    (``savefig`` would lay a constrained-layout figure out in an extra dry draw first).
    With ``colors`` set, the image is flattened on white and reduced to an adaptive palette
    of at most that many colours (median cut, no dithering), stored as an 8-bit palette
    PNG: a line plot or a shaded region needs far fewer than 256 colours, and the file is
    3-5 times smaller than the RGBA PNG. Deterministic: the same pixels give the same bytes
    (no software or date metadata, no dithering noise).
    """
    from PIL import Image

    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    try:
        draw(ax, **params)
        if fig.get_layout_engine() is None:  # book_style() already asks for constrained layout
            fig.tight_layout()
        fig.canvas.draw()
        rgba = Image.fromarray(np.asarray(fig.canvas.buffer_rgba()))
    finally:
        plt.close(fig)
    if colors is not None:
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        rgb = Image.alpha_composite(white, rgba).convert("RGB")
        rgba = rgb.quantize(
            colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    rgba.save(out, format="PNG", optimize=True)
    return out.getvalue()


class Scrubber:
    """Precomputed frames of a demo with an HTML slider to step through them.

    Attributes
    ----------
    name : str
        The parameter the slider moves (the keyword of ``draw``).
    values : list of float
        One value per frame.
    labels : list of str
        The text shown beside the slider for each frame.
    frames : list of bytes
        PNG images, one per value (equal pictures are equal bytes; the HTML embeds each
        distinct picture once).
    initial : int
        Index of the frame shown first.
    title : str
        Shown above the figure (and used as the images' alt text).
    label : str
        Shown before the slider (empty: only the frame's label after it).
    """

    def __init__(
        self,
        name: str,
        values: Sequence[float],
        labels: Sequence[str],
        frames: Sequence[bytes],
        initial: int,
        title: str = "",
        label: str = "",
    ) -> None:
        self.name = name
        self.values = list(values)
        self.labels = list(labels)
        self.frames = list(frames)
        self.initial = initial
        self.title = title
        self.label = label

    @property
    def uid(self) -> str:
        """A stable id derived from the frames, so re-running a notebook changes nothing."""
        digest = hashlib.sha1(b"".join(self.frames) + self.name.encode()).hexdigest()
        return f"cnn-scrubber-{digest[:12]}"

    @property
    def images(self) -> tuple[list[bytes], list[int]]:
        """The distinct pictures in first-use order, and each frame's index into them."""
        distinct: dict[bytes, int] = {}
        index = [distinct.setdefault(frame, len(distinct)) for frame in self.frames]
        return list(distinct), index

    def __repr__(self) -> str:
        return (
            f"Scrubber({self.name}: {len(self.frames)} frames, "
            f"{self.labels[0]} ... {self.labels[-1]})"
        )

    def _repr_html_(self) -> str:
        images, index = self.images
        shown = index[self.initial]
        alt = f"{self.title or self.label or self.name}: "
        imgs = "".join(
            f'<img class="cnn-frame" alt="{html.escape(alt + self.labels[index.index(k)])}" '
            f'style="{_IMG_STYLE}{"" if k == shown else ";display:none"}" '
            f'src="data:image/png;base64,{base64.b64encode(image).decode("ascii")}">'
            for k, image in enumerate(images)
        )
        title = (
            f'<div class="cnn-scrubber-title" style="font-weight:bold">'
            f"{html.escape(self.title)}</div>"
            if self.title
            else ""
        )
        label = f"<span>{html.escape(self.label)}</span>" if self.label else ""
        aria = self.label or self.title or self.name
        return (
            f'<div class="cnn-scrubber" id="{self.uid}" '
            f'data-labels="{html.escape(_json_list(self.labels), quote=True)}" '
            f'data-frames="{json.dumps(index)}" data-alt="{html.escape(alt, quote=True)}" '
            f'style="max-width:100%">{title}'
            f'<div class="cnn-scrubber-frames">{imgs}</div>'
            f'<label style="display:flex;flex-wrap:wrap;align-items:center;gap:0.6em">'
            f"{label}"
            f'<input type="range" class="cnn-scrubber-range" min="0" '
            f'max="{len(self.frames) - 1}" step="1" value="{self.initial}" '
            f'aria-label="{html.escape(aria)}" oninput="{html.escape(_ONINPUT, quote=True)}">'
            f'<span class="cnn-scrubber-value">{html.escape(self.labels[self.initial])}</span>'
            f"</label></div>"
        )


def _json_list(items: Sequence[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def scrubber(
    draw: DrawFn,
    name: str,
    values: Sequence[float],
    *,
    fixed: dict | None = None,
    initial: int | None = None,
    fmt: str = "{name} = {value:.3g}",
    title: str = "",
    figsize: tuple[float, float] = (4.5, 3.6),
    dpi: int = 80,
    label: str = "",
    colors: int | None = 256,
) -> Scrubber:
    """Precompute ``draw(ax, name=value, **fixed)`` for each value; return a :class:`Scrubber`.

    Parameters
    ----------
    draw : callable ``draw(ax, **params)``
        The demo's drawing function (the same one :func:`live` uses).
    name : str
        The parameter the slider moves.
    values : sequence of float, length >= 2
        The parameter values to precompute, in slider order.
    fixed : dict, optional
        The other parameters, held fixed.
    initial : int, optional
        Index of the first frame shown (default: the middle one).
    fmt : str
        Label format with fields ``name`` and ``value``, shown beside the slider; in the
        book a Chinese label with the symbol, e.g. ``"旋转角 θ = {value:.0f}°"``.
    title : str
        Shown above the figure.
    figsize : (float, float)
        Figure size in inches; the frame is ``figsize * dpi`` pixels.
    dpi : int
        Pixels per inch of the frames.
    label : str
        Optional text before the slider (default: none; the frame label says it all).
    colors : int in [2, 256] or None
        Palette size of the stored PNGs (default 256: looks the same as the full-colour
        image and is 3-5 times smaller); ``None`` stores matplotlib's RGBA PNG.

    Displaying the returned object in a notebook shows the slider (``_repr_html_``); its
    text form (what nbval compares, with the HTML) lists the parameter and frame labels.
    """
    values = [float(v) for v in values]
    if len(values) < 2:
        raise ValueError(f"values must hold at least 2 parameter values, got {len(values)}")
    if not all(np.isfinite(values)):
        raise ValueError(f"values must be finite numbers, got {values}")
    fixed = dict(fixed or {})
    if name in fixed:
        raise ValueError(f"name {name!r} is the slider's parameter and cannot also be in fixed")
    if initial is None:
        initial = len(values) // 2
    if isinstance(initial, bool) or not isinstance(initial, (int, np.integer)):
        raise ValueError(f"initial must be an integer frame index, got {initial!r}")
    if not 0 <= initial < len(values):
        raise ValueError(f"initial must be an index in [0, {len(values) - 1}], got {initial}")
    if colors is not None and (
        isinstance(colors, bool)
        or not isinstance(colors, (int, np.integer))
        or not 2 <= colors <= 256
    ):
        raise ValueError(f"colors must be an int in [2, 256] or None, got {colors!r}")
    frames = [_render_png(draw, {**fixed, name: v}, figsize, dpi, colors) for v in values]
    labels = [fmt.format(name=name, value=v) for v in values]
    return Scrubber(name, values, labels, frames, int(initial), title, label)


def _slider(name: str, spec):
    """Turn ``(min, max[, step[, value]])`` or a list of options into an ipywidget."""
    import ipywidgets as widgets

    if isinstance(spec, widgets.ValueWidget):
        return spec
    if (
        isinstance(spec, tuple)
        and len(spec) in (2, 3, 4)
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in spec)
    ):
        lo, hi = float(spec[0]), float(spec[1])
        if not lo < hi:
            raise ValueError(f"slider {name!r} needs min < max, got {spec}")
        step = float(spec[2]) if len(spec) >= 3 else (hi - lo) / 100
        if step <= 0:
            raise ValueError(f"slider {name!r} needs step > 0, got {step}")
        value = float(spec[3]) if len(spec) == 4 else (lo + hi) / 2
        if not lo <= value <= hi:
            raise ValueError(f"slider {name!r}: initial value {value} is outside [{lo}, {hi}]")
        return widgets.FloatSlider(
            value=value, min=lo, max=hi, step=step, description=name, continuous_update=True
        )
    if isinstance(spec, list) and spec:
        return widgets.Dropdown(options=spec, value=spec[0], description=name)
    raise ValueError(
        f"slider {name!r} must be (min, max), (min, max, step), (min, max, step, value), "
        f"a non-empty list of options or an ipywidget, got {spec!r}"
    )


STATIC_ENV = "COURSENN_STATIC_WIDGETS"  # set to 1 by unattended runs: see live()


def live(draw: DrawFn, *, figsize: tuple[float, float] = (4.5, 3.6), **sliders):
    """ipywidgets sliders that redraw ``draw(ax, **params)`` on every change.

    Each keyword is a parameter of ``draw`` and its slider: ``(min, max)``,
    ``(min, max, step)``, ``(min, max, step, value)``, a list of options, or any ipywidget.
    A range slider starts at ``value``, or at its midpoint when none is given.
    Returns an ``ipywidgets.interactive`` (display it as a cell's last expression).
    Needs a running kernel; on the static site use :func:`scrubber`.

    In an unattended run (the environment sets ``COURSENN_STATIC_WIDGETS=1``: the canonical
    execute command, nbval, the grader) the sliders are checked but no widget is made: a
    notebook client that executes an output widget can wait forever for a message the kernel
    never sends (seen here as stalled runs), and nobody is there to move a slider anyway.

    Without ipywidgets installed (``pip install "coursenn[widgets]"`` brings it) it prints how
    to get the sliders and returns None: the chapter still runs to the end.
    """
    try:
        import ipywidgets as widgets
    except ImportError:
        print('live sliders need ipywidgets: pip install "coursenn[widgets]", then restart')
        return None

    if not sliders:
        raise ValueError("live needs at least one slider, e.g. live(draw, b=(-2.0, 2.0))")
    controls = {name: _slider(name, spec) for name, spec in sliders.items()}
    if os.environ.get(STATIC_ENV) == "1":
        print(f"live sliders ({', '.join(controls)}) appear when you run this notebook yourself")
        return None

    def update(**params):
        fig, ax = plt.subplots(figsize=figsize)
        draw(ax, **params)
        plt.show()

    return widgets.interactive(update, **controls)
