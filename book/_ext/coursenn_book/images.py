"""Lighter figures on the site: each output PNG re-encoded with a palette where it looks the same.

The chapters store matplotlib figures as full-colour RGBA PNGs at twice the pixels
(retina). A plot of lines, markers and shaded regions has few distinct colours, so after the
build every opaque PNG in ``_images/`` is reduced to an adaptive 256-colour palette (median
cut, no dithering) and kept only if it is smaller and looks the same: mean channel error
below :data:`MAX_MEAN_ERROR` and 99.5 % of the pixels within :data:`MAX_PIXEL_ERROR` levels
of the original. Images with transparency are left as they are. The notebooks are not
changed; only the copies the site serves.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

MAX_MEAN_ERROR = 0.5
MAX_PIXEL_ERROR = 24


def palette_version(data: bytes) -> bytes | None:
    """The palette PNG of an opaque image if it is smaller and looks the same, else None."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        if im.mode not in ("RGB", "RGBA"):
            return None
        rgba = im.convert("RGBA")
    pixels = np.asarray(rgba)
    if pixels[..., 3].min() < 255:
        return None
    rgb = rgba.convert("RGB")
    paletted = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    error = np.abs(
        np.asarray(paletted.convert("RGB"), dtype=np.int16) - pixels[..., :3].astype(np.int16)
    ).max(axis=2)
    if error.mean() > MAX_MEAN_ERROR or np.percentile(error, 99.5) > MAX_PIXEL_ERROR:
        return None
    out = io.BytesIO()
    paletted.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(data) else None


def compress_images(folder: Path) -> tuple[int, int, int]:
    """Re-encode the PNGs in ``folder``; return (files changed, bytes before, bytes after)."""
    changed = before = after = 0
    for png in sorted(folder.glob("*.png")):
        data = png.read_bytes()
        before += len(data)
        smaller = palette_version(data)
        if smaller is not None:
            png.write_bytes(smaller)
            changed += 1
        after += len(smaller or data)
    return changed, before, after


def _on_build_finished(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir, "_images")
    if folder.is_dir():
        changed, before, after = compress_images(folder)
        logger.info(
            f"coursenn: {changed} figures as palette PNGs, "
            f"{before // 1000} kB -> {after // 1000} kB"
        )


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _on_build_finished)
