"""Every checker: right answers pass, each typical mistake gets its own hint, blanks never raise."""

import pytest
import torch
import torch.nn as nn

from lab_utils import checks
from lab_utils.checks import BLANK, Feedback
from lab_utils.data import load_train_data


def hint(feedback, text):
    assert isinstance(feedback, Feedback) and not feedback.ok, feedback
    assert text in feedback.message, feedback.message
    return True


@pytest.mark.parametrize("checker, args", [
    (checks.check_x_test, (...,)), (checks.check_more_data, (..., ...)),
    (checks.check_parameters, (..., ...)), (checks.check_hypothesis, (...,)),
    (checks.check_cost_function, (...,)), (checks.check_cost_value, (...,)),
    (checks.check_train_step, (...,)), (checks.check_prediction, (...,)),
    (checks.check_fast_lr_cost, (...,)), (checks.check_model, (...,)),
    (checks.check_model_prediction, (...,)), (checks.check_gradients, (...,)),
    (checks.check_max_lr, (...,)),
])
def test_blank_answers_are_feedback_not_errors(checker, args):
    assert checker(*args) == BLANK
    assert repr(BLANK).startswith("✘")


def test_feedback_repr_and_truth():
    assert repr(Feedback(True, "x")) == "✔ 정답입니다! x"
    assert not Feedback(False, "y")


def test_check_x_test():
    assert checks.check_x_test(torch.FloatTensor([[4]]))
    assert hint(checks.check_x_test(torch.tensor([[4]])), "int64")
    assert hint(checks.check_x_test(torch.FloatTensor([4])), "[1] 입니다")
    assert hint(checks.check_x_test([[4.0]]), "torch.Tensor")
    assert hint(checks.check_x_test(torch.FloatTensor([[5]])), "값이 4")


def test_check_more_data():
    x = torch.FloatTensor([[1], [2], [3], [4], [5]])
    assert checks.check_more_data(x, 2 * x)
    assert hint(checks.check_more_data(x.T, 2 * x), "행과 열이 바뀌었습니다")
    assert hint(checks.check_more_data(x, x), "y_more 의 값")


def test_check_parameters():
    W, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
    assert checks.check_parameters(W, b)
    assert hint(checks.check_parameters(torch.zeros(1), b), "W.requires_grad 가 False")
    assert hint(checks.check_parameters(W, torch.ones(1, requires_grad=True)), "0 으로 초기화")


def test_check_hypothesis():
    x, _ = load_train_data()
    assert checks.check_hypothesis(x * 2 + 1)
    assert hint(checks.check_hypothesis(x * 1 + 2), "W 와 b 가 바뀌었습니다")
    assert hint(checks.check_hypothesis(x * 2), "b = 1 을 더하지")
    assert hint(checks.check_hypothesis((x * 2 + 1).flatten()), "[3, 1]")


def test_check_cost_function_tells_each_mistake():
    assert checks.check_cost_function(lambda h, y: torch.mean((h - y) ** 2))
    assert hint(checks.check_cost_function(lambda h, y: torch.sum((h - y) ** 2)), "torch.sum")
    assert hint(checks.check_cost_function(lambda h, y: torch.mean((h - y).abs())), "MAE")
    assert hint(checks.check_cost_function(lambda h, y: torch.mean(h - y)), "제곱 (** 2) 을 빠뜨렸습니다")
    assert hint(checks.check_cost_function(lambda h, y: torch.mean((h - y) ** 2).sqrt()), "RMSE")
    assert hint(checks.check_cost_function(lambda h, y: (h - y) ** 2), "0-d")
    assert hint(checks.check_cost_function(lambda h, y: float(torch.mean((h - y) ** 2))), "텐서를 돌려주어야")
    assert hint(checks.check_cost_function(lambda h, y: 1 / 0), "ZeroDivisionError")


def test_check_cost_value():
    assert checks.check_cost_value(14 / 3)
    assert checks.check_cost_value(torch.tensor(4.6667))
    assert hint(checks.check_cost_value(14), "m = 3 으로 나누지")
    assert hint(checks.check_cost_value(-2), "제곱하지 않았습니다")


def _step(zero_grad=True, backward=True, step=True):
    def train_step(x_train, y_train, W, b, optimizer):
        cost = torch.mean((x_train * W + b - y_train) ** 2)
        if zero_grad:
            optimizer.zero_grad()
        if backward:
            cost.backward()
        if step:
            optimizer.step()
        return cost
    return train_step


def test_check_train_step_finds_the_missing_line():
    assert checks.check_train_step(_step())
    assert hint(checks.check_train_step(_step(zero_grad=False)), "zero_grad() 를 빠뜨렸습니다")
    assert hint(checks.check_train_step(_step(backward=False)), "cost.backward()")
    assert hint(checks.check_train_step(_step(step=False)), "optimizer.step()")


def test_check_prediction():
    from lab_utils.training import train_sgd
    history = train_sgd(*load_train_data())
    assert checks.check_prediction(4 * history.W + history.b)
    assert hint(checks.check_prediction(8.0), "학습한 W, b")
    assert hint(checks.check_prediction(4 * history.W), "b 를 더하세요")


def test_check_fast_lr_cost():
    from lab_utils.training import train_sgd
    x, y = load_train_data()
    assert checks.check_fast_lr_cost(train_sgd(x, y, lr=0.1, nb_epochs=100).costs[-1])
    assert hint(checks.check_fast_lr_cost(train_sgd(x, y, lr=0.01, nb_epochs=100).costs[-1]), "lr = 0.01")


class Good(nn.Module):
    def __init__(self, n_in=1):
        super().__init__()
        self.linear = nn.Linear(n_in, 1)

    def forward(self, x):
        return self.linear(x)


def test_check_model():
    assert checks.check_model(Good())
    assert hint(checks.check_model(Good), "클래스가 아니라 객체")
    assert hint(checks.check_model(Good(3)), "nn.Linear(1, 1)")
    assert hint(checks.check_model(nn.Sequential(nn.Linear(1, 4), nn.Linear(4, 1))), "두 개여야")


def test_check_model_prediction():
    assert checks.check_model_prediction(torch.FloatTensor([[7.95]]))
    assert hint(checks.check_model_prediction(torch.FloatTensor([7.95])), "[1, 1]")
    assert hint(checks.check_model_prediction(torch.FloatTensor([[0.5]])), "학습 셀을 먼저")


def _gradients(factor=None, sign=1.0, times_x=True):
    def gradients(x_train, y_train, W, b):
        m = len(x_train)
        scale = 2 / m if factor is None else factor(m)
        error = x_train * W + b - y_train
        dW = scale * torch.sum(error * (x_train if times_x else 1))
        return sign * dW, sign * scale * torch.sum(error)
    return gradients


def test_check_gradients_tells_each_mistake():
    assert checks.check_gradients(_gradients())
    assert hint(checks.check_gradients(_gradients(factor=lambda m: 1.0)), "2/m 을 통째로")
    assert hint(checks.check_gradients(_gradients(factor=lambda m: 2.0)), "1/m 을 빠뜨렸습니다")
    assert hint(checks.check_gradients(_gradients(factor=lambda m: 1 / m)), "2 를 빠뜨렸습니다")
    assert hint(checks.check_gradients(_gradients(sign=-1.0)), "부호가 반대")
    assert hint(checks.check_gradients(_gradients(times_x=False)), "dW 는 오차에 x 를 곱해서")


def test_check_max_lr():
    assert checks.check_max_lr(0.18)
    assert hint(checks.check_max_lr(0.25), "발산합니다")
    assert hint(checks.check_max_lr(0.1), "보다 큰 lr 도 수렴합니다")
