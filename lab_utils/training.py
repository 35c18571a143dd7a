"""Hypothesis, cost, gradients and the SGD training loop. Each function is first written out in the lesson
its docstring names; ``tests/test_lessons_match_lab_utils.py`` keeps the lesson's copy and this one equal."""

import math
from dataclasses import dataclass, field

import torch

from .data import validate_column, validate_number, validate_xy

DIVERGENCE_FACTOR = 1e6     #: a run counts as diverged once its cost is this many times its first cost
LOG_FORMAT = "Epoch {:4d}/{} W: {:.3f}, b: {:.3f} Cost: {:.6f}"


def compute_cost(hypothesis, y_train):
    """The mean squared error ``torch.mean((hypothesis - y_train) ** 2)`` (a 0-d tensor). Lesson 3."""
    return torch.mean((hypothesis - y_train) ** 2)


def gradients_by_hand(x_train, y_train, W, b):
    """``(dW, db)``, the MSE's gradients as 0-d tensors: dW = (2/m) sum((Wx + b - y) x), db = (2/m)
    sum(Wx + b - y). Lesson 6."""
    validate_xy(x_train, y_train)
    with torch.no_grad():
        error = x_train * W + b - y_train
        return 2 / len(x_train) * torch.sum(error * x_train), 2 / len(x_train) * torch.sum(error)


def stability_limit(x_train):
    """The largest learning rate for which gradient descent on the MSE converges: 2 / the largest
    eigenvalue of the cost's Hessian (2/m) [[sum x², sum x], [sum x, m]]. Lesson 6."""
    x = validate_column(x_train, "x_train").double().flatten()
    m = len(x)
    hessian = 2 / m * torch.tensor([[torch.sum(x * x), torch.sum(x)], [torch.sum(x), m]], dtype=torch.float64)
    return 2 / torch.linalg.eigvalsh(hessian).max().item()


def best_fit(x_train, y_train):
    """``(W, b)`` (floats) minimising the MSE, by least squares; ValueError if all x are equal."""
    x, y = (t.double().flatten() for t in validate_xy(x_train, y_train))
    spread = torch.sum((x - x.mean()) ** 2)
    if spread == 0:
        raise ValueError("x_train needs at least two different values to define a best line")
    W = torch.sum((x - x.mean()) * (y - y.mean())) / spread
    return W.item(), (y.mean() - W * x.mean()).item()


@dataclass
class TrainingHistory:
    """What a training run did: ``costs[e]`` is epoch e's cost (before its step); ``Ws[e + 1]``,
    ``bs[e + 1]`` are W and b after that step (``Ws[0]``, ``bs[0]``: the start); ``dWs[e]``, ``dbs[e]``
    its gradients (when recorded); ``diverged_at``: the epoch where training stopped as diverged."""

    lr: float
    nb_epochs: int
    costs: list = field(default_factory=list)
    Ws: list = field(default_factory=list)
    bs: list = field(default_factory=list)
    diverged_at: int = None
    diverged_cost: float = None
    dWs: list = field(default_factory=list)
    dbs: list = field(default_factory=list)

    W = property(lambda self: self.Ws[-1], doc="The last W (float).")
    b = property(lambda self: self.bs[-1], doc="The last b (float).")
    diverged = property(lambda self: self.diverged_at is not None, doc="True if training stopped as diverged.")

    growing = property(lambda self: len(self.costs) > 1 and self.costs[-1] > self.costs[0],
                       doc="True if the last cost is above the first: lr too large, diverging or about to.")

    def first(self, updates, nb_epochs=None):
        """A new history of the first ``updates`` updates, diverged only if this one diverged right
        after them; its log lines print ``/nb_epochs`` (default ``updates - 1``)."""
        updates = validate_number(updates, "updates", integer=True, minimum=0)
        if updates > len(self.costs):
            raise ValueError(f"updates must be at most {len(self.costs)} (the updates this history has), got {updates}")
        stopped = self.diverged and updates == len(self.costs)
        return TrainingHistory(self.lr, max(updates - 1, 0) if nb_epochs is None else nb_epochs, self.costs[:updates],
                               self.Ws[:updates + 1], self.bs[:updates + 1], self.diverged_at if stopped else None,
                               self.diverged_cost if stopped else None, self.dWs[:updates], self.dbs[:updates])

    def log_line(self, epoch):
        """The lecture's log line for ``epoch``: its cost (before the step), W and b (after it)."""
        epoch = validate_number(epoch, "epoch", integer=True, minimum=0)
        if epoch >= len(self.costs):
            raise ValueError(f"epoch must be below {len(self.costs)} (the updates this history has), got {epoch}")
        return LOG_FORMAT.format(epoch, self.nb_epochs, self.Ws[epoch + 1], self.bs[epoch + 1], self.costs[epoch])

    def log_lines(self, every=100):
        """The lecture's log lines, one per ``every`` epochs (a list of strings)."""
        every = validate_number(every, "every", integer=True, minimum=1)
        return [self.log_line(e) for e in range(0, len(self.costs), every)]

    def predict(self, hours):
        """The prediction W * hours + b (float) with the last W and b."""
        return self.W * validate_number(hours, "hours") + self.b

    @property
    def message(self):
        """One line in Korean: where and why training diverged, that the cost grows, or the result."""
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
    """True if a run counts as diverged at ``cost``: NaN/inf, or above DIVERGENCE_FACTOR x the first cost."""
    return not math.isfinite(cost) or cost > DIVERGENCE_FACTOR * max(first_cost, 1e-12)


def train_sgd(x_train, y_train, lr=0.01, nb_epochs=1000, W0=0.0, b0=0.0, log_every=None):
    """Train H(x) = W x + b as lesson 5's loop does (``optim.SGD``, ``range(nb_epochs + 1)``); return its
    TrainingHistory, bit for bit that loop's numbers (computed by ``train_sgd_many``). ``log_every``: print
    the lecture's log line every so many epochs. A diverging run stops before that epoch's step."""
    lr = validate_number(lr, "lr", positive=True)
    log_every = None if log_every is None else validate_number(log_every, "log_every", integer=True, minimum=1)
    history = train_sgd_many(x_train, y_train, [lr], nb_epochs, W0, b0)[lr]
    if log_every:
        print("\n".join(history.log_lines(log_every) + ([history.message] if history.diverged else [])))
    return history


def train_sgd_many(x_train, y_train, lrs, nb_epochs=1000, W0=0.0, b0=0.0):
    """Train once per learning rate in ``lrs``, all at once; return ``{lr: TrainingHistory}``, each bit for
    bit lesson 5's loop with ``optim.SGD`` for that lr (every update: ``tests/test_training.py``).

    W and b hold one value per learning rate, so the lesson's loop body runs once per epoch for all:
    ``hypothesis`` is [m, len(lrs)], the cost one mean per column; each column's gradient as autograd's backward()
    computes it, op for op, without its graph (4x quicker); each steps with its own lr, ``p + (-lr) * grad``, as SGD.
    """
    validate_xy(x_train, y_train)
    lrs = [validate_number(lr, "lrs", positive=True) for lr in lrs]
    nb_epochs = validate_number(nb_epochs, "nb_epochs", integer=True, minimum=0)
    W0, b0 = validate_number(W0, "W0"), validate_number(b0, "b0")
    if not lrs or len(set(lrs)) != len(lrs):
        raise ValueError(f"lrs must be one or more different learning rates, got {lrs}")
    W, b = torch.full((len(lrs),), W0), torch.full((len(lrs),), b0)
    start = W[0].item(), b[0].item()                   # W0 and b0 as float32, as the lesson's W and b
    minus_lr = torch.tensor([-lr for lr in lrs])        # float32, as SGD's step turns lr into one
    rows = torch.empty(nb_epochs + 1, 5, len(lrs))     # epoch e: its cost, W and b after its step, gradients
    mean_grad = torch.ones(len(x_train), len(lrs)) / len(x_train)
    for epoch in range(nb_epochs + 1):
        error = x_train * W + b - y_train
        cost = torch.mean(error ** 2, dim=0)
        grad = mean_grad * (2.0 * error)
        dW, db = (grad * x_train).sum(0), grad.sum(0)
        W.addcmul_(dW, minus_lr)
        b.addcmul_(db, minus_lr)
        torch.stack((cost, W, b, dW, db), out=rows[epoch])
    histories = {}
    for i, lr in enumerate(lrs):
        costs, Ws, bs, dWs, dbs = rows[:, :, i].T.tolist()
        stop = next((e for e, c in enumerate(costs) if diverged(c, costs[0])), len(costs))
        end = (stop, costs[stop]) if stop < len(costs) else (None, None)
        histories[lr] = TrainingHistory(lr, nb_epochs, costs[:stop], [start[0]] + Ws[:stop], [start[1]] + bs[:stop],
                                        *end, dWs[:stop], dbs[:stop])
    return histories
