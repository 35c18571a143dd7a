"""Fixtures of the tests, and the rule for the tests that need more than requirements.txt.

A test marked ``browser``, ``hub`` or ``decks`` (registered in pyproject.toml) runs only where what it
needs is there (lab02_tools.needs): elsewhere it is skipped, and the reason names the command that
gets it; with CI=true it fails instead, so that CI never passes by skipping.
"""

import pytest

from lab02_tools import ROOT, needs


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
