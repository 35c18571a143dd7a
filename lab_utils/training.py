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

    @property
    def growing(self):
        """True if the last cost is above the first: a learning rate too large, diverging or about to."""
        return len(self.costs) > 1 and self.costs[-1] > self.costs[0]

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
        """A one-line summary in Korean: where and why training diverged, that the cost grows, or the result."""
        lr = f"learning rate({self.lr:g})"
        if self.diverged:
            reason = ("NaN/inf가 되었습니다" if not math.isfinite(self.diverged_cost) else
                      f"처음 cost({self.costs[0]:.3g})의 100만 배를 넘었습니다({self.diverged_cost:.3g})")
            return (f"발산(diverged): epoch {self.diverged_at}에서 cost가 {reason}. {lr}가 너무 커서 매 update가 "
                    "최소점을 지나쳐 점점 멀어집니다. lr을 줄이세요.")
        if not self.costs:
            return "아직 update가 없습니다(W와 b는 시작값)."
        if self.growing:
            return (f"cost가 줄지 않고 커지고 있습니다({self.costs[0]:.3g} → {self.costs[-1]:.3g}): {lr}가 너무 커서 "
                    "발산하는 중입니다. lr을 줄이세요.")
        done = (f"학습 완료: {len(self.costs)}번 update, W = {self.W:.3f}, b = {self.b:.3f}, "
                f"마지막 cost = {self.costs[-1]:.6f}")
        if len(self.costs) > 1 and self.costs[-1] > 0.5 * self.costs[0]:
            done += (f" (처음 cost의 {self.costs[-1] / self.costs[0]:.0%}: 거의 줄지 않았습니다. learning rate가 "
                     "너무 작거나, 한계에 너무 가까워 지그재그만 하고 있습니다)")
        return done


def diverged(cost, first_cost):
    """True if training counts as diverged at ``cost`` (a float): NaN/inf, or above DIVERGENCE_FACTOR
    times the first cost. ``train_sgd`` and ``train_sgd_many`` stop there, before that epoch's step."""
    return not math.isfinite(cost) or cost > DIVERGENCE_FACTOR * max(first_cost, 1e-12)


def train_sgd(x_train, y_train, lr=0.01, nb_epochs=1000, W0=0.0, b0=0.0, log_every=None):
    """Train H(x) = W x + b with ``optim.SGD`` as the write-up does (``range(nb_epochs + 1)``); return
    a TrainingHistory of every epoch. ``log_every``: print the lecture's log line every so many epochs.
    A diverging run (see ``diverged``) stops before that epoch's step, with no exception or warning.
    Defined in ``notebooks/05_training_loop.ipynb``."""
    validate_xy(x_train, y_train)
    lr = validate_number(lr, "lr", positive=True)
    nb_epochs = validate_number(nb_epochs, "nb_epochs", integer=True, minimum=0)
    W0, b0 = validate_number(W0, "W0"), validate_number(b0, "b0")
    if log_every is not None:
        log_every = validate_number(log_every, "log_every", integer=True, minimum=1)
    W = torch.full((1,), W0, requires_grad=True)
    b = torch.full((1,), b0, requires_grad=True)
    optimizer = optim.SGD([W, b], lr=lr)
    history = TrainingHistory(lr=lr, nb_epochs=nb_epochs, Ws=[W.item()], bs=[b.item()])
    for epoch in range(nb_epochs + 1):
        hypothesis = x_train * W + b
        cost = torch.mean((hypothesis - y_train) ** 2)
        c = cost.item()
        if diverged(c, history.costs[0] if history.costs else c):
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
        if log_every is not None and epoch % log_every == 0:
            print(history.log_line(epoch))

    if log_every is not None and history.diverged:
        print(history.message)
    return history


def train_sgd_many(x_train, y_train, lrs, nb_epochs=1000, W0=0.0, b0=0.0):
    """Train once per learning rate in ``lrs``, all at once; return ``{lr: TrainingHistory}``.

    Each history equals ``train_sgd(x_train, y_train, lr, nb_epochs, W0, b0)`` bit for bit (every cost,
    W, b, gradient and the epoch where it diverged; ``tests/test_training.py`` checks every update).
    W and b hold one value per learning rate (shape ``[len(lrs)]``), so the lesson's loop body runs
    once per epoch for all of them: ``hypothesis`` is ``[m, len(lrs)]``, the cost is one mean per
    column, the gradient of their sum gives each column its own cost's gradient, and each column
    steps with its own lr, ``p + (-lr) * grad`` rounded once, as ``optim.SGD``'s ``step()`` does.
    """
    validate_xy(x_train, y_train)
    lrs = [validate_number(lr, "lrs", positive=True) for lr in lrs]
    if not lrs or len(set(lrs)) != len(lrs):
        raise ValueError(f"lrs must be one or more different learning rates, got {lrs}")
    nb_epochs = validate_number(nb_epochs, "nb_epochs", integer=True, minimum=0)
    W0, b0 = validate_number(W0, "W0"), validate_number(b0, "b0")
    W = torch.full((len(lrs),), W0, requires_grad=True)
    b = torch.full((len(lrs),), b0, requires_grad=True)
    start = W[0].item(), b[0].item()                   # W0 and b0 as float32, as train_sgd keeps them
    minus_lr = torch.tensor([-lr for lr in lrs])        # float32, as SGD's step turns lr into one
    rows = torch.empty(nb_epochs + 1, 5, len(lrs))     # epoch e: its cost, W and b after its step, gradients
    for epoch in range(nb_epochs + 1):
        hypothesis = x_train * W + b
        cost = torch.mean((hypothesis - y_train) ** 2, dim=0)
        # The gradient of the sum (a scalar: a non-scalar grad_outputs would import sympy, 0.3 s).
        dW, db = torch.autograd.grad(cost.sum(), (W, b))
        with torch.no_grad():
            W.addcmul_(dW, minus_lr)
            b.addcmul_(db, minus_lr)
            torch.stack((cost, W, b, dW, db), out=rows[epoch])
    histories = {}
    for i, lr in enumerate(lrs):
        costs, Ws, bs, dWs, dbs = rows[:, :, i].T.tolist()
        stop = next((e for e, c in enumerate(costs) if diverged(c, costs[0])), len(costs))
        histories[lr] = TrainingHistory(lr, nb_epochs, costs[:stop], [start[0]] + Ws[:stop], [start[1]] + bs[:stop],
                                        stop if stop < len(costs) else None,
                                        costs[stop] if stop < len(costs) else None, dWs[:stop], dbs[:stop])
    return histories
