"""The checkers' machinery: Feedback, blanks, rounding, Korean particles, and that a checker never raises.

The answer-by-answer verdicts and hints are in ``test_graders.py`` (one table per exercise).
"""

import math
import re

import pytest
import torch
import torch.nn as nn

from lab02_tools import ROOT
from lab_utils import checks
from lab_utils.checks import BLANK, Feedback
from lab_utils.data import load_train_data

CHECKERS = [
    (checks.check_x_test, 1), (checks.check_more_data, 2), (checks.check_parameters, 2),
    (checks.check_hypothesis, 1), (checks.check_cost_function, 1), (checks.check_cost_value, 1),
    (checks.check_train_step, 1), (checks.check_prediction, 1), (checks.check_fast_lr_cost, 1),
    (checks.check_model, 1), (checks.check_model_prediction, 1), (checks.check_gradients, 1),
    (checks.check_max_lr, 1),
]


def test_feedback_repr_has_three_states():
    assert repr(Feedback(True, "x")) == "✔ 정답입니다! x"
    assert repr(Feedback(False, "y")) == "✘ 힌트: y"
    assert repr(BLANK) == "✎ 빈칸(...)을 채우고 셀을 다시 실행하세요."
    assert Feedback(True, "x") and not Feedback(False, "y") and not BLANK


@pytest.mark.parametrize("checker, n", CHECKERS, ids=lambda c: getattr(c, "__name__", ""))
def test_a_blank_is_the_neutral_prompt(checker, n):
    assert checker(*([...] * n)) == BLANK


def _raises(*args):
    raise ValueError("boom")


JUNK = [None, "abc", object(), float("nan"), torch.tensor([]), torch.zeros(2, 2), _raises, lambda *a: None,
        lambda *a: "text", nn.Identity(), [1, 2], True]


@pytest.mark.parametrize("checker, n", CHECKERS, ids=lambda c: getattr(c, "__name__", ""))
@pytest.mark.parametrize("junk", JUNK, ids=lambda j: type(j).__name__)
def test_a_checker_never_raises_and_never_accepts_junk(checker, n, junk):
    feedback = checker(*([junk] * n))
    assert isinstance(feedback, Feedback) and not feedback.ok
    assert feedback.message and not re.search(r"[A-Za-z]{4,} [A-Za-z]{4,} [A-Za-z]{4,} [A-Za-z]{4,}",
                                               feedback.message.split("오류가 났습니다")[0])


@pytest.mark.parametrize("value, decimals, expected, agrees", [
    (4.67, 2, 14 / 3, True), (4.667, 3, 14 / 3, True), (4.6667, 4, 14 / 3, True), (4.66666, 5, 14 / 3, True),
    (4.66, 2, 14 / 3, False), (4.666, 3, 14 / 3, False), (4.7, 1, 14 / 3, False), (5, 0, 14 / 3, False),
    (7.95, 2, 7.949669, True), (7.951, 3, 7.949669, False), (7.9, 1, 7.949669, False),
    (0.0006, 4, 6.002e-4, True), (0.001, 3, 6.002e-4, False), (0.00063, 5, 6.002e-4, False),
    (4.6, 1, 4.6003, True),   # "4.60": a trailing zero the learner typed is not lost
])
def test_a_number_is_right_when_rounded_to_what_was_written(value, decimals, expected, agrees):
    assert checks._agrees(value, decimals, expected) == agrees


def test_decimals_of_a_float32_tensor_are_what_was_typed():
    assert checks._number_answer(torch.tensor(4.6667), "x")[:2] == (torch.tensor(4.6667).item(), 4)
    assert checks._number_answer(4.67, "x")[1] == 2
    assert checks._number_answer(6e-4, "x")[1] == 4
    assert checks._number_answer(14, "x")[1] == 0


@pytest.mark.parametrize("text, particle, expected", [
    ("0.183", "은/는", "은"), ("0.19", "은/는", "는"), ("0.1804", "은/는", "는"), ("lr", "은/는", "은"),
    ("W", "이/가", "가"), ("x_train", "과/와", "과"), ("cost", "이/가", "가"), ("1e-13", "으로/로", "으로"),
    ("18.67", "으로/로", "로"), ("0.0006", "으로/로", "으로"), ("7.9879", "이어야/여야", "여야"),
    ("데이터", "을/를", "를"), ("값", "을/를", "을"), ("x", "의", "의"),
])
def test_particles_follow_the_reading(text, particle, expected):
    assert checks._p(text, particle) == expected


def template_function(a, b):
    ...


def template_pass(a, b):
    pass


def template_blank_pair(a, b):
    return ..., ...  # 여기에 답을 쓰세요


def started(a, b):
    return a


def test_untouched_templates_are_recognised():
    for fn in (template_function, template_pass, template_blank_pair, lambda a, b: ...):
        assert checks._untouched_function(fn), fn
    for fn in (started, lambda a, b: a - b, print):
        assert not checks._untouched_function(fn), fn


class _Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x)


def test_checkers_leave_the_learners_state_alone():
    """No checker moves the global random state, turns off autograd, or leaves gradients in a model."""
    model = _Model()
    state = torch.get_rng_state()
    checks.check_model(model)
    checks.check_model_prediction(torch.FloatTensor([[7.9879]]))
    checks.check_train_step(lambda *a: None)
    checks.check_max_lr(0.18)
    assert torch.equal(state, torch.get_rng_state())
    assert torch.is_grad_enabled()
    assert all(p.grad is None for p in model.parameters())
    model(torch.ones(2, 1)).sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    assert checks.check_model(model)
    assert all(torch.equal(p.grad, g) for p, g in zip(model.parameters(), grads))


def test_prediction_reference_matches_the_seed_log():
    """Independent reference: the write-up's last log line (W 1.971, b 0.066) gives H(4) = 7.95 to 2 decimals."""
    last = (ROOT / "tests" / "data" / "seed_log.txt").read_text(encoding="utf-8").strip().splitlines()[-1]
    W, b = (float(v) for v in re.search(r"W: ([\d.]+), b: ([\d.]+)", last).groups())
    assert checks.check_prediction(round(4 * W + b, 2))
    assert not checks.check_prediction(4 * W + b + 0.01)


def test_cost_value_reference_is_by_hand():
    errors = [1 - 2, 2 - 4, 3 - 6]
    assert checks.check_cost_value(sum(e * e for e in errors) / len(errors))


def test_cost_function_other_data_is_shown_as_code_that_reproduces_the_number():
    """The hint for a hard-coded m shows a call; running it with the learner's function gives the quoted number."""

    def my_cost(hypothesis, y_train):
        return torch.sum((hypothesis - y_train) ** 2) / 3

    message = checks.check_cost_function(my_cost).message
    call = re.search(r"`(my_cost\(.*?\))`", message).group(1)
    got = eval(call, {"torch": torch, "my_cost": my_cost}).item()   # noqa: S307 - our own message
    assert f"{got:.4f}이 나왔습니다" in message or f"{got:.4f}가 나왔습니다" in message
    assert "2.3125" in message


def test_gradients_other_data_is_shown_as_code_that_reproduces_the_number():
    def my_gradients(x_train, y_train, W, b):
        error = x_train * W + b - y_train
        return 2 / 3 * torch.sum(error * x_train), 2 / 3 * torch.sum(error)

    message = checks.check_gradients(my_gradients).message
    call = re.search(r"`(my_gradients\(.*?\))`", message).group(1)
    dW, db = eval(call, {"torch": torch, "my_gradients": my_gradients})   # noqa: S307 - our own message
    assert f"({dW.item():.4f}, {db.item():.4f})" in message
    x, y = load_train_data()
    assert x.shape[0] == 3   # the other data really is of another size


def test_train_step_reference_is_hand_made_sgd():
    """The right W, b after one call: lr * the hand-made gradient at W = b = 0 (2/3 * sum(-y x), 2/3 * sum(-y))."""
    one = checks._simulate(("zero_grad", "backward", "step"), calls=1)[0]
    assert math.isclose(one[0], 0.01 * 2 / 3 * (2 * 1 + 4 * 2 + 6 * 3), rel_tol=1e-6)
    assert math.isclose(one[1], 0.01 * 2 / 3 * (2 + 4 + 6), rel_tol=1e-6)
