"""What the browser, hub and deck tests need beyond requirements.txt, where the tools look for it,
and the command that gets it.

tests/conftest.py reads MISSING: a test marked ``browser``, ``hub`` or ``decks`` (pyproject.toml) is
skipped when what it needs is missing here, with the reason and the command that gets it; with
CI=true (.ci/run) it fails instead, so that CI never passes by skipping. Each place can be pointed
elsewhere by an environment variable, also to hide it (tests/test_needs.py does).
"""

import importlib.util
import os
import shutil
from pathlib import Path

from lab02_tools import ROOT

#: Debian's Chromium (`apt-get install -y chromium`); another Chromium or Chrome via $CHROMIUM.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: JupyterHub's proxy, pinned in tools/hub/package.json; another via $HUB_PROXY.
HUB_PROXY = Path(os.environ.get("HUB_PROXY", ROOT / "tools" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"))
#: reveal.js and MathJax, pinned in tools/slides/package.json; another folder via $SLIDES_NODE_MODULES.
SLIDES_NODE_MODULES = Path(os.environ.get("SLIDES_NODE_MODULES", ROOT / "tools" / "slides" / "node_modules"))

PIP_HINT = "python -m pip install -r requirements.txt"
CHROMIUM_HINT = ("install Debian's Chromium (sudo apt-get install -y chromium fonts-noto-cjk) or point "
                 "$CHROMIUM at a Chromium/Chrome executable; Playwright itself comes with requirements.txt")
HUB_HINT = "JupyterHub's proxy is not installed: npm ci --prefix tools/hub (needs Node.js and npm)"
DECKS_HINT = ("reveal.js and MathJax for the offline decks are not installed: run `npm ci --prefix tools/slides` "
              "in the repository folder (needs Node.js and npm; see docs/instructors.md)")


def in_ci():
    """True when $CI says so (.ci/run sets CI=true): missing needs fail instead of skipping."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _missing_modules(*names):
    for name in names:
        if importlib.util.find_spec(name) is None:
            return f"{name} is not installed: {PIP_HINT}"
    return None


def missing_chromium():
    """Why there is no Chromium to start here, or None when there is one."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM}: {CHROMIUM_HINT}"
    return None


def missing_browser():
    """Why the tests cannot drive a browser here (Playwright and Chromium), or None when they can."""
    return _missing_modules("playwright") or missing_chromium()


def missing_hub():
    """Why a JupyterHub cannot run here, or None when it can."""
    if missing := _missing_modules("jupyterhub", "nbgitpuller"):
        return missing
    if not os.access(HUB_PROXY, os.X_OK):
        return f"{HUB_HINT} (looked for {HUB_PROXY})"
    if shutil.which("git") is None:
        return "git is not installed (nbgitpuller needs it): sudo apt-get install -y git"
    return None


def missing_decks():
    """Why the offline decks cannot be built here, or None when they can."""
    from lab02_tools import offline_decks
    if offline_decks.missing_assets():
        return f"{DECKS_HINT} (looked in {SLIDES_NODE_MODULES})"
    return None


#: pytest marker -> what tells why its tests cannot run here (None: they can).
MISSING = {"browser": missing_browser, "hub": missing_hub, "decks": missing_decks}
