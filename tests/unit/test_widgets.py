"""coursenn.widgets: the static HTML scrubber and the live ipywidgets sliders."""

from __future__ import annotations

import html
import io
import json
import sys
from html.parser import HTMLParser

import ipywidgets as widgets
import numpy as np
import pytest

from coursenn import widgets as coursenn_widgets
from coursenn.widgets import Scrubber, live, scrubber

pytestmark = pytest.mark.usefixtures("close_figures")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def draw_line(ax, slope, offset=0.0):
    """A demo whose picture depends on its parameters."""
    x = np.linspace(-1, 1, 5)
    ax.plot(x, slope * x + offset)
    ax.set_ylim(-3, 3)


class _Tags(HTMLParser):
    """Every start tag of an HTML fragment, with its attributes as a dict."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str) -> list[dict]:
        return [attrs for t, attrs in self.tags if t == tag]


@pytest.fixture(scope="module")
def demo() -> Scrubber:
    return scrubber(
        draw_line, "slope", [-1.0, 0.0, 0.5, 2.0], fixed={"offset": 0.5}, dpi=30, figsize=(2, 2)
    )


# --- scrubber --------------------------------------------------------------------------------


def test_one_png_frame_per_value(demo):
    assert demo.values == [-1.0, 0.0, 0.5, 2.0]
    assert len(demo.frames) == 4
    assert all(isinstance(f, bytes) and f.startswith(PNG_MAGIC) for f in demo.frames)
    assert len(set(demo.frames)) == 4  # each value drew a different picture


def test_draw_receives_value_and_fixed_params():
    calls = []

    def record(ax, **params):
        calls.append(params)

    scrubber(record, "b", [1, 2], fixed={"w": 3.0}, dpi=20, figsize=(1, 1))
    assert calls == [{"w": 3.0, "b": 1.0}, {"w": 3.0, "b": 2.0}]


def test_labels_default_format_and_custom(demo):
    assert demo.labels == ["slope = -1", "slope = 0", "slope = 0.5", "slope = 2"]
    s = scrubber(
        draw_line, "slope", [0.125, 1.0], fmt="{name}: {value:.2f}", dpi=20, figsize=(1, 1)
    )
    assert s.labels == ["slope: 0.12", "slope: 1.00"]


def test_deterministic_html():
    kwargs = dict(fixed={"offset": 1.0}, dpi=20, figsize=(1.5, 1.5))
    a = scrubber(draw_line, "slope", [0.0, 1.0, 2.0], **kwargs)
    b = scrubber(draw_line, "slope", [0.0, 1.0, 2.0], **kwargs)
    assert a.frames == b.frames
    assert a._repr_html_() == b._repr_html_()


def test_html_slider_and_initial_frame(demo):
    text = demo._repr_html_()
    tags = _Tags(text)
    ranges = [a for a in tags.find("input") if a.get("type") == "range"]
    assert len(ranges) == 1
    slider = ranges[0]
    assert slider["min"] == "0" and slider["max"] == "3" and slider["step"] == "1"
    assert slider["value"] == str(demo.initial) == "2"  # default: the middle frame
    assert slider["aria-label"] == "slope"

    imgs = tags.find("img")
    assert len(imgs) == 4
    visible = [k for k, a in enumerate(imgs) if "display:none" not in a.get("style", "")]
    assert visible == [2]
    assert imgs[2]["src"].startswith("data:image/png;base64,")
    assert imgs[2]["alt"] == "slope: slope = 0.5"
    assert json.loads(_Tags(text).find("div")[0]["data-frames"]) == [0, 1, 2, 3]


def test_html_labels(demo):
    text = demo._repr_html_()
    root = _Tags(text).find("div")[0]
    assert json.loads(root["data-labels"]) == demo.labels
    assert '<span class="cnn-scrubber-value">slope = 0.5</span>' in text
    assert root["id"] == demo.uid and demo.uid.startswith("cnn-scrubber-")


def test_initial_argument_and_title_escaped():
    s = scrubber(
        draw_line, "slope", [0.0, 1.0, 2.0], initial=0, title="a < b", dpi=20, figsize=(1, 1)
    )
    text = s._repr_html_()
    imgs = _Tags(text).find("img")
    visible = [k for k, a in enumerate(imgs) if "display:none" not in a.get("style", "")]
    assert visible == [0]
    assert "a &lt; b" in text and "a < b" not in text
    assert f"{html.escape(s.labels[0])}</span>" in text


def test_frames_are_palette_pngs_that_look_like_the_full_colour_ones():
    from PIL import Image

    kwargs = dict(fixed={"offset": 0.5}, dpi=60, figsize=(3, 2.4))
    small = scrubber(draw_line, "slope", [0.5, 1.5], **kwargs)
    full = scrubber(draw_line, "slope", [0.5, 1.5], colors=None, **kwargs)
    for p, f in zip(small.frames, full.frames, strict=True):
        paletted, rgba = Image.open(io.BytesIO(p)), Image.open(io.BytesIO(f))
        assert paletted.mode == "P" and rgba.mode == "RGBA"
        assert paletted.size == rgba.size == (180, 144)
        assert len(p) < len(f)
        diff = np.abs(
            np.asarray(paletted.convert("RGB"), dtype=int)
            - np.asarray(rgba.convert("RGB"), dtype=int)
        ).max(axis=2)
        assert diff.mean() < 1.0 and np.mean(diff > 16) < 0.01


def test_few_colours_make_smaller_frames():
    kwargs = dict(dpi=40, figsize=(2, 2))
    rich = scrubber(draw_line, "slope", [0.5, 1.5], colors=256, **kwargs)
    poor = scrubber(draw_line, "slope", [0.5, 1.5], colors=4, **kwargs)
    assert sum(map(len, poor.frames)) < sum(map(len, rich.frames))


def test_equal_pictures_are_embedded_once():
    def step(ax, level):
        ax.axhline(1.0 if level > 0 else -1.0)  # two pictures for five values
        ax.set_ylim(-2, 2)

    s = scrubber(step, "level", [-2, -1, 1, 2, 3], initial=0, dpi=20, figsize=(1, 1))
    images, index = s.images
    assert len(images) == 2 and index == [0, 0, 1, 1, 1]
    text = s._repr_html_()
    tags = _Tags(text)
    assert len(tags.find("img")) == 2
    assert text.count("data:image/png;base64,") == 2
    assert json.loads(tags.find("div")[0]["data-frames"]) == index
    assert tags.find("input")[0]["max"] == "4"  # the slider still has one stop per value


def test_label_before_slider_and_chinese_format():
    s = scrubber(
        draw_line,
        "slope",
        [0.0, 30.0],
        fmt="旋转角 θ = {value:.0f}°",
        label="角度",
        dpi=20,
        figsize=(1, 1),
    )
    text = s._repr_html_()
    assert s.labels == ["旋转角 θ = 0°", "旋转角 θ = 30°"]
    assert "<span>角度</span>" in text and _Tags(text).find("input")[0]["aria-label"] == "角度"
    assert "旋转角 θ = 30°" in html.unescape(_Tags(text).find("div")[0]["data-labels"])


def test_no_code_name_shown_without_a_label(demo):
    text = demo._repr_html_()
    assert "<span>slope</span>" not in text


@pytest.mark.parametrize("colors", [0, 1, 257, 2.5, True, "256"])
def test_bad_colors(colors):
    with pytest.raises(ValueError, match=r"colors must be an int in \[2, 256\] or None"):
        scrubber(draw_line, "slope", [0.0, 1.0], colors=colors, dpi=20, figsize=(1, 1))


def test_repr_lists_name_and_labels(demo):
    assert repr(demo) == "Scrubber(slope: 4 frames, slope = -1 ... slope = 2)"


@pytest.mark.parametrize("values", [[], [1.0]])
def test_needs_two_values(values):
    with pytest.raises(
        ValueError, match=rf"values must hold at least 2 parameter values, got {len(values)}"
    ):
        scrubber(draw_line, "slope", values)


def test_values_must_be_finite():
    with pytest.raises(ValueError, match="values must be finite numbers"):
        scrubber(draw_line, "slope", [0.0, np.nan])


def test_name_also_in_fixed():
    with pytest.raises(
        ValueError, match=r"name 'slope' is the slider's parameter and cannot also be in fixed"
    ):
        scrubber(draw_line, "slope", [0.0, 1.0], fixed={"slope": 1.0})


@pytest.mark.parametrize("initial", [-1, 3, 10])
def test_bad_initial(initial):
    with pytest.raises(ValueError, match=rf"initial must be an index in \[0, 2\], got {initial}"):
        scrubber(draw_line, "slope", [0.0, 1.0, 2.0], initial=initial)


def test_non_integer_initial_rejected_up_front():
    with pytest.raises(ValueError, match="initial"):
        scrubber(draw_line, "slope", [0.0, 1.0, 2.0], initial=1.5, dpi=20, figsize=(1, 1))


def test_draw_errors_propagate_and_leave_no_figure():
    import matplotlib.pyplot as plt

    def broken(ax, slope):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        scrubber(broken, "slope", [0.0, 1.0])
    assert plt.get_fignums() == []


# --- live ------------------------------------------------------------------------------------


def test_live_returns_interactive_with_requested_ranges():
    calls = []

    def record(ax, slope, offset, style):
        calls.append((slope, offset, style))

    w = live(record, slope=(-2.0, 2.0), offset=(0, 10, 0.5), style=["solid", "dashed"])
    assert isinstance(w, widgets.interactive)
    controls = {c.description: c for c in w.kwargs_widgets}
    assert set(controls) == {"slope", "offset", "style"}
    slope, offset, style = controls["slope"], controls["offset"], controls["style"]
    assert isinstance(slope, widgets.FloatSlider)
    assert (slope.min, slope.max, slope.value) == (-2.0, 2.0, 0.0)
    assert slope.step == pytest.approx(0.04)
    assert (offset.min, offset.max, offset.step, offset.value) == (0.0, 10.0, 0.5, 5.0)
    assert isinstance(style, widgets.Dropdown) and style.options == ("solid", "dashed")
    assert calls and calls[-1] == (0.0, 5.0, "solid")  # drawn once with the initial values


def test_live_four_tuple_sets_initial_value():
    w = live(draw_line, slope=(0, 10, 0.5, 2))
    (slider,) = w.kwargs_widgets
    assert (slider.min, slider.max, slider.step, slider.value) == (0.0, 10.0, 0.5, 2.0)


def test_live_range_outside_default_slider_bounds():
    w = live(draw_line, slope=(200.0, 300.0))
    (slider,) = w.kwargs_widgets
    assert (slider.min, slider.max, slider.value) == (200.0, 300.0, 250.0)


def test_live_passes_a_given_widget_through():
    mine = widgets.FloatSlider(value=1.5, min=0.0, max=3.0)
    w = live(draw_line, slope=mine)
    assert w.kwargs_widgets[0] is mine


def test_live_redraws_on_change():
    calls = []
    w = live(lambda ax, slope: calls.append(slope), slope=(0.0, 1.0))
    w.kwargs_widgets[0].value = 0.25
    assert calls[-1] == 0.25


@pytest.mark.parametrize(
    "spec, pattern",
    [
        ((2.0, 1.0), r"slider 'slope' needs min < max, got \(2.0, 1.0\)"),
        ((1.0, 1.0), r"slider 'slope' needs min < max"),
        ((1.0,), r"slider 'slope' must be \(min, max\), \(min, max, step\)"),
        ((0, 1, 0.1, 0.5, 9), r"slider 'slope' must be \(min, max\)"),
        ((0.0, 1.0, 0.1, 3.0), r"slider 'slope': initial value 3.0 is outside \[0.0, 1.0\]"),
        ((False, True), r"slider 'slope' must be \(min, max\)"),
        ([], r"slider 'slope' must be .* a non-empty list of options"),
        ("fast", r"slider 'slope' must be .* got 'fast'"),
    ],
)
def test_live_bad_slider_spec_names_slider(spec, pattern):
    with pytest.raises(ValueError, match=pattern):
        live(draw_line, slope=spec)


def test_live_needs_a_slider():
    with pytest.raises(ValueError, match="live needs at least one slider"):
        live(draw_line)


@pytest.mark.parametrize("step", [0, -0.1])
def test_live_rejects_non_positive_step(step):
    with pytest.raises(ValueError, match="slope"):
        live(draw_line, slope=(0.0, 1.0, step))


@pytest.fixture(autouse=True)
def _attended(monkeypatch):
    """The tests run with the notebooks' unattended environment: build live widgets here."""
    monkeypatch.delenv(coursenn_widgets.STATIC_ENV, raising=False)


def test_live_builds_no_widget_in_an_unattended_run(monkeypatch, capsys):
    monkeypatch.setenv(coursenn_widgets.STATIC_ENV, "1")
    assert coursenn_widgets.live(lambda ax, b: None, b=(-2.0, 2.0)) is None
    assert "live sliders (b)" in capsys.readouterr().out
    with pytest.raises(ValueError, match="at least one slider"):
        coursenn_widgets.live(lambda ax: None)


def test_live_without_ipywidgets_says_how_to_get_the_sliders(monkeypatch, capsys):
    monkeypatch.delenv(coursenn_widgets.STATIC_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets -> ImportError
    assert coursenn_widgets.live(lambda ax, b: None, b=(-1.0, 1.0)) is None
    assert 'pip install "coursenn[widgets]"' in capsys.readouterr().out
