"""Checkers of Lab-02-1 to Lab-02-4: data, W and b, hypothesis, cost, the three lines of a training step."""

import torch

from ..data import _column, load_train_data
from .core import (BLANK, Feedback, Mistake, _cases, _close, _is_blank, _judge_function, _judge_number,
                   _listed, _read_numbers, _right, _shown, _source_facts, _tensor_problem, _untouched, _what, _wrong)


def check_x_test(x_test):
    """Exercise "4시간 공부하면?": ``x_test_4h`` is a real tensor of shape [1, 1] holding 4."""
    if problem := _tensor_problem(x_test, "x_test_4h", [1, 1]) or (
            x_test.item() != 4 and f"`x_test_4h`의 값은 4(4시간)여야 하는데 {x_test.item():.7g}입니다."):
        return _wrong(problem)
    return _right("`x_test_4h`는 `x_train`과 같은 꼴([데이터 개수, 1])의 실수 tensor입니다.")


def check_more_data(x_more, y_more):
    """Exercise "다섯 명의 데이터": 1..5 hours and 2..10 points, real tensors of shape [5, 1]."""
    hours, points = [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 4.0, 6.0, 8.0, 10.0]
    if [t.flatten().tolist() if isinstance(t, torch.Tensor) else None for t in (x_more, y_more)] == [points, hours]:
        return _wrong("`x_more`와 `y_more`가 바뀌었습니다: `x_more`는 입력(공부한 시간 1~5), `y_more`는 출력(점수 2~10)입니다.")
    for t, name, values, like in ((x_more, "x_more", hours, "x_train"), (y_more, "y_more", points, "y_train")):
        if problem := _tensor_problem(t, name, [5, 1], like) or (t.flatten().tolist() != values and (
                f"`{name}`의 값이 다릅니다. 입력한 값: {_listed(t.flatten().tolist())}, 정답: {_listed(values)}.")):
            return _wrong(problem)
    return _right("입력 따로, 출력 따로, 둘 다 [5, 1]입니다.")


def check_parameters(W, b):
    """Exercise "학습할 W, b": ``my_W``, ``my_b`` two leaf tensors that require grad: W = 1.5, b = -0.5 (not zeros)."""
    if isinstance(W, torch.Tensor) and W is b:
        return _wrong("`my_W`와 `my_b`가 같은 tensor 하나입니다(`my_W = my_b = ...`). 따로 두 번 만드세요.")
    for t, name, value in ((W, "my_W", 1.5), (b, "my_b", -0.5)):        # 마이 더블유, 마이 비: both take 는
        make = f"`torch.tensor([{value}], requires_grad=True)`처럼"
        if problem := (f"에는 tensor를 넣어야 하는데 {_what(t)}입니다: {make} 만드세요." if not isinstance(t, torch.Tensor) else
                       f"의 dtype은 {t.dtype}(실수가 아님)입니다: gradient는 실수 tensor에만 있습니다." if not t.is_floating_point()
                       else f"에는 숫자 하나가 들어가야 하는데 shape {list(t.shape)}입니다: {make} 만드세요." if t.numel() != 1
                       else "의 requires_grad가 False입니다: `requires_grad=True`가 없으면 gradient를 계산하지 않아 학습할 수 없습니다."
                       if not t.requires_grad else
                       f"는 계산의 결과라서(예: `torch.zeros(1, requires_grad=True) + {value}`) optimizer에 넣을 수 없습니다. "
                       f"{make} 처음부터 그 값으로 만드세요." if not t.is_leaf else
                       f"는 {value:g}에서 시작해야 하는데 {t.item():g}입니다: {make} 만드세요." if t.item() != value else None):
            return _wrong(f"`{name}`{problem}")
    return _right("W = 1.5, b = -0.5에서 시작하고, torch가 gradient를 계산할 tensor입니다.")


def check_hypothesis(hypothesis):
    """Exercise "W = 2, b = 1의 hypothesis": ``my_hypothesis`` on x_train is [[3], [5], [7]], a real tensor."""
    if problem := _tensor_problem(hypothesis, "my_hypothesis", [3, 1]):
        real = isinstance(hypothesis, torch.Tensor) and hypothesis.is_floating_point()
        return _wrong(problem + (" [3, 1]과 1차원 [3]이 만나 broadcasting되어 [3, 3]이 되었습니다: W와 b는 숫자 하나"
                                 "(예: `torch.FloatTensor([1])`)로 쓰세요." if real and list(hypothesis.shape) == [3, 3] else
                                 " `x_train * W + b`는 `x_train`과 같은 [3, 1]이 됩니다." if real else ""))
    values = tuple(round(v, 4) for v in hypothesis.detach().double().flatten().tolist())
    mistakes = [Mistake(*row) for row in (
        ((3.0, 4.0, 5.0), "W와 b가 바뀌었습니다: `x_train * b + W`가 아니라 `x_train * W + b`입니다."),
        ((2.0, 4.0, 6.0), "값이 [2, 4, 6]입니다: b = 1을 더하지 않았거나(`x_train * W`), 데이터 `y_train`을 "
         "그대로 넣었습니다. H(x)는 `x_train * W + b`로 계산합니다."),
        ((3.0, 6.0, 9.0), "b도 x에 곱했습니다: `x_train * (W + b)`가 아니라 `x_train * W + b`입니다."),
        ((4.0, 6.0, 8.0), "괄호를 보세요: `(x_train + b) * W`가 아니라 `x_train * W + b`입니다."),
        ((0.0, 0.0, 0.0), "W = 0, b = 0인 tensor로 계산했습니다: 이 연습은 W = 2, b = 1입니다."),
        ((5.0, 9.0, 13.0), "`x_train` 대신 `y_train`에 W를 곱했습니다: 입력은 `x_train`입니다."))]
    hint = next((m.hint for m in mistakes if values == m.test), None)
    if hint or values != (3.0, 5.0, 7.0):
        return _wrong(hint or f"W = 2, b = 1이면 2x + 1 = [3, 5, 7]인데 {_listed(values)}입니다.")
    return _right("H(x) = 2x + 1이 x = 1, 2, 3에서 3, 5, 7입니다.")


#: The lesson's data at W = b = 0 and at W = 1.5 (a [3] - [3, 1] broadcast shows), 4 points (a hard-coded m shows).
_COST_CASES = _cases("my_mae", *[(_column(h), _column(y)) for h, y in (
    ([0, 0, 0], [2, 4, 6]), ([1.5, 3, 4.5], [2, 4, 6]), ([3, 5, 3.5, 9], [2, 4, 6, 8]))])
_MAE = lambda h, y: (float(torch.mean(torch.abs(h - y))),)     # noqa: E731 - the reference, mean(|H(x) - y|)
_COST_MISTAKES = [Mistake(lambda h, y, f=f: (float(f(h - y, h, y)),), hint) for f, hint in (
    (lambda e, h, y: torch.mean(e ** 2), "오차를 제곱했습니다: 그것은 MSE입니다. MAE는 오차의 절댓값(`torch.abs`)을 평균합니다."),
    (lambda e, h, y: torch.mean(torch.abs(h - y.flatten())), "shape이 다른 tensor를 뺐습니다(`.flatten()`, "
     "`.squeeze()` 등): [3, 1] - [3]은 broadcast되어 [3, 3]이 됩니다. 둘 다 [m, 1] 그대로 빼세요."),
    (lambda e, h, y: torch.sum(e.abs()), "평균 대신 합을 구했습니다(`torch.sum`): 데이터 개수 m으로 나누지 않았습니다."),
    *[(lambda e, h, y, s=s: s * torch.mean(e), "절댓값이 없습니다: +오차와 -오차가 서로 지워집니다.") for s in (1, -1)],   # either sign
    (lambda e, h, y: torch.mean(e).abs(), "오차를 먼저 평균하고 절댓값을 씌웠습니다: 오차마다 절댓값을 씌운 뒤 평균을 냅니다."),
    (lambda e, h, y: torch.sum(e.abs()) / (len(e) - 1), "m - 1로 나눴습니다: 평균은 데이터 개수 m으로 나눕니다."),
    (lambda e, h, y: torch.sum(e.abs()) / 3, "데이터 개수를 3으로 고정했습니다(숫자 3이나 `len(x_train)`): 개수는 "
     "인자로 받은 tensor에서 구하거나(`len(y_train)`) `torch.mean`을 쓰세요."))]


def check_cost_function(cost_fn):
    """Exercise "MAE cost 함수": ``my_mae(hypothesis, y_train)`` returns mean(|H(x) - y|) as a one-number tensor."""
    def run(fn, h, y):
        want, result = _MAE(h, y), fn(h.requires_grad_(True) * 1, y)   # not a leaf, as in the lesson
        if result is not None and not _is_blank(result) and not isinstance(result, torch.Tensor):
            return _wrong(f"`my_mae`는 tensor를 돌려주어야 하는데, 돌려준 값은 {_what(result)}입니다: " + (
                "`.item()`이나 `float()`를 빼고 " if isinstance(result, float) else "") + "계산한 tensor 하나를 그대로 "
                "돌려주세요(`return cost`, `cost.backward()`에 필요합니다).")
        values = _read_numbers(result, ["cost"], "my_mae")
        if not isinstance(values, Feedback) and not result.requires_grad and _close(values, want):
            return _wrong("값은 맞지만 계산 그래프가 끊겼습니다(`torch.tensor(...)`나 `.detach()`로 새로 만들었나요?): 계산한 "
                          "tensor를 그대로 돌려주어야 `cost.backward()`가 W와 b의 gradient를 구합니다.")
        return values
    return _judge_function(cost_fn, "my_mae", _COST_CASES, run, _MAE, _COST_MISTAKES,
                           "MAE = mean(|H(x) - y|): 오차의 절댓값의 평균입니다. MSE와 달리 큰 오차에 벌점을 더 주지 않습니다.")


def check_cost_value(cost):
    """Exercise "cost를 손으로": ``cost_W3_b1``, the cost of H(x) = 3x + 1 on the training data, (4 + 9 + 16) / 3."""
    mistakes = [Mistake(*row) for row in ((14 / 3, "b = 1을 빼고 계산했습니다(3.4의 식은 b = 0일 때입니다): H(x) = 3x + 1입니다."),
        (29.0, "제곱 오차의 합 29를 데이터 개수 m = 3으로 나누지 않았습니다."),
        (3.0, "오차 2, 3, 4를 제곱하지 않고 평균한 값이거나 절댓값을 평균한 값(MAE)입니다: 오차마다 제곱한 뒤 평균을 냅니다."),
        (9.0, "오차를 먼저 평균하고(3) 제곱했습니다: 오차마다 제곱한 뒤 평균을 냅니다."),
        (14.5, "m - 1 = 2로 나눴습니다: 평균은 데이터 개수 m = 3으로 나눕니다."),
        (29 / 6, "2로 한 번 더 나눴습니다(1/2m): 여기서 쓰는 cost는 제곱 오차의 평균 그대로입니다."),
        ((29 / 3) ** 0.5, "제곱근을 씌웠습니다(RMSE): cost는 제곱 오차의 평균 그대로입니다."),
        (5 / 3, "3.3의 H(x) = x + 1(또는 W와 b를 바꾼 H(x) = x + 3)의 cost입니다. 이 연습은 W = 3, b = 1입니다."),
        (56 / 3, "W = 0, b = 0일 때의 cost(3.2에서 계산한 값)입니다. 이 연습은 H(x) = 3x + 1입니다."),
        (0.0, "H(x) = 3x + 1은 정답 y = 2x와 다른 직선이라 오차가 있습니다: 4 - 2, 7 - 4, 10 - 6."))]
    return _judge_number(cost, "cost_W3_b1", sum((3 * x + 1 - 2 * x) ** 2 for x in (1, 2, 3)) / 3, mistakes,   # by hand
                         "(4 + 9 + 16) / 3 = 29/3 ≈ 9.6667입니다.", "`cost_W3_b1`: 오차 2, 3, 4를 제곱해 평균하세요(입력한 값: {shown}).")


_CALLS = {"zero_grad": ("`optimizer.zero_grad()`가", "`optimizer.zero_grad()`를", "gradient가 지워지지 않고 epoch마다 더해집니다(누적)."),
          "backward": ("`cost.backward()`가", "`cost.backward()`를", "gradient가 계산되지 않습니다."),    # 그래드, 백워드, 스텝
          "step": ("`optimizer.step()`이", "`optimizer.step()`을", "W와 b가 바뀌지 않습니다.")}
_ORDER = "순서는 `optimizer.zero_grad()` → `cost.backward()` → `optimizer.step()`입니다."
_STEP_RIGHT = {("zero_grad", "backward", "step"): "`zero_grad()` → `backward()` → `step()`: 항상 붙어 다니는 세 줄입니다.",
               ("backward", "step", "zero_grad"): "`zero_grad()`를 마지막에 두어도 됩니다: 다음 `backward()` 전에 gradient가 "
                                                  "비워지기 때문입니다. 강의는 `zero_grad()` → `backward()` → `step()` 순서로 씁니다."}
_STEP_MISTAKES = [Mistake(*row) for row in (     # test(calls made, _source_facts, whether W or b moved) -> {0}
    (lambda trace, facts, moved: trace.count("step") > 1 < trace.count("backward"), "`train_step`은 부를 때마다 "
     "한 epoch(update 한 번)만 합니다: 반복문은 함수 밖에 있으니, 함수 안에는 세 줄을 한 번씩만 쓰세요."),
    (lambda trace, facts, moved: facts[4], "`zero_grad()`나 `step()`을 다른 optimizer로 불렀습니다: "
     "받은 optimizer를 쓰는지 보세요. 함수 안에서 새로 만들지 말고 인자로 받은 `optimizer`로 부르세요."),
    (lambda trace, facts, moved: facts[3] and set(_CALLS) & facts[0] - set(trace),     # written, not run: below return
     "`return cost` 아래에 쓴 줄은 실행되지 않습니다: 세 줄을 `return` 위로 옮기세요."),
    (lambda trace, facts, moved: next((facts[1][e] for e in _CALLS if e in facts[1].keys() - trace), ""),
     "괄호 없이 쓴 줄이 있습니다(`{0}`): 함수는 `{0}()`처럼 `()`를 붙여야 실행됩니다."),
    (lambda trace, facts, moved: moved and "step" not in trace and "step" not in facts[0],
     "W와 b를 `optimizer.step()` 없이 직접 바꿨습니다(예: `W -= 0.01 * W.grad`). 이 연습은 받은 `optimizer`로 "
     "`optimizer.zero_grad()`, `cost.backward()`, `optimizer.step()`을 쓰는 것입니다."))]


def _run_steps(train_step, events=None):
    """(W, b) after each of two calls of ``train_step`` (or of ``events``) from 0 with lr 0.01, and the calls made."""
    x_train, y_train = load_train_data()
    W, b, log, states, traces = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True), [], [], []
    optimizer = torch.optim.SGD([W, b], lr=0.01)
    for name in ("zero_grad", "step"):     # record the calls made (backward: by hooks that die with this W and b)
        setattr(optimizer, name, lambda *a, _f=getattr(optimizer, name), _n=name, **k: (log.append(_n), _f(*a, **k))[1])
    torch.autograd.graph.register_multi_grad_hook((W, b), lambda grads: log.append("backward"), mode="any")
    for _ in range(2):
        start, cost = len(log), torch.mean((x_train * W + b - y_train) ** 2)
        if events is None and _is_blank(train_step(x_train, y_train, W, b, optimizer)):
            return BLANK
        for event in events or ():
            cost.backward(retain_graph=True) if event == "backward" else getattr(optimizer, event)()
        traces.append(tuple(log[start:]))
        states.append((W.item(), b.item()))
    return states, traces


def check_train_step(train_step):
    """Exercise "세 줄": two calls from W = b = 0 move W, b as the lecture does, by ``optimizer.step()``, in any order."""
    if not callable(train_step) or isinstance(train_step, type) or _untouched(train_step):     # no function, a template
        return _judge_function(train_step, "train_step", (), None, None, (), "")
    if isinstance(run := _run_steps(train_step), Feedback):     # BLANK: it returned the blank ``...``
        return run
    (states, traces), right, facts = run, _run_steps(None, tuple(_CALLS))[0], _source_facts(train_step)
    trace, moved = traces[0], states[-1] != (0.0, 0.0)
    if (matched := all(_close(s, r) for s, r in zip(states, right))) and sorted(trace) == sorted(_CALLS):   # each once
        return _right(_STEP_RIGHT.get(trace, "W와 b가 강의의 세 줄과 똑같이 바뀝니다."))
    if not any(traces) and not moved and facts[2]:
        return BLANK
    hint = next((m.hint.format(found) for m in _STEP_MISTAKES if (found := m.test(trace, facts, moved))), None)
    if hint or (not any(traces) and not moved):
        return _wrong(hint or f"함수가 세 줄 중 아무것도 부르지 않아 W와 b가 그대로입니다. {_ORDER}")
    problems = [f"{_CALLS[e][0]} 없습니다: {_CALLS[e][2]}" for e in _CALLS if e not in trace]     # missing, twice, late
    problems += [f"{_CALLS[e][1]} {trace.count(e)}번 불렀습니다: 한 epoch에 한 번입니다." for e in _CALLS if trace.count(e) > 1]
    if "step" in trace and "backward" in trace and trace.index("step") < trace.index("backward"):
        problems.append("`optimizer.step()`을 `cost.backward()`보다 먼저 불렀습니다: `backward()`가 gradient를 구한 뒤에 부르세요.")
    if all(e in trace for e in _CALLS) and "zero_grad" in trace[trace.index("backward"):trace.index("step")]:
        problems.append("`optimizer.zero_grad()`가 `cost.backward()`와 `optimizer.step()` 사이에 있습니다: `step()`이 쓰기 "
                        "전에 gradient를 지워서 W와 b가 바뀌지 않습니다.")
    if problems and traces[0] == traces[1] and _run_steps(None, trace)[0] == states:
        return _wrong(("W와 b는 맞게 바뀌지만, " if matched else "") + " ".join(problems) + " " + _ORDER)
    if matched:     # the right numbers by other calls (W.grad cleared by hand, say)
        return _wrong(f"W와 b는 맞게 바뀌지만, 부른 것은 {' → '.join(map('`{}()`'.format, trace))}입니다: 세 줄을 한 번씩 쓰세요. {_ORDER}")
    return _wrong(("" if problems else "세 줄의 순서는 맞지만, ") + "W = b = 0, lr = 0.01에서 한 번, "
                  f"두 번 부른 뒤의 (W, b) 정답: {', '.join(map(_shown, right))}. 받은 결과: {', '.join(map(_shown, states))}. "
                  "cost 식(`torch.mean((hypothesis - y_train) ** 2)`), 받은 optimizer를 쓰는지, W와 b를 직접 바꾸지 않았는지 보세요.")
