"""A machine with only requirements.txt (no Chromium, no npm folders): the tests that need more are
skipped, each naming the command that gets what it needs; with CI=true (.ci/run) they fail instead.

pytest runs in a subprocess over every test marked ``browser``, ``hub`` or ``decks``, with $CHROMIUM,
$HUB_PROXY and $SLIDES_NODE_MODULES pointing at nothing (lab02_tools.needs), so that what this
machine has installed is hidden.
"""

import os
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree

from lab02_tools import ROOT, needs

#: The command each marker's skip reason must name.
COMMANDS = {"browser": "apt-get install -y chromium fonts-noto-cjk",
            "hub": "npm ci --prefix tools/hub",
            "decks": "npm ci --prefix tools/slides"}
#: Where the marked tests are (each of these files has at least one).
MARKED_FILES = {"test_browser", "test_class_mode", "test_hub", "test_offline_decks", "test_slides"}


def run_marked_tests(tmp_path, ci):
    """Run the marked tests with nothing installed; return (returncode, {test id: (outcome, message)})."""
    nothing = tmp_path / "nothing"
    env = dict(os.environ, CI=ci, CHROMIUM=str(nothing / "chromium"),
               HUB_PROXY=str(nothing / "configurable-http-proxy"), SLIDES_NODE_MODULES=str(nothing / "node_modules"))
    report = tmp_path / "report.xml"
    done = subprocess.run([sys.executable, "-m", "pytest", "tests", "-m", "browser or hub or decks",
                           f"--junitxml={report}", "-q"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    results = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        found = [(child.tag, child.get("message", "")) for child in case if child.tag in ("skipped", "error", "failure")]
        results[f"{case.get('classname')}::{case.get('name')}"] = found[0] if found else ("passed", "")
    return done, results


def test_without_chromium_and_npm_folders_those_tests_skip_naming_the_command(tmp_path):
    done, results = run_marked_tests(tmp_path, ci="")
    assert done.returncode == 0, done.stdout[-2000:]
    assert {name.split("::")[0].split(".")[-1] for name in results} == MARKED_FILES
    for name, (outcome, message) in results.items():
        assert outcome == "skipped" and message.startswith("missing here: "), (name, outcome, message)
        named = [marker for marker in COMMANDS if f"{marker}: " in message]
        assert named, (name, message)
        for marker in named:
            assert COMMANDS[marker] in message, (name, marker, message)
    for marker, command in COMMANDS.items():
        assert any(command in message for _, message in results.values()), f"no test says {command!r}"


def test_with_ci_true_a_missing_need_fails_instead(tmp_path):
    done, results = run_marked_tests(tmp_path, ci="true")
    assert done.returncode != 0
    assert results and all(outcome == "error" and "CI=true but this test cannot run" in message
                           for outcome, message in results.values()), results


def test_each_marker_registered_in_pyproject_is_a_need_with_its_command():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    registered = {line.split(":")[0]: line for line in options["markers"]}
    assert set(registered) == set(needs.MISSING) == set(COMMANDS)
    for marker, line in registered.items():
        assert COMMANDS[marker] in line, line
    assert "--strict-markers" in options["addopts"]
