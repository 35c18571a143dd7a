"""The exercise checkers: a table of learner answers per exercise, and the machinery that judges them.

The tables: for every exercise, plausible learner answers with the verdict and hint each must get.

Each row is what a learner might really write in the exercise cell (a tensor, a number, a function, a
model), the verdict ("right", "wrong", or "blank" = the neutral prompt of an untouched exercise), a
piece of text the message must contain (for a mistake, the words that name it) and, optionally, text
it must not contain (a hint that blames a mistake not made). The rules:

- an untouched exercise (the blank ``...``, a template function left as it is) gets exactly ``BLANK``;
- a right answer is never rejected, in any form a learner would reasonably write;
- a wrong answer is never accepted, and each common mistake gets the hint that names it.

After the tables: Feedback, blanks, rounding, untouched templates, that a checker never raises on odd answers,
the size of ``lab_utils.checks``, and that the tables can fail (a deliberately broken checker must not pass them).
"""

import ast
import functools
import itertools
import math
import re
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from lab_utils import checks
from lab02_tools import ROOT
from lab_utils.checks import BLANK, Feedback, core, lessons_1_4, lessons_5_7
from lab_utils import training
from lab_utils.data import load_train_data
from lab_utils.training import gradients_by_hand, stability_limit, train_sgd

RIGHT, WRONG, BLANKED = "right", "wrong", "blank"
x_train, y_train = load_train_data()   # a learner's function may (wrongly) use these globals


@functools.cache
def lecture_history():
    """The lesson's training: lr = 0.01, 1000 epochs (the prediction exercise uses its W and b)."""
    return train_sgd(x_train, y_train, lr=0.01, nb_epochs=1000)


@functools.cache
def fast_history():
    return train_sgd(x_train, y_train, lr=0.1, nb_epochs=100)


# ----------------------------------------------------------------- x_test ("4시간 공부하면?")
X_TEST = [
    ("FloatTensor", lambda: torch.FloatTensor([[4]]), RIGHT, "실수 tensor", "참고"),
    ("tensor_float", lambda: torch.tensor([[4.]]), RIGHT, ""),
    ("tensor_dtype", lambda: torch.tensor([[4]], dtype=torch.float32), RIGHT, ""),
    ("dot_float", lambda: torch.tensor([[4]]).float(), RIGHT, ""),
    # enough digits that the hint never says "4여야 하는데 4입니다"
    ("almost_four", lambda: torch.FloatTensor([[3.999999]]), WRONG, "3.999999입니다"),
    ("Tensor", lambda: torch.Tensor([[4]]), RIGHT, ""),
    ("view", lambda: torch.FloatTensor([4]).view(1, 1), RIGHT, ""),
    ("unsqueeze", lambda: torch.FloatTensor([4]).unsqueeze(1), RIGHT, ""),
    ("blank", lambda: ..., BLANKED, ""),
    ("int", lambda: torch.tensor([[4]]), WRONG, "int64"),
    ("one_d", lambda: torch.FloatTensor([4]), WRONG, "[데이터 개수, 1]"),
    ("zero_d", lambda: torch.tensor(4.), WRONG, "[[4]]처럼"),
    ("list", lambda: [[4.0]], WRONG, "tensor를 넣어야 하는데 값 1개의 묶음", "list"),
    ("value_5", lambda: torch.FloatTensor([[5]]), WRONG, "값은 4(4시간)여야"),
    # one dtype rule in every lesson, as the exercises say it: a real (floating) tensor; integers are refused
    ("float64", lambda: torch.tensor([[4.]], dtype=torch.float64), RIGHT, "실수"),
    ("int32", lambda: torch.tensor([[4]], dtype=torch.int32), WRONG, "실수가 아님"),
    ("two_rows", lambda: torch.FloatTensor([[4], [4]]), WRONG, "데이터 개수가 1개여야"),
    ("number", lambda: 4, WRONG, "tensor를 넣어야 하는데 숫자 하나", "int"),
    ("function", lambda: load_train_data, WRONG, "부르지 않은 함수", "function"),
    ("class", lambda: torch.FloatTensor, WRONG, "클래스 자체", "type"),
]

# ----------------------------------------------------------------- x_more, y_more ("다섯 명")
_x5 = [[1], [2], [3], [4], [5]]
_y5 = [[2], [4], [6], [8], [10]]
MORE_DATA = [
    ("FloatTensor", lambda: (torch.FloatTensor(_x5), torch.FloatTensor(_y5)), RIGHT, "[5, 1]"),
    ("times_two", lambda: (torch.FloatTensor(_x5), 2 * torch.FloatTensor(_x5)), RIGHT, ""),
    ("arange", lambda: (torch.arange(1, 6).float().view(-1, 1), torch.arange(2, 11, 2).float().view(-1, 1)), RIGHT, ""),
    ("arange_float", lambda: (torch.arange(1., 6.).unsqueeze(1), torch.arange(1., 6.).unsqueeze(1) * 2), RIGHT, ""),
    ("linspace", lambda: (torch.linspace(1, 5, 5).view(5, 1), torch.linspace(2, 10, 5).view(5, 1)), RIGHT, ""),
    ("tensor_floats", lambda: (torch.tensor([[1.], [2.], [3.], [4.], [5.]]), torch.tensor([[2.], [4.], [6.], [8.], [10.]])),
     RIGHT, ""),
    ("blank", lambda: (..., ...), BLANKED, ""),
    ("half_blank", lambda: (torch.FloatTensor(_x5), ...), BLANKED, ""),
    ("transposed", lambda: (torch.FloatTensor([[1, 2, 3, 4, 5]]), torch.FloatTensor([[2, 4, 6, 8, 10]])), WRONG,
     "행과 열이 바뀌었습니다"),
    ("swapped", lambda: (torch.FloatTensor(_y5), torch.FloatTensor(_x5)), WRONG, "`x_more`와 `y_more`가 바뀌었습니다"),
    ("y_same_as_x", lambda: (torch.FloatTensor(_x5), torch.FloatTensor(_x5)), WRONG, "`y_more`의 값이 다릅니다"),
    ("float64", lambda: (torch.tensor(_x5, dtype=torch.float64), torch.tensor(_y5, dtype=torch.float64)), RIGHT,
     ""),
    ("int", lambda: (torch.tensor(_x5), torch.tensor(_y5)), WRONG, "int64"),
    ("one_d", lambda: (torch.FloatTensor([1, 2, 3, 4, 5]), torch.FloatTensor([2, 4, 6, 8, 10])), WRONG, "한 줄에 하나씩"),
    ("four_points", lambda: (torch.FloatTensor(_x5[:4]), torch.FloatTensor(_y5[:4])), WRONG, "데이터 개수가 5개여야"),
    ("from_zero", lambda: (torch.arange(5.).view(-1, 1), torch.FloatTensor(_y5)), WRONG, "정답: [1, 2, 3, 4, 5]"),
    ("dict", lambda: ({"x": 1}, {"y": 2}), WRONG, "이름과 값의 묶음", "dict"),
]

# ----------------------------------------------------------------- W, b ("학습할 W, b")


def _same_tensor():
    W = b = torch.zeros(1, requires_grad=True)
    return W, b


PARAMETERS = [
    # right: W = 1.5, b = -0.5 as two leaf tensors that require grad, in several forms
    ("tensor_list", lambda: (torch.tensor([1.5], requires_grad=True), torch.tensor([-0.5], requires_grad=True)), RIGHT,
     "W = 1.5, b = -0.5에서 시작"),
    ("requires_grad_", lambda: (torch.tensor([1.5]).requires_grad_(), torch.tensor([-0.5]).requires_grad_()),
     RIGHT, ""),
    ("FloatTensor", lambda: (torch.FloatTensor([1.5]).requires_grad_(True),
                             torch.FloatTensor([-0.5]).requires_grad_(True)), RIGHT, ""),
    ("full", lambda: (torch.full((1,), 1.5, requires_grad=True), torch.full((1,), -0.5, requires_grad=True)),
     RIGHT, ""),
    ("matrix_W", lambda: (torch.tensor([[1.5]], requires_grad=True), torch.tensor([-0.5], requires_grad=True)),
     RIGHT, ""),
    ("zero_d", lambda: (torch.tensor(1.5, requires_grad=True), torch.tensor(-0.5, requires_grad=True)), RIGHT, ""),
    ("float64", lambda: (torch.tensor([1.5], dtype=torch.float64, requires_grad=True),
                         torch.tensor([-0.5], dtype=torch.float64, requires_grad=True)), RIGHT, ""),
    ("blank", lambda: (..., ...), BLANKED, ""),
    ("half_blank", lambda: (torch.tensor([1.5], requires_grad=True), ...), BLANKED, ""),
    # the lesson's zero start, copied from the cell above
    ("zeros", lambda: (torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)), WRONG,
     "`my_W`는 1.5에서 시작해야 하는데 0입니다: `torch.tensor([1.5], requires_grad=True)`처럼"),
    # wrong values
    ("swapped", lambda: (torch.tensor([-0.5], requires_grad=True), torch.tensor([1.5], requires_grad=True)), WRONG,
     "`my_W`는 1.5에서 시작해야 하는데 -0.5입니다"),
    ("ones", lambda: (torch.ones(1, requires_grad=True), torch.tensor([-0.5], requires_grad=True)), WRONG,
     "`my_W`는 1.5에서 시작해야 하는데 1입니다"),
    ("b_positive", lambda: (torch.tensor([1.5], requires_grad=True), torch.tensor([0.5], requires_grad=True)), WRONG,
     "`my_b`는 -0.5에서 시작해야 하는데 0.5입니다"),
    ("b_zero", lambda: (torch.tensor([1.5], requires_grad=True), torch.zeros(1, requires_grad=True)), WRONG,
     "`my_b`는 -0.5에서 시작해야 하는데 0입니다: `torch.tensor([-0.5]"),
    # no requires_grad, not a leaf, not a real tensor of one number
    ("no_requires_grad", lambda: (torch.tensor([1.5]), torch.tensor([-0.5], requires_grad=True)), WRONG,
     "`my_W`의 requires_grad가 False"),
    ("b_no_requires_grad", lambda: (torch.tensor([1.5], requires_grad=True), torch.tensor([-0.5])), WRONG,
     "`my_b`의 requires_grad가 False"),
    ("non_leaf", lambda: (torch.zeros(1, requires_grad=True) + 1.5, torch.tensor([-0.5], requires_grad=True)), WRONG,
     "계산의 결과"),
    ("non_leaf_b", lambda: (torch.tensor([1.5], requires_grad=True), torch.zeros(1, requires_grad=True) - 0.5), WRONG,
     "`my_b`는 계산의 결과"),
    ("int", lambda: (torch.tensor([1]), torch.tensor([-0.5], requires_grad=True)), WRONG, "실수가 아님"),
    ("same_tensor", _same_tensor, WRONG, "같은 tensor 하나"),
    ("python_float", lambda: (1.5, -0.5), WRONG, "tensor를 넣어야 하는데 숫자 하나", "float"),
    ("three", lambda: (torch.full((3,), 1.5, requires_grad=True), torch.tensor([-0.5], requires_grad=True)), WRONG,
     "숫자 하나가 들어가야"),
]

# ----------------------------------------------------------------- hypothesis ("W = 2, b = 1")


def _hypothesis_with(W, b):
    return x_train * W + b


HYPOTHESIS = [
    ("numbers", lambda: x_train * 2 + 1, RIGHT, "3, 5, 7"),
    ("number_first", lambda: 2 * x_train + 1, RIGHT, ""),
    ("FloatTensor", lambda: _hypothesis_with(torch.FloatTensor([2]), torch.FloatTensor([1])), RIGHT, ""),
    ("int_tensors", lambda: _hypothesis_with(torch.tensor([2]), torch.tensor([1])), RIGHT, ""),
    ("requires_grad", lambda: _hypothesis_with(torch.tensor([2.], requires_grad=True),
                                               torch.tensor([1.], requires_grad=True)), RIGHT, ""),
    ("matmul", lambda: x_train @ torch.FloatTensor([[2]]) + 1, RIGHT, ""),
    ("typed_out", lambda: torch.tensor([[3.], [5.], [7.]]), RIGHT, ""),
    ("float64", lambda: _hypothesis_with(torch.tensor([2.], dtype=torch.float64), 1.0), RIGHT, ""),
    ("blank", lambda: ..., BLANKED, ""),
    ("swapped", lambda: x_train * 1 + 2, WRONG, "W와 b가 바뀌었습니다"),
    ("no_b", lambda: x_train * 2, WRONG, "b = 1을 더하지"),
    ("b_multiplied", lambda: x_train * (2 + 1), WRONG, "b도 x에 곱했습니다"),
    ("brackets", lambda: (x_train + 1) * 2, WRONG, "괄호를 보세요"),
    ("y_train", lambda: y_train * 2 + 1, WRONG, "`y_train`에 W를 곱했습니다"),
    ("zeros_from_ex1", lambda: _hypothesis_with(torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)),
     WRONG, "W = 0, b = 0"),
    ("flattened", lambda: (x_train * 2 + 1).flatten(), WRONG, "[3, 1]"),
    ("list", lambda: [[3], [5], [7]], WRONG, "tensor를 넣어야 하는데 값 3개의 묶음", "list"),
    ("int_result", lambda: torch.tensor([[3], [5], [7]]), WRONG, "실수가 아님"),
    ("none", lambda: None, WRONG, "빈 값", "NoneType"),
    # a b of three numbers: [3, 1] + [3] broadcasts to [3, 3] (lesson 2.3)
    ("b_of_three", lambda: x_train * 2 + 1 + torch.FloatTensor([1, 1, 1]), WRONG, "broadcasting되어 [3, 3]"),
    # the data itself has the values of x_train * 2: the hint says both, never only the missing b
    ("y_train_itself", lambda: y_train, WRONG, "데이터 `y_train`을 그대로", "더하지 않았습니다"),
]

# ----------------------------------------------------------------- my_mae ("MAE cost 함수")


def mae_template(hypothesis, y_train):
    return ...  # 여기에 답을 쓰세요


def mae_pass(hypothesis, y_train):
    pass


def mae_partly_blank(hypothesis, y_train):
    return torch.mean(torch.abs(hypothesis - ...))


def mae_no_return(hypothesis, y_train):
    torch.mean(torch.abs(hypothesis - y_train))


def mae_steps(hypothesis, y_train):
    error = hypothesis - y_train
    size = torch.abs(error)
    return size.sum() / len(size)


def mae_in_place(hypothesis, y_train):    # right in the lesson, where hypothesis = x_train * W + b is not a leaf
    hypothesis -= y_train
    return torch.mean(hypothesis.abs())


def mae_hard_m(hypothesis, y_train):
    m = 3
    return torch.sum(torch.abs(hypothesis - y_train)) / m


def mae_returns_text(hypothesis, y_train):
    return "MAE"


def mae_two_values(hypothesis, y_train):
    cost = torch.mean(torch.abs(hypothesis - y_train))
    return cost, 0


def mae_trailing_comma(hypothesis, y_train):
    return torch.mean(torch.abs(hypothesis - y_train)),


def mae_exits(hypothesis, y_train):
    sys.exit()


def mae_sqrt_square(hypothesis, y_train):   # |e| = sqrt(e²): right, though its gradient at e = 0 is NaN
    return torch.mean(torch.sqrt((hypothesis - y_train) ** 2))


COST_FUNCTION = [
    ("torch_mean", lambda: lambda h, y: torch.mean(torch.abs(h - y)), RIGHT, "절댓값의 평균", "^"),
    ("F_l1_loss", lambda: lambda h, y: F.l1_loss(h, y), RIGHT, ""),
    ("nn_L1Loss", lambda: lambda h, y: nn.L1Loss()(h, y), RIGHT, ""),
    ("dot_abs_mean", lambda: lambda h, y: (h - y).abs().mean(), RIGHT, ""),
    ("builtin_abs", lambda: lambda h, y: torch.mean(abs(h - y)), RIGHT, ""),
    ("python_sum_len", lambda: lambda h, y: sum(abs(h - y)) / len(h), RIGHT, ""),
    ("torch_sum_len", lambda: lambda h, y: torch.sum(torch.abs(h - y)) / len(y), RIGHT, ""),
    ("y_minus_h", lambda: lambda h, y: torch.mean(torch.abs(y - h)), RIGHT, ""),
    ("sqrt_of_square", lambda: mae_sqrt_square, RIGHT, ""),
    ("steps", lambda: mae_steps, RIGHT, ""),
    ("in_place", lambda: mae_in_place, RIGHT, ""),
    ("blank", lambda: ..., BLANKED, ""),
    ("template", lambda: mae_template, BLANKED, ""),
    ("pass", lambda: mae_pass, BLANKED, ""),
    ("partly_blank", lambda: mae_partly_blank, BLANKED, ""),
    # the function of 3.2 copied: the MSE is not the MAE
    ("mse", lambda: lambda h, y: torch.mean((h - y) ** 2), WRONG, "그것은 MSE입니다"),
    ("mse_loss", lambda: lambda h, y: F.mse_loss(h, y), WRONG, "`torch.abs`"),
    ("hard_m", lambda: mae_hard_m, WRONG, "데이터 개수를 3으로 고정했습니다"),
    ("global_len", lambda: lambda h, y: torch.sum(torch.abs(h - y)) / len(x_train), WRONG, "다른 데이터에서 틀립니다"),
    # a [3] against [3, 1] broadcast (taught with hypothesis): the lesson's W = b = 0 hides it, W = 1.5 shows it
    ("flatten_y", lambda: lambda h, y: torch.mean(torch.abs(h - y.flatten())), WRONG, "broadcast",
     "`x_train`, `y_train`을 쓰지"),
    ("flatten_h", lambda: lambda h, y: torch.mean(torch.abs(h.flatten() - y)), WRONG, "[3, 3]", "다른 데이터"),
    ("squeeze", lambda: lambda h, y: (h.squeeze() - y).abs().mean(), WRONG, "broadcast", ""),
    ("abs_of_mean", lambda: lambda h, y: torch.abs(torch.mean(h - y)), WRONG, "먼저 평균하고 절댓값을"),
    ("sum", lambda: lambda h, y: torch.sum(torch.abs(h - y)), WRONG, "평균 대신 합"),
    ("sum_names_variable", lambda: lambda h, y: (h - y).abs().sum(), WRONG, "`my_mae`: 평균 대신 합"),
    ("no_abs", lambda: lambda h, y: torch.mean(h - y), WRONG, "절댓값이 없습니다"),
    ("no_abs_flipped", lambda: lambda h, y: torch.mean(y - h), WRONG, "절댓값이 없습니다", "MSE"),
    ("m_minus_1", lambda: lambda h, y: torch.sum(torch.abs(h - y)) / (len(h) - 1), WRONG, "m - 1로 나눴습니다"),
    ("rmse", lambda: lambda h, y: torch.sqrt(torch.mean((h - y) ** 2)), WRONG, "`my_mae`"),
    ("item", lambda: lambda h, y: torch.mean(torch.abs(h - y)).item(), WRONG, "`.item()`이나 `float()`를 빼"),
    ("rewrapped", lambda: lambda h, y: torch.tensor(torch.mean(torch.abs(h - y)).item()), WRONG, "계산 그래프가 끊겼습니다"),
    ("no_mean", lambda: lambda h, y: torch.abs(h - y), WRONG, "shape [3, 1]"),
    ("no_return", lambda: mae_no_return, WRONG, "`return`으로 돌려주세요", "None"),
    ("not_a_function", lambda: torch.tensor(4.0), WRONG, "함수를 넣어야"),
    ("raises", lambda: lambda h, y: 1 / 0, WRONG, "오류가 났습니다", "division"),
    # errors the learner's code raises are named in Korean, never with torch's or numpy's English message
    ("torch_mean_itself", lambda: torch.mean, WRONG, "오류가 났습니다: 계산에 맞지 않는 종류의 값", "invalid combination"),
    ("np_mean", lambda: lambda h, y: np.mean(np.abs(h - y)), WRONG, "`torch.mean`처럼 torch 함수", "axis"),
    # what my_mae returns is named as what it returns, never as a variable `cost` to fill in
    ("returns_text", lambda: mae_returns_text, WRONG, "`my_mae`는 tensor를 돌려주어야 하는데, 돌려준 값은 문자열"),
    ("no_mean_names_my_mae", lambda: lambda h, y: torch.abs(h - y), WRONG, "`my_mae`가 돌려주는 값은", "`cost`"),
    ("returns_nan", lambda: lambda h, y: torch.tensor(float("nan")), WRONG, "`my_mae`가 돌려주는 값은", "넣어야"),
    ("two_values", lambda: mae_two_values, WRONG, "값 2개의 묶음", "`.item()`"),
    ("trailing_comma", lambda: mae_trailing_comma, WRONG, "값 1개의 묶음", "`.item()`"),
    ("sys_exit", lambda: mae_exits, WRONG, "`sys.exit()`", "SystemExit"),
]

# ----------------------------------------------------------------- cost by hand: H(x) = 3x + 1, 29/3
COST_VALUE = [
    ("fraction_code", lambda: 29 / 3, RIGHT, "29/3"),
    ("two_decimals", lambda: 9.67, RIGHT, ""),
    ("three_decimals", lambda: 9.667, RIGHT, ""),
    ("four_decimals", lambda: 9.6667, RIGHT, ""),
    ("five_decimals_cut", lambda: 9.66666, RIGHT, ""),
    ("sum_over_3", lambda: (4 + 9 + 16) / 3, RIGHT, ""),
    ("tensor_typed", lambda: torch.tensor(9.6667), RIGHT, ""),
    ("tensor_computed", lambda: torch.mean(torch.tensor([4., 9., 16.])), RIGHT, ""),
    ("tensor_from_data", lambda: torch.mean((x_train * 3 + 1 - y_train) ** 2), RIGHT, ""),
    ("tensor_column", lambda: torch.tensor([[29 / 3]]), RIGHT, ""),
    ("tensor_float64", lambda: torch.tensor(29 / 3, dtype=torch.float64), RIGHT, ""),
    ("numpy_float32", lambda: np.float32(29 / 3), RIGHT, ""),
    ("numpy_float64", lambda: np.mean(np.array([4., 9., 16.])), RIGHT, ""),
    ("Fraction", lambda: Fraction(29, 3), RIGHT, ""),
    ("Decimal", lambda: Decimal("9.6667"), RIGHT, ""),
    ("Decimal_cut", lambda: Decimal("9.66"), WRONG, "거의 맞았습니다", "숫자 하나를 넣어야"),
    ("blank", lambda: ..., BLANKED, ""),
    ("b_left_out", lambda: 14 / 3, WRONG, "b = 1을 빼고 계산했습니다(3.4의 식은 b = 0일 때입니다)"),
    ("b_left_out_rounded", lambda: 4.67, WRONG, "b = 1을 빼고", "거의"),
    ("sum_29", lambda: 29, WRONG, "m = 3으로 나누지"),
    ("sum_names_variable", lambda: 29.0, WRONG, "`cost_W3_b1`: 제곱 오차의 합 29를"),   # known mistakes name the variable
    # errors 2, 3, 4 are all positive: their plain mean and MAE are both 3, and the hint names both, claiming neither
    ("no_square_or_mae", lambda: 3, WRONG, "제곱하지 않고 평균한 값이거나 절댓값을 평균한 값(MAE)"),
    ("mae_float", lambda: 3.0, WRONG, "MAE", "거의"),
    ("square_of_mean", lambda: 9.0, WRONG, "먼저 평균하고(3) 제곱했습니다"),
    ("m_minus_1", lambda: 14.5, WRONG, "m - 1 = 2로"),
    ("half", lambda: 4.83, WRONG, "1/2m"),
    ("half_fraction", lambda: 29 / 6, WRONG, "1/2m", "b = 1을"),
    ("rmse", lambda: 3.11, WRONG, "RMSE"),
    ("W_zero", lambda: 18.67, WRONG, "W = 0, b = 0일 때의 cost"),
    ("lesson_example", lambda: 1.67, WRONG, "3.3의 H(x) = x + 1(또는 W와 b를 바꾼 H(x) = x + 3)"),
    ("lesson_example_printed", lambda: 1.6667, WRONG, "이 연습은 W = 3, b = 1입니다"),
    ("squared_errors_tensor", lambda: torch.tensor([4.0, 9.0, 16.0]), WRONG, "shape [3]인 tensor입니다.", "dtype"),
    ("cut_two", lambda: 9.66, WRONG, "거의 맞았습니다", "다시 계산"),
    ("cut_three", lambda: 9.666, WRONG, "끝자리를 버렸다면"),
    ("one_decimal", lambda: 9.7, WRONG, "거의 맞았습니다", "다시 계산"),
    ("far", lambda: 10.5, WRONG, "`cost_W3_b1`: 오차 2, 3, 4를 제곱해 평균하세요(입력한 값: 10.5)", "거의"),
    ("errors_negated_no_square", lambda: -3, WRONG, "오차 2, 3, 4를 제곱해", "MAE"),
    ("errors_list", lambda: [2, 3, 4], WRONG, "숫자 하나를 넣어야"),
    ("string", lambda: "9.67", WRONG, "따옴표 없이"),
    ("zero", lambda: 0, WRONG, "오차가 있습니다: 4 - 2, 7 - 4, 10 - 6"),
    # 29/3 as a whole number: rounded (10) is almost right; cut (9) may also be the mean squared, so both are said
    ("whole_number", lambda: 10, WRONG, "거의 맞았습니다(입력한 값: 10). 소수 둘째 자리까지"),
    ("whole_number_float", lambda: 10.0, WRONG, "거의 맞았습니다", "제곱해 평균하세요"),
    ("whole_number_tensor", lambda: torch.tensor(10), WRONG, "거의 맞았습니다", "제곱해 평균하세요"),
    ("whole_number_cut", lambda: 9, WRONG, "끝자리를 버렸다면, 반올림해서 소수 둘째 자리까지 쓰세요. 이 값은 다음 경우에도"),
    ("one_decimal_rounded_right", lambda: 9.7, WRONG, "소수 둘째 자리까지", "버리"),
    # a tensor is judged at its own precision; a 0-d array is a number
    ("float16_tensor", lambda: torch.tensor(29 / 3, dtype=torch.float16), RIGHT, ""),
    ("bfloat16_tensor", lambda: torch.tensor(29 / 3, dtype=torch.bfloat16), RIGHT, ""),
    ("numpy_0d", lambda: np.array(9.6667), RIGHT, ""),
    # a numpy float64 (numpy arithmetic on typed numbers) is a float: judged as typed, like 9.67 and np.float32(9.67)
    ("numpy_float64_typed", lambda: np.float64(9.67), RIGHT, ""),
    ("numpy_0d_typed", lambda: np.array(9.67), RIGHT, ""),
    ("numpy_float64_cut", lambda: np.float64(9.66), WRONG, "거의 맞았습니다(입력한 값: 9.66)", "제곱해 평균하세요"),
    ("huge_int", lambda: 10 ** 400, WRONG, "숫자가 너무 커서", "Error"),
]

# ----------------------------------------------------------------- train_step ("항상 붙어다니는 3줄")


def step_template(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    ...  # 여기에 항상 붙어다니는 3줄을 쓰세요
    return cost


def step_template_given_bug(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    ...  # 아래 세 줄의 주석(#)을 지우고 바르게 고치세요
    # cost.backward()
    # optimizer.zero_grad()
    # optimizer.step()
    return cost


def step_given_bug(x_train, y_train, W, b, optimizer):     # lesson 4's commented lines, run as given
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    cost.backward()
    optimizer.zero_grad()
    optimizer.step()
    return cost


def step_lecture(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
    return cost


def step_zero_grad_last(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    cost.backward()
    optimizer.step()
    optimizer.zero_grad()
    return cost


def step_zero_grad_first(x_train, y_train, W, b, optimizer):
    optimizer.zero_grad()
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    cost.backward()
    optimizer.step()
    return cost


def step_mse_loss_no_return(x_train, y_train, W, b, optimizer):
    cost = F.mse_loss(x_train * W + b, y_train)
    optimizer.zero_grad(set_to_none=False)
    cost.backward()
    optimizer.step()


def step_by_hand(x_train, y_train, W, b, optimizer):
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    cost.backward()
    with torch.no_grad():
        W -= 0.01 * W.grad
        b -= 0.01 * b.grad
    W.grad = None
    b.grad = None
    return cost


def step_no_parentheses(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step
    return cost


def step_by_hand_no_grad(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    with torch.no_grad():
        W -= 0.01 * W.grad
        b -= 0.01 * b.grad
    return cost


def step_grad_cleared_by_hand(x_train, y_train, W, b, optimizer):     # right numbers without zero_grad()
    W.grad = None
    b.grad = None
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    cost.backward()
    optimizer.step()
    return cost


def step_three_lines_and_by_hand(x_train, y_train, W, b, optimizer):
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
    with torch.no_grad():
        W -= 0.01 * W.grad
    return cost


def step_step_after_return(x_train, y_train, W, b, optimizer):     # one line written below return
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    return cost
    optimizer.step()


def step_backward_retained_twice(x_train, y_train, W, b, optimizer):
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward(retain_graph=True)
    cost.backward(retain_graph=True)
    optimizer.step()
    return cost


def step_detached_cost(x_train, y_train, W, b, optimizer):
    cost = torch.mean((x_train * W + b - y_train) ** 2).detach()
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
    return cost


def _step_with(*calls):
    def train_step(x_train, y_train, W, b, optimizer):
        hypothesis = x_train * W + b
        cost = torch.mean((hypothesis - y_train) ** 2)
        for call in calls:
            if call == "zero_grad":
                optimizer.zero_grad()
            elif call == "backward":
                cost.backward()
            else:
                optimizer.step()
        return cost
    return train_step


def step_backward_twice(x_train, y_train, W, b, optimizer):
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    cost.backward()
    optimizer.step()
    return cost


def step_after_return(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    return cost
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()


def step_emptied(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    return cost


def step_own_lr(x_train, y_train, W, b, optimizer):
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
    optimizer.step()
    return cost


def step_bad_cost(x_train, y_train, W, b, optimizer):
    cost = torch.sum((x_train * W + b - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
    return cost


def step_own_optimizer(x_train, y_train, W, b, optimizer):
    my_optimizer = torch.optim.SGD([W, b], lr=0.1)
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    my_optimizer.zero_grad()
    cost.backward()
    my_optimizer.step()
    return cost


def step_loop(x_train, y_train, W, b, optimizer):
    for _ in range(3):
        cost = torch.mean((x_train * W + b - y_train) ** 2)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
    return cost


def step_new_optimizer(x_train, y_train, W, b, optimizer):
    optimizer = torch.optim.SGD([W, b], lr=0.01)      # the same numbers as the lecture, but not the given optimizer
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
    return cost


OTHER_W, OTHER_b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
OTHER_OPTIMIZER = torch.optim.SGD([OTHER_W, OTHER_b], lr=0.01)


def step_global_optimizer(x_train, y_train, W, b, optimizer):
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    OTHER_OPTIMIZER.zero_grad()
    cost.backward()
    OTHER_OPTIMIZER.step()
    return cost


def step_zeroes_only_W(x_train, y_train, W, b, optimizer):
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    if W.grad is not None:
        W.grad.zero_()
    cost.backward()
    optimizer.step()
    return cost


def step_alias(x_train, y_train, W, b, optimizer):
    opt = optimizer
    cost = torch.mean((x_train * W + b - y_train) ** 2)
    opt.zero_grad()
    cost.backward()
    opt.step()
    return cost


def step_alias_no_zero_grad(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    opt = optimizer
    cost.backward()
    opt.step()
    return cost


def step_zero_grad_no_parentheses(x_train, y_train, W, b, optimizer):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    optimizer.zero_grad
    cost.backward()
    optimizer.step()
    return cost


TRAIN_STEP = [
    ("lecture_order", lambda: step_lecture, RIGHT, "항상 붙어 다니는 세 줄"),
    ("zero_grad_last", lambda: step_zero_grad_last, RIGHT, "마지막에 두어도 됩니다"),
    ("zero_grad_first", lambda: step_zero_grad_first, RIGHT, ""),
    ("mse_loss_no_return", lambda: step_mse_loss_no_return, RIGHT, ""),
    # updating W by hand is not the exercise (use the optimizer), and must not be praised as the three lines
    ("by_hand", lambda: step_by_hand, WRONG, "`optimizer.step()` 없이", "항상 붙어"),
    ("by_hand_no_grad", lambda: step_by_hand_no_grad, WRONG, "`optimizer.step()` 없이", "→ `step()`"),
    ("no_parentheses", lambda: step_no_parentheses, WRONG, "괄호 없이", "`optimizer.step()`이 없습니다"),
    ("blank", lambda: ..., BLANKED, ""),
    ("template", lambda: step_template, BLANKED, ""),
    # lesson 4's template: the buggy lines as comments (blank as stored); uncommented as given, they are wrong
    ("template_given_bug", lambda: step_template_given_bug, BLANKED, ""),
    ("given_bug", lambda: step_given_bug, WRONG, "`optimizer.zero_grad()`가 `cost.backward()`와 `optimizer.step()` 사이에"),
    ("zero_grad_between", lambda: _step_with("backward", "zero_grad", "step"), WRONG,
     "`optimizer.zero_grad()`가 `cost.backward()`와 `optimizer.step()` 사이에"),
    ("step_first", lambda: _step_with("zero_grad", "step", "backward"), WRONG,
     "`optimizer.step()`을 `cost.backward()`보다 먼저"),
    ("step_first_zero_last", lambda: _step_with("step", "backward", "zero_grad"), WRONG,
     "`optimizer.step()`을 `cost.backward()`보다 먼저"),
    ("no_zero_grad", lambda: _step_with("backward", "step"), WRONG, "`optimizer.zero_grad()`가 없습니다"),
    ("no_backward", lambda: _step_with("zero_grad", "step"), WRONG, "`cost.backward()`가 없습니다"),
    ("no_step", lambda: _step_with("zero_grad", "backward"), WRONG, "`optimizer.step()`이 없습니다"),
    ("step_twice", lambda: step_own_lr, WRONG, "`optimizer.step()`을 2번 불렀습니다", "맞게 바뀌지만"),
    ("backward_twice", lambda: step_backward_twice, WRONG, "`cost.backward()`를 두 번 불렀습니다"),
    ("after_return", lambda: step_after_return, WRONG, "`return cost` 아래에 쓴 줄은 실행되지 않습니다"),
    ("emptied", lambda: step_emptied, WRONG, "아무것도 부르지 않아"),
    ("sum_cost", lambda: step_bad_cost, WRONG, "세 줄의 순서는 맞지만"),
    # calls the recording optimizer does not see: the hint must not say they are missing
    ("own_optimizer", lambda: step_own_optimizer, WRONG, "받은 optimizer를 쓰는지"),
    ("zeroes_only_W", lambda: step_zeroes_only_W, WRONG, "(0.3527, 0.1509). 받은 결과"),
    ("new_optimizer", lambda: step_new_optimizer, WRONG, "인자로 받은 `optimizer`로 부르세요", "받은 결과"),
    ("global_optimizer", lambda: step_global_optimizer, WRONG, "받은 optimizer를 쓰는지", "받은 결과"),
    # a whole training loop in the function: one update per call is the exercise, not a double backward()
    ("loop", lambda: step_loop, WRONG, "한 epoch(update 한 번)만", "두 번 불렀습니다"),
    ("zero_grad_twice_between", lambda: _step_with("zero_grad", "backward", "zero_grad", "step"), WRONG,
     "`optimizer.zero_grad()`가 `cost.backward()`와 `optimizer.step()` 사이에"),
    # a call more than the three lines is not praised even where it changes nothing (W and b come out right)
    ("step_again_after_zero_grad", lambda: _step_with("backward", "step", "zero_grad", "step"), WRONG,
     "W와 b는 맞게 바뀌지만, `optimizer.step()`을 2번 불렀습니다"),
    ("zero_grad_first_and_last", lambda: _step_with("zero_grad", "backward", "step", "zero_grad"), WRONG,
     "W와 b는 맞게 바뀌지만, `optimizer.zero_grad()`를 2번 불렀습니다"),
    ("grad_cleared_by_hand", lambda: step_grad_cleared_by_hand, WRONG, "W와 b는 맞게 바뀌지만", "정답:"),
    ("three_lines_and_by_hand", lambda: step_three_lines_and_by_hand, WRONG, "W와 b를 직접 바꾸지 않았는지"),
    ("step_after_return", lambda: step_step_after_return, WRONG, "`return cost` 아래에 쓴 줄은", "없습니다"),
    ("backward_retained_twice", lambda: step_backward_retained_twice, WRONG, "`cost.backward()`를 2번 불렀습니다"),
    ("detached_cost", lambda: step_detached_cost, WRONG, "계산 그래프가 끊겼습니다"),
    ("sum_instead_of_mean", lambda: step_bad_cost, WRONG, "cost 식(`torch.mean((hypothesis - y_train) ** 2)`)"),
    # the given optimizer under another name is the given optimizer
    ("alias", lambda: step_alias, RIGHT, ""),
    ("alias_no_zero_grad", lambda: step_alias_no_zero_grad, WRONG, "`optimizer.zero_grad()`가 없습니다", "다른 optimizer"),
    ("zero_grad_no_parentheses", lambda: step_zero_grad_no_parentheses, WRONG, "`optimizer.zero_grad()`처럼",
     "`optimizer.step`"),
]

# ----------------------------------------------------------------- prediction_10h ("10시간 공부하면?")
def _h10():
    return 10 * lecture_history().W + lecture_history().b


PREDICTION = [
    ("formula", _h10, RIGHT, "19.77"),
    ("predict", lambda: lecture_history().predict(10), RIGHT, ""),
    ("rounded_2", lambda: round(_h10(), 2), RIGHT, ""),
    ("rounded_4", lambda: round(_h10(), 4), RIGHT, ""),
    ("numpy_float64_rounded_2", lambda: np.float64(round(_h10(), 2)), RIGHT, ""),
    ("tensor", lambda: torch.FloatTensor([[10]]) * lecture_history().W + lecture_history().b, RIGHT, ""),
    ("tensor_typed", lambda: torch.tensor(round(_h10(), 4)), RIGHT, ""),
    ("blank", lambda: ..., BLANKED, ""),
    ("twenty", lambda: 20, WRONG, "정답 규칙 y = 2x"),
    ("no_b", lambda: 10 * lecture_history().W, WRONG, "b를 더하세요"),
    ("swapped", lambda: lecture_history().W + 10 * lecture_history().b, WRONG, "W와 b가 바뀌었습니다"),
    ("minus_b", lambda: 10 * lecture_history().W - lecture_history().b, WRONG, "b를 뺐습니다"),
    ("untrained", lambda: 0.0, WRONG, "학습 전"),
    ("four_hours", lambda: lecture_history().predict(4), WRONG, "4시간의 점수"),
    ("log_rounded", lambda: 10 * 1.971 + 0.066, WRONG, "거의 맞았습니다", "다시"),
    ("one_decimal", lambda: 19.8, WRONG, "거의 맞았습니다"),
    ("far", lambda: 18.5, WRONG, "`prediction_10h`", "거의"),
    ("method", lambda: lecture_history().predict, WRONG, "괄호를 붙여", "method"),
    ("string", lambda: "19.77", WRONG, "따옴표 없이"),
    # cut to 3 decimals it is also the slides' loop (1000 updates): both are said, neither as the cause
    ("cut_three", lambda: math.floor(_h10() * 1000) / 1000, WRONG, "끝자리를 버렸다면", "W와 b입니다"),
    ("slides_loop", lambda: round(train_sgd(x_train, y_train, lr=0.01, nb_epochs=999).predict(10), 4), WRONG,
     "1000번 update한 W와 b로 계산한 값과 같습니다"),
]

# ----------------------------------------------------------------- final_cost ("lr = 0.1"): the variable is `fast`
FAST_LR_COST = [
    ("costs_last", lambda: fast_history().costs[-1], RIGHT, "lr = 0.01일 때의"),
    ("tensor", lambda: torch.tensor(fast_history().costs[-1]), RIGHT, ""),
    ("log_line", lambda: 0.000600, RIGHT, ""),
    ("one_digit", lambda: 0.0006, RIGHT, ""),
    ("scientific", lambda: 6.0e-4, RIGHT, ""),
    ("scientific_4", lambda: 6.002e-4, RIGHT, ""),
    ("long", lambda: 0.00060021, RIGHT, ""),
    ("rounded", lambda: round(fast_history().costs[-1], 6), RIGHT, ""),
    ("blank", lambda: ..., BLANKED, ""),
    ("slow_lr", lambda: train_sgd(x_train, y_train, lr=0.01, nb_epochs=100).costs[-1], WRONG, "lr = 0.01로 100 epoch"),
    # these two must not blame defaults the learner did not leave: the hint says what the value is
    ("defaults", lambda: train_sgd(x_train, y_train).costs[-1], WRONG, "위에서 학습한 `history`", "기본값"),
    ("lesson_history", lambda: lecture_history().costs[-1], WRONG, "`fast.costs[-1]`", "기본값"),
    ("zero", lambda: 0.0, WRONG, "0이 아닙니다", "기본값"),
    ("nb_default", lambda: train_sgd(x_train, y_train, lr=0.1).costs[-1], WRONG, "100 epoch 뒤에는", "기본값"),
    ("first_cost", lambda: fast_history().costs[0], WRONG, "첫 cost", "`history"),
    ("epoch_99", lambda: fast_history().costs[-2], WRONG, "epoch 99의 cost", "`history"),
    ("history", lambda: fast_history(), WRONG, "fast.costs[-1]", "`history"),
    ("costs_list", lambda: fast_history().costs, WRONG, "cost 목록 전체가 아니라"),
    ("W", lambda: fast_history().W, WRONG, "학습한 W입니다", "`history"),
    ("near", lambda: 0.00061, WRONG, "거의 맞았습니다"),
    # round(fast.costs[-1], 3): the right value, rounded to too few digits
    ("too_coarse", lambda: 0.001, WRONG, "유효숫자 두 자리 이상(예: 0.00060)", "`fast.costs[-1]`을 쓰세요"),
]

# ----------------------------------------------------------------- my_model ("nn.Module")


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x)


class OldSuper(nn.Module):
    def __init__(self):
        super(OldSuper, self).__init__()
        self.fc = nn.Linear(1, 1)

    def forward(self, x):
        out = self.fc(x)
        return out


class WithParameters(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Parameter(torch.zeros(1))
        self.b = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return x * self.W + self.b


class Functional(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1, 1))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)


class Frozen(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)
        self.linear.requires_grad_(False)

    def forward(self, x):
        return self.linear(x)


class SequentialInside(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(1, 1))

    def forward(self, x):
        return self.layers(x)


class Misspelled(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def foward(self, x):
        return self.linear(x)


class NoReturn(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        self.linear(x)


class TwoInputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, x):
        return self.linear(x)


class TwoOutputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 2)

    def forward(self, x):
        return self.linear(x)


class TwoLayers(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Linear(1, 1)
        self.second = nn.Linear(1, 1)

    def forward(self, x):
        return self.second(self.first(x))


class PlainTensors(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = torch.zeros(1, requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def forward(self, x):
        return x * self.W + self.b


class UsesGlobal(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x_train)


class ReturnsLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear


class ModelTemplate(nn.Module):
    def __init__(self):
        super().__init__()
        ...

    def forward(self, x):
        ...


class IgnoresParameters(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return x * 2


class ReturnsOnes(MyModel):
    def forward(self, x):
        return torch.ones_like(x)


class Detached(MyModel):
    def forward(self, x):
        return self.linear(x).detach()


class ForwardBlank(MyModel):
    def forward(self, x):
        return ...


class LayerBlank(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = ...

    def forward(self, x):
        return self.linear(x)


class RaisesInForward(MyModel):
    def forward(self, x):
        raise ValueError("boom")


class NoBias(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1, bias=False)

    def forward(self, x):
        return self.linear(x)


class NoBiasParameter(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return x * self.W


class NoBiasMatmul(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1, 1))

    def forward(self, x):
        return x @ self.weight


class NoBiasFunctional(NoBiasMatmul):
    def forward(self, x):
        return F.linear(x, self.weight)


class NoBiasSequential(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(1, 1, bias=False))

    def forward(self, x):
        return self.layers(x)


class ConstantAdded(NoBiasParameter):
    def forward(self, x):
        return x * self.W + 1


class FrozenNoBias(NoBias):
    def __init__(self):
        super().__init__()
        self.linear.requires_grad_(False)


class TwoInputsNoBias(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1, bias=False)

    def forward(self, x):
        return self.linear(x)


class TwoLayersNoBias(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Linear(1, 1, bias=False)
        self.second = nn.Linear(1, 1, bias=False)

    def forward(self, x):
        return self.second(self.first(x))


class IgnoresNoBias(NoBias):
    def forward(self, x):
        return x * 2


class DetachedNoBias(NoBias):
    def forward(self, x):
        return self.linear(x).detach()


class TimesX(NoBias):
    def forward(self, x):
        return self.linear(x) * x


class OfSquare(NoBias):
    def forward(self, x):
        return self.linear(x ** 2)


class DoubleLayer(NoBias):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1, bias=False).double()


MODEL = [
    # the exercise's model is H(x) = Wx: one parameter, through the origin
    ("no_bias", lambda: NoBias(), RIGHT, "W(weight) 하나만"),
    ("parameter", lambda: NoBiasParameter(), RIGHT, ""),
    ("matmul", lambda: NoBiasMatmul(), RIGHT, ""),
    ("functional", lambda: NoBiasFunctional(), RIGHT, ""),
    ("sequential_inside", lambda: NoBiasSequential(), RIGHT, ""),
    ("blank", lambda: ..., BLANKED, ""),
    ("template", lambda: ModelTemplate(), BLANKED, ""),
    ("forward_return_blank", lambda: ForwardBlank(), BLANKED, ""),
    ("layer_blank", lambda: LayerBlank(), BLANKED, ""),
    # the lesson's class copied, in each of its forms: it has b
    ("lesson_class", lambda: MyModel(), WRONG, "b가 있습니다", "개입니다"),
    ("old_super", lambda: OldSuper(), WRONG, "b가 있습니다"),
    ("W_and_b_parameters", lambda: WithParameters(), WRONG, "`nn.Linear(1, 1, bias=False)`"),
    ("functional_with_bias", lambda: Functional(), WRONG, "b가 있습니다"),
    ("constant_added", lambda: ConstantAdded(), WRONG, "H(0) = 1.0000", "b가 있습니다"),
    # the reason named is the real one: an empty nn.Module is no nn.Linear; a frozen W is not "x only"
    ("module_itself", lambda: nn.Module(), WRONG, "`nn.Module()`은 빈 틀이고", "같은 계산"),
    ("frozen", lambda: FrozenNoBias(), WRONG, "requires_grad가 False", "x만으로"),
    ("class_itself", lambda: NoBias, WRONG, "괄호를 붙입니다"),
    ("other_class", lambda: int, WRONG, "클래스 자체"),
    ("bare_linear", lambda: nn.Linear(1, 1, bias=False), WRONG, "클래스를 직접 만드는 것"),
    ("sequential", lambda: nn.Sequential(nn.Linear(1, 1)), WRONG, "클래스를 직접 만드는 것"),
    ("misspelled_forward", lambda: Misspelled(), WRONG, "forward가 없습니다"),
    ("forward_no_return", lambda: NoReturn(), WRONG, "forward가 아무것도 돌려주지 않습니다", "None"),
    ("two_inputs", lambda: TwoInputsNoBias(), WRONG, "`nn.Linear(1, 1, bias=False)`입니다: nn.Linear의 첫 숫자는 입력 개수"),
    ("two_inputs_with_bias", lambda: TwoInputs(), WRONG, "nn.Linear의 첫 숫자는 입력 개수"),
    ("two_outputs", lambda: TwoOutputs(), WRONG, "출력이 2개입니다"),
    ("two_layers", lambda: TwoLayersNoBias(), WRONG, "W 하나여야 하는데 2개입니다"),
    ("two_layers_with_bias", lambda: TwoLayers(), WRONG, "4개입니다"),
    ("plain_tensors", lambda: PlainTensors(), WRONG, "`my_model.parameters()`가 비어 있습니다"),
    ("uses_global", lambda: UsesGlobal(), WRONG, "받은 x로 계산하세요"),
    ("returns_layer", lambda: ReturnsLayer(), WRONG, "tensor를 돌려주어야 하는데 nn.Module", "Linear입니다"),
    # forward that ignores or detaches the parameters: a hint, never an exception from inside lab_utils
    ("ignores_parameters", lambda: IgnoresNoBias(), WRONG, "W로 계산되지 않았습니다"),
    ("ignores_with_bias", lambda: IgnoresParameters(), WRONG, "b가 있습니다"),
    ("ones_like", lambda: ReturnsOnes(), WRONG, "b가 있습니다"),
    ("detached", lambda: DetachedNoBias(), WRONG, "`.detach()`"),
    ("raises", lambda: RaisesInForward(), WRONG, "오류가 났습니다"),
    ("number", lambda: 3, WRONG, "객체를 넣어야 하는데 숫자 하나", "int"),
    # not a line: H(0) = 2 H(1) - H(2) does not hold, so it is not said
    ("times_x", lambda: TimesX(), WRONG, "직선이 아닙니다", "H(0)"),
    ("of_square", lambda: OfSquare(), WRONG, "직선이 아닙니다", "H(0)"),
    ("double_layer", lambda: DoubleLayer(), WRONG, "dtype이 다른 tensor끼리", "RuntimeError"),
]

# ----------------------------------------------------------------- model prediction


@functools.cache
def lesson_models():
    """The lesson's model (manual_seed(1), lr 0.01, 1000 epochs, F.mse_loss) and the same from W = b = 0."""
    models = {}
    with torch.random.fork_rng():
        for name in ("seed", "zero", "untrained"):
            torch.manual_seed(1)
            model = MyModel()
            if name == "zero":
                with torch.no_grad():
                    model.linear.weight.zero_()
                    model.linear.bias.zero_()
            if name != "untrained":
                optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
                for _ in range(1001):
                    cost = F.mse_loss(model(x_train), y_train)
                    optimizer.zero_grad()
                    cost.backward()
                    optimizer.step()
            models[name] = model
    return models


def predict(name, x):
    return lesson_models()[name](x)


SIX = torch.FloatTensor([[6]])

MODEL_PREDICTION = [
    # 11.97 rounded to a whole number, typed in any form: almost right, and 12 is also the rule's value
    ("rounded_whole", lambda: 12.0, WRONG, "거의 맞았습니다"),
    ("rounded_tensor", lambda: torch.tensor([[12.]]), WRONG, "거의 맞았습니다"),
    ("lecture", lambda: predict("seed", SIX), RIGHT, "H(6) = 11.9739"),
    ("tensor_float", lambda: predict("seed", torch.tensor([[6.]])), RIGHT, ""),
    ("one_d_input", lambda: predict("seed", torch.FloatTensor([6])), RIGHT, "[1, 1] tensor"),
    ("item", lambda: predict("seed", SIX).item(), RIGHT, "`.item()`을 빼면"),
    ("rounded", lambda: 11.97, RIGHT, ""),
    ("no_grad", lambda: predict("seed", SIX).detach(), RIGHT, ""),
    ("typed_tensor", lambda: torch.FloatTensor([[11.9739]]), RIGHT, ""),
    ("blank", lambda: ..., BLANKED, ""),
    ("x_train", lambda: predict("seed", x_train), WRONG, "하나의 예측만"),
    ("two_rows", lambda: predict("seed", torch.FloatTensor([[6], [6]])), WRONG, "하나의 예측만"),
    ("empty", lambda: torch.tensor([]), WRONG, "shape [0]"),
    ("untrained", lambda: predict("untrained", SIX), WRONG, "학습 전 model"),
    ("twelve", lambda: 12, WRONG, "다음 경우에도 나옵니다: `prediction_6h`: 12점은 정답 규칙 y = 2x"),
    # lesson 5's answer (the W = b = 0 start, also 7.6's model_zero) is not the model of 7.4
    ("zero_start_model", lambda: predict("zero", SIX), WRONG, "W = b = 0에서 시작한 학습"),
    ("lesson5_history", lambda: lecture_history().predict(6), WRONG, "W = b = 0에서 시작한 학습"),
    ("lesson5_answer", lambda: lecture_history().predict(4), WRONG, "4시간"),
    ("four_hours", lambda: predict("seed", torch.FloatTensor([[4]])), WRONG, "4시간의 점수"),
    ("near", lambda: 11.9, WRONG, "거의 맞았습니다"),
    ("far", lambda: 11.5, WRONG, "`prediction_6h`", "거의"),
    ("string", lambda: "11.97", WRONG, "따옴표 없이"),
]

# ----------------------------------------------------------------- my_gradients of the 1/2m cost
# The exercise's cost is (1/2m) sum (Wx + b - y)^2: the 2 of the square cancels the 1/2, so dW = (1/m) sum(error * x).


def grads_template(x_train, y_train, W, b):
    return ..., ...  # 여기에 답을 쓰세요: (dW, db)


def grads_half_done(x_train, y_train, W, b):
    m = len(x_train)
    error = x_train * W + b - y_train
    return 1 / m * torch.sum(error * x_train), ...


def grads_solution(x_train, y_train, W, b):
    m = len(x_train)
    error = x_train * W + b - y_train
    return 1 / m * torch.sum(error * x_train), 1 / m * torch.sum(error)


def grads_mean(x_train, y_train, W, b):
    error = x_train * W + b - y_train
    return torch.mean(error * x_train), torch.mean(error)


def grads_halves_written_out(x_train, y_train, W, b):
    m = len(x_train)
    error = x_train * W + b - y_train
    return 1 / (2 * m) * 2 * torch.sum(error * x_train), 0.5 * 2 / m * torch.sum(error)


def grads_y_minus_h(x_train, y_train, W, b):
    m = x_train.shape[0]
    hypothesis = x_train * W + b
    return -1 / m * torch.sum((y_train - hypothesis) * x_train), -1 / m * torch.sum(y_train - hypothesis)


def grads_items(x_train, y_train, W, b):
    m = len(x_train)
    error = x_train * W + b - y_train
    return (torch.sum(error * x_train) / m).item(), (torch.sum(error) / m).item()


def grads_halved_lesson(x_train, y_train, W, b):   # 6.1's function, halved: the insight itself
    dW, db = gradients_by_hand(x_train, y_train, W, b)
    return dW / 2, db / 2


def grads_module_halved(x_train, y_train, W, b):
    dW, db = training.gradients_by_hand(x_train, y_train, W, b)
    return dW / 2, db / 2


def grads_module_whole(x_train, y_train, W, b):
    return training.gradients_by_hand(x_train, y_train, W, b)


def grads_autograd(x_train, y_train, W, b):
    W.requires_grad_(True)
    b.requires_grad_(True)
    (torch.mean((x_train * W + b - y_train) ** 2) / 2).backward()
    return [W.grad, b.grad]


def _grads(scale=lambda m: 1 / m, swap=False, sign=1.0, dW_times_x=True, db_times_x=False, with_b=True):
    def my_gradients(x_train, y_train, W, b):
        m = len(x_train)
        error = x_train * W + (b if with_b else 0) - y_train
        dW = sign * scale(m) * torch.sum(error * (x_train if dW_times_x else 1))
        db = sign * scale(m) * torch.sum(error * (x_train if db_times_x else 1))
        return (db, dW) if swap else (dW, db)
    return my_gradients


def grads_autograd_grad(x_train, y_train, W, b):
    W = W.clone().requires_grad_(True)
    b = b.clone().requires_grad_(True)
    return torch.autograd.grad(torch.mean((x_train * W + b - y_train) ** 2) / 2, (W, b))


def grads_no_sum(x_train, y_train, W, b):
    m = len(x_train)
    error = x_train * W + b - y_train
    return 1 / m * error * x_train, 1 / m * error


def grads_one_value(x_train, y_train, W, b):
    m = len(x_train)
    return 1 / m * torch.sum((x_train * W + b - y_train) * x_train)


def grads_global(x_train_, y_train_, W, b):
    m = len(x_train_)
    error = x_train * W + b - y_train
    return 1 / m * torch.sum(error * x_train), 1 / m * torch.sum(error)


GRADIENTS = [
    ("xor", lambda: lambda x, y, W, b: (((x * W + b - y) ^ 2).sum(), 0), WRONG, "XOR", "hypothesis"),
    ("solution", lambda: grads_solution, RIGHT, "autograd와 같습니다"),
    ("mean", lambda: grads_mean, RIGHT, ""),
    ("halves_written_out", lambda: grads_halves_written_out, RIGHT, ""),
    ("y_minus_h", lambda: grads_y_minus_h, RIGHT, ""),
    ("items", lambda: grads_items, RIGHT, ""),
    ("halved_lesson_function", lambda: grads_halved_lesson, RIGHT, ""),
    ("halved_lesson_function_module", lambda: grads_module_halved, RIGHT, ""),    # called as training.gradients_by_hand
    ("lesson_function_module", lambda: grads_module_whole, WRONG, "6.1의 공식(2/m) 그대로입니다", "autograd"),
    # the exercise is to write the formula: autograd inside my_gradients is not accepted
    ("autograd_backward", lambda: grads_autograd, WRONG, "autograd"),
    ("autograd_grad", lambda: grads_autograd_grad, WRONG, "autograd"),
    ("lab_utils_function", lambda: gradients_by_hand, WRONG, "6.1의 공식(2/m) 그대로입니다"),
    ("lambda", lambda: lambda x, y, W, b: (((x * W + b - y) * x).mean(), (x * W + b - y).mean()), RIGHT, ""),
    ("blank", lambda: ..., BLANKED, ""),
    ("template", lambda: grads_template, BLANKED, ""),
    ("half_done", lambda: grads_half_done, BLANKED, ""),
    # 6.1's function copied (the MSE's gradient, 2/m): the 1/2 of this cost cancels the 2
    ("lesson_formula", lambda: _grads(scale=lambda m: 2 / m), WRONG, "6.1의 공식(2/m) 그대로입니다"),
    ("half_left", lambda: _grads(scale=lambda m: 1 / (2 * m)), WRONG, "1/2 배를 그대로 남겼습니다"),
    ("swapped", lambda: _grads(swap=True), WRONG, "(dW, db)의 순서가 바뀌었습니다"),
    ("hard_m", lambda: _grads(scale=lambda m: 1 / 3), WRONG, "데이터 개수를 3으로 고정했습니다"),
    ("hard_m_shows_data", lambda: _grads(scale=lambda m: 1 / 3), WRONG,
     "torch.FloatTensor([[1], [2], [3], [5]]), torch.FloatTensor([[2], [3], [7], [9]])"),
    ("global_data", lambda: grads_global, WRONG, "위에서 만든 `x_train`, `y_train`을 쓰지 말고"),
    ("no_1_over_m", lambda: _grads(scale=lambda m: 1.0), WRONG, "m으로 나누지 않았습니다"),
    ("sign", lambda: _grads(sign=-1.0), WRONG, "부호가 반대입니다"),
    ("dW_no_x", lambda: _grads(dW_times_x=False), WRONG, "dW에 x를 곱하지 않았습니다"),
    ("db_with_x", lambda: _grads(db_times_x=True), WRONG, "db에 x를 곱했습니다"),
    ("no_b", lambda: _grads(with_b=False), WRONG, "오차에 b가 빠졌습니다"),
    ("no_sum", lambda: grads_no_sum, WRONG, "`torch.sum`"),
    ("one_value", lambda: grads_one_value, WRONG, "`return dW, db`"),
    ("returns_none", lambda: lambda x, y, W, b: None, WRONG, "아무것도 돌려주지 않습니다", "None"),
]

# ----------------------------------------------------------------- max_lr (the five learners' data)
x_more, y_more = torch.FloatTensor([[1], [2], [3], [4], [5]]), torch.FloatTensor([[2], [4], [6], [8], [10]])
LIMIT = 1 / (6 + 34 ** 0.5)                       # 2/λmax of (2/5)[[55, 15], [15, 5]], by hand
_HESSIAN = 2 / 5 * torch.tensor([[55.0, 15.0], [15.0, 5.0]], dtype=torch.float64)

MAX_LR = [
    ("two_decimals", lambda: 0.08, RIGHT, "0.084524"),
    ("three_decimals", lambda: 0.084, RIGHT, ""),
    ("four_decimals", lambda: 0.0844, RIGHT, ""),
    ("below", lambda: 0.082, RIGHT, ""),
    ("band_edge", lambda: 0.0796, RIGHT, ""),
    ("tensor", lambda: torch.tensor(0.08), RIGHT, ""),
    ("blank", lambda: ..., BLANKED, ""),
    # below the limit but so close that training barely moves: judged by what it does, not told it is the limit
    ("hair_below", lambda: 0.084524, WRONG, "거의 맞았습니다", "바로 그 값"),
    ("four_decimals_close", lambda: 0.0845, WRONG, "거의 맞았습니다"),
    ("at_limit_formula", lambda: 1 / (6 + 34 ** 0.5), WRONG, "한계와 같거나", "바로 그 값"),
    ("at_limit_lab_utils", lambda: stability_limit(x_more), WRONG, "수렴하지 않습니다"),
    ("at_limit_eigvalsh", lambda: 2 / torch.linalg.eigvalsh(_HESSIAN).max(), WRONG, ""),
    ("at_limit_float32", lambda: torch.tensor(LIMIT), WRONG, ""),
    ("rounded_up", lambda: 0.0846, WRONG, "커집니다"),
    ("diverges_617", lambda: 0.085, WRONG, "epoch 617에서 발산합니다"),
    ("diverges_57", lambda: 0.09, WRONG, "epoch 57에서 발산합니다"),
    ("b_fixed_limit", lambda: 1 / 11, WRONG, "b를 0으로 고정하고"),
    # lesson 6's own answer for the three learners' data
    ("three_learners", lambda: 0.18, WRONG, "3명의 데이터", "정답"),
    ("three_learners_limit", lambda: 0.18029, WRONG, "3명의 데이터"),
    ("three_learners_hair_below", lambda: 0.1802948, WRONG, "3명의 데이터", "바로 그 값"),
    ("three_learners_b_fixed", lambda: 3 / 14, WRONG, "3/14"),
    ("lecture_lr", lambda: 0.01, WRONG, "큰 lr도 수렴합니다"),
    ("zigzag_start", lambda: LIMIT / 2, WRONG, "큰 lr도 수렴합니다"),
    ("too_low", lambda: 0.079, WRONG, "큰 lr도 수렴합니다"),
    ("zero", lambda: 0, WRONG, "0보다 커야"),
    ("negative", lambda: -0.08, WRONG, "0보다 커야"),
    ("nan_tensor", lambda: torch.tensor(float("nan")), WRONG, "유한한 숫자가 아님"),
    ("string", lambda: "0.08", WRONG, "따옴표 없이"),
    # too big for float32: the experiment still says it diverges, with no English error from torch
    ("huge", lambda: 1e300, WRONG, "발산합니다", "overflow"),
]

TABLES = {
    checks.check_x_test: X_TEST,
    checks.check_more_data: MORE_DATA,
    checks.check_parameters: PARAMETERS,
    checks.check_hypothesis: HYPOTHESIS,
    checks.check_cost_function: COST_FUNCTION,
    checks.check_cost_value: COST_VALUE,
    checks.check_train_step: TRAIN_STEP,
    checks.check_prediction: PREDICTION,
    checks.check_fast_lr_cost: FAST_LR_COST,
    checks.check_model: MODEL,
    checks.check_model_prediction: MODEL_PREDICTION,
    checks.check_gradients: GRADIENTS,
    checks.check_max_lr: MAX_LR,
}
TRAIN_STEP_OWN_CALLS = {row[1] for row in TRAIN_STEP if row[0] in ("own_optimizer", "zeroes_only_W", "by_hand",
                                                                     "by_hand_no_grad", "new_optimizer", "global_optimizer")}
TWO_ARGUMENTS = {checks.check_more_data, checks.check_parameters}


def run(checker, make):
    answer = make()
    return checker(*answer) if checker in TWO_ARGUMENTS else checker(answer)


ROWS = [pytest.param(checker, make, verdict, text, rest[0] if rest else None, id=f"{checker.__name__}-{name}")
        for checker, table in TABLES.items() for name, make, verdict, text, *rest in table]


@pytest.mark.parametrize("checker, make, verdict, text, not_text", ROWS)
def test_grader_table(checker, make, verdict, text, not_text):
    feedback = run(checker, make)
    if not_text:
        assert not_text not in feedback.message, repr(feedback)
    if verdict == BLANKED:
        assert feedback == BLANK and repr(feedback) == repr(BLANK), repr(feedback)
        return
    assert not feedback.blank, repr(feedback)
    assert feedback.ok == (verdict == RIGHT), repr(feedback)
    assert text in feedback.message, repr(feedback)
    if make in TRAIN_STEP_OWN_CALLS:
        assert "없습니다" not in feedback.message, repr(feedback)


@pytest.mark.parametrize("checker", list(TABLES), ids=lambda c: c.__name__)
def test_every_table_is_full(checker):
    """At least 8 answers per exercise, with the blank, right answers and mistakes all present."""
    verdicts = [row[2] for row in TABLES[checker]]
    assert all(len(row) in (4, 5) for row in TABLES[checker])
    assert len(verdicts) >= 8
    assert verdicts.count(BLANKED) >= 1 and verdicts.count(RIGHT) >= 3 and verdicts.count(WRONG) >= 5
    names = [row[0] for row in TABLES[checker]]
    assert len(names) == len(set(names))


def test_blank_prompt_is_neutral():
    """What a reader sees on GitHub before running: no verdict, no ✘, the same text for every exercise."""
    assert repr(BLANK) == "✎ 빈칸(...)을 채우고 셀을 다시 실행하세요."
    assert not BLANK and "✘" not in repr(BLANK) and "아직" not in repr(BLANK)


# ----------------------------------------------------------------- train_step: every order of the calls
CALLS = ("zero_grad", "backward", "step")
CODE = {"zero_grad": "`optimizer.zero_grad()`", "backward": "`cost.backward()`", "step": "`optimizer.step()`"}
ORDERS = [order for n in range(4) for order in itertools.permutations(CALLS, n)]


def trains_right(order):
    """Independent reference: W, b after two calls equal two hand-made gradient steps (lr 0.01)."""
    W, b = 0.0, 0.0
    for _ in range(2):
        error = [W * x + b - y for x, y in ((1, 2), (2, 4), (3, 6))]
        dW = 2 / 3 * sum(e * x for e, x in zip(error, (1, 2, 3)))
        db = 2 / 3 * sum(error)
        W, b = W - 0.01 * dW, b - 0.01 * db
    state = _step_with(*order)
    Wt = torch.zeros(1, requires_grad=True)
    bt = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([Wt, bt], lr=0.01)
    for _ in range(2):
        state(x_train, y_train, Wt, bt, optimizer)
    return math.isclose(Wt.item(), W, rel_tol=1e-5) and math.isclose(bt.item(), b, rel_tol=1e-5)


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "-".join(o) or "nothing")
def test_train_step_every_order(order):
    """Right exactly when it trains right; a hint never says a call is missing that the learner made."""
    feedback = checks.check_train_step(_step_with(*order))
    assert feedback.ok == trains_right(order), (order, feedback)
    assert feedback.ok == (order in {("zero_grad", "backward", "step"), ("backward", "step", "zero_grad")})
    for call in CALLS:
        said_missing = f"{CODE[call]}가 없습니다" in feedback.message or f"{CODE[call]}이 없습니다" in feedback.message
        assert said_missing == (call not in order and not feedback.ok and bool(order)), (order, feedback)


# ----------------------------------------------------------------- max_lr: what counts, against the experiment
# Right = below the limit, within 0.005 of it (the exercise says so), and train_sgd(x_more, y_more, lr,
# nb_epochs=2000) ends below 1% of its first cost. Every other value is judged by what its training does.
@pytest.mark.parametrize("lr", [0.0845, 0.08452, 0.084524, LIMIT, 0.0846, 0.085, 0.09, 0.1])
def test_max_lr_rejects_what_does_not_converge_usefully(lr):
    history = train_sgd(x_more, y_more, lr=lr, nb_epochs=lessons_5_7.MAX_LR_EPOCHS)
    assert history.diverged or history.costs[-1] > lessons_5_7.MAX_LR_FALL * history.costs[0]
    assert not checks.check_max_lr(lr)


@pytest.mark.parametrize("lr", [0.0796, 0.08, 0.082, 0.084, 0.0844])
def test_max_lr_accepts_what_converges(lr):
    history = train_sgd(x_more, y_more, lr=lr, nb_epochs=lessons_5_7.MAX_LR_EPOCHS)
    assert not history.diverged and history.costs[-1] < lessons_5_7.MAX_LR_FALL * history.costs[0]
    assert checks.check_max_lr(lr)


def test_max_lr_limit_is_the_closed_form():
    """2/λmax by hand: λ = 12 ± √136 for (2/5)[[55, 15], [15, 5]], so 2/λmax = 1/(6 + √34); eigvalsh agrees."""
    assert math.isclose(stability_limit(x_more), LIMIT, rel_tol=1e-12)
    assert math.isclose(LIMIT, 2 / torch.linalg.eigvalsh(_HESSIAN).max().item(), rel_tol=1e-12)
    assert math.isclose(LIMIT, 2 / (12 + 136 ** 0.5), rel_tol=1e-12)


# ----------------------------------------------------------------- references computed independently
def _by_hand(xs, ys, lr, updates, W=0.0, b=0.0):
    """Plain-Python gradient descent with the hand-made gradient (float64): W, b and the cost before each step."""
    costs = []
    for _ in range(updates):
        errors = [W * x + b - y for x, y in zip(xs, ys)]
        costs.append(sum(e * e for e in errors) / len(xs))
        dW = 2 / len(xs) * sum(e * x for e, x in zip(errors, xs))
        db = 2 / len(xs) * sum(errors)
        W, b = W - lr * dW, b - lr * db
    return W, b, costs


def test_prediction_reference_is_hand_made_descent():
    W, b, _ = _by_hand((1, 2, 3), (2, 4, 6), 0.01, 1001)
    assert abs((10 * W + b) - _h10()) < 1e-3
    assert checks.check_prediction(round(10 * W + b, 2))


def test_fast_lr_reference_is_hand_made_descent():
    _, _, costs = _by_hand((1, 2, 3), (2, 4, 6), 0.1, 101)
    assert math.isclose(costs[-1], fast_history().costs[-1], rel_tol=1e-3)
    assert checks.check_fast_lr_cost(float(f"{costs[-1]:.2g}"))


def test_model_prediction_reference_is_the_seeded_model_trained_by_hand():
    """The seeded nn.Linear start, then hand-made descent: H(6) agrees with the lesson's own model (autograd)."""
    with torch.random.fork_rng():
        torch.manual_seed(1)
        start = nn.Linear(1, 1)
    W, b, _ = _by_hand((1, 2, 3), (2, 4, 6), 0.01, 1001, start.weight.item(), start.bias.item())
    assert abs((6 * W + b) - predict("seed", SIX).item()) < 1e-3
    assert checks.check_model_prediction(round(6 * W + b, 2))


def test_no_exercise_answer_is_printed_above_it():
    """The numbers the exercises ask for (10 h, 6 h, the five learners' limit) appear nowhere above the first exercise."""
    import nbformat
    from lab02_tools import ROOT
    answers = {"05_training_loop": [f"{_h10():.2f}", f"{_h10():.3f}"],
               "06_how_gd_minimizes_cost": [f"{LIMIT:.4f}", f"{LIMIT:.5f}", "√34"],
               "07_nn_module": [f"{predict('seed', SIX).item():.2f}", f"{predict('seed', SIX).item():.3f}"]}
    for stem, numbers in answers.items():
        nb = nbformat.read(next((ROOT / "notebooks").glob(stem + ".ipynb")), as_version=4)
        first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and re.search(r"^check_\w+\(", c.source, re.M))
        text = "".join(c.source + "".join(str(o) for o in c.get("outputs", [])) for c in nb.cells[:first])
        for number in numbers:
            assert number not in text, (stem, number)


# ----------------------------------------------------------------- Korean in every message
def all_messages():
    messages = []
    for checker, table in TABLES.items():
        for _name, make, *_ in table:
            messages.append(repr(run(checker, make)))
    for order in ORDERS:
        messages.append(repr(checks.check_train_step(_step_with(*order))))
    return messages


_PARTICLE = r"(은|는|이|가|을|를|의|와|과|로|으로|에서|입니다|이어야|여야)(?=[\s.,:;)!?]|$)"
_DIGIT_CLOSED = set("013678")


def test_messages_follow_the_house_style():
    """Particles attached and fitting the reading, one word per concept, no lesson numbers, no test-suite talk."""
    problems = []
    for message in all_messages():
        if re.search(r"[A-Za-z0-9`)\]] " + _PARTICLE, message):
            problems.append(("space before a particle", message))
        if re.search(r"Error:|[a-z]+ [a-z]+ [a-z]+ [a-z]+", message):
            problems.append(("English text (an error message?)", message))
        for word in ("텐서", "cell", "테스트", "Lab-02", "기울기", "아직입니다"):
            if word in message:
                problems.append((word, message))
        if re.search(r"\d\.\d+ ?절|lesson \d|연습 \d", message):
            problems.append(("lesson or exercise number", message))
        for match in re.finditer(r"(\d)[)\]]*(은|는|이|가|을|를|과|와|이어야|여야)(?![가-힣])", message):
            closed = match.group(1) in _DIGIT_CLOSED
            if (match.group(2) in ("은", "이", "을", "과", "이어야")) != closed:
                problems.append((f"particle after {match.group(0)}", message))
        for match in re.finditer(r"(\d)[)\]]*(으로|로)(?![가-힣])", message):
            needs_euro = match.group(1) in "036"
            if (match.group(2) == "으로") != needs_euro:
                problems.append((f"particle after {match.group(0)}", message))
        for wrong in ("lr는", "lr가", "lr를", "cost이", "cost은", "cost을", "W은", "W이", "W을", "b은", "b이",
                      "b을", "MSE은", "tensor은", "tensor이", "tensor을", "step()`가", "step()`를", "step()`는",
                      "backward()`이", "backward()`을", "zero_grad()`이", "zero_grad()`을"):
            if wrong in message:
                problems.append((wrong, message))
    assert not problems, "\n".join(f"{p}: {m}" for p, m in problems)


# ================================================================= the machinery
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


# ----------------------------------------------------------------- odd answers: never raise, never accept
def _raises(*args):
    raise ValueError("boom")


def _returns_none(*args):
    return None


class _Ignores(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return x * 2


class _Detaches(_Ignores):
    def forward(self, x):
        return self.linear(x).detach()


class _RaisesInInit(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        raise RuntimeError("forward failed")


class _NoSuperInit(nn.Module):
    def __init__(self):   # forgot super().__init__(): nn.Module's own machinery breaks
        pass

    def forward(self, x):
        return x


ODD = {
    "None": None, "str": "abc", "empty_str": "", "list": [1, 2], "empty_list": [], "dict": {"a": 1},
    "complex": 1 + 2j, "nan": float("nan"), "inf": float("inf"), "minus_inf": -math.inf, "bool": True,
    "object": object(), "bytes": b"0.18", "set": {1}, "generator": (i for i in range(2)),
    "empty_tensor": torch.tensor([]), "matrix": torch.zeros(2, 2), "nan_tensor": torch.tensor(float("nan")),
    "inf_tensor": torch.tensor([[math.inf]]), "complex_tensor": torch.tensor(1 + 1j), "bool_tensor": torch.tensor(True),
    "int_tensor": torch.tensor([[4]]), "big_tensor": torch.zeros(3, 4, 5),
    "raises": _raises, "returns_none": _returns_none, "returns_text": lambda *a: "text",
    "returns_nan": lambda *a: torch.tensor(float("nan")), "builtin": print,
    "identity": nn.Identity(), "ignores": _Ignores(), "detaches": _Detaches(), "raises_in_forward": _RaisesInInit(),
    "no_super_init": _NoSuperInit, "module_class": _Ignores, "tensor_class": torch.Tensor, "int_class": int,
}
_TYPE_NAMES = re.compile(r"\b(NoneType|method|ellipsis|function|builtin_function_or_method|list|dict|tuple|set|"
                         r"complex|str|bytes|bool|int|float|object|generator|type|Identity|Tensor)\b")


def korean_part(message):
    """The message without code in backticks, tensor dtypes (taught in the lessons), the learner's own error text."""
    return re.sub(r"`[^`]*`|torch\.\w+", "", message.split("오류 메시지:")[0])


@pytest.mark.parametrize("checker, n", CHECKERS, ids=lambda c: getattr(c, "__name__", ""))
@pytest.mark.parametrize("name", list(ODD))
def test_a_checker_never_raises_and_never_accepts_odd_answers(checker, n, name):
    answer = ODD[name]
    if name == "no_super_init":
        try:
            answer = answer()
        except Exception:   # noqa: BLE001 - some torch versions refuse the object itself
            answer = None
    feedback = checker(*([answer] * n))
    assert isinstance(feedback, Feedback) and not feedback.ok, repr(feedback)
    assert feedback.message
    assert not _TYPE_NAMES.search(korean_part(feedback.message)), repr(feedback)
    assert not re.search(r"[A-Za-z]{4,} [A-Za-z]{4,} [A-Za-z]{4,} [A-Za-z]{4,}", korean_part(feedback.message))


def test_no_hint_in_the_tables_names_a_python_type():
    for checker, table in TABLES.items():
        for name, make, *_ in table:
            message = run(checker, make).message
            assert not _TYPE_NAMES.search(korean_part(message)), (checker.__name__, name, message)


# ----------------------------------------------------------------- numbers
@pytest.mark.parametrize("value, decimals, expected, agrees", [
    (4.67, 2, 14 / 3, True), (4.667, 3, 14 / 3, True), (4.6667, 4, 14 / 3, True), (4.66666, 5, 14 / 3, True),
    (4.66, 2, 14 / 3, False), (4.666, 3, 14 / 3, False), (4.7, 1, 14 / 3, False), (5, 0, 14 / 3, False),
    (7.95, 2, 7.949669, True), (7.951, 3, 7.949669, False), (7.9, 1, 7.949669, False),
    (0.0006, 4, 6.002e-4, True), (0.001, 3, 6.002e-4, False), (0.00063, 5, 6.002e-4, False),
    (4.6, 1, 4.6003, True),   # "4.60": a trailing zero the learner typed is not lost
])
def test_a_number_is_right_when_rounded_to_what_was_written(value, decimals, expected, agrees):
    assert core._agrees(value, decimals, expected) == agrees


@pytest.mark.parametrize("value, decimals, expected, near", [
    (4.7, 1, 14 / 3, True), (4.66, 2, 14 / 3, True), (4.6, 1, 14 / 3, True), (4.5, 1, 14 / 3, False),
    (0.0, 1, 6.002e-4, False), (0.001, 3, 6.002e-4, False), (0.00061, 5, 6.002e-4, True), (20, 0, 19.77, True),
    (4, 0, 14 / 3, True), (5, 0, 14 / 3, True), (0.0007, 4, 6.002e-4, False),   # whole numbers: rounded or cut
])
def test_almost_right_is_one_unit_of_the_last_digit_written(value, decimals, expected, near):
    answer = round(value, decimals) if decimals else int(value)
    feedback = core._judge_number(answer, "x", expected, [], "right", "other")
    assert ("거의 맞았습니다" in feedback.message) == near, feedback


def test_decimals_of_a_number_are_what_was_typed():
    assert core._as_number(torch.tensor(4.6667), "x") == (torch.tensor(4.6667).item(), 4)
    assert core._as_number(4.67, "x")[1] == 2
    assert core._as_number(6e-4, "x")[1] == 4
    assert core._as_number(14, "x")[1] == 0
    assert core._as_number(torch.tensor(4.6667, dtype=torch.float64), "x")[1] == 17


# ----------------------------------------------------------------- untouched templates, read from the source
def template_function(a, b):
    ...


def template_pass(a, b):
    pass


def template_blank_pair(a, b):
    return ..., ...  # 여기에 답을 쓰세요


def template_docstring(a, b):
    """Write the answer here."""
    return None


def started(a, b):
    return a


def half_done(a, b):
    return a, ...


def test_untouched_templates_are_recognised_from_the_source():
    template_lambda = lambda a, b: ...  # noqa: E731 - a learner may write a lambda
    for fn in (template_function, template_pass, template_blank_pair, template_docstring, template_lambda):
        assert core._untouched(fn), fn
    for fn in (started, half_done, lambda a, b: a - b, print, len):
        assert not core._untouched(fn), fn
    assert core._source_facts(half_done)[2] and not core._source_facts(started)[2]


CHECKS_SOURCES = sorted((ROOT / "lab_utils" / "checks").glob("*.py"))


def test_checks_reads_no_bytecode():
    """Version-neutral: no dis, no opcode names (they change with every CPython release)."""
    for path in CHECKS_SOURCES:
        source = path.read_text(encoding="utf-8")
        assert "import dis" not in source and "__code__" not in source, path.name
        for opcode in ("RESUME", "PRECALL", "RETURN_CONST", "LOAD_CONST", "RETURN_VALUE"):
            assert opcode not in source, path.name


def test_checks_package_is_small():
    """Issue 17's budget: lab_utils.checks at most 650 lines in all, no module over 350 lines, no function over 40."""
    assert (ROOT / "lab_utils" / "checks.py").exists() is False and len(CHECKS_SOURCES) >= 2
    lines = {path.name: path.read_text(encoding="utf-8") for path in CHECKS_SOURCES}
    assert sum(len(text.splitlines()) for text in lines.values()) <= 650
    for name, text in lines.items():
        assert len(text.splitlines()) <= 350, name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                assert node.end_lineno - start + 1 <= 40, f"{name}: {node.name} is {node.end_lineno - start + 1} lines"


def test_templates_defined_in_a_notebook_cell_are_recognised():
    """IPython keeps each cell's source in linecache; the AST test must read a function defined there."""
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    try:
        cell = ("import torch\n"
                "def my_cost(hypothesis, y_train):\n"
                "    return ...  # 여기에 답을 쓰세요\n"
                "def train_step(x_train, y_train, W, b, optimizer):\n"
                "    hypothesis = x_train * W + b\n"
                "    cost = torch.mean((hypothesis - y_train) ** 2)\n"
                "    ...  # 여기에 세 줄을 쓰세요\n"
                "    return cost\n"
                "def finished(hypothesis, y_train):\n"
                "    return torch.mean(torch.abs(hypothesis - y_train))\n")
        assert shell.run_cell(cell).success
        ns = shell.user_ns
        assert core._untouched(ns["my_cost"]) and not core._untouched(ns["finished"])
        assert core._source_facts(ns["train_step"])[2] and not core._untouched(ns["train_step"])
        assert checks.check_cost_function(ns["my_cost"]) == BLANK
        assert checks.check_train_step(ns["train_step"]) == BLANK
        assert checks.check_cost_function(ns["finished"]).ok
        assert shell.run_cell("def step_bare(x_train, y_train, W, b, optimizer):\n"
                              "    cost = torch.mean((x_train * W + b - y_train) ** 2)\n"
                              "    optimizer.zero_grad()\n    cost.backward()\n    optimizer.step\n"
                              "    return cost\n").success
        assert "괄호 없이" in checks.check_train_step(shell.user_ns["step_bare"]).message
    finally:
        InteractiveShell.clear_instance()


# ----------------------------------------------------------------- the learner's state
class _Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1, bias=False)

    def forward(self, x):
        return self.linear(x)


def test_checkers_leave_the_learners_state_alone():
    """No checker moves the global random state, turns off autograd, or leaves gradients in a model."""
    model = _Model()
    state = torch.get_rng_state()
    checks.check_model(model)
    checks.check_model_prediction(torch.FloatTensor([[11.9739]]))
    checks.check_train_step(lambda *a: None)
    checks.check_max_lr(0.08)
    assert torch.equal(state, torch.get_rng_state())
    assert torch.is_grad_enabled()
    assert all(p.grad is None for p in model.parameters())
    model(torch.ones(2, 1)).sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    assert checks.check_model(model)
    assert all(torch.equal(p.grad, g) for p, g in zip(model.parameters(), grads))
    with torch.no_grad():     # a learner may run the check inside no_grad
        assert checks.check_model(_Model())


# ----------------------------------------------------------------- references against hand calculations
def test_cost_value_reference_is_by_hand():
    errors = [4 - 2, 7 - 4, 10 - 6]     # H(x) = 3x + 1 on the training data
    assert checks.check_cost_value(sum(e * e for e in errors) / len(errors))


def test_cost_function_other_data_is_shown_as_code_that_reproduces_the_number():
    """The hint for a hard-coded m shows a call; running it with the learner's function gives the quoted number."""

    def my_mae(hypothesis, y_train):
        return torch.sum(torch.abs(hypothesis - y_train)) / 3

    message = checks.check_cost_function(my_mae).message
    call = re.search(r"`(my_mae\(.*?\))`", message).group(1)
    got = eval(call, {"torch": torch, "my_mae": my_mae}).item()   # noqa: S307 - our own message
    assert f"결과: {got:.4f}, 정답: 1.3750" in message    # (1 + 1 + 2.5 + 1) / 4, by hand


def test_gradients_other_data_is_shown_as_code_that_reproduces_the_number():
    def my_gradients(x_train, y_train, W, b):
        error = x_train * W + b - y_train
        return 1 / 3 * torch.sum(error * x_train), 1 / 3 * torch.sum(error)

    message = checks.check_gradients(my_gradients).message
    call = re.search(r"`(my_gradients\(.*?\))`", message).group(1)
    dW, db = eval(call, {"torch": torch, "my_gradients": my_gradients})   # noqa: S307 - our own message
    assert f"결과: ({dW.item():.4f}, {db.item():.4f})" in message
    # by hand at W = b = 0 on x = 1, 2, 3, 5 and y = 2, 3, 7, 9: dW = 1/4 * -(2 + 6 + 21 + 45), db = 1/4 * -21
    assert f"정답: ({-18.5:.4f}, {-5.25:.4f})" in message


def test_gradient_reference_is_autograd_of_the_half_cost_and_the_formula():
    x, y = load_train_data()
    W, b = torch.tensor([1.5]), torch.tensor([-0.5])
    dW, db = lessons_5_7._autograd_gradients(x, y, W, b)
    assert math.isclose(dW, 1 / 3 * sum((1.5 * xi - 0.5 - 2 * xi) * xi for xi in (1, 2, 3)), rel_tol=1e-6)
    assert math.isclose(db, 1 / 3 * sum(1.5 * xi - 0.5 - 2 * xi for xi in (1, 2, 3)), rel_tol=1e-6)


def test_train_step_reference_is_hand_made_sgd():
    """The right W, b after one call: lr * the hand-made gradient at W = b = 0 (2/3 * sum(-y x), 2/3 * sum(-y))."""
    (W1, b1), _ = lessons_1_4._run_steps(None, events=("zero_grad", "backward", "step"))[0]
    assert math.isclose(W1, 0.01 * 2 / 3 * (2 * 1 + 4 * 2 + 6 * 3), rel_tol=1e-6)
    assert math.isclose(b1, 0.01 * 2 / 3 * (2 + 4 + 6), rel_tol=1e-6)


# ----------------------------------------------------------------- the tables can fail
BROKEN = {
    "accepts everything": lambda *a: Feedback(True, "정답"),
    "rejects everything": lambda *a: Feedback(False, "힌트"),
    "blank for everything": lambda *a: BLANK,
}


@pytest.mark.parametrize("checker", list(TABLES), ids=lambda c: c.__name__)
@pytest.mark.parametrize("broken", list(BROKEN))
def test_a_broken_checker_fails_its_table(checker, broken):
    """Replace one checker by a broken one: at least one row of its table must fail."""
    failures = 0
    for _name, make, verdict, text, *rest in TABLES[checker]:
        answer = make()
        feedback = BROKEN[broken](*(answer if checker in TWO_ARGUMENTS else (answer,)))
        if verdict == BLANKED:
            failures += feedback != BLANK
        else:
            failures += feedback.blank or feedback.ok != (verdict == RIGHT) or text not in feedback.message
    assert failures > 0
