r"""Chapter 6: preprocessing fitted on the training set: centring, standardising, PCA, whitening.

:class:`Preprocessor` learns its statistics from the training data only (``fit``) and then
applies the same transform to any data (``transform``), as the lecture insists: never
compute a mean or a covariance on validation or test data. With ``X`` of shape ``(N, D)``
and training mean :math:`\mu`:

=================  ================================================================
method             transform
=================  ================================================================
``"center"``       :math:`X - \mu`
``"standardize"``  :math:`(X - \mu) / \sigma` per column (:math:`\sigma` > 0 required)
``"pca"``          :math:`(X - \mu) U`, ``U`` the eigenvectors of
                   :math:`\Sigma = (X-\mu)^\top (X-\mu) / N` (``np.linalg.svd(cov)``)
``"whiten"``       :math:`(X - \mu) U / \sqrt{S + \epsilon}`, ``S`` the eigenvalues
=================  ================================================================

For the symmetric positive semi-definite :math:`\Sigma`, the singular values ``S`` that
``np.linalg.svd`` returns *are* its eigenvalues (not their squares). See chapter 6.
"""

from __future__ import annotations

import numpy as np

from .._checks import ShapeError, as_array, check_ndim, check_number

__all__ = ["Preprocessor"]

METHODS = ("center", "standardize", "pca", "whiten")


def _check_finite_statistics(a: np.ndarray, what: str = "X") -> None:
    """Training statistics need finite numbers: LAPACK's SVD fails or never returns on NaN/inf.

    Unlike arithmetic, where NaN in gives NaN out, a statistic fitted on one NaN spoils
    every later transform, so ``fit`` refuses it and says where it is.
    """
    bad = np.argwhere(~np.isfinite(a))
    if bad.size:
        where = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"X must hold finite numbers to fit statistics: {what} has "
            f"{a[where]!r} at index {where}"
            + ("" if what == "X" else " (X is too large: scale it down first)")
        )


class Preprocessor:
    r"""Fit preprocessing statistics on training data, apply them to any data.

    Parameters
    ----------
    method : {"center", "standardize", "pca", "whiten"}
    eps : float, default 1e-5
        Added to the eigenvalues before the square root in ``"whiten"`` (the lecture's
        1e-5); a larger value smooths, i.e. amplifies low-variance (noise) directions less.
    n_components : int, optional
        Keep only the first ``n_components`` principal directions (``"pca"``/``"whiten"``).

    Attributes
    ----------
    mean_ : ndarray of shape (D,)
        Training mean (set by ``fit``).
    std_ : ndarray of shape (D,)
        Training standard deviation.
    U_ : ndarray of shape (D, D)
        Eigenvectors of the covariance (columns, by decreasing eigenvalue).
    S_ : ndarray of shape (D,)
        Eigenvalues of the covariance.
    """

    def __init__(self, method: str, *, eps: float = 1e-5, n_components: int | None = None):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        self.method, self.eps = method, check_number(eps, "eps", 0.0)
        self.n_components = n_components
        self.mean_ = None

    def fit(self, X) -> Preprocessor:
        """Learn the statistics from the training data ``X`` (N, D); returns self."""
        X = as_array(X, "X")
        check_ndim(X, 2, "X", shape_hint="(N, D)")
        if X.shape[0] < 2:
            raise ValueError(f"X needs at least 2 samples to estimate statistics, got {X.shape[0]}")
        _check_finite_statistics(X)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow: refused just below
            mean = X.mean(axis=0)
            Xc = X - mean
            std = Xc.std(axis=0)
            cov = Xc.T @ Xc / X.shape[0]
        _check_finite_statistics(cov, "the covariance of X")
        if self.method == "standardize" and np.any(std == 0):
            bad = np.flatnonzero(std == 0)
            raise ValueError(
                f"X has columns with zero standard deviation (e.g. column {bad[0]}): "
                "standardize cannot divide by 0; drop them or use 'center'"
            )
        k = self.n_components
        if k is not None and not (isinstance(k, (int, np.integer)) and 1 <= k <= X.shape[1]):
            raise ValueError(f"n_components must be an int in [1, {X.shape[1]}], got {k!r}")
        self.U_, self.S_, _ = np.linalg.svd(cov)
        self.mean_, self.std_ = mean, std  # set last: a failed fit leaves nothing half-fitted
        return self

    def transform(self, X) -> np.ndarray:
        """Apply the fitted transform to ``X`` (M, D); returns a new (M, D or k) array."""
        if self.mean_ is None:
            raise RuntimeError(
                "Preprocessor.transform called before fit: fit on training data first"
            )
        X = as_array(X, "X")
        check_ndim(X, 2, "X", shape_hint=f"(M, {self.mean_.size})")
        if X.shape[1] != self.mean_.size:
            raise ShapeError(
                f"X must have {self.mean_.size} columns like the training data, got {X.shape}"
            )
        Xc = X - self.mean_
        if self.method == "center":
            return Xc
        if self.method == "standardize":
            return Xc / self.std_
        k = self.n_components or X.shape[1]
        Xrot = Xc @ self.U_[:, :k]
        if self.method == "pca":
            return Xrot
        return Xrot / np.sqrt(self.S_[:k] + self.eps)

    def fit_transform(self, X) -> np.ndarray:
        """``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def __repr__(self) -> str:
        return f"Preprocessor({self.method!r}, eps={self.eps:g})"
