"""Checkers of Lab-02-5 to Lab-02-7: a prediction, a final cost, gradients, the limit of lr, a model."""

from functools import lru_cache

import torch
import torch.nn as nn

from ..data import _column, load_train_data
from ..training import stability_limit, train_sgd
from .core import (BLANK, Feedback, Mistake, _agrees, _as_number, _cases, _error_feedback, _fmt, _is_blank,
                   _judge_function, _judge_number, _read_numbers, _right, _source_facts, _untouched, _what, _wrong)

_FIVE = (_column([1, 2, 3, 4, 5]), _column([2, 4, 6, 8, 10]))    # the five learners of Lab-02-1
_LINEAR = "`nn.Linear(1, 1, bias=False)`"                        # the model of H(x) = Wx


@lru_cache(maxsize=64)
def _history(lr, nb_epochs, W0=0.0, b0=0.0, five=False):
    return train_sgd(*(_FIVE if five else load_train_data()), lr=lr, nb_epochs=nb_epochs, W0=W0, b0=b0)


def check_prediction(prediction):
    """Exercise "10시간 공부하면?": ``prediction_10h`` = 10 W + b of lesson 5's ``history`` (lr 0.01, 1001 updates)."""
    history, slides = _history(0.01, 1000), _history(0.01, 999)      # slides: the slides' loop, 1000 updates
    mistakes = [Mistake(*row) for row in (
        (20.0, "20점은 정답 규칙 y = 2x의 값입니다. 학습한 W와 b로 계산한 H(10) = 10 * W + b를 넣으세요."),
        (10 * history.W, "10 * W만 계산했습니다: b를 더하세요(H(10) = 10 * W + b)."),
        (history.W + 10 * history.b, "W와 b가 바뀌었습니다: 10 * b + W가 아니라 10 * W + b입니다."),
        (10 * history.W - history.b, "b를 뺐습니다: H(10) = 10 * W + b입니다."),
        (0.0, "학습 전의 W = 0, b = 0으로 계산했습니다: 학습이 끝난 `history.W`와 `history.b`를 쓰세요."),
        (history.predict(4.0), "4시간의 점수입니다: 이 연습은 10시간입니다(H(10) = 10 * W + b)."),
        (10 * round(history.W, 3) + round(history.b, 3), "거의 맞았습니다: 로그에 찍힌, 소수 셋째 자리로 반올림한 W와 b로 "
         "계산했습니다. `history.W`와 `history.b`를 그대로 쓰세요."),
        (slides.predict(10.0), "거의 맞았습니다: 슬라이드의 반복문처럼 1000번 update한 W와 b로 계산한 값과 "
         "같습니다. 이 연습은 `history`(1001번 update)의 W와 b를 씁니다."))]
    return _judge_number(prediction, "prediction_10h", history.predict(10.0), mistakes, f"H(10) = 10 * W + b ≈ "
                         f"{_fmt(history.predict(10.0))}: 규칙 y = 2x의 20점에 가깝지만, 학습 데이터(1~3시간)에서 멀어질수록 오차가 커집니다.",
                         "학습이 끝난 `history.W`와 `history.b`로 10 * W + b를 계산해 `prediction_10h`에 넣으세요(입력한 값: {shown}).")


def check_fast_lr_cost(final_cost):
    """Exercise "lr = 0.1": ``final_cost`` = ``fast.costs[-1]`` of ``fast = train_sgd(..., lr=0.1, nb_epochs=100)``."""
    use = "`fast = train_sgd(x_train, y_train, lr=0.1, nb_epochs=100)`의 `fast.costs[-1]`을 쓰세요."   # 마이너스 일: 을
    if whole := "cost 목록" if isinstance(final_cost, (list, tuple)) else "학습 기록" if hasattr(final_cost, "costs") else "":
        return _wrong(f"{whole} 전체가 아니라 마지막 cost, 숫자 하나를 쓰세요: `final_cost = fast.costs[-1]`.")
    fast, slow = _history(0.1, 100), _history(0.01, 100)
    mistakes = [Mistake(*row) for row in ((slow.costs[-1], "lr = 0.01로 100 epoch 학습한 값입니다: `lr=0.1`로 바꾸세요."),
        (0.0, f"0이 아닙니다: lr = 0.1로 1000 epoch 학습하면 cost가 float32로 0이 되지만, 100 epoch 뒤에는 아직 0보다 큽니다. {use}"),
        (_history(0.01, 1000).costs[-1], f"lr = 0.01, `nb_epochs=1000`으로 학습한 마지막 cost(위에서 학습한 `history`의 값)입니다. {use}"),
        (fast.costs[0], "첫 cost(epoch 0, 학습 전)입니다: 마지막 cost는 `fast.costs[-1]`입니다."),
        (fast.W, "학습한 W입니다: 마지막 cost를 쓰세요(`fast.costs[-1]`)."),
        (fast.costs[-2], "epoch 99의 cost입니다: `nb_epochs=100`이면 epoch 0부터 100까지 101번 학습합니다. 마지막은 `fast.costs[-1]`입니다."))]
    return _judge_number(final_cost, "final_cost", fast.costs[-1], mistakes, f"cost {_fmt(fast.costs[-1])}: lr = 0.01일 "
                         f"때의 {_fmt(slow.costs[-1])}보다 훨씬 작습니다. lr이 크면(발산하지 않는 한) 같은 epoch에 더 많이 "
                         "내려갑니다.", use + " (입력한 값: {shown})")


_GRAD_CASES = _cases("my_gradients", *[(_column(x), _column(y), torch.tensor([W]), torch.tensor([b]))
                                        for x, y in (((1, 2, 3), (2, 4, 6)), ((1, 2, 3, 5), (2, 3, 7, 9)))
                                        for W, b in ((0.0, 0.0), (1.5, -0.5))])
_GRAD_MISTAKES = [Mistake(lambda x, y, W, b, f=f: f(*_autograd_gradients(x, y, W, b), len(x)), hint) for f, hint in (
    (lambda dW, db, m: (db, dW), "(dW, db)의 순서가 바뀌었습니다: `return dW, db`."),   # f: what it makes of the right (dW, db)
    (lambda dW, db, m: (2 * dW, 2 * db), "6.1의 공식(2/m) 그대로입니다: 이 cost는 1/2 배라서, 제곱을 미분할 때 나오는 2가 지워집니다."),
    (lambda dW, db, m: (dW / 2, db / 2), "cost의 1/2 배를 그대로 남겼습니다: 제곱을 미분할 때 나오는 2가 그것을 지워서 1/m이 됩니다."),
    (lambda dW, db, m: (m * dW, m * db), "m으로 나누지 않았습니다: cost가 평균이므로 gradient도 m으로 나눕니다."),
    (lambda dW, db, m: (-dW, -db), "부호가 반대입니다: 오차는 H(x) - y입니다."),
    (lambda dW, db, m: (db, db), "dW에 x를 곱하지 않았습니다: dW는 오차에 x를 곱해서 더합니다."),
    (lambda dW, db, m: (dW, dW), "db에 x를 곱했습니다: db는 오차를 그대로 더합니다."),
    (lambda dW, db, m: (m / 3 * dW, m / 3 * db), "데이터 개수를 3으로 고정했습니다(숫자 3이나 "
     "전역 `x_train`의 길이): `m = len(x_train)`처럼 인자로 받은 tensor에서 구하세요."))] + [
    Mistake(lambda x, y, W, b: _autograd_gradients(x, y, W, 0 * b), "오차에 b가 빠졌습니다.")]    # the error at b = 0
_AUTOGRAD = _wrong("autograd(`backward()`나 `torch.autograd`)로 구했습니다: 이 연습은 gradient 공식을 직접 유도해 코드로 옮기는 "
                   "것입니다. `error = x_train * W + b - y_train`으로 dW와 db를 계산하세요.")


def _autograd_gradients(x, y, W, b):     # the reference: autograd's gradients of (1/2m) sum (Wx + b - y)^2 at (W, b)
    W, b = W.clone().requires_grad_(True), b.clone().requires_grad_(True)
    return tuple(float(g) for g in torch.autograd.grad(torch.mean((x * W + b - y) ** 2) / 2, (W, b)))


def check_gradients(gradients):
    """Exercise "1/2m cost의 gradient": ``my_gradients`` -> (dW, db) by a formula (not autograd), against autograd."""
    def run(fn, x, y, W, b):     # autograd inside ``fn`` leaves W or b needing gradients
        out = fn(x, y, W, b)
        autograd = W.requires_grad or b.requires_grad or W.grad is not None
        return _AUTOGRAD if autograd else _read_numbers(out, ["dW", "db"], "my_gradients")
    if callable(gradients) and _source_facts(gradients)[0] & {"backward", "grad"}:     # 6.1's function is no autograd
        return _AUTOGRAD
    return _judge_function(gradients, "my_gradients", _GRAD_CASES, run, _autograd_gradients, _GRAD_MISTAKES,
                           "손으로 구한 gradient가 autograd와 같습니다: cost의 1/2 배 때문에 제곱을 미분할 때 나오는 2가 지워져서 6.1의 절반입니다.")


#: lr converges usefully: train_sgd(x_more, y_more, lr, nb_epochs=2000) ends below 1% of its first cost; within 0.005.
MAX_LR_EPOCHS, MAX_LR_FALL, MAX_LR_BAND = 2000, 0.01, 0.005
#: Other limits a learner may bring: near one, the hint says which, then what the experiment does.
_OTHER_LIMITS = ((stability_limit(load_train_data()[0]), "3명의 데이터(`x_train`)의 한계(약 0.18)"),
                 (1 / 11, "b를 0으로 고정하고 W만 학습할 때의 한계(1/11 ≈ 0.0909)"),
                 (3 / 14, "3명의 데이터에서 b를 고정할 때의 한계(3/14 ≈ 0.214)"))


def check_max_lr(lr):
    """Exercise "한계 learning rate" (five learners, limit 1/(6 + √34)): limit - 0.005 <= lr < limit, and converging."""
    if isinstance(number := _as_number(lr, "max_lr"), Feedback):
        return number
    (value, decimals), limit = number, stability_limit(_FIVE[0])
    shown = repr(lr) if type(lr) is float else f"{value:.8g}"
    other = next((what for x, what in _OTHER_LIMITS if _agrees(value, decimals, x) or abs(value - x) < 1e-4), None)
    entered = f"입력한 값: {shown} —" + (f" {other}에 가깝습니다. 이 연습은 다섯 명의 데이터(`x_more`, `y_more`)에서 W와 b를 "
                                         "함께 학습할 때의 한계입니다. 실험하면:" if other else "")
    if value <= 0:
        return _wrong(f"입력한 값: {shown} — learning rate는 0보다 커야 합니다.")
    history = _history(min(value, 1e30), MAX_LR_EPOCHS, five=True)      # float32 holds up to 3.4e38
    experiment = f"`train_sgd(x_more, y_more, lr={shown}, nb_epochs=2000)`"
    first, last = history.costs[0], history.costs[-1]
    if value >= limit * (1 - 1e-12):
        what = (f"epoch {history.diverged_at}에서 발산합니다." if history.diverged else f"cost {_fmt(first)} → {_fmt(last)}"
                f"({'커집니다' if last >= first else '거의 줄지 않습니다'}), 수렴하지 않습니다.")
        return _wrong(f"{entered} 한계와 같거나 큽니다. {experiment}: {what} 더 작은 값을 쓰세요.")
    if value < limit - MAX_LR_BAND:
        return _wrong(f"{entered} 더 큰 lr도 수렴합니다: 한계와의 차이가 0.005 안이 될 때까지 올려 보세요.")
    if history.diverged or not last < MAX_LR_FALL * first:
        return _wrong(f"거의 맞았습니다(입력한 값: {shown}). 한계보다 작지만 너무 가까워서, {experiment}의 cost가 {_fmt(first)}에서 {_fmt(last)}"
                      f"까지만 줄어듭니다(처음의 {last / first:.0%}). 골짜기를 가로지르는 지그재그가 거의 줄지 않기 때문입니다. 조금 더 작은 값을 쓰세요.")
    return _right(f"다섯 명의 데이터에서 W와 b를 함께 학습할 때의 한계는 2/λmax = 1/(6 + √34) ≈ {limit:.6f}입니다. "
                  "3명의 데이터(약 0.18)보다 낮습니다: x가 클수록 cost의 골짜기가 급하게 휘어서 한계가 낮아집니다.")


def _model_output(model):
    """The output for x = [[1], ..., [5]] (a forward that ignores its x shows), or a Feedback on what went wrong."""
    try:
        with torch.enable_grad():
            out = model(torch.arange(1.0, 6.0).view(5, 1))
    except Exception as exc:   # noqa: BLE001 - the learner's forward failed
        return _wrong(f"입력이 1개(x의 열 1개)이니 {_LINEAR}입니다: nn.Linear의 첫 숫자는 입력 개수입니다."
                      ) if "cannot be multiplied" in str(exc) else _error_feedback(exc)
    if _is_blank(out) or not isinstance(out, torch.Tensor):
        return BLANK if _is_blank(out) else _wrong(
            "forward가 아무것도 돌려주지 않습니다: `return self.linear(x)`처럼 `return`을 쓰세요." if out is None else
            f"forward는 tensor를 돌려주어야 하는데 {_what(out)}입니다: `return self.linear(x)`.")
    if list(out.shape) != [5, 1]:
        return _wrong(f"출력이 {out.shape[1]}개입니다: 출력 1개이니 {_LINEAR}입니다." if out.dim() == 2 and out.shape[0] == 5 else
                      f"forward는 받은 x와 같은 [m, 1] tensor를 돌려주어야 하는데, [5, 1]을 넣으니 {list(out.shape)}입니다. "
                      "받은 x로 계산하세요: `return self.linear(x)`.")
    return out


def check_model(model):
    """Exercise "b 없는 MyModel": ``my_model``, an object of an own nn.Module class, H(x) = Wx with one parameter W."""
    if not isinstance(model, nn.Module):
        return _wrong(f"`my_model`에는 nn.Module을 상속한 클래스의 객체를 넣어야 하는데 {_what(model)}입니다: "
                      "`my_model = MyModel()`처럼 괄호를 붙입니다.")
    cls, parameters, forward = type(model), list(model.parameters()), type(model).__dict__.get("forward")
    if cls.__module__.startswith("torch."):
        return _wrong(("`nn.Module()`은 빈 틀이고" if cls is nn.Module else "`nn.Linear`나 `nn.Sequential`도 같은 계산을 하지만")
                      + ", 이 연습은 클래스를 직접 만드는 것입니다: `class MyModel(nn.Module):`에 `__init__`과 `forward`를 쓰세요.")
    if not parameters and (forward is None or _untouched(forward) or Ellipsis in vars(model).values()):
        return BLANK
    if not any("forward" in c.__dict__ for c in cls.__mro__ if c is not nn.Module) or not parameters:
        return _wrong(f"`my_model.parameters()`가 비어 있습니다: `__init__`에서 `self.linear = {_LINEAR[1:-1]}`처럼 만들어야 "
                      "optimizer가 W를 찾습니다(그냥 tensor는 parameter가 아닙니다)." if parameters == [] else
                      "forward가 없습니다(철자: `forward`): `def forward(self, x): return self.linear(x)`를 쓰세요.")
    if isinstance(out := _model_output(model), Feedback):
        return out
    count, trainable = sum(p.numel() for p in parameters), [p for p in parameters if p.requires_grad]
    bias = count == 2 and any(name.endswith("bias") for name, _ in model.named_parameters())
    if count != 1:
        return _wrong(f"`my_model`에 b가 있습니다: 이 연습은 b 없는 H(x) = Wx입니다. {_LINEAR}처럼 b를 빼세요." if bias else
                      f"`my_model`의 학습할 숫자가 W 하나여야 하는데 {count}개입니다: {_LINEAR}.")
    grads = (torch.autograd.grad(out, trainable, torch.ones_like(out), allow_unused=True)
             if out.requires_grad and trainable else [])
    if len(grads) != len(parameters) or any(g is None for g in grads):
        return _wrong("W의 requires_grad가 False라 학습해도 바뀌지 않습니다: `requires_grad_(False)`를 지우세요."
                      if len(trainable) < len(parameters) else "forward의 결과가 W로 계산되지 않았습니다(x만으로 계산했거나 "
                      "`.detach()`로 끊었습니다): 그러면 학습해도 W가 바뀌지 않습니다. `return self.linear(x)`처럼 만든 층으로 계산하세요.")
    H = out.detach().flatten().tolist()        # H(1), ..., H(5): a line first, then through the origin
    if any(abs(H[i] - 2 * H[i + 1] + H[i + 2]) > 1e-5 * (1 + abs(H[i + 2])) for i in range(3)):
        return _wrong("forward의 결과가 x에 비례하는 직선이 아닙니다(x = 1, 2, 3에서 "
                      f"{', '.join(_fmt(h) for h in H[:3])}): H(x) = Wx이니 `return self.linear(x)`처럼 층의 결과를 그대로 돌려주세요.")
    if abs(H0 := 2 * H[0] - H[1]) > 1e-5:      # H(0) = 2 H(1) - H(2) on a line
        return _wrong(f"x = 0에서 H(0) = {_fmt(H0)}입니다: H(x) = Wx는 원점을 지나니, forward에서 더한 값을 빼세요.")
    return _right(f"{_LINEAR} 안에는 W(weight) 하나만 있습니다: H(x) = Wx는 원점을 지나는 직선입니다.")


def check_model_prediction(prediction):
    """Exercise "model로 예측": ``prediction_6h``, H(6) of lesson 7's ``model`` (seed 1 start), not of W = b = 0."""
    if isinstance(prediction, torch.Tensor) and prediction.numel() > 1:
        return _wrong(f"`prediction_6h`에는 6시간 하나의 예측만 넣어야 하는데 {_what(prediction)}입니다: "
                      "`model(torch.FloatTensor([[6]]))`처럼 6시간 하나만 넣으세요.")
    with torch.random.fork_rng():            # where lesson 7's model starts: torch.manual_seed(1); nn.Linear(1, 1)
        torch.manual_seed(1)
        W0, b0 = (p.item() for p in nn.Linear(1, 1).parameters())
    trained, zero = _history(0.01, 1000, W0, b0), _history(0.01, 1000)
    mistakes = [Mistake(*row) for row in (
        (zero.predict(6.0), "W = b = 0에서 시작한 학습(`history`나 `model_zero`)의 값입니다. 위에서 학습한 "
         "`model`은 `torch.manual_seed(1)`의 무작위 시작점에서 학습했습니다: `model`에 넣으세요."),
        (6 * W0 + b0, "학습 전 model의 값입니다: 학습하는 셀을 먼저 실행하고, 학습한 `model`로 예측하세요."),
        (12.0, "12점은 정답 규칙 y = 2x의 값입니다: 학습한 `model`에 [[6]]을 넣은 결과를 반올림하지 말고 쓰세요."),
        (trained.predict(4.0), "4시간의 점수입니다: 이 연습은 6시간입니다(`[[6]]`)."),
        (zero.predict(4.0), "W = b = 0에서 시작한 학습의 4시간 점수입니다: 이 연습은 `model`의 6시간입니다."))]
    shape = list(prediction.shape) if isinstance(prediction, torch.Tensor) else None
    note = ("" if shape == [1, 1] else " 참고: model의 출력은 [1, 1] tensor입니다. `.item()`을 빼면 tensor 그대로입니다."
            if shape is None else " 참고: 입력을 `torch.FloatTensor([[6]])`처럼 [1, 1] 꼴로 넣으면 결과도 [1, 1] "
            f"tensor입니다(지금은 shape {shape}).")
    return _judge_number(prediction, "prediction_6h", trained.predict(6.0), mistakes, f"H(6) = "
                         f"{_fmt(trained.predict(6.0))}입니다. model은 `x_train`과 같은 꼴([데이터 개수, 1])의 입력을 받습니다.{note}",
                         "학습한 `model`에 `torch.FloatTensor([[6]])`을 넣은 결과를 `prediction_6h`에 넣으세요(입력한 값: "
                         "{shown}). 학습하는 셀을 먼저 실행했는지, 새로 만든(학습하지 않은) model을 쓰지 않았는지 보세요.")

