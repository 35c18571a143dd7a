"""Class mode: present a lesson live from JupyterLab, one section at a time, readable on a projector.

    python -m lab02_tools.class_mode notebooks/05_training_loop.ipynb [--port 8890]

Starts JupyterLab (this environment, on 127.0.0.1) over a class copy of notebooks/ and opens the lesson:

- Simple Interface (one document, no tabs) with the file browser and the side panels closed: the
  lesson takes the whole window; F11 in the browser makes it full screen;
- projector-sized text: larger content, code and menu fonts (JupyterLab's theme overrides), sized so
  that the panels still fit the width of a 1280 x 720 projector;
- one slide at a time: every "##" section of the class copy starts collapsed (JupyterLab's own
  collapsible headings). A section is a slide of the stored slide metadata (lab02_tools.refresh
  starts a slide at every "##" heading). Click the heading's "cells hidden" button, or select the
  heading and press → (command mode), to open the next one; ← closes it again;
- everything live: Run > Run All Cells, the panels answer, any cell can be re-run (Shift+Enter).

The class copy lives in a temporary folder (printed at start), so JupyterLab's autosave never
changes the repository's lessons; what is typed in class stays in that copy until it is deleted.
Ctrl+C stops the server and its kernels. Why not the RISE extension: see docs/instructors.md.
"""

import argparse
import json
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from lab02_tools import ROOT, lessons, servers

#: The lesson an instructor presents most (its training panel); any lesson of notebooks/ works.
DEFAULT_LESSON = f"notebooks/{lessons.TRAINING.file}"
WORKSPACE = "class"

#: Projector-sized text (JupyterLab's defaults: 14 px content, 13 px code and menus).
FONT_SIZES = {"content-font-size1": "18px", "code-font-size": "16px", "ui-font-size1": "15px"}

#: JupyterLab settings of the class server: the tools' own (no news, every cell rendered) and the fonts.
SETTINGS = {**servers.LAB_SETTINGS, "@jupyterlab/apputils-extension/themes": {"overrides": FONT_SIZES}}


def collapse_sections(notebook):
    """Collapse every '##' heading of a notebook (JupyterLab's cell metadata); return how many."""
    collapsed = 0
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown" and source.startswith("## "):
            cell["metadata"]["jp-MarkdownHeadingCollapsed"] = True
            collapsed += 1
    return collapsed


def lesson_path(lesson):
    """`lesson` as a path under notebooks/ ('notebooks/04_….ipynb' or '04_….ipynb'); a clear error otherwise."""
    name = Path(lesson).name
    known = [path.name for path in lessons.all_notebooks()]
    if name not in known:
        raise ValueError(f"lesson must be one of the notebooks in notebooks/ ({', '.join(known)}), got {lesson!r}")
    return f"notebooks/{name}"


def prepare(workdir, lesson):
    """Write the class copy, settings and workspace under `workdir`; return the lesson's URL path."""
    lesson = lesson_path(lesson)
    workdir = Path(workdir)
    copy = workdir / "root" / "notebooks"
    shutil.copytree(ROOT / "notebooks", copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for path in copy.glob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        collapse_sections(notebook)
        path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    servers.write_lab_settings(workdir / "settings", SETTINGS)
    # The workspace: the lesson alone, the side panels closed.
    document = f"notebook:{lesson}"
    workspace = {
        "data": {
            "layout-restorer:data": {
                "main": {"dock": {"type": "tab-area", "currentIndex": 0, "widgets": [document]},
                         "current": document},
                "left": {"collapsed": True, "visible": True, "widgets": ["filebrowser", "running-sessions",
                                                                         "table-of-contents"]},
                "right": {"collapsed": True, "visible": True, "widgets": []},
                "relativeSizes": [0, 1, 0],
                "top": {"simpleVisibility": True},
            },
            document: {"data": {"path": lesson, "factory": "Notebook"}},
        },
        "metadata": {"id": WORKSPACE},
    }
    (workdir / "workspaces").mkdir(parents=True, exist_ok=True)
    (workdir / "workspaces" / f"{WORKSPACE}.jupyterlab-workspace").write_text(json.dumps(workspace), encoding="utf-8")
    # /doc/workspaces/<name>/tree/<path>: the workspace, in Simple Interface ("doc"), on the lesson.
    return f"doc/workspaces/{WORKSPACE}/tree/{lesson}"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lab02_tools.class_mode", description=__doc__.split("\n\n")[0])
    parser.add_argument("lesson", nargs="?", default=DEFAULT_LESSON, help=f"default: {DEFAULT_LESSON}")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args(argv)
    try:
        lesson = lesson_path(args.lesson)
    except ValueError as error:
        parser.error(str(error))
    workdir = Path(tempfile.mkdtemp(prefix="lab02-class-"))
    url_path = prepare(workdir, lesson)
    port, token = args.port or servers.free_port(), secrets.token_hex(24)
    cmd, env = servers.jupyterlab_command(workdir, port, token)
    url = f"http://127.0.0.1:{port}/{url_path}?token={token}"
    print(f"class copy of the lessons: {workdir / 'root' / 'notebooks'}")
    print(f"class mode: {url}\n(Ctrl+C stops it)", flush=True)
    server = subprocess.Popen(cmd, env=env)
    try:
        import webbrowser
        import time
        time.sleep(3)
        webbrowser.open(url)
        server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
