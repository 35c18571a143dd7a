"""Fixtures of the tests, and the rule for the tests that need more than requirements.txt.

A test marked ``browser``, ``hub`` or ``decks`` (registered in pyproject.toml) runs only where what it
needs is there (lab02_tools.needs): elsewhere it is skipped, and the reason names the command that
gets it; with CI=true it fails instead, so that CI never passes by skipping.
"""

import re
import shlex
import subprocess
import sys

import pytest

from lab02_tools import ROOT, needs


@pytest.hookimpl(tryfirst=True)          # before any fixture of the test is set up
def pytest_runtest_setup(item):
    missing = [f"{marker}: {reason}" for marker, unmet in needs.MISSING.items()
               if item.get_closest_marker(marker) and (reason := unmet())]
    if missing and needs.in_ci():
        pytest.fail("CI=true but this test cannot run, missing here: " + " | ".join(missing), pytrace=False)
    if missing:
        pytest.skip("missing here: " + " | ".join(missing))


@pytest.fixture
def seed_log():
    """The learner's write-up log (seeds: [모두를 위한 딥러닝 시즌2] Lab-02 Linear regression), 11 lines."""
    return (ROOT / "tests" / "data" / "seed_log.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def build_decks():
    """A function that runs the README's one deck command (jupyter nbconvert ..., from this environment)
    with its output in ``out``; it returns the finished process."""
    found = re.findall(r"^jupyter nbconvert .*$", (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8"), flags=re.M)
    assert len(found) == 1, "the instructors' guide gives one command for the slides"

    def build(out, env=None):
        command = [sys.executable, "-m", "jupyter"] + shlex.split(found[0])[1:] + [f"--FilesWriter.build_directory={out}"]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    return build


@pytest.fixture(scope="session")
def readme_decks(build_decks, tmp_path_factory):
    """Every deck, built once with the README's command: (their folder, what the command printed on stderr)."""
    out = tmp_path_factory.mktemp("decks")
    done = build_decks(out)
    assert done.returncode == 0, done.stderr[-2000:]
    return out, done.stderr
