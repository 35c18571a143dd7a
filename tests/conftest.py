from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seed_log():
    """The learner's write-up log (seeds: [모두를 위한 딥러닝 시즌2] Lab-02 Linear regression), 11 lines."""
    return (ROOT / "tests" / "data" / "seed_log.txt").read_text(encoding="utf-8").splitlines()


def load_tool():
    """Import tools/refresh_notebooks.py (the lesson list, nav lines, cleaning) as a module."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("refresh_notebooks", ROOT / "tools" / "refresh_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def full_training_cell(nb):
    """Return lesson 5's full training code cell: the write-up's loop that prints the log."""
    cells = [c for c in nb.cells if c.cell_type == "code"
             and "for epoch in range(nb_epochs + 1)" in c.source and "print(" in c.source]
    assert len(cells) == 1, "lesson 5 must have exactly one full training cell"
    return cells[0]


def panel_cells(nb):
    """The lesson's panel cells (tag 'panel'): the live widgets nbval runs but does not compare."""
    return [c for c in nb.cells if c.cell_type == "code" and "panel" in c.metadata.get("tags", [])]
