"""JupyterLab from this environment, driven by Debian's Chromium through Playwright.

Used by tests/test_browser.py (and the class-mode, deck and hub tests) and by the browser
benchmarks (benchmarks/browser_latency.py, benchmarks/classroom.py). The server runs on 127.0.0.1
with a random port and token, over a temporary copy of notebooks/ (so JupyterLab's autosave and
checkpoints never touch the repository), with its config, user settings and workspaces in that
temporary folder (lab02_tools.servers), notebook windowing off (every cell is rendered, also those
out of view) and with nothing that reaches the internet. Server, kernels and browser are always
shut down, also when a test fails. Which Chromium: lab02_tools.needs (``$CHROMIUM``).
"""

import contextlib
import json
import re
import secrets
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from lab02_tools import ROOT, needs, servers

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

#: How long a lesson may take to open or to run all its cells.
OPEN_TIMEOUT_MS = 60_000
RUN_TIMEOUT_MS = 300_000

NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
STDERR = "[data-mime-type='application/vnd.jupyter.stderr']"


class Lab:
    """A running JupyterLab server: its base URL, token and log."""

    def __init__(self, workdir, windowing="none", args=()):
        self.workdir = Path(workdir)
        self.windowing = windowing
        self.args = list(args)
        self.port = servers.free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.workdir / "jupyterlab.log"
        self.process = None

    def start(self):
        shutil.copytree(ROOT / "notebooks", self.workdir / "root" / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        command, env = servers.jupyterlab_command(self.workdir, self.port, self.token)
        command += self.args
        # "none": every cell rendered, also those scrolled out of view, so that the checks read the
        # whole lesson. None: JupyterLab's own default, what a learner has (for timings).
        settings = dict(servers.LAB_SETTINGS)
        if self.windowing is None:
            del settings["@jupyterlab/notebook-extension/tracker"]
        else:
            settings["@jupyterlab/notebook-extension/tracker"] = {"windowingMode": self.windowing}
        servers.write_lab_settings(self.workdir / "settings", settings)
        self.log = open(self.log_path, "w", encoding="utf-8")
        # Its own process group, so that the kernels it starts are stopped with it.
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                        cwd=self.workdir, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                self.api("status")
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"jupyter lab did not answer within 90 s:\n{self.log_tail()}")

    def api(self, path, method="GET", prefix="api"):
        """JSON from the server's REST API at ``/{prefix}/{path}`` (JupyterLab's own: prefix "lab/api")."""
        request = urllib.request.Request(f"{self.url}/{prefix}/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self):
        """Stop every kernel (between lessons, so that only one lesson's kernel uses memory)."""
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")

    def lesson_url(self, name):
        return f"{self.url}/lab/tree/notebooks/{name}?reset&token={self.token}"

    def log_tail(self, lines=40):
        return servers.file_tail(self.log_path, lines)

    def stop(self):
        if self.process is not None:
            servers.stop_process_group(self.process, timeout=20)   # the server stops its kernels
            self.log.close()


@contextlib.contextmanager
def running_lab(workdir, windowing="none", args=()):
    """A JupyterLab for the tests; ``windowing``: its notebook windowingMode (None: JupyterLab's default);
    ``args``: more command-line options for the server."""
    lab = Lab(workdir, windowing, args)
    try:
        yield lab.start()
    finally:
        lab.stop()


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium driven by Playwright (the sync API)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=needs.CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- what a learner does in JupyterLab ---------------------------------------------------------

def open_lesson(browser, lab, name, viewport=(1400, 1000), init_script=None):
    """Open a lesson in a new page (``init_script``: JavaScript run first in it); return (page, console_errors)."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    if init_script:
        page.add_init_script(init_script)
    console_errors = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.goto(lab.lesson_url(name))
    page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", timeout=OPEN_TIMEOUT_MS)
    wait_for_kernel_idle(page)
    return page, console_errors


def wait_for_kernel_idle(page, timeout=OPEN_TIMEOUT_MS):
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=timeout)


#: Marks every code cell whose prompt has shown "[*]" (queued or running) since it was installed.
WATCH_BUSY_JS = """(sel) => {
  const notebook = document.querySelector(sel);
  const mark = () => notebook.querySelectorAll('.jp-CodeCell').forEach(cell => {
    const prompt = cell.querySelector('.jp-InputPrompt');
    if (prompt && prompt.textContent.includes('*')) cell.dataset.labSeenBusy = '1';
  });
  new MutationObserver(mark).observe(notebook, {subtree: true, childList: true, characterData: true});
  mark();
}"""

#: True when every code cell has been busy and now shows its execution count.
ALL_RAN_JS = """(sel) => [...document.querySelectorAll(sel + ' .jp-CodeCell')].every(cell =>
  cell.dataset.labSeenBusy === '1' && /\\[\\d+\\]/.test(cell.querySelector('.jp-InputPrompt').textContent))"""


def run_all(page):
    """Run > Run All Cells, then wait until every code cell has run and the kernel is idle.

    The stored lessons already show execution counts, so "every prompt shows a number" is not
    enough: each code cell must also have gone through "[*]" after the click.
    """
    page.evaluate(WATCH_BUSY_JS, NOTEBOOK)
    page.locator(".lm-MenuBar").get_by_text("Run", exact=True).first.click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.wait_for_function(ALL_RAN_JS, arg=NOTEBOOK, timeout=RUN_TIMEOUT_MS)
    wait_for_kernel_idle(page, timeout=RUN_TIMEOUT_MS)


def visible_text(page):
    """All the lesson's text, also of cells scrolled out of view (JupyterLab skips rendering them)."""
    return page.locator(NOTEBOOK).text_content()


def scroll_to_top(page):
    page.evaluate("(sel) => { document.querySelector(sel + ' .jp-WindowedPanel-outer').scrollTop = 0; }", NOTEBOOK)
    page.wait_for_timeout(700)


#: Text of rendered Markdown (code left out) that still shows "**": bold that did not close, as in
#: "**나란히 학습(race)**을" (CommonMark: a "**" after punctuation and before a letter does not close).
UNRENDERED_BOLD_JS = """(sel) => [...document.querySelectorAll(sel + ' .jp-RenderedMarkdown')].map(md => {
  const copy = md.cloneNode(true); copy.querySelectorAll('code, pre').forEach(c => c.remove());
  const i = copy.textContent.indexOf('**'); return i < 0 ? null : copy.textContent.slice(Math.max(0, i - 30), i + 30);
}).filter(Boolean)"""


def output_problems(page):
    """What a learner must never see in a lesson: stderr, tracebacks, widget errors, Markdown left as text."""
    problems = [f"Markdown shown as text: ...{snippet}..." for snippet in page.evaluate(UNRENDERED_BOLD_JS, NOTEBOOK)]
    stderr = page.locator(f"{NOTEBOOK} {STDERR}")
    for i in range(stderr.count()):
        problems.append("stderr/error output: " + (stderr.nth(i).text_content() or "")[:300])
    text = visible_text(page)
    for phrase in ("Traceback", "Error displaying widget", "model not found", "Loading widget"):
        if phrase in text:
            problems.append(f"{phrase!r} shown in the lesson")
    return problems


def save(page):
    """File > Save (Ctrl+S), then wait until JupyterLab no longer marks the lesson as changed."""
    page.keyboard.press("Control+s")
    page.wait_for_function("""() => { const tab = document.querySelector('.lm-TabBar-tab.lm-mod-current');
        return tab && !tab.classList.contains('jp-mod-dirty'); }""", timeout=OPEN_TIMEOUT_MS)
    page.wait_for_timeout(300)


def panel_cell(page, code):
    """The code cell whose source contains `code` (a panel's constructor call)."""
    return page.locator(f"{NOTEBOOK} .jp-CodeCell").filter(has_text=code).first


def image_src(cell):
    return cell.locator(".widget-image").first.get_attribute("src")


def status_text(cell):
    return cell.locator(".widget-html-content").first.inner_text()


def shown_W_b(cell):
    """(W, b) as the panel's text shows them: 'W: 1.971, b: 0.066' or 'H(x) = 2.0x + 0.0'."""
    text = status_text(cell)
    found = re.search(r"W: (-?[\d.]+), b: (-?[\d.]+)", text) or re.search(r"H\(x\) = (-?[\d.]+)x \+ (-?[\d.]+)", text)
    return (float(found.group(1)), float(found.group(2))) if found else None


def press_slider(cell, index, key="ArrowRight", times=1):
    """Move the index-th slider of a panel with the keyboard, as a learner can."""
    handle = cell.locator(".noUi-handle").nth(index)
    handle.focus()
    for _ in range(times):
        handle.press(key)


def until_redrawn(page, cell, action, timeout_ms=20_000):
    """Do `action`; wait until the panel shows a new picture and new text. Return the ms it took."""
    before = (image_src(cell), status_text(cell))
    start = time.perf_counter()
    action()
    deadline = start + timeout_ms / 1000
    while time.perf_counter() < deadline:
        if image_src(cell) != before[0] and status_text(cell) != before[1]:
            return (time.perf_counter() - start) * 1000
        page.wait_for_timeout(5)
    raise AssertionError(f"the panel did not redraw within {timeout_ms} ms; it shows: {status_text(cell)!r}")


#: In-page timing: a keydown on a slider handle -> the <img> gets its new src -> decoded (shown).
LATENCY_JS = """async ([code, actions, restMs]) => {
  const cell = [...document.querySelectorAll('%s .jp-CodeCell')].find(c => c.textContent.includes(code));
  const img = cell.querySelector('.widget-image');
  const times = [];
  for (const action of actions) {      // {handle, key}: a key press on a slider; {x, y}: a click on the picture
    const before = img.src;
    const shown = new Promise(resolve => {
      const observer = new MutationObserver(() => {
        if (img.src !== before) {
          observer.disconnect();
          img.decode().then(() => resolve(performance.now()), () => resolve(performance.now()));
        }
      });
      observer.observe(img, {attributes: true, attributeFilter: ['src']});
    });
    const box = img.getBoundingClientRect();
    const t0 = performance.now();
    if ('key' in action) {
      cell.querySelectorAll('.noUi-handle')[action.handle].dispatchEvent(
        new KeyboardEvent('keydown', {key: action.key, bubbles: true}));
    } else {
      img.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: box.left + action.x * box.width,
                                                 clientY: box.top + action.y * box.height}));
    }
    const t1 = await Promise.race([shown, new Promise(r => setTimeout(() => r(null), 10000))]);
    times.push(t1 === null ? null : t1 - t0);
    await new Promise(r => setTimeout(r, restMs));
  }
  return times;
}""" % NOTEBOOK


def slider_latencies(page, code, handle_index, key, n, rest_ms=150):
    """Milliseconds from a slider keypress to the new picture decoded, n times (None = no redraw)."""
    return page.evaluate(LATENCY_JS, [code, [{"handle": handle_index, "key": key}] * n, rest_ms])


def click_latencies(page, code, points, rest_ms=150):
    """Milliseconds from a click on the panel's picture at each of ``points`` (fractions of its width and
    height from the top left) to the new picture decoded (None = no redraw)."""
    return page.evaluate(LATENCY_JS, [code, [{"x": x, "y": y} for x, y in points], rest_ms])
