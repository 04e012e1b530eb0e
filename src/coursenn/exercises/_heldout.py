"""An exercise kind for open tasks: judged by accuracy on images the student's code never saw.

Chapter 10's ``ch10-beat-baseline`` is one (registered in :mod:`.ch10`): the student's
``train_model(X, y, rng)`` returns a ``predict`` function; :class:`HeldOutAccuracy` trains it
on one split of the digits and measures it on the held-out part, against a threshold and the
baseline recipe, and checks that it learnt from the labels it was given.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..data import load_digits
from ..nn.layers import Dense, ReLU, Sequential
from ..nn.losses import softmax_cross_entropy
from ..nn.optim import SGD
from ..training import fit
from ._kinds import Exercise, Reply, Trial, failure
from ._probe import Call, Outcome, Rng, run

#: The held-out accuracy the student's model must reach (and it must beat the baseline).
THRESHOLD = 0.95
_SPLIT_SEED = 2024  # a split of the digits the chapter does not use (the chapter uses 0)


def baseline_model(X, y, rng):
    """The baseline the open exercise asks to beat: 64-32-10 ReLU, plain SGD, 2 epochs."""
    rng = np.random.default_rng(rng)
    model = Sequential(Dense(64, 32, rng=rng), ReLU(), Dense(32, 10, rng=rng))
    fit(
        model,
        softmax_cross_entropy,
        SGD(list(model.parameters()), lr=0.1),
        X,
        y,
        epochs=2,
        batch_size=64,
        rng=rng,
        progress=False,
        monitor_size=0,
    )
    return lambda X_new: np.argmax(model.eval().forward(X_new), axis=1)


def _accuracy(outcome: Outcome, y_test: np.ndarray) -> float:
    """Accuracy of the predictions in ``outcome`` (labels, or scores of shape (N, 10)).

    Raises
    ------
    ValueError
        If the predictions have the wrong shape (the message is shown to the student).
    """
    pred = np.asarray(outcome.result)
    if pred.ndim == 2 and pred.shape == (len(y_test), 10):
        pred = pred.argmax(axis=1)
    if pred.shape != y_test.shape:
        raise ValueError(
            f"predict(X) must return {len(y_test)} labels (shape ({len(y_test)},)) or scores "
            f"({len(y_test)}, 10), got shape {pred.shape}"
        )
    return float(np.mean(pred == y_test))


@dataclass
class HeldOutAccuracy(Exercise):
    """An open task judged by accuracy on a held-out split: at least ``threshold``, above the
    baseline's, and learnt from the data it is given (shuffled labels must ruin it).

    The student's ``train_model(X, y, rng)`` is called on the training part and its
    ``predict`` on the held-out images; the held-out labels never reach the student's code.
    A student's ``check`` uses one fixed split; grading draws a new split each run.
    """

    threshold: float = THRESHOLD
    baseline: Callable = baseline_model
    _cache: dict = field(default_factory=dict, repr=False)

    def _split(self, seed: int):
        if ("split", seed) not in self._cache:
            self._cache["split", seed] = load_digits(rng=seed)
        return self._cache["split", seed]

    def _baseline_accuracy(self, seed: int) -> float:
        if ("baseline", seed) not in self._cache:
            X, X_test, y, y_test = self._split(seed)
            predict = self.baseline(X, y, np.random.default_rng(0))
            outcome = Outcome(result=predict(X_test))
            self._cache["baseline", seed] = _accuracy(outcome, y_test)
        return self._cache["baseline", seed]

    def _trial(self, seed: int) -> Trial:
        """Two calls: train on the split, then on the same images with shuffled labels."""
        X, X_test, y, y_test = self._split(seed)
        shuffled = np.random.default_rng(7).permutation(y)
        calls = [
            Call((X, y, Rng(0)), then=(X_test,)),
            Call((X, shuffled, Rng(0)), then=(X_test,)),
        ]
        return Trial(calls, context=seed)

    def trial(self, rng: np.random.Generator, extra=()) -> Trial:
        if extra:
            raise TypeError(f"exercise {self.label!r} is judged on a held-out split: no cases")
        return self._trial(int(rng.integers(2**31)))

    def prepare(self) -> None:
        self._baseline_accuracy(_SPLIT_SEED)

    def judge(self, answer, cases=None) -> tuple[bool, str]:
        self.check_cases(cases)
        if answer is None or answer is ... or not callable(answer):
            return self.decide(Trial(), Reply(value=answer))
        trial = self._trial(_SPLIT_SEED)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            problem = self._learnt(trial.context, run(answer, trial.calls[0]))
            if problem is None:  # only a model good enough is trained a second time
                problem = self._not_memorised(trial.context, run(answer, trial.calls[1]))
        return problem is None, problem or ""

    def decide(self, trial: Trial, reply: Reply) -> tuple[bool, str]:
        if not reply.callable:
            if reply.value is None or reply.value is ...:
                return False, f"{self.name} 还没有作答（先定义这个函数）"
            return False, f"{self.name} 应该是一个函数，你给的是 {type(reply.value).__name__}"
        first, shuffled = reply.outcomes
        problem = self._learnt(trial.context, first) or self._not_memorised(trial.context, shuffled)
        return problem is None, problem or ""

    def _learnt(self, seed: int, first: Outcome) -> str | None:
        """What is wrong with the model trained on split ``seed`` (None: good enough)."""
        y_test = self._split(seed)[3]
        if first.error is not None:  # a stub, an exception, too slow
            return f"{self.name}：{failure(first, 'digits 训练集（再在留出集上预测）')}"
        try:
            acc = _accuracy(first, y_test)
        except ValueError as exc:
            return f"{self.name} 抛出了 ValueError: {exc}"
        if not math.isfinite(acc) or acc < self.threshold:
            return (
                f"你的模型在留出集（{len(y_test)} 张没见过的图）上的准确率是 {acc:.3f}，"
                f"没有达到 {self.threshold}"
            )
        if acc <= self._baseline_accuracy(seed):
            return f"你的模型在留出集上的准确率 {acc:.3f} 没有超过基线"
        return None

    def _not_memorised(self, seed: int, shuffled: Outcome) -> str | None:
        """What is wrong when shuffled training labels still give a good model (None: fine)."""
        y_test = self._split(seed)[3]
        try:
            acc_shuffled = 0.0 if shuffled.error else _accuracy(shuffled, y_test)
        except ValueError:
            acc_shuffled = 0.0
        if acc_shuffled > 0.5:
            return (
                "把训练标签打乱之后，你的模型在留出集上仍有 "
                f"{acc_shuffled:.2f} 的准确率：它没有从传给它的 (X, y) 学习"
            )
        return None
