"""Interactive panels (ipywidgets): ``TrainingPanel`` (learning rate, epochs, Step / x10 / Run / Reset)
and ``ManualFitPanel`` (W and b by hand). A move picks what to show (``views``), sets the artists' data
and redraws the picture (``live``). No thread, no timer. A panel's stored output is its status and its
picture; re-running a panel's cell closes the panel that cell made before.
"""

import base64
import math
import weakref

import ipywidgets as widgets
import matplotlib
import torch
from ipyevents import Event
from matplotlib.ticker import LogLocator, MaxNLocator

from .data import load_train_data, validate_number, validate_xy
from .live import LiveFigure
from .plotting import (LOG_FLOOR, cost_grid, default_ranges, plot_cost_contour, plot_cost_history,
                       plot_data, plot_descent_path, plot_line, plot_residuals)
from .training import best_fit, compute_cost
from .views import (EPOCHS_MAX, LR_STOPS, START_LIMITS, STATUS_STYLE, TrainingRuns, joint_cost_limits, race_lrs,
                    status_html)

FONT_SIZE = 12      #: figure text size, readable on a projector
WIDE_FIGURE = 10.2  #: inches: 918 pixels at 90 dpi, shown pixel for pixel in a 1366-pixel window with the file browser
RACE_COLOURS = (("tab:orange", "주황"), ("black", "검정"), ("tab:pink", "분홍"))  #: lr small to large; large drawn first
_panels_by_cell = {}


def _parent_request():
    """The execute request of the running cell (a dict), or None outside a Jupyter kernel."""
    from IPython import get_ipython
    kernel = getattr(get_ipython(), "kernel", None)
    return kernel and kernel.get_parent()


def _adopt(panel):
    """Remember which cell made ``panel``; close what that cell made in an earlier run."""
    parent = _parent_request() or {}
    cell = (parent.get("metadata") or {}).get("cellId")
    run = (parent.get("header") or {}).get("msg_id")
    if not cell or not run:
        return
    previous_run, panels = _panels_by_cell.get(cell, (None, []))
    if previous_run != run:
        for old in filter(None, (ref() for ref in panels)):
            old.close()
        panels = []
    _panels_by_cell[cell] = (run, panels + [weakref.ref(panel)])


class _Panel(widgets.VBox):
    """What both panels share: controls, the picture, a status line under it; closing; the stored output."""

    closed = False      # a class default: close() from __del__ works after a failed __init__

    def __init__(self, controls, rows):
        self.controls = controls
        self.status = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(   # pixel for pixel, or narrower; never wider
            max_width="100%", height="auto", align_self="flex-start", margin="2px 0"))
        super().__init__(children=rows + [self.image, self.status])   # text below: the picture stays put
        _adopt(self)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/html"] = self.status.value       # stored apart from the picture (lab02_tools.refresh)
        return bundle

    def close(self):
        """Close the panel and every widget in it. Safe to call twice."""
        if not self.closed:
            self.closed = True
            for widget in getattr(self, "controls", []) + list(self.children):
                widget.close()
            super().close()


def _button(description, tooltip, icon, on_click, style="primary"):
    button = widgets.Button(description=description, tooltip=tooltip, icon=icon, button_style=style,
                            style={"font_size": "16px", "font_weight": "bold"},
                            layout=widgets.Layout(width="120px", height="40px"))
    button.on_click(lambda _: on_click())
    return button


def _off_plot_note(ax, text):
    return ax.text(0.5, 0.04, text, transform=ax.transAxes, ha="center", color="tab:red", fontsize=11,
                   bbox={"facecolor": "white", "edgecolor": "tab:red", "alpha": 0.9})


class TrainingPanel(_Panel):
    """Train H(x) = Wx + b with the lesson's SGD loop and watch it. ``lr``: one of LR_STOPS. A slider
    move or Run shows ``nb_epochs + 1`` updates (the lesson's ``range(nb_epochs + 1)``), Reset the start,
    Step and x10 one or ten more updates with the gradients of the last one. A click on the cost contour
    (or the W₀ and b₀ fields) starts from there; ``race``: lr and its two neighbours side by side."""

    def __init__(self, x_train=None, y_train=None, lr=0.01, nb_epochs=1000, x_test=4.0, race=False):
        if x_train is None and y_train is None:
            x_train, y_train = load_train_data()
        self.runs = self.lesson_runs = TrainingRuns(*validate_xy(x_train, y_train))
        lr, nb_epochs = self.runs.view(lr, nb_epochs, 0).lr, validate_number(nb_epochs, "nb_epochs", integer=True)
        if not 0 <= nb_epochs <= EPOCHS_MAX:
            raise ValueError(f"nb_epochs must be 0 .. {EPOCHS_MAX} (the epochs slider's range), got {nb_epochs}")
        self.x_test = validate_number(x_test, "x_test")
        self.lr_slider = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in LR_STOPS], value=lr,
                                                 description="learning rate", style={"description_width": "110px"},
                                                 layout={"width": "480px"})
        self.epochs_slider = widgets.IntSlider(value=nb_epochs, max=EPOCHS_MAX, step=10, description="epochs",
                                               style={"description_width": "70px"}, layout={"width": "480px"})
        buttons = [_button("Step", "한 epoch: zero_grad() → backward() → step()", "step-forward", lambda: self.step(1)),
                   _button("×10", "10 epoch 더", "forward", lambda: self.step(10)),
                   _button("Run", "epochs 슬라이더의 값까지 학습", "play", self.run, "success"),
                   _button("Reset", "W = b = 0, 아직 update 없음", "undo", self.reset, "warning")]
        self.step_button, self.step10_button, self.run_button, self.reset_button = buttons
        self.W0_field, self.b0_field = (widgets.BoundedFloatText(
            0.0, min=v[0].item(), max=v[-1].item(), description=f"{name} ({v[0]:g}~{v[-1]:g})".replace("-", "−"),
            step=0.1, layout={"width": "230px"}, style={"description_width": "120px"})  # beyond the range: clamped
            for name, v in zip(("시작점 W₀", "b₀"), default_ranges(x_train, y_train)))
        self.race_box = widgets.Checkbox(bool(race), description="나란히 학습(race): 이웃한 lr 3개", indent=False)
        controls = [self.lr_slider, self.epochs_slider, *buttons, self.W0_field, self.b0_field, self.race_box]
        super().__init__(controls, [widgets.HBox(controls[i:j]) for i, j in ((0, 2), (2, 6), (6, 9))])
        self.clicks = Event(source=self.image, watched_events=["click"])     # ipyevents: the pixel clicked
        self.controls.append(self.clicks)
        self.live = self._build_figure(x_train, y_train)
        for limits in START_LIMITS + [joint_cost_limits(self._views(lr, nb_epochs + 1)) for lr in LR_STOPS]:
            self.live.prepare(*limits)      # the cost frames of a start and of the lr slider at these epochs, drawn now
        self._update(nb_epochs + 1)
        for slider in (self.lr_slider, self.epochs_slider):      # a slider move does what Run does
            slider.observe(lambda _: self.run(), names="value")
        for field in (self.W0_field, self.b0_field):             # a new start: shown before any update
            field.observe(lambda _: self._typing or self.start_at(self.W0_field.value, self.b0_field.value), "value")
        self.race_box.observe(lambda _: self._update(self.position), names="value")
        self.clicks.on_dom_event(self.on_click)

    _typing = False     # True while start_at writes the fields: their observers wait for it

    def __repr__(self):
        return (f"TrainingPanel(lr={self.lr_slider.value:g}, nb_epochs={self.epochs_slider.value}"
                f"{', race=True' if self.race_box.value else ''}) — 실행하면 슬라이더와 버튼이 있는 패널이 됩니다")

    def _build_figure(self, x, y):
        with matplotlib.rc_context({"font.size": FONT_SIZE}):
            live = LiveFigure(figsize=(WIDE_FIGURE, 3.6))
            ax_fit, ax_cost, ax_path = live.figure.subplots(1, 3)
            x_lo, x_hi = min(0.0, x.min().item() - 0.5), max(x.max().item(), self.x_test) + 1.0
            W_best, b_best = best_fit(x, y)
            ends = [W_best * x_lo + b_best, W_best * x_hi + b_best, y.min().item(), y.max().item()]
            margin = 0.15 * (max(ends) - min(ends))
            plot_data(x, y, ax=ax_fit, question_x=self.x_test)
            ax_fit.set(xlim=(x_lo, x_hi), ylim=(min(*ends, 0.0) - margin, max(ends) + margin), title="H(x) = Wx + b")
            ax_fit.legend(loc="upper left", fontsize=10)
            self.fit_line = live.moving(plot_line(0.0, 0.0, ax=ax_fit, x_range=(x_lo, x_hi), linewidth=2.5))
            self.prediction_marker = live.moving(ax_fit.plot([self.x_test], [0.0], "s", color="tab:red", ms=9)[0])
            self.line_off_text = live.moving(_off_plot_note(ax_fit, "the line H(x) is off the plot"))
            self.cost_line = plot_cost_history([1.0], ax=ax_cost, color="black", linewidth=2)   # the race's lr colour
            self.diverged_line = ax_cost.axvline(0, color="tab:red", linestyle="--", linewidth=1.5)
            ax_cost.yaxis.set_major_locator(LogLocator(numticks=6))       # one tick per power of 10, few
            ax_cost.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10], integer=True))
            ax_cost.set(xlim=(0, EPOCHS_MAX), ylim=(LOG_FLOOR, 1e8))   # room for the widest labels it will have
            ax_cost.set_title("cost per epoch (log scale)", y=1.0)      # placed once, not on every frame
            star = plot_cost_contour(x, y, ax=ax_path)[1]
            ax_path.set_title("(W, b) on the cost contour")
            ax_path.legend(loc="upper right", fontsize=10)
            self.path_line, self.start_marker = plot_descent_path([0.0], [0.0], ax=ax_path, markersize=3, color="black")
            self.current_marker = ax_path.plot([0.0], [0.0], "o", color="tab:orange", mec="black", ms=9)[0]
            self.single = [self.path_line, self.current_marker, self.cost_line, self.diverged_line]
            self.racers = [[ax_path.plot([0.0], [0.0], ".-", color=c, markersize=3, linewidth=1)[0],   # path, point,
                            ax_path.plot([0.0], [0.0], "o", color=c, markersize=8)[0],    # cost per epoch, divergence
                            ax_cost.plot([0], [1.0], color=c)[0], ax_cost.axvline(0, color=c, linestyle="--")]
                           for c, _ in RACE_COLOURS[::-1]][::-1]     # made (and drawn) from the largest lr
            self.race_legend = ax_cost.legend(handles=[r[2] for r in self.racers], labels=["lr"] * 3, loc="lower left")
            for artist in [self.start_marker, *self.single, *sum(self.racers[::-1], []), self.race_legend]:
                live.moving(artist)
            live.moving(star)                          # the minimum ★ over the paths' end points
            self.off_plot_text = live.moving(_off_plot_note(ax_path, "(W, b) is off the plot"))
            live.freeze(changing_axes=ax_cost)
        return live

    def _views(self, lr, position, stepped=False):
        """The TrainingViews to show: the run of ``lr``, or in a race those of lr and its two neighbours."""
        lrs = race_lrs(lr) if self.race_box.value else [lr]
        return [self.runs.view(v, self.epochs_slider.value, position, stepped) for v in lrs]

    def _update(self, position, stepped=False):
        """A move: pick the run(s), set the artists' data, draw, show."""
        if self.closed:
            return
        self.views = self._views(self.lr_slider.value, position, stepped)
        view = self.view = next(v for v in self.views if v.lr == self.lr_slider.value)
        h = self.history = view.history
        self.fit_line.set_ydata([h.W * x + h.b for x in self.fit_line.get_xdata()])
        self.prediction_marker.set_ydata([h.predict(self.x_test)])
        self._show_runs(self.views)
        self._show_off_plot_notes()
        self.image.value = self.live.render()
        self.status.value = status_html(view, self.x_test, self.views, [name for _, name in RACE_COLOURS],
                                        self.fit_line.axes.get_ylim())

    def _show_runs(self, views):
        """Each run's path, current point, cost per epoch (none yet: the start's) and a dashed line where it
        diverged; in a race each in its colour. The same artists in every move, the other set hidden."""
        shown, hidden = (self.racers, [self.single]) if len(views) > 1 else ([self.single], self.racers)
        for artist in sum(hidden, []):
            artist.set_visible(False)
        for (path, point, cost_line, diverged_line), view in zip(shown, views):
            h, costs = view.history, view.history.costs or [view.start_cost]
            path.set(visible=True, xdata=h.Ws, ydata=h.bs)
            point.set(visible=True, xdata=[h.W], ydata=[h.b])
            cost_line.set(visible=True, xdata=range(len(costs)), ydata=[max(c, LOG_FLOOR) for c in costs],
                          marker="o" if len(costs) <= 60 else "None")
            diverged_line.set(visible=h.diverged, xdata=[h.diverged_at or 0] * 2)
        for text, view in zip(self.race_legend.get_texts(), views):
            text.set_text(f"lr {view.lr:g}")
        self.race_legend.set_visible(len(views) > 1)
        self.start_marker.set_data([views[0].history.Ws[0]], [views[0].history.bs[0]])
        limits = joint_cost_limits(views)
        self.cost_line.axes.set(xlim=limits[0], ylim=limits[1])

    def _show_off_plot_notes(self):
        """Say so when the line or the point (W, b) has left its axes (a diverged run)."""
        (y_lo, y_hi), ends = self.fit_line.axes.get_ylim(), self.fit_line.get_ydata()
        self.line_off_text.set_visible(min(ends) > y_hi or max(ends) < y_lo)
        self.off_plot_text.set_visible(not self.path_line.axes.viewLim.contains(self.history.W, self.history.b))

    position = property(lambda self: max(v.position for v in self.views), doc="How many updates the panel shows.")

    def on_click(self, event):
        """A click on the picture (an ipyevents dict; dataX, dataY: the pixel in the picture, rows from the
        top): inside the cost contour's axes, start there (rounded to 0.01); elsewhere, nothing."""
        x, y = event.get("dataX"), event.get("dataY")
        if self.closed or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in (x, y)):
            return
        ax, pixel = self.path_line.axes, (x + 0.5, self.live.figure.bbox.height - y - 0.5)   # Agg's y goes up
        if ax.bbox.contains(*pixel):
            self.start_at(*(round(float(v), 2) for v in ax.transData.inverted().transform(pixel)))

    def start_at(self, W0, b0):
        """Start from (W0, b0) (within the fields' bounds), before any update: the fields show it, every
        learning rate is trained from its float32 as the lesson's W and b would be."""
        self._typing, self.W0_field.value, self.b0_field.value = True, W0, b0    # in this order, left to right
        self._typing = False
        start = self.W0_field.value, self.b0_field.value
        if self.runs.start != start:      # trained and drawn as far as Run needs: the click pays for it, not Run
            needed = self.epochs_slider.value + 1
            self.runs = self.lesson_runs if start == (0, 0) else self.lesson_runs.from_start(*start, needed)
            self.live.prepare(*joint_cost_limits(self._views(self.lr_slider.value, needed)))
        self._update(0)

    def step(self, n=1):
        """Run ``n`` more epochs from the shown state (the Step and x10 buttons)."""
        self._update(self.position + validate_number(n, "n", integer=True, minimum=1), stepped=True)

    def run(self):
        """Show the state after ``nb_epochs + 1`` updates, as the epochs slider says (the Run button)."""
        self._update(self.epochs_slider.value + 1)

    def reset(self):
        """Back to the lesson's start: W = b = 0, no update yet (the Reset button)."""
        self.start_at(0.0, 0.0)


class ManualFitPanel(_Panel):
    """Move W and b by hand: the line and its errors (as squares with ``squares=True``), the cost, and
    the cost curve over W with b at the slider's value. ``show_cost=False`` (lesson 2, before cost is
    taught): only the line, its errors and the predictions."""

    def __init__(self, x_train=None, y_train=None, W=0.0, b=0.0, squares=False, show_cost=True):
        if x_train is None and y_train is None:
            x_train, y_train = load_train_data()
        best = best_fit(x_train, y_train)      # sliders: the best W ± 3 and b ± 4, widened to tenths
        self.W_range, self.b_range = ((math.floor((c - h) * 10) / 10, math.ceil((c + h) * 10) / 10)
                                      for c, h in zip(best, (3.0, 4.0)))
        sliders = []
        for name, value, (lo, hi) in (("W", W, self.W_range), ("b", b, self.b_range)):
            if not lo <= (value := validate_number(value, name)) <= hi:
                raise ValueError(f"{name} must be within {name}_range [{lo:g}, {hi:g}], got {value:g}")
            sliders.append(widgets.FloatSlider(value=value, min=lo, max=hi, step=0.1, description=name,
                                               readout_format=".1f", layout={"width": "420px"}))
        if squares and not show_cost:
            raise ValueError("squares=True draws the errors' squares, whose mean is the cost: it needs show_cost=True")
        self.x_train, self.y_train, self.squares, self.show_cost = x_train, y_train, bool(squares), bool(show_cost)
        self.W_slider, self.b_slider = sliders
        super().__init__(sliders, [widgets.HBox(sliders)])
        self.live = self._build_figure()
        self._update()
        for slider in sliders:
            slider.observe(lambda _: self._update(), names="value")

    def __repr__(self):
        return f"ManualFitPanel(W={self.W_slider.value:g}, b={self.b_slider.value:g}) — 실행하면 W와 b 슬라이더가 있는 패널이 됩니다"

    def _build_figure(self):
        x, y = self.x_train, self.y_train
        with matplotlib.rc_context({"font.size": FONT_SIZE}):
            live = LiveFigure(figsize=(WIDE_FIGURE if self.show_cost else 6.5, 4.5))
            ax_fit, *ax_cost = live.figure.subplots(1, 2 if self.show_cost else 1, squeeze=False)[0]
            y_lo, y_hi = min(0.0, y.min().item()) - 1.5, y.max().item() + 2.5
            x_hi = x.max().item() + (y_hi - y_lo - 4.0 if self.squares else 1.5)   # room for the squares
            plot_data(x, y, ax=ax_fit)
            ax_fit.set(xlim=(min(0.0, x.min().item() - 0.5), x_hi), ylim=(y_lo, y_hi),
                       title="errors as squares" if self.squares else "H(x) = Wx + b and its errors")
            if self.squares:
                ax_fit.set_aspect("equal", adjustable="box")
            self.line = live.moving(plot_line(0.0, 0.0, ax=ax_fit, x_range=ax_fit.get_xlim(), linewidth=2.5))
            drawn = [live.moving(a) for a in plot_residuals(x, y, 0.0, 0.0, ax=ax_fit, squares=self.squares)]
            self.residual_lines = [a for a in drawn if hasattr(a, "get_ydata")]
            self.residual_squares = [a for a in drawn if not hasattr(a, "get_ydata")]
            for ax in ax_cost:      # the cost curve over W, the current point and its cost
                self.W_values = torch.linspace(*self.W_range, 121, dtype=torch.float64)
                self.cost_curve = live.moving(ax.plot(self.W_values, self.W_values * 0, linewidth=2)[0])
                self.cost_point = live.moving(ax.plot([0.0], [0.0], "o", color="tab:red", markersize=10)[0])
                self.cost_label = live.moving(ax.text(0.5, 0.92, "", transform=ax.transAxes, ha="center"))
                ax.set(xlim=self.W_range, ylim=(0, 1.1 * cost_grid(x, y, self.W_values, [0.0]).max().item()),
                       xlabel="W", ylabel="cost", title="cost(W) with b fixed")
            live.freeze()
        return live

    def _update(self):
        """A move: compute the line, its errors and the cost; set the artists' data; draw; show."""
        if self.closed:
            return
        W, b = self.W, self.b = round(self.W_slider.value, 6), round(self.b_slider.value, 6)
        hypothesis = self.x_train * W + b
        self.cost = compute_cost(hypothesis, self.y_train).item()
        self.line.set_ydata([W * x + b for x in self.line.get_xdata()])
        points = list(zip(*(t.flatten().tolist() for t in (self.x_train, self.y_train, hypothesis))))
        for segment, (_, yi, hi) in zip(self.residual_lines, points):
            segment.set_ydata([yi, hi])
        for square, (xi, yi, hi) in zip(self.residual_squares, points):
            square.set_bounds(xi, min(yi, hi), abs(hi - yi), abs(hi - yi))
        errors = [f"{hi - yi:.1f}" for _, yi, hi in points]
        last = f"오차 H(x) − y = {', '.join(errors)}"
        if self.show_cost:
            self.cost_curve.set_ydata(cost_grid(self.x_train, self.y_train, self.W_values, [b])[:, 0])
            self.cost_point.set_data([W], [self.cost])
            self.cost_label.set_text(f"b = {b:.1f}:  cost({W:.1f}, {b:.1f}) = {self.cost:.4f}")
            last = f"cost = ({' + '.join(f'({e})²' for e in errors)}) / {len(points)} = <b>{self.cost:.4f}</b>"
        self.image.value = self.live.render()
        self.status.value = (f"<div style='{STATUS_STYLE}'><b>H(x) = {W:.1f}x + {b:.1f}</b> · 예측 H(x) = "
                             f"{', '.join(f'{h:.1f}' for _, _, h in points)} · 정답 y = "
                             f"{', '.join(f'{v:g}' for _, v, _ in points)}<br>{last}</div>")
