"""lab_utils.training against independent references: the seed's log, hand calculation,
autograd and torch.linalg.lstsq. A cost computed as a sum, or a gradient without 2/m, fails here."""

import math
import warnings

import pytest
import torch

from lab_utils.data import load_train_data
from lab_utils.training import (DIVERGENCE_FACTOR, best_fit, compute_cost, gradients_by_hand, stability_limit,
                                train_sgd, train_sgd_many)


@pytest.fixture
def data():
    return load_train_data()


def noisy_data(m=7, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.linspace(0.5, 3.0, m).view(-1, 1)
    y = 1.7 * x - 0.4 + 0.3 * torch.randn(m, 1, generator=g)
    return x, y


def test_log_reproduces_the_write_up_to_the_digit(data, seed_log, capsys):
    history = train_sgd(*data, lr=0.01, nb_epochs=1000, log_every=100)
    assert capsys.readouterr().out.splitlines() == seed_log
    assert history.log_lines(every=100) == seed_log


def test_first_step_matches_hand_calculation(data):
    history = train_sgd(*data, lr=0.01, nb_epochs=0)
    # cost(0, 0) = (4 + 16 + 36) / 3; gradients (2/3)(-28) and (2/3)(-12); step = -lr * gradient
    assert history.costs == [pytest.approx(56 / 3)]
    assert history.Ws == [0.0, pytest.approx(0.01 * 56 / 3)]
    assert history.bs == [0.0, pytest.approx(0.08)]


def test_history_lengths_follow_range_nb_epochs_plus_one(data):
    history = train_sgd(*data, lr=0.01, nb_epochs=10)
    assert len(history.costs) == 11
    assert len(history.Ws) == len(history.bs) == 12
    assert (history.Ws[0], history.bs[0]) == (0.0, 0.0)


def test_compute_cost_is_the_mean_not_the_sum():
    hypothesis = torch.FloatTensor([[0.0], [1.0], [5.0], [7.0]])
    y = torch.FloatTensor([[2.0], [4.0], [6.0], [8.0]])
    # errors -2, -3, -1, -1 -> squares 4, 9, 1, 1 -> mean 15/4
    assert compute_cost(hypothesis, y).item() == pytest.approx(15 / 4)
    assert compute_cost(hypothesis, y).dim() == 0


def test_compute_cost_zero_hypothesis(data):
    x, y = data
    assert compute_cost(x * 0.0, y).item() == pytest.approx(18.6667, abs=1e-4)


@pytest.mark.parametrize("W0, b0", [(0.0, 0.0), (1.5, -0.5), (3.0, 2.0), (-1.0, 4.0)])
def test_hand_gradients_equal_autograd(W0, b0):
    x, y = noisy_data()   # m = 7: a gradient missing 1/m, 2 or 2/m is off by 7, 2 or 3.5
    W = torch.tensor([W0], requires_grad=True)
    b = torch.tensor([b0], requires_grad=True)
    torch.mean((x * W + b - y) ** 2).backward()
    dW, db = gradients_by_hand(x, y, W.detach(), b.detach())
    assert dW.item() == pytest.approx(W.grad.item(), rel=1e-5, abs=1e-6)
    assert db.item() == pytest.approx(b.grad.item(), rel=1e-5, abs=1e-6)


def test_first_gradients_of_the_lecture(data):
    dW, db = gradients_by_hand(*data, torch.zeros(1), torch.zeros(1))
    assert dW.item() == pytest.approx(-18.6667, abs=1e-4)
    assert db.item() == pytest.approx(-8.0)


def test_converged_fit_equals_least_squares():
    x, y = noisy_data()
    design = torch.cat([x, torch.ones_like(x)], dim=1).double()
    W_ref, b_ref = torch.linalg.lstsq(design, y.double()).solution.flatten().tolist()
    history = train_sgd(x, y, lr=0.1, nb_epochs=5000)
    assert not history.diverged
    assert history.W == pytest.approx(W_ref, abs=1e-4)
    assert history.b == pytest.approx(b_ref, abs=1e-4)
    assert best_fit(x, y) == (pytest.approx(W_ref, abs=1e-9), pytest.approx(b_ref, abs=1e-9))


def test_lecture_data_converges_towards_two_and_zero(data):
    history = train_sgd(*data, lr=0.1, nb_epochs=2000)
    assert (history.W, history.b) == (pytest.approx(2.0, abs=1e-4), pytest.approx(0.0, abs=1e-4))


def test_stability_limit_matches_the_closed_form(data):
    # Hessian (2/3)[[14, 6], [6, 3]]: largest eigenvalue (17 + sqrt(265)) / 3
    assert stability_limit(data[0]) == pytest.approx(6 / (17 + math.sqrt(265)), rel=1e-12)


def test_stability_limit_separates_convergence_from_divergence():
    x, y = noisy_data()
    limit = stability_limit(x)
    below = train_sgd(x, y, lr=0.97 * limit, nb_epochs=3000)
    above = train_sgd(x, y, lr=1.03 * limit, nb_epochs=3000)
    assert not below.diverged and below.costs[-1] < below.costs[0]
    assert above.diverged


def test_divergence_is_reported_not_raised(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train_sgd(*data, lr=0.5, nb_epochs=1000)
    assert history.diverged
    assert history.diverged_at == len(history.costs)
    assert history.diverged_cost > DIVERGENCE_FACTOR * history.costs[0]
    assert all(math.isfinite(c) for c in history.costs)
    assert all(later > earlier for earlier, later in zip(history.costs, history.costs[1:]))
    assert f"epoch {history.diverged_at}" in history.message and "발산" in history.message
    assert "learning rate(0.5)가 너무 커서" in history.message


def test_divergence_is_printed_once_with_the_log(data, capsys):
    train_sgd(*data, lr=1.0, nb_epochs=1000, log_every=100)
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("발산(diverged): epoch ")
    assert sum("발산" in line for line in out) == 1


def test_start_point_is_respected(data):
    history = train_sgd(*data, lr=0.01, nb_epochs=0, W0=2.0, b0=0.0)
    assert history.costs == [0.0]
    assert (history.W, history.b) == (2.0, 0.0)


def test_predict_uses_the_last_parameters(data):
    history = train_sgd(*data)
    assert history.predict(4) == pytest.approx(4 * history.W + history.b)
    assert history.predict(4) == pytest.approx(7.95, abs=5e-3)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"lr": 0}, ValueError, "lr must be > 0, got 0"),
    ({"lr": -0.01}, ValueError, "lr must be > 0, got -0.01"),
    ({"lr": math.inf}, ValueError, "lr must be a finite number, got inf"),
    ({"lr": "0.01"}, TypeError, "lr must be a number, got str"),
    ({"nb_epochs": -1}, ValueError, "nb_epochs must be >= 0, got -1"),
    ({"nb_epochs": 10.5}, TypeError, "nb_epochs must be an integer, got float"),
    ({"log_every": 0}, ValueError, "log_every must be >= 1, got 0"),
])
def test_bad_arguments_get_clear_errors(data, kwargs, error, message):
    with pytest.raises(error) as info:
        train_sgd(*data, **kwargs)
    assert str(info.value) == message


def test_bad_data_is_refused(data):
    x, y = data
    with pytest.raises(ValueError, match=r"x_train must have shape \[m, 1\]"):
        train_sgd(x.flatten(), y)
    with pytest.raises(ValueError, match="same number of rows"):
        train_sgd(x, y[:2])


def test_best_fit_needs_two_distinct_x():
    with pytest.raises(ValueError, match="at least two different values"):
        best_fit(torch.ones(3, 1), torch.ones(3, 1))


def test_a_growing_cost_is_called_out_before_it_reaches_the_stop_threshold(data):
    history = train_sgd(*data, lr=0.185, nb_epochs=40)
    assert not history.diverged and history.costs[-1] > history.costs[0]
    assert history.message.startswith("cost가 줄지 않고 커지고 있습니다")
    converging = train_sgd(*data, lr=0.01, nb_epochs=40)
    assert converging.message.startswith("학습 완료: 41번 update")
    assert "거의 줄지" not in converging.message
    at_the_limit = train_sgd(*data, lr=stability_limit(data[0]), nb_epochs=2000)   # neither converges nor diverges
    assert not at_the_limit.diverged and "거의 줄지 않았습니다" in at_the_limit.message
    too_small = train_sgd(*data, lr=0.0001, nb_epochs=100)
    assert "처음 cost의 " in too_small.message and "거의 줄지 않았습니다" in too_small.message


# --- train_sgd_many: every learning rate at once ---------------------------------------------

def the_lesson_loop(x_train, y_train, lr, nb_epochs):
    """The lesson's loop written out here, independent of lab_utils: every cost, W, b and gradient."""
    W = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=lr)
    rows = []
    for epoch in range(nb_epochs + 1):
        hypothesis = x_train * W + b
        cost = torch.mean((hypothesis - y_train) ** 2)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
        rows.append((cost.item(), W.item(), b.item(), W.grad.item(), b.grad.item()))
    return rows


def test_all_learning_rates_at_once_equal_the_lesson_loop_bit_for_bit_at_every_update(data):
    from lab_utils.views import EPOCHS_MAX, LR_STOPS
    runs = train_sgd_many(*data, LR_STOPS, nb_epochs=EPOCHS_MAX)
    assert list(runs) == list(LR_STOPS)
    for lr in LR_STOPS:
        h = runs[lr]
        assert h == train_sgd(*data, lr=lr, nb_epochs=EPOCHS_MAX)          # every field, diverged_at too
        rows = the_lesson_loop(*data, lr, EPOCHS_MAX)
        n = len(h.costs)
        assert n == (EPOCHS_MAX + 1 if h.diverged_at is None else h.diverged_at)
        assert [r[0] for r in rows[:n]] == h.costs
        assert [r[1] for r in rows[:n]] == h.Ws[1:] and [r[2] for r in rows[:n]] == h.bs[1:]
        assert [r[3] for r in rows[:n]] == h.dWs and [r[4] for r in rows[:n]] == h.dbs
    assert {lr: runs[lr].diverged_at for lr in (0.19, 0.2, 0.5, 1.0)} == {0.19: 68, 0.2: 35, 0.5: 5, 1.0: 3}
    assert all(runs[lr].diverged_at is None for lr in LR_STOPS if lr < 0.18)


def test_all_at_once_also_from_another_start_and_on_other_data():
    x, y = noisy_data()
    runs = train_sgd_many(x, y, [0.01, 0.3, 0.05], nb_epochs=300, W0=1.5, b0=-0.5)
    for lr, history in runs.items():
        assert history == train_sgd(x, y, lr=lr, nb_epochs=300, W0=1.5, b0=-0.5)


def test_all_at_once_bad_input_gets_a_clear_error(data):
    with pytest.raises(ValueError, match=r"lrs must be one or more different learning rates, got \[0\.1, 0\.1\]"):
        train_sgd_many(*data, [0.1, 0.1])
    with pytest.raises(ValueError, match=r"lrs must be one or more different learning rates, got \[\]"):
        train_sgd_many(*data, [])
    with pytest.raises(ValueError, match=r"lrs must be > 0"):
        train_sgd_many(*data, [0.1, -1])


def test_a_diverged_run_stops_before_the_step_that_would_blow_up(data):
    h = train_sgd(*data, lr=0.5, nb_epochs=1000)
    assert h.diverged_at == 5 and len(h.costs) == 5 and len(h.Ws) == 6
    assert h.diverged_cost > DIVERGENCE_FACTOR * h.costs[0]
    assert all(math.isfinite(v) for v in h.costs + h.Ws + h.bs)


def test_first_cuts_a_history_and_keeps_divergence_only_at_its_end(data):
    full = train_sgd(*data, lr=0.01, nb_epochs=1000)
    ten = full.first(10)
    assert (ten.costs, ten.Ws, ten.bs) == (full.costs[:10], full.Ws[:11], full.bs[:11])
    assert ten.nb_epochs == 9 and ten.log_lines(1)[-1] == full.log_line(9).replace("/1000", "/9")
    diverged = train_sgd(*data, lr=0.5, nb_epochs=1000)
    assert diverged.first(5).diverged and not diverged.first(4).diverged
    with pytest.raises(ValueError, match=r"updates must be at most 5 \(the updates this history has\), got 6"):
        diverged.first(6)
    with pytest.raises(ValueError, match=r"epoch must be below 5"):
        diverged.log_line(5)
