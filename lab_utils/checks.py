"""Exercise checkers: each returns a Feedback that says right, or what exactly is wrong (in Korean).

A checker never raises: a blank answer (``...``), an untouched template, a wrong type or code that
fails all come back as a Feedback, so an exercise cell can be run (and stored) before it is solved.
An exercise that still has its blank gets the neutral prompt ``BLANK`` (no verdict); a wrong answer
gets a hint that names the mistake in the learner's terms.

How answers are judged (``tests/test_graders.py`` holds a table of learner answers per exercise):

- A number the lesson asks for may be a Python number or a one-element tensor, and may be rounded:
  it is right if it agrees with the true value to the decimals written, at least two decimals
  (two significant digits for numbers below 0.1), and no more than one decimal beyond that is
  demanded. So 4.67, 4.667, 4.6667 and ``torch.tensor(4.6667)`` are all 14/3, but 4.66 and 4.666
  (cut off, not rounded) are not.
- When a checker runs the learner's function on data other than the lesson's (to catch a
  hard-coded ``m = 3``, for example), its hint says so and shows that data as code to re-run.
- ``check_train_step`` judges by what the function does (W, b after one and two calls against
  correct SGD steps), so every order that trains correctly is right; the hint for a wrong one
  comes from the calls the function actually made.
- ``check_max_lr``: right is 0.175 <= lr <= 2/λmax (about 0.18029), i.e. every learning rate that
  rounds to 0.18 and does not exceed the limit; anything above the limit does not converge (the
  hint says at which epoch ``train_sgd(..., nb_epochs=2000)`` diverges, or how its cost grows).
"""

import ast
import dis
import inspect
import math
import numbers
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import torch
import torch.nn as nn
import torch.optim as optim

from .data import load_train_data
from .training import stability_limit, train_sgd


@dataclass(frozen=True)
class Feedback:
    """The verdict of a checker: ``ok`` (also its truth value) and a ``message`` in Korean.

    ``blank`` marks the neutral prompt for an exercise that still has its blank (no verdict).
    """

    ok: bool
    message: str
    blank: bool = False

    def __bool__(self):
        return self.ok

    def __repr__(self):
        if self.blank:
            return "✎ " + self.message
        return ("✔ 정답입니다! " if self.ok else "✘ 힌트: ") + self.message


#: What every exercise shows while its blank is still there (also when stored in the lesson).
BLANK = Feedback(False, "빈칸(...)을 채우고 셀을 다시 실행하세요.", blank=True)


def _right(message):
    return Feedback(True, message)


def _wrong(message):
    return Feedback(False, message)


# ----------------------------------------------------------------- Korean particles
# How a word's reading ends: (has a final consonant, that consonant is ㄹ).
_DIGIT_END = {"0": (True, False), "1": (True, True), "3": (True, False), "6": (True, False),
              "7": (True, True), "8": (True, True)}          # 영 일 삼 육 칠 팔; 이 사 오 구 end open
_LETTER_END = {"l": (True, True), "m": (True, False), "n": (True, False), "r": (True, True)}  # 엘 엠 엔 알


def _reading_end(text):
    for ch in reversed(str(text)):
        if "가" <= ch <= "힣":
            final = (ord(ch) - 0xAC00) % 28
            return final != 0, final == 8
        if ch.isdigit():
            return _DIGIT_END.get(ch, (False, False))
        if ch.isascii() and ch.isalpha():
            return _LETTER_END.get(ch.lower(), (False, False))
    return False, False


def _p(text, particle):
    """The particle that fits how ``text`` is read aloud: _p("0.183", "은/는") -> "은" (삼)."""
    if "/" not in particle:
        return particle
    closed, rieul = _reading_end(text)
    after_consonant, after_vowel = particle.split("/")
    if particle == "으로/로":
        return "로" if (not closed or rieul) else "으로"
    return after_consonant if closed else after_vowel


def _j(text, particle):
    """``text`` with the particle that fits its reading: _j("0.183", "은/는") -> "0.183은"."""
    return f"{text}{_p(text, particle)}"


def _fmt(x, digits=4):
    """A number as the hints print it: ``digits`` decimals, 2.00e-04 when small, 3 significant digits when large."""
    if x == 0:
        return "0"
    if not math.isfinite(x) or abs(x) >= 1e5:
        return f"{x:.3g}"
    if abs(x) < 10 ** -(digits - 1):
        return f"{x:.2e}"
    return f"{x:.{digits}f}"


def _show(value):
    """How a learner's number is echoed back: as they wrote it (shortest form)."""
    return repr(value) if isinstance(value, float) else str(value)


# ----------------------------------------------------------------- blanks and untouched templates
def _is_blank(*answers):
    """True if any answer is the blank ``...`` (also inside a returned tuple or list)."""
    return any(a is Ellipsis or (isinstance(a, (tuple, list)) and any(x is Ellipsis for x in a))
               for a in answers)


_TRIVIAL_OPS = {"RESUME", "NOP", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST", "POP_TOP", "BUILD_TUPLE",
                "CACHE", "PRECALL"}


def _untouched_function(fn):
    """True if ``fn``'s body does nothing: only ``...``, ``pass``, a docstring, or ``return ...``/None."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    try:
        instructions = list(dis.get_instructions(code))
    except TypeError:
        return False
    return all(i.opname in _TRIVIAL_OPS and (i.opname != "LOAD_CONST" or i.argval is None
                                              or i.argval is Ellipsis or isinstance(i.argval, (str, tuple)))
               for i in instructions)


def _function_ast(fn):
    """The ``ast.FunctionDef`` of ``fn`` if its source can be read (a notebook cell, a file), else None."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    return next((n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), None)


def _has_blank_line(fn):
    """True if ``fn``'s source still has a ``...`` (or ``pass``) line, as the template had.

    Also True if the source cannot be read (then the neutral prompt is the safe answer).
    """
    node = _function_ast(fn)
    if node is None:
        return True
    return any(isinstance(n, ast.Pass) or (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
                                           and n.value.value is Ellipsis)
               for n in ast.walk(node))


def _code_after_return(fn):
    """True if ``fn`` has statements after its top-level ``return`` (they never run)."""
    node = _function_ast(fn)
    if node is None:
        return False
    returns = [i for i, s in enumerate(node.body) if isinstance(s, ast.Return)]
    return bool(returns) and returns[0] < len(node.body) - 1


def _fn_name(fn, fallback):
    name = getattr(fn, "__name__", "")
    return name if name.isidentifier() else fallback


def _error_feedback(exc, data_note=""):
    """Feedback for an exception raised by the learner's code, in Korean (``BLANK`` if a ``...`` caused it)."""
    text = str(exc)
    lower = text.lower()
    if "ellipsis" in lower:
        return BLANK
    if "xor" in lower:
        return _wrong("`^`는 Python에서 XOR입니다. 제곱은 `** 2`로 씁니다: `(hypothesis - y_train) ** 2`.")
    if "backward through the graph a second time" in lower:
        return _wrong("`cost.backward()`를 한 번에 두 번 불렀습니다: epoch마다 한 번만 부르세요.")
    if isinstance(exc, AttributeError) and "'NoneType'" in text and "zero_" in text:
        return _wrong("gradient가 아직 없는데 (None) `.zero_()`를 불렀습니다: `optimizer.zero_grad()`를 쓰세요.")
    if isinstance(exc, RuntimeError) and "must match the size" in lower and data_note:
        return _wrong("인자로 받은 tensor 말고 다른 tensor (예: 위에서 만든 `x_train`, `y_train`)를 쓰고 있습니다: "
                      f"크기가 맞지 않습니다. {data_note}")
    if isinstance(exc, NameError):
        name = getattr(exc, "name", None) or text
        return _wrong(f"정의되지 않은 이름이 있습니다: `{name}`. 철자와, 위의 셀을 먼저 실행했는지 보세요.")
    return _wrong(f"코드를 실행하다 오류가 났습니다. {type(exc).__name__}: {text}")


# ----------------------------------------------------------------- numbers
def _float32_decimals(x):
    """Decimals of the shortest number that a float32 ``x`` is (torch.tensor(4.6667) -> 4)."""
    for k in range(0, 13):
        if torch.tensor(round(x, k), dtype=torch.float32).item() == x:
            return k
    return 17


def _number_answer(value, name):
    """Return ``(float, decimals, None)`` for one number (or a one-element tensor), else ``(.., .., Feedback)``.

    ``decimals`` is how many decimals the learner's number has (17 for a computed value).
    """
    if _is_blank(value):
        return None, 0, BLANK
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            return None, 0, _wrong(f"{_j(name, '은/는')} 숫자 하나여야 하는데 shape {list(value.shape)}인 tensor입니다.")
        if not (value.is_floating_point() or value.dtype in (torch.int8, torch.int16, torch.int32, torch.int64,
                                                             torch.uint8)):
            return None, 0, _wrong(f"{_j(name, '은/는')} 숫자여야 하는데 dtype {value.dtype}인 tensor입니다.")
        number = value.item()
        decimals = _float32_decimals(number) if value.dtype == torch.float32 else (
            0 if not value.is_floating_point() else 17)
        return float(number), decimals, None
    if isinstance(value, str):
        return None, 0, _wrong(f"숫자를 따옴표 없이 쓰세요: {_j(name, '은/는')} 문자열 '{value}'입니다.")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None, 0, _wrong(f"{_j(name, '은/는')} 숫자여야 하는데 {type(value).__name__}입니다.")
    number = float(value)
    if not math.isfinite(number):
        return None, 0, _wrong(f"{_j(name, '이/가')} {number}입니다: 숫자가 필요합니다.")
    if isinstance(value, numbers.Integral):
        return number, 0, None
    if getattr(value, "dtype", None) is not None and str(value.dtype) == "float32":
        return number, _float32_decimals(number), None
    if not isinstance(value, float):
        return number, 17, None
    return number, max(0, -Decimal(repr(number)).as_tuple().exponent), None


def _agrees(value, decimals, expected):
    """True if ``value`` (written with ``decimals`` decimals) is ``expected`` rounded, or closer.

    At least two decimals (two significant digits below 0.1) are checked, and at most one more.
    """
    if value == expected:
        return True
    if expected == 0:
        return abs(value) <= 1e-9
    least = max(2, 1 - math.floor(math.log10(abs(expected))))
    k = min(max(decimals, least), least + 1)
    return abs(value - expected) <= 0.5 * 10.0 ** -k * (1 + 1e-9) + 1e-12 * abs(expected)


def _matching_hint(value, decimals, table):
    """The hint of every ``(wrong value, hint)`` that ``value`` agrees with (joined if several), else None."""
    hints = []
    for wrong, hint in table:
        if _agrees(value, decimals, wrong) and hint not in hints:
            hints.append(hint)
    if len(hints) > 1:
        return "이 값은 다음 중 하나입니다. " + " / ".join(hints)
    return hints[0] if hints else None


def _close(a, b, rel=1e-5, abs_=1e-6):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


# ----------------------------------------------------------------- tensors
def _tensor_problem(t, name, shape, like="x_train"):
    """Return a hint if ``t`` is not a float32 tensor of ``shape``, else None."""
    if not isinstance(t, torch.Tensor):
        return (f"{_j(name, '은/는')} tensor여야 하는데 {type(t).__name__}입니다. "
                f"`torch.FloatTensor(...)`로 만드세요.")
    if not t.is_floating_point():
        return (f"{_j(name, '의')} dtype이 {t.dtype} (정수)입니다. {_j(like, '과/와')} 같은 실수 (float32)여야 하니 "
                f"`torch.FloatTensor`를 쓰거나 4.0처럼 소수점을 붙이세요.")
    if t.dtype != torch.float32:
        return (f"{_j(name, '의')} dtype이 {t.dtype}입니다. {_j(like, '과/와')} 같은 float32여야 합니다: "
                f"`torch.FloatTensor`를 쓰거나 `.float()`를 붙이세요.")
    if list(t.shape) != list(shape):
        extra = ""
        if t.dim() == 1 and len(shape) == 2:
            extra = " 1차원이 아니라 [[1], [2], ...]처럼 한 줄에 하나씩 넣은 2차원 ([데이터 개수, 1])이어야 합니다."
        elif t.dim() == 0 and len(shape) == 2:
            extra = " 숫자 하나도 [[4]]처럼 [데이터 개수, 1] 꼴로 씁니다."
        elif t.dim() == 2 and t.shape[0] == 1 and shape[0] != 1 and t.shape[1] == shape[0]:
            extra = " 행과 열이 바뀌었습니다: [[1, 2, 3]]이 아니라 [[1], [2], [3]]처럼 씁니다."
        elif t.dim() == 2 and t.shape[1] == 1 and shape[1] == 1:
            extra = f" 데이터가 {shape[0]}개여야 하는데 {t.shape[0]}개입니다."
        want = str(list(shape))
        return f"{_j(name, '의')} shape이 {_j(want, '이어야/여야')} 하는데 {list(t.shape)}입니다.{extra}"
    return None


# ----------------------------------------------------------------- data definition
def check_x_test(x_test):
    """Exercise "4시간 공부하면?": ``x_test`` (the lesson's ``x_test_4h``) must be like ``torch.FloatTensor([[4]])``."""
    if _is_blank(x_test):
        return BLANK
    problem = _tensor_problem(x_test, "x_test_4h", [1, 1])
    if problem:
        return _wrong(problem)
    if x_test.item() != 4:
        return _wrong(f"값이 4여야 (4시간) 하는데 {x_test.item():g}입니다.")
    return _right("x_test_4h는 `x_train`과 같은 꼴 ([데이터 개수, 1])의 float32 tensor입니다.")


def check_more_data(x_more, y_more):
    """Exercise "다섯 명의 데이터": 1..5 hours and 2..10 points, float32 tensors of shape [5, 1]."""
    if _is_blank(x_more, y_more):
        return BLANK
    hours, points = [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 4.0, 6.0, 8.0, 10.0]
    if (isinstance(x_more, torch.Tensor) and isinstance(y_more, torch.Tensor)
            and x_more.flatten().tolist() == points and y_more.flatten().tolist() == hours):
        return _wrong("x_more와 y_more가 바뀌었습니다: x_more는 입력 (공부한 시간 1 ~ 5), "
                      "y_more는 출력 (점수 2 ~ 10)입니다.")
    for t, name, values in ((x_more, "x_more", hours), (y_more, "y_more", points)):
        problem = _tensor_problem(t, name, [5, 1], like="x_train" if name == "x_more" else "y_train")
        if problem:
            return _wrong(problem)
        got = t.flatten().tolist()
        if got != values:
            shown = ", ".join(f"{v:g}" for v in got)
            want = ", ".join(f"{v:g}" for v in values)
            return _wrong(f"{_j(name, '의')} 값이 {_j(f'[{want}]', '이어야/여야')} 하는데 [{shown}]입니다.")
    return _right("입력 따로, 출력 따로, 둘 다 [5, 1]입니다.")


# ----------------------------------------------------------------- hypothesis
def check_parameters(W, b):
    """Exercise "학습할 W, b": both like ``torch.zeros(1, requires_grad=True)``, two separate leaf tensors."""
    if _is_blank(W, b):
        return BLANK
    if isinstance(W, torch.Tensor) and W is b:
        return _wrong("W와 b가 같은 tensor 하나입니다 (`my_W = my_b = ...`). 따로 두 번 만드세요.")
    for t, name in ((W, "W"), (b, "b")):
        if not isinstance(t, torch.Tensor):
            return _wrong(f"{_j(name, '은/는')} tensor여야 하는데 {type(t).__name__}입니다: "
                          f"`torch.zeros(1, requires_grad=True)`처럼 만드세요.")
        if not t.is_floating_point():
            return _wrong(f"{_j(name, '의')} dtype이 {t.dtype} (정수)입니다: gradient는 실수 tensor에만 있습니다.")
        if t.numel() != 1:
            return _wrong(f"{_j(name, '은/는')} 숫자 하나여야 하는데 shape {list(t.shape)}입니다: `torch.zeros(1, ...)`.")
        if not t.requires_grad:
            return _wrong(f"{_j(name, '의')} requires_grad가 False입니다. `requires_grad=True`가 없으면 "
                          f"torch가 {_j(name, '의')} gradient를 계산하지 않아 학습할 수 없습니다.")
        if not t.is_leaf:
            return _wrong(f"{_j(name, '은/는')} 계산의 결과라서 (예: `torch.zeros(1, requires_grad=True) * 1`) "
                          f"optimizer에 넣을 수 없습니다. `torch.zeros(1, requires_grad=True)` 그대로 쓰세요.")
        if t.item() != 0:
            return _wrong(f"{_j(name, '은/는')} 0에서 시작해야 하는데 {t.item():g}입니다: `torch.zeros`를 쓰세요.")
    return _right("W와 b는 0에서 시작하고, torch가 gradient를 계산할 tensor입니다.")


def check_hypothesis(hypothesis):
    """Exercise "W = 2, b = 1의 hypothesis": on x_train it must be [[3], [5], [7]]."""
    if _is_blank(hypothesis):
        return BLANK
    if not isinstance(hypothesis, torch.Tensor):
        return _wrong(f"hypothesis는 tensor여야 하는데 {type(hypothesis).__name__}입니다: `x_train * W + b`로 계산하세요.")
    if list(hypothesis.shape) != [3, 1]:
        return _wrong(f"hypothesis의 shape이 [3, 1]이어야 하는데 {list(hypothesis.shape)}입니다. "
                      f"`x_train * W + b`는 `x_train`과 같은 [3, 1]이 됩니다.")
    values = [round(v, 4) for v in hypothesis.detach().double().flatten().tolist()]
    hints = {
        (3.0, 4.0, 5.0): "W와 b가 바뀌었습니다: `x_train * b + W`가 아니라 `x_train * W + b`입니다.",
        (2.0, 4.0, 6.0): "b = 1을 더하지 않았습니다: `x_train * W + b`.",
        (3.0, 6.0, 9.0): "b도 x에 곱했습니다: `x_train * (W + b)`가 아니라 `x_train * W + b`입니다.",
        (4.0, 6.0, 8.0): "괄호를 보세요: `(x_train + b) * W`가 아니라 `x_train * W + b`입니다.",
        (0.0, 0.0, 0.0): "W = 0, b = 0인 tensor로 계산했습니다: 이 연습은 W = 2, b = 1입니다.",
        (5.0, 9.0, 13.0): "`x_train` 대신 `y_train`에 W를 곱했습니다: 입력은 `x_train`입니다.",
    }
    if tuple(values) in hints:
        return _wrong(hints[tuple(values)])
    if values != [3.0, 5.0, 7.0]:
        shown = ", ".join(_fmt(v).rstrip("0").rstrip(".") for v in values)
        return _wrong(f"W = 2, b = 1이면 2x + 1 = [3, 5, 7]인데 [{shown}]입니다.")
    return _right("H(x) = 2x + 1이 x = 1, 2, 3에서 3, 5, 7입니다.")


# ----------------------------------------------------------------- cost
def _column(values):
    return torch.tensor([[float(v)] for v in values])


def _code_list(t):
    return "[" + ", ".join(f"[{v:g}]" for v in t.flatten().tolist()) + "]"


#: The lesson's data at W = b = 0 (the first cost of the training log) and 4-point data of other size.
_COST_LESSON = (_column([0, 0, 0]), _column([2, 4, 6]))
_COST_OTHER = (_column([1.0, 3.0, 3.5, 9.0]), _column([2, 4, 6, 8]))

_COST_MISTAKES = (
    # (name, cost from error e and m, hint, shows only on the other data)
    ("sum", lambda e, m: torch.sum(e ** 2),
     "평균 대신 합을 구했습니다 (`torch.sum`): 데이터 개수 m으로 나누지 않았습니다.", False),
    ("abs", lambda e, m: torch.mean(e.abs()),
     "제곱 대신 절댓값을 썼습니다: 그것은 MAE (평균 절대 오차)입니다.", False),
    ("no_square", lambda e, m: torch.mean(e),
     "제곱 (`** 2`)이 없습니다: +오차와 -오차가 서로 지워집니다.", False),
    ("no_square_flipped", lambda e, m: torch.mean(-e),
     "제곱 (`** 2`)이 없습니다: +오차와 -오차가 서로 지워집니다.", False),
    ("square_of_mean", lambda e, m: torch.mean(e) ** 2,
     "오차를 먼저 평균하고 제곱했습니다: 제곱을 먼저 하고 (`(hypothesis - y_train) ** 2`) 평균을 내야 합니다.", False),
    ("rmse", lambda e, m: torch.sqrt(torch.mean(e ** 2)),
     "제곱근을 씌웠습니다: 그것은 RMSE입니다. cost는 제곱 오차의 평균 (MSE) 그대로입니다.", False),
    ("half", lambda e, m: torch.mean(e ** 2) / 2,
     "2로 한 번 더 나눴습니다 (1/2m): 여기서 쓰는 cost는 제곱 오차의 평균 (1/m) 그대로입니다.", False),
    ("m_minus_1", lambda e, m: torch.sum(e ** 2) / (m - 1),
     "m - 1로 나눴습니다: 평균은 데이터 개수 m으로 나눕니다.", False),
    ("hard_m3", lambda e, m: torch.sum(e ** 2) / 3,
     "데이터 개수를 3으로 고정했습니다 (숫자 3이나 `len(x_train)`): 학습 데이터에서는 맞지만 "
     "데이터 개수가 다르면 틀립니다. 개수는 인자로 받은 tensor에서 구하거나 (`len(y_train)`) `torch.mean`을 쓰세요.",
     True),
)


def _precedence_cost(h, y):
    return torch.mean(h - y ** 2)


def check_cost_function(cost_fn):
    """Exercise "MSE cost 함수": ``cost_fn(hypothesis, y_train)`` returns the MSE as a one-number tensor.

    It is run on the training data at W = b = 0 (cost 18.6667, the log's first line) and on 4-point
    data (to catch a hard-coded m); a hint about the 4-point data shows it as code to re-run.
    """
    if _is_blank(cost_fn) or (callable(cost_fn) and _untouched_function(cost_fn)):
        return BLANK
    if not callable(cost_fn):
        return _wrong(f"함수를 넘겨야 하는데 {type(cost_fn).__name__}입니다: `def my_cost(hypothesis, y_train):`.")
    name = _fn_name(cost_fn, "my_cost")
    other_call = (f"`{name}(torch.FloatTensor({_code_list(_COST_OTHER[0])}), "
                  f"torch.FloatTensor({_code_list(_COST_OTHER[1])}))`")
    other_note = f"채점은 학습 데이터 말고 4개짜리 다른 데이터로도 합니다: {other_call}."
    got = []
    for case, note in ((_COST_LESSON, ""), (_COST_OTHER, other_note)):
        hypothesis = case[0].clone().requires_grad_(True)
        try:
            result = cost_fn(hypothesis, case[1].clone())
        except Exception as exc:  # the learner's code failed: say how, do not crash the lesson
            return _error_feedback(exc, note)
        if _is_blank(result):
            return BLANK
        if result is None:
            return _wrong("함수가 아무것도 돌려주지 않습니다 (None): 계산한 cost를 `return`으로 돌려주세요.")
        if not isinstance(result, torch.Tensor):
            if isinstance(result, numbers.Real):
                return _wrong("tensor를 돌려주어야 하는데 숫자 (Python float)입니다: `.item()`이나 `float()`를 빼세요. "
                              "`cost.backward()`를 하려면 tensor여야 합니다.")
            return _wrong(f"tensor를 돌려주어야 하는데 {type(result).__name__}입니다.")
        if result.numel() != 1:
            return _wrong(f"cost는 숫자 하나여야 하는데 shape {list(result.shape)}인 tensor입니다: "
                          f"제곱 오차의 평균을 내세요 (`torch.mean`).")
        got.append((result.item(), result.requires_grad))
    errors = [h - y for h, y in (_COST_LESSON, _COST_OTHER)]
    expected = [torch.mean(e ** 2).item() for e in errors]
    lesson_numbers = (f"W = b = 0일 때 (hypothesis가 모두 0) 학습 데이터의 cost는 {_j(_fmt(expected[0]), '이어야/여야')} "
                      f"하는데 {_j(_fmt(got[0][0]), '이/가')} 나왔습니다.")
    other_numbers = (f"{other_call}의 MSE는 {_fmt(expected[1])}인데 "
                     f"{_j(_fmt(got[1][0]), '이/가')} 나왔습니다.")
    if all(_close(g, e) for (g, _), e in zip(got, expected)):
        if not all(grad for _, grad in got):
            return _wrong("값은 맞지만 계산 그래프가 끊겼습니다 (`torch.tensor(...)`나 `.detach()`로 새로 만들었나요?): "
                          "계산한 tensor를 그대로 돌려주어야 `cost.backward()`가 W와 b의 gradient를 구합니다.")
        return _right("cost = mean((H(x) - y)^2): 제곱 오차의 평균, 한 줄입니다.")
    for _name, formula, hint, only_other in _COST_MISTAKES:
        if all(_close(g, formula(e, len(e)).item()) for (g, _), e in zip(got, errors)):
            if only_other:
                return _wrong(f"{hint} 채점은 학습 데이터 말고 4개짜리 다른 데이터로도 합니다: {other_numbers}")
            return _wrong(f"{hint} {lesson_numbers}")
    if all(_close(g, _precedence_cost(h, y).item()) for (g, _), (h, y) in zip(got, (_COST_LESSON, _COST_OTHER))):
        return _wrong("괄호가 빠졌습니다: `hypothesis - y_train ** 2`는 `y_train`만 제곱합니다. "
                      f"`(hypothesis - y_train) ** 2`로 쓰세요. {lesson_numbers}")
    if _close(got[0][0], expected[0]):
        return _wrong(f"학습 데이터에서는 맞지만 다른 데이터에서 틀립니다. {other_note} {other_numbers} "
                      f"숫자를 직접 적거나 위에서 만든 `x_train`, `y_train`을 쓰지 말고, 인자로 받은 tensor로 계산하세요.")
    return _wrong(lesson_numbers)


def check_cost_value(cost):
    """Exercise "cost를 손으로": the cost of H(x) = 1x + 0 on the training data is (1 + 4 + 9) / 3 = 14/3."""
    value, decimals, feedback = _number_answer(cost, "cost")
    if feedback is not None:
        return feedback
    expected = 14 / 3
    if _agrees(value, decimals, expected):
        return _right("(1 + 4 + 9) / 3 = 14/3 ≈ 4.6667입니다.")
    hints = (
        (14.0, "제곱 오차의 합 14를 데이터 개수 m = 3으로 나누지 않았습니다."),
        (-2.0, "오차를 제곱하지 않았습니다: (-1 - 2 - 3) / 3 = -2. 오차를 제곱해서 평균을 냅니다."),
        (2.0, "오차의 절댓값을 평균했습니다 (MAE): 제곱해서 평균을 냅니다."),
        (4.0, "오차를 먼저 평균하고 (-2) 제곱했습니다: 오차마다 제곱한 뒤 평균을 냅니다."),
        (7.0, "m - 1 = 2로 나눴습니다: 평균은 데이터 개수 m = 3으로 나눕니다."),
        (7 / 3, "2로 한 번 더 나눴습니다 (1/2m): 여기서 쓰는 cost는 제곱 오차의 평균 그대로입니다."),
        (math.sqrt(14 / 3), "제곱근을 씌웠습니다 (RMSE): cost는 제곱 오차의 평균 그대로입니다."),
        (56 / 3, "W = 0, b = 0일 때의 cost (학습 로그의 첫 cost)입니다. 이 연습은 H(x) = 1·x + 0입니다."),
        (0.0, "H(x) = 1·x + 0은 정답 y = 2x와 다른 직선이라 오차가 있습니다: 1 - 2, 2 - 4, 3 - 6."),
    )
    hint = _matching_hint(value, decimals, hints)
    if hint:
        return _wrong(hint)
    if abs(value - expected) < 0.02:
        return _wrong(f"거의 맞았습니다: 14/3 = 4.6666...이니 소수 둘째 자리까지 반올림하면 4.67, 셋째 자리까지는 "
                      f"4.667입니다 (받은 값 {_show(value)}).")
    return _wrong(f"H(x) = x의 오차는 1 - 2, 2 - 4, 3 - 6 = -1, -2, -3입니다. 제곱의 평균을 다시 계산해 보세요 "
                  f"(받은 값 {_show(value)}).")


# ----------------------------------------------------------------- optim.SGD and the three lines
_STEP_LR = 0.01
_CALL_CODE = {"zero_grad": "`optimizer.zero_grad()`", "backward": "`cost.backward()`", "step": "`optimizer.step()`"}
_CALL_PARTICLE = {"zero_grad": ("가", "를", "는"), "backward": ("가", "를", "는"), "step": ("이", "을", "은")}


def _call(event, case=0):
    return _CALL_CODE[event] + _CALL_PARTICLE[event][case]


class _RecordingSGD(optim.SGD):
    """optim.SGD that writes each ``zero_grad()`` and ``step()`` call into a list."""

    def __init__(self, params, lr, log):
        super().__init__(params, lr=lr)
        self._log = log

    def zero_grad(self, set_to_none=True):
        self._log.append("zero_grad")
        super().zero_grad(set_to_none)

    def step(self, closure=None):
        self._log.append("step")
        return super().step(closure)


def _state(W, b):
    return (W.item(), b.item(),
            None if W.grad is None else W.grad.item(), None if b.grad is None else b.grad.item())


def _simulate(events, calls=2):
    """W, b and their grads after each of ``calls`` calls of a train_step doing ``events`` in order."""
    x_train, y_train = load_train_data()
    W = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    optimizer = optim.SGD([W, b], lr=_STEP_LR)
    states = []
    for _ in range(calls):
        cost = torch.mean((x_train * W + b - y_train) ** 2)
        for event in events:
            if event == "backward":
                cost.backward()
            else:
                getattr(optimizer, event)()
        states.append(_state(W, b))
    return states


def _same_state(a, c, with_grads=True):
    n = 4 if with_grads else 2
    for u, v in zip(a[:n], c[:n]):
        if (u is None) != (v is None):
            return False
        if u is not None and not math.isclose(u, v, rel_tol=1e-5, abs_tol=1e-7):
            return False
    return True


def _order_problems(events):
    """What is wrong with one call's sequence of calls, in the learner's terms (empty if it is valid)."""
    problems = []
    missing = [e for e in ("zero_grad", "backward", "step") if e not in events]
    reasons = {"zero_grad": "gradient가 지워지지 않고 epoch마다 더해집니다 (누적).",
               "backward": "gradient가 계산되지 않습니다.",
               "step": "W와 b가 바뀌지 않습니다."}
    for event in missing:
        problems.append(f"{_call(event)} 없습니다: {reasons[event]}")
    for event in ("zero_grad", "backward", "step"):
        if events.count(event) > 1:
            problems.append(f"{_call(event, 1)} 한 번에 {events.count(event)}번 불렀습니다: epoch마다 한 번입니다.")
    if "step" in events and "backward" in events and events.index("step") < events.index("backward"):
        problems.append(f"{_call('step', 1)} {_CALL_CODE['backward']}보다 먼저 불렀습니다: `step()`은 "
                        f"`backward()`가 계산한 gradient로 W와 b를 바꾸므로 `backward()` 다음에 와야 합니다.")
    if "zero_grad" in events and "backward" in events and "step" in events:
        z, bw, s = events.index("zero_grad"), events.index("backward"), events.index("step")
        if bw < z < s:
            problems.append(f"{_call('zero_grad')} {_CALL_CODE['backward']}와 {_CALL_CODE['step']} 사이에 있습니다: "
                            f"`step()`이 쓰기 전에 gradient를 지워서 W와 b가 바뀌지 않습니다.")
    return problems


def check_train_step(train_step):
    """Exercise "항상 붙어다니는 3줄": ``train_step(x_train, y_train, W, b, optimizer)`` does one SGD epoch.

    Called twice from W = b = 0 with lr = 0.01, W and b must match one and two correct steps. Any
    order that does that is right (``zero_grad()`` first, or last). For a wrong answer the calls the
    function made are recorded; the hint names what is wrong with them if a reference function making
    the same calls behaves exactly like the learner's (else it shows W and b against the right ones).
    """
    if _is_blank(train_step) or (callable(train_step) and _untouched_function(train_step)):
        return BLANK
    if not callable(train_step):
        return _wrong(f"함수를 넘겨야 하는데 {type(train_step).__name__}입니다.")
    x_train, y_train = load_train_data()
    W = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    log = []
    optimizer = _RecordingSGD([W, b], _STEP_LR, log)
    handle = torch.autograd.graph.register_multi_grad_hook((W, b), lambda grads: log.append("backward"), mode="any")
    states, traces = [], []
    try:
        for _ in range(2):
            start = len(log)
            result = train_step(x_train, y_train, W, b, optimizer)
            if _is_blank(result):
                return BLANK
            traces.append(log[start:])
            states.append(_state(W, b))
    except Exception as exc:
        return _error_feedback(exc)
    finally:
        handle.remove()
    right = _simulate(("zero_grad", "backward", "step"))
    if all(_same_state(s, r, with_grads=False) for s, r in zip(states, right)):
        if traces[0] and traces[0][-1] == "zero_grad":
            return _right("`zero_grad()`를 마지막에 두어도 됩니다: 다음 `backward()` 전에 gradient가 비워지기 때문입니다. "
                          "강의는 `zero_grad()` → `backward()` → `step()` 순서로 씁니다.")
        return _right("`zero_grad()` → `backward()` → `step()`: 항상 붙어다니는 3줄입니다.")
    order = "순서는 `optimizer.zero_grad()` → `cost.backward()` → `optimizer.step()`입니다."
    untouched = not traces[0] and not traces[1] and all(s[:2] == (0.0, 0.0) for s in states)
    if untouched:
        if _has_blank_line(train_step):
            return BLANK
        if _code_after_return(train_step):
            return _wrong("`return cost` 아래에 쓴 줄은 실행되지 않습니다: 세 줄을 `return` 위로 옮기세요.")
        return _wrong("함수가 `optimizer.zero_grad()`, `cost.backward()`, `optimizer.step()` 중 아무것도 부르지 않아 "
                      f"W와 b가 그대로입니다. {order}")
    if traces[0] == traces[1] and all(_same_state(s, r) for s, r in zip(states, _simulate(traces[0]))):
        problems = _order_problems(traces[0])
        if problems:
            return _wrong(" ".join(problems) + " " + order)
    one, two = right[0], right[1]
    prefix = "세 줄의 순서는 맞지만, " if traces[0] == ["zero_grad", "backward", "step"] else ""
    return _wrong(f"{prefix}W = b = 0, lr = 0.01에서 한 번 부른 뒤 (W, b)가 ({_fmt(one[0])}, {_fmt(one[1])}), "
                  f"두 번 부른 뒤 {_j(f'({_fmt(two[0])}, {_fmt(two[1])})', '이어야/여야')} 하는데 "
                  f"({_fmt(states[0][0])}, {_fmt(states[0][1])}), ({_fmt(states[1][0])}, {_fmt(states[1][1])})입니다. "
                  f"hypothesis와 cost를 매번 새로 계산하는지, 받은 optimizer를 쓰는지 보세요.")


# ----------------------------------------------------------------- full training code
@lru_cache(maxsize=256)
def _history(lr, nb_epochs, W0=0.0, b0=0.0):
    x_train, y_train = load_train_data()
    return train_sgd(x_train, y_train, lr=lr, nb_epochs=nb_epochs, W0=W0, b0=b0)


def check_prediction(prediction):
    """Exercise "4시간의 점수": H(4) = 4 * W + b after the lecture's training (lr = 0.01, 1000 epochs): 7.9497."""
    value, decimals, feedback = _number_answer(prediction, "prediction")
    if feedback is not None:
        return feedback
    history = _history(0.01, 1000)
    expected = history.predict(4.0)
    if _agrees(value, decimals, expected):
        return _right(f"H(4) = 4 * W + b = {_j(_fmt(expected), '은/는')} 8에 가깝지만 정확히 8은 아닙니다 "
                      f"(cost가 아직 0이 아니므로).")
    W, b = history.W, history.b
    hints = (
        (8.0, "8은 정답 직선 y = 2x의 값입니다. 학습한 W와 b로 계산한 H(4) = 4 * W + b를 넣으세요."),
        (4 * W, "4 * W만 계산했습니다: b를 더하세요 (H(4) = 4 * W + b)."),
        (W + 4 * b, "W와 b가 바뀌었습니다: 4 * b + W가 아니라 4 * W + b입니다."),
        (0.0, "학습 전의 W = 0, b = 0으로 계산했습니다: 학습이 끝난 history의 W와 b를 쓰세요."),
        (4 * W - b, "b를 뺐습니다: H(4) = 4 * W + b입니다."),
    )
    hint = _matching_hint(value, decimals, hints)
    if hint:
        return _wrong(hint)
    if abs(value - expected) < 0.05:
        return _wrong(f"거의 맞았습니다: 4 * history.W + history.b = {_fmt(expected)}입니다 "
                      f"(받은 값 {_show(value)}). 소수 둘째 자리까지 반올림하면 {expected:.2f}입니다.")
    return _wrong(f"학습이 끝난 W = {_fmt(W)}, b = {_j(_fmt(b), '으로/로')} 4 * W + b를 계산하세요 (받은 값 {_show(value)}).")


def check_fast_lr_cost(final_cost):
    """Exercise "lr = 0.1": the last cost (``history.costs[-1]``) of train_sgd(lr=0.1, nb_epochs=100)."""
    if hasattr(final_cost, "costs") and not isinstance(final_cost, torch.Tensor):
        return _wrong("history 전체가 아니라 마지막 cost, 숫자 하나를 쓰세요: `history.costs[-1]`.")
    if isinstance(final_cost, (list, tuple)) and not _is_blank(final_cost):
        return _wrong("cost 목록 전체가 아니라 마지막 cost, 숫자 하나를 쓰세요: `history.costs[-1]`.")
    value, decimals, feedback = _number_answer(final_cost, "final_cost")
    if feedback is not None:
        return feedback
    fast = _history(0.1, 100)
    slow = _history(0.01, 100)
    expected = fast.costs[-1]
    if _agrees(value, decimals, expected):
        return _right(f"cost {_fmt(expected)}: lr = 0.01의 {_fmt(slow.costs[-1])}보다 훨씬 작습니다. "
                      f"lr이 크면 (발산하지 않는 한) 같은 epoch에 더 많이 내려갑니다.")
    hints = (
        (slow.costs[-1], "lr = 0.01일 때의 값입니다: `lr=0.1`로 바꾸세요."),
        (_history(0.1, 1000).costs[-1], "nb_epochs가 기본값 1000입니다: `nb_epochs=100`으로 바꾸세요."),
        (_history(0.01, 1000).costs[-1], "lr과 nb_epochs가 기본값 (0.01, 1000)입니다: `lr=0.1, nb_epochs=100`으로 바꾸세요."),
        (fast.costs[0], "첫 cost (epoch 0, 학습 전)입니다: 마지막 cost는 `history.costs[-1]`입니다."),
        (fast.W, "학습한 W입니다: 마지막 cost (`history.costs[-1]`)를 쓰세요."),
        (fast.costs[-2], "epoch 99의 cost입니다: `nb_epochs=100`이면 epoch 0부터 100까지 101번 학습합니다. "
                         "마지막은 `history.costs[-1]`입니다."),
    )
    hint = _matching_hint(value, decimals, hints)
    if hint:
        return _wrong(hint)
    return _wrong(f"`train_sgd(x_train, y_train, lr=0.1, nb_epochs=100)`로 학습한 뒤 마지막 cost "
                  f"(`history.costs[-1]`)를 쓰세요 (받은 값 {_show(value)}).")


# ----------------------------------------------------------------- nn.Module
def _own_forward_untouched(model):
    forward = type(model).__dict__.get("forward")
    return forward is not None and _untouched_function(forward)


def check_model(model):
    """Exercise "MyModel": an object of an own nn.Module class mapping [m, 1] to [m, 1] with one W and one b."""
    if _is_blank(model):
        return BLANK
    if isinstance(model, type):
        if issubclass(model, nn.Module):
            return _wrong(f"클래스가 아니라 객체를 넘기세요: `{model.__name__}()`처럼 괄호를 붙입니다.")
        return _wrong(f"nn.Module을 상속한 클래스의 객체여야 하는데 {model.__name__} 클래스입니다.")
    if not isinstance(model, nn.Module):
        return _wrong(f"nn.Module 객체여야 하는데 {type(model).__name__}입니다.")
    cls = type(model)
    own = not cls.__module__.startswith("torch.")
    if own and not any(k in cls.__dict__ for k in ("__init__", "forward")) and not list(model.parameters()):
        return BLANK
    if own and _own_forward_untouched(model) and not list(model.parameters()):
        return BLANK
    if not own:
        return _wrong(f"`nn.{cls.__name__}`도 같은 계산을 하지만, 이 연습은 nn.Module을 상속한 클래스를 직접 만드는 것입니다: "
                      f"`class MyModel(nn.Module):`에 `__init__`과 `forward`를 쓰세요.")
    if "forward" not in {k for c in cls.__mro__ if c is not nn.Module for k in c.__dict__}:
        return _wrong("forward가 없습니다 (철자: `forward`): `def forward(self, x): return self.linear(x)`를 쓰세요.")
    n_params = sum(p.numel() for p in model.parameters())
    if n_params == 0:
        return _wrong("`model.parameters()`가 비어 있습니다: `__init__`에서 `self.linear = nn.Linear(1, 1)`처럼 만들어야 "
                      "optimizer가 W와 b를 찾습니다 (그냥 tensor는 parameter가 아닙니다).")
    outputs = []
    for m in (3, 1, 5):
        x = torch.arange(1.0, m + 1.0).view(m, 1)
        try:
            out = model(x)
        except Exception as exc:
            if "shapes cannot be multiplied" in str(exc):
                return _wrong("입력이 1개 (x의 열 1개)이니 `nn.Linear(1, 1)`입니다: nn.Linear의 첫 숫자는 입력 개수입니다.")
            return _error_feedback(exc)
        if out is None:
            return _wrong("forward가 아무것도 돌려주지 않습니다 (None): `return self.linear(x)`처럼 `return`을 쓰세요.")
        if not isinstance(out, torch.Tensor):
            return _wrong(f"forward는 tensor를 돌려주어야 하는데 {type(out).__name__}입니다: `return self.linear(x)`.")
        if out.dim() == 2 and out.shape[0] == m and out.shape[1] != 1:
            return _wrong(f"출력이 {out.shape[1]}개입니다: 출력 1개이니 `nn.Linear(1, 1)`입니다.")
        if list(out.shape) != [m, 1]:
            return _wrong(f"forward는 받은 x와 같은 [m, 1] tensor를 돌려주어야 하는데, [{m}, 1]을 넣으니 "
                          f"{list(out.shape)}입니다. 받은 x로 계산하세요: `return self.linear(x)`.")
        outputs.append(out)
    if n_params != 2:
        return _wrong(f"학습할 숫자가 W와 b 두 개여야 하는데 {n_params}개입니다: `nn.Linear(1, 1)` 하나를 쓰세요.")
    parameters = list(model.parameters())
    saved = [p.grad for p in parameters]     # the learner's gradients, put back afterwards
    for p in parameters:
        p.grad = None
    outputs[0].sum().backward()
    unused = any(p.grad is None for p in parameters)
    for p, grad in zip(parameters, saved):
        p.grad = grad
    if unused:
        return _wrong("forward가 W와 b를 쓰지 않습니다: `return self.linear(x)`처럼 만든 층으로 계산하세요.")
    return _right("nn.Linear(1, 1) 안에 W (weight)와 b (bias)가 들어 있습니다.")


@lru_cache(maxsize=1)
def _lesson_model_predictions():
    """H(4) of the lesson's models: seed 1 start (nn.Linear), and W = b = 0 start; both lr 0.01, 1000 epochs."""
    with torch.random.fork_rng():
        torch.manual_seed(1)
        linear = nn.Linear(1, 1)
    W0, b0 = linear.weight.item(), linear.bias.item()
    return {"trained": _history(0.01, 1000, W0, b0).predict(4.0), "zero": _history(0.01, 1000).predict(4.0),
            "untrained": 4 * W0 + b0}


def check_model_prediction(prediction):
    """Exercise "model로 예측": ``model(torch.FloatTensor([[4]]))`` of the lesson's trained model.

    Right: H(4) of the lesson's model trained from ``torch.manual_seed(1)`` (lr 0.01, 1000 epochs), or of
    the same training from W = b = 0; as a [1, 1] tensor (the model's output), or also as a number.
    """
    if _is_blank(prediction):
        return BLANK
    if isinstance(prediction, torch.Tensor) and prediction.numel() != 1:
        if prediction.dim() == 2 and prediction.shape[1] == 1:
            return _wrong(f"{prediction.shape[0]}개를 예측했습니다 (shape {list(prediction.shape)}): 4시간 하나만 "
                          f"`torch.FloatTensor([[4]])`로 넣으세요.")
        return _wrong(f"숫자 하나여야 하는데 shape {list(prediction.shape)}인 tensor입니다: "
                      f"`model(torch.FloatTensor([[4]]))`.")
    value, decimals, feedback = _number_answer(prediction, "prediction")
    if feedback is not None:
        return feedback
    references = _lesson_model_predictions()
    note = ""
    if isinstance(prediction, torch.Tensor) and list(prediction.shape) != [1, 1]:
        note = (f" 참고: 입력을 `x_train`처럼 [[4.0]] ([1, 1])로 넣으면 결과도 [1, 1] tensor입니다 "
                f"(지금은 shape {list(prediction.shape)}).")
    elif not isinstance(prediction, torch.Tensor):
        note = " 참고: model의 출력은 [1, 1] tensor입니다. `.item()`을 빼면 tensor 그대로입니다."
    for key in ("trained", "zero"):
        if _agrees(value, decimals, references[key]):
            return _right(f"H(4) = {references[key]:.4f}입니다. model은 `x_train`과 같은 꼴의 입력을 받습니다.{note}")
    if _agrees(value, decimals, references["untrained"]):
        return _wrong("학습 전 model의 값입니다: 학습하는 셀을 먼저 실행하고, 학습한 `model`로 예측하세요.")
    if _agrees(value, decimals, 8.0):
        return _wrong("8은 정답 직선 y = 2x의 값입니다: 학습한 `model`에 [[4]]를 넣은 결과를 쓰세요.")
    return _wrong(f"학습한 model이라면 H(4) = {_j(_fmt(references['trained']), '이어야/여야')} 하는데 "
                  f"{_show(value) if not isinstance(prediction, torch.Tensor) else _fmt(value)}입니다. "
                  f"학습하는 셀을 먼저 실행했는지, 새로 만든 (학습하지 않은) model을 쓰지 않았는지 보세요.")


# ----------------------------------------------------------------- how gradient descent minimises cost
#: (x, y, W, b): the training data at the lesson's two points, then 4-point data of other size.
_GRAD_CASES = (
    ([1, 2, 3], [2, 4, 6], 0.0, 0.0),
    ([1, 2, 3], [2, 4, 6], 1.5, -0.5),
    ([1, 2, 3, 5], [2, 3, 7, 9], 0.0, 0.0),
    ([1, 2, 3, 5], [2, 3, 7, 9], 1.5, -0.5),
    ([1, 2, 3, 5], [2, 3, 7, 9], 3.0, 2.0),
)


def _grad_formula(kind, x, y, W, b):
    m = len(x)
    e = x * W + b - y
    dW, db = 2 / m * torch.sum(e * x), 2 / m * torch.sum(e)
    return {
        "swap": (db, dW),
        "no_2_over_m": (torch.sum(e * x), torch.sum(e)),
        "no_1_over_m": (2 * torch.sum(e * x), 2 * torch.sum(e)),
        "no_2": (torch.mean(e * x), torch.mean(e)),
        "sign": (-dW, -db),
        "hard_m3": (2 / 3 * torch.sum(e * x), 2 / 3 * torch.sum(e)),
        "dW_no_x": (2 / m * torch.sum(e), db),
        "db_with_x": (dW, 2 / m * torch.sum(e * x)),
        "no_b": (2 / m * torch.sum((x * W - y) * x), 2 / m * torch.sum(x * W - y)),
    }[kind]


_GRAD_HINTS = (
    ("swap", "(dW, db)의 순서가 바뀌었습니다: 첫째가 W의 gradient, 둘째가 b의 gradient입니다. `return dW, db`."),
    ("no_2_over_m", "2/m을 통째로 빠뜨렸습니다: 합에 2/m을 곱해야 평균의 미분입니다."),
    ("no_1_over_m", "1/m을 빠뜨렸습니다: cost가 평균이므로 gradient도 m으로 나눕니다."),
    ("no_2", "2를 빠뜨렸습니다: (오차)²의 미분은 2 × 오차입니다."),
    ("sign", "부호가 반대입니다: 오차는 H(x) - y (`x_train * W + b - y_train`)입니다."),
    ("dW_no_x", "dW에 x를 곱하지 않았습니다: dW는 오차에 x를 곱해서 더합니다."),
    ("db_with_x", "db에 x를 곱했습니다: db는 오차를 그대로 더합니다 (x를 곱하지 않습니다)."),
    ("no_b", "오차에 b가 빠졌습니다: 오차는 `x_train * W + b - y_train`입니다."),
    ("hard_m3", "데이터 개수를 3으로 고정했습니다 (숫자 3이나 전역 `x_train`의 길이): 학습 데이터에서는 맞지만 "
                "데이터 개수가 다르면 틀립니다. `m = len(x_train)`처럼 인자로 받은 tensor에서 구하세요."),
)


def check_gradients(gradients):
    """Exercise "gradient를 코드로": ``gradients(x_train, y_train, W, b)`` -> (dW, db), checked against autograd.

    Run on the training data at the lesson's points (0, 0) and (1.5, -0.5), then on 4-point data;
    a hint about the 4-point data shows the call to re-run.
    """
    if _is_blank(gradients) or (callable(gradients) and _untouched_function(gradients)):
        return BLANK
    if not callable(gradients):
        return _wrong(f"함수를 넘겨야 하는데 {type(gradients).__name__}입니다.")
    name = _fn_name(gradients, "my_gradients")
    got, want = [], []
    for xs, ys, W0, b0 in _GRAD_CASES:
        x, y = _column(xs), _column(ys)
        W = torch.tensor([W0], requires_grad=True)
        b = torch.tensor([b0], requires_grad=True)
        torch.mean((x * W + b - y) ** 2).backward()
        call = (f"`{name}(torch.FloatTensor({_code_list(x)}), torch.FloatTensor({_code_list(y)}), "
                f"torch.tensor([{W0}]), torch.tensor([{b0}]))`")
        other = len(xs) != 3
        note = f"채점은 학습 데이터 말고 4개짜리 다른 데이터로도 합니다: {call}." if other else ""
        try:
            result = gradients(x.clone(), y.clone(), W.detach().clone(), b.detach().clone())
        except Exception as exc:
            return _error_feedback(exc, note)
        if _is_blank(result):
            return BLANK
        if result is None:
            return _wrong("함수가 아무것도 돌려주지 않습니다 (None): `return dW, db`를 쓰세요.")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return _wrong("(dW, db) 두 값을 돌려주세요: `return dW, db`.")
        pair = []
        for part, part_name in zip(result, ("dW", "db")):
            if isinstance(part, torch.Tensor) and part.numel() != 1:
                return _wrong(f"{_j(part_name, '은/는')} 숫자 하나여야 하는데 shape {list(part.shape)}인 tensor입니다: "
                              f"오차들을 `torch.sum`으로 더하세요.")
            try:
                pair.append(float(part))
            except (TypeError, ValueError):
                return _wrong(f"{_j(part_name, '은/는')} 숫자여야 하는데 {type(part).__name__}입니다.")
        got.append(pair)
        want.append((W.grad.item(), b.grad.item()))
        if not all(math.isclose(g, w, rel_tol=1e-4, abs_tol=1e-5) for g, w in zip(pair, want[-1])):
            break
    else:
        return _right("손으로 구한 gradient가 autograd와 같습니다.")
    case = len(got) - 1
    xs, ys, W0, b0 = _GRAD_CASES[case]
    on_other = len(xs) != 3
    for kind, hint in _GRAD_HINTS:
        refs = [_grad_formula(kind, _column(c[0]), _column(c[1]), c[2], c[3]) for c in _GRAD_CASES[:case + 1]]
        if all(all(math.isclose(g, float(r), rel_tol=1e-4, abs_tol=1e-5) for g, r in zip(pair, ref))
               for pair, ref in zip(got, refs)):
            if kind == "hard_m3" or (on_other and kind != "swap"):
                break
            return _wrong(hint + f" W = {W0}, b = {b0}에서 autograd는 (dW, db) = ({_fmt(want[-1][0])}, "
                                 f"{_fmt(want[-1][1])})인데 ({_fmt(got[-1][0])}, {_fmt(got[-1][1])}){_p(_fmt(got[-1][1]), '이/가')} "
                                 f"나왔습니다.")
    else:
        kind, hint = None, ""
    numbers_text = (f"(dW, db) = {_j(f'({_fmt(want[-1][0])}, {_fmt(want[-1][1])})', '이어야/여야')} 하는데 "
                    f"({_fmt(got[-1][0])}, {_fmt(got[-1][1])}){_p(_fmt(got[-1][1]), '이/가')} 나왔습니다.")
    if on_other:
        call = (f"`{name}(torch.FloatTensor({_code_list(_column(xs))}), torch.FloatTensor({_code_list(_column(ys))}), "
                f"torch.tensor([{W0}]), torch.tensor([{b0}]))`")
        lead = hint if kind == "hard_m3" else "학습 데이터에서는 맞지만 다른 데이터에서 틀립니다."
        return _wrong(f"{lead} 채점은 학습 데이터 말고 4개짜리 다른 데이터로도 합니다: {call}에서 autograd는 "
                      f"{numbers_text} 숫자를 직접 적거나 위에서 만든 `x_train`, `y_train`을 쓰지 말고, "
                      f"인자로 받은 tensor로 계산하세요.")
    if math.isclose(got[-1][1], want[-1][1], rel_tol=1e-4, abs_tol=1e-5):
        return _wrong(f"db는 맞고 dW가 틀렸습니다: dW는 오차에 x를 곱해서 더하고 2/m을 곱합니다. "
                      f"학습 데이터, W = {W0}, b = {b0}에서 autograd는 {numbers_text}")
    return _wrong(f"학습 데이터 (`x_train`, `y_train`), W = {W0}, b = {b0}에서 autograd는 {numbers_text}")


#: The experiment the lesson suggests for the largest learning rate: train_sgd(..., nb_epochs=2000).
MAX_LR_EPOCHS = 2000
#: The smallest learning rate taken as "the largest that converges": it rounds to 0.18.
MAX_LR_LOWEST_RIGHT = 0.175


def check_max_lr(lr):
    """Exercise "한계 learning rate": right is 0.175 <= lr < 2/λmax (≈ 0.180295), a value just below the limit
    where W and b both learn. At the limit itself the steep direction flips by -1 every step forever (the
    cost does not fall); above it training does not converge: the hint says at which epoch
    ``train_sgd(..., nb_epochs=2000)`` diverges, or how its cost grows; below 0.175 a bigger lr still converges.
    """
    value, decimals, feedback = _number_answer(lr, "lr")
    if feedback is not None:
        return feedback
    x_train, _ = load_train_data()
    limit = stability_limit(x_train)
    if value <= 0:
        return _wrong(f"learning rate는 0보다 커야 하는데 {_show(value)}입니다.")
    shown = _show(value) if decimals <= 6 else f"{value:.6g}"
    experiment = f"`train_sgd(x_train, y_train, lr={shown}, nb_epochs={MAX_LR_EPOCHS})`"
    if math.isclose(value, limit, rel_tol=1e-6):
        return _wrong(f"lr = {_j(shown, '은/는')} 한계 2/λmax ≈ {limit:.6f} 바로 그 값입니다. 이 lr에서는 골짜기를 "
                      f"가로지르는 방향이 매 update −1배가 되어 cost가 줄지도 커지지도 않습니다(수렴하지 않습니다). "
                      f"한계보다 조금 작은 값을 쓰세요(예: 소수 둘째 자리에서 내림).")
    if MAX_LR_LOWEST_RIGHT <= value < limit:
        return _right(f"W와 b를 함께 학습할 때 한계는 2/λmax = 6/(17 + √265) ≈ {limit:.6f}입니다. "
                      f"이보다 작으면 수렴하고, 크면 발산합니다(한계 그 자체에서는 수렴하지 않습니다).")
    prefix = ""
    if _agrees(value, decimals, 3 / 14):
        prefix = ("3/14 ≈ 0.214는 b를 0으로 고정하고 W만 학습할 때의 한계입니다. W와 b를 함께 학습하면 "
                  "한계가 더 작습니다. ")
    if value > limit:
        history = _history(value, MAX_LR_EPOCHS)
        if history.diverged:
            return _wrong(f"{prefix}lr = {_j(shown, '은/는')} epoch {history.diverged_at}에서 발산합니다 ({experiment}). "
                          f"더 작은 값에서 찾아보세요.")
        trend = "커집니다" if history.costs[-1] >= history.costs[0] else "거의 줄지 않습니다"
        return _wrong(f"{prefix}lr = {_j(shown, '은/는')} 한계 2/λmax ≈ {limit:.6f}보다 조금 큽니다: {experiment}의 cost가 "
                      f"{_fmt(history.costs[0])}에서 {_j(_fmt(history.costs[-1]), '으로/로')} {trend} (수렴하지 않습니다). "
                      f"반올림하면서 한계를 넘었다면 내림해서 쓰세요.")
    if _agrees(value, decimals, limit / 2):
        prefix = "1/λmax ≈ 0.090은 골짜기를 가로지르는 지그재그가 시작되는 lr이고, 발산하는 한계는 그보다 큽니다. "
    bigger = round(value + (MAX_LR_LOWEST_RIGHT - value) / 2, 3)
    if bigger <= value:
        bigger = MAX_LR_LOWEST_RIGHT
    bigger_run = _history(bigger, MAX_LR_EPOCHS)
    return _wrong(f"{prefix}lr = {shown}보다 큰 lr도 수렴합니다: 예를 들어 lr = {bigger:g}도 {MAX_LR_EPOCHS} epoch 뒤 "
                  f"cost가 {_j(_fmt(bigger_run.costs[-1]), '으로/로')} 줄어듭니다. 더 올려 보세요.")
