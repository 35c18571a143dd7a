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
            cost = f"{self.diverged_cost:.3g}"
            reason = ("NaN/inf가 되었습니다" if not math.isfinite(self.diverged_cost)
                      else f"{cost}{_particle(cost, '으로', '로')}, 처음 cost {self.costs[0]:.3g}의 "
                           f"{DIVERGENCE_FACTOR:.0e}배를 넘었습니다")
            lr = f"{self.lr:g}"
            return (f"발산(diverged): epoch {self.diverged_at}에서 cost가 {reason}. "
                    f"learning rate {lr}{_particle(lr, '이', '가')} 너무 커서 매 update가 최소점을 지나쳐 "
                    f"점점 멀어집니다. lr을 줄이세요.")
        if len(self.costs) > 1 and self.costs[-1] > self.costs[0]:
            lr = f"{self.lr:g}"
            return (f"cost가 줄지 않고 커지고 있습니다({self.costs[0]:.3g} → {self.costs[-1]:.3g}): "
                    f"learning rate {lr}{_particle(lr, '이', '가')} 너무 커서 발산하는 중입니다. lr을 줄이세요.")
        if not self.costs:
            return "아직 update가 없습니다(W와 b는 시작값)."
        done = (f"학습 완료: {len(self.costs)}번 update, W = {self.W:.3f}, b = {self.b:.3f}, "
                f"마지막 cost = {self.costs[-1]:.6f}")
        if len(self.costs) > 1 and self.costs[-1] > 0.5 * self.costs[0]:
            done += (f" (처음 cost의 {self.costs[-1] / self.costs[0]:.0%}: 거의 줄지 않았습니다. learning rate가 "
                     f"너무 작거나, 한계에 너무 가까워 지그재그만 하고 있습니다)")
        return done


#: Digits read aloud in Korean whose reading ends in a consonant (영, 일, 삼, 육, 칠, 팔), and of
#: those the ones ending in ㄹ (일, 칠, 팔), which take 로 rather than 으로.
_BATCHIM_DIGITS, _RIEUL_DIGITS = set("013678"), set("178")


def _particle(number, after_consonant, after_vowel):
    """The particle that follows ``number`` (text ending in a digit) as it is read aloud.

    ``_particle("0.5", "이", "가")`` is "가" (영점오가); ``_particle("0.01", "이", "가")`` is "이"
    (영점영일이); for 으로/로, a reading ending in ㄹ takes 로 like a vowel (칠로, 팔로).
    """
    last = number[-1]
    consonant = last in _BATCHIM_DIGITS and not (after_vowel == "로" and last in _RIEUL_DIGITS)
    return after_consonant if consonant else after_vowel


def _diverged(cost, limit):
    """True if a cost (float) is NaN/inf or above ``limit``: training stops there (see DIVERGENCE_FACTOR)."""
    return not math.isfinite(cost) or cost > limit


def train_sgd(x_train, y_train, lr=0.01, nb_epochs=1000, W0=0.0, b0=0.0, log_every=None):
    """Train H(x) = W x + b with ``optim.SGD`` exactly as the lecture does; return a TrainingHistory.

    The loop runs ``for epoch in range(nb_epochs + 1)`` (the write-up's log goes from epoch 0 to
    ``nb_epochs``): hypothesis, cost, ``zero_grad()``, ``backward()``, ``step()``. The history keeps
    every epoch's cost, W, b and gradients. With ``log_every`` it prints the lecture's log line every
    ``log_every`` epochs. If the cost becomes NaN/inf or exceeds DIVERGENCE_FACTOR times the first
    cost, training stops before that epoch's step and the history says at which epoch (no
    exception, no warning). Defined in ``notebooks/05_training_loop.ipynb``.
    """
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
    limit = None
    for epoch in range(nb_epochs + 1):
        hypothesis = x_train * W + b
        cost = torch.mean((hypothesis - y_train) ** 2)
        c = cost.item()
        if limit is None:
            limit = DIVERGENCE_FACTOR * max(c, 1e-12)
        if _diverged(c, limit):
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
    """Train once per learning rate in ``lrs``, all at once; return the ``ManyRuns``.

    ``runs.history(lr)`` equals ``train_sgd(x_train, y_train, lr, nb_epochs, W0, b0)`` bit for bit
    (every cost, W, b, gradient and the epoch where it diverged; ``tests/test_training.py`` checks
    every update). Instead of one loop per learning rate, W and b hold one value per learning rate
    (shape ``[len(lrs)]``), so the lesson's loop body runs once per epoch for all of them:
    ``hypothesis`` is ``[m, len(lrs)]``, the cost is one mean per column, the gradient of their sum
    gives each column the gradient of its own cost, and each column steps with its own lr,
    ``p + (-lr) * grad`` rounded once, as ``optim.SGD``'s ``step()`` does. A run that diverges
    keeps being computed (no warning) and its history stops where ``train_sgd`` stops.
    """
    validate_xy(x_train, y_train)
    lrs = [validate_number(lr, "lrs", positive=True) for lr in lrs]
    if not lrs or len(set(lrs)) != len(lrs):
        raise ValueError(f"lrs must be one or more different learning rates, got {lrs}")
    nb_epochs = validate_number(nb_epochs, "nb_epochs", integer=True, minimum=0)
    W0, b0 = validate_number(W0, "W0"), validate_number(b0, "b0")
    k = len(lrs)
    W = torch.full((k,), W0, requires_grad=True)
    b = torch.full((k,), b0, requires_grad=True)
    minus_lr = torch.tensor([-lr for lr in lrs])       # float32, as SGD's step turns lr into one
    nan = torch.full((k,), math.nan)
    # Row 0: the start. Row e + 1: the cost and gradients of epoch e, and W, b after its step.
    rows = torch.empty(nb_epochs + 2, 5, k)
    rows[0] = torch.stack((nan, W.detach(), b.detach(), nan, nan))
    for epoch in range(nb_epochs + 1):
        hypothesis = x_train * W + b
        cost = torch.mean((hypothesis - y_train) ** 2, dim=0)
        # The gradient of the sum: each column gets its own cost's gradient (as cost.sum().backward(),
        # without .grad). A non-scalar grad_outputs would import sympy: 35 MB and 0.3 s, once.
        dW, db = torch.autograd.grad(cost.sum(), (W, b))
        with torch.no_grad():
            W.addcmul_(dW, minus_lr)
            b.addcmul_(db, minus_lr)
            torch.stack((cost, W, b, dW, db), out=rows[epoch + 1])
    return ManyRuns(lrs, nb_epochs, rows)


class ManyRuns:
    """What ``train_sgd_many`` computed, kept as one tensor; ``history(lr)`` gives one run's history.

    ``lrs`` are the learning rates in order, ``nb_epochs`` what each ran (``range(nb_epochs + 1)``).
    """

    def __init__(self, lrs, nb_epochs, rows):
        self.lrs, self.nb_epochs, self._rows = list(lrs), nb_epochs, rows
        self._column = {lr: i for i, lr in enumerate(self.lrs)}
        costs = rows[1:, 0, :].double()
        first = costs[0]
        limit = DIVERGENCE_FACTOR * first.clamp(min=1e-12)
        bad = ~torch.isfinite(costs) | (costs > limit)        # where train_sgd stops, per column
        self._stops = [int(bad[:, i].nonzero()[0]) if bad[:, i].any() else None for i in range(len(self.lrs))]

    def __contains__(self, lr):
        return lr in self._column

    def updates(self, lr):
        """How many updates the run of ``lr`` made (``nb_epochs + 1``, fewer if it diverged)."""
        stop = self._stops[self._column[lr]]
        return self.nb_epochs + 1 if stop is None else stop

    def start_cost(self, lr):
        """The cost at the start (epoch 0, before any step) of the run of ``lr``: a float."""
        return self._rows[1, 0, self._column[lr]].item()

    def history(self, lr, updates=None, nb_epochs=None):
        """The TrainingHistory of ``lr`` after its first ``updates`` updates (default: all of them).

        As ``TrainingHistory.first``: it says diverged only if the run diverged right after them;
        ``nb_epochs`` (default: the run's) is what its log lines print after the slash.
        """
        if lr not in self._column:
            raise ValueError(f"lr must be one of {', '.join(f'{v:g}' for v in self.lrs)}, got {lr:g}")
        i, total = self._column[lr], self.updates(lr)
        n = total if updates is None else validate_number(updates, "updates", integer=True, minimum=0)
        if n > total:
            raise ValueError(f"updates must be at most {total} (the updates this run has), got {n}")
        costs, Ws, bs, dWs, dbs = self._rows[:n + 1, :, i].T.tolist()
        stop = self._stops[i] if n == total else None
        return TrainingHistory(lr=lr, nb_epochs=self.nb_epochs if nb_epochs is None else nb_epochs,
                               costs=costs[1:], Ws=Ws, bs=bs, dWs=dWs[1:], dbs=dbs[1:], diverged_at=stop,
                               diverged_cost=None if stop is None else self._rows[stop + 1, 0, i].item())
