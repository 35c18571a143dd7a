"""Class mode (python -m lab02_tools.class_mode): a lesson presented live from JupyterLab on a 1280 x 720 projector.

The class server is started as the tool starts it, over a temporary class copy, and driven in Chromium
at 1280 x 720: the lesson opens alone in Simple Interface with the side panels closed, projector-sized
text and every '##' section (a slide) collapsed; Run All runs it clean; the training panel's section
opens, the panel fits the width, a slider moves it, the panel cell is re-run and answers again, and no
widget error is shown or logged. (Why JupyterLab's own means and not the RISE extension: README.)
"""

import contextlib
import json
import re
import secrets
import subprocess
import time
import urllib.request

import pytest

from lab02_tools import ROOT, lessons, servers
from lab02_tools import class_mode as CM
from lab02_tools import jupyterlab_browser as jb

#: The lesson class mode presents by default: the one with the training panel.
LESSON = lessons.TRAINING.file
PANEL = lessons.TRAINING.panel
VIEWPORT = (1280, 720)


def test_a_lesson_that_is_not_in_notebooks_is_refused_with_the_list_of_lessons():
    with pytest.raises(ValueError, match=r"lesson must be one of the notebooks in notebooks/ \(00_index.ipynb, "):
        CM.lesson_path("notebooks/99_missing.ipynb")
    assert CM.lesson_path(LESSON) == f"notebooks/{LESSON}"


def test_every_section_starts_collapsed_in_the_class_copy_and_the_lessons_are_untouched(tmp_path):
    before = (ROOT / "notebooks" / LESSON).read_bytes()
    url_path = CM.prepare(tmp_path, LESSON)
    assert url_path == f"doc/workspaces/{CM.WORKSPACE}/tree/notebooks/{LESSON}"
    copy = json.loads((tmp_path / "root" / "notebooks" / LESSON).read_text(encoding="utf-8"))
    headings = [c for c in copy["cells"] if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## ")]
    assert len(headings) >= 5
    assert all(c["metadata"].get("jp-MarkdownHeadingCollapsed") is True for c in headings)
    others = [c for c in copy["cells"] if c not in headings]
    assert not any("jp-MarkdownHeadingCollapsed" in c["metadata"] for c in others)
    assert (ROOT / "notebooks" / LESSON).read_bytes() == before


@contextlib.contextmanager
def class_server(workdir):
    """The class server as class mode starts it (127.0.0.1, random port and token), always stopped."""
    url_path = CM.prepare(workdir, LESSON)
    port, token = servers.free_port(), secrets.token_hex(24)
    command, env = servers.jupyterlab_command(workdir, port, token)
    log = open(workdir / "class_mode.log", "w", encoding="utf-8")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (workdir / "class_mode.log").read_text()[-2000:]
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "the class server did not answer within 90 s"
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/{url_path}?token={token}"
    finally:
        servers.stop_process_group(server, timeout=20)
        log.close()


#: What the projector shows of JupyterLab's layout.
LAYOUT_JS = """() => ({
  mode: document.querySelector('#main').dataset.shellMode,
  leftOpen: !!document.querySelector('#jp-left-stack:not(.lm-mod-hidden)'),
  rightOpen: !!document.querySelector('#jp-right-stack:not(.lm-mod-hidden)'),
  visibleTabs: [...document.querySelectorAll('#jp-main-dock-panel .lm-TabBar-tab')].filter(t => t.offsetParent).length,
  contentFont: getComputedStyle(document.body).getPropertyValue('--jp-content-font-size1').trim(),
  codeFont: getComputedStyle(document.body).getPropertyValue('--jp-code-font-size').trim(),
  collapsed: document.querySelectorAll('.jp-MarkdownCell.jp-MarkdownHeadingCollapsed').length,
})"""

#: Open the collapsed section that holds the cell whose text contains `code`; return the heading's text.
OPEN_SECTION_JS = """([sel, code]) => {
  const cells = [...document.querySelectorAll(sel + ' .jp-Cell')];
  const at = cells.findIndex(c => c.classList.contains('jp-CodeCell') && c.textContent.includes(code));
  const heading = cells.slice(0, at).reverse().find(c => c.querySelector('h2'));
  heading.querySelector('.jp-showHiddenCellsButton').click();
  return heading.querySelector('h2').textContent;
}"""


def prompt_count(cell):
    found = re.search(r"\[(\d+)\]", cell.locator(".jp-InputPrompt").first.inner_text())
    return int(found.group(1)) if found else None


@pytest.mark.browser
def test_class_mode_presents_the_training_lesson_live_at_1280x720(tmp_path):
    with class_server(tmp_path) as url, jb.chromium() as browser:
        page = browser.new_page(viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_selector(f"{jb.NOTEBOOK} .jp-MarkdownCell h1", timeout=jb.OPEN_TIMEOUT_MS)
        jb.wait_for_kernel_idle(page)
        page.wait_for_timeout(500)
        layout = page.evaluate(LAYOUT_JS)
        page.screenshot(path=str(tmp_path / "class_open.png"))
        sections = sum(1 for c in json.loads((ROOT / "notebooks" / LESSON).read_text())["cells"]
                       if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## "))
        assert layout == {"mode": "single-document", "leftOpen": False, "rightOpen": False, "visibleTabs": 0,
                          "contentFont": CM.FONT_SIZES["content-font-size1"],
                          "codeFont": CM.FONT_SIZES["code-font-size"], "collapsed": sections}, layout
        assert jb.output_problems(page) == [], "on opening"

        jb.run_all(page)
        page.wait_for_timeout(500)
        assert jb.output_problems(page) == [], "after Run All"

        heading = page.evaluate(OPEN_SECTION_JS, [jb.NOTEBOOK, PANEL])
        assert "패널" in heading, heading        # the section that holds the training panel
        cell = jb.panel_cell(page, PANEL)
        cell.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        assert cell.is_visible() and cell.locator(".widget-image").count() == 1
        # The panel fits the projector's width: all of it inside the window, nothing to scroll sideways.
        box = cell.locator(".widget-image").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORT[0] and box["width"] >= 600, box
        overflow = cell.evaluate("c => [...c.querySelectorAll('.jp-OutputArea-output, .widget-box')]"
                                 ".some(e => e.scrollWidth > e.clientWidth + 1)")
        assert not overflow, "the panel scrolls sideways"

        W_b = jb.shown_W_b(cell)
        jb.until_redrawn(page, cell, lambda: jb.press_slider(cell, 0, "ArrowLeft"))
        page.wait_for_timeout(500)
        assert jb.shown_W_b(cell) not in (None, W_b), jb.status_text(cell)
        page.screenshot(path=str(tmp_path / "class_panel.png"))

        # Re-run the panel cell, as an instructor does in class: a new count, a fresh live panel.
        count = prompt_count(cell)
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        page.wait_for_function("([sel, code, n]) => { const c = [...document.querySelectorAll(sel + ' .jp-CodeCell')]"
                               ".find(c => c.textContent.includes(code)); const m = /\\[(\\d+)\\]/.exec("
                               "c.querySelector('.jp-InputPrompt').textContent); return m && +m[1] > n; }",
                               arg=[jb.NOTEBOOK, PANEL, count], timeout=60_000)
        jb.wait_for_kernel_idle(page)
        cell.locator(".widget-image").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        W_b = jb.shown_W_b(cell)
        jb.until_redrawn(page, cell, lambda: jb.press_slider(cell, 1, "ArrowLeft", 10))
        assert jb.output_problems(page) == [], "after moving the slider and re-running the cell"
        assert [e for e in errors if re.search(r"widget|model|comm", e, re.I)] == []
        print(f"\nclass mode at 1280 x 720: {tmp_path}")
