"""Interactive panels for the lessons (ipywidgets): feel the learning rate, the epochs, W and b.

- ``TrainingPanel``: learning-rate and epochs sliders, and classroom buttons Step / x10 / Run /
  Reset. When it is made it trains every learning rate of its slider at once with the lesson's
  own loop (``TrainingRuns``, ``training.train_sgd_many``); a move then only picks what to show
  (``TrainingRuns.view``, ``status_html``: plain Python) and redraws together the fitted line, the
  cost per epoch and the (W, b) path on the cost contour.
- ``ManualFitPanel``: W and b sliders; the line, its errors (as squares when teaching MSE), the
  live cost and the cost curve over W.

Every move redraws in place (``live.LiveFigure``), so a move costs a few milliseconds
(``benchmarks/widget_latency.py`` measures it). No thread, no timer: an idle panel uses no CPU.

Before a panel's cell runs (on GitHub, or a lesson just opened), its stored output is a static
picture of the panel at its starting values: the panel offers that PNG next to the widget view,
and ``tools/refresh_notebooks.py`` stores only the PNG. Re-running a panel's cell closes the panel
that cell made before and makes a fresh one.
"""

import base64
import html
import math
import weakref
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib
import torch
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, MaxNLocator, NullLocator

from .data import load_train_data, validate_number, validate_xy
from .live import LiveFigure
from .plotting import (LOG_FLOOR, cost_grid, default_ranges, plot_cost_contour, plot_cost_history,
                       plot_data, plot_descent_path, plot_line, plot_residuals)
from .training import TrainingHistory, best_fit, compute_cost, train_sgd_many

#: The learning-rate slider's stops: a 1-2-5 log scale from 1e-4 to 1 (0.01 is the lecture's),
#: plus 0.17 and 0.19, which bracket this data's stability limit (about 0.18, Lab-02-6 derives it).
LR_STOPS = (0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.17, 0.19, 0.2, 0.5, 1.0)
#: The epochs slider's maximum; Step and x10 can go on to EPOCHS_MAX + 1 updates.
EPOCHS_MAX = 5000

#: Figure text size: readable on a projector.
FONT_SIZE = 12
#: The two-axes and three-axes panels' figure width in inches: 918 pixels at LiveFigure's 90 dpi, so that
#: a lesson shows them pixel for pixel from a 1366-pixel-wide browser window with the file browser open
#: (its output area is 919 pixels wide).
WIDE_FIGURE = 10.2
_BUTTON_STYLE = {"font_size": "16px", "font_weight": "bold"}
_STATUS_STYLE = "font-size: 17px; line-height: 1.5;"


# --- one panel per cell: re-running the cell replaces the panel it made -----------------------

_panels_by_cell = {}


def _parent_request():
    """The execute request of the running cell (a dict), or None outside a Jupyter kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return None
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return None
    try:
        return kernel.get_parent()
    except Exception:  # pragma: no cover - very old ipykernel
        return None


def _adopt(panel):
    """Remember which cell made ``panel``; close what that cell made in an earlier run."""
    parent = _parent_request() or {}
    cell = (parent.get("metadata") or {}).get("cellId")
    run = (parent.get("header") or {}).get("msg_id")
    if not cell or not run:
        return
    previous_run, panels = _panels_by_cell.get(cell, (None, []))
    if previous_run != run:
        for ref in panels:
            old = ref()
            if old is not None:
                old.close()
        panels = []
    panels.append(weakref.ref(panel))
    _panels_by_cell[cell] = (run, panels)


class _Panel(widgets.VBox):
    """What both panels share: a LiveFigure shown in an Image widget, a status line, closing."""

    # Class defaults, so that close() (which ipywidgets also calls from __del__) works on a panel
    # whose __init__ stopped early with a ValueError about its arguments.
    _closed = False
    _live = None
    _controls = ()
    _boxes = ()

    def __init__(self, children, live, status):
        self._live = live
        self.status = status
        # Shown pixel for pixel (sharp, and one decode per picture in the browser), narrower only
        # where the notebook is narrower than the picture; never stretched to the notebook's width.
        # No side margins: with ipywidgets' 2 px the panel would scroll sideways when it shrinks.
        self.image = widgets.Image(value=live.picture, format=live.FORMAT,
                                   layout=widgets.Layout(max_width="100%", height="auto", align_self="flex-start",
                                                         margin="2px 0"))
        super().__init__(children=list(children) + [self.status, self.image])
        _adopt(self)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = repr(self)
        if self._live is not None and self._live.picture is not None:
            bundle["image/png"] = base64.b64encode(self._live.png()).decode("ascii")
        return bundle

    def _own_widgets(self):
        return [w for w in (getattr(self, "status", None), getattr(self, "image", None)) if w is not None]

    @property
    def closed(self):
        """True once ``close()`` ran (the cell was re-run, or it was closed by hand)."""
        return self._closed

    def close(self):
        """Close the panel and every widget in it and free its figure. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for widget in self._own_widgets():
            widget.close()
        super().close()
        self._live = None

    def _show(self, picture):
        image = getattr(self, "image", None)    # None while the subclass draws its first picture
        if image is not None:
            image.value = picture


def _button(description, tooltip, icon=None, style="primary"):
    return widgets.Button(description=description, tooltip=tooltip, icon=icon or "", button_style=style,
                          style=_BUTTON_STYLE, layout=widgets.Layout(width="120px", height="40px"))


def _cost_view(history, start_cost, position):
    """The cost axes' view for a run shown up to ``position`` updates: (x_max, lowest, highest decade)."""
    costs = history.costs or [start_cost]
    # The plotted costs are floored at LOG_FLOOR; flooring the extremes gives the same range.
    lo_exp = math.floor(math.log10(max(min(costs), LOG_FLOOR)))
    hi_exp = max(math.ceil(math.log10(max(max(costs), LOG_FLOOR))), lo_exp + 1)
    last_epoch = history.diverged_at if history.diverged else position - 1
    return _nice_ceiling(max(last_epoch, 10)), lo_exp, hi_exp


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _decade_label(value, position=None):
    """A log axis' tick label as plain text: 10⁻⁴ (drawn as fast as any text, unlike mathtext)."""
    exponent = round(math.log10(value)) if value > 0 else 0
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def _set_cost_limits(ax, view):
    x_max, lo_exp, hi_exp = view
    ax.set_xlim(-0.02 * x_max, 1.02 * x_max)
    ax.set_ylim(10.0 ** (lo_exp - 0.1), 10.0 ** (hi_exp + 0.1))


def _nice_ceiling(value):
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of 10) that is >= value."""
    value = max(value, 1)
    scale = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * scale >= value - 1e-9:
            return int(round(step * scale))
    return int(10 * scale)  # pragma: no cover


@dataclass(frozen=True)
class TrainingView:
    """What the training panel shows: the run of ``lr`` after ``position`` updates.

    ``history`` holds epochs 0 .. position - 1 (its log lines print ``/nb_epochs``), ``start_cost``
    the cost at W = b = 0, ``cost_view`` the cost axes' (x_max, lowest, highest decade), and
    ``note`` why a Step asked for more than there is (else "").
    """

    lr: float
    nb_epochs: int
    position: int
    history: TrainingHistory
    start_cost: float
    cost_view: tuple
    note: str = ""


class TrainingRuns:
    """Every learning rate of the slider trained once, up front, and what to show for a setting.

    ``train_sgd_many`` runs the lesson's loop for all LR_STOPS at once, EPOCHS_MAX + 1 updates
    each (epochs 0 .. EPOCHS_MAX), equal bit for bit to ``train_sgd`` for each learning rate. After
    that, ``view(lr, nb_epochs, position)`` only cuts a run: plain Python, no figure, no widgets.
    """

    def __init__(self, x_train, y_train, lrs=LR_STOPS, max_epochs=EPOCHS_MAX):
        self.max_updates = validate_number(max_epochs, "max_epochs", integer=True, minimum=0) + 1
        self.runs = train_sgd_many(x_train, y_train, lrs, nb_epochs=max_epochs)

    def view(self, lr, nb_epochs, position, stepped=False):
        """The TrainingView of ``lr`` after ``position`` updates (at most what the run has).

        ``stepped``: the position came from Step/x10, so going past the end gets a note.
        """
        if lr not in self.runs:
            raise ValueError(f"lr must be one of {', '.join(f'{v:g}' for v in self.runs.lrs)}, got {lr:g}")
        shown = min(position, self.runs.updates(lr))
        history = self.runs.history(lr, shown, nb_epochs=max(nb_epochs, shown - 1))
        note = ""
        if stepped and position > shown:
            note = ("발산해서 더 진행할 수 없습니다. learning rate를 줄이거나 Reset을 누르세요."
                    if self.runs.updates(lr) < self.max_updates else f"최대 {self.max_updates}번 update까지입니다.")
        start_cost = self.runs.start_cost(lr)
        return TrainingView(lr=lr, nb_epochs=nb_epochs, position=shown, history=history, start_cost=start_cost,
                            cost_view=_cost_view(history, start_cost, shown), note=note)


def status_html(view, x_test):
    """The training panel's text for ``view`` (a TrainingView) and the question ``x_test`` hours: HTML."""
    h, k = view.history, view.position
    lines = [f"<b>learning rate = {view.lr:g}</b> · epochs slider = {view.nb_epochs} · "
             f"지금까지 <b>{k}</b>번 update"]
    if k == 0:
        lines.append(f"시작: W = {h.W:.3f}, b = {h.b:.3f}, cost = {view.start_cost:.6f} "
                     f"(아직 update 없음. Step을 눌러 보세요)")
    else:
        e = k - 1
        lines.append(f"<code style='font-size: 17px'>{html.escape(h.log_line(e), quote=False)}</code>")
        lines.append(f"마지막 update(epoch {e})의 gradient: ∂cost/∂W = {h.dWs[e]:.4f}, "
                     f"∂cost/∂b = {h.dbs[e]:.4f} → W: {h.Ws[e]:.4f} − {view.lr:g} × ({h.dWs[e]:.4f}) "
                     f"= {h.Ws[e + 1]:.4f}")
    lines.append(f"H({x_test:g}) = {h.predict(x_test):.3f} ({x_test:g}시간 공부하면)")
    if h.diverged or (len(h.costs) > 1 and h.costs[-1] > h.costs[0]):
        lines.append(f"<span style='color: #b00020'><b>{html.escape(h.message, quote=False)}</b></span>")
    elif len(h.costs) == 1:
        lines.append(f"<span style='color: #1b5e20'>epoch 0의 cost {h.costs[0]:.6f}는 W와 b를 바꾸기 전의 "
                     f"값입니다. Step을 더 눌러 cost가 줄어드는지 보세요.</span>")
    elif h.costs:
        lines.append(f"<span style='color: #1b5e20'>cost: {h.costs[0]:.6f} (epoch 0) → {h.costs[-1]:.6f} "
                     f"(epoch {k - 1}), 줄어들고 있습니다.</span>")
    if view.note:
        lines.append(f"<span style='color: #b00020'><b>{html.escape(view.note, quote=False)}</b></span>")
    return f"<div style='{_STATUS_STYLE}'>" + "<br>".join(lines) + "</div>"


class TrainingPanel(_Panel):
    """Train H(x) = Wx + b with the lesson's SGD loop and watch it: sliders, Step / x10 / Run / Reset.

    ``lr`` must be one of LR_STOPS; ``nb_epochs`` 0 .. EPOCHS_MAX. Every learning rate is trained
    when the panel is made (``TrainingRuns``, well under a second), so a move only looks up and
    redraws. The panel shows the state after ``position`` updates: a slider move or Run shows
    ``nb_epochs + 1`` updates (the lesson's ``range(nb_epochs + 1)``), Reset shows the start, Step
    and x10 add one or ten updates and show the gradients of the last one.
    """

    def __init__(self, x_train=None, y_train=None, lr=0.01, nb_epochs=1000, x_test=4.0):
        if x_train is None and y_train is None:
            x_train, y_train = load_train_data()
        validate_xy(x_train, y_train)
        lr = validate_number(lr, "lr", positive=True)
        if lr not in LR_STOPS:
            raise ValueError(f"lr must be one of the slider's values {', '.join(f'{v:g}' for v in LR_STOPS)}, "
                             f"got {lr:g}")
        nb_epochs = validate_number(nb_epochs, "nb_epochs", integer=True, minimum=0)
        if nb_epochs > EPOCHS_MAX:
            raise ValueError(f"nb_epochs must be at most {EPOCHS_MAX} (the epochs slider's maximum), got {nb_epochs}")
        self.x_train, self.y_train = x_train, y_train
        self.x_test = validate_number(x_test, "x_test")
        self.lr, self.nb_epochs, self.position = lr, nb_epochs, nb_epochs + 1
        self.runs = TrainingRuns(x_train, y_train)
        self.view = self.history = None

        self.lr_slider = widgets.SelectionSlider(
            options=[(f"{v:g}", v) for v in LR_STOPS], value=lr, description="learning rate",
            continuous_update=True, style={"description_width": "110px"}, layout=widgets.Layout(width="480px"))
        self.epochs_slider = widgets.IntSlider(
            value=nb_epochs, min=0, max=EPOCHS_MAX, step=10, description="epochs", continuous_update=True,
            style={"description_width": "70px"}, layout=widgets.Layout(width="480px"))
        self.step_button = _button("Step", "한 epoch: zero_grad() → backward() → step()", "step-forward")
        self.step10_button = _button("×10", "10 epoch 더", "forward")
        self.run_button = _button("Run", "epochs slider의 값까지 학습", "play", "success")
        self.reset_button = _button("Reset", "W = b = 0, 아직 update 없음", "undo", "warning")
        self._controls = [self.lr_slider, self.epochs_slider, self.step_button, self.step10_button,
                          self.run_button, self.reset_button]
        sliders = widgets.HBox([self.lr_slider, self.epochs_slider])
        buttons = widgets.HBox([self.step_button, self.step10_button, self.run_button, self.reset_button])
        self._boxes = [sliders, buttons]

        live = self._build_figure()
        self._live = live
        # The learning-rate slider's first moves: every rate's cost frame at these epochs, drawn now.
        for other in LR_STOPS:
            frame = self.runs.view(other, nb_epochs, nb_epochs + 1).cost_view
            live.prepare_frame(frame, lambda ax, frame=frame: _set_cost_limits(ax, frame))
        self._update(self.position)
        super().__init__([sliders, buttons], live, self.status)

        self.lr_slider.observe(self._on_lr, names="value")
        self.epochs_slider.observe(self._on_epochs, names="value")
        self.step_button.on_click(lambda _: self.step(1))
        self.step10_button.on_click(lambda _: self.step(10))
        self.run_button.on_click(lambda _: self.run())
        self.reset_button.on_click(lambda _: self.reset())

    def __repr__(self):
        return f"TrainingPanel(lr={self.lr:g}, nb_epochs={self.nb_epochs}) — 실행하면 slider와 버튼이 있는 panel이 됩니다"

    # --- the figure ------------------------------------------------------------------------

    def _build_figure(self):
        x, y, x_test = self.x_train, self.y_train, self.x_test
        with matplotlib.rc_context({"font.size": FONT_SIZE}):
            live = LiveFigure(figsize=(WIDE_FIGURE, 3.6))
            ax_fit, ax_cost, ax_path = live.figure.subplots(1, 3)

            x_lo = min(0.0, x.min().item() - 0.5)
            x_hi = max(x.max().item(), x_test) + 1.0
            W_best, b_best = best_fit(x, y)
            ends = [W_best * x_lo + b_best, W_best * x_hi + b_best, y.min().item(), y.max().item()]
            margin = 0.15 * (max(ends) - min(ends))
            plot_data(x, y, ax=ax_fit, question_x=x_test)
            ax_fit.set_xlim(x_lo, x_hi)
            ax_fit.set_ylim(min(min(ends), 0.0) - margin, max(ends) + margin)
            ax_fit.set_title("H(x) = Wx + b")
            ax_fit.legend(loc="upper left", fontsize=10)
            self.fit_line = live.dynamic(plot_line(0.0, 0.0, ax=ax_fit, x_range=(x_lo, x_hi), linewidth=2.5))
            (self.prediction_marker,) = ax_fit.plot([x_test], [0.0], "s", color="tab:red", markersize=9)
            live.dynamic(self.prediction_marker)
            self.line_off_text = live.stamp(ax_fit.text(
                0.5, 0.04, "the line H(x) is off the plot", transform=ax_fit.transAxes, ha="center", color="tab:red", fontsize=11,
                bbox={"facecolor": "white", "edgecolor": "tab:red", "alpha": 0.9}))

            self.cost_line = live.dynamic(plot_cost_history([1.0], ax=ax_cost, color="tab:blue", linewidth=2))
            self.diverged_line = live.dynamic(ax_cost.axvline(0, color="tab:red", linestyle="--", linewidth=1.5))
            ax_cost.set_title("cost per epoch (log scale)")
            ax_cost.yaxis.set_minor_locator(NullLocator())   # one tick per power of 10: quick to redraw
            # Few ticks, labels as plain text (no mathtext): a new frame of this axes is quick to draw.
            ax_cost.yaxis.set_major_locator(LogLocator(numticks=6))
            ax_cost.yaxis.set_major_formatter(FuncFormatter(_decade_label))
            # The widest tick labels it will have, where they will be, so that the layout leaves room
            # for them (a label at the right end sticks out past the axes).
            ax_cost.set_ylim(LOG_FLOOR, 1e8)
            ax_cost.set_xlim(-0.02 * EPOCHS_MAX, 1.02 * EPOCHS_MAX)
            ax_cost.xaxis.set_major_locator(FixedLocator([0, EPOCHS_MAX]))
            live.frame_axes(ax_cost)

            W_values, b_values = default_ranges(x, y)
            plot_cost_contour(x, y, ax=ax_path, W_values=W_values, b_values=b_values)
            ax_path.set_title("(W, b) on the cost contour")
            ax_path.legend(loc="upper right", fontsize=10)
            self._path_limits = (W_values[0].item(), W_values[-1].item(), b_values[0].item(), b_values[-1].item())
            self.path_line, _ = plot_descent_path([0.0], [0.0], ax=ax_path, markersize=3)
            live.dynamic(self.path_line)
            (self.current_marker,) = ax_path.plot([0.0], [0.0], "o", color="tab:red", markersize=9)
            live.dynamic(self.current_marker)
            self.off_plot_text = live.stamp(ax_path.text(
                0.5, 0.04, "(W, b) is off the plot", transform=ax_path.transAxes, ha="center", color="tab:red", fontsize=11,
                bbox={"facecolor": "white", "edgecolor": "tab:red", "alpha": 0.9}))
            live.freeze()
            ax_cost.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10], integer=True))
        self.status = widgets.HTML()
        return live

    # --- moving ------------------------------------------------------------------------------

    def _on_lr(self, change):
        if not self._closed:
            self.lr = change["new"]
            self._update(self.nb_epochs + 1)

    def _on_epochs(self, change):
        if not self._closed:
            self.nb_epochs = change["new"]
            self._update(self.nb_epochs + 1)

    def step(self, n=1):
        """Run ``n`` more epochs from the shown state (the Step and x10 buttons)."""
        n = validate_number(n, "n", integer=True, minimum=1)
        if not self._closed:
            self._update(self.position + n, stepped=True)

    def run(self):
        """Show the state after ``nb_epochs + 1`` updates, as the epochs slider says (the Run button)."""
        if not self._closed:
            self._update(self.nb_epochs + 1)

    def reset(self):
        """Back to the start: W = b = 0, no update yet (the Reset button)."""
        if not self._closed:
            self._update(0)

    def _update(self, position, stepped=False):
        view = self.view = self.runs.view(self.lr, self.nb_epochs, position, stepped)
        self.position, self.history = view.position, view.history
        self._redraw(view)
        self.status.value = status_html(view, self.x_test)

    def _redraw(self, view):
        h, live = view.history, self._live
        W, b = h.W, h.b
        x_lo, x_hi = self.fit_line.get_xdata()
        ends = (W * x_lo + b, W * x_hi + b)
        self.fit_line.set_ydata(ends)
        self.prediction_marker.set_ydata([h.predict(self.x_test)])
        y_lo, y_hi = self.fit_line.axes.get_ylim()
        line_off = min(ends) > y_hi or max(ends) < y_lo
        self.line_off_text.set_visible(line_off)

        shown = [max(c, LOG_FLOOR) for c in h.costs]
        self.cost_line.set_data(range(len(shown)), shown)
        self.cost_line.set_marker("o" if 0 < len(shown) <= 60 else "None")
        self.diverged_line.set_visible(h.diverged)
        if h.diverged:
            self.diverged_line.set_xdata([h.diverged_at, h.diverged_at])
        _set_cost_limits(self.cost_line.axes, view.cost_view)

        self.path_line.set_data(h.Ws, h.bs)
        self.current_marker.set_data([W], [b])
        W_lo, W_hi, b_lo, b_hi = self._path_limits
        off = not (W_lo <= W <= W_hi and b_lo <= b <= b_hi)
        self.off_plot_text.set_visible(off)
        self._show(live.render(frame_key=view.cost_view))

    def _own_widgets(self):
        return list(self._controls) + list(self._boxes) + super()._own_widgets()

    def close(self):
        super().close()
        self.runs = None


class ManualFitPanel(_Panel):
    """Move W and b by hand: the line and its errors (squares with ``squares=True``), the live cost,
    and the cost curve over W (b held at the slider's value) with the current point marked.

    With ``show_cost=False`` (Lab-02-2, before cost is taught) it shows only the line, its errors
    and the predictions: no cost, no cost curve.
    """

    STEP = 0.1

    def __init__(self, x_train=None, y_train=None, W=0.0, b=0.0, squares=False, W_range=None, b_range=None,
                 show_cost=True):
        if x_train is None and y_train is None:
            x_train, y_train = load_train_data()
        validate_xy(x_train, y_train)
        W_best, b_best = best_fit(x_train, y_train)
        self.W_range = self._range(W_range, "W_range", W_best, 3.0)
        self.b_range = self._range(b_range, "b_range", b_best, 4.0)
        W, b = validate_number(W, "W"), validate_number(b, "b")
        for name, value, (lo, hi) in (("W", W, self.W_range), ("b", b, self.b_range)):
            if not lo <= value <= hi:
                raise ValueError(f"{name} must be within {name}_range [{lo:g}, {hi:g}], got {value:g}")
        self.x_train, self.y_train, self.squares, self.show_cost = x_train, y_train, bool(squares), bool(show_cost)
        if self.squares and not self.show_cost:
            raise ValueError("squares=True draws the errors' squares, whose mean is the cost: it needs show_cost=True")
        self.W, self.b = W, b

        self.W_slider = widgets.FloatSlider(value=W, min=self.W_range[0], max=self.W_range[1], step=self.STEP,
                                            description="W", readout_format=".1f", continuous_update=True,
                                            layout=widgets.Layout(width="420px"))
        self.b_slider = widgets.FloatSlider(value=b, min=self.b_range[0], max=self.b_range[1], step=self.STEP,
                                            description="b", readout_format=".1f", continuous_update=True,
                                            layout=widgets.Layout(width="420px"))
        self._controls = [self.W_slider, self.b_slider]
        sliders = widgets.HBox(self._controls)
        self._boxes = [sliders]
        live = self._build_figure()
        self._live = live
        self._update()
        super().__init__([sliders], live, self.status)
        self.W_slider.observe(self._on_change, names="value")
        self.b_slider.observe(self._on_change, names="value")

    def __repr__(self):
        return f"ManualFitPanel(W={self.W:g}, b={self.b:g}) — 실행하면 W와 b slider가 있는 panel이 됩니다"

    def _range(self, value, name, centre, half):
        if value is None:
            lo, hi = math.floor((centre - half) * 10) / 10, math.ceil((centre + half) * 10) / 10
            return (round(lo, 1), round(hi, 1))
        if not (isinstance(value, (tuple, list)) and len(value) == 2):
            raise TypeError(f"{name} must be a (low, high) pair of numbers, got {value!r}")
        lo, hi = (validate_number(v, name) for v in value)
        if not lo < hi:
            raise ValueError(f"{name} must have low < high, got ({lo:g}, {hi:g})")
        return (lo, hi)

    def _build_figure(self):
        x, y = self.x_train, self.y_train
        with matplotlib.rc_context({"font.size": FONT_SIZE}):
            live = LiveFigure(figsize=(WIDE_FIGURE, 4.5) if self.show_cost else (6.5, 4.5))
            if self.show_cost:
                ax_fit, ax_cost = live.figure.subplots(1, 2)
            else:
                ax_fit, ax_cost = live.figure.subplots(1, 1), None
            x_lo = min(0.0, x.min().item() - 0.5)
            y_lo, y_hi = min(0.0, y.min().item()) - 1.5, y.max().item() + 2.5
            # Squares are drawn to the right of each point: leave room for the biggest one at the start.
            x_hi = x.max().item() + (y_hi - y_lo - 4.0 if self.squares else 1.5)
            plot_data(x, y, ax=ax_fit)
            ax_fit.set_xlim(x_lo, x_hi)
            ax_fit.set_ylim(y_lo, y_hi)
            if self.squares:
                ax_fit.set_aspect("equal", adjustable="box")
            ax_fit.set_title("errors as squares" if self.squares else "H(x) = Wx + b and its errors")
            self.line = live.dynamic(plot_line(self.W, self.b, ax=ax_fit, x_range=(x_lo, x_hi), linewidth=2.5))
            drawn = plot_residuals(x, y, self.W, self.b, ax=ax_fit, squares=self.squares)
            self.residual_lines = [a for a in drawn if hasattr(a, "get_ydata")]
            self.residual_squares = [a for a in drawn if not hasattr(a, "get_ydata")]
            for artist in drawn:
                live.dynamic(artist)
            if ax_cost is not None:
                self._build_cost_axes(live, ax_cost)
            live.freeze()
        self.status = widgets.HTML()
        return live

    def _build_cost_axes(self, live, ax_cost):
        """The cost curve over W (b at the slider's value) with the current point and its cost."""
        x, y = self.x_train, self.y_train
        self._W_values = torch.linspace(self.W_range[0], self.W_range[1], 121, dtype=torch.float64)
        top = cost_grid(x, y, self._W_values, [0.0]).max().item()
        self.cost_curve = live.dynamic(ax_cost.plot(self._W_values, self._W_values * 0, color="tab:blue",
                                                    linewidth=2)[0])
        (self.cost_point,) = ax_cost.plot([self.W], [0.0], "o", color="tab:red", markersize=10)
        live.dynamic(self.cost_point)
        self.cost_label = live.dynamic(ax_cost.text(0.5, 0.92, "", transform=ax_cost.transAxes, ha="center",
                                                    fontsize=12))
        ax_cost.set_xlim(*self.W_range)
        ax_cost.set_ylim(0, 1.1 * top)
        ax_cost.set_xlabel("W")
        ax_cost.set_ylabel("cost")
        ax_cost.set_title("cost(W) with b fixed")

    def _on_change(self, change):
        if not self._closed:
            self.W = round(self.W_slider.value, 6)
            self.b = round(self.b_slider.value, 6)
            self._update()

    def _update(self):
        x, y, W, b = self.x_train, self.y_train, self.W, self.b
        hypothesis = x * W + b
        self.cost = compute_cost(hypothesis, y).item()
        x_lo, x_hi = self.line.get_xdata()
        self.line.set_ydata([W * x_lo + b, W * x_hi + b])
        points = list(zip(x.flatten().tolist(), y.flatten().tolist(), hypothesis.flatten().tolist()))
        for segment, (xi, yi, hi) in zip(self.residual_lines, points):
            segment.set_ydata([yi, hi])
        for square, (xi, yi, hi) in zip(self.residual_squares, points):
            square.set_xy((xi, min(yi, hi)))
            square.set_width(abs(hi - yi))
            square.set_height(abs(hi - yi))
        if self.show_cost:
            self.cost_curve.set_ydata(cost_grid(x, y, self._W_values, [b])[:, 0])
            self.cost_point.set_data([W], [self.cost])
            self.cost_label.set_text(f"b = {b:.1f}:  cost({W:.1f}, {b:.1f}) = {self.cost:.4f}")
        self._show(self._live.render())
        errors = [hi - yi for _, yi, hi in points]
        if self.show_cost:
            squares = " + ".join(f"({e:.1f})²" for e in errors)
            last = f"cost = ({squares}) / {len(points)} = <b>{self.cost:.4f}</b>"
        else:
            last = f"오차 H(x) − y = {', '.join(f'{e:.1f}' for e in errors)}"
        self.status.value = (
            f"<div style='{_STATUS_STYLE}'><b>H(x) = {W:.1f}x + {b:.1f}</b> · "
            f"예측 H(x) = {', '.join(f'{h:.1f}' for _, _, h in points)} · "
            f"정답 y = {', '.join(f'{v:g}' for _, v, _ in points)}<br>{last}</div>")

    def _own_widgets(self):
        return list(self._controls) + list(self._boxes) + super()._own_widgets()
