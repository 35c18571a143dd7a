"""The course's lessons in reading order: the one list that the refresh tool, class mode, the tests,
the benchmarks and the hub harness read. A new lesson, a renamed file or a panel moved to another
lesson is one edit here (then ``python -m lab02_tools.refresh --nav-only`` rewrites the nav lines).
"""

from dataclasses import dataclass

from lab02_tools import ROOT

NOTEBOOKS = ROOT / "notebooks"
#: The contents page (not a lesson): the lesson table, written from this list.
INDEX = "00_index.ipynb"
#: The tag of a lesson's panel cell: nbval runs it but does not compare its output (a live widget).
PANEL_TAG = "panel"


@dataclass(frozen=True)
class Lesson:
    file: str           #: its file in notebooks/
    title: str          #: short title (the nav lines and the contents page say "Lab-02-N title")
    what: str           #: one line on what it teaches (the contents page's table)
    panel: str | None = None    #: how its one panel cell starts ("TrainingPanel("), None: no panel

    @property
    def path(self):
        return NOTEBOOKS / self.file


LESSONS = (
    Lesson("01_data_definition.ipynb", "데이터 정의 (Data definition)",
           "4시간 공부하면 몇 점? 학습 데이터와 테스트 데이터, `x_train`과 `y_train`, shape [3, 1], dtype"),
    Lesson("02_hypothesis.ipynb", "Hypothesis",
           "H(x) = Wx + b, `requires_grad`, broadcasting, 여러 후보 직선, W·b 슬라이더로 직접 맞추기, (심화) 정수 tensor와 `requires_grad`",
           panel="ManualFitPanel("),
    Lesson("03_cost.ipynb", "Cost (MSE)",
           "MSE를 세 가지 방법으로, cost 곡선과 등고선, 오차의 정사각형과 슬라이더로 가장 좋은 W 찾기, (심화) 왜 MSE인가 (MAE와 비교), MSE와 MAE의 gradient, cost 곡선의 식, b = 1일 때 가장 좋은 W의 식, MAE 함수 만들기",
           panel="ManualFitPanel("),
    Lesson("04_optim_sgd.ipynb", "optim.SGD와 학습의 세 줄 (zero_grad·backward·step)",
           "`optim.SGD`와 learning rate, epoch, `zero_grad()`·`backward()`·`step()`을 한 줄씩, `zero_grad()`를 빠뜨리면, SGD의 '확률적', (심화) mini-batch와 SGD의 장단점"),
    Lesson("05_training_loop.ipynb", "전체 학습 코드 (Full training code)",
           "'한번만'·'반복', 정리 노트의 학습 로그, 매 epoch 기록과 결과 그림, 4시간 예측과 테스트 데이터, 학습 패널 (Step·×10·Run·Reset, 첫 update 손으로 계산하기), (심화) 슬라이드의 반복문, `train_sgd`의 코드와 learning rate 비교",
           panel="TrainingPanel("),
    Lesson("06_how_gd_minimizes_cost.ipynb", "Gradient descent는 어떻게 cost를 줄이나",
           "손으로 구한 gradient = autograd, cost 곡선과 등고선 위의 gradient descent 경로, 너무 큰 learning rate와 발산, 학습 패널로 한계 근처 보기 (나란히 학습, 시작점 바꾸기), 손으로 update 한 번 하고 패널로 확인하기, (심화) lr 0.17과 0.19의 실험, Hessian과 고유값, 다섯 명 데이터에서의 한계, MSE의 절반의 gradient(연습문제)",
           panel="TrainingPanel("),
    Lesson("07_nn_module.ipynb", "nn.Module로 다시 쓰기 (심화)",
           "`nn.Linear`(정수 입력은 안 됨), `LinearRegressionModel`, `F.mse_loss`, Lab-02-5와 비교, 시작점을 0으로 맞추기와 `torch.no_grad()`, (심화) 무작위 시작점의 cost가 더 작은 이유"),
)

#: The lessons with a panel, in reading order.
PANEL_LESSONS = tuple(lesson for lesson in LESSONS if lesson.panel)
#: The lesson an instructor presents most and the class tests run (class mode, the hub): the first
#: with the training panel, where the write-up's whole training loop is.
TRAINING = next(lesson for lesson in LESSONS if lesson.panel == "TrainingPanel(")


def all_notebooks():
    """The paths of the contents page and every lesson, in reading order."""
    return [NOTEBOOKS / INDEX] + [lesson.path for lesson in LESSONS]


def panel_cells(nb):
    """A notebook's panel cells (tag 'panel'): the live widgets nbval runs but does not compare."""
    return [c for c in nb.cells if c.cell_type == "code" and PANEL_TAG in c.metadata.get("tags", [])]


def full_training_cell(nb):
    """The training lesson's full training code cell: the write-up's loop that prints the log."""
    cells = [c for c in nb.cells if c.cell_type == "code"
             and "for epoch in range(nb_epochs + 1)" in c.source and "print(" in c.source]
    assert len(cells) == 1, f"{TRAINING.file} must have exactly one full training cell"
    return cells[0]
