"""Exercise checkers: each returns a Feedback that says right, or what exactly is wrong (in Korean).

A checker never raises: a blank answer (``...``), a wrong type or code that fails all come back
as a Feedback with a hint, so an exercise cell can be run (and stored) before it is solved.
"""

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.optim as optim

from .data import load_train_data
from .training import stability_limit, train_sgd


@dataclass(frozen=True)
class Feedback:
    """The verdict of a checker: ``ok`` (also its truth value) and a ``message`` in Korean."""

    ok: bool
    message: str

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("✔ 정답입니다! " if self.ok else "✘ 아직입니다. ") + self.message


BLANK = Feedback(False, "빈칸(...)이 그대로 있습니다. ... 자리에 답을 쓰고 셀을 다시 실행하세요.")


def _is_blank(*answers):
    """True if any answer is the blank ``...`` (also inside a returned tuple)."""
    return any(a is Ellipsis or (isinstance(a, tuple) and Ellipsis in a) for a in answers)


def _describe(t):
    return f"shape {list(t.shape)}, dtype {t.dtype}"


def _tensor_problem(t, name, shape):
    """Return a hint if ``t`` is not a floating tensor of ``shape``, else None."""
    if not isinstance(t, torch.Tensor):
        return f"{name} 는 torch.Tensor 여야 하는데 {type(t).__name__} 입니다. torch.FloatTensor(...) 로 만드세요."
    if not t.is_floating_point():
        return (f"{name} 의 dtype 이 {t.dtype} (정수) 입니다. 학습할 데이터는 실수여야 하니 "
                f"torch.FloatTensor 를 쓰거나 4.0 처럼 소수점을 붙이세요.")
    if list(t.shape) != list(shape):
        extra = ""
        if t.dim() == 1:
            extra = " 1-D 가 아니라 [[1], [2], ...] 처럼 한 줄에 한 개씩 넣은 2-D (행 = 데이터 개수, 열 = 1) 여야 합니다."
        elif t.dim() == 2 and t.shape[0] == 1 and shape[0] != 1:
            extra = " 행과 열이 바뀌었습니다: [[1, 2, 3]] 이 아니라 [[1], [2], [3]] 입니다."
        return f"{name} 의 shape 이 {list(shape)} 이어야 하는데 {list(t.shape)} 입니다.{extra}"
    return None


def _number_answer(value, name):
    """Return ``(float, None)`` for one number (or a one-element tensor), else ``(None, Feedback)``."""
    if _is_blank(value):
        return None, BLANK
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            return None, Feedback(False, f"{name} 는 숫자 하나여야 하는데 {_describe(value)} 인 텐서입니다.")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, Feedback(False, f"{name} 는 숫자여야 하는데 {type(value).__name__} 입니다.")
    return float(value), None


# ----------------------------------------------------------------- 01 data definition
def check_x_test(x_test):
    """Exercise 1-1: ``x_test`` for the question "4 hours?" must be torch.FloatTensor([[4]])."""
    if _is_blank(x_test):
        return BLANK
    problem = _tensor_problem(x_test, "x_test", [1, 1])
    if problem:
        return Feedback(False, problem)
    if x_test.item() != 4:
        return Feedback(False, f"값이 4 (시간) 이어야 하는데 {x_test.item():g} 입니다.")
    return Feedback(True, "x_test 는 x_train 과 같은 꼴 ([데이터 개수, 1]) 의 float 텐서입니다.")


def check_more_data(x_more, y_more):
    """Exercise 1-2: 1..5 hours and 2..10 points, both float tensors of shape [5, 1]."""
    if _is_blank(x_more, y_more):
        return BLANK
    for t, name, values in ((x_more, "x_more", [1, 2, 3, 4, 5]), (y_more, "y_more", [2, 4, 6, 8, 10])):
        problem = _tensor_problem(t, name, [5, 1])
        if problem:
            return Feedback(False, problem)
        if t.flatten().tolist() != values:
            return Feedback(False, f"{name} 의 값이 {values} 이어야 하는데 {t.flatten().tolist()} 입니다.")
    return Feedback(True, "입력 따로, 출력 따로, 둘 다 [5, 1] 입니다.")


# ----------------------------------------------------------------- 02 hypothesis
def check_parameters(W, b):
    """Exercise 2-1: W and b must be torch.zeros(1, requires_grad=True)."""
    if _is_blank(W, b):
        return BLANK
    for t, name in ((W, "W"), (b, "b")):
        problem = _tensor_problem(t, name, [1])
        if problem:
            return Feedback(False, problem)
        if not t.requires_grad:
            return Feedback(False, f"{name}.requires_grad 가 False 입니다. requires_grad=True 를 빠뜨리면 "
                                   f"torch 가 {name} 의 gradient 를 계산하지 않아 학습할 수 없습니다.")
        if t.item() != 0:
            return Feedback(False, f"{name} 는 0 으로 초기화해야 하는데 {t.item():g} 입니다 (torch.zeros).")
    return Feedback(True, "W, b 는 0 에서 시작하고, torch 가 gradient 를 계산할 텐서입니다.")


def check_hypothesis(hypothesis):
    """Exercise 2-2: the hypothesis for W = 2, b = 1 on x_train must be [[3], [5], [7]]."""
    if _is_blank(hypothesis):
        return BLANK
    problem = _tensor_problem(hypothesis, "hypothesis", [3, 1])
    if problem:
        return Feedback(False, problem + " x_train * W + b 는 x_train 과 같은 [3, 1] 이 되어야 합니다.")
    values = hypothesis.detach().flatten().tolist()
    if values == [3, 4, 5]:
        return Feedback(False, "W 와 b 가 바뀌었습니다: x_train * b + W 가 아니라 x_train * W + b 입니다.")
    if values == [2, 4, 6]:
        return Feedback(False, "b = 1 을 더하지 않았습니다.")
    if values != [3, 5, 7]:
        return Feedback(False, f"W = 2, b = 1 이면 2x + 1 = [3, 5, 7] 인데 {values} 입니다.")
    return Feedback(True, "H(x) = 2x + 1 이 x = 1, 2, 3 에서 3, 5, 7 입니다.")


# ----------------------------------------------------------------- 03 cost
def check_cost_function(cost_fn):
    """Exercise 3-1: ``cost_fn(hypothesis, y_train)`` must return the MSE as a 0-d tensor."""
    if _is_blank(cost_fn):
        return BLANK
    if not callable(cost_fn):
        return Feedback(False, f"함수를 넘겨야 하는데 {type(cost_fn).__name__} 입니다.")
    hypothesis = torch.FloatTensor([[1.0], [3.0], [3.5], [9.0]])
    y_train = torch.FloatTensor([[2.0], [4.0], [6.0], [8.0]])
    error = hypothesis - y_train
    try:
        got = cost_fn(hypothesis, y_train)
    except Exception as exc:  # the learner's code failed: say how, do not crash the lesson
        return Feedback(False, f"함수를 실행하다 {type(exc).__name__}: {exc}")
    if _is_blank(got):
        return BLANK
    if not isinstance(got, torch.Tensor):
        return Feedback(False, f"torch 텐서를 돌려주어야 하는데 {type(got).__name__} 입니다 "
                               f"(backward() 를 하려면 텐서여야 합니다).")
    if got.dim() != 0:
        return Feedback(False, f"cost 는 숫자 하나 (0-d 텐서) 여야 하는데 shape {list(got.shape)} 입니다. "
                               f"torch.mean 으로 평균을 내세요.")
    value = got.item()
    candidates = {
        "sum": (torch.sum(error ** 2), "평균 (torch.mean) 대신 합 (torch.sum) 을 썼습니다: 1/m 을 빠뜨렸습니다."),
        "mae": (torch.mean(error.abs()), "제곱 대신 절댓값을 썼습니다: 그것은 MAE 입니다."),
        "noSquare": (torch.mean(error), "제곱 (** 2) 을 빠뜨렸습니다: +오차와 -오차가 서로 지워집니다."),
        "rmse": (torch.sqrt(torch.mean(error ** 2)), "제곱근을 씌웠습니다: 그것은 RMSE 입니다."),
    }
    for reference, hint in candidates.values():
        if math.isclose(value, reference.item(), rel_tol=1e-5):
            return Feedback(False, hint)
    expected = torch.mean(error ** 2).item()
    if not math.isclose(value, expected, rel_tol=1e-5):
        return Feedback(False, f"예시 입력에서 MSE 는 {expected:.4f} 인데 {value:.4f} 가 나왔습니다.")
    return Feedback(True, "cost = mean((H(x) - y)^2): 한 줄인데 읽기 편합니다.")


def check_cost_value(cost):
    """Exercise 3-2: the cost of H(x) = 1x + 0 on the training data is (1 + 4 + 9) / 3 = 4.6667."""
    value, feedback = _number_answer(cost, "cost")
    if feedback is not None:
        return feedback
    hints = {14.0: "제곱 오차의 합 14 를 m = 3 으로 나누지 않았습니다.",
             -2.0: "오차를 제곱하지 않았습니다: (-1 - 2 - 3) / 3 = -2.",
             2.0: "절댓값 평균 (MAE) 입니다: 제곱해야 합니다."}
    for wrong, hint in hints.items():
        if math.isclose(value, wrong, abs_tol=1e-3):
            return Feedback(False, hint)
    if not math.isclose(value, 14 / 3, abs_tol=1e-3):
        return Feedback(False, f"H(x) = x 의 오차는 -1, -2, -3 입니다. 제곱의 평균을 다시 계산해 보세요 (받은 값 {value:g}).")
    return Feedback(True, "(1 + 4 + 9) / 3 = 4.6667.")


# ----------------------------------------------------------------- 04 gradient descent
def _reference_steps(n, lr, accumulate=False):
    """W, b after ``n`` SGD steps from zero on the training data (optionally without zero_grad)."""
    x_train, y_train = load_train_data()
    W = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    optimizer = optim.SGD([W, b], lr=lr)
    for _ in range(n):
        cost = torch.mean((x_train * W + b - y_train) ** 2)
        if not accumulate:
            optimizer.zero_grad()
        cost.backward()
        optimizer.step()
    return W.item(), b.item()


def check_train_step(train_step):
    """Exercise 4-1: ``train_step(x_train, y_train, W, b, optimizer)`` does one full SGD epoch.

    Called twice from W = b = 0 with lr = 0.01; W and b must match two correct steps.
    """
    if _is_blank(train_step):
        return BLANK
    if not callable(train_step):
        return Feedback(False, f"함수를 넘겨야 하는데 {type(train_step).__name__} 입니다.")
    x_train, y_train = load_train_data()
    W = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    optimizer = optim.SGD([W, b], lr=0.01)
    try:
        train_step(x_train, y_train, W, b, optimizer)
        after_one = (W.item(), b.item())
        train_step(x_train, y_train, W, b, optimizer)
    except Exception as exc:
        return Feedback(False, f"함수를 실행하다 {type(exc).__name__}: {exc}")
    got = (W.item(), b.item())

    def same(a, c):
        return all(math.isclose(u, v, rel_tol=1e-5, abs_tol=1e-7) for u, v in zip(a, c))

    if W.grad is None:
        return Feedback(False, "W.grad 가 비어 있습니다: cost.backward() 로 gradient 를 계산하세요.")
    if after_one == (0.0, 0.0):
        return Feedback(False, "W, b 가 그대로입니다: optimizer.step() 을 호출해야 W, b 가 바뀝니다.")
    if same(got, _reference_steps(2, 0.01, accumulate=True)):
        return Feedback(False, "optimizer.zero_grad() 를 빠뜨렸습니다: 두 번째 step 에서 첫 gradient 가 "
                               "더해져 (누적되어) 너무 멀리 움직였습니다.")
    expected = _reference_steps(2, 0.01)
    if not same(got, expected):
        return Feedback(False, f"두 step 뒤 W, b 가 ({expected[0]:.4f}, {expected[1]:.4f}) 이어야 하는데 "
                               f"({got[0]:.4f}, {got[1]:.4f}) 입니다. hypothesis 와 cost 를 매번 새로 계산했나요?")
    return Feedback(True, "zero_grad() -> backward() -> step(): 항상 붙어다니는 3줄입니다.")


def check_prediction(prediction):
    """Exercise 4-2: the prediction for 4 hours after the lecture's training (lr=0.01, 1000 epochs)."""
    value, feedback = _number_answer(prediction, "prediction")
    if feedback is not None:
        return feedback
    x_train, y_train = load_train_data()
    history = train_sgd(x_train, y_train, lr=0.01, nb_epochs=1000)
    expected = history.predict(4.0)
    if math.isclose(value, 8.0, abs_tol=1e-6):
        return Feedback(False, "8 은 '정답' y = 2x 의 값입니다. 학습한 W, b 로 계산한 H(4) 를 넣으세요.")
    if math.isclose(value, history.W * 4, abs_tol=1e-3):
        return Feedback(False, "W * 4 만 계산했습니다: b 를 더하세요.")
    if not math.isclose(value, expected, abs_tol=1e-3):
        return Feedback(False, f"학습이 끝난 W = {history.W:.3f}, b = {history.b:.3f} 로 4 * W + b 를 계산하세요 "
                               f"(받은 값 {value:g}).")
    return Feedback(True, f"H(4) = {expected:.3f}: 8 에 가깝지만 정확히 8 은 아닙니다 (cost 가 아직 0 이 아니므로).")


def check_fast_lr_cost(final_cost):
    """Exercise 4-3: the last logged cost of train_sgd(lr=0.1, nb_epochs=100)."""
    value, feedback = _number_answer(final_cost, "final_cost")
    if feedback is not None:
        return feedback
    x_train, y_train = load_train_data()
    expected = train_sgd(x_train, y_train, lr=0.1, nb_epochs=100).costs[-1]
    slow = train_sgd(x_train, y_train, lr=0.01, nb_epochs=100).costs[-1]
    if math.isclose(value, slow, rel_tol=1e-3):
        return Feedback(False, "lr = 0.01 일 때의 값입니다. lr 을 0.1 로 바꾸세요.")
    if not math.isclose(value, expected, rel_tol=1e-3):
        return Feedback(False, f"lr = 0.1, nb_epochs = 100 으로 학습한 뒤 마지막 cost 를 넣으세요 (받은 값 {value:g}).")
    return Feedback(True, f"cost {expected:.2e}: lr = 0.01 의 {slow:.2e} 보다 훨씬 작습니다. "
                          f"lr 이 크면 (안정 한계 안에서는) 더 빨리 수렴합니다.")


# ----------------------------------------------------------------- 05 nn.Module
def check_model(model):
    """Exercise 5-1: an nn.Module whose forward maps [m, 1] to [m, 1] with one weight and one bias."""
    if _is_blank(model):
        return BLANK
    if isinstance(model, type):
        return Feedback(False, "클래스가 아니라 객체를 넘기세요: LinearRegressionModel() 처럼 괄호를 붙입니다.")
    if not isinstance(model, nn.Module):
        return Feedback(False, f"nn.Module 객체여야 하는데 {type(model).__name__} 입니다.")
    n_params = sum(p.numel() for p in model.parameters())
    try:
        out = model(torch.FloatTensor([[1.0], [2.0], [3.0]]))
    except Exception as exc:
        return Feedback(False, f"model(x_train) 을 계산하다 {type(exc).__name__}: {exc}  "
                               f"입력 1개, 출력 1개이니 nn.Linear(1, 1) 입니다.")
    if not isinstance(out, torch.Tensor) or list(out.shape) != [3, 1]:
        return Feedback(False, "forward 는 x 와 같은 [m, 1] 텐서를 돌려주어야 합니다: return self.linear(x).")
    if n_params != 2:
        return Feedback(False, f"학습할 숫자가 W, b 두 개여야 하는데 {n_params} 개입니다: nn.Linear(1, 1) 을 쓰세요.")
    return Feedback(True, "nn.Linear(1, 1) 안에 W (weight) 와 b (bias) 가 들어 있습니다.")


def check_model_prediction(prediction):
    """Exercise 5-2: ``model(torch.FloatTensor([[4]]))`` -> a tensor of shape [1, 1]."""
    if _is_blank(prediction):
        return BLANK
    problem = _tensor_problem(prediction, "prediction", [1, 1])
    if problem:
        return Feedback(False, problem + " 입력도 [[4.0]] 처럼 [1, 1] 로 넣으세요.")
    if not math.isclose(prediction.item(), 8.0, abs_tol=0.5):
        return Feedback(False, f"학습이 끝난 모델이라면 8 가까이 나와야 하는데 {prediction.item():.3f} 입니다. "
                               f"학습 셀을 먼저 실행했나요?")
    return Feedback(True, f"H(4) = {prediction.item():.3f}. 모델은 x_train 과 같은 꼴의 입력을 받습니다.")


# ----------------------------------------------------------------- 06 how GD minimises cost
def check_gradients(gradients):
    """Exercise 6-1: ``gradients(x_train, y_train, W, b)`` -> (dW, db), checked against autograd."""
    if _is_blank(gradients):
        return BLANK
    if not callable(gradients):
        return Feedback(False, f"함수를 넘겨야 하는데 {type(gradients).__name__} 입니다.")
    x_train = torch.FloatTensor([[1.0], [2.0], [3.0], [5.0]])
    y_train = torch.FloatTensor([[2.0], [3.0], [7.0], [9.0]])
    m = len(x_train)
    for W0, b0 in ((0.0, 0.0), (1.5, -0.5), (3.0, 2.0)):
        W = torch.tensor([W0], requires_grad=True)
        b = torch.tensor([b0], requires_grad=True)
        torch.mean((x_train * W + b - y_train) ** 2).backward()
        try:
            result = gradients(x_train, y_train, W.detach().clone(), b.detach().clone())
            if _is_blank(result):
                return BLANK
            dW, db = result
            got = (float(dW), float(db))
        except Exception as exc:
            return Feedback(False, f"함수를 실행하다 {type(exc).__name__}: {exc}  (dW, db) 두 값을 돌려주세요.")
        want = (W.grad.item(), b.grad.item())
        if all(math.isclose(g, w, rel_tol=1e-4, abs_tol=1e-5) for g, w in zip(got, want)):
            continue
        ratios = [g / w for g, w in zip(got, want) if abs(w) > 1e-6]
        hints = ((m / 2, "2/m 을 통째로 빠뜨렸습니다: 합을 2/m 으로 곱해야 평균의 미분입니다."),
                 (m, "1/m 을 빠뜨렸습니다: cost 가 평균이므로 gradient 도 m 으로 나눕니다."),
                 (0.5, "2 를 빠뜨렸습니다: (e)^2 의 미분은 2e 입니다."),
                 (-1.0, "부호가 반대입니다: 오차는 H(x) - y 입니다."))
        for ratio, hint in hints:
            if ratios and all(math.isclose(r, ratio, rel_tol=1e-3) for r in ratios):
                return Feedback(False, hint)
        if math.isclose(got[1], want[1], rel_tol=1e-4, abs_tol=1e-5):
            return Feedback(False, "db 는 맞고 dW 가 틀렸습니다: dW 는 오차에 x 를 곱해서 더합니다.")
        return Feedback(False, f"W = {W0}, b = {b0} 에서 autograd 는 (dW, db) = ({want[0]:.4f}, {want[1]:.4f}) "
                               f"인데 ({got[0]:.4f}, {got[1]:.4f}) 가 나왔습니다.")
    return Feedback(True, "손으로 구한 gradient 가 autograd 와 같습니다.")


def check_max_lr(lr):
    """Exercise 6-2: the largest learning rate for which gradient descent still converges (within 2 %)."""
    value, feedback = _number_answer(lr, "lr")
    if feedback is not None:
        return feedback
    x_train, _ = load_train_data()
    limit = stability_limit(x_train)
    if value > limit * 1.02:
        return Feedback(False, f"lr = {value:g} 이면 발산합니다. 더 작은 값에서 찾아보세요.")
    if value < limit * 0.98:
        return Feedback(False, f"lr = {value:g} 보다 큰 lr 도 수렴합니다. 조금 더 올려 보세요.")
    return Feedback(True, f"한계는 2 / λ_max = {limit:.4f} 입니다.")
