"""How fast the panels answer in a real browser, against the floor: keydown on a slider -> new picture shown.

    python benchmarks/browser_latency.py                          # 3 runs, every panel lesson
    python benchmarks/browser_latency.py --runs 5 02 05           # only these lessons
    python benchmarks/browser_latency.py --plain                  # and the A/B comparison

Starts JupyterLab from this environment (JupyterLab's default notebook settings and the course's
settings as installed, as a learner has them) and Debian's Chromium through Playwright, with the
tests' harness (lab02_tools.jupyterlab_browser). For each panel lesson: open it, Run All, wait
--idle seconds (default 0: the first moves right after Run All), then press arrow keys on each
slider handle, one move at a time. Each move is timed in the page, from the keydown to the panel's
new picture decoded (jupyterlab_browser.LATENCY_JS): the kernel round trip, the redraw, the
picture's transfer and its decode. Per control: p50 / p95 / max ms, the websocket messages and
bytes the page receives per move; at the end the median over runs. On a training panel, last, 20
clicks on its cost contour (each a new start): from a click event dispatched on the picture (ipyevents
listens there) to the new picture decoded (jupyterlab_browser.click_latencies).

**The floor**, measured right before each lesson in the same JupyterLab: a notebook the benchmark
writes into the server's temporary folder, an ipywidgets IntSlider whose observer sets an Image to
another 1x1 PNG (JupyterLab, the server, the kernel and the widget manager; nothing of lab_utils).
Every control's p95 is printed with its ratio to that floor's p95. Goal (issue 16, medians of 3
runs): ratio <= 1.5, and p95 <= 60 ms where the machine is quiet. Beside it, **the picture floor**:
the same slider swapping two of the training panel's own pictures (made before the run, about 70 KB
each), so nothing is drawn or encoded on a move: what sending and decoding a panel-size picture costs
by itself, printed in the A/B part against the 1-pixel floor. Playwright turns on DevTools'
Network domain in each page, so Chromium copies every websocket frame out to the driver: that adds
to every figure, the floor's too; on a shared machine compare ratios within one run.

**A/B, paired** (``--plain``): beside the default, lesson by lesson, in the same run, the order
reversed from one run to the next, the lesson with ``LiveFigure.MAX_FRAMES = 0`` (a temporary copy
whose first code cell sets it), so no background with the cost axes' frame is kept (lab_utils.live).
Only the training panel has that axes; on the other panels it is an A/A test: it shows the noise.

Printed: variant / default for p50 and p95 (median over runs of each run's ratio) and the
difference in ms. It asserts nothing.
"""

import argparse
import contextlib
import functools
import signal
import statistics
import struct
import sys
import tempfile
import time
import zlib

import nbformat
from lab02_tools import needs
from lab02_tools import jupyterlab_browser as jb
from lab02_tools import lessons
from percentiles import percentile  # benchmarks/, this script's folder
from widget_latency import CONTOUR_STARTS


def out_and_back(first, second, n):
    """n presses of one key, then n of the other: every press moves the slider (never against its end)."""
    return [(first, n), (second, n)]


BACK_AND_FORTH = out_and_back("ArrowRight", "ArrowLeft", 12) * 2
#: The moves timed on each kind of panel: [(control, slider index, [(key, presses), ...])]. Every
#: press moves its slider from each lesson's start (the lr slider starts at stop 7 or 11 of 15).
MOVES = {
    "ManualFitPanel(": [("W slider", 0, BACK_AND_FORTH), ("b slider", 1, BACK_AND_FORTH)],
    "TrainingPanel(": [("lr slider", 0, out_and_back("ArrowLeft", "ArrowRight", 6)
                        + out_and_back("ArrowRight", "ArrowLeft", 3) * 2),
                       ("epochs slider", 1, BACK_AND_FORTH), ("contour click", "click", None)],
}


@functools.cache
def contour_points():
    """widget_latency's starts on the training panel's cost contour, as fractions of its picture."""
    from lab_utils.widgets import TrainingPanel
    panel = TrainingPanel()
    width, height = panel.live.canvas.get_width_height()
    points = []
    for W, b in CONTOUR_STARTS:
        x, y = panel.path_line.axes.transData.transform((W, b))
        points.append((float(x / width), float(1 - y / height)))
    panel.close()
    return points

FLOOR_FILE = "floor_1px.ipynb"
FLOOR_PICTURE_FILE = "floor_picture.ipynb"
FLOOR_CALL = "floor_slider = widgets.IntSlider("
FLOOR_MOVES = [("floor slider", 0, BACK_AND_FORTH)]
PLAIN_PREFIX = "plain_"

#: Counts the messages and bytes the page receives on the kernel's websockets, in the page itself
#: (listening through Playwright would copy every message out of the browser once more).
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


def one_pixel_png(rgb):
    """A 1x1 RGB PNG (stdlib only)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" + bytes(rgb))) + chunk(b"IEND", b""))


def write_floor(folder, kernelspec, pixels=None, file=FLOOR_FILE):
    """The floor's notebook: a slider whose move only swaps a 1-pixel picture (or two ``pixels``' PNGs)."""
    pixels = pixels or [one_pixel_png(rgb) for rgb in ((255, 255, 255), (0, 0, 0))]
    source = (f"import ipywidgets as widgets\n\nPIXELS = {pixels!r}\n"
              f"{FLOOR_CALL}value=50, min=0, max=100)\n"
              "floor_image = widgets.Image(value=PIXELS[0], format='png')\n"
              "floor_slider.observe(lambda change: setattr(floor_image, 'value', PIXELS[change['new'] % 2]), "
              "names='value')\nwidgets.VBox([floor_slider, floor_image])")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# floor"), nbformat.v4.new_code_cell(source)],
                                  metadata={"kernelspec": kernelspec})
    nbformat.write(nb, folder / file)


def panel_pictures():
    """Two of the training panel's own pictures (before and after one Step), as its moves send them."""
    from lab_utils.widgets import TrainingPanel
    panel = TrainingPanel()
    first = panel.live.picture
    panel.step_button.click()
    pictures = [first, panel.live.picture]
    panel.close()
    return pictures


def write_plain(folder, lesson):
    """A copy of ``lesson`` whose first code cell turns the frame cache off (LiveFigure.MAX_FRAMES = 0)."""
    nb = nbformat.read(lesson.path, as_version=4)
    first = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    nb.cells.insert(first, nbformat.v4.new_code_cell(
        "from lab_utils.live import LiveFigure\n\nLiveFigure.MAX_FRAMES = 0  # browser_latency.py --plain"))
    nbformat.write(nb, folder / (PLAIN_PREFIX + lesson.file))


def measure(browser, lab, notebook, call, controls, idle_s):
    """Open ``notebook`` in a new page, Run All, time each control's moves: {control: (times, messages, KB)}."""
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(lab.shut_down_kernels)
        page, _ = jb.open_lesson(browser, lab, notebook, init_script=COUNT_JS)
        cleanup.callback(page.close)
        jb.run_all(page)
        time.sleep(idle_s)
        jb.panel_cell(page, call).scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        results = {}
        for control, index, presses in controls:
            times = []
            before = page.evaluate("({...window.__kernelMessages})")
            if index == "click":
                times = jb.click_latencies(page, call, contour_points())
            for key, n in presses or []:
                times += jb.slider_latencies(page, call, index, key, n)   # 10 s at most per picture
            after = page.evaluate("({...window.__kernelMessages})")
            results[control] = (times, (after["count"] - before["count"]) / len(times),
                                (after["bytes"] - before["bytes"]) / len(times) / 1024)
        return results


def blocks(args, chosen):
    """Per lesson, what is measured side by side: [(variant, lab key, notebook, call, controls)]."""
    for lesson in chosen:
        block = [("floor", "default", FLOOR_FILE, FLOOR_CALL, FLOOR_MOVES),
                 ("floor picture", "default", FLOOR_PICTURE_FILE, FLOOR_CALL, FLOOR_MOVES),
                 ("default", "default", lesson.file, lesson.panel, MOVES[lesson.panel])]
        if args.plain:
            block.append(("plain", "default", PLAIN_PREFIX + lesson.file, lesson.panel, MOVES[lesson.panel]))
        yield lesson, block


def run(number, args, chosen, labs, browser, samples):
    """Run ``number``: every block in turn, its order reversed on even runs. Adds to ``samples``:
    {(lesson, control, variant): [(p50, p95, max, messages, KB), one per run]}."""
    for lesson, block in blocks(args, chosen):
        for variant, lab_key, notebook, call, controls in block[::-1] if number % 2 == 0 else block:
            results = measure(browser, labs[lab_key], notebook, call, controls, args.idle)
            for control, (times, messages, kb) in results.items():
                shown = [t for t in times if t is not None]
                row = (percentile(shown, 50), percentile(shown, 95), max(shown), messages, kb)
                samples.setdefault((lesson.file[:2], control, variant), []).append(row)
                print(f"  {lesson.file[:2]} {control:14} {variant:16} n={len(times):3}  p50 {row[0]:6.1f}  "
                      f"p95 {row[1]:6.1f}  max {row[2]:6.1f} ms; {messages:.1f} messages, {kb:.0f} KB per move"
                      + (f"  ({len(times) - len(shown)} never shown)" if len(shown) < len(times) else ""), flush=True)


def report(samples, runs):
    """The medians over runs: each control against its floor; then each variant against the default."""
    median = statistics.median
    print(f"\nmedian over {runs} runs, keydown -> new picture decoded, ms; x floor: p95 / the floor's p95 in the "
          "same lesson block and run (goal <= 1.5; p95 <= 60 ms on a quiet machine):")
    for (lesson, control, variant), rows in samples.items():
        if variant not in ("floor", "default"):
            continue
        floor = samples[(lesson, FLOOR_MOVES[0][0], "floor")]
        print(f"  {lesson} {control:14} p50 {median(r[0] for r in rows):6.1f}  p95 {median(r[1] for r in rows):6.1f}  "
              f"x floor {median(r[1] / f[1] for r, f in zip(rows, floor)):4.2f}  "
              f"(worst run p95 {max(r[1] for r in rows):6.1f}); {median(r[3] for r in rows):.1f} messages, "
              f"{median(r[4] for r in rows):.0f} KB per move")
    paired = [(key, rows) for key, rows in samples.items() if key[2] not in ("floor", "default")]
    if paired:
        print(f"\nA/B, paired: default -> variant, ms (median over {runs} runs); variant / default and "
              "variant - default (median over runs of each run's own):")
    for (lesson, control, variant), rows in paired:
        base = samples[(lesson, control, "floor" if variant.startswith("floor") else "default")]
        pairs = list(zip(rows, base))
        print(f"  {lesson} {control:14} {variant:16} " + "   ".join(
            f"{name} {median(b[i] for b in base):6.1f} -> {median(r[i] for r in rows):6.1f}  "
            f"x{median(r[i] / b[i] for r, b in pairs):4.2f} ({median(r[i] - b[i] for r, b in pairs):+6.1f})"
            for i, name in ((0, "p50"), (1, "p95"))))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers to measure, e.g. 05 (default: every panel)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=0, help="seconds idle after Run All (default 0)")
    parser.add_argument("--plain", action="store_true", help="A/B: the lessons with LiveFigure.MAX_FRAMES = 0")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    if missing := needs.missing_browser():
        parser.error(missing)
    chosen = [lesson for lesson in lessons.PANEL_LESSONS if not args.lessons or lesson.file[:2] in args.lessons]
    if not chosen:
        parser.error(f"no panel lesson among {args.lessons}; they are "
                     + ", ".join(lesson.file[:2] for lesson in lessons.PANEL_LESSONS))
    # SIGTERM (a `timeout` around the benchmark) unwinds like Ctrl+C: servers and browser are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    kernelspec = nbformat.read(chosen[0].path, as_version=4).metadata.kernelspec
    samples = {}
    with contextlib.ExitStack() as stack:
        workdir = stack.enter_context(tempfile.TemporaryDirectory())
        labs = {"default": stack.enter_context(jb.running_lab(workdir, windowing=None))}
        folder = labs["default"].workdir / "root" / "notebooks"
        write_floor(folder, kernelspec)
        write_floor(folder, kernelspec, panel_pictures(), FLOOR_PICTURE_FILE)
        for lesson in chosen if args.plain else []:
            write_plain(folder, lesson)
        browser = stack.enter_context(jb.chromium())
        done = 0
        try:
            for number in range(1, args.runs + 1):
                print(f"run {number}", flush=True)
                run(number, args, chosen, labs, browser, samples)
                done = number
        finally:                # stopped early (Ctrl+C, SIGTERM, an error): the runs that finished
            if done:
                report(samples, done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
