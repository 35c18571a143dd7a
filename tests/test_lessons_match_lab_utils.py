"""Show, then import: each function a lesson writes out equals its lab_utils copy.

The function is taken from the lesson's stored source (only its `def`), executed, and compared
with lab_utils on inputs other than the lecture's.
"""

import ast
import contextlib
import io

import nbformat
import pytest
import torch
import torch.optim as optim

from lab02_tools import ROOT, lessons
from lab02_tools.lessons import full_training_cell
from lab_utils import training
from lab_utils.data import load_train_data


def lesson_function(notebook, name, namespace):
    nb = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                exec(compile(ast.Module(body=[node], type_ignores=[]), notebook, "exec"), namespace)
                return namespace[name]
    raise AssertionError(f"{notebook} has no def {name}")


def datasets():
    g = torch.Generator().manual_seed(3)
    x = torch.linspace(-1.0, 2.0, 6).view(-1, 1)
    return [load_train_data(), (x, 0.5 * x + 1.0 + 0.2 * torch.randn(6, 1, generator=g))]


def test_compute_cost_lesson_3():
    lesson = lesson_function("03_cost.ipynb", "compute_cost", {"torch": torch})
    for x, y in datasets():
        for W, b in [(0.0, 0.0), (1.3, -0.7)]:
            assert torch.equal(lesson(x * W + b, y), training.compute_cost(x * W + b, y))


@pytest.mark.parametrize("lr, nb_epochs", [(0.01, 1000), (0.1, 50), (0.001, 3), (0.05, 0)])
def test_train_sgd_lesson_5(lr, nb_epochs):
    lesson = lesson_function("05_training_loop.ipynb", "my_train_sgd",
                             {"torch": torch, "optim": optim, "TrainingHistory": training.TrainingHistory})
    for x, y in datasets():
        ours, theirs = lesson(x, y, lr=lr, nb_epochs=nb_epochs), training.train_sgd(x, y, lr=lr, nb_epochs=nb_epochs)
        assert (ours.costs, ours.Ws, ours.bs) == (theirs.costs, theirs.Ws, theirs.bs)


def test_gradients_by_hand_lesson_6():
    lesson = lesson_function("06_how_gd_minimizes_cost.ipynb", "gradients_by_hand", {"torch": torch})
    for x, y in datasets():
        for W, b in [(0.0, 0.0), (1.5, -0.5)]:
            W_t, b_t = torch.tensor([W]), torch.tensor([b])
            for a, c in zip(lesson(x, y, W_t, b_t), training.gradients_by_hand(x, y, W_t, b_t)):
                assert torch.equal(a, c)


def test_full_training_cell_of_lesson_5_prints_the_write_up_log(seed_log):
    nb = nbformat.read(lessons.TRAINING.path, as_version=4)
    source = full_training_cell(nb).source
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(source, {"torch": torch, "optim": optim})
    assert out.getvalue().splitlines() == seed_log
