r"""Gradient checking: numerical gradients, the relative error, and a per-tensor report.

The lecture's recipe (study notes after CS231n, 梯度检查):

1. use the **centred** difference, not the one-sided one,

   .. math:: \frac{df(x)}{dx} \approx \frac{f(x+h) - f(x-h)}{2h}
             \quad\text{(error } O(h^2)\text{; the one-sided form has error } O(h)\text{)};

2. compare the analytic gradient :math:`f'_a` with the numerical one :math:`f'_n` by the
   **relative error**

   .. math:: \frac{|f'_a - f'_n|}{\max(|f'_a|, |f'_n|)};

3. read it with the lecture's bands: above 1e-2 the gradient is probably wrong; 1e-4 … 1e-2
   is suspicious; 1e-7 … 1e-4 is acceptable for functions with kinks (ReLU, max, hinge) but
   usually too high otherwise; below 1e-7 is excellent. (The lecture text prints the first
   bound as ``11e-2`` and drops the ``1e-7`` of the third band; the values here are CS231n's.)

Use double precision, few data points, no dropout/regularisation while checking, and stay
away from kinks (the lecture's advice). ``h = 1e-5`` is the default step.

See chapter 5.
"""

from .numerical import BANDS, numerical_gradient, numerical_gradient_array, rel_error, verdict
from .report import GradCheckReport, GradCheckRow, check_gradients

__all__ = [
    "numerical_gradient",
    "numerical_gradient_array",
    "rel_error",
    "verdict",
    "BANDS",
    "GradCheckRow",
    "GradCheckReport",
    "check_gradients",
]
