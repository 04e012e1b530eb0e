"""coursenn.plotting.training: learning curves, update ratios and layer histograms."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from coursenn.plotting import training as tplot
from coursenn.training import History

pytestmark = pytest.mark.usefixtures("close_figures", "strict_drawing")


def classification_history() -> History:
    return History(
        loss=[1.0, 0.6, 0.4],
        train_accuracy=[0.5, 0.8, 0.9],
        val_loss=[1.1, 0.7, 0.6],
        val_accuracy=[0.45, 0.7, 0.8],
        update_ratio={"0:Dense": [3e-3, 1e-3, 0.0], "2:Dense": [2e-3, 8e-4, 5e-4]},
    )


def regression_history() -> History:
    return History(task="regression", loss=[2.0, 1.0], update_ratio={"0:Dense": [1e-2, 1e-3]})


def _labels(ax: Axes) -> list[str]:
    return [line.get_label() for line in ax.get_lines()]


# --- plot_history ----------------------------------------------------------------------------


def test_plot_history_new_figure_has_loss_and_accuracy_panels():
    loss_ax, acc_ax = tplot.plot_history(classification_history())
    assert isinstance(loss_ax, Axes) and isinstance(acc_ax, Axes) and loss_ax is not acc_ax
    assert _labels(loss_ax) == ["train loss", "val loss"]
    assert _labels(acc_ax) == ["train accuracy", "val accuracy"]
    np.testing.assert_array_equal(loss_ax.get_lines()[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(acc_ax.get_lines()[1].get_ydata(), [0.45, 0.7, 0.8])
    assert loss_ax.get_xlabel() == "epoch" and acc_ax.get_ylabel() == "accuracy"


def test_plot_history_on_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    assert tplot.plot_history(classification_history(), (a, b)) == (a, b)
    _, ax = plt.subplots()
    loss_ax, acc_ax = tplot.plot_history(classification_history(), ax)
    assert loss_ax is ax and acc_ax is not ax and acc_ax.figure is ax.figure  # a twin y-axis
    assert _labels(acc_ax) == ["train accuracy", "val accuracy"]


def test_plot_history_regression_has_no_accuracy_axes():
    loss_ax, acc_ax = tplot.plot_history(regression_history())
    assert acc_ax is None
    assert _labels(loss_ax) == ["train loss"]
    assert len(loss_ax.figure.axes) == 1


def test_plot_history_errors():
    with pytest.raises(ValueError, match=r"history must hold at least one epoch"):
        tplot.plot_history(History())
    _, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match=r"ax must be None, one Axes or a pair of Axes, got 3"):
        tplot.plot_history(classification_history(), list(axes))


# --- plot_update_ratios ----------------------------------------------------------------------


def test_plot_update_ratios_log_scale_with_reference_line():
    _, given = plt.subplots()
    ax = tplot.plot_update_ratios(classification_history(), given)
    assert ax is given
    assert ax.get_yscale() == "log"
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"0:Dense", "2:Dense", "1e-3"}
    np.testing.assert_array_equal(lines["1e-3"].get_ydata(), [1e-3, 1e-3])
    # a zero ratio cannot be drawn on a log scale: it is left out, not clipped
    assert np.isnan(lines["0:Dense"].get_ydata()[2])


def test_plot_update_ratios_new_axes_and_errors():
    assert isinstance(tplot.plot_update_ratios(regression_history()), Axes)
    with pytest.raises(ValueError, match=r"history.update_ratio is empty"):
        tplot.plot_update_ratios(History(loss=[1.0]))


# --- plot_layer_histograms -------------------------------------------------------------------


def test_plot_layer_histograms_one_panel_per_layer_on_a_common_range():
    rng = np.random.default_rng(0)
    arrays = {"1:Tanh": np.tanh(rng.normal(size=(50, 4))), "3:Tanh": rng.normal(size=(50, 4)) * 3}
    axes = tplot.plot_layer_histograms(arrays, bins=10)
    assert len(axes) == 2 and all(isinstance(ax, Axes) for ax in axes)
    for ax, (name, a) in zip(axes, arrays.items(), strict=True):
        assert ax.get_title().startswith(name)
        heights = [p.get_height() for p in ax.patches]
        assert len(heights) == 10 and sum(heights) == a.size
    low = min(a.min() for a in arrays.values())
    lefts = [ax.patches[0].get_x() for ax in axes]
    np.testing.assert_allclose(lefts, [low, low])  # same x-range for every layer


def test_plot_layer_histograms_given_axes_range_and_nonfinite_values():
    _, axes = plt.subplots(1, 2)
    arrays = {"a": np.array([0.0, 0.0, 0.0]), "b": np.array([1.0, np.nan, np.inf, -0.5])}
    out = tplot.plot_layer_histograms(arrays, list(axes), bins=4, value_range=(-1.0, 1.0))
    assert out == list(axes)
    assert sum(p.get_height() for p in axes[1].patches) == 2  # nan and inf left out
    assert axes[0].patches[0].get_x() == -1.0


def test_plot_layer_histograms_all_equal_values_still_draw():
    axes = tplot.plot_layer_histograms({"1:ReLU": np.zeros((8, 3))})
    assert sum(p.get_height() for p in axes[0].patches) == 24


def test_plot_layer_histograms_errors():
    with pytest.raises(ValueError, match=r"arrays must hold at least one name -> array entry"):
        tplot.plot_layer_histograms({})
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"axes must hold one Axes per entry \(2\), got 1"):
        tplot.plot_layer_histograms({"a": [1.0], "b": [2.0]}, [ax])
