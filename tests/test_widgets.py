"""The interactive panels, driven as a learner drives them: set slider values, click buttons.

Every check is on the model state and on the plotted data (line end points, path, cost values),
against train_sgd run separately, hand calculation or autograd; not only that nothing raised.
"""

import base64
import io
import threading
import warnings

import numpy
import pytest
import torch
from PIL import Image

from lab_utils import live, widgets
from lab_utils.data import load_train_data
from lab_utils.training import train_sgd
from lab_utils.views import EPOCHS_MAX, LR_STOPS, TrainingRuns, race_lrs, status_html
from lab_utils.widgets import ManualFitPanel, TrainingPanel

SEED_LAST_LINE = "Epoch 1000/1000 W: 1.971, b: 0.066 Cost: 0.000633"


@pytest.fixture(autouse=True)
def no_warnings():
    """Any warning fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture
def data():
    return load_train_data()


@pytest.fixture
def panel():
    p = TrainingPanel()
    yield p
    p.close()


def xs(artist):
    return [float(v) for v in artist.get_xdata()]


def ys(artist):
    return [float(v) for v in artist.get_ydata()]


def fit_line_ends(panel):
    return ys(panel.fit_line)


def expected_ends(line, W, b):
    """Where y = W x + b is at the two x ends of ``line`` (a Line2D of a panel)."""
    x_lo, x_hi = line.get_xdata()
    return [W * x_lo + b, W * x_hi + b]


def assert_shows(panel, history):
    """The panel's text and every plotted line say exactly what ``history`` says."""
    assert panel.history.costs == history.costs
    assert panel.history.Ws == history.Ws and panel.history.bs == history.bs
    assert fit_line_ends(panel) == expected_ends(panel.fit_line, history.W, history.b)
    assert ys(panel.prediction_marker) == [history.W * 4 + history.b]
    assert ys(panel.cost_line) == [max(c, 1e-12) for c in history.costs]
    assert xs(panel.path_line) == history.Ws
    assert ys(panel.path_line) == history.bs
    assert xs(panel.current_marker) == [history.W]


# --- the training panel -------------------------------------------------------------------

def test_the_default_panel_shows_the_write_up_log_numbers(panel, data, seed_log):
    assert seed_log[-1] == SEED_LAST_LINE
    assert SEED_LAST_LINE in panel.status.value
    assert panel.position == 1001
    assert_shows(panel, train_sgd(*data, lr=0.01, nb_epochs=1000))
    assert "H(4) = 7.950" in panel.status.value


def test_the_picture_is_a_png_of_the_whole_figure_every_pixel(panel):
    image = Image.open(io.BytesIO(panel.image.value))
    width, height = panel.live.canvas.get_width_height()
    assert panel.image.format == "png" and image.format == "PNG" and image.size == (width, height)
    drawn = numpy.asarray(panel.live.canvas.buffer_rgba())
    assert numpy.array_equal(numpy.asarray(image.convert("RGBA")), drawn)      # lossless: every pixel
    assert panel.live.picture == panel.image.value                               # the stored output is that picture


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (37, 64), (369, 1170)])
def test_png_bytes_is_a_png_that_pillow_reads_back_pixel_for_pixel(shape):
    rgba = numpy.random.default_rng(sum(shape)).integers(0, 256, size=shape + (4,), dtype=numpy.uint8)
    rgba[: shape[0] // 2, :, :] = (255, 255, 255, 255)               # flat runs as well as noise
    data = live.png_bytes(rgba)
    image = Image.open(io.BytesIO(data))
    image.load()                                                          # checks every chunk's CRC
    assert image.format == "PNG" and image.mode == "RGBA" and image.size == (shape[1], shape[0])
    assert numpy.array_equal(numpy.asarray(image), rgba)


def full_redraw(panel):
    """The same figure drawn from scratch, every artist in one plain draw: the reference for the picture."""
    moving = panel.live._moving
    for artist in moving:
        artist.set_animated(False)
    try:
        panel.live.canvas.draw()
    finally:
        for artist in moving:
            artist.set_animated(True)
    return numpy.asarray(panel.live.canvas.buffer_rgba())[..., :3].astype(int)


def picture(panel):
    return numpy.asarray(Image.open(io.BytesIO(bytes(panel.image.value))).convert("RGB")).astype(int)


def differing(a, b):
    return numpy.abs(a - b).max(axis=2) > 40


@pytest.mark.parametrize("moves", [[], [("lr", 0.5)], [("reset", None), ("step", 3)], [("epochs", 20)]],
                         ids=["start", "diverged", "three-steps", "20-epochs"])
def test_the_fast_picture_matches_a_full_redraw(panel, moves):
    for what, value in moves:
        if what == "lr":
            panel.lr_slider.value = value
        elif what == "epochs":
            panel.epochs_slider.value = value
        elif what == "reset":
            panel.reset()
        else:
            panel.step(value)
    fast, slow = picture(panel), full_redraw(panel)
    # Only the drawing order differs (the moving artists are drawn last, on top).
    assert differing(fast, slow).mean() < 0.005


def test_the_manual_panel_picture_matches_a_full_redraw(data):
    m = ManualFitPanel(*data, squares=True)
    m.W_slider.value = 1.0
    m.b_slider.value = -0.5
    assert differing(picture(m), full_redraw(m)).mean() < 0.005
    m.close()


def test_every_learning_rate_on_the_slider_equals_a_separate_training(panel, data):
    for lr in LR_STOPS[::-1]:
        panel.lr_slider.value = lr
        expected = train_sgd(*data, lr=lr, nb_epochs=1000)
        assert_shows(panel, expected)
        assert panel.history.diverged_at == expected.diverged_at


def test_the_epochs_slider_shows_nb_epochs_plus_one_updates(panel, data):
    for nb_epochs in (0, 10, 5000, 1000, 370):
        panel.epochs_slider.value = nb_epochs
        assert panel.position == nb_epochs + 1
        assert_shows(panel, train_sgd(*data, lr=0.01, nb_epochs=nb_epochs))
    assert panel.cost_line.axes.get_xlim()[1] == pytest.approx(1.02 * 400)   # 370 epochs: a round 400


def test_step_shows_the_gradients_autograd_computes(panel, data):
    panel.reset_button.click()
    assert panel.position == 0
    assert fit_line_ends(panel) == [0.0, 0.0]
    assert "cost = 18.666666" in panel.status.value          # 56/3 at W = b = 0

    panel.step_button.click()
    W = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    torch.mean((data[0] * W + b - data[1]) ** 2).backward()
    assert (W.grad.item(), b.grad.item()) == (pytest.approx(-56 / 3), -8.0)
    assert (panel.history.dWs[0], panel.history.dbs[0]) == (W.grad.item(), b.grad.item())
    assert panel.history.W == torch.tensor([0.0]).sub(0.01 * W.grad).item()   # W - lr * dW
    assert "∂cost/∂W = −18.6667, ∂cost/∂b = −8.0000" in panel.status.value
    assert "Epoch    0/1000 W: 0.187, b: 0.080 Cost: 18.666666" in panel.status.value

    panel.step10_button.click()
    assert panel.position == 11
    assert_shows(panel, train_sgd(*data, lr=0.01, nb_epochs=10))
    assert panel.cost_line.get_marker() == "o"                 # few points: each epoch visible
    panel.run_button.click()
    assert panel.position == 1001 and SEED_LAST_LINE in panel.status.value


def test_step_can_go_past_the_epochs_slider_up_to_the_maximum(panel):
    panel.epochs_slider.value = EPOCHS_MAX
    panel.step(3)
    assert panel.position == EPOCHS_MAX + 1
    assert f"최대 {EPOCHS_MAX + 1}번 update까지입니다" in panel.status.value
    panel.epochs_slider.value = 20
    panel.step(1)
    assert panel.position == 22 and "Epoch   21/21" in panel.status.value


def test_a_learning_rate_of_one_half_diverges_cleanly_and_the_panel_recovers(panel, data):
    first_picture = panel.image.value
    panel.lr_slider.value = 0.5
    h = panel.history
    assert h.diverged and h.diverged_at == 5 and panel.position == 5
    assert "발산(diverged): epoch 5에서" in panel.status.value and "lr을 줄이세요" in panel.status.value
    assert "learning rate(0.5)가 너무 커서" in panel.status.value
    for artist in (panel.fit_line, panel.cost_line, panel.path_line, panel.current_marker):
        assert all(torch.isfinite(torch.tensor(artist.get_ydata(), dtype=torch.float64)).tolist())
    assert panel.diverged_line.get_visible() and panel.diverged_line.get_xdata()[0] == 5
    low, high = panel.cost_line.axes.get_ylim()
    assert low <= min(h.costs) and max(h.costs) <= high < 1e9       # the whole cost curve shows
    assert panel.cost_line.axes.get_xlim()[1] == pytest.approx(1.02 * 10)
    assert panel.off_plot_text.get_visible() and panel.line_off_text.get_visible()
    assert "W: 3257.004, b: 1432.346" in panel.status.value            # where (W, b) went, in numbers

    panel.step_button.click()
    assert panel.position == 5 and "발산해서 더 진행할 수 없습니다" in panel.status.value

    panel.lr_slider.value = 0.01
    assert not panel.diverged_line.get_visible() and not panel.off_plot_text.get_visible()
    assert panel.image.value == first_picture                   # exactly the picture it started with
    assert_shows(panel, train_sgd(*data, lr=0.01, nb_epochs=1000))


def test_lr_019_diverges_at_the_epoch_lesson_6_reports(panel, data):
    panel.lr_slider.value = 0.19
    assert panel.history.diverged_at == train_sgd(*data, lr=0.19, nb_epochs=1000).diverged_at == 68


def test_bad_settings_get_a_clear_error(data):
    with pytest.raises(ValueError, match=r"lr must be one of 0\.0001, .*, 1, got 0\.03"):
        TrainingPanel(lr=0.03)
    with pytest.raises(ValueError, match=r"nb_epochs must be 0 \.\. 5000 \(the epochs slider's range\), got 6000"):
        TrainingPanel(nb_epochs=6000)
    with pytest.raises(ValueError, match=r"nb_epochs must be 0 \.\. 5000"):
        TrainingPanel(nb_epochs=-1)
    with pytest.raises(ValueError, match=r"x_train must have shape \[m, 1\]"):
        TrainingPanel(data[0].flatten(), data[1])


def test_the_static_picture_for_github_is_the_panel_at_its_start(panel):
    bundle = panel._repr_mimebundle_()
    png = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert png.format == "PNG"
    assert numpy.array_equal(numpy.asarray(png.convert("RGB")), picture(panel))   # the same pixels as the live one
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("TrainingPanel(lr=0.01, nb_epochs=1000)")
    assert "0x" not in bundle["text/plain"]


def test_a_closed_panel_ignores_moves_and_clicks(data):
    p = TrainingPanel()
    p.close()
    p.close()
    assert p.closed
    p.step(1)
    p.run()
    p.reset()
    assert p.position == 1001


def test_re_running_a_cell_closes_the_panel_it_made_before(monkeypatch):
    request = {"metadata": {"cellId": "cell-a"}, "header": {"msg_id": "run-1"}}
    monkeypatch.setattr(widgets, "_parent_request", lambda: request)
    monkeypatch.setattr(widgets, "_panels_by_cell", {})
    first = ManualFitPanel()
    also_first = ManualFitPanel()                    # two panels made by one run of one cell
    request = {"metadata": {"cellId": "cell-a"}, "header": {"msg_id": "run-2"}}
    second = TrainingPanel()
    assert first.closed and also_first.closed and not second.closed
    request = {"metadata": {"cellId": "cell-b"}, "header": {"msg_id": "run-3"}}
    other = ManualFitPanel()
    assert not second.closed and not other.closed
    second.lr_slider.value = 0.1                       # the fresh panel works
    assert second.history.lr == 0.1
    first.W_slider.value = 2.0                         # the old one breaks nothing
    second.close()
    other.close()


def test_a_kept_frame_gives_the_same_picture_as_a_new_one(panel, monkeypatch):
    for lr in (0.5, 0.01, 0.1):
        panel.lr_slider.value = lr
        kept = panel.image.value
        monkeypatch.setattr(panel.live, "_frames", {})
        panel.run()
        assert panel.image.value == kept
    assert len(panel.live._frames) <= live.LiveFigure.MAX_FRAMES


def test_moves_leave_nothing_behind_in_the_figure(panel):
    def count():
        return sum(len(ax.get_children()) for ax in panel.live.figure.axes), len(panel.live.figure.texts)
    before = count()
    for i in range(60):
        panel.lr_slider.value = (0.001, 0.01, 0.1, 0.5)[i % 4]
        panel.epochs_slider.value = (i * 170) % 1001 // 10 * 10
        panel.step(1 + i % 3)
    assert count() == before
    assert len(panel.live._frames) <= live.LiveFigure.MAX_FRAMES


# --- what to show, apart from the figure and the widgets ----------------------------------

@pytest.fixture(scope="module")
def runs():
    return TrainingRuns(*load_train_data())


def test_the_runs_hold_every_learning_rate_to_the_last_epoch_as_train_sgd(runs, data):
    assert runs.max_updates == EPOCHS_MAX + 1
    for lr in (0.0001, 0.01, 0.17, 0.19, 1.0):
        assert runs.histories[lr] == train_sgd(*data, lr=lr, nb_epochs=EPOCHS_MAX)


def test_a_view_is_the_run_cut_at_the_position_with_the_slider_in_its_log_lines(runs, data):
    view = runs.view(0.01, 1000, 1001)
    assert view.position == 1001 and view.note == ""
    assert view.history.log_lines(100) == train_sgd(*data, lr=0.01, nb_epochs=1000).log_lines(100)
    assert view.start_cost == pytest.approx(56 / 3)
    assert view.cost_limits == ((-20, 1020), (10 ** -4.1, 10 ** 2.1))   # 0 .. 1000 epochs, costs 6e-4 .. 18.7
    start = runs.view(0.01, 1000, 0)
    assert start.position == 0 and start.history.costs == [] and (start.history.W, start.history.b) == (0, 0)
    stepped = runs.view(0.01, 20, 22, stepped=True)            # Step past the slider: "/21" in the log
    assert stepped.history.log_line(21).startswith("Epoch   21/21")


def test_a_view_stops_at_divergence_and_at_the_last_update_and_says_why_only_after_a_step(runs):
    assert runs.view(0.5, 1000, 1001).position == 5
    assert runs.view(0.5, 1000, 1001).note == ""                # a slider move shows where it stopped
    assert "발산해서 더 진행할 수 없습니다" in runs.view(0.5, 1000, 6, stepped=True).note
    assert runs.view(0.5, 1000, 5, stepped=True).note == ""    # reaching the stop is not going past it
    last = runs.view(0.01, EPOCHS_MAX, EPOCHS_MAX + 4, stepped=True)
    assert last.position == EPOCHS_MAX + 1 and last.note == f"최대 {EPOCHS_MAX + 1}번 update까지입니다."
    with pytest.raises(ValueError, match=r"lr must be one of 0\.0001, .*, 1, got 0\.03"):
        runs.view(0.03, 1000, 10)


def test_a_tiny_gradient_is_shown_in_significant_digits_not_as_minus_zero(runs):
    text = status_html(runs.view(0.17, 200, 201), 4.0)
    assert "-0.0000" not in text and "e-" in text


def test_the_status_text_is_a_plain_function_of_the_view(runs):
    text = status_html(runs.view(0.01, 1000, 1), 4.0)
    assert "Epoch    0/1000 W: 0.187, b: 0.080 Cost: 18.666666" in text
    assert "∂cost/∂W = −18.6667, ∂cost/∂b = −8.0000 → W: 0.0000 − 0.01 × (−18.6667) = 0.1867, b: 0.0000 − 0.01 × (−8.0000) = 0.0800" in text
    assert "epoch 0의 cost(18.666666)는" in text
    assert "시작: W = 0.000, b = 0.000, cost = 18.666666" in status_html(runs.view(0.01, 1000, 0), 4.0)
    assert "H(4) = 7.950 (4시간 공부하면)" in status_html(runs.view(0.01, 1000, 1001), 4.0)


def test_every_minus_in_the_update_formula_is_the_same_sign_and_the_log_line_stays_as_python_prints(runs):
    text = status_html(runs.from_start(-1.0, 0.0).view(0.01, 1000, 1), 4.0)    # errors -3, -6, -9 at (-1, 0)
    assert "∂cost/∂W = −28.0000, ∂cost/∂b = −12.0000 → W: −1.0000 − 0.01 × (−28.0000) = −0.7200" in text
    assert "Epoch    0/1000 W: -0.720, b: 0.120 Cost: 42.000000" in text          # the lecture's format


def test_a_start_at_the_minimum_says_nothing_moves_never_that_the_cost_falls(runs):
    for position in (1, 1001):               # one Step from (2, 0), and Run
        text = status_html(runs.from_start(2.0, 0.0).view(0.01, 1000, position), 4.0)
        assert "∂cost/∂W = 0.0000, ∂cost/∂b = 0.0000" in text
        assert "gradient가 0이라 W와 b가 움직이지 않고 cost도 그대로입니다(0.000000)" in text and "줄어" not in text


def test_lesson_6_exercise_one_update_from_2_1_by_hand_is_what_its_panel_shows(data):
    errors = [2 * x + 1 - y for x, y in ((1, 2), (2, 4), (3, 6))]                # the line y = 2x + 1: all 1
    dW, db = 2 / 3 * sum(e * x for e, x in zip(errors, (1, 2, 3))), 2 / 3 * sum(errors)
    assert (dW, db) == (pytest.approx(4), pytest.approx(2))
    assert (2 - 0.1 * dW, 1 - 0.1 * db) == (pytest.approx(1.6), pytest.approx(0.8))
    p = TrainingPanel(*data, lr=0.17, nb_epochs=200, race=True)                 # as lesson 6 opens it
    p.race_box.value = False                                                    # what the exercise says, in order
    p.lr_slider.value = 0.1
    p.W0_field.value, p.b0_field.value = 2.0, 1.0
    p.step_button.click()
    assert "∂cost/∂W = 4.0000, ∂cost/∂b = 2.0000 → W: 2.0000 − 0.1 × (4.0000) = 1.6000, b: 1.0000 − 0.1 × (2.0000) = 0.8000" in p.status.value
    assert "Epoch    0/200 W: 1.600, b: 0.800 Cost: 1.000000" in p.status.value
    p.step_button.click()                                                       # the cost after that update
    assert "Cost: 0.106667" in p.status.value and p.history.costs[1] == pytest.approx(0.32 / 3)
    p.close()


def test_the_panel_starts_no_thread(data):
    before = set(threading.enumerate())
    p = TrainingPanel(*data)
    for lr in (0.1, 0.5, 0.01):
        p.lr_slider.value = lr
    p.step(3)
    p.close()
    assert set(threading.enumerate()) == before


def test_lab_utils_has_no_threads_timers_or_kernel_hooks():
    """Nothing in lab_utils works behind the learner's back: no thread, event-loop timer or IPython hook."""
    import ast
    import pathlib
    for path in pathlib.Path(live.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                    for alias in node.names} | {node.module.split(".")[0] for node in ast.walk(tree)
                                                if isinstance(node, ast.ImportFrom) and node.module}
        assert not imported & {"threading", "asyncio", "atexit", "concurrent"}, path.name
        calls = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
                 and isinstance(node.func, ast.Attribute)}
        assert not calls & {"call_later", "call_soon", "register"}, path.name


# --- the manual fit panel -----------------------------------------------------------------

def test_manual_panel_starts_at_zero_with_the_hand_computed_cost(data):
    m = ManualFitPanel(*data)
    assert m.cost == pytest.approx(56 / 3)
    assert "cost = ((-2.0)² + (-4.0)² + (-6.0)²) / 3 = <b>18.6667</b>" in m.status.value
    assert [ys(seg) for seg in m.residual_lines] == [[2.0, 0.0], [4.0, 0.0], [6.0, 0.0]]
    assert m.residual_squares == []
    m.close()


def test_manual_panel_squares_have_the_errors_as_sides_and_the_cost_is_their_mean(data):
    m = ManualFitPanel(*data, squares=True)
    m.W_slider.value = 1.0
    sides = [sq.get_width() for sq in m.residual_squares]
    assert sides == pytest.approx([1.0, 2.0, 3.0])
    assert [sq.get_height() for sq in m.residual_squares] == sides
    assert m.cost == pytest.approx(sum(s * s for s in sides) / 3) == pytest.approx(14 / 3)
    assert ys(m.cost_point) == [m.cost]
    m.close()


def test_manual_panel_at_the_answer_has_zero_cost_and_the_curve_is_the_hand_parabola(data):
    m = ManualFitPanel(*data)
    m.W_slider.value = 2.0
    assert m.cost == 0.0
    assert all(a == b for a, b in (ys(seg) for seg in m.residual_lines))
    W = m.cost_curve.get_xdata()
    assert m.cost_curve.get_ydata() == pytest.approx(14 / 3 * (W - 2) ** 2)   # b = 0: (14/3)(W - 2)^2
    m.b_slider.value = 1.0
    curve = m.cost_curve.get_ydata()
    # with b = 1 the best W is (sum xy - b sum x) / sum x^2 = (28 - 6) / 14 = 11/7
    assert W[curve.argmin()] == pytest.approx(11 / 7, abs=(W[1] - W[0]))
    assert ys(m.line) == expected_ends(m.line, 2.0, 1.0)
    m.close()


def test_manual_panel_without_cost_shows_only_the_line_its_errors_and_the_predictions(data):
    m = ManualFitPanel(*data, show_cost=False)
    m.W_slider.value = 1.0
    assert len(m.live.figure.axes) == 1 and not hasattr(m, "cost_curve")
    assert [ys(seg) for seg in m.residual_lines] == [[2.0, 1.0], [4.0, 2.0], [6.0, 3.0]]
    assert "예측 H(x) = 1.0, 2.0, 3.0" in m.status.value and "오차 H(x) − y = -1.0, -2.0, -3.0" in m.status.value
    assert "cost" not in m.status.value
    assert differing(picture(m), full_redraw(m)).mean() < 0.005
    m.close()


def test_manual_panel_bad_settings_get_a_clear_error(data):
    with pytest.raises(ValueError, match=r"W must be within W_range \[-1, 5\], got 9"):
        ManualFitPanel(*data, W=9)
    with pytest.raises(ValueError, match=r"squares=True .* needs show_cost=True"):
        ManualFitPanel(*data, squares=True, show_cost=False)


def test_the_wide_panels_fit_a_1366_pixel_window_with_the_file_browser_open():
    """Its output area is 919 px: there a picture up to that wide is shown pixel for pixel, unscaled."""
    for panel in (TrainingPanel(), ManualFitPanel(squares=True), ManualFitPanel()):
        assert panel.live.canvas.get_width_height()[0] == 918
        panel.close()


def test_the_off_the_plot_notes_are_in_the_picture_only_while_they_apply(panel):
    panel.lr_slider.value = 0.5                          # diverged: both notes show
    assert panel.line_off_text.get_visible() and panel.off_plot_text.get_visible()
    with_notes = picture(panel)
    changed = numpy.abs(with_notes - picture_without_notes(panel)).max(axis=2) > 40
    assert changed.sum() > 500                           # the notes are really in the picture
    panel.lr_slider.value = 0.01
    assert not panel.line_off_text.get_visible() and not panel.off_plot_text.get_visible()


def test_the_status_says_when_the_red_square_h4_is_off_the_picture_though_the_line_is_not(panel):
    """From (3.07, 2.75) the line crosses the plot but H(4) = 15.03 is above it; from (0.5, -3.8) below it."""
    y_lo, y_hi = panel.fit_line.axes.get_ylim()
    for W0, b0, side in ((3.07, 2.75, "위쪽"), (0.5, -3.8, "아래쪽")):
        panel.start_at(W0, b0)
        H = ys(panel.prediction_marker)[0]
        assert (H > y_hi if side == "위쪽" else H < y_lo) and not panel.line_off_text.get_visible()
        assert f"H(4) = {H:.3f} (4시간 공부하면) · 그림 밖({side})이라 빨간 네모가 보이지 않습니다" in panel.status.value
    assert "H(4) = 15.030" in status_html(panel.runs.from_start(3.07, 2.75).view(0.01, 1000, 0), 4.0)
    panel.reset()
    assert "H(4) = 0.000 (4시간 공부하면)</div>" in panel.status.value and "그림 밖" not in panel.status.value


def picture_without_notes(panel):
    notes = (panel.line_off_text, panel.off_plot_text)
    for note in notes:
        note.set_visible(False)
    try:
        return numpy.asarray(Image.open(io.BytesIO(panel.live.render()))).astype(int)[..., :3]
    finally:
        for note in notes:
            note.set_visible(True)


# --- a start anywhere: a click on the contour, or the W₀ and b₀ fields -----------------------

def click_event(panel, W, b):
    """What ipyevents sends for a click on the picture where (W, b) is drawn: dataX, dataY are the pixel of
    the picture itself (its natural size), rows counted from the top."""
    x, y = panel.path_line.axes.transData.transform((W, b))
    height = panel.live.canvas.get_width_height()[1]
    return {"event": "click", "type": "click", "dataX": int(x), "dataY": int(height - y), "button": 0}


def the_lesson_loop_from(x_train, y_train, lr, nb_epochs, W0, b0):
    """The lesson's optim.SGD loop written out here, from W0 and b0 (as the lesson's float32 W and b)."""
    W, b = torch.tensor([W0], requires_grad=True), torch.tensor([b0], requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=lr)
    costs, Ws, bs = [], [W.item()], [b.item()]
    for epoch in range(nb_epochs + 1):
        cost = torch.mean((x_train * W + b - y_train) ** 2)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
        costs.append(cost.item()), Ws.append(W.item()), bs.append(b.item())
    return costs, Ws, bs


def new_marker_centre(before, after, left, colour=(255, 127, 14)):
    """The centre (x from the left, y from the top) of the pixels of ``colour`` (the current point's tab:orange)
    right of column ``left`` in picture ``after`` that were not of it in ``before``."""
    coloured = [numpy.abs(image - colour).max(axis=2) < 30 for image in (before, after)]
    rows, cols = numpy.nonzero(coloured[1] & ~coloured[0])
    return cols[cols > left].mean(), rows[cols > left].mean()


@pytest.mark.parametrize("W, b", [(3.5, 3.0), (0.4, -3.2), (2.7, 1.33)])
def test_a_click_on_the_contour_starts_there_rounded_before_any_update(panel, W, b):
    event, before = click_event(panel, W, b), picture(panel)
    panel.on_click(event)
    W0, b0 = panel.W0_field.value, panel.b0_field.value
    assert (W0, b0) == (round(W0, 2), round(b0, 2))
    assert abs(W0 - W) < 0.03 and abs(b0 - b) < 0.04                    # within a pixel of the click
    assert panel.position == 0 and (panel.history.W, panel.history.b) == (numpy.float32(W0), numpy.float32(b0))
    assert xs(panel.current_marker) == [numpy.float32(W0)] and xs(panel.start_marker) == [numpy.float32(W0)]
    x, y = new_marker_centre(before, picture(panel), panel.path_line.axes.bbox.x0)                # the picture: the point where clicked
    assert abs(x - event["dataX"]) < 2.5 and abs(y - event["dataY"]) < 2.5
    assert f"시작점: <b>W₀ = {W0:.2f}, b₀ = {b0:.2f}</b>" in panel.status.value
    assert f"시작: W = {numpy.float32(W0):.3f}, b = {numpy.float32(b0):.3f}" in panel.status.value


def test_a_click_outside_the_contour_axes_or_a_strange_event_does_nothing(panel):
    before = panel.image.value, panel.status.value, panel.W0_field.value, panel.position
    height = panel.live.canvas.get_width_height()[1]
    for ax in panel.live.figure.axes[:2]:                                # the fit and the cost axes
        x, y = ax.bbox.get_points().mean(axis=0)
        panel.on_click({"type": "click", "dataX": int(x), "dataY": int(height - y)})
    for event in ({"type": "click", "dataX": 917, "dataY": 2}, {"type": "click", "dataX": -5, "dataY": 9000},
                  {"type": "click"}, {"dataX": None, "dataY": 3}, {"dataX": float("nan"), "dataY": 3}):
        panel.on_click(event)
    assert (panel.image.value, panel.status.value, panel.W0_field.value, panel.position) == before


def test_a_run_from_a_clicked_start_equals_train_sgd_and_the_lesson_loop_bit_for_bit(panel, data):
    panel.on_click(click_event(panel, 3.5, 3.0))
    W0, b0 = panel.W0_field.value, panel.b0_field.value
    panel.step(1)
    panel.step(10)
    assert_shows(panel, train_sgd(*data, lr=0.01, nb_epochs=10, W0=W0, b0=b0))
    for lr, nb_epochs in ((0.01, 1000), (0.1, 200), (0.17, 5000), (0.19, 1000)):
        panel.lr_slider.value, panel.epochs_slider.value = lr, nb_epochs        # more updates, trained now
        panel.run()
        expected = train_sgd(*data, lr=lr, nb_epochs=nb_epochs, W0=W0, b0=b0)
        assert_shows(panel, expected)
        costs, Ws, bs = the_lesson_loop_from(*data, lr, nb_epochs, W0, b0)
        n = len(expected.costs)
        assert panel.history.costs == costs[:n] and panel.history.Ws == Ws[:n + 1] and panel.history.bs == bs[:n + 1]
    assert panel.history.diverged_at == 68                     # lr 0.19 leaves at the same epoch as from (0, 0)


def test_the_fields_set_the_start_from_the_keyboard_within_the_contour(panel, data):
    (W_lo, W_hi), (b_lo, b_hi) = panel.path_line.axes.get_xlim(), panel.path_line.axes.get_ylim()
    assert (panel.W0_field.min, panel.W0_field.max, panel.b0_field.min, panel.b0_field.max) == (W_lo, W_hi, b_lo, b_hi)
    assert panel.W0_field.step == panel.b0_field.step == 0.1 and "W₀" in panel.W0_field.description
    panel.W0_field.value = 1.25
    assert panel.position == 0 and panel.history.Ws == [1.25] and panel.history.bs == [0.0]
    panel.b0_field.value = 9.0                                  # beyond the contour: its edge
    assert panel.b0_field.value == b_hi and panel.history.bs == [b_hi]
    panel.run()
    assert_shows(panel, train_sgd(*data, lr=0.01, nb_epochs=1000, W0=1.25, b0=b_hi))


def test_reset_returns_to_the_lessons_start_its_picture_and_its_numbers(panel, data):
    panel.reset()
    start_picture = panel.image.value
    panel.on_click(click_event(panel, 3.5, -3.0))
    panel.step(3)
    assert panel.image.value != start_picture
    panel.reset_button.click()
    assert (panel.W0_field.value, panel.b0_field.value, panel.position) == (0.0, 0.0, 0)
    assert panel.image.value == start_picture and panel.runs is panel.lesson_runs
    panel.run()
    assert SEED_LAST_LINE in panel.status.value and "시작점: <b>W₀ = 0.00, b₀ = 0.00</b>" in panel.status.value


def test_runs_from_a_start_are_trained_as_far_as_a_view_needs(runs, data):
    later = runs.from_start(3.5, 3.0)
    assert later.trained == 64 and runs.trained == EPOCHS_MAX + 1
    assert later.view(0.01, 1000, 10).history == train_sgd(*data, lr=0.01, nb_epochs=9, W0=3.5, b0=3.0).first(10, 1000)
    assert later.trained == 64
    view = later.view(0.01, 1000, 1001)
    assert later.trained == 1024 and view.position == 1001
    assert later.histories[0.1] == train_sgd(*data, lr=0.1, nb_epochs=1023, W0=3.5, b0=3.0)
    assert later.view(0.01, 1000, 9999, stepped=True).note == f"최대 {EPOCHS_MAX + 1}번 update까지입니다."
    assert later.trained == EPOCHS_MAX + 1
    assert runs.from_start(3.5, 3.0, 1001).trained == 1024 and runs.from_start(3.5, 3.0, 201).trained == 256


def test_a_click_trains_and_draws_what_run_needs_so_run_and_steps_after_it_only_show(panel, data):
    """Training 15 learning rates to the epochs slider's updates is the click's cost; Run after it trains nothing
    and draws no new cost frame, and Steps up to the next power of two train nothing either."""
    kept = set(panel.live._frames)
    panel.on_click(click_event(panel, 1.0, 1.0))          # a start's own frame (cost 1.67) was drawn with the panel:
    assert len(set(panel.live._frames) - kept) <= 1       # at most Run's is drawn now
    panel.on_click(click_event(panel, 3.5, 3.0))
    runs, histories, frames = panel.runs, panel.runs.histories, dict(panel.live._frames)
    assert runs.trained == 1024 and panel.position == 0
    panel.run_button.click()
    assert dict(panel.live._frames) == frames
    panel.step(10)
    assert panel.runs is runs and runs.histories is histories and panel.position == 1011
    assert_shows(panel, train_sgd(*data, lr=0.01, nb_epochs=1010, W0=3.5, b0=3.0))


# --- the race: three learning rates from one start ----------------------------------------

def test_a_race_takes_the_learning_rate_and_its_two_neighbours_on_the_slider():
    assert race_lrs(0.17) == [0.1, 0.17, 0.19] and race_lrs(0.19) == [0.17, 0.19, 0.2]
    assert race_lrs(0.0001) == [0.0001, 0.0002, 0.0005] and race_lrs(1.0) == [0.2, 0.5, 1.0]


def test_a_race_is_three_separate_runs_from_one_start_each_in_its_colour(data):
    p = TrainingPanel(*data, lr=0.19, nb_epochs=200, race=True)
    p.on_click(click_event(p, 3.5, 3.0))
    W0, b0 = p.W0_field.value, p.b0_field.value
    p.run()
    assert not any(a.get_visible() for a in p.single)
    for (path, point, cost_line, diverged_line), text, lr in zip(p.racers, p.race_legend.get_texts(), (0.17, 0.19, 0.2)):
        expected = train_sgd(*data, lr=lr, nb_epochs=200, W0=W0, b0=b0)
        assert xs(path) == expected.Ws and ys(path) == expected.bs and xs(point) == [expected.W]
        assert ys(cost_line) == [max(c, 1e-12) for c in expected.costs]
        assert diverged_line.get_visible() == expected.diverged and text.get_text() == f"lr {lr:g}"
        assert path.get_color() == point.get_color() == cost_line.get_color() == diverged_line.get_color()
        if expected.diverged:
            assert xs(diverged_line)[0] == expected.diverged_at
    assert p.race_legend.get_visible() and p.position == 201
    assert p.history == train_sgd(*data, lr=0.19, nb_epochs=200, W0=W0, b0=b0)      # the fit line: the slider's lr
    assert "lr 0.19 (검정 선): epoch 68에서 발산했습니다" in p.status.value
    assert "lr 0.2 (분홍 선): epoch 35에서 발산했습니다" in p.status.value
    assert "lr 0.17 (주황 선): 201번 update 후 W = 2.000, b = 0.000" in p.status.value
    low, high = p.cost_line.axes.get_ylim()
    assert low <= min(p.history.costs) and max(train_sgd(*data, lr=0.2, nb_epochs=200).costs) <= high
    assert differing(picture(p), full_redraw(p)).mean() < 0.005
    p.race_box.value = False                                            # one run again, the race hidden
    assert all(a.get_visible() for a in p.single[:3]) and not p.race_legend.get_visible()
    assert not any(a.get_visible() for a in sum(p.racers, []))
    p.close()


def test_a_diverged_run_of_a_race_stays_as_it_was_while_the_others_step_on(data):
    """No blinking: past its divergence a run's artists keep their data and stay shown, step after step."""
    p = TrainingPanel(*data, lr=0.19, nb_epochs=60, race=True)
    snapshots = []
    for _ in range(12):
        p.step(1)
        snapshots.append([(a.get_visible(), tuple(xs(a)), tuple(ys(a))) for a in sum(p.racers, [])])
    pink_left = [s[8:] for s in snapshots if s[11][0]]                   # lr 0.2 (diverged at 35): unchanged
    assert len(pink_left) == 12 and all(s == pink_left[0] for s in pink_left)
    black = [s[4:8] for s in snapshots]                                   # lr 0.19: steps on until epoch 68
    assert black[0] != black[-1] and all(s[0][0] and s[2][0] for s in black)
    assert p.position == 73 and p.views[1].position == 68 and p.views[0].position == 73
    assert "lr 0.19 (검정 선): epoch 68에서 발산했습니다" in p.status.value      # it stopped; Step still goes on:
    assert "더 진행할 수 없습니다" not in p.status.value                         # no note saying it cannot
    p.lr_slider.value = 1.0                                              # 0.2, 0.5, 1: all three diverge
    p.step(1)
    assert p.position == 35 and "발산해서 더 진행할 수 없습니다" in p.status.value   # now none can go on
    p.race_box.value = False
    p.step(1)
    assert "발산해서 더 진행할 수 없습니다" in p.status.value                     # nor can one run alone
    p.close()
