"""Every lesson in JupyterLab in a real browser (Debian's Chromium, headless, through Playwright).

For each notebook: open it, Run All, wait for the kernel to go idle, and check that nothing a learner
must not see is shown (stderr, tracebacks, "Error displaying widget"), neither before nor after
running. On the panels: move the sliders and press Step, as a learner would, and check that the
picture and the shown W, b change; then save the lesson, stop its kernel and open it again, as a
learner's own copy is the next day: every panel must show its picture, with no widget error. A screenshot of each lesson goes to a temporary folder (printed
at the end of the run with ``-s``; kept by pytest under its basetemp).

Marked ``browser``: without a browser these tests are skipped, with a reason that says how to install
one; with CI=true a missing browser is a failure (tests/conftest.py, tests/test_needs.py).
"""

import re
import urllib.request

import nbformat
import pytest

from lab02_tools import ROOT
from lab02_tools import jupyterlab_browser as jb
from lab02_tools.lessons import all_notebooks, panel_cells

pytestmark = pytest.mark.browser
NOTEBOOKS = [path.name for path in all_notebooks()]


@pytest.fixture(scope="module")
def lab_and_browser(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("jupyterlab")
    with jb.running_lab(workdir) as lab, jb.chromium() as browser:
        yield lab, browser


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    yield folder
    print(f"\nscreenshots of the lessons in JupyterLab: {folder}")


def panel_calls(name):
    """The constructor line of each panel cell of a lesson, e.g. 'TrainingPanel(x_train, y_train)'.

    (tests/test_notebooks.py checks which lessons have one: lessons 2, 3, 5 and 6, one each.)
    """
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return [line.strip() for cell in panel_cells(nb) for line in cell.source.splitlines()
            if re.search(r"\w+Panel\(", line)]


def settle(page, cell, quiet_ms=600, timeout_ms=20_000):
    """Wait until the panel's picture and text stop changing (after several key presses)."""
    last, quiet, waited = None, 0, 0
    while quiet < quiet_ms:
        now = (jb.image_src(cell), jb.status_text(cell))
        quiet = quiet + 50 if now == last else 0
        last = now
        page.wait_for_timeout(50)
        waited += 50
        assert waited < timeout_ms, "the panel kept changing"


def check_move(page, cell, what, action, expect_new_W_b=True):
    """Do a learner's action; the picture and the shown (W, b) must change."""
    W_b, picture = jb.shown_W_b(cell), jb.image_src(cell)
    ms = jb.until_redrawn(page, cell, action)
    settle(page, cell)
    assert jb.image_src(cell) != picture, f"{what}: the picture did not change"
    if expect_new_W_b:
        assert jb.shown_W_b(cell) is not None, f"{what}: W and b are not shown: {jb.status_text(cell)!r}"
        assert jb.shown_W_b(cell) != W_b, f"{what}: the shown W, b stayed {W_b}"
    # Seen from Python, polling the page (benchmarks/browser_latency.py times it inside the page).
    print(f"  {what}: redrawn after {ms:.0f} ms")
    return ms


#: The picture's drawn and shown size, and whether the panel scrolls sideways.
PICTURE_FIT_JS = """(img) => { const r = img.getBoundingClientRect(), box = img.parentElement;
  return [img.naturalWidth, img.naturalHeight, r.width, r.height, box.scrollWidth > box.clientWidth]; }"""


def check_picture_fits(page, cell, call):
    """Pixel for pixel (sharp, not stretched) in a 1366-px-wide window with the file browser open;
    in a narrower one shrunk to fit, never scrolling sideways."""
    image = cell.locator(".widget-image").first
    try:
        for width in (1366, 1280):
            page.set_viewport_size({"width": width, "height": 1000})
            page.wait_for_timeout(300)
            drawn_w, drawn_h, shown_w, shown_h, scrolls = image.evaluate(PICTURE_FIT_JS)
            assert not scrolls, f"{call}: the panel scrolls sideways in a {width}-px window"
            if width == 1366 or drawn_w < 800:
                assert (round(shown_w), round(shown_h)) == (drawn_w, drawn_h), \
                    f"{call}: a {drawn_w}x{drawn_h} picture shown at {shown_w:.0f}x{shown_h:.0f} ({width}-px window)"
            else:
                assert shown_w < drawn_w and abs(shown_h / shown_w - drawn_h / drawn_w) < 0.01, \
                    f"{call}: a {drawn_w}x{drawn_h} picture shown at {shown_w:.0f}x{shown_h:.0f} ({width}-px window)"
    finally:
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.wait_for_timeout(300)


def drive_panel(page, call):
    cell = jb.panel_cell(page, call)
    cell.scroll_into_view_if_needed()
    assert cell.locator(".widget-image").count() == 1, f"{call}: no live panel after Run All"
    check_picture_fits(page, cell, call)
    if call.startswith("TrainingPanel"):
        check_move(page, cell, "learning-rate slider ←", lambda: jb.press_slider(cell, 0, "ArrowLeft"))
        check_move(page, cell, "epochs slider ← ×10", lambda: jb.press_slider(cell, 1, "ArrowLeft", 10))
        before = jb.shown_W_b(cell)
        jb.until_redrawn(page, cell, lambda: cell.get_by_role("button", name="Reset").click())
        settle(page, cell)
        check_move(page, cell, "Reset, then Step", lambda: cell.get_by_role("button", name="Step").click(),
                   expect_new_W_b=False)
        assert jb.shown_W_b(cell) not in (None, before), jb.status_text(cell)
        assert "∂cost/∂W" in jb.status_text(cell), "Step shows the gradients"
    else:
        check_move(page, cell, "W slider →", lambda: jb.press_slider(cell, 0, "ArrowRight"))
        check_move(page, cell, "b slider →", lambda: jb.press_slider(cell, 1, "ArrowRight"))
    return cell


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_lesson_runs_in_jupyterlab_without_errors_and_its_panels_answer(name, lab_and_browser, screenshots):
    lab, browser = lab_and_browser
    page, console_errors = jb.open_lesson(browser, lab, name)
    try:
        assert jb.output_problems(page) == [], "before running"
        jb.run_all(page)
        page.wait_for_timeout(500)           # the last outputs and widget views render
        assert jb.output_problems(page) == [], "after Run All"
        jb.scroll_to_top(page)
        page.screenshot(path=str(screenshots / f"{name[:-6]}.png"))
        for k, call in enumerate(panel_calls(name)):
            cell = drive_panel(page, call)
            cell.screenshot(path=str(screenshots / f"{name[:-6]}_panel{k + 1}.png"))
        assert jb.output_problems(page) == [], "after using the panels"
        widget_errors = [e for e in console_errors if re.search(r"widget|model|comm", e, re.I)]
        assert widget_errors == [], "widget errors in the browser console"
        if panel_calls(name):
            jb.save(page)
    finally:
        page.close()
        lab.shut_down_kernels()
    if panel_calls(name):
        reopen_the_saved_copy(lab, browser, name, screenshots)


#: A learner's saved copy of a lesson, with the panels' state, stays this small (the repository's
#: copies are about 100-300 KB; each panel adds its picture twice: the widget state and the PNG).
SAVED_COPY_MAX_KB = 1024


def reopen_the_saved_copy(lab, browser, name, screenshots):
    """The learner's own copy, saved after Run All, reopened with a new kernel: every panel shows a picture."""
    page, console_errors = jb.open_lesson(browser, lab, name)
    try:
        for k, call in enumerate(panel_calls(name)):
            cell = jb.panel_cell(page, call)
            cell.scroll_into_view_if_needed()
            # Wait until the panel's output shows something: its picture, or an error.
            page.wait_for_function("""(cell) => cell.querySelector('.widget-image') ||
                /Error displaying widget|model not found/.test(cell.textContent)""",
                                   arg=cell.element_handle(), timeout=jb.OPEN_TIMEOUT_MS)
            assert jb.output_problems(page) == [], f"the saved copy, reopened: {call}"
            page.wait_for_function("(img) => img.complete && img.naturalWidth > 300",
                                   arg=cell.locator(".widget-image").first.element_handle(),
                                   timeout=jb.OPEN_TIMEOUT_MS)
            cell.screenshot(path=str(screenshots / f"{name[:-6]}_panel{k + 1}_reopened.png"))
        assert jb.output_problems(page) == [], "the saved copy, reopened"
        widget_errors = [e for e in console_errors if re.search(r"widget|model|comm", e, re.I)]
        assert widget_errors == [], "widget errors in the browser console (reopened)"
    finally:
        page.close()
        lab.shut_down_kernels()
    saved = lab.workdir / "root" / "notebooks" / name
    nb = nbformat.read(saved, as_version=4)
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata.get("widgets", {}), \
        "JupyterLab did not save the widget state (tools/jupyterlab-settings not installed?)"
    size_kb = saved.stat().st_size / 1024
    print(f"  saved copy of {name}: {size_kb:.0f} KB")
    assert size_kb < SAVED_COPY_MAX_KB
    for cell in panel_cells(nb):            # what GitHub shows of the saved copy: the picture
        assert any("image/png" in output.get("data", {}) for output in cell.outputs), cell.source


def test_panel_moves_run_on_the_kernels_main_thread(lab_and_browser):
    """The course's JupyterLab default (tools/jupyterlab-settings): comm messages are not sent to a
    kernel subshell, so a panel's callbacks run one at a time with the cells, never beside one."""
    lab, _ = lab_and_browser
    schema = lab.api("settings/@jupyterlab/apputils-extension:kernels-settings", prefix="lab/api")["schema"]
    assert schema["properties"]["commsOverSubshells"]["default"] == "disabled"   # the overrides are its defaults


#: The bytes of the picture an <img> shows (its src is a blob: or data: URL), as base64.
PICTURE_BYTES_JS = """async (img) => { const buffer = await (await fetch(img.src)).arrayBuffer();
  let text = ''; new Uint8Array(buffer).forEach(byte => { text += String.fromCharCode(byte); }); return btoa(text); }"""


def contour_point(W, b):
    """Where (W, b) is drawn on the training panel's cost contour, as fractions of its picture's width and
    height from the top left (the panel's own figure, made here, says)."""
    from lab_utils.widgets import TrainingPanel
    reference = TrainingPanel()
    x, y = reference.path_line.axes.transData.transform((W, b))
    width, height = reference.live.canvas.get_width_height()
    reference.close()
    return x / width, 1 - y / height


def click_on_picture(cell, point):
    """Click a panel's picture at ``point`` (fractions of its width and height; it may be shown scaled)."""
    image = cell.locator(".widget-image").first
    box = image.bounding_box()
    image.click(position={"x": point[0] * box["width"], "y": point[1] * box["height"]})


def test_a_click_on_lesson_6s_contour_starts_there_step_goes_on_reset_comes_back(lab_and_browser, screenshots):
    """In Chromium, with ipyevents: a click on the contour sets the start (the fields and the text say
    where), Step goes on from there, Reset brings back the lesson's start, picture for picture; the
    field W₀ takes a start from the keyboard; the saved copy reopens without a widget error."""
    lab, browser = lab_and_browser
    name = "06_how_gd_minimizes_cost.ipynb"
    call = panel_calls(name)[0]
    page, console_errors = jb.open_lesson(browser, lab, name)
    try:
        jb.run_all(page)
        cell = jb.panel_cell(page, call)
        cell.scroll_into_view_if_needed()
        image = cell.locator(".widget-image").first
        jb.until_redrawn(page, cell, lambda: cell.get_by_role("button", name="Reset").click())
        settle(page, cell)
        start_picture, start_text = image.evaluate(PICTURE_BYTES_JS), jb.status_text(cell)
        assert "시작점: W₀ = 0.00, b₀ = 0.00" in start_text

        point = contour_point(3.5, 3.0)
        ms = jb.until_redrawn(page, cell, lambda: click_on_picture(cell, point))
        settle(page, cell)
        print(f"  click on the contour: redrawn after {ms:.0f} ms")
        W0, b0 = (float(v) for v in re.search(r"W₀ = (-?[\d.]+), b₀ = (-?[\d.]+)", jb.status_text(cell)).groups())
        assert abs(W0 - 3.5) < 0.05 and abs(b0 - 3.0) < 0.05, jb.status_text(cell)
        fields = cell.locator(".widget-text input")
        assert [float(fields.nth(i).input_value()) for i in (0, 1)] == [W0, b0]
        assert image.evaluate(PICTURE_BYTES_JS) != start_picture

        check_move(page, cell, "Step after the click", lambda: cell.get_by_role("button", name="Step").click())
        assert "지금까지 1번 update" in jb.status_text(cell) and f"W: {W0:.4f} − " in jb.status_text(cell)  # from there

        jb.until_redrawn(page, cell, lambda: cell.get_by_role("button", name="Reset").click())
        settle(page, cell)
        assert jb.status_text(cell) == start_text and image.evaluate(PICTURE_BYTES_JS) == start_picture

        jb.until_redrawn(page, cell, lambda: (fields.nth(0).fill("1.5"), fields.nth(0).press("Enter")))
        settle(page, cell)
        assert "시작점: W₀ = 1.50, b₀ = 0.00" in jb.status_text(cell)
        cell.screenshot(path=str(screenshots / "06_panel_clicked.png"))
        assert jb.output_problems(page) == []
        assert [e for e in console_errors if re.search(r"widget|model|comm", e, re.I)] == []
        fields.nth(0).blur()                   # the focus back to the notebook: a widget's field keeps Ctrl+S
        cell.locator(".jp-InputPrompt").first.click()
        jb.save(page)
    finally:
        page.close()
        lab.shut_down_kernels()
    reopen_the_saved_copy(lab, browser, name, screenshots)
