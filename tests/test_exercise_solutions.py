"""Every worked solution folded away under an exercise is marked right by that exercise's checker.

Each lesson's code runs in this process, top to bottom; at each exercise the blank cell is replaced
by the solution's code, and the exercise's checker (the cell's last line) must return ok.
"""

import re
import warnings

import matplotlib.pyplot as plt
import nbformat
import pytest

from conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("0[1-9]_*.ipynb"))


def exercises_with_solutions(nb):
    """Yield (exercise_cell_index, solution_code) for each exercise after '## 연습문제'."""
    start = next(i for i, c in enumerate(nb.cells) if "## 연습문제" in c.source)
    for i in range(start, len(nb.cells) - 1):
        cell, following = nb.cells[i], nb.cells[i + 1]
        if cell.cell_type == "code" and re.search(r"^check_\w+\(", cell.source, flags=re.M):
            blocks = re.findall(r"```python\n(.*?)```", following.source, flags=re.S)
            assert following.cell_type == "markdown" and "<details>" in following.source and blocks, cell.source
            yield i, "\n".join(blocks)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_worked_solutions_pass_their_checks(path, monkeypatch):
    monkeypatch.chdir(path.parent)
    nb = nbformat.read(path, as_version=4)
    solutions = dict(exercises_with_solutions(nb))
    assert solutions
    namespace = {"__name__": "__lesson__"}
    verdicts = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*non-interactive.*")   # plt.show() on Agg
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if i in solutions:
                exec(solutions[i], namespace)
                check_line = cell.source.strip().splitlines()[-1]
                verdicts.append((check_line, eval(check_line, namespace)))
            else:
                exec(cell.source, namespace)
            plt.close("all")
    for check_line, verdict in verdicts:
        assert verdict.ok, f"{check_line}: {verdict!r}"
