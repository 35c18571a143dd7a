"""The lecture's data (hours studied -> points) and checks on tensors passed to lab_utils.

Introduced in ``notebooks/01_data_definition.ipynb``.
"""

import math
import numbers

import torch

#: Training data from the slides: 1, 2, 3 hours of study -> 2, 4, 6 points.
TRAIN_HOURS = (1.0, 2.0, 3.0)
TRAIN_POINTS = (2.0, 4.0, 6.0)

#: The slides' question: how many points after 4 hours of study?
QUESTION_HOURS = 4.0

#: A small test set for the lessons, made with the training data's rule (points = 2 x hours).
#: The slides only ask about 4 hours; 5 and 6 hours are added so the error is an average.
TEST_HOURS = (4.0, 5.0, 6.0)
TEST_POINTS = (8.0, 10.0, 12.0)


def _column(values):
    return torch.FloatTensor([[v] for v in values])


def load_train_data():
    """Return ``(x_train, y_train)``: new float32 tensors of shape [3, 1] ([[1],[2],[3]], [[2],[4],[6]])."""
    return _column(TRAIN_HOURS), _column(TRAIN_POINTS)


def load_test_data():
    """Return ``(x_test, y_test)``: new float32 tensors of shape [3, 1] ([[4],[5],[6]], [[8],[10],[12]])."""
    return _column(TEST_HOURS), _column(TEST_POINTS)


def validate_column(t, name):
    """Check that ``t`` is a finite floating tensor of shape [m, 1] with m >= 1; return it.

    Raises TypeError (not a tensor, not a floating dtype) or ValueError (shape, NaN/inf),
    naming the argument ``name`` and what is allowed.
    """
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape [m, 1], got {type(t).__name__}")
    if not t.is_floating_point():
        raise TypeError(
            f"{name} must have a floating dtype (e.g. torch.float32 from torch.FloatTensor), got {t.dtype}"
        )
    if t.dim() != 2 or t.shape[1] != 1:
        raise ValueError(f"{name} must have shape [m, 1] (2-D, one column), got {list(t.shape)}")
    if t.shape[0] < 1:
        raise ValueError(f"{name} must have at least one row, got shape {list(t.shape)}")
    if not bool(torch.isfinite(t).all()):
        raise ValueError(f"{name} must contain only finite numbers, got NaN or inf")
    return t


def validate_xy(x, y, x_name="x_train", y_name="y_train"):
    """Validate a pair of data columns (see ``validate_column``) of equal length; return ``(x, y)``."""
    validate_column(x, x_name)
    validate_column(y, y_name)
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of rows, got {x.shape[0]} and {y.shape[0]}"
        )
    return x, y


def validate_number(value, name, *, positive=False, minimum=None, integer=False):
    """Check a scalar argument; return it as ``int`` (``integer=True``) or ``float``.

    A one-element tensor counts as its number. ``positive``: must be > 0.
    ``minimum``: must be >= minimum. Bools are refused.
    """
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(f"{name} must be one number, got a tensor of shape {list(value.shape)}")
        value = value.item()
    kind = "an integer" if integer else "a number"
    wanted = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, wanted):
        raise TypeError(f"{name} must be {kind}, got {type(value).__name__}")
    if not integer and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value) if integer else float(value)
