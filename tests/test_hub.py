"""A class on one JupyterHub, proven on this machine (lab02_tools.hub_classroom has the hub).

A real JupyterHub on 127.0.0.1 (dummy authenticator, SimpleLocalProcessSpawner, this environment as
every learner's): a learner logs in in Chromium, follows the course's nbgitpuller link (pointing at
a local snapshot of this repository), lands on the contents page with the lessons in their home, and
runs the training-panel lesson with Run All, with no error, and moves its slider. A second learner, at
the same time, without a browser: pulls the course with nbgitpuller's API and runs the same lesson
in a kernel through the server's websocket, as benchmarks/classroom.py does for a whole class.
Marked ``hub`` (and ``browser``): without the hub's proxy, git or Chromium these tests skip and say
why; with CI=true they fail (tests/conftest.py).
"""

import asyncio
import json
import re
import threading
import urllib.parse
import urllib.request

import pytest

from lab02_tools import ROOT, lessons
from lab02_tools import hub_classroom as hc
from lab02_tools import jupyterlab_browser as jb

README = (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")   # the instructors' guide


@pytest.fixture(scope="module")
def hub_and_course(tmp_path_factory):
    course = hc.course_snapshot(tmp_path_factory.mktemp("origin"))
    with hc.running_hub(tmp_path_factory.mktemp("hub")) as hub:
        yield hub, course


def test_the_readme_gives_the_course_link_for_a_university_hub():
    link = hc.nbgitpuller_link("https://hub.example.edu")
    assert link in README, link
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert query["repo"] == [hc.COURSE_REPO] and query["branch"] == ["main"]
    assert query["urlpath"] == [f"lab/tree/{hc.COURSE_FOLDER}/{hc.CONTENTS_PAGE}"]
    assert (ROOT / hc.CONTENTS_PAGE).is_file() and (ROOT / hc.TRAINING_LESSON).is_file()


def pull_without_browser(hub, name, course):
    """nbgitpuller's API (what its page calls): clone the course into the learner's home."""
    query = urllib.parse.urlencode({"repo": str(course), "branch": hc.COURSE_BRANCH})
    request = urllib.request.Request(f"{hub.url}/user/{name}/git-pull/api?{query}",
                                     headers={"Authorization": f"token {hub.token}"})
    events = []
    with urllib.request.urlopen(request, timeout=120) as response:
        for line in response:
            if line.startswith(b"data:"):
                events.append(json.loads(line[5:]))
                if events[-1].get("phase") in ("finished", "error"):
                    break
    assert events and events[-1]["phase"] == "finished", events[-3:]


def learner_in_kernel(hub, name, course, result):
    """The second learner: pull, Run All of the training lesson, move the sliders (in a thread)."""
    try:
        hub.start_server(name)
        pull_without_browser(hub, name, course)

        async def run():
            client = await hc.KernelClient(hub, name).open(f"{hc.COURSE_FOLDER}/{hc.TRAINING_LESSON}")
            await client.execute(f"import os; os.chdir({str(hub.home(name) / hc.COURSE_FOLDER / 'notebooks')!r})")
            for source in hc.code_cells(hub.home(name) / hc.COURSE_FOLDER / hc.TRAINING_LESSON):
                await client.execute(source)
            await client.execute(hc.MOVE_SLIDERS)
            _, out = await client.execute("_classroom_moves(4)")
            await client.close()
            return client.problems, json.loads(out.strip().splitlines()[-1])

        result["problems"], result["moves"] = asyncio.run(run())
    except Exception as error:  # reported by the test, in the main thread
        result["error"] = error


@pytest.mark.hub
@pytest.mark.browser
def test_a_learner_follows_the_course_link_and_runs_the_training_lesson(hub_and_course, tmp_path):
    hub, course = hub_and_course
    second = {}
    thread = threading.Thread(target=learner_in_kernel, args=(hub, "learner2", course, second), daemon=True)
    thread.start()
    with jb.chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        errors = []
        try:
            page = hc.log_in(context, hub, "learner1")
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            # The course link: the server starts, nbgitpuller clones, JupyterLab opens the contents page.
            page.goto(hc.nbgitpuller_link(hub.url, repo=str(course)))
            page.wait_for_url(re.compile(r"/user/learner1/lab/tree/"), timeout=hc.START_TIMEOUT_S * 1000)
            page.wait_for_selector(f"{jb.NOTEBOOK} .jp-MarkdownCell h1", timeout=jb.OPEN_TIMEOUT_MS)
            assert page.url.split("?")[0].endswith(f"/lab/tree/{hc.COURSE_FOLDER}/{hc.CONTENTS_PAGE}")
            assert "Lab-02 Linear Regression" in jb.visible_text(page)
            jb.wait_for_kernel_idle(page)
            page.screenshot(path=str(tmp_path / "contents.png"))
            home = hub.home("learner1") / hc.COURSE_FOLDER / "notebooks"
            assert sorted(p.name for p in home.glob("*.ipynb")) == sorted(
                p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
            # The training-panel lesson, from the learner's own copy, runs clean and its panel answers.
            # (?reset: a fresh workspace, so that only this lesson is open, as lab02_tools.jupyterlab_browser does)
            page.goto(f"{hub.url}/user/learner1/lab/tree/{hc.COURSE_FOLDER}/{hc.TRAINING_LESSON}?reset")
            page.wait_for_selector(f"{jb.NOTEBOOK} .jp-MarkdownCell h1", timeout=jb.OPEN_TIMEOUT_MS)
            jb.wait_for_kernel_idle(page)
            try:
                jb.run_all(page)
            finally:
                page.screenshot(path=str(tmp_path / "training.png"))
            page.wait_for_timeout(500)
            assert jb.output_problems(page) == [], "after Run All on the hub"
            cell = jb.panel_cell(page, lessons.TRAINING.panel)
            cell.scroll_into_view_if_needed()
            W_b = jb.shown_W_b(cell)
            jb.until_redrawn(page, cell, lambda: jb.press_slider(cell, 0, "ArrowLeft"))
            page.wait_for_timeout(500)
            assert jb.shown_W_b(cell) != W_b
            page.screenshot(path=str(tmp_path / "training.png"))
            assert jb.output_problems(page) == [], "after moving the slider"
            assert [e for e in errors if re.search(r"widget|model|comm", e, re.I)] == []
        finally:
            context.close()
    thread.join(timeout=600)
    assert not thread.is_alive(), "the second learner did not finish"
    assert "error" not in second, second.get("error")
    assert second["problems"] == [], second["problems"]
    assert second["moves"]["sliders"] >= 2 and len(second["moves"]["ms"]) >= 4, second["moves"]
    print(f"\nthe learner's contents page and lesson on the hub: {tmp_path}")


@pytest.mark.hub
def test_the_hub_and_every_learner_process_stop(tmp_path):
    with hc.running_hub(tmp_path / "hub") as hub:
        hub.start_server("learner3")
        processes = [p for ps in hub.learner_processes().values() for p in ps]
        assert processes, "no learner server found"
        group = hub.process.pid
    import psutil
    assert not psutil.pid_exists(group) or psutil.Process(group).status() == psutil.STATUS_ZOMBIE
    assert not [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
