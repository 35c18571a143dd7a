"""Every exercise as stored shows the neutral prompt, and its folded worked solution is marked right.

Each lesson's code runs in this process, top to bottom, as Jupyter runs it (each cell's source is
registered in ``linecache`` like IPython does, so checkers can read a function's source). At each
exercise the cell runs first as stored (untouched: its checker must return exactly ``BLANK``), then
the solution's code runs and the exercise's checker (the cell's last line) must return ok.
"""

import linecache
import re
import warnings

import matplotlib.pyplot as plt
import nbformat
import pytest

from lab02_tools.lessons import LESSONS
from lab_utils.checks import BLANK


def exercises_with_solutions(nb):
    """Yield (exercise_cell_index, solution_code) for each exercise: after '## 연습문제', and a 심화 exercise
    in the lesson's 심화 section."""
    for i in range(len(nb.cells) - 1):
        cell, following = nb.cells[i], nb.cells[i + 1]
        if cell.cell_type == "code" and re.search(r"^check_\w+\(", cell.source, flags=re.M):
            blocks = re.findall(r"```python\n(.*?)```", following.source, flags=re.S)
            assert following.cell_type == "markdown" and "<details>" in following.source and blocks, cell.source
            yield i, "\n".join(blocks)


def run_cell(source, name, namespace):
    """exec ``source`` as Jupyter does: compiled under a cell name whose text ``inspect`` can read."""
    filename = f"<{name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)


@pytest.mark.parametrize("path", [lesson.path for lesson in LESSONS], ids=lambda p: p.name)
def test_worked_solutions_pass_their_checks(path, monkeypatch):
    monkeypatch.chdir(path.parent)
    nb = nbformat.read(path, as_version=4)
    solutions = dict(exercises_with_solutions(nb))
    assert solutions
    namespace = {"__name__": "__lesson__"}
    verdicts, untouched = [], []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*non-interactive.*")   # plt.show() on Agg
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if i in solutions:
                check_line = cell.source.strip().splitlines()[-1]
                run_cell(cell.source, f"{path.stem}-cell-{i}", namespace)
                untouched.append((check_line, eval(check_line, namespace)))
                run_cell(solutions[i], f"{path.stem}-solution-{i}", namespace)
                verdicts.append((check_line, eval(check_line, namespace)))
            else:
                run_cell(cell.source, f"{path.stem}-cell-{i}", namespace)
            plt.close("all")
    for check_line, verdict in untouched:
        assert verdict == BLANK, f"{check_line} as stored: {verdict!r}"
    for check_line, verdict in verdicts:
        assert verdict.ok, f"{check_line}: {verdict!r}"
