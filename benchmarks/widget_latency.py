"""How long a move of each panel control takes in the kernel, from the value change to the new picture.

    python benchmarks/widget_latency.py [--runs 3] [--repeats 3] [--moves 1000]

Each run is a fresh Python process, as a kernel is after the panel's cell: it builds the panels
(timed: that is the cell's cost) and then drives every control of every panel across its range,
as a learner would (set a slider's value, click a button). The clock stops when the new picture
is in the Image widget and the text is updated. Per control it prints p50 / p95 milliseconds:

- cold:  the first pass over the control's range, right after the panel was made (every value
         visited for the first time: what a learner meets first). The clicks on the cost contour
         (20 different starts; then the same with the race on) come first, right after the panel's
         cell; "Step / Run after a click" time the button pressed right after each of those clicks;
- warm:  ``--repeats`` more passes, as in class later on;
- naive: what the panels avoid: retrain from scratch with train_sgd and draw a new figure
         (plotting functions, savefig to PNG) on every move. Measured on fewer moves (slow).

Each run is paired with a run of the plain way, in turn: the same panels with no kept frames
(``LiveFigure.MAX_FRAMES = 0``: matplotlib's blitting recipe alone, the cost axes drawn on every
move). The last table gives, per control, plain p95 / kept-frames p95 (medians over the runs): what
the frame cache buys.

The table shows the median over ``--runs`` processes of each figure. Then it makes ``--moves``
mixed moves and prints the process memory (RSS) and the number of open matplotlib figures before
and after. Goal on a 2-core machine: p95 <= 30 ms for every control, cold and warm.
This is a benchmark that prints numbers, not a test: the machine's noise is not a failure.
"""

import argparse
import gc
import io
import json
import statistics
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402

from lab_utils.data import load_train_data  # noqa: E402
from lab_utils.live import LiveFigure  # noqa: E402
from lab_utils.plotting import (plot_cost_contour, plot_cost_history, plot_cost_vs_W, plot_data,  # noqa: E402
                                plot_descent_path, plot_line, plot_residuals)
from lab_utils.training import compute_cost, train_sgd  # noqa: E402
from lab_utils.views import EPOCHS_MAX, LR_STOPS  # noqa: E402
from lab_utils.widgets import ManualFitPanel, TrainingPanel  # noqa: E402
from percentiles import percentile  # noqa: E402  (benchmarks/, this script's folder)


def timed(action):
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover - not Linux


# --- the moves, per control ---------------------------------------------------------------

#: 20 different starts (W, b) clicked on the training panel's cost contour (browser_latency.py clicks the same).
CONTOUR_STARTS = [(0.2 + 0.9 * (i % 4), -3.6 + 1.2 * (i * 3 % 7)) for i in range(20)]


def sweep(values):
    """Up and back down the range: every value, in the order a hand on a slider visits them."""
    return list(values) + list(values)[-2::-1]


def training_moves(panel):
    """{control: [callables]}; each callable is one move of that control."""
    def set_lr(v):
        return lambda: setattr(panel.lr_slider, "value", v)

    def set_epochs(v):
        return lambda: setattr(panel.epochs_slider, "value", v)

    def click(W, b):                     # what ipyevents sends: the pixel of the picture, rows from the top
        x, y = panel.path_line.axes.transData.transform((W, b))
        event = {"type": "click", "dataX": int(x), "dataY": int(panel.live.canvas.get_width_height()[1] - y)}
        return lambda: panel.on_click(event)

    clicks = [click(W, b) for W, b in CONTOUR_STARTS]
    moves = {
        "click on the contour": clicks, "click (race)": clicks,
        "Step after a click": clicks, "Run after a click": clicks,
        "learning rate slider": [set_lr(v) for v in sweep(LR_STOPS)],
        "epochs slider": [set_epochs(v) for v in sweep(range(0, EPOCHS_MAX + 1, 100))],
    }
    # Buttons from a known state: lr 0.01, epochs 1000; Step / x10 from the start, Run and Reset alternating.
    moves["Step"] = [panel.step_button.click] * 120
    moves["x10"] = [panel.step10_button.click] * 60
    moves["Run"] = [panel.run_button.click]
    moves["Reset"] = [panel.reset_button.click]
    return moves


def prepare(panel, control):
    panel.race_box.value = control == "click (race)"
    panel.start_at(0.0, 0.0)                     # the other controls from the lesson's start, as before
    panel.lr_slider.value = 0.01
    panel.epochs_slider.value = 1000
    if control in ("Step", "x10"):
        panel.reset()


def measure_training(panel, passes):
    """{control: [[ms per move] per pass]}: the first pass is the cold one."""
    results = {}
    for control, moves in training_moves(panel).items():
        results[control] = []
        for _ in range(passes):
            prepare(panel, control)
            if control in ("Run", "Reset"):
                times = []
                for i in range(60):              # Run from many places, Reset from many places
                    panel.step(1 + 37 * i % 400) if control == "Run" else panel.run()
                    times.append(timed(moves[0]))
            elif control.endswith("after a click"):
                button = panel.step_button if control.startswith("Step") else panel.run_button
                times = []
                for move in moves:
                    move()
                    times.append(timed(button.click))
            else:
                times = [timed(move) for move in moves]
            results[control].append(times)
    panel.race_box.value = False
    return results


def manual_moves(panel):
    lo, hi = panel.W_range
    W_values = [round(lo + i * 0.1, 1) for i in range(int(round((hi - lo) / 0.1)) + 1)]
    lo, hi = panel.b_range
    b_values = [round(lo + i * 0.1, 1) for i in range(int(round((hi - lo) / 0.1)) + 1)]
    return {"W slider": [(lambda v=v: setattr(panel.W_slider, "value", v)) for v in sweep(W_values)],
            "b slider": [(lambda v=v: setattr(panel.b_slider, "value", v)) for v in sweep(b_values)]}


def measure_manual(panel, passes):
    return {control: [[timed(move) for move in moves] for _ in range(passes)]
            for control, moves in manual_moves(panel).items()}


# --- the naive way: retrain from scratch, new figure, savefig, on every move ----------------

def naive_training_move(x, y, lr, nb_epochs):
    history = train_sgd(x, y, lr=lr, nb_epochs=nb_epochs)
    fig = Figure(figsize=(13, 4.1), dpi=90, layout="constrained")
    ax_fit, ax_cost, ax_path = fig.subplots(1, 3)
    plot_data(x, y, ax=ax_fit, question_x=4)
    ax_fit.set_xlim(0, 5)
    plot_line(history.W, history.b, ax=ax_fit)
    plot_cost_history(history.costs or [compute_cost(x * 0, y).item()], ax=ax_cost)
    plot_cost_contour(x, y, ax=ax_path)
    plot_descent_path(history.Ws, history.bs, ax=ax_path)
    fig.savefig(io.BytesIO(), format="png")


def naive_manual_move(x, y, W, b, squares):
    fig = Figure(figsize=(11, 4.5), dpi=90, layout="constrained")
    ax_fit, ax_cost = fig.subplots(1, 2)
    plot_data(x, y, ax=ax_fit)
    ax_fit.set_xlim(0, 4.5)
    plot_line(W, b, ax=ax_fit)
    plot_residuals(x, y, W, b, ax=ax_fit, squares=squares)
    plot_cost_vs_W(x, y, b=b, ax=ax_cost)
    fig.savefig(io.BytesIO(), format="png")


def measure_naive(x, y):
    lr_values = sweep(LR_STOPS)[:12]
    epochs_values = list(range(0, EPOCHS_MAX + 1, 500))
    return {
        "learning rate slider": [timed(lambda v=v: naive_training_move(x, y, v, 1000)) for v in lr_values],
        "epochs slider": [timed(lambda v=v: naive_training_move(x, y, 0.01, v)) for v in epochs_values],
        "Step": [timed(lambda k=k: naive_training_move(x, y, 0.01, k)) for k in range(12)],
        "x10": [timed(lambda k=k: naive_training_move(x, y, 0.01, 10 * k)) for k in range(12)],
        "Run": [timed(lambda: naive_training_move(x, y, 0.01, 1000)) for _ in range(6)],
        "Reset": [timed(lambda: naive_training_move(x, y, 0.01, 0)) for _ in range(6)],
        "W slider": [timed(lambda v=v: naive_manual_move(x, y, v / 10, 0.0, False)) for v in range(-10, 50, 5)],
        "b slider": [timed(lambda v=v: naive_manual_move(x, y, 0.0, v / 10, False)) for v in range(-40, 40, 7)],
    }


def one_run(repeats, moves, frames):
    """Everything measured in this process (a fresh one): a dict for the parent to combine."""
    if frames is not None:
        LiveFigure.MAX_FRAMES = frames
    x, y = load_train_data()
    start = time.perf_counter()
    panel = TrainingPanel(x, y)
    build_ms = (time.perf_counter() - start) * 1000
    manual = ManualFitPanel(x, y)
    squares = ManualFitPanel(x, y, squares=True)
    passes = measure_training(panel, 1 + repeats)
    passes.update(measure_manual(manual, 1 + repeats))
    passes.update({f"{k} (squares)": v for k, v in measure_manual(squares, 1 + repeats).items()})
    result = {"build_ms": build_ms,
              "cold": {c: percentiles(p[0]) for c, p in passes.items()},
              "warm": {c: percentiles([t for times in p[1:] for t in times]) for c, p in passes.items()},
              "moves": {c: (len(p[0]), sum(len(t) for t in p[1:])) for c, p in passes.items()}}

    every = [m for ms in training_moves(panel).values() for m in ms]
    every += [m for ms in manual_moves(manual).values() for m in ms]
    gc.collect()
    rss_before, figures_before = rss_mb(), len(plt.get_fignums())
    for i in range(moves):
        every[(i * 7919) % len(every)]()
    gc.collect()
    result["memory"] = (f"{moves} mixed moves: RSS {rss_before:.0f} MB before, {rss_mb():.0f} MB after; "
                        f"open pyplot figures {figures_before} -> {len(plt.get_fignums())}")
    for p in (panel, manual, squares):
        p.close()
    return result


def percentiles(times):
    return {"p50": percentile(times, 50), "p95": percentile(times, 95), "max": max(times)}


def median_of(runs, kind, control, key):
    return statistics.median(run[kind][control][key] for run in runs)


def print_table(runs, naive):
    print(f"\n{'control':<22}{'moves':>11}{'cold p50':>10}{'cold p95':>10}{'warm p50':>10}{'warm p95':>10}"
          f"{'naive p50':>11}{'naive/warm':>11}")
    worst = 0.0
    for control, (n_cold, n_warm) in runs[0]["moves"].items():
        cold50, cold95 = (median_of(runs, "cold", control, k) for k in ("p50", "p95"))
        warm50, warm95 = (median_of(runs, "warm", control, k) for k in ("p50", "p95"))
        worst = max(worst, cold95, warm95)
        row = f"{control:<22}{n_cold:>5}+{n_warm:<5}{cold50:>10.1f}{cold95:>10.1f}{warm50:>10.1f}{warm95:>10.1f}"
        base = control.replace(" (squares)", "")
        if base in naive:
            naive_p50 = statistics.median(naive[base])
            row += f"{naive_p50:>11.1f}{naive_p50 / warm50:>10.0f}x"
        print(row)
    return worst


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes, each measured cold then warm (default 3)")
    parser.add_argument("--repeats", type=int, default=3, help="warm passes over each control's range (default 3)")
    parser.add_argument("--moves", type=int, default=1000, help="mixed moves for the memory check (default 1000)")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--frames", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one_run:
        print(json.dumps(one_run(args.repeats, args.moves, args.frames)))
        return 0
    print(f"Python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}; times in milliseconds; "
          f"median over {args.runs} fresh processes")
    runs, plain = [], []
    for _ in range(args.runs):
        for frames, into in ((None, runs), (0, plain)):          # in turn: kept frames, then plain
            command = [sys.executable, __file__, "--one-run", "--repeats", str(args.repeats), "--moves", str(args.moves)]
            out = subprocess.run(command + ([] if frames is None else ["--frames", str(frames)]),
                                 check=True, capture_output=True, text=True).stdout
            into.append(json.loads(out.strip().splitlines()[-1]))
    x, y = load_train_data()
    naive = measure_naive(x, y)
    print(f"training panel made (all {len(LR_STOPS)} learning rates x {EPOCHS_MAX + 1} updates, figure, first "
          f"picture): {', '.join(str(round(r['build_ms'])) for r in runs)} ms")
    worst = print_table(runs, naive)
    print("\n" + runs[-1]["memory"])
    print(f"\nworst p95, cold or warm: {worst:.1f} ms (goal <= 30 ms)")
    print("\nThe plain way (no kept frames), in turn with the runs above:")
    print_table(plain, naive)
    print(f"\n{'control':<22}{'cold p95 plain/kept':>21}{'warm p95 plain/kept':>21}")
    for control in runs[0]["moves"]:
        ratios = [median_of(plain, kind, control, "p95") / median_of(runs, kind, control, "p95") for kind in ("cold", "warm")]
        print(f"{control:<22}{ratios[0]:>20.2f}x{ratios[1]:>20.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
