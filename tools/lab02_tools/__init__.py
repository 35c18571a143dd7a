"""The course's tools: one package for the maintainers, the instructors, tests/ and benchmarks/.

- ``lessons``: the lesson list (file, title, what it teaches, which panel it holds), defined once;
- ``refresh``: ``python -m lab02_tools.refresh`` rewrites nav lines, slide metadata and stored outputs;
- ``class_mode``: ``python -m lab02_tools.class_mode`` presents a lesson live on a projector;
- ``offline_decks``: the nbconvert writer of tools/slides/config.py (reveal.js and MathJax offline);
- ``needs``: what the browser, hub and deck tests need, and the command that gets each;
- ``processes``: a free port, stopping a server's process group, a log's tail;
- ``jupyterlab_browser``, ``hub_classroom``: JupyterLab in Chromium, a class on a JupyterHub.

Learners never import it: ``lab_utils`` is what the lessons use.
"""

from pathlib import Path

#: The course repository: the tools read and run its notebooks/.
ROOT = Path(__file__).resolve().parent.parent.parent

if not (ROOT / "notebooks").is_dir():
    raise ImportError(f"lab02_tools works on the course repository's notebooks/, not found at {ROOT}: "
                      "install it editable from the repository, python -m pip install -e ./tools "
                      "(requirements.txt does)")
