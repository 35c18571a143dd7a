"""Binder, checked without a Binder: the Dockerfile repo2docker would build from this repository.

`repo2docker --no-build --debug --no-run .` (PyPI jupyter-repo2docker) needs no Docker engine: it
picks a build pack from binder/ and prints the Dockerfile. We check what matters for this course:
Python 3.11, binder/requirements.txt (with the CPU-only torch index) installed before the repository
is copied in, so that Binder caches that heavy layer, and lab_utils installed by postBuild after it.
"""

import re
import subprocess
import sys

import escapism
import pytest

from lab02_tools import ROOT


@pytest.fixture(scope="module")
def dry_run():
    done = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--debug", "--no-run", "."],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


def lines(dockerfile):
    return [line.strip() for line in dockerfile.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def position(dockerfile_lines, pattern):
    found = [i for i, line in enumerate(dockerfile_lines) if re.search(pattern, line)]
    assert len(found) == 1, f"expected one line matching {pattern!r}, found {len(found)}"
    return found[0]


def test_binder_uses_python_3_11(dry_run):
    dockerfile, log = dry_run
    assert "Building conda environment for python=3.11" in log
    copied = [escapism.unescape(name, escape_char="-")
              for name in re.findall(r"build_script_files/(\S+?)-[0-9a-f]{6}\s", dockerfile)]
    assert any(name.endswith("environment.py-3.11-linux-64.lock") for name in copied), copied


def test_binder_installs_the_requirements_before_copying_the_repository(dry_run):
    dockerfile = lines(dry_run[0])
    copy_requirements = position(dockerfile, r"^COPY .*src/binder/requirements\.txt .*/binder/requirements\.txt$")
    install = position(dockerfile, r'^RUN \S*/pip install --no-cache-dir -r "binder/requirements\.txt"$')
    copy_repository = position(dockerfile, r"^COPY --chown=\S+ src/ \$\{REPO_DIR\}/$")
    post_build = position(dockerfile, r"^RUN \./binder/postBuild$")
    assert copy_requirements < install < copy_repository < post_build
    # Only binder/ counts: the root requirements.txt (editable install, test tools) is not used.
    assert not [line for line in dockerfile if re.search(r'-r "?requirements\.txt', line)]



def test_the_requirements_binder_installs_use_the_cpu_only_torch_index(dry_run):
    # The Dockerfile installs binder/requirements.txt as copied; the index is its first line.
    entries = lines((ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8"))
    assert entries[0] == "--extra-index-url https://download.pytorch.org/whl/cpu"
    assert "torch==2.13.0" in entries
