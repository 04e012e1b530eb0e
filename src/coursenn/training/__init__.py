r"""Mini-batch training with the monitoring the lecture recommends.

:func:`fit` records per epoch what the lecture says to watch: the loss, train/validation
accuracy, each layer's **update/parameter ratio** :math:`\lVert \Delta W\rVert/\lVert W\rVert`
(about :math:`10^{-3}` is healthy: much smaller, the learning rate is too low; much larger,
too high), the fraction of **dead ReLU** units and per-layer **activation and gradient
statistics** (where a bad initialisation shows first).

Collaborators are duck-typed. ``model``: a :class:`coursenn.nn.layers.Layer` (``forward``,
``backward``, ``parameters``, ``train``, ``eval``); per-layer statistics need a
:class:`~coursenn.nn.layers.Sequential` (nested ones are flattened; any other model counts as one
layer); layers are named ``"index:Class"`` (``"0:Dense"``, ``"1:ReLU"``).
``loss_fn(scores, y) -> (loss, dscores)``, e.g. :func:`coursenn.nn.losses.softmax_cross_entropy`.
``optimizer``: ``zero_grad()``, ``step()`` and ``lr``, e.g. :class:`coursenn.nn.optim.SGD`.

Classification or regression is decided by the labels: ``y`` of shape ``(N,)`` with an
integer dtype is classification (accuracy from the argmax of the scores); anything else
(float targets such as ``(N, 1)``) is regression, and no accuracy is recorded.

See chapters 5 (training loop), 7 (dead ReLUs, histograms), 8 (learning rates) and 10.
"""

from .batches import accuracy, iterate_minibatches
from .loop import History, fit
from .probes import layer_activations, parameter_gradients

__all__ = [
    "History",
    "iterate_minibatches",
    "accuracy",
    "fit",
    "layer_activations",
    "parameter_gradients",
]
