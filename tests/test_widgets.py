"""The interactive panels, driven as a learner drives them: set slider values, click buttons.

Every check is on the model state and on the plotted data (line end points, path, cost values),
against train_sgd run separately, hand calculation or autograd; not only that nothing raised.
"""

import asyncio
import base64
import io
import threading
import time
import warnings

import numpy
import pytest
import torch
from PIL import Image

from lab_utils import live, widgets
from lab_utils.data import load_train_data
from lab_utils.training import train_sgd
from lab_utils.widgets import EPOCHS_MAX, LR_STOPS, ManualFitPanel, TrainingPanel

SEED_LAST_LINE = "Epoch 1000/1000 W: 1.971, b: 0.066 Cost: 0.000633"


@pytest.fixture(autouse=True)
def fresh_cache_and_no_warnings(monkeypatch):
    """Each test trains from scratch (no results left by another test), and any warning fails it."""
    monkeypatch.setattr(live, "_cache", live.RunCache())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture
def data():
    return load_train_data()


@pytest.fixture
def panel():
    p = TrainingPanel(background=False)
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


def test_the_picture_is_a_png_of_the_whole_figure(panel):
    image = Image.open(io.BytesIO(panel.image.value))
    width, height = panel._live.canvas.get_width_height()
    assert image.format == "PNG" and image.size == (width, height)


def full_redraw(panel):
    """The same figure drawn from scratch, the slow way: the reference for the fast picture."""
    live_figure = panel._live
    title = live_figure._frame_ax.title if live_figure._frame_ax is not None else None
    if title is not None:
        title.set_visible(True)
    live_figure.canvas.draw()
    if title is not None:
        title.set_visible(False)
    return numpy.asarray(live_figure.canvas.buffer_rgba())[..., :3].astype(int)


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
    box = panel._live._frame_box                      # the cost axes, redrawn from kept frames
    height = fast.shape[0]
    strip = (slice(int(height - box.y1), int(height - box.y0)), slice(int(box.x0), int(box.x1)))
    assert not differing(fast[strip], slow[strip]).any()
    # Elsewhere only the drawing order differs (the changing artists are drawn last, on top).
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
    assert panel.cost_line.axes.get_xlim()[1] == pytest.approx(1.02 * 400)


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
    assert "∂cost/∂W = -18.6667, ∂cost/∂b = -8.0000" in panel.status.value
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
    assert f"최대 {EPOCHS_MAX + 1} 번 update" in panel.status.value
    panel.epochs_slider.value = 20
    panel.step(1)
    assert panel.position == 22 and "Epoch   21/21" in panel.status.value


def test_a_learning_rate_of_one_half_diverges_cleanly_and_the_panel_recovers(panel, data):
    first_picture = panel.image.value
    panel.lr_slider.value = 0.5
    h = panel.history
    assert h.diverged and h.diverged_at == 5 and panel.position == 5
    assert "발산(diverged): epoch 5 에서" in panel.status.value and "lr 을 줄이세요" in panel.status.value
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
    with pytest.raises(ValueError, match=r"lr must be one of the slider's values 0\.0001, .*, 1, got 0\.03"):
        TrainingPanel(lr=0.03, background=False)
    with pytest.raises(ValueError, match=r"nb_epochs must be at most 5000 \(the epochs slider's maximum\), got 6000"):
        TrainingPanel(nb_epochs=6000, background=False)
    with pytest.raises(ValueError, match=r"nb_epochs must be >= 0"):
        TrainingPanel(nb_epochs=-1, background=False)
    with pytest.raises(ValueError, match=r"x_train must have shape \[m, 1\]"):
        TrainingPanel(data[0].flatten(), data[1], background=False)


def test_the_static_picture_for_github_is_the_panel_at_its_start(panel):
    bundle = panel._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == panel.image.value
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("TrainingPanel(lr=0.01, nb_epochs=1000)")
    assert "0x" not in bundle["text/plain"]


def test_a_closed_panel_ignores_moves_and_clicks(data):
    p = TrainingPanel(background=False)
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
    second = TrainingPanel(background=False)
    assert first.closed and also_first.closed and not second.closed
    request = {"metadata": {"cellId": "cell-b"}, "header": {"msg_id": "run-3"}}
    other = ManualFitPanel()
    assert not second.closed and not other.closed
    second.lr_slider.value = 0.1                       # the fresh panel works
    assert second.history.lr == 0.1
    first.W_slider.value = 2.0                         # the old one breaks nothing
    second.close()
    other.close()


def test_moves_keep_memory_bounded(panel):
    for i in range(60):                                 # more distinct cost frames than are kept
        panel.lr_slider.value = (0.001, 0.01, 0.1, 0.5)[i % 4]
        panel.epochs_slider.value = (i * 170) % 1001 // 10 * 10
        panel.step(1 + i % 3)
    assert len(panel._live._frames) <= live.LiveFigure.MAX_FRAMES
    assert len(live.shared_cache()) <= live.MAX_RUNS


# --- the background trainer ---------------------------------------------------------------

def test_the_background_trainer_computes_every_learning_rate_ahead(monkeypatch, data):
    monkeypatch.setattr(widgets, "EPOCHS_MAX", 300)
    trainer = live.background_trainer()
    p = TrainingPanel(nb_epochs=100, background=True)
    try:
        assert trainer.wait_until_done(timeout=120)
        assert trainer.last_error is None
        for lr in LR_STOPS:
            run = p._entries[lr].run
            expected = train_sgd(*data, lr=lr, nb_epochs=300)
            assert run.stopped or run.updates == 301
            assert (run.history.costs, run.history.Ws) == (expected.costs, expected.Ws)
        with trainer.hold():                           # while a panel redraws, nothing else trains
            before = {lr: p._entries[lr].run.updates for lr in LR_STOPS}
            p.epochs_slider.value = 200
            time.sleep(0.05)
            assert {lr: p._entries[lr].run.updates for lr in LR_STOPS} == before
    finally:
        p.close()
    assert trainer._next_job() is None                   # a closed panel asks for no more work


def test_the_background_trainer_stops_mid_work_when_asked_as_at_kernel_exit(data):
    trainer = live.BackgroundTrainer()             # its own thread, not the shared one
    entry = live.RunCache().entry(*data, lr=0.01)

    class Plan:                                    # endless work: always 16 more epochs
        def next(self):
            return entry, entry.run.updates + 16

    plan = Plan()
    trainer.follow(plan.next)
    deadline = time.monotonic() + 30
    while entry.run.updates < 32 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert entry.run.updates >= 32                  # it was working
    assert trainer.stop(timeout=5) is True          # and it ends promptly, mid-plan
    assert not trainer._thread.is_alive()
    updates = entry.run.updates
    time.sleep(0.05)
    assert entry.run.updates == updates
    assert trainer.stop() is True                   # a second stop (atexit after a manual one) is harmless


def test_waiting_for_the_trainer_inside_a_cell_lets_it_work_instead_of_hanging(data):
    trainer = live.BackgroundTrainer()
    entry = live.RunCache().entry(*data, lr=0.01)

    class Plan:                                    # 200 updates, then nothing left
        def next(self):
            return (entry, 200) if entry.run.updates < 200 else None

    plan = Plan()
    trainer._cell_started()                        # as IPython's pre_run_cell does: a cell is running
    trainer.follow(plan.next)
    time.sleep(0.05)
    assert entry.run.updates == 0                  # a running cell pauses the trainer ...
    try:
        assert trainer.wait_until_done(timeout=30) is True   # ... but not the cell that waits for it
        assert entry.run.updates == 200
        assert trainer._cell_running                # and the cell still counts as running afterwards
    finally:
        trainer.stop()


def test_an_idle_panel_draws_the_other_learning_rates_cost_frames_ahead_with_the_same_pixels(monkeypatch, data):
    monkeypatch.setattr(widgets, "EPOCHS_MAX", 300)
    expected_views = set()
    for lr in LR_STOPS:                              # each lr's cost view at 100 epochs, from train_sgd
        h = train_sgd(*data, lr=lr, nb_epochs=100)
        expected_views.add(widgets._cost_view(h, h.costs[0], len(h.costs)))

    async def learner_reads_then_moves_the_lr_slider():
        p = TrainingPanel(*data, nb_epochs=100)     # inside a running event loop, as in a kernel
        try:
            deadline = time.monotonic() + 90
            while not all(p._live.has_frame(v) for v in expected_views):
                assert time.monotonic() < deadline, "frames not drawn ahead"
                await asyncio.sleep(0.1)
            while not live.background_trainer().wait_until_done(timeout=0):
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.6)
            assert p._prerender_handle is None       # once nothing is left to train or draw, it stops
            drawn = []
            p._live.figure.draw_artist = drawn.append  # (figure.draw_artist draws only a cost frame)
            try:
                for lr in LR_STOPS:
                    p.lr_slider.value = lr
            finally:
                del p._live.figure.draw_artist
            assert drawn == []                      # every move pasted a kept frame
            pictures = []
            for lr in LR_STOPS:
                p.lr_slider.value = lr
                pictures.append(p.image.value)
            return pictures
        finally:
            p.close()

    # In a thread of its own: its event loop is the only one there (pytest's main thread may have
    # another running, e.g. Playwright's from the browser tests).
    result = {}
    worker = threading.Thread(target=lambda: result.update(pictures=asyncio.run(learner_reads_then_moves_the_lr_slider())))
    worker.start()
    worker.join(timeout=180)
    pictures = result["pictures"]
    reference = TrainingPanel(*data, nb_epochs=100, background=False)   # draws every frame on demand
    try:
        assert reference._prerender_handle is None   # no event loop: nothing scheduled
        expected = []
        for lr in LR_STOPS:
            reference.lr_slider.value = lr
            expected.append(reference.image.value)
    finally:
        reference.close()
    assert pictures == expected


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


def test_manual_panel_bad_settings_get_a_clear_error(data):
    with pytest.raises(ValueError, match=r"W must be within W_range \[-1, 5\], got 9"):
        ManualFitPanel(*data, W=9)
    with pytest.raises(TypeError, match=r"b_range must be a \(low, high\) pair of numbers, got 3"):
        ManualFitPanel(*data, b_range=3)
    with pytest.raises(ValueError, match=r"W_range must have low < high, got \(2, 1\)"):
        ManualFitPanel(*data, W_range=(2, 1))
