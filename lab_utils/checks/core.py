"""The judging core: ``Feedback``, ``BLANK``, ``Mistake``, one path for numbers, one for functions. Hints name the
exercise's variable, no particle after a value that varies; references are computed, never copied from a lesson."""

import ast
import inspect
import math
import numbers
import textwrap
from collections import namedtuple
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps

import numpy as np
import torch
import torch.nn as nn


@dataclass(frozen=True)
class Feedback:
    """A checker's verdict: ``ok`` (also its truth value), a Korean ``message``; ``blank``: the neutral prompt."""
    ok: bool
    message: str
    blank: bool = False
    def __bool__(self): return self.ok
    def __repr__(self): return ("✎ " if self.blank else "✔ 정답입니다! " if self.ok else "✘ 힌트: ") + self.message


BLANK = Feedback(False, "빈칸(...)을 채우고 셀을 다시 실행하세요.", blank=True)   #: what a blank exercise shows, stored ones too
Mistake = namedtuple("Mistake", "test hint")   #: test: the wrong value, a function of a grading case, or a predicate


def _right(message): return Feedback(True, message)
def _wrong(message): return Feedback(False, message)
def _code(t): return "torch.FloatTensor([" + ", ".join(f"[{v:g}]" for v in t.flatten().tolist()) + "])"    # a column
def _listed(values): return "[" + ", ".join(f"{v:g}" for v in values) + "]"
def _shown(values): return _fmt(values[0]) if len(values) == 1 else "(" + ", ".join(_fmt(v) for v in values) + ")"
def _close(a, b): return len(a) == len(b) and all(math.isclose(u, v, rel_tol=1e-4, abs_tol=1e-5) for u, v in zip(a, b))


def _fmt(x, digits=4):
    """A number as hints print it: ``digits`` decimals, 2.00e-04 when small, 3 significant digits when large."""
    if x == 0 or not math.isfinite(x) or abs(x) >= 1e5:
        return "0" if x == 0 else f"{x:.3g}"
    return f"{x:.2e}" if abs(x) < 10 ** -(digits - 1) else f"{x:.{digits}f}"


def _what(value):
    """What a value is, in words a learner knows (never a Python type name)."""
    if isinstance(value, (torch.Tensor, list, tuple)):     # how many numbers it holds
        return f"shape {list(value.shape)}인 tensor" if isinstance(value, torch.Tensor) else f"값 {len(value)}개의 묶음"
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
    def trivial(node, docstring=False):     # a statement or an expression; a string is trivial as a statement only
        if isinstance(node, (ast.Expr, ast.Return)):
            return node.value is None or trivial(node.value, docstring=isinstance(node, ast.Expr))
        if isinstance(node, ast.Tuple):
            return all(map(trivial, node.elts))
        return isinstance(node, ast.Pass) or isinstance(node, ast.Constant) and (
            node.value in (None, Ellipsis) or docstring and isinstance(node.value, str))
    node = _function_ast(fn)
    return node is not None and all(trivial(s) for s in ([node.body] if isinstance(node, ast.Lambda) else node.body))


def _source_facts(fn):
    """``fn``'s source: attributes called, uncalled (name -> code), a ``...``, code after return, other optimizers."""
    node = _function_ast(fn)
    nodes = list(ast.walk(node)) if node is not None else []
    calls = [n.func for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    blank = any(isinstance(n, ast.Pass) or (isinstance(n, ast.Constant) and n.value is Ellipsis) for n in nodes)
    body, called = node.body if isinstance(getattr(node, "body", None), list) else [], {c.attr for c in calls}
    after_return = any(isinstance(statement, ast.Return) for statement in body[:-1])
    arguments = {a.arg for n in nodes if isinstance(n, ast.arguments) for a in n.args}
    aliases = {t.id for n in nodes if isinstance(n, ast.Assign) and getattr(n.value, "id", None) in arguments
               for t in n.targets if isinstance(t, ast.Name)}
    stored = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)} - aliases
    other = {ast.unparse(c.value) for c in calls if c.attr in ("zero_grad", "step")} - (arguments - stored | aliases)
    bare = {n.attr: ast.unparse(n) for n in nodes if isinstance(n, ast.Attribute) and n.attr not in called}
    return called, bare, blank, after_return, other


_FAILED = "코드를 실행하다 오류가 났습니다"
#: An exception of the learner's code -> its hint: words of its message ("|" between alternatives) or its kind.
_ERRORS = (("xor", "`^`는 Python에서 XOR입니다. 제곱은 `** 2`로 씁니다(예: `error ** 2`)."),
           ("backward through the graph a second time", "`cost.backward()`를 두 번 불렀습니다: 한 epoch에 한 번만 부르세요."),
           ("require grad|attribute 'backward'", "계산 그래프가 끊겼습니다: `.detach()`, `.item()`, `torch.no_grad()` 없이 계산하세요."),
           ("object has no attribute 'zero_'", "gradient가 아직 없는데 `.zero_()`를 불렀습니다: `optimizer.zero_grad()`를 쓰세요."),
           ("'axis'|numpy()", "numpy 함수(예: `np.mean`)는 tensor의 gradient를 계산하지 못합니다: `torch.mean`처럼 torch 함수를 쓰세요."),
           ("same dtype", _FAILED + ": dtype이 다른 tensor끼리 계산했습니다(예: `.double()`로 만든 float64 층에 float32 입력)."),
           (SystemExit, _FAILED + ": `sys.exit()`나 `exit()`가 실행을 멈춥니다. 그 줄을 지우세요."),
           (OverflowError, _FAILED + ": 숫자가 너무 커서 계산할 수 없습니다."), (ZeroDivisionError, _FAILED + ": 0으로 나누었습니다."),
           (TypeError, _FAILED + ": 계산에 맞지 않는 종류의 값이 있습니다(예: 숫자나 tensor 자리에 다른 값)."))


def _error_feedback(exc, note=""):
    """Feedback for an exception raised by the learner's code, in Korean words (``BLANK`` if a ``...`` caused it)."""
    if "ellipsis" in (text := str(exc).lower()):
        return BLANK
    if "must match the size" in text and note:
        return _wrong(f"인자로 받은 tensor 말고 다른 tensor(예: 위에서 만든 `x_train`, `y_train`)를 써서 크기가 맞지 않습니다. {note}")
    if isinstance(exc, NameError):
        return _wrong(f"정의되지 않은 이름이 있습니다: `{exc.name or exc}`. 철자와, 위의 셀을 먼저 실행했는지 보세요.")
    hint = next((hint for c, hint in _ERRORS if (any(w in text for w in c.split("|")) if isinstance(c, str)
                                                  else isinstance(exc, c))), _FAILED + ". 함수에 넘긴 인자와 계산을 한 줄씩 확인하세요.")
    return _wrong(f"{hint} {note}".strip())


def _as_number(value, name, where=None, many=""):
    """``(float, decimals typed; 17: computed, 0: whole)`` of one real number, else a Feedback (``where`` opens it)."""
    def shortest(x, dtype):     # the shortest number a float32 (float16, ...) is: torch.tensor(4.6667) -> 4 decimals
        return next((k for k in range(13) if torch.tensor(round(x, k), dtype=dtype).item() == x), 17)
    value = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
    where, tensor = where or f"`{name}`에는 숫자 하나를 넣어야 하는데", isinstance(value, torch.Tensor)
    if isinstance(value, str):
        return _wrong(f"숫자를 따옴표 없이 쓰세요: `{name}`에 넣은 값은 문자열 '{value}'입니다.")
    if tensor and (value.numel() != 1 or value.is_complex() or value.dtype == torch.bool):
        return _wrong(f"{where} {_what(value)}" + ((f"입니다: {many}" if many else "입니다.") if value.numel() != 1
                                                   else f"(dtype {value.dtype})입니다."))   # many: a hint for many numbers
    if not tensor and (isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal))):
        called = " 괄호를 붙여 불러서 나온 값을 쓰세요." if callable(value) and not isinstance(value, type) else ""
        return _wrong(f"{where} {_what(value)}입니다.{called}")
    if not math.isfinite(number := float(value.item() if tensor else value)):
        return _wrong(f"{where} {number}입니다(유한한 숫자가 아님).")
    dtype = str(getattr(value, "dtype", "")).removeprefix("torch.")     # a torch or a numpy float32, float16, ...
    if number.is_integer() or isinstance(value, (float, Decimal)):     # as typed (also np.float64, Decimal); 5.0 is 5
        return number, 0 if number.is_integer() else -Decimal(str(value)).as_tuple().exponent
    return number, shortest(number, getattr(torch, dtype)) if dtype in ("float32", "float16", "bfloat16") else 17


def _agrees(value, decimals, expected):
    """``value`` (``decimals`` written) is ``expected`` rounded: two decimals (two digits below 0.1) or one more."""
    if value == expected or expected == 0 or not math.isfinite(expected):
        return abs(value - expected) <= 1e-9
    least = max(2, 1 - math.floor(math.log10(abs(expected))))
    k = min(max(decimals, least), least + 1)
    return abs(value - expected) <= 0.5 * 10.0 ** -k * (1 + 1e-9) + 1e-12 * abs(expected)


def _judge_number(answer, name, expected, mistakes, right, otherwise):
    """Not a number; right (a tensor also at its own precision); almost right; a mistake; too few digits; other."""
    if isinstance(number := _as_number(answer, name), Feedback):
        return number
    (value, decimals), gap = number, abs(number[0] - expected)
    if _agrees(value, decimals, expected) or (isinstance(answer, torch.Tensor) and answer.is_floating_point()
                                               and torch.tensor(expected, dtype=answer.dtype).item() == value):
        return _right(right)     # a tensor is also right at its own precision: float16 holds 14/3 as 4.668
    shown = repr(answer) if type(answer) is float else _fmt(value, 6).rstrip("0").rstrip(".") or "0"
    rounded, cut = gap <= 0.5 * 10.0 ** -decimals * (1 + 1e-9), abs(value) < abs(expected) and value * expected >= 0
    near = gap < min(10.0 ** -decimals, 0.5 * abs(expected)) and (rounded or cut or gap < 0.05 * abs(expected))
    digits = "소수 둘째 자리까지" if abs(expected) >= 0.1 else f"유효숫자 두 자리 이상(예: {expected:#.2g})"
    hints = list(dict.fromkeys(m.hint for m in mistakes if _agrees(value, decimals, m.test)))
    if near:
        how = "" if rounded else "끝자리를 버렸다면, 반올림해서 " if cut else "반올림을 확인해서 "
        maybe = "" if rounded and decimals else " / ".join(h.removeprefix("거의 맞았습니다: ") for h in hints)
        maybe = maybe and f" 이 값은 다음 경우에도 나옵니다: `{name}`: {maybe}"
        return _wrong(f"거의 맞았습니다(입력한 값: {shown}). {how}{digits} 쓰세요.{maybe}")
    if hints or rounded:
        return _wrong(f"`{name}`: " + (" / ".join(hints) or f"너무 적은 자리로 반올림했습니다(입력한 값: {shown}). {digits} 쓰세요."))
    return _wrong(otherwise.format(shown=shown))


def _tensor_problem(t, name, shape, like="x_train"):
    """A hint if ``t`` is not a real (floating) tensor of ``shape``, else None."""
    if not isinstance(t, torch.Tensor):
        return f"`{name}`에는 tensor를 넣어야 하는데 {_what(t)}입니다. `torch.FloatTensor(...)`로 만드세요."
    if not t.is_floating_point():
        return f"`{name}`의 dtype은 {t.dtype}(실수가 아님)입니다. `{like}`처럼 실수여야 하니 `torch.FloatTensor`를 쓰거나 4.0처럼 소수점을 붙이세요."
    if list(t.shape) == list(shape):
        return None
    extra = (" 행과 열이 바뀌었습니다." if t.dim() == 2 and t.shape[0] == 1 and t.shape[1] == shape[0] != 1 else
             f" 데이터 개수가 {shape[0]}개여야 합니다." if t.dim() == 2 and t.shape[1] == 1 else "")
    return (f"`{name}`의 shape은 {list(shape)}이어야 하는데 {list(t.shape)}입니다.{extra} [[1], [2], ...]처럼 한 줄에 하나씩"
            "(숫자 하나도 [[4]]처럼) [데이터 개수, 1] 꼴의 2차원으로 씁니다.")


def _cases(name, *arguments):
    """``(arguments, call)`` cases of ``name``; ``call``, shown in hints, makes data other than the lesson's 3 rows."""
    def code(t): return _code(t) if t.dim() == 2 else f"torch.tensor({t.tolist()})"
    return tuple((a, "" if len(a[0]) == 3 else f"{name}({', '.join(map(code, a))})") for a in arguments)


def _judge_function(fn, name, cases, run, reference, mistakes, right):
    """Run ``fn`` on each ``(arguments, call)``; a ``call`` (data not the lesson's) is shown in hints, to re-run."""
    if not (function := callable(fn) and not isinstance(fn, type)) or _untouched(fn):
        return BLANK if function else _wrong(f"`{name}`에는 함수를 넣어야 하는데 {_what(fn)}입니다.")
    got = []     # (what ``fn`` returned, the reference's) for each case
    for arguments, call in cases:
        try:
            out = run(fn, *[a.clone() for a in arguments])
        except Exception as exc:   # noqa: BLE001 - the learner's code failed: say how
            return _error_feedback(exc, f"채점은 다른 데이터로도 합니다: `{call}`." if call else "")
        if isinstance(out, Feedback):
            return out
        got.append((out, reference(*arguments)))
    if (wrong := next((i for i, (g, w) in enumerate(got) if not _close(g, w)), None)) is None:
        return _right(right)
    (g, w), call = got[wrong], cases[wrong][1]
    hint = next((m.hint + " " for m in mistakes if all(_close(o, m.test(*c[0])) for (o, _), c in zip(got, cases))),
                "숫자를 직접 적거나 위에서 만든 `x_train`, `y_train`을 쓰지 말고, 인자로 받은 tensor로 계산하세요. " if call else "")
    return _wrong(f"`{name}`: {'학습 데이터에서는 맞지만 다른 데이터에서 틀립니다. ' if call else ''}{hint}"
                  f"{f'`{call}`의 결과' if call else '학습 데이터에서의 결과'}: {_shown(g)}, 정답: {_shown(w)}.")


def _read_numbers(out, names, fn):
    """What the learner's function ``fn`` returned as floats, one per name, or a Feedback saying what is wrong."""
    parts = tuple(out) if len(names) > 1 and isinstance(out, (tuple, list)) else (out,)
    if _is_blank(out) or out is None or len(parts) != len(names):
        return BLANK if _is_blank(out) else _wrong(
            "함수가 아무것도 돌려주지 않습니다: 계산한 값을 `return`으로 돌려주세요." if out is None else
            f"({', '.join(names)}) {len(names)}개를 돌려주세요: `return {', '.join(names)}`.")
    numbers = [_as_number(part, part_name, f"`{fn}`가 돌려주는 {f'{part_name}는' if len(names) > 1 else '값은'} 숫자 하나여야 하는데",
                          "오차들을 더하거나(`torch.sum`) 평균하세요(`torch.mean`).") for part, part_name in zip(parts, names)]
    failed = [number for number in numbers if isinstance(number, Feedback)]
    return failed[0] if failed else tuple(value for value, _ in numbers)


def guarded(checker):     # the checkers' promises, in one place: BLANK for a blank, a Feedback for an exception
    @wraps(checker)
    def safe(*answers):
        try:
            return BLANK if _is_blank(*answers) else checker(*answers)
        except (Exception, SystemExit) as exc:   # noqa: BLE001 - a learner's objects can fail in any way, even exit
            return _error_feedback(exc)
    return safe

