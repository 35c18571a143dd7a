import math

import pytest
import torch

from lab_utils.data import load_test_data, load_train_data, validate_number, validate_xy


def test_train_data_is_the_slides_table():
    x_train, y_train = load_train_data()
    assert x_train.dtype == y_train.dtype == torch.float32
    assert x_train.shape == y_train.shape == (3, 1)
    assert x_train.flatten().tolist() == [1, 2, 3]
    assert y_train.flatten().tolist() == [2, 4, 6]   # the slides, not the write-up's one-off [[4],[5],[6]]


def test_each_call_gives_fresh_tensors():
    x1, _ = load_train_data()
    x1[0, 0] = 100.0
    x2, _ = load_train_data()
    assert x2[0, 0].item() == 1.0


def test_test_data_follows_the_training_rule():
    x_test, y_test = load_test_data()
    assert x_test.shape == y_test.shape == (3, 1)
    assert x_test[0, 0].item() == 4.0   # the slides' question: 4 hours
    assert torch.equal(y_test, 2 * x_test)


@pytest.mark.parametrize("x, y, error, message", [
    ([[1.0]], torch.ones(1, 1), TypeError, "x_train must be a torch.Tensor of shape [m, 1], got list"),
    (torch.tensor([[1], [2]]), torch.ones(2, 1), TypeError,
     "x_train must have a floating dtype (e.g. torch.float32 from torch.FloatTensor), got torch.int64"),
    (torch.ones(3), torch.ones(3, 1), ValueError, "x_train must have shape [m, 1] (2-D, one column, m >= 1), got [3]"),
    (torch.ones(3, 1), torch.ones(1, 3), ValueError, "y_train must have shape [m, 1] (2-D, one column, m >= 1), got [1, 3]"),
    (torch.ones(0, 1), torch.ones(0, 1), ValueError, "x_train must have shape [m, 1] (2-D, one column, m >= 1), got [0, 1]"),
    (torch.tensor([[1.0], [math.nan]]), torch.ones(2, 1), ValueError,
     "x_train must contain only finite numbers, got NaN or inf"),
    (torch.ones(3, 1), torch.tensor([[1.0], [2.0], [math.inf]]), ValueError,
     "y_train must contain only finite numbers, got NaN or inf"),
    (torch.ones(3, 1), torch.ones(2, 1), ValueError,
     "x_train and y_train must have the same number of rows, got 3 and 2"),
])
def test_validate_xy_names_the_argument_and_what_is_allowed(x, y, error, message):
    with pytest.raises(error) as info:
        validate_xy(x, y)
    assert str(info.value) == message


@pytest.mark.parametrize("value, kwargs, error, message", [
    (True, {}, TypeError, "lr must be a number, got bool"),
    ("0.1", {}, TypeError, "lr must be a number, got str"),
    (math.nan, {}, ValueError, "lr must be a finite number, got nan"),
    (0, {"positive": True}, ValueError, "lr must be > 0, got 0"),
    (-0.5, {"positive": True}, ValueError, "lr must be > 0, got -0.5"),
    (1.5, {"integer": True}, TypeError, "lr must be an integer, got float"),
    (-1, {"integer": True, "minimum": 0}, ValueError, "lr must be >= 0, got -1"),
])
def test_validate_number_errors(value, kwargs, error, message):
    with pytest.raises(error) as info:
        validate_number(value, "lr", **kwargs)
    assert str(info.value) == message


def test_validate_number_accepts_python_and_numpy_like_numbers():
    assert validate_number(3, "nb_epochs", integer=True, minimum=0) == 3
    assert validate_number(0.01, "lr", positive=True) == 0.01
    assert validate_number(torch.tensor(2.5).item(), "W") == 2.5


def test_validate_number_takes_one_element_tensors_only():
    assert validate_number(torch.tensor([2.5], requires_grad=True), "W") == 2.5
    with pytest.raises(ValueError) as info:
        validate_number(torch.ones(3, 1), "b")
    assert str(info.value) == "b must be one number, got a tensor of shape [3, 1]"
