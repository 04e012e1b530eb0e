"""coursenn.lab.task_b: the lecture's task B network and its initialisation."""

from __future__ import annotations

import numpy as np
import pytest

from coursenn import count_parameters
from coursenn.lab.task_b import lecture_uniform, task_b_network
from coursenn.nn.layers import ReLU


def test_lecture_uniform_bounds_follow_the_first_dimension():
    W = lecture_uniform((500, 3), rng=0)
    b = lecture_uniform((20,), rng=0)
    assert np.abs(W).max() <= np.sqrt(5 / 500) and np.abs(W).max() > 0.9 * np.sqrt(5 / 500)
    assert np.abs(b).max() <= np.sqrt(5 / 20)


def test_network_shape_parameters_and_draw_order():
    net = task_b_network(784, rng=0)
    assert count_parameters(net) == 784 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10
    rng = np.random.default_rng(0)  # W1 then b1 from one generator
    W1, b1 = lecture_uniform((784, 512), rng), lecture_uniform((512,), rng)
    np.testing.assert_array_equal(net.layers[0].W.data, W1)
    np.testing.assert_array_equal(net.layers[0].b.data, b1)
    assert not isinstance(net.layers[-1], ReLU)
    assert isinstance(task_b_network(rng=0, relu_on_logits=True).layers[-1], ReLU)


def test_bad_input_size_is_refused():
    with pytest.raises(ValueError, match="n_in"):
        task_b_network(0)
