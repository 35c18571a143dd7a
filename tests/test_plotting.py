"""Plotting helpers: values drawn checked against hand-computed costs, ax= honoured, no global state."""

import subprocess
import sys
import warnings

import matplotlib.pyplot as plt
import pytest
import torch

from lab_utils.data import load_train_data
from lab_utils.plotting import (cost_grid, default_ranges, plot_cost_contour, plot_cost_history,
                                plot_cost_vs_W, plot_data, plot_descent_path, plot_line, plot_residuals)
from lab_utils.training import train_sgd


@pytest.fixture
def data():
    return load_train_data()


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_cost_grid_equals_a_loop_over_the_formula(data):
    x, y = data
    W_values, b_values = [0.0, 1.0, 2.0, 2.5], [-1.0, 0.0, 3.0]
    grid = cost_grid(x, y, W_values, b_values)
    assert grid.shape == (4, 3)
    for i, W in enumerate(W_values):
        for j, b in enumerate(b_values):
            errors = [W * xi + b - yi for xi, yi in zip([1, 2, 3], [2, 4, 6])]
            assert grid[i, j].item() == pytest.approx(sum(e * e for e in errors) / 3)


def test_default_ranges_are_centred_on_the_minimum(data):
    W_values, b_values = default_ranges(*data)
    assert W_values[60].item() == pytest.approx(2.0) and b_values[60].item() == pytest.approx(0.0)
    # ranges follow the data: scaled data gives a range centred elsewhere
    x, y = data
    W_values, _ = default_ranges(x, 10 * y)
    assert W_values[60].item() == pytest.approx(20.0)


def test_plot_line_end_points(ax):
    ax.set_xlim(0, 5)
    line = plot_line(2.0, 1.0, ax=ax)
    assert line.get_xydata().tolist() == [[0.0, 1.0], [5.0, 11.0]]
    assert line.axes is ax


@pytest.mark.parametrize("W, b, label", [(2.5, -1.0, "H(x) = 2.5x − 1"), (1.9709, 0.06633, "H(x) = 1.971x + 0.066"),
                                          (0.0, 0.0, "H(x) = 0x + 0"), (-0.0004, 2.0, "H(x) = 0x + 2")])
def test_plot_line_labels_the_line_as_the_lessons_print_it(ax, W, b, label):
    assert plot_line(W, b, ax=ax).get_label() == label


def test_plot_data_marks_the_question_without_answering_it(data, ax):
    artists = plot_data(*data, ax=ax, question_x=4)
    assert len(artists) == 3
    scatter, vline, text = artists
    assert scatter.get_offsets().tolist() == [[1, 2], [2, 4], [3, 6]]
    assert vline.get_xdata()[0] == 4 and text.get_text().strip() == "?"
    assert text.get_position()[1] == 0.9                        # near the top, in axes units: not a y value


def test_plot_cost_vs_W_has_its_minimum_at_two(data, ax):
    line = plot_cost_vs_W(*data, b=0.0, ax=ax)
    W, cost = line.get_xdata(), line.get_ydata()
    assert W[cost.argmin()] == pytest.approx(2.0)
    assert cost.min() == pytest.approx(0.0, abs=1e-9)
    # cost(W) = (14/3)(W - 2)^2 with b = 0
    assert cost[0] == pytest.approx(14 / 3 * (W[0] - 2) ** 2)


def test_contour_marks_the_least_squares_minimum(data, ax):
    contour, marker = plot_cost_contour(*data, ax=ax)
    assert marker.get_xydata().tolist() == [[pytest.approx(2.0), pytest.approx(0.0, abs=1e-12)]]
    assert len(contour.levels) == 12


def test_contour_draws_the_levels_asked_for(data, ax):
    contour, _ = plot_cost_contour(*data, ax=ax, levels=[0.1, 1, 10])
    assert contour.levels.tolist() == [0.1, 1, 10]


def test_cost_history_and_descent_path_plot_the_history(data, ax):
    history = train_sgd(*data, nb_epochs=50)
    line = plot_cost_history(history.costs, ax=ax)
    assert line.get_ydata().tolist() == history.costs
    assert ax.get_yscale() == "log"
    path, start = plot_descent_path(history.Ws, history.bs, ax=ax)
    assert len(path.get_xdata()) == len(history.Ws) == 52
    assert start.get_xydata().tolist() == [[0.0, 0.0]]


def test_residuals_and_squares(data, ax):
    artists = plot_residuals(*data, 1.0, 1.0, ax=ax, squares=True)
    squares = [a for a in artists if isinstance(a, plt.Rectangle)]
    assert sorted(round(s.get_width() * s.get_height(), 6) for s in squares) == [0.0, 1.0, 4.0]


def test_given_ax_creates_no_figure(data, ax):
    before = plt.get_fignums()
    plot_data(*data, ax=ax)
    plot_cost_vs_W(*data, ax=ax)
    assert plt.get_fignums() == before


def test_no_warnings_when_drawing_everything(data, ax):
    diverged = train_sgd(*data, lr=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_data(*data, ax=ax, question_x=4)
        plot_line(1.0, 0.0, ax=ax)
        plot_cost_history(diverged.costs, ax=ax)
        ax.figure.canvas.draw()


def test_bad_inputs(data, ax):
    with pytest.raises(ValueError, match="costs must be a non-empty sequence of finite numbers"):
        plot_cost_history([1.0, float("nan")], ax=ax)
    with pytest.raises(ValueError, match=r"costs must be >= 0 \(a mean of squares\)"):
        plot_cost_history([1.0, -1.0], ax=ax)
    with pytest.raises(TypeError, match="W must be a number, got str"):
        plot_line("2", 0.0, ax=ax)
    with pytest.raises(ValueError, match=r"b must be one number, got a tensor of shape \[3, 1\]"):
        plot_residuals(*data, 1.0, data[1], ax=ax)
    with pytest.raises(ValueError, match="Ws and bs must have the same length, got 2 and 3"):
        plot_descent_path([0, 1], [0, 1, 2], ax=ax)
    with pytest.raises(ValueError, match=r"y_train must have shape \[m, 1\]"):
        plot_data(data[0], data[1].flatten(), ax=ax)


def test_importing_lab_utils_changes_no_global_state():
    code = (
        "import matplotlib, torch\n"
        "import threading\n"
        "before = dict(matplotlib.rcParams); seed = torch.initial_seed(); threads = threading.active_count()\n"
        "import lab_utils, lab_utils.data, lab_utils.training, lab_utils.plotting, lab_utils.checks\n"
        "import lab_utils.live, lab_utils.widgets\n"
        "assert threading.active_count() == threads, 'a thread was started'\n"
        "assert dict(matplotlib.rcParams) == before, 'rcParams changed'\n"
        "assert torch.initial_seed() == seed, 'torch seed changed'\n"
        "assert matplotlib.get_backend() == matplotlib.rcParams['backend']\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_an_exact_fit_draws_on_the_log_scale_without_warnings(data, ax):
    exact = train_sgd(*data, nb_epochs=3, W0=2.0, b0=0.0)
    assert exact.costs == [0.0] * 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        line = plot_cost_history(exact.costs, ax=ax)
        ax.figure.canvas.draw()
    assert line.get_ydata().tolist() == [1e-12] * 4


def test_parameters_may_be_one_element_tensors(data, ax):
    W = torch.tensor([2.0], requires_grad=True)
    line = plot_line(W, torch.zeros(1), ax=ax, x_range=(0, 1))
    assert line.get_xydata().tolist() == [[0.0, 0.0], [1.0, 2.0]]
