"""coursenn.plotting.race: contours and every path, up to a step."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from coursenn.lab import optim_paths
from coursenn.nn import optim
from coursenn.plotting.race import RACE_COLORS, plot_race

pytestmark = pytest.mark.usefixtures("close_figures", "strict_drawing")


def _paths():
    land = optim_paths.quadratic(10)
    factories = {
        "SGD": lambda ps: optim.SGD(ps, lr=0.1),
        "Adam": lambda ps: optim.Adam(ps, lr=0.1),
    }
    return land, optim_paths.race(factories, land, [-1.5, 0.8], steps=20)


def test_draws_each_path_up_to_the_step():
    land, paths = _paths()
    fig, ax = plt.subplots()
    assert plot_race(land, paths, upto=5, ax=ax) is ax
    lines = {line.get_label(): line for line in ax.get_lines()}
    for k, name in enumerate(paths):
        x, y = lines[name].get_data()
        np.testing.assert_array_equal(x, paths[name][:6, 0])
        assert lines[name].get_color() == RACE_COLORS[k]
    assert ax.get_xlim() == land.xlim and ax.get_ylim() == land.ylim
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD", "Adam"]


def test_whole_paths_and_a_saddle_without_log_levels():
    land = optim_paths.saddle()
    paths = optim_paths.race({"SGD": lambda ps: optim.SGD(ps, lr=0.05)}, land, [1, 1e-3], 10)
    ax = plot_race(land, paths, log_levels=False, legend=False)
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "SGD"]
    assert len(line.get_xdata()) == 11
    assert ax.get_legend() is None


def test_bad_input():
    land, paths = _paths()
    with pytest.raises(ValueError, match="at least one"):
        plot_race(land, {})
    with pytest.raises(ValueError, match="upto must be None or an int"):
        plot_race(land, paths, upto=-1)
    with pytest.raises(ValueError, match=r"paths\['bad'\] must have shape \(T, 2\)"):
        plot_race(land, {"bad": np.zeros((4, 3))})
