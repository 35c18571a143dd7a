"""The checkers' machinery: Feedback, blanks, rounding, untouched templates, and that a checker never raises.

The answer-by-answer verdicts and hints are in ``test_graders.py`` (one table per exercise); the last
tests here check that those tables can fail: a deliberately broken checker must not pass them.
"""

import math
import re

import pytest
import torch
import torch.nn as nn

import test_graders
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
    for checker, table in test_graders.TABLES.items():
        for name, make, *_ in table:
            message = test_graders.run(checker, make).message
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
    assert checks._agrees(value, decimals, expected) == agrees


@pytest.mark.parametrize("value, decimals, expected, near", [
    (4.7, 1, 14 / 3, True), (4.66, 2, 14 / 3, True), (4.6, 1, 14 / 3, True), (4.5, 1, 14 / 3, False),
    (0.0, 1, 6.002e-4, False), (0.001, 3, 6.002e-4, False), (0.00061, 5, 6.002e-4, True), (20, 0, 19.77, False),
])
def test_almost_right_is_one_unit_of_the_last_digit_written(value, decimals, expected, near):
    answer = round(value, decimals) if decimals else int(value)
    feedback = checks._judge_number(answer, "x", expected, [], "right", "other")
    assert ("거의 맞았습니다" in feedback.message) == near, feedback


def test_decimals_of_a_number_are_what_was_typed():
    assert checks._as_number(torch.tensor(4.6667), "x") == (torch.tensor(4.6667).item(), 4)
    assert checks._as_number(4.67, "x")[1] == 2
    assert checks._as_number(6e-4, "x")[1] == 4
    assert checks._as_number(14, "x")[1] == 0
    assert checks._as_number(torch.tensor(4.6667, dtype=torch.float64), "x")[1] == 17


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
        assert checks._untouched(fn), fn
    for fn in (started, half_done, lambda a, b: a - b, print, len):
        assert not checks._untouched(fn), fn
    assert checks._source_facts(half_done)[2] and not checks._source_facts(started)[2]


def test_checks_reads_no_bytecode():
    """Version-neutral: no dis, no opcode names (they change with every CPython release)."""
    source = (ROOT / "lab_utils" / "checks.py").read_text(encoding="utf-8")
    assert "import dis" not in source and "__code__" not in source
    for opcode in ("RESUME", "PRECALL", "RETURN_CONST", "LOAD_CONST", "RETURN_VALUE"):
        assert opcode not in source


def test_checks_module_is_small():
    assert len((ROOT / "lab_utils" / "checks.py").read_text(encoding="utf-8").splitlines()) <= 650


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
                "    return torch.mean((hypothesis - y_train) ** 2)\n")
        assert shell.run_cell(cell).success
        ns = shell.user_ns
        assert checks._untouched(ns["my_cost"]) and not checks._untouched(ns["finished"])
        assert checks._source_facts(ns["train_step"])[2] and not checks._untouched(ns["train_step"])
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
        self.linear = nn.Linear(1, 1)

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
    errors = [1 - 2, 2 - 4, 3 - 6]
    assert checks.check_cost_value(sum(e * e for e in errors) / len(errors))


def test_cost_function_other_data_is_shown_as_code_that_reproduces_the_number():
    """The hint for a hard-coded m shows a call; running it with the learner's function gives the quoted number."""

    def my_cost(hypothesis, y_train):
        return torch.sum((hypothesis - y_train) ** 2) / 3

    message = checks.check_cost_function(my_cost).message
    call = re.search(r"`(my_cost\(.*?\))`", message).group(1)
    got = eval(call, {"torch": torch, "my_cost": my_cost}).item()   # noqa: S307 - our own message
    assert f"결과: {got:.4f}, 정답: 2.3125" in message    # (1 + 1 + 6.25 + 1) / 4, by hand


def test_gradients_other_data_is_shown_as_code_that_reproduces_the_number():
    def my_gradients(x_train, y_train, W, b):
        error = x_train * W + b - y_train
        return 2 / 3 * torch.sum(error * x_train), 2 / 3 * torch.sum(error)

    message = checks.check_gradients(my_gradients).message
    call = re.search(r"`(my_gradients\(.*?\))`", message).group(1)
    dW, db = eval(call, {"torch": torch, "my_gradients": my_gradients})   # noqa: S307 - our own message
    assert f"결과: ({dW.item():.4f}, {db.item():.4f})" in message
    # by hand at W = b = 0 on x = 1, 2, 3, 5 and y = 2, 3, 7, 9: dW = 2/4 * -(2 + 6 + 21 + 45), db = 2/4 * -21
    assert f"정답: ({-37:.4f}, {-10.5:.4f})" in message


def test_gradient_reference_is_autograd_and_the_formula():
    x, y = load_train_data()
    W, b = torch.tensor([1.5]), torch.tensor([-0.5])
    dW, db = checks._autograd_gradients(x, y, W, b)
    assert math.isclose(dW, 2 / 3 * sum((1.5 * xi - 0.5 - 2 * xi) * xi for xi in (1, 2, 3)), rel_tol=1e-6)
    assert math.isclose(db, 2 / 3 * sum(1.5 * xi - 0.5 - 2 * xi for xi in (1, 2, 3)), rel_tol=1e-6)


def test_train_step_reference_is_hand_made_sgd():
    """The right W, b after one call: lr * the hand-made gradient at W = b = 0 (2/3 * sum(-y x), 2/3 * sum(-y))."""
    (W1, b1), _ = checks._run_steps(None, events=("zero_grad", "backward", "step"))[0]
    assert math.isclose(W1, 0.01 * 2 / 3 * (2 * 1 + 4 * 2 + 6 * 3), rel_tol=1e-6)
    assert math.isclose(b1, 0.01 * 2 / 3 * (2 + 4 + 6), rel_tol=1e-6)


# ----------------------------------------------------------------- the tables can fail
BROKEN = {
    "accepts everything": lambda *a: Feedback(True, "정답"),
    "rejects everything": lambda *a: Feedback(False, "힌트"),
    "blank for everything": lambda *a: BLANK,
}


@pytest.mark.parametrize("checker", list(test_graders.TABLES), ids=lambda c: c.__name__)
@pytest.mark.parametrize("broken", list(BROKEN))
def test_a_broken_checker_fails_its_table(checker, broken):
    """Replace one checker by a broken one: at least one row of its table must fail."""
    failures = 0
    for _name, make, verdict, text, *rest in test_graders.TABLES[checker]:
        answer = make()
        feedback = BROKEN[broken](*(answer if checker in test_graders.TWO_ARGUMENTS else (answer,)))
        if verdict == test_graders.BLANKED:
            failures += feedback != BLANK
        else:
            failures += feedback.blank or feedback.ok != (verdict == test_graders.RIGHT) or text not in feedback.message
    assert failures > 0
