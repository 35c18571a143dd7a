"""How fast the panels answer in a real browser: slider move -> new figure shown, in JupyterLab.

    python benchmarks/browser_latency.py             # 3 runs, first moves right after Run All
    python benchmarks/browser_latency.py --runs 5 --idle 30
    python benchmarks/browser_latency.py 02 05       # only these lessons' panels

Starts JupyterLab from this environment and Debian's Chromium (headless, Playwright), the same way as
tests/test_browser.py. For each panel lesson: open it, Run All, wait --idle seconds (default 0: the
first moves right after the cell ran, what a learner meets first), then press the arrow keys on
each slider handle, one move at a time. Each move is timed in the page, from the keydown event to
the panel's new picture decoded by the browser: the kernel round trip, the redraw, the picture's
transfer and the decode. Prints p50 / p95 / max milliseconds per control and run, and the median
over runs; and, for where the time goes, the websocket messages and bytes the browser receives per
move (the kernel's own time per move is benchmarks/widget_latency.py's).
Goal (issue 10): p95 <= 60 ms per control. It asserts nothing.
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))   # the shared harness
import jupyterlab_browser as jb  # noqa: E402
from percentiles import percentile  # noqa: E402  (benchmarks/, this script's folder)

def out_and_back(first, second, n):
    """n presses of one key, then n of the other: every press moves the slider (never against its end)."""
    return [(first, n), (second, n)]


#: (lesson, panel call, [(control, slider index, [(key, presses), ...])])
MANUAL = [("W slider", 0, out_and_back("ArrowRight", "ArrowLeft", 12) * 2),
          ("b slider", 1, out_and_back("ArrowRight", "ArrowLeft", 12) * 2)]
PANELS = [
    ("02_hypothesis.ipynb", "ManualFitPanel(x_train, y_train, show_cost=False)", MANUAL),
    ("03_cost.ipynb", "ManualFitPanel(x_train, y_train, squares=True)", MANUAL),
    ("05_training_loop.ipynb", "TrainingPanel(x_train, y_train)",      # lr 0.01 of 15 stops, 1000 epochs
     [("lr slider", 0, out_and_back("ArrowLeft", "ArrowRight", 6) + out_and_back("ArrowRight", "ArrowLeft", 6)),
      ("epochs slider", 1, out_and_back("ArrowRight", "ArrowLeft", 12) * 2)]),
    ("06_how_gd_minimizes_cost.ipynb", "TrainingPanel(x_train, y_train, lr=0.17, nb_epochs=200)",
     [("lr slider", 0, out_and_back("ArrowLeft", "ArrowRight", 6) + out_and_back("ArrowRight", "ArrowLeft", 3) * 2),
      ("epochs slider", 1, out_and_back("ArrowRight", "ArrowLeft", 12) * 2)]),
]


#: Counts the messages and bytes the page receives on the kernel's websockets, in the page itself
#: (cheap: listening through Playwright would copy every message out of the browser, and slow it).
COUNT_JS = """(() => {
  window.__kernelMessages = {count: 0, bytes: 0};
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/api/kernels/')) {
        this.addEventListener('message', event => {
          window.__kernelMessages.count += 1;
          window.__kernelMessages.bytes += event.data.byteLength ?? event.data.length ?? event.data.size ?? 0;
        });
      }
    }
  };
})()"""


def measure(browser, lab, lesson, call, controls, idle_s):
    page, _ = jb.open_lesson(browser, lab, lesson, init_script=COUNT_JS)
    try:
        jb.run_all(page)
        page.wait_for_timeout(idle_s * 1000)
        jb.panel_cell(page, call).scroll_into_view_if_needed()
        results = {}
        for control, index, presses in controls:
            times = []
            before = page.evaluate("({...window.__kernelMessages})")
            for key, n in presses:
                times += jb.slider_latencies(page, call, index, key, n)
            after = page.evaluate("({...window.__kernelMessages})")
            results[control] = (times, (after["count"] - before["count"]) / len(times),
                                (after["bytes"] - before["bytes"]) / len(times) / 1024)
        return results
    finally:
        page.close()
        lab.shut_down_kernels()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers to measure, e.g. 04 (default: all panels)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=0, help="seconds idle after Run All (default 0)")
    args = parser.parse_args(argv)
    missing = jb.missing_browser()
    if missing:
        parser.error(missing)
    summary = {}
    with tempfile.TemporaryDirectory() as workdir, jb.running_lab(workdir, windowing=None) as lab, jb.chromium() as browser:
        for run in range(1, args.runs + 1):
            print(f"run {run}")
            for lesson, call, controls in PANELS:
                if args.lessons and lesson[:2] not in args.lessons:
                    continue
                results = measure(browser, lab, lesson, call, controls, args.idle)
                for control, (times, messages, kb) in results.items():
                    shown = [t for t in times if t is not None]
                    p50, p95 = percentile(shown, 50), percentile(shown, 95)
                    summary.setdefault((lesson, control), []).append((p50, p95, max(shown), messages, kb))
                    print(f"  {lesson[:2]} {control:14} n={len(times):3}  p50 {p50:6.1f}  p95 {p95:6.1f}  "
                          f"max {max(shown):6.1f} ms; {messages:.1f} messages, {kb:.0f} KB per move"
                          + (f"  ({len(times) - len(shown)} never shown)" if len(shown) < len(times) else ""))
    print(f"\nmedian over {args.runs} runs (goal: p95 <= 60 ms), keydown -> new picture decoded:")
    for (lesson, control), rows in summary.items():
        p50 = statistics.median(r[0] for r in rows)
        p95 = statistics.median(r[1] for r in rows)
        worst = max(r[1] for r in rows)
        print(f"  {lesson[:2]} {control:14} p50 {p50:6.1f}  p95 {p95:6.1f}  (worst run p95 {worst:6.1f}) ms; "
              f"{statistics.median(r[3] for r in rows):.1f} messages, {statistics.median(r[4] for r in rows):.0f} KB "
              f"received per move")
    return 0


if __name__ == "__main__":
    sys.exit(main())
