"""How long a move of each panel control takes, from the value change to the finished picture.

    python benchmarks/widget_latency.py [--repeats 3] [--moves 1000]

Drives every control of every panel across its range, as a learner would (set a slider's value,
click a button), and prints p50 / p95 milliseconds per control. The clock stops when the new PNG
is in the Image widget and the text is updated. Three ways are compared:

- warm:  the panel as used in class, after its background trainer has computed every learning
         rate ahead (it does that while the kernel is idle, in a few seconds);
- cold:  no results computed ahead: every new learning rate trains on the spot;
- naive: what the panels avoid: retrain from scratch with train_sgd and draw a new figure
         (plotting functions, savefig to PNG) on every move. Measured on fewer moves (slow).

Then it makes ``--moves`` mixed moves and prints the process memory (RSS) and the number of open
matplotlib figures before and after. Goal on a 2-core machine: warm p95 <= 50 ms for every control.
This is a benchmark that prints numbers, not a test: the machine's noise is not a failure.
"""

import argparse
import gc
import io
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402

from lab_utils import live  # noqa: E402
from lab_utils.data import load_train_data  # noqa: E402
from lab_utils.plotting import (plot_cost_contour, plot_cost_history, plot_cost_vs_W, plot_data,  # noqa: E402
                                plot_descent_path, plot_line, plot_residuals)
from lab_utils.training import compute_cost, train_sgd  # noqa: E402
from lab_utils.widgets import EPOCHS_MAX, LR_STOPS, ManualFitPanel, TrainingPanel  # noqa: E402
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

def sweep(values):
    """Up and back down the range: every value, in the order a hand on a slider visits them."""
    return list(values) + list(values)[-2::-1]


def training_moves(panel):
    """{control: [callables]}; each callable is one move of that control."""
    def set_lr(v):
        return lambda: setattr(panel.lr_slider, "value", v)

    def set_epochs(v):
        return lambda: setattr(panel.epochs_slider, "value", v)

    moves = {
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
    panel.lr_slider.value = 0.01
    panel.epochs_slider.value = 1000
    if control in ("Step", "x10"):
        panel.reset()


def measure_training(panel, repeats):
    results = {}
    for control, moves in training_moves(panel).items():
        times = []
        for _ in range(repeats):
            prepare(panel, control)
            if control in ("Run", "Reset"):
                for i in range(60):              # Run from many places, Reset from many places
                    panel.step(1 + 37 * i % 400) if control == "Run" else panel.run()
                    times.append(timed(moves[0]))
            else:
                times += [timed(move) for move in moves]
        results[control] = times
    return results


def manual_moves(panel):
    lo, hi = panel.W_range
    W_values = [round(lo + i * 0.1, 1) for i in range(int(round((hi - lo) / 0.1)) + 1)]
    lo, hi = panel.b_range
    b_values = [round(lo + i * 0.1, 1) for i in range(int(round((hi - lo) / 0.1)) + 1)]
    return {"W slider": [(lambda v=v: setattr(panel.W_slider, "value", v)) for v in sweep(W_values)],
            "b slider": [(lambda v=v: setattr(panel.b_slider, "value", v)) for v in sweep(b_values)]}


def measure_manual(panel, repeats):
    return {control: [timed(move) for _ in range(repeats) for move in moves]
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


def print_table(title, results, naive=None):
    print(f"\n{title}")
    header = f"  {'control':<22}{'moves':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    if naive:
        header += f"{'naive p50':>11}{'ratio':>8}"
    print(header)
    worst = 0.0
    for control, times in results.items():
        p50, p95 = percentile(times, 50), percentile(times, 95)
        worst = max(worst, p95)
        row = f"  {control:<22}{len(times):>7}{p50:>9.1f}{p95:>9.1f}{max(times):>9.1f}"
        if naive and control in naive:
            naive_p50 = statistics.median(naive[control])
            row += f"{naive_p50:>11.1f}{naive_p50 / p50:>7.0f}x"
        print(row)
    return worst


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="passes over each control's range (default 3)")
    parser.add_argument("--moves", type=int, default=1000, help="mixed moves for the memory check (default 1000)")
    args = parser.parse_args(argv)
    x, y = load_train_data()
    print(f"Python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}; times in milliseconds")

    naive = measure_naive(x, y)

    # cold: nothing computed ahead
    live._cache = live.RunCache()
    panel = TrainingPanel(x, y, background=False)
    cold = measure_training(panel, 1)
    panel.close()

    # warm: the background trainer has computed every learning rate up to EPOCHS_MAX
    live._cache = live.RunCache()
    start = time.perf_counter()
    panel = TrainingPanel(x, y, background=True)
    done = live.background_trainer().wait_until_done(timeout=600)
    print(f"\nbackground trainer: every learning rate up to {EPOCHS_MAX} epochs in "
          f"{time.perf_counter() - start:.1f} s (done: {done})")
    warm = measure_training(panel, args.repeats)
    manual = ManualFitPanel(x, y)
    squares = ManualFitPanel(x, y, squares=True)
    warm.update(measure_manual(manual, args.repeats))
    warm.update({f"{k} (squares)": v for k, v in measure_manual(squares, args.repeats).items()})

    worst_warm = print_table("warm (as in class, after the background trainer finished)", warm, naive)
    print_table("cold (nothing computed ahead; TrainingPanel only)", cold)

    # memory and open figures over many mixed moves
    every = [m for moves in training_moves(panel).values() for m in moves]
    every += [m for moves in manual_moves(manual).values() for m in moves]
    gc.collect()
    rss_before, figures_before = rss_mb(), len(plt.get_fignums())
    for i in range(args.moves):
        every[(i * 7919) % len(every)]()
        if i == args.moves // 10:
            gc.collect()
            rss_early = rss_mb()
    gc.collect()
    rss_after, figures_after = rss_mb(), len(plt.get_fignums())
    print(f"\n{args.moves} mixed moves: RSS {rss_before:.0f} MB before, {rss_early:.0f} MB after "
          f"{args.moves // 10}, {rss_after:.0f} MB after all; open pyplot figures {figures_before} -> {figures_after}; "
          f"kept cost frames {len(panel._live._frames)} (max {live.LiveFigure.MAX_FRAMES}), "
          f"cached runs {len(live.shared_cache())} (max {live.MAX_RUNS})")
    print(f"\nworst warm p95: {worst_warm:.1f} ms (goal <= 50 ms)")
    for p in (panel, manual, squares):
        p.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
