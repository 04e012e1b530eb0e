"""plot_activation draws the function and its derivative on the given Axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from coursenn.nn import activations
from coursenn.plotting import plot_activation

pytestmark = pytest.mark.usefixtures("close_figures", "strict_drawing")


def test_draws_function_and_derivative_values():
    fig, ax = plt.subplots()
    assert plot_activation(activations.sigmoid, activations.sigmoid_grad, ax, xlim=(-2, 2)) is ax
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
    assert len(curves) == 2
    x, y = curves[0].get_data()
    np.testing.assert_allclose(y, activations.sigmoid(x))
    np.testing.assert_allclose(curves[1].get_ydata(), activations.sigmoid_grad(x))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sigmoid", "sigmoid'"]
    assert ax.get_xlim() == (-2.0, 2.0)


def test_new_axes_when_none_and_custom_name():
    ax = plot_activation(activations.relu, name="ReLU")
    assert ax is not None and ax.get_legend().get_texts()[0].get_text() == "ReLU"


@pytest.mark.parametrize("kwargs", [{"xlim": (1, 1)}, {"resolution": 1}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="xlim|resolution"):
        plot_activation(activations.tanh, **kwargs)
