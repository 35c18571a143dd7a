"""The lecture's data (hours studied -> points; lesson 1) and the argument checks lab_utils uses. The slides
ask only about 4 hours; the test set adds 5 and 6 by the same rule (points = 2 x hours) to average over."""

import math
import numbers

import torch

def _column(values):
    return torch.FloatTensor([[v] for v in values])


def load_train_data():
    """Return ``(x_train, y_train)``: new float32 tensors of shape [3, 1] ([[1],[2],[3]], [[2],[4],[6]])."""
    return _column((1.0, 2.0, 3.0)), _column((2.0, 4.0, 6.0))


def load_test_data():
    """Return ``(x_test, y_test)``: new float32 tensors of shape [3, 1] ([[4],[5],[6]], [[8],[10],[12]])."""
    return _column((4.0, 5.0, 6.0)), _column((8.0, 10.0, 12.0))


def validate_column(t, name):
    """Return ``t`` if it is a finite floating tensor of shape [m, 1], m >= 1; else raise TypeError or
    ValueError naming the argument ``name`` and what is allowed."""
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape [m, 1], got {type(t).__name__}")
    if not t.is_floating_point():
        raise TypeError(f"{name} must have a floating dtype (e.g. torch.float32 from torch.FloatTensor), got {t.dtype}")
    if t.dim() != 2 or t.shape[1] != 1 or t.shape[0] < 1:
        raise ValueError(f"{name} must have shape [m, 1] (2-D, one column, m >= 1), got {list(t.shape)}")
    if not bool(torch.isfinite(t).all()):
        raise ValueError(f"{name} must contain only finite numbers, got NaN or inf")
    return t


def validate_xy(x, y, x_name="x_train", y_name="y_train"):
    """Validate two data columns (see ``validate_column``) of equal length; return ``(x, y)``."""
    validate_column(x, x_name), validate_column(y, y_name)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"{x_name} and {y_name} must have the same number of rows, got {x.shape[0]} and {y.shape[0]}")
    return x, y


def validate_number(value, name, *, positive=False, minimum=None, integer=False):
    """Return a scalar argument as ``int`` (``integer=True``) or a finite ``float``; a one-element tensor
    counts as its number, bools are refused. ``positive``: must be > 0; ``minimum``: must be >= it."""
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(f"{name} must be one number, got a tensor of shape {list(value.shape)}")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Integral if integer else numbers.Real):
        raise TypeError(f"{name} must be {'an integer' if integer else 'a number'}, got {type(value).__name__}")
    if not integer and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value) if integer else float(value)
