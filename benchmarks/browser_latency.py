"""How fast the panels answer in a real browser: slider move -> new figure shown, in JupyterLab.

    python benchmarks/browser_latency.py             # 3 runs, first moves right after Run All
    python benchmarks/browser_latency.py --runs 5 --idle 30
    python benchmarks/browser_latency.py 02 05       # only these lessons' panels
    python benchmarks/browser_latency.py --network-domain   # as Playwright drives a page (see below)

Starts JupyterLab from this environment (its default settings, as a learner has them) and Debian's
Chromium (headless). For each panel lesson: open it, Run All, wait --idle seconds (default 0: the
first moves right after the cell ran, what a learner meets first), then press the arrow keys on
each slider handle, one move at a time. Each move is timed in the page, from the keydown event to
the panel's new picture decoded by the browser: the kernel round trip, the redraw, the picture's
transfer and the decode. Prints p50 / p95 / max milliseconds per control and run, and the median
over runs; and, for where the time goes, the websocket messages and bytes the browser receives per
move (the kernel's own time per move is benchmarks/widget_latency.py's).

The browser is driven over its DevTools pipe with only what the timing needs (Runtime, Page,
Input): no listening port, and no Network domain. Playwright (tests/test_browser.py) turns the
Network domain on for every page, and then Chromium copies every websocket frame, each picture
included, out to the driver during the move being timed: load a learner's browser does not have
(about +5 ms at p50 and +11 ms at p95 in paired runs here). --network-domain turns it on, to show it.
Goal (issue 10): p95 <= 60 ms per control. It asserts nothing.
"""

import argparse
import contextlib
import fcntl
import json
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time

from lab02_tools import jupyterlab_browser as jb
from lab02_tools import lessons, needs
from percentiles import percentile  # benchmarks/, this script's folder

def out_and_back(first, second, n):
    """n presses of one key, then n of the other: every press moves the slider (never against its end)."""
    return [(first, n), (second, n)]


#: The moves timed on each kind of panel: [(control, slider index, [(key, presses), ...])]. Every
#: press moves its slider from each lesson's start (the lr slider starts at stop 7 or 11 of 15).
MOVES = {
    "ManualFitPanel(": [("W slider", 0, out_and_back("ArrowRight", "ArrowLeft", 12) * 2),
                        ("b slider", 1, out_and_back("ArrowRight", "ArrowLeft", 12) * 2)],
    "TrainingPanel(": [("lr slider", 0, out_and_back("ArrowLeft", "ArrowRight", 6) + out_and_back("ArrowRight", "ArrowLeft", 3) * 2),
                       ("epochs slider", 1, out_and_back("ArrowRight", "ArrowLeft", 12) * 2)],
}
#: (lesson, how its panel cell starts, moves) for every lesson with a panel (lab02_tools.lessons).
PANELS = [(lesson.file, lesson.panel, MOVES[lesson.panel]) for lesson in lessons.PANEL_LESSONS]


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


class DevToolsError(RuntimeError):
    pass


class BareChromium:
    """Debian's Chromium (headless, the tests' flags) spoken to over --remote-debugging-pipe.

    Commands go to the browser's fd 3 and answers come from its fd 4, as JSON messages ended by a NUL
    byte (the DevTools protocol); pages are reached through flat sessions. Every wait has a deadline.
    """

    def __init__(self, user_data_dir):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def as_fd_3_and_4():                           # in the child, before exec
            # Copies above 4 first, so that neither end is overwritten before it is moved.
            a = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 5)
            b = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 5)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [needs.CHROMIUM, *jb.LAUNCH_ARGS, "--remote-debugging-pipe", f"--user-data-dir={user_data_dir}",
             "--window-size=1400,1000", "about:blank"],
            pass_fds=(3, 4), preexec_fn=as_fd_3_and_4, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._last_id = 0
        self._waiting_for = None

    def send(self, method, session=None, timeout=60, **params):
        """Send one command (to a page when ``session`` is given) and return its result."""
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        self._waiting_for = method
        deadline = time.monotonic() + timeout
        while True:
            answer = self._next(deadline)
            if answer.get("id") == self._last_id:          # events (no id) are not needed here
                if "error" in answer:
                    raise DevToolsError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def _next(self, deadline):
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError(f"Chromium did not answer {self._waiting_for} in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise DevToolsError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def new_page(self, width=1400, height=1000, init_script=None, network_domain=False):
        """A new tab, in front (so that it renders as a visible tab does)."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        page = Page(self, self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"], target)
        page.send("Page.enable")
        page.send("Page.bringToFront")
        page.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=False)
        if init_script:
            page.send("Page.addScriptToEvaluateOnNewDocument", source=init_script)
        if network_domain:
            page.send("Network.enable")
        return page

    def close(self):
        with contextlib.suppress(OSError):
            os.close(self._to_browser)                 # Chromium exits when its pipe closes ...
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        jb.stop_process_group(self.process, timeout=10)   # ... or is stopped, with anything left in its group
        os.close(self._from_browser)


class Page:
    """One tab of a BareChromium."""

    def __init__(self, browser, session, target):
        self.browser, self.session, self.target = browser, session, target

    def send(self, method, timeout=60, **params):
        return self.browser.send(method, session=self.session, timeout=timeout, **params)

    def js(self, expression, timeout=60):
        """The value of a JavaScript expression (promises awaited)."""
        result = self.send("Runtime.evaluate", timeout=timeout, expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise DevToolsError(result["exceptionDetails"].get("exception", {}).get("description")
                                or result["exceptionDetails"])
        return result["result"].get("value")

    def call(self, function, *args, timeout=60):
        """``function`` (JavaScript source) called with JSON arguments."""
        return self.js(f"({function})(...{json.dumps(list(args))})", timeout=timeout)

    def wait_for(self, expression, timeout_s, what):
        deadline = time.monotonic() + timeout_s
        while not self.js(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what}: not within {timeout_s} s")
            time.sleep(0.2)

    def goto(self, url):
        self.send("Page.navigate", url=url)

    def close(self):
        """Close the tab (JupyterLab's "leave the page?" is not asked)."""
        self.browser.send("Target.closeTarget", targetId=self.target)

    def click(self, element_expression):
        """A real mouse click (down and up) in the middle of an element."""
        x, y = self.js(f"(() => {{ const r = ({element_expression}).getBoundingClientRect(); "
                       f"return [r.x + r.width / 2, r.y + r.height / 2]; }})()")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


#: The toolbar's kernel indicator says idle (what a learner looks at).
KERNEL_IDLE_JS = (f"document.querySelector('{jb.NOTEBOOK} .jp-Notebook-ExecutionIndicator')?.dataset.status"
                  " === 'idle'")


def run_all(page):
    """Run > Run All Cells with the mouse; wait until every code cell has run and the kernel is idle."""
    page.call(jb.WATCH_BUSY_JS, jb.NOTEBOOK)
    page.click("[...document.querySelectorAll('.lm-MenuBar-itemLabel')].find(e => e.textContent === 'Run')")
    page.wait_for("[...document.querySelectorAll('.lm-Menu-itemLabel')].some(e => e.textContent === 'Run All Cells')",
                  10, "the Run menu")
    page.click("[...document.querySelectorAll('.lm-Menu-itemLabel')].find(e => e.textContent === 'Run All Cells')")
    page.wait_for(f"({jb.ALL_RAN_JS})({json.dumps(jb.NOTEBOOK)})", jb.RUN_TIMEOUT_MS / 1000, "Run All")
    page.wait_for(KERNEL_IDLE_JS, jb.RUN_TIMEOUT_MS / 1000, "the kernel idle after Run All")


def measure(browser, lab, lesson, call, controls, idle_s, network_domain):
    """Open ``lesson`` in a new tab, Run All, time each control's moves."""
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(lab.shut_down_kernels)
        page = browser.new_page(init_script=COUNT_JS, network_domain=network_domain)
        cleanup.callback(page.close)
        cells = len(lab.api(f"contents/notebooks/{lesson}")["content"]["cells"])
        page.goto(lab.lesson_url(lesson))
        page.wait_for(f"document.querySelectorAll('{jb.NOTEBOOK} .jp-Cell').length === {cells} && {KERNEL_IDLE_JS}",
                      jb.OPEN_TIMEOUT_MS / 1000, f"{lesson} open (all {cells} cells) with its kernel idle")
        run_all(page)
        time.sleep(idle_s)
        page.call("""([sel, code]) => [...document.querySelectorAll(sel + ' .jp-CodeCell')]
                       .find(c => c.textContent.includes(code)).scrollIntoView({block: 'nearest'})""",
                  [jb.NOTEBOOK, call])
        time.sleep(0.5)
        results = {}
        for control, index, presses in controls:
            times = []
            before = page.js("({...window.__kernelMessages})")
            for key, n in presses:
                # LATENCY_JS waits up to 10 s for each picture, then rests 150 ms.
                times += page.call(jb.LATENCY_JS, [call, index, key, n, 150], timeout=n * 10.2 + 30)
            after = page.js("({...window.__kernelMessages})")
            results[control] = (times, (after["count"] - before["count"]) / len(times),
                                (after["bytes"] - before["bytes"]) / len(times) / 1024)
        return results


@contextlib.contextmanager
def bare_chromium():
    with tempfile.TemporaryDirectory() as profile:
        browser = BareChromium(profile)
        try:
            yield browser
        finally:
            browser.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers to measure, e.g. 04 (default: all panels)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=0, help="seconds idle after Run All (default 0)")
    parser.add_argument("--network-domain", action="store_true",
                        help="turn on the DevTools Network domain, as Playwright does (copies every websocket frame)")
    args = parser.parse_args(argv)
    missing = needs.missing_chromium()                # Playwright is not needed here
    if missing:
        parser.error(missing)
    summary = {}
    with tempfile.TemporaryDirectory() as workdir, jb.running_lab(workdir, windowing=None) as lab, bare_chromium() as browser:
        for run in range(1, args.runs + 1):
            print(f"run {run}")
            for lesson, call, controls in PANELS:
                if args.lessons and lesson[:2] not in args.lessons:
                    continue
                results = measure(browser, lab, lesson, call, controls, args.idle, args.network_domain)
                for control, (times, messages, kb) in results.items():
                    shown = [t for t in times if t is not None]
                    p50, p95 = percentile(shown, 50), percentile(shown, 95)
                    summary.setdefault((lesson, control), []).append((p50, p95, max(shown), messages, kb))
                    print(f"  {lesson[:2]} {control:14} n={len(times):3}  p50 {p50:6.1f}  p95 {p95:6.1f}  "
                          f"max {max(shown):6.1f} ms; {messages:.1f} messages, {kb:.0f} KB per move"
                          + (f"  ({len(times) - len(shown)} never shown)" if len(shown) < len(times) else ""))
    print(f"\nmedian over {args.runs} runs (goal: p95 <= 60 ms), keydown -> new picture decoded"
          + (" (DevTools Network domain on)" if args.network_domain else "") + ":")
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
