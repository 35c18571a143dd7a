"""What the training panel shows, as plain Python (no figure, no widgets), tested on its own:
``TrainingRuns`` trains every learning rate of the slider at once (``train_sgd_many``), from (0, 0) up
front, from a start the learner picks as far as a view needs; ``view`` cuts a run at a position,
``race_lrs`` picks a race's learning rates, and ``status_html`` says in words and numbers what the
picture shows.
"""

import html
import math
from collections import namedtuple

from .data import validate_number
from .plotting import LOG_FLOOR
from .training import train_sgd_many

#: The learning-rate slider: 1-2-5 steps from 1e-4 to 1 (0.01 is the lecture's), plus 0.17 and 0.19 on
#: either side of this data's stability limit (about 0.18, derived in lesson 6).
LR_STOPS = (0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.17, 0.19, 0.2, 0.5, 1.0)
EPOCHS_MAX = 5000   #: the epochs slider's maximum; Step and x10 go on to EPOCHS_MAX + 1 updates
STATUS_STYLE = "font-size: 17px; line-height: 1.5;"
_RED, _GREEN = "#b00020", "#1b5e20"


#: The run of ``lr`` after ``position`` updates (``history``: epochs 0 .. position - 1, its log lines
#: printing ``/nb_epochs``), the cost before any update, the cost axes' ``cost_limits`` (xlim, ylim: round,
#: so a learner meets the same few frames again, which live.LiveFigure keeps) and ``note``: why a Step got
#: less than it asked for.
TrainingView = namedtuple("TrainingView", "lr nb_epochs position history start_cost cost_limits note")


def _cost_limits(costs, last_epoch):
    """The cost axes' (xlim, ylim) for ``costs`` up to ``last_epoch``: 0 .. a round x_max, powers of 10."""
    low = math.floor(math.log10(max(min(costs), LOG_FLOOR)))
    high = max(math.ceil(math.log10(max(max(costs), LOG_FLOOR))), low + 1)
    scale = 10 ** math.floor(math.log10(max(last_epoch, 10)))      # x_max: 10, 12, 15, 20, 25, 30, 40 ...
    x_max = next(int(s * scale) for s in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if s * scale >= last_epoch)
    return (-0.02 * x_max, 1.02 * x_max), (10.0 ** (low - 0.1), 10.0 ** (high + 0.1))


START_LIMITS = [_cost_limits([10 ** (k + 0.5)], 10) for k in (-1, 0, 1)]   #: a start's, its cost 0.1 .. 100


class TrainingRuns:
    """Every lr of the slider trained from ``start`` (W0, b0) with the lesson's loop, ``updates`` updates
    (default ``max_epochs + 1``) and more, up to that, when a view needs them; ``view`` cuts a run."""

    def __init__(self, x_train, y_train, lrs=LR_STOPS, max_epochs=EPOCHS_MAX, start=(0.0, 0.0), updates=None):
        self.max_updates = validate_number(max_epochs, "max_epochs", integer=True, minimum=0) + 1
        self.data, self.lrs, self.start = (x_train, y_train), tuple(lrs), start
        self._train(self.max_updates if updates is None else updates)

    def _train(self, updates):
        self.trained = min(1 << (max(updates, 1) - 1).bit_length(), self.max_updates)   # a power of two, or all
        self.histories = train_sgd_many(*self.data, self.lrs, self.trained - 1, *self.start)

    def from_start(self, W0, b0, updates=64):
        """The same learning rates from (W0, b0) (as float32, the lesson's W and b): ``updates`` (at least 64)
        now, more when a view needs them, each time up to a power of two."""
        return TrainingRuns(*self.data, self.lrs, self.max_updates - 1, (W0, b0), updates=max(updates, 64))

    def view(self, lr, nb_epochs, position, stepped=False):
        """The TrainingView of ``lr`` after ``position`` updates (at most what the run has); ``stepped``:
        the position came from Step or x10, so going past the end gets a note."""
        if (lr := validate_number(lr, "lr", positive=True)) not in self.histories:
            raise ValueError(f"lr must be one of {', '.join(f'{v:g}' for v in self.histories)}, got {lr:g}")
        if position > self.trained and not self.histories[lr].diverged:     # the same runs, further
            self._train(position)
        full = self.histories[lr]
        shown = min(position, len(full.costs))
        history = full.first(shown, nb_epochs=max(nb_epochs, shown - 1))
        note = ""
        if stepped and position > shown:
            note = ("발산해서 더 진행할 수 없습니다. learning rate를 줄이거나 Reset을 누르세요." if full.diverged
                    else f"최대 {self.max_updates}번 update까지입니다.")
        last_epoch = history.diverged_at if history.diverged else shown - 1
        limits = _cost_limits(history.costs or full.costs[:1], max(last_epoch, 10))
        return TrainingView(lr, nb_epochs, shown, history, full.costs[0], limits, note)


def race_lrs(lr, stops=LR_STOPS):
    """A race's three learning rates: ``lr`` and its neighbours on the slider (at an end, the two nearest)."""
    i = min(max(stops.index(lr), 1), len(stops) - 2)
    return list(stops[i - 1:i + 2])


def joint_cost_limits(views):
    """The cost axes' (xlim, ylim) that hold every view's cost_limits (still round numbers)."""
    (x_lo, x_hi), (y_lo, y_hi) = (zip(*axis) for axis in zip(*(v.cost_limits for v in views)))
    return (min(x_lo), max(x_hi)), (min(y_lo), max(y_hi))


def _race_line(view, colour):
    """One run of a race in a few words: its lr, its colour, where it diverged or where it is."""
    h = view.history
    where = (f"epoch {h.diverged_at}에서 발산했습니다" if h.diverged else f"{view.position}번 update 후 "
             f"W = {h.W:.3f}, b = {h.b:.3f}" + (f" (그 update 전 cost = {h.costs[-1]:.6f})" if h.costs else ""))
    return f"lr {view.lr:g} ({colour} 선): {where}"


def _number(v):
    """``v`` as the text's formulas show it: 4 decimals (tiny: 2 significant digits, not -0.0000), "−" for minus."""
    return (f"{v:.4f}" if v == 0 or abs(v) >= 5e-5 else f"{v:.1e}").replace("-", "−")


def status_html(view, x_test, race=(), colours=(), y_range=(-math.inf, math.inf)):
    """The training panel's text for ``view`` (a TrainingView) and the question ``x_test`` hours: HTML;
    first where the run started and, in a ``race`` (TrainingViews drawn in ``colours``), each run's result;
    whether H(x_test) is above or below the fit axes' ``y_range``; a note only if no run could go on."""
    h, k = view.history, view.position
    lines = [f"시작점: <b>W₀ = {h.Ws[0]:.2f}, b₀ = {h.bs[0]:.2f}</b> "
             "(바꾸려면 cost 등고선을 클릭하거나 W₀, b₀ 칸에 값을 넣으세요)"]
    lines += [_race_line(v, c) for v, c in zip(race, colours)] if len(race) > 1 else []
    lines += [f"<b>learning rate = {view.lr:g}</b> · epochs 슬라이더 = {view.nb_epochs} · 지금까지 <b>{k}</b>번 update"]
    if k == 0:
        lines.append(f"시작: W = {h.W:.3f}, b = {h.b:.3f}, cost = {view.start_cost:.6f} "
                     "(아직 update 없음. Step을 눌러 보세요)")
    else:
        e = k - 1
        lines.append(f"<code style='font-size: 17px'>{html.escape(h.log_line(e))}</code>")
        dW, db, W, W_next, b, b_next = map(_number, (h.dWs[e], h.dbs[e], h.Ws[e], h.Ws[e + 1], h.bs[e], h.bs[e + 1]))
        lines.append(f"마지막 update(epoch {e})의 gradient: ∂cost/∂W = {dW}, ∂cost/∂b = {db}"
                     f" → W: {W} − {view.lr:g} × ({dW}) = {W_next}, b: {b} − {view.lr:g} × ({db}) = {b_next}")
    off = "위쪽" if (H := h.predict(x_test)) > y_range[1] else "아래쪽" if H < y_range[0] else ""
    lines.append(f"H({x_test:g}) = {H:.3f} ({x_test:g}시간 공부하면)" + (off and f" · 그림 밖({off})이라 빨간 네모가 보이지 않습니다"))
    if h.diverged or h.growing:
        lines.append(f"<span style='color: {_RED}'><b>{html.escape(h.message)}</b></span>")
    elif h.costs and not any(h.dWs + h.dbs):      # a start at the minimum: no gradient, nothing moves
        lines.append(f"<span style='color: {_GREEN}'>gradient가 0이라 W와 b가 움직이지 않고 cost도 그대로입니다"
                     f"({h.costs[0]:.6f}): cost가 가장 작은 곳에서 시작했습니다.</span>")
    elif len(h.costs) == 1:
        lines.append(f"<span style='color: {_GREEN}'>epoch 0의 cost({h.costs[0]:.6f})는 W와 b를 바꾸기 전의 값입니다. "
                     "Step을 더 눌러 cost가 줄어드는지 보세요.</span>")
    elif h.costs:
        trend = "줄어들고 있습니다" if h.costs[-1] < h.costs[0] else "그대로입니다"
        lines.append(f"<span style='color: {_GREEN}'>cost: {h.costs[0]:.6f} (epoch 0) → {h.costs[-1]:.6f} "
                     f"(epoch {k - 1}), {trend}.</span>")
    if view.note and all(v.note for v in race):      # in a race, Step goes on while any run can
        lines.append(f"<span style='color: {_RED}'><b>{html.escape(view.note)}</b></span>")
    return f"<div style='{STATUS_STYLE}'>" + "<br>".join(lines) + "</div>"
