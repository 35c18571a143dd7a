"""Hypothesis, cost, gradients and the SGD training loop of Lab-02.

Each function here is first written out in a lesson; the lesson is named in its docstring,
and ``tests/test_lessons_match_lab_utils.py`` keeps the lesson's copy and this one equal.
"""

import math
from dataclasses import dataclass, field

import torch
import torch.optim as optim

from .data import validate_column, validate_number, validate_xy

#: Training is reported as diverged once the cost exceeds this multiple of the first cost.
DIVERGENCE_FACTOR = 1e6

LOG_FORMAT = "Epoch {:4d}/{} W: {:.3f}, b: {:.3f} Cost: {:.6f}"


def compute_cost(hypothesis, y_train):
    """Return the mean squared error ``torch.mean((hypothesis - y_train) ** 2)`` (a 0-d tensor).

    Defined in ``notebooks/03_cost.ipynb``.
    """
    return torch.mean((hypothesis - y_train) ** 2)


def gradients_by_hand(x_train, y_train, W, b):
    """Return ``(dW, db)``, the gradients of the MSE cost, as 0-d tensors.

    dW = (2/m) * sum((W*x + b - y) * x),  db = (2/m) * sum(W*x + b - y).
    Defined in ``notebooks/06_how_gd_minimizes_cost.ipynb``.
    """
    validate_xy(x_train, y_train)
    with torch.no_grad():
        m = len(x_train)
        error = x_train * W + b - y_train
        dW = 2 / m * torch.sum(error * x_train)
        db = 2 / m * torch.sum(error)
    return dW, db


def stability_limit(x_train):
    """Return the largest learning rate for which plain gradient descent on the MSE converges.

    The cost is quadratic in (W, b) with Hessian (2/m) [[sum x^2, sum x], [sum x, m]];
    gradient descent converges exactly when lr < 2 / (largest eigenvalue of that Hessian).
    Derived in ``notebooks/06_how_gd_minimizes_cost.ipynb``.
    """
    validate_column(x_train, "x_train")
    x = x_train.double().flatten()
    m = len(x)
    hessian = 2 / m * torch.tensor([[torch.sum(x * x), torch.sum(x)], [torch.sum(x), float(m)]],
                                   dtype=torch.float64)
    return 2 / torch.linalg.eigvalsh(hessian).max().item()


def best_fit(x_train, y_train):
    """Return ``(W, b)`` (floats) that minimise the MSE, from the closed-form least-squares formula.

    Raises ValueError if all x values are equal (then no single best W exists).
    """
    validate_xy(x_train, y_train)
    x = x_train.double().flatten()
    y = y_train.double().flatten()
    spread = torch.sum((x - x.mean()) ** 2)
    if spread == 0:
        raise ValueError("x_train needs at least two different values to define a best line")
    W = torch.sum((x - x.mean()) * (y - y.mean())) / spread
    return W.item(), (y.mean() - W * x.mean()).item()


@dataclass
class TrainingHistory:
    """What ``train_sgd`` did, epoch by epoch.

    ``costs[e]`` is the cost computed at epoch ``e`` (before that epoch's step);
    ``Ws[e + 1]``, ``bs[e + 1]`` are W and b after that step (``Ws[0]``, ``bs[0]``: the start);
    ``dWs[e]``, ``dbs[e]`` are the gradients ``backward()`` computed at epoch ``e`` (when recorded).
    ``diverged_at`` is the epoch at which training was stopped as diverged, else None.
    """

    lr: float
    nb_epochs: int
    costs: list = field(default_factory=list)
    Ws: list = field(default_factory=list)
    bs: list = field(default_factory=list)
    diverged_at: int = None
    diverged_cost: float = None
    dWs: list = field(default_factory=list)
    dbs: list = field(default_factory=list)

    @property
    def W(self):
        """The last W (float)."""
        return self.Ws[-1]

    @property
    def b(self):
        """The last b (float)."""
        return self.bs[-1]

    @property
    def diverged(self):
        """True if the cost blew up and training was stopped early."""
        return self.diverged_at is not None

    def first(self, updates, nb_epochs=None):
        """Return a new history with only the first ``updates`` updates (epochs 0 .. updates - 1).

        It says diverged only if this history diverged right after them. ``nb_epochs`` (default:
        ``updates - 1``) is what the log lines print after the slash.
        """
        updates = validate_number(updates, "updates", integer=True, minimum=0)
        if updates > len(self.costs):
            raise ValueError(f"updates must be at most {len(self.costs)} (the updates this history has), "
                             f"got {updates}")
        stopped = self.diverged and updates == len(self.costs)
        return TrainingHistory(
            lr=self.lr, nb_epochs=max(updates - 1, 0) if nb_epochs is None else nb_epochs,
            costs=self.costs[:updates], Ws=self.Ws[:updates + 1], bs=self.bs[:updates + 1],
            diverged_at=self.diverged_at if stopped else None,
            diverged_cost=self.diverged_cost if stopped else None,
            dWs=self.dWs[:updates], dbs=self.dbs[:updates])

    def log_line(self, epoch):
        """Return the lecture's log line for ``epoch``: its cost (before the step), W and b (after it)."""
        epoch = validate_number(epoch, "epoch", integer=True, minimum=0)
        if epoch >= len(self.costs):
            raise ValueError(f"epoch must be below {len(self.costs)} (the updates this history has), got {epoch}")
        return LOG_FORMAT.format(epoch, self.nb_epochs, self.Ws[epoch + 1], self.bs[epoch + 1], self.costs[epoch])

    def log_lines(self, every=100):
        """Return the lecture's log lines (one per ``every`` epochs) as a list of strings."""
        every = validate_number(every, "every", integer=True, minimum=1)
        return [self.log_line(e) for e in range(0, len(self.costs), every)]

    def predict(self, hours):
        """Return the prediction W * hours + b (float) with the last W and b."""
        hours = validate_number(hours, "hours")
        return self.W * hours + self.b

    @property
    def message(self):
        """A one-line summary in Korean: where and why training diverged, or that the cost is growing."""
        if self.diverged:
            reason = ("NaN/inf 가 되었습니다" if not math.isfinite(self.diverged_cost)
                      else f"{self.diverged_cost:.3g} 로, 처음 cost {self.costs[0]:.3g} 의 "
                           f"{DIVERGENCE_FACTOR:.0e} 배를 넘었습니다")
            return (f"발산(diverged): epoch {self.diverged_at} 에서 cost 가 {reason}. "
                    f"learning rate {self.lr:g} 가 너무 커서 매 step 이 최소점을 지나쳐 점점 멀어집니다. "
                    f"lr 을 줄이세요.")
        if len(self.costs) > 1 and self.costs[-1] > self.costs[0]:
            return (f"cost 가 줄지 않고 커지고 있습니다 ({self.costs[0]:.3g} -> {self.costs[-1]:.3g}): "
                    f"learning rate {self.lr:g} 가 너무 커서 발산하는 중입니다. lr 을 줄이세요.")
        if not self.costs:
            return "아직 update 가 없습니다 (W, b 는 시작값)."
        return (f"학습 완료: {len(self.costs)} 번 update, W = {self.W:.3f}, b = {self.b:.3f}, "
                f"마지막 cost = {self.costs[-1]:.6f}")


class SGDRun:
    """The lesson's training loop, resumable: ``advance(n)`` runs the next ``n`` epochs.

    Each epoch is exactly the loop body of ``notebooks/05_training_loop.ipynb`` (hypothesis,
    cost, ``zero_grad()``, ``backward()``, ``step()`` on the same tensors and optimizer), so
    advancing 10 then 991 epochs gives bit for bit what one loop of 1001 epochs gives.
    ``history`` grows as it runs (with the gradients of every epoch). If the cost becomes NaN/inf
    or exceeds DIVERGENCE_FACTOR times the first cost, the run stops for good (no exception, no
    warning) and ``history`` says at which epoch.
    """

    def __init__(self, x_train, y_train, lr=0.01, W0=0.0, b0=0.0):
        validate_xy(x_train, y_train)
        lr = validate_number(lr, "lr", positive=True)
        W0 = validate_number(W0, "W0")
        b0 = validate_number(b0, "b0")
        self.x_train, self.y_train = x_train, y_train
        self.W = torch.full((1,), W0, requires_grad=True)
        self.b = torch.full((1,), b0, requires_grad=True)
        self.optimizer = optim.SGD([self.W, self.b], lr=lr)
        self.history = TrainingHistory(lr=lr, nb_epochs=0, Ws=[self.W.item()], bs=[self.b.item()])
        self._limit = None

    @property
    def updates(self):
        """How many epochs (updates) have run."""
        return len(self.history.costs)

    @property
    def stopped(self):
        """True once the run has diverged; ``advance`` then does nothing."""
        return self.history.diverged

    def advance(self, n=1):
        """Run up to ``n`` more epochs (fewer if training diverges); return how many ran."""
        n = validate_number(n, "n", integer=True, minimum=0)
        x_train, y_train, W, b, optimizer = self.x_train, self.y_train, self.W, self.b, self.optimizer
        history = self.history
        done = 0
        while done < n and not history.diverged:
            epoch = len(history.costs)
            hypothesis = x_train * W + b
            cost = torch.mean((hypothesis - y_train) ** 2)
            c = cost.item()
            if self._limit is None:
                self._limit = DIVERGENCE_FACTOR * max(c, 1e-12)
            if not math.isfinite(c) or c > self._limit:
                history.diverged_at, history.diverged_cost = epoch, c
                break

            optimizer.zero_grad()
            cost.backward()
            optimizer.step()

            history.costs.append(c)
            history.Ws.append(W.item())
            history.bs.append(b.item())
            history.dWs.append(W.grad.item())
            history.dbs.append(b.grad.item())
            done += 1
        return done

    def advance_to(self, updates):
        """Run until ``updates`` epochs have run in all (or training diverged); return how many ran now."""
        updates = validate_number(updates, "updates", integer=True, minimum=0)
        return self.advance(max(updates - self.updates, 0))


def train_sgd(x_train, y_train, lr=0.01, nb_epochs=1000, W0=0.0, b0=0.0, log_every=None):
    """Train H(x) = W x + b with ``optim.SGD`` exactly as the lecture does; return a TrainingHistory.

    The loop runs ``for epoch in range(nb_epochs + 1)`` (the write-up's log goes from epoch 0 to
    ``nb_epochs``), one ``SGDRun`` epoch at a time. With ``log_every`` it prints the lecture's log
    line every ``log_every`` epochs. If the cost becomes NaN/inf or exceeds DIVERGENCE_FACTOR times
    the first cost, training stops and the history says at which epoch (no exception, no warning).
    Defined in ``notebooks/05_training_loop.ipynb``.
    """
    nb_epochs = validate_number(nb_epochs, "nb_epochs", integer=True, minimum=0)
    if log_every is not None:
        log_every = validate_number(log_every, "log_every", integer=True, minimum=1)
    run = SGDRun(x_train, y_train, lr=lr, W0=W0, b0=b0)
    run.history.nb_epochs = nb_epochs
    for epoch in range(nb_epochs + 1):
        if not run.advance(1):
            break
        if log_every is not None and epoch % log_every == 0:
            print(run.history.log_line(epoch))

    if log_every is not None and run.history.diverged:
        print(run.history.message)
    return run.history
