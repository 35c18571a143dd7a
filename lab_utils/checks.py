"""Exercise checkers: each returns a Feedback that says right, or what exactly is wrong (in Korean).

A checker never raises; a blank (``...``) or an untouched template (read with ``ast``) gets ``BLANK``. Each
known mistake is one ``Mistake``; numbers go through ``_judge_number``, functions through ``_judge_function``.
References are computed here, never copied from a lesson. Hints name the exercise's variable and put no particle
after a value that varies. ``tests/test_graders.py`` holds a table of learner answers per exercise.
"""

import ast
import inspect
import math
import numbers
import textwrap
from collections import namedtuple
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, wraps

import torch
import torch.nn as nn
import torch.optim as optim

from .data import load_train_data
from .training import gradients_by_hand, stability_limit, train_sgd


@dataclass(frozen=True)
class Feedback:
    """A checker's verdict: ``ok`` (also its truth value), a Korean ``message``; ``blank``: the neutral prompt."""

    ok: bool
    message: str
    blank: bool = False
    def __bool__(self): return self.ok
    def __repr__(self): return ("✎ " if self.blank else "✔ 정답입니다! " if self.ok else "✘ 힌트: ") + self.message


#: What every exercise shows while its blank is still there (also when stored in the lesson).
BLANK = Feedback(False, "빈칸(...)을 채우고 셀을 다시 실행하세요.", blank=True)


#: One known mistake: what it is, how to recognise it (``test``: the wrong value it gives, a function of a grading
#: case giving its numbers, or a predicate on what the learner's code did), and the hint that names it.
Mistake = namedtuple("Mistake", "name test hint")


def _right(message): return Feedback(True, message)
def _wrong(message): return Feedback(False, message)


def _fmt(x, digits=4):
    """A number as hints print it: ``digits`` decimals, 2.00e-04 when small, 3 significant digits when large."""
    if x == 0 or not math.isfinite(x) or abs(x) >= 1e5:
        return "0" if x == 0 else f"{x:.3g}"
    return f"{x:.2e}" if abs(x) < 10 ** -(digits - 1) else f"{x:.{digits}f}"


def _what(value):
    """What a value is, in words a learner knows (never a Python type name)."""
    if isinstance(value, torch.Tensor):
        return f"shape {list(value.shape)}인 tensor"
    if isinstance(value, (list, tuple)):
        return f"값 {len(value)}개의 묶음"
    kinds = ((type(None), "빈 값(아무것도 없음)"), (bool, "참/거짓 값"), (type, "클래스 자체(객체가 아님)"), (nn.Module, "nn.Module 모델"),
             (complex, "복소수"), (numbers.Number, "숫자 하나"), (str, "문자열(따옴표 안의 글자)"), (dict, "이름과 값의 묶음"))
    kind = next((text for cls, text in kinds if isinstance(value, cls)), None)
    return kind or ("괄호 없이 쓴 함수(부르지 않은 함수)" if callable(value) else "다른 종류의 값")


def _is_blank(*answers):
    """True if any answer is the blank ``...`` (also inside a returned tuple or list)."""
    return any(a is Ellipsis or (isinstance(a, (tuple, list)) and any(x is Ellipsis for x in a)) for a in answers)


def _function_ast(fn):
    """The ``ast`` node of ``fn`` (def or lambda), or None; notebook cells work (IPython keeps them in linecache)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError, ValueError):
        return None
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
    named = [n for n in nodes if getattr(n, "name", "<lambda>") == getattr(fn, "__name__", "")]
    return (named or nodes or [None])[0]


def _untouched(fn):
    """True if ``fn``'s source is the template as given: only ``...``, ``pass``, a docstring, ``return [..., None]``."""
    def trivial(statement):
        value = statement.value if isinstance(statement, (ast.Expr, ast.Return)) else statement
        if isinstance(statement, ast.Pass) or (isinstance(statement, ast.Return) and value is None):
            return True
        if isinstance(value, ast.Tuple):
            return all(trivial(e) for e in value.elts)
        return isinstance(value, ast.Constant) and (value.value in (None, Ellipsis) or isinstance(value.value, str))
    node = _function_ast(fn)
    return node is not None and all(trivial(s) for s in ([node.body] if isinstance(node, ast.Lambda) else node.body))


def _source_facts(fn):
    """``fn``'s source: attributes called, named without a call, a ``...`` left, code after ``return``, and what
    ``zero_grad()``, ``step()`` are called on if not an argument (``my_optimizer``, or ``optimizer`` made anew)."""
    node = _function_ast(fn)
    nodes = list(ast.walk(node)) if node is not None else []
    calls = [n.func for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    blank = any(isinstance(n, ast.Pass) or (isinstance(n, ast.Constant) and n.value is Ellipsis) for n in nodes)
    body, called = node.body if isinstance(getattr(node, "body", None), list) else [], {c.attr for c in calls}
    returns = [i for i, s in enumerate(body) if isinstance(s, ast.Return)] + [len(body)]
    stored = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    other = {ast.unparse(c.value) for c in calls if c.attr in ("zero_grad", "step")} - ({
        a.arg for n in nodes if isinstance(n, ast.arguments) for a in n.args} - stored)
    return called, {n.attr for n in nodes if isinstance(n, ast.Attribute)} - called, blank, returns[0] < len(body) - 1, other


def _error_feedback(exc, note=""):
    """Feedback for an exception raised by the learner's code (``BLANK`` if a ``...`` caused it)."""
    known = (("xor", "`^`는 Python에서 XOR입니다. 제곱은 `** 2`로 씁니다(예: `error ** 2`)."),
             ("backward through the graph a second time", "`cost.backward()`를 한 번에 두 번 불렀습니다: epoch마다 한 번만 부르세요."),
             ("object has no attribute 'zero_'", "gradient가 아직 없는데 `.zero_()`를 불렀습니다: `optimizer.zero_grad()`를 쓰세요."),
             ("'axis'|numpy()", "numpy 함수(예: `np.mean`)는 tensor의 gradient를 계산하지 못합니다: `torch.mean`처럼 torch 함수를 쓰세요."))
    text = str(exc)
    hint = next((hint for key, hint in known if any(k in text.lower() or k in text for k in key.split("|"))), None)
    if "ellipsis" in text.lower() or hint:
        return _wrong(hint) if hint else BLANK
    if "must match the size" in text and note:
        return _wrong(f"인자로 받은 tensor 말고 다른 tensor(예: 위에서 만든 `x_train`, `y_train`)를 써서 크기가 맞지 않습니다. {note}")
    if isinstance(exc, NameError):
        return _wrong(f"정의되지 않은 이름이 있습니다: `{exc.name or text}`. 철자와, 위의 셀을 먼저 실행했는지 보세요.")
    return _wrong(f"코드를 실행하다 오류가 났습니다({type(exc).__name__}). 함수에 넘긴 인자와 계산을 한 줄씩 확인하세요. {note}".strip())


def _as_number(value, name):
    """``(float, decimals written)`` for one real number or one-element tensor (17: computed), else a Feedback."""
    def float32_decimals(x):     # the shortest number a float32 is: torch.tensor(4.6667) -> 4 decimals
        return next((k for k in range(13) if torch.tensor(round(x, k), dtype=torch.float32).item() == x), 17)
    where = f"`{name}`에는 숫자 하나를 넣어야 하는데"
    if _is_blank(value) or isinstance(value, str):
        return BLANK if _is_blank(value) else _wrong(f"숫자를 따옴표 없이 쓰세요: `{name}`에 넣은 값은 문자열 '{value}'입니다.")
    if isinstance(value, torch.Tensor):
        if value.numel() != 1 or value.is_complex() or value.dtype == torch.bool:
            return _wrong(f"{where} {_what(value)}(dtype {value.dtype})입니다.")
        number = float(value.item())
        decimals = float32_decimals(number) if value.dtype == torch.float32 else 17 if value.is_floating_point() else 0
    elif isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
        called = " 괄호를 붙여 불러서 나온 값을 쓰세요." if callable(value) and not isinstance(value, type) else ""
        return _wrong(f"{where} {_what(value)}입니다.{called}")
    else:
        number = float(value)
        exact = type(value) in (float, Decimal) and math.isfinite(number)      # as written: 4.6667, Decimal("4.6667")
        decimals = (0 if isinstance(value, numbers.Integral) else max(0, -Decimal(str(value)).as_tuple().exponent) if exact
                    else float32_decimals(number) if str(getattr(value, "dtype", "")) == "float32" else 17)
    return (number, decimals) if math.isfinite(number) else _wrong(f"{where} {number}입니다(유한한 숫자가 아님).")


def _agrees(value, decimals, expected):
    """``value`` (``decimals`` written) is ``expected`` rounded: two decimals (two digits below 0.1) or one more."""
    if value == expected or expected == 0 or not math.isfinite(expected):
        return abs(value - expected) <= 1e-9
    least = max(2, 1 - math.floor(math.log10(abs(expected))))
    k = min(max(decimals, least), least + 1)
    return abs(value - expected) <= 0.5 * 10.0 ** -k * (1 + 1e-9) + 1e-12 * abs(expected)


def _judge_number(answer, name, expected, mistakes, right, otherwise):
    """Blank, kind, right (rounded), a known mistake (``test``: its value), almost right, or ``otherwise``."""
    number = _as_number(answer, name)
    if isinstance(number, Feedback):
        return number
    value, decimals = number
    shown = repr(answer) if type(answer) is float else _fmt(value, 6).rstrip("0").rstrip(".") or "0"
    hints = [f"`{name}`: {m.hint}" for m in mistakes if _agrees(value, decimals, m.test)]
    if _agrees(value, decimals, expected) or hints:
        return _right(right) if _agrees(value, decimals, expected) else _wrong(" / ".join(dict.fromkeys(hints)))
    if decimals >= 1 and abs(value - expected) < min(10.0 ** -decimals, 0.05 * abs(expected)):   # coarse or cut off
        return _wrong(f"거의 맞았습니다(입력한 값: {shown}). 끝자리를 버리지 말고 반올림해서, 소수 둘째 자리 이상까지"
                      f"(0.1보다 작으면 유효숫자 두 자리 이상) 쓰세요.")
    return _wrong(otherwise.format(shown=shown))


def _tensor_problem(t, name, shape, like="x_train"):
    """A hint if ``t`` is not a real (floating) tensor of ``shape``, else None."""
    if not isinstance(t, torch.Tensor):
        return f"`{name}`에는 tensor를 넣어야 하는데 {_what(t)}입니다. `torch.FloatTensor(...)`로 만드세요."
    if not t.is_floating_point():
        return (f"`{name}`의 dtype은 {t.dtype}(실수가 아님)입니다. `{like}`처럼 실수여야 하니 `torch.FloatTensor`를 "
                f"쓰거나 4.0처럼 소수점을 붙이세요.")
    if list(t.shape) == list(shape):
        return None
    extra = (" 행과 열이 바뀌었습니다." if t.dim() == 2 and t.shape[0] == 1 and t.shape[1] == shape[0] != 1 else
             f" 데이터 개수가 {shape[0]}개여야 합니다." if t.dim() == 2 and t.shape[1] == 1 else "")
    return (f"`{name}`의 shape은 {list(shape)}이어야 하는데 {list(t.shape)}입니다.{extra} [[1], [2], ...]처럼 "
            f"한 줄에 하나씩(숫자 하나도 [[4]]처럼) [데이터 개수, 1] 꼴의 2차원으로 씁니다.")


def check_x_test(x_test):
    """Exercise "4시간 공부하면?": ``x_test_4h`` is a real tensor of shape [1, 1] holding 4."""
    problem = None if _is_blank(x_test) else _tensor_problem(x_test, "x_test_4h", [1, 1])
    if _is_blank(x_test) or problem:
        return _wrong(problem) if problem else BLANK
    return _right("`x_test_4h`는 `x_train`과 같은 꼴([데이터 개수, 1])의 실수 tensor입니다.") if x_test.item() == 4 else \
        _wrong(f"`x_test_4h`의 값은 4(4시간)여야 하는데 {x_test.item():.7g}입니다.")


def check_more_data(x_more, y_more):
    """Exercise "다섯 명의 데이터": 1..5 hours and 2..10 points, real tensors of shape [5, 1]."""
    if _is_blank(x_more, y_more):
        return BLANK
    hours, points = [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 4.0, 6.0, 8.0, 10.0]
    if all(isinstance(t, torch.Tensor) and t.numel() == 5 for t in (x_more, y_more)) \
            and x_more.flatten().tolist() == points and y_more.flatten().tolist() == hours:
        return _wrong("`x_more`와 `y_more`가 바뀌었습니다: `x_more`는 입력(공부한 시간 1~5), `y_more`는 출력(점수 2~10)입니다.")
    for t, name, values, like in ((x_more, "x_more", hours, "x_train"), (y_more, "y_more", points, "y_train")):
        problem = _tensor_problem(t, name, [5, 1], like)
        if problem or t.flatten().tolist() != values:
            got, want = (", ".join(f"{v:g}" for v in vs) for vs in (t.flatten().tolist() if not problem else [], values))
            return _wrong(problem or f"`{name}`의 값이 다릅니다. 입력한 값: [{got}], 정답: [{want}].")
    return _right("입력 따로, 출력 따로, 둘 다 [5, 1]입니다.")


def check_parameters(W, b):
    """Exercise "학습할 W, b": ``my_W``, ``my_b`` like ``torch.zeros(1, requires_grad=True)``, two leaf tensors."""
    if _is_blank(W, b) or (isinstance(W, torch.Tensor) and W is b):
        return BLANK if _is_blank(W, b) else _wrong("`my_W`와 `my_b`가 같은 tensor 하나입니다(`my_W = my_b = ...`). "
                                                    "따로 두 번 만드세요.")
    for t, name in ((W, "my_W"), (b, "my_b")):          # 마이 더블유, 마이 비: both take 는
        problem = (f"에는 tensor를 넣어야 하는데 {_what(t)}입니다: `torch.zeros(1, requires_grad=True)`처럼 만드세요."
                   if not isinstance(t, torch.Tensor) else
                   f"의 dtype은 {t.dtype}(실수가 아님)입니다: gradient는 실수 tensor에만 있습니다." if not t.is_floating_point()
                   else f"에는 숫자 하나가 들어가야 하는데 shape {list(t.shape)}입니다: `torch.zeros(1, ...)`." if t.numel() != 1
                   else "의 requires_grad가 False입니다. `requires_grad=True`가 없으면 torch가 gradient를 계산하지 않아 "
                   "학습할 수 없습니다." if not t.requires_grad else
                   "는 계산의 결과라서(예: `torch.zeros(1, requires_grad=True) * 1`) optimizer에 넣을 수 없습니다. "
                   "`torch.zeros(1, requires_grad=True)` 그대로 쓰세요." if not t.is_leaf else
                   f"는 0에서 시작해야 하는데 {t.item():g}입니다: `torch.zeros`를 쓰세요." if t.item() != 0 else None)
        if problem:
            return _wrong(f"`{name}`{problem}")
    return _right("W와 b는 0에서 시작하고, torch가 gradient를 계산할 tensor입니다.")


def check_hypothesis(hypothesis):
    """Exercise "W = 2, b = 1의 hypothesis": ``my_hypothesis`` on x_train is [[3], [5], [7]], a real tensor."""
    problem = None if _is_blank(hypothesis) else _tensor_problem(hypothesis, "my_hypothesis", [3, 1])
    if _is_blank(hypothesis) or problem:
        real = isinstance(hypothesis, torch.Tensor) and hypothesis.is_floating_point()
        return _wrong(problem + (" `x_train * W + b`는 `x_train`과 같은 [3, 1]이 됩니다." if real else "")) if problem else BLANK
    values = tuple(round(v, 4) for v in hypothesis.detach().double().flatten().tolist())
    mistakes = [Mistake(*row) for row in (
        ("swapped", (3.0, 4.0, 5.0), "W와 b가 바뀌었습니다: `x_train * b + W`가 아니라 `x_train * W + b`입니다."),
        ("no_b", (2.0, 4.0, 6.0), "b = 1을 더하지 않았습니다: `x_train * W + b`."),
        ("b_times_x", (3.0, 6.0, 9.0), "b도 x에 곱했습니다: `x_train * (W + b)`가 아니라 `x_train * W + b`입니다."),
        ("brackets", (4.0, 6.0, 8.0), "괄호를 보세요: `(x_train + b) * W`가 아니라 `x_train * W + b`입니다."),
        ("zeros", (0.0, 0.0, 0.0), "W = 0, b = 0인 tensor로 계산했습니다: 이 연습은 W = 2, b = 1입니다."),
        ("y_train", (5.0, 9.0, 13.0), "`x_train` 대신 `y_train`에 W를 곱했습니다: 입력은 `x_train`입니다."))]
    hint = next((m.hint for m in mistakes if values == m.test), None)
    if hint or values != (3.0, 5.0, 7.0):
        return _wrong(hint or f"W = 2, b = 1이면 2x + 1 = [3, 5, 7]인데 [{', '.join(f'{v:g}' for v in values)}]입니다.")
    return _right("H(x) = 2x + 1이 x = 1, 2, 3에서 3, 5, 7입니다.")


def _column(values): return torch.tensor([[float(v)] for v in values])
def _code(t): return "torch.FloatTensor([" + ", ".join(f"[{v:g}]" for v in t.flatten().tolist()) + "])"
def _close(a, b): return len(a) == len(b) and all(math.isclose(u, v, rel_tol=1e-4, abs_tol=1e-5) for u, v in zip(a, b))


def _judge_function(fn, name, cases, run, reference, mistakes, right):
    """Run ``fn`` on each ``(arguments, call)``; a ``call`` (data not the lesson's) is shown in hints, to re-run."""
    function = callable(fn) and not isinstance(fn, type)
    if not function or _untouched(fn):
        return BLANK if function or _is_blank(fn) else _wrong(f"`{name}`에는 함수를 넣어야 하는데 {_what(fn)}입니다.")
    got, wants = [], []
    for arguments, call in cases:
        try:
            out = run(fn, *[a.clone() for a in arguments])
        except Exception as exc:   # noqa: BLE001 - the learner's code failed: say how
            return _error_feedback(exc, f"채점은 다른 데이터로도 합니다: `{call}`." if call else "")
        if isinstance(out, Feedback):
            return out
        got, wants = got + [out], wants + [reference(*arguments)]
    wrong = [i for i, (g, w) in enumerate(zip(got, wants)) if not _close(g, w)]
    if not wrong:
        return _right(right)
    call, (g, w) = cases[wrong[0]][1], (got[wrong[0]], wants[wrong[0]])
    shown = lambda values: _fmt(values[0]) if len(values) == 1 else "(" + ", ".join(_fmt(v) for v in values) + ")"
    hint = next((m.hint + " " for m in mistakes if all(_close(o, m.test(*c[0])) for o, c in zip(got, cases))),
                "숫자를 직접 적거나 위에서 만든 `x_train`, `y_train`을 쓰지 말고, 인자로 받은 tensor로 계산하세요. " if call else "")
    return _wrong(f"`{name}`: {'학습 데이터에서는 맞지만 다른 데이터에서 틀립니다. ' if call else ''}{hint}"
                  f"{f'`{call}`의 결과' if call else '학습 데이터에서의 결과'}: {shown(g)}, 정답: {shown(w)}.")


def _read_numbers(out, names):
    """The learner's result as floats, one per name, or a Feedback saying what is wrong with it."""
    parts = tuple(out) if len(names) > 1 and isinstance(out, (tuple, list)) else (out,)
    if _is_blank(out) or out is None or len(parts) != len(names):
        return BLANK if _is_blank(out) else _wrong(
            "함수가 아무것도 돌려주지 않습니다: 계산한 값을 `return`으로 돌려주세요." if out is None else
            f"({', '.join(names)}) {len(names)}개를 돌려주세요: `return {', '.join(names)}`.")
    values = []
    for part, part_name in zip(parts, names):
        if isinstance(part, torch.Tensor) and part.numel() != 1:
            return _wrong(f"`{part_name}`에는 숫자 하나가 들어가야 하는데 shape {list(part.shape)}인 tensor입니다: "
                          f"오차들을 더하거나(`torch.sum`) 평균하세요(`torch.mean`).")
        number = _as_number(part, part_name)
        if isinstance(number, Feedback):
            return number
        values.append(number[0])
    return tuple(values)


#: The lesson's data at W = b = 0 (the log's first cost) and at W = 1.5 (h is not constant, so a [3] against
#: [3, 1] broadcast shows), and 4-point data (a hard-coded m shows).
_COST_CASES = tuple(((_column(h), _column(y)), "" if len(h) == 3 else f"my_cost({_code(_column(h))}, {_code(_column(y))})")
                    for h, y in (([0, 0, 0], [2, 4, 6]), ([1.5, 3, 4.5], [2, 4, 6]), ([1, 3, 3.5, 9], [2, 4, 6, 8])))
_COST_MISTAKES = [Mistake(name, lambda h, y, f=f: (float(f(h - y, h, y)),), hint) for name, f, hint in (
    ("broadcast", lambda e, h, y: torch.mean((h - y.flatten()) ** 2), "shape이 다른 tensor를 뺐습니다(`.flatten()`, "
     "`.squeeze()` 등): [3, 1] - [3]은 broadcast되어 [3, 3]이 됩니다. 둘 다 [m, 1] 그대로 빼세요."),
    ("sum", lambda e, h, y: torch.sum(e ** 2), "평균 대신 합을 구했습니다(`torch.sum`): 데이터 개수 m으로 나누지 않았습니다."),
    ("abs", lambda e, h, y: torch.mean(e.abs()), "제곱 대신 절댓값을 썼습니다: 그것은 MAE(평균 절대 오차)입니다."),
    ("no_square", lambda e, h, y: torch.mean(e), "제곱(`** 2`)이 없습니다: +오차와 -오차가 서로 지워집니다."),
    ("no_square_flipped", lambda e, h, y: -torch.mean(e), "제곱(`** 2`)이 없습니다: +오차와 -오차가 서로 지워집니다."),
    ("square_of_mean", lambda e, h, y: torch.mean(e) ** 2, "오차를 먼저 평균하고 제곱했습니다: 제곱한 뒤 평균을 냅니다."),
    ("rmse", lambda e, h, y: torch.mean(e ** 2) ** 0.5, "제곱근을 씌웠습니다: 그것은 RMSE입니다. cost는 제곱 오차의 평균(MSE) 그대로입니다."),
    ("half", lambda e, h, y: torch.mean(e ** 2) / 2, "2로 한 번 더 나눴습니다(1/2m): 여기서 쓰는 cost는 제곱 오차의 평균(1/m) 그대로입니다."),
    ("m_minus_1", lambda e, h, y: torch.sum(e ** 2) / (len(e) - 1), "m - 1로 나눴습니다: 평균은 데이터 개수 m으로 나눕니다."),
    ("precedence", lambda e, h, y: torch.mean(h - y ** 2), "괄호가 빠졌습니다: `(hypothesis - y_train) ** 2`로 쓰세요."),
    ("hard_m", lambda e, h, y: torch.sum(e ** 2) / 3, "데이터 개수를 3으로 고정했습니다(숫자 3이나 `len(x_train)`): 개수는 "
     "인자로 받은 tensor에서 구하거나(`len(y_train)`) `torch.mean`을 쓰세요."))]


def _run_cost(fn, h, y):
    want, result = (float(torch.mean((h - y) ** 2)),), fn(h.requires_grad_(True) * 1, y)   # not a leaf, as in the lesson
    if result is not None and not _is_blank(result) and not isinstance(result, torch.Tensor):
        return _wrong(f"cost는 tensor여야 하는데 {_what(result)}입니다: `.item()`이나 `float()`를 빼고 계산한 tensor를 그대로 "
                      f"돌려주세요(`cost.backward()`에 필요합니다).")
    values = _read_numbers(result, ["cost"])
    if not isinstance(values, Feedback) and not result.requires_grad and _close(values, want):
        return _wrong("값은 맞지만 계산 그래프가 끊겼습니다(`torch.tensor(...)`나 `.detach()`로 새로 만들었나요?): 계산한 "
                      "tensor를 그대로 돌려주어야 `cost.backward()`가 W와 b의 gradient를 구합니다.")
    return values


def check_cost_function(cost_fn):
    """Exercise "MSE cost 함수": ``my_cost(hypothesis, y_train)`` returns the MSE as a one-number tensor."""
    return _judge_function(cost_fn, "my_cost", _COST_CASES, _run_cost, lambda h, y: (float(torch.mean((h - y) ** 2)),),
                           _COST_MISTAKES, "cost = mean((H(x) - y)²): 제곱 오차의 평균, 한 줄입니다.")


def check_cost_value(cost):
    """Exercise "cost를 손으로": ``cost_W1``, the cost of H(x) = 1x + 0 on the training data, (1 + 4 + 9) / 3."""
    mistakes = [Mistake(*row) for row in (
        ("sum", 14.0, "제곱 오차의 합 14를 데이터 개수 m = 3으로 나누지 않았습니다."),
        ("no_square", -2.0, "오차를 제곱하지 않았습니다: (-1 - 2 - 3) / 3 = -2. 오차를 제곱해서 평균을 냅니다."),
        ("mae", 2.0, "오차의 절댓값을 평균했습니다(MAE): 제곱해서 평균을 냅니다."),
        ("square_of_mean", 4.0, "오차를 먼저 평균하고(-2) 제곱했습니다: 오차마다 제곱한 뒤 평균을 냅니다."),
        ("m_minus_1", 7.0, "m - 1 = 2로 나눴습니다: 평균은 데이터 개수 m = 3으로 나눕니다."),
        ("half", 7 / 3, "2로 한 번 더 나눴습니다(1/2m): 여기서 쓰는 cost는 제곱 오차의 평균 그대로입니다."),
        ("rmse", math.sqrt(14 / 3), "제곱근을 씌웠습니다(RMSE): cost는 제곱 오차의 평균 그대로입니다."),
        ("W_zero", 56 / 3, "W = 0, b = 0일 때의 cost(학습 로그의 첫 cost)입니다. 이 연습은 H(x) = 1·x + 0입니다."),
        ("zero", 0.0, "H(x) = 1·x + 0은 정답 y = 2x와 다른 직선이라 오차가 있습니다: 1 - 2, 2 - 4, 3 - 6."))]
    return _judge_number(cost, "cost_W1", sum(e * e for e in (1 - 2, 2 - 4, 3 - 6)) / 3, mistakes,   # by hand
                         "(1 + 4 + 9) / 3 = 14/3 ≈ 4.6667입니다.", "H(x) = x의 오차는 -1, -2, -3입니다. 이 오차들의 제곱을 "
                         "평균해서 `cost_W1`에 넣으세요(입력한 값: {shown}).")


_CALLS = {"zero_grad": ("`optimizer.zero_grad()`가", "`optimizer.zero_grad()`를", "gradient가 지워지지 않고 epoch마다 더해집니다(누적)."),
          "backward": ("`cost.backward()`가", "`cost.backward()`를", "gradient가 계산되지 않습니다."),    # 그래드, 백워드, 스텝
          "step": ("`optimizer.step()`이", "`optimizer.step()`을", "W와 b가 바뀌지 않습니다.")}
_ORDER = "순서는 `optimizer.zero_grad()` → `cost.backward()` → `optimizer.step()`입니다."
_LECTURE = "강의는 `zero_grad()` → `backward()` → `step()` 순서로 씁니다."


def _run_steps(train_step, events=None):
    """(W, b) after each of two calls of ``train_step`` (or of ``events``) from 0 with lr 0.01, and the calls made."""
    x_train, y_train = load_train_data()
    W, b, log, states, traces = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True), [], [], []
    optimizer = optim.SGD([W, b], lr=0.01)
    for name in ("zero_grad", "step"):            # record the calls the learner's code makes
        setattr(optimizer, name, lambda *a, _f=getattr(optimizer, name), _n=name, **k: (log.append(_n), _f(*a, **k))[1])
    handle = torch.autograd.graph.register_multi_grad_hook((W, b), lambda grads: log.append("backward"), mode="any")
    try:
        for _ in range(2):
            start, cost = len(log), torch.mean((x_train * W + b - y_train) ** 2)
            if events is None and _is_blank(train_step(x_train, y_train, W, b, optimizer)):
                return BLANK
            for event in events or ():
                cost.backward() if event == "backward" else getattr(optimizer, event)()
            traces.append(tuple(log[start:]))
            states.append((W.item(), b.item()))
    finally:
        handle.remove()
    return states, traces


def check_train_step(train_step):
    """Exercise "세 줄": two calls from W = b = 0 move W, b as the lecture does, by ``optimizer.step()``, in any order."""
    if not callable(train_step) or isinstance(train_step, type) or _untouched(train_step):    # blank, template, no function
        return _judge_function(train_step, "train_step", (), None, None, (), "")
    run = _run_steps(train_step)          # an error in the learner's code: _never_raises says which
    if isinstance(run, Feedback):
        return run
    (states, traces), right, facts = run, _run_steps(None, tuple(_CALLS))[0], _source_facts(train_step)
    trace, moved = traces[0], states[-1] != (0.0, 0.0)
    if all(_close(s, r) for s, r in zip(states, right)) and "step" in trace:
        return _right("`zero_grad()` → `backward()` → `step()`: 항상 붙어 다니는 세 줄입니다."
                      if trace == ("zero_grad", "backward", "step") else
                      f"`zero_grad()`를 마지막에 두어도 됩니다: 다음 `backward()` 전에 gradient가 비워지기 때문입니다. {_LECTURE}"
                      if trace == ("backward", "step", "zero_grad") else f"W와 b가 강의의 세 줄과 똑같이 바뀝니다. {_LECTURE}")
    if not any(traces) and not moved and facts[2]:
        return BLANK
    mistakes = [Mistake(*row) for row in (     # test(calls made, _source_facts, whether W or b moved)
        ("loop", lambda trace, facts, moved: trace.count("step") > 1 < trace.count("backward"), "`train_step`은 부를 때마다 "
         "한 epoch(update 한 번)만 합니다: 반복문은 함수 밖에 있으니, 함수 안에는 세 줄을 한 번씩만 쓰세요."),
        ("other_optimizer", lambda trace, facts, moved: facts[4],
         "`zero_grad()`나 `step()`을 다른 optimizer로 불렀습니다: 받은 optimizer를 쓰는지 보세요. 함수 안에서 새로 만들지 "
         "말고 인자로 받은 `optimizer`로 부르세요."),
        ("after_return", lambda trace, facts, moved: facts[3] and not trace,
         "`return cost` 아래에 쓴 줄은 실행되지 않습니다: 세 줄을 `return` 위로 옮기세요."),
        ("no_parentheses", lambda trace, facts, moved: any(e not in trace for e in facts[1] & set(_CALLS)),
         "괄호 없이 쓴 줄이 있습니다(예: `optimizer.step`): 함수는 `optimizer.step()`처럼 `()`를 붙여야 실행됩니다."),
        ("by_hand", lambda trace, facts, moved: moved and "step" not in trace and "step" not in facts[0],
         "W와 b를 `optimizer.step()` 없이 직접 바꿨습니다(예: `W -= 0.01 * W.grad`). 이 연습은 받은 `optimizer`로 "
         "`optimizer.zero_grad()`, `cost.backward()`, `optimizer.step()`을 쓰는 것입니다."))]
    hint = next((m.hint for m in mistakes if m.test(trace, facts, moved)), None)
    if hint or (not any(traces) and not moved):
        return _wrong(hint or f"함수가 세 줄 중 아무것도 부르지 않아 W와 b가 그대로입니다. {_ORDER}")
    problems = [f"{_CALLS[e][0]} 없습니다: {_CALLS[e][2]}" for e in _CALLS if e not in trace]
    problems += [f"{_CALLS[e][1]} 한 번에 {trace.count(e)}번 불렀습니다: epoch마다 한 번입니다." for e in _CALLS if trace.count(e) > 1]
    if "step" in trace and "backward" in trace and trace.index("step") < trace.index("backward"):
        problems.append("`optimizer.step()`을 `cost.backward()`보다 먼저 불렀습니다: `step()`은 `backward()`가 계산한 "
                        "gradient로 W와 b를 바꾸므로 `backward()` 다음에 와야 합니다.")
    if all(e in trace for e in _CALLS) and "zero_grad" in trace[trace.index("backward"):trace.index("step")]:
        problems.append("`optimizer.zero_grad()`가 `cost.backward()`와 `optimizer.step()` 사이에 있습니다: `step()`이 "
                        "쓰기 전에 gradient를 지워서 W와 b가 바뀌지 않습니다.")
    if problems and traces[0] == traces[1] and _run_steps(None, trace)[0] == states:
        return _wrong(" ".join(problems) + " " + _ORDER)
    pairs = lambda s: ", ".join(f"({_fmt(W)}, {_fmt(b)})" for W, b in s)
    return _wrong(f"{'세 줄의 순서는 맞지만, ' if trace == ('zero_grad', 'backward', 'step') else ''}W = b = 0, lr = 0.01에서 "
                  f"한 번, 두 번 부른 뒤의 (W, b) 정답: {pairs(right)}. 받은 결과: {pairs(states)}. hypothesis와 cost를 "
                  f"매번 새로 계산하는지, 받은 optimizer를 쓰는지 보세요.")


_FIVE = (_column([1, 2, 3, 4, 5]), _column([2, 4, 6, 8, 10]))    # the five learners of Lab-02-1


@lru_cache(maxsize=64)
def _history(lr, nb_epochs, W0=0.0, b0=0.0, five=False):
    return train_sgd(*(_FIVE if five else load_train_data()), lr=lr, nb_epochs=nb_epochs, W0=W0, b0=b0)


def check_prediction(prediction):
    """Exercise "10시간 공부하면?": ``prediction_10h`` = 10 W + b of lesson 5's ``history`` (lr 0.01, 1001 updates)."""
    history, slides = _history(0.01, 1000), _history(0.01, 999)      # slides: the slides' loop, 1000 updates
    W, b = history.W, history.b
    mistakes = [Mistake(*row) for row in (
        ("rule", 20.0, "20점은 정답 규칙 y = 2x의 값입니다. 학습한 W와 b로 계산한 H(10) = 10 * W + b를 넣으세요."),
        ("no_b", 10 * W, "10 * W만 계산했습니다: b를 더하세요(H(10) = 10 * W + b)."),
        ("swapped", W + 10 * b, "W와 b가 바뀌었습니다: 10 * b + W가 아니라 10 * W + b입니다."),
        ("minus_b", 10 * W - b, "b를 뺐습니다: H(10) = 10 * W + b입니다."),
        ("untrained", 0.0, "학습 전의 W = 0, b = 0으로 계산했습니다: 학습이 끝난 `history.W`와 `history.b`를 쓰세요."),
        ("four_hours", history.predict(4.0), "4시간의 점수입니다: 이 연습은 10시간입니다(H(10) = 10 * W + b)."),
        ("log_rounded", 10 * round(W, 3) + round(b, 3), "거의 맞았습니다: 로그에 찍힌, 소수 셋째 자리로 반올림한 W와 b로 "
         "계산했습니다. `history.W`와 `history.b`를 그대로 쓰세요."),
        ("slides_loop", slides.predict(10.0), "거의 맞았습니다: 슬라이드의 반복문(1000번 update)의 W와 b입니다. 이 연습은 "
         "`history`(1001번 update)의 W와 b를 씁니다."))]
    return _judge_number(prediction, "prediction_10h", history.predict(10.0), mistakes, f"H(10) = 10 * W + b ≈ "
                         f"{_fmt(history.predict(10.0))}: 규칙 y = 2x의 20점에 가깝지만, 학습 데이터(1~3시간)에서 멀어질수록 "
                         f"오차가 커집니다.", "학습이 끝난 `history.W`와 `history.b`로 10 * W + b를 계산해 `prediction_10h`에 "
                         "넣으세요(입력한 값: {shown}).")


def check_fast_lr_cost(final_cost):
    """Exercise "lr = 0.1": ``final_cost`` = ``fast.costs[-1]`` of ``fast = train_sgd(..., lr=0.1, nb_epochs=100)``."""
    use = "`fast = train_sgd(x_train, y_train, lr=0.1, nb_epochs=100)`의 `fast.costs[-1]`을 쓰세요."   # 마이너스 일: 을
    if not _is_blank(final_cost) and (isinstance(final_cost, (list, tuple)) or hasattr(final_cost, "costs")):
        return _wrong(f"{'cost 목록' if isinstance(final_cost, (list, tuple)) else '학습 기록'} 전체가 아니라 마지막 cost, "
                      f"숫자 하나를 쓰세요: `final_cost = fast.costs[-1]`.")
    fast, slow = _history(0.1, 100), _history(0.01, 100)
    mistakes = [Mistake(*row) for row in (
        ("slow_lr", slow.costs[-1], "lr = 0.01로 100 epoch 학습한 값입니다: `lr=0.1`로 바꾸세요."),
        ("zero", 0.0, f"0이 아닙니다: lr = 0.1로 1000 epoch 학습하면 cost가 float32로 0이 되지만, 100 epoch 뒤에는 아직 0보다 큽니다. {use}"),
        ("lesson_history", _history(0.01, 1000).costs[-1],
         f"lr = 0.01, `nb_epochs=1000`으로 학습한 마지막 cost(위에서 학습한 `history`의 값)입니다. {use}"),
        ("first_cost", fast.costs[0], "첫 cost(epoch 0, 학습 전)입니다: 마지막 cost는 `fast.costs[-1]`입니다."),
        ("W", fast.W, "학습한 W입니다: 마지막 cost를 쓰세요(`fast.costs[-1]`)."),
        ("epoch_99", fast.costs[-2], "epoch 99의 cost입니다: `nb_epochs=100`이면 epoch 0부터 100까지 101번 학습합니다. "
         "마지막은 `fast.costs[-1]`입니다."))]
    return _judge_number(final_cost, "final_cost", fast.costs[-1], mistakes, f"cost {_fmt(fast.costs[-1])}: lr = 0.01일 "
                         f"때의 {_fmt(slow.costs[-1])}보다 훨씬 작습니다. lr이 크면(발산하지 않는 한) 같은 epoch에 더 많이 "
                         f"내려갑니다.", use + " (입력한 값: {shown})")


_GRAD_CASES = tuple(((_column(x), _column(y), torch.tensor([W]), torch.tensor([b])), "" if len(x) == 3 else
                     f"my_gradients({_code(_column(x))}, {_code(_column(y))}, torch.tensor([{W}]), torch.tensor([{b}]))")
                    for x, y in (((1, 2, 3), (2, 4, 6)), ((1, 2, 3, 5), (2, 3, 7, 9))) for W, b in ((0.0, 0.0), (1.5, -0.5)))
_GRAD_MISTAKES = [Mistake(name, lambda x, y, W, b, f=f: tuple(float(v) for v in f(x * W + b - y, x, y, W, len(x))), hint)
                  for name, f, hint in (
    ("swap", lambda e, x, y, W, m: (2 / m * e.sum(), 2 / m * (e * x).sum()), "(dW, db)의 순서가 바뀌었습니다: `return dW, db`."),
    ("no_2_over_m", lambda e, x, y, W, m: ((e * x).sum(), e.sum()), "2/m을 통째로 빠뜨렸습니다: 합에 2/m을 곱해야 평균의 미분입니다."),
    ("no_1_over_m", lambda e, x, y, W, m: (2 * (e * x).sum(), 2 * e.sum()), "1/m을 빠뜨렸습니다: cost가 평균이므로 gradient도 m으로 나눕니다."),
    ("no_2", lambda e, x, y, W, m: ((e * x).mean(), e.mean()), "2를 빠뜨렸습니다: (오차)²의 미분은 2 × 오차입니다."),
    ("sign", lambda e, x, y, W, m: (-2 / m * (e * x).sum(), -2 / m * e.sum()), "부호가 반대입니다: 오차는 H(x) - y입니다."),
    ("dW_no_x", lambda e, x, y, W, m: (2 / m * e.sum(), 2 / m * e.sum()), "dW에 x를 곱하지 않았습니다: dW는 오차에 x를 곱해서 더합니다."),
    ("db_with_x", lambda e, x, y, W, m: (2 / m * (e * x).sum(),) * 2, "db에 x를 곱했습니다: db는 오차를 그대로 더합니다."),
    ("no_b", lambda e, x, y, W, m: (2 / m * ((x * W - y) * x).sum(), 2 / m * (x * W - y).sum()), "오차에 b가 빠졌습니다."),
    ("hard_m", lambda e, x, y, W, m: (2 / 3 * (e * x).sum(), 2 / 3 * e.sum()), "데이터 개수를 3으로 고정했습니다(숫자 3이나 "
     "전역 `x_train`의 길이): `m = len(x_train)`처럼 인자로 받은 tensor에서 구하세요."))]
_AUTOGRAD = _wrong("autograd(`backward()`나 `torch.autograd`)로 구했습니다: 이 연습은 gradient 공식을 직접 코드로 옮기는 것입니다. "
                   "`error = x_train * W + b - y_train`으로 dW와 db를 계산하세요.")


def _autograd_gradients(x, y, W, b):     # the reference: autograd's gradients of the MSE at (W, b)
    W, b = W.clone().requires_grad_(True), b.clone().requires_grad_(True)
    return tuple(float(g) for g in torch.autograd.grad(torch.mean((x * W + b - y) ** 2), (W, b)))


def _run_gradients(fn, x, y, W, b):
    out = fn(x, y, W, b)
    return _AUTOGRAD if W.requires_grad or b.requires_grad or W.grad is not None else _read_numbers(out, ["dW", "db"])


def check_gradients(gradients):
    """Exercise "gradient를 코드로": ``my_gradients`` -> (dW, db) by the formula (not autograd), against autograd."""
    if gradients is gradients_by_hand or getattr(gradients, "__module__", "") == "lab_utils.training":
        return _wrong("lab_utils의 함수를 그대로 넘겼습니다: 이 연습은 공식을 `my_gradients` 안에 직접 쓰는 것입니다.")
    if callable(gradients) and _source_facts(gradients)[0] & {"backward", "grad", "gradients_by_hand"}:
        return _AUTOGRAD
    return _judge_function(gradients, "my_gradients", _GRAD_CASES, _run_gradients, _autograd_gradients,
                           _GRAD_MISTAKES, "손으로 구한 gradient가 autograd와 같습니다.")


#: The experiment train_sgd(x_more, y_more, lr=max_lr, nb_epochs=2000) "converges usefully" if its last cost is
#: below MAX_LR_FALL of its first; "close to the limit": within MAX_LR_BAND below it (the exercise says so).
MAX_LR_EPOCHS, MAX_LR_FALL, MAX_LR_BAND = 2000, 0.01, 0.005


def check_max_lr(lr):
    """Exercise "한계 learning rate" (five learners, limit 1/(6 + √34) ≈ 0.084524), judged by what ``max_lr`` does: right
    if limit - 0.005 <= lr < limit and the cost falls below 1% in 2000 epochs (a hair below the limit it barely falls)."""
    number = _as_number(lr, "max_lr")
    if isinstance(number, Feedback):
        return number
    (value, decimals), limit = number, stability_limit(_FIVE[0])
    shown = repr(lr) if type(lr) is float else f"{value:.8g}"
    entered = f"입력한 값: {shown} —"
    if value <= 0:
        return _wrong(f"{entered} learning rate는 0보다 커야 합니다.")
    for other, what in ((stability_limit(load_train_data()[0]), "3명의 데이터(`x_train`)의 한계(약 0.18)"),
                        (1 / 11, "b를 0으로 고정하고 W만 학습할 때의 한계(1/11 ≈ 0.0909)"),
                        (3 / 14, "3명의 데이터에서 b를 고정할 때의 한계(3/14 ≈ 0.214)")):
        if _agrees(value, decimals, other) or abs(value - other) < 1e-4:
            entered += (f" {what}에 가깝습니다. 이 연습은 다섯 명의 데이터(`x_more`, `y_more`)에서 W와 b를 함께 학습할 때의 "
                        f"한계입니다. 실험하면:")
            break
    history = _history(min(value, 1e30), MAX_LR_EPOCHS, five=True)      # float32 holds up to 3.4e38
    experiment, first, last = f"`train_sgd(x_more, y_more, lr={shown}, nb_epochs=2000)`", history.costs[0], history.costs[-1]
    if value >= limit * (1 - 1e-12):
        what = (f"epoch {history.diverged_at}에서 발산합니다." if history.diverged else f"cost {_fmt(first)} → {_fmt(last)}"
                f"({'커집니다' if last >= first else '거의 줄지 않습니다'}), 수렴하지 않습니다.")
        return _wrong(f"{entered} 한계와 같거나 큽니다. {experiment}: {what} 더 작은 값을 쓰세요.")
    if value < limit - MAX_LR_BAND:
        return _wrong(f"{entered} 더 큰 lr도 수렴합니다: 한계와의 차이가 0.005 안이 될 때까지 올려 보세요.")
    if history.diverged or not last < MAX_LR_FALL * first:
        return _wrong(f"거의 맞았습니다(입력한 값: {shown}). 한계보다 작지만 너무 가까워서, {experiment}의 cost가 {_fmt(first)}"
                      f"에서 {_fmt(last)}까지만 줄어듭니다(처음의 {last / first:.0%}). 골짜기를 가로지르는 지그재그가 거의 "
                      f"줄지 않기 때문입니다. 조금 더 작은 값을 쓰세요.")
    return _right(f"다섯 명의 데이터에서 W와 b를 함께 학습할 때의 한계는 2/λmax = 1/(6 + √34) ≈ {limit:.6f}입니다. 3명의 "
                  f"데이터(약 0.18)보다 낮습니다: x가 클수록 cost의 골짜기가 가팔라서 한계가 낮아집니다.")


def check_model(model):
    """Exercise "MyModel": ``my_model``, an object of an own nn.Module class mapping [m, 1] to [m, 1] with W and b."""
    if _is_blank(model) or not isinstance(model, nn.Module):
        return BLANK if _is_blank(model) else _wrong(f"`my_model`에는 nn.Module을 상속한 클래스의 객체를 넣어야 하는데 "
                                                     f"{_what(model)}입니다: `my_model = MyModel()`처럼 괄호를 붙입니다.")
    cls, parameters, forward = type(model), list(model.parameters()), type(model).__dict__.get("forward")
    if cls.__module__.startswith("torch."):
        return _wrong(("`nn.Module()`은 빈 틀이고" if cls is nn.Module else "`nn.Linear`나 `nn.Sequential`도 같은 계산을 하지만")
                      + ", 이 연습은 클래스를 직접 만드는 것입니다: `class MyModel(nn.Module):`에 `__init__`과 `forward`를 쓰세요.")
    if not parameters and (forward is None or _untouched(forward) or Ellipsis in vars(model).values()):
        return BLANK
    if not any("forward" in c.__dict__ for c in cls.__mro__ if c is not nn.Module) or not parameters:
        return _wrong("`my_model.parameters()`가 비어 있습니다: `__init__`에서 `self.linear = nn.Linear(1, 1)`처럼 만들어야 "
                      "optimizer가 W와 b를 찾습니다(그냥 tensor는 parameter가 아닙니다)." if parameters == [] else
                      "forward가 없습니다(철자: `forward`): `def forward(self, x): return self.linear(x)`를 쓰세요.")
    outputs = []
    for m in (3, 1, 5):
        try:
            with torch.enable_grad():
                out = model(torch.arange(1.0, m + 1.0).view(m, 1))
        except Exception as exc:   # noqa: BLE001 - the learner's forward failed
            return _wrong("입력이 1개(x의 열 1개)이니 `nn.Linear(1, 1)`입니다: nn.Linear의 첫 숫자는 입력 개수입니다."
                          ) if "cannot be multiplied" in str(exc) else _error_feedback(exc)
        if _is_blank(out) or not isinstance(out, torch.Tensor):
            return BLANK if _is_blank(out) else _wrong(
                "forward가 아무것도 돌려주지 않습니다: `return self.linear(x)`처럼 `return`을 쓰세요." if out is None else
                f"forward는 tensor를 돌려주어야 하는데 {_what(out)}입니다: `return self.linear(x)`.")
        if list(out.shape) != [m, 1]:
            return _wrong(f"출력이 {out.shape[1]}개입니다: 출력 1개이니 `nn.Linear(1, 1)`입니다."
                          if out.dim() == 2 and out.shape[0] == m else f"forward는 받은 x와 같은 [m, 1] tensor를 돌려주어야 "
                          f"하는데, [{m}, 1]을 넣으니 {list(out.shape)}입니다. 받은 x로 계산하세요: `return self.linear(x)`.")
        outputs.append(out)
    if sum(p.numel() for p in parameters) != 2:
        return _wrong(f"학습할 숫자가 W와 b 두 개여야 하는데 {sum(p.numel() for p in parameters)}개입니다: `nn.Linear(1, 1)`.")
    trainable = [p for p in parameters if p.requires_grad]
    grads = torch.autograd.grad(outputs[0], trainable, torch.ones_like(outputs[0]), allow_unused=True) \
        if outputs[0].requires_grad and trainable else []
    if len(grads) != len(parameters) or any(g is None for g in grads):
        return _wrong("W와 b의 requires_grad가 False라 학습해도 바뀌지 않습니다: `requires_grad_(False)`를 지우세요."
                      if len(trainable) < len(parameters) else "forward의 결과가 W와 b로 계산되지 않았습니다(x만으로 계산했거나 "
                      "`.detach()`로 끊었습니다): 그러면 "
                      "학습해도 W와 b가 바뀌지 않습니다. `return self.linear(x)`처럼 만든 층으로 계산하세요.")
    return _right("nn.Linear(1, 1) 안에 W(weight)와 b(bias)가 들어 있습니다.")


def check_model_prediction(prediction):
    """Exercise "model로 예측": ``prediction_6h``, H(6) of lesson 7's ``model`` (seed 1 start), not of W = b = 0."""
    if isinstance(prediction, torch.Tensor) and prediction.numel() > 1:
        return _wrong(f"`prediction_6h`에는 6시간 하나의 예측만 넣어야 하는데 {_what(prediction)}입니다: "
                      f"`model(torch.FloatTensor([[6]]))`처럼 6시간 하나만 넣으세요.")
    with torch.random.fork_rng():            # where lesson 7's model starts: torch.manual_seed(1); nn.Linear(1, 1)
        torch.manual_seed(1)
        W0, b0 = (p.item() for p in nn.Linear(1, 1).parameters())
    trained, zero = _history(0.01, 1000, W0, b0), _history(0.01, 1000)
    mistakes = [Mistake(*row) for row in (
        ("zero_start", zero.predict(6.0), "W = b = 0에서 시작한 학습(`history`나 `model_zero`)의 값입니다. 위에서 학습한 "
         "`model`은 `torch.manual_seed(1)`의 무작위 시작점에서 학습했습니다: `model`에 넣으세요."),
        ("untrained", 6 * W0 + b0, "학습 전 model의 값입니다: 학습하는 셀을 먼저 실행하고, 학습한 `model`로 예측하세요."),
        ("rule", 12.0, "12점은 정답 규칙 y = 2x의 값입니다: 학습한 `model`에 [[6]]을 넣은 결과를 반올림하지 말고 쓰세요."),
        ("four_hours", trained.predict(4.0), "4시간의 점수입니다: 이 연습은 6시간입니다(`[[6]]`)."),
        ("zero_start_4h", zero.predict(4.0), "W = b = 0에서 시작한 학습의 4시간 점수입니다: 이 연습은 `model`의 6시간입니다."))]
    note = ("" if isinstance(prediction, torch.Tensor) and list(prediction.shape) == [1, 1] else
            f" 참고: 입력을 `torch.FloatTensor([[6]])`처럼 [1, 1] 꼴로 넣으면 결과도 [1, 1] tensor입니다(지금은 shape "
            f"{list(prediction.shape)})." if isinstance(prediction, torch.Tensor) else
            " 참고: model의 출력은 [1, 1] tensor입니다. `.item()`을 빼면 tensor 그대로입니다.")
    return _judge_number(prediction, "prediction_6h", trained.predict(6.0), mistakes, f"H(6) = {_fmt(trained.predict(6.0))}"
                         f"입니다. model은 `x_train`과 같은 꼴([데이터 개수, 1])의 입력을 받습니다.{note}",
                         "학습한 `model`에 `torch.FloatTensor([[6]])`을 넣은 결과를 `prediction_6h`에 넣으세요(입력한 값: "
                         "{shown}). 학습하는 셀을 먼저 실행했는지, 새로 만든(학습하지 않은) model을 쓰지 않았는지 보세요.")


def _never_raises(checker):     # the checkers' promise, kept in one place: an exception becomes a Feedback
    @wraps(checker)
    def safe(*answers):
        try:
            return checker(*answers)
        except Exception as exc:   # noqa: BLE001 - a learner's objects can fail in any way
            return _error_feedback(exc)
    return safe


for _name in [name for name in globals() if name.startswith("check_")]:     # every checker, wrapped once
    globals()[_name] = _never_raises(globals()[_name])
