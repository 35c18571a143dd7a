"""Figures for the lessons. Every function draws on ``ax`` (a new figure's axes when None), returns the
artists it drew and changes no global matplotlib state. Ranges come from the data. Labels are in English:
matplotlib's default font has no Hangul glyphs."""

import math

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, NullLocator
import torch

from .data import validate_number, validate_xy
from .training import best_fit

LOG_FLOOR = 1e-12   #: on a log-scale cost plot, costs below this (an exact fit reaches 0) are drawn here
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _axes(ax):
    return plt.subplots()[1] if ax is None else ax


def _as_1d(values, name):
    t = torch.as_tensor(values, dtype=torch.float64).flatten()
    if t.numel() == 0 or not bool(torch.isfinite(t).all()):
        raise ValueError(f"{name} must be a non-empty sequence of finite numbers")
    return t


def cost_grid(x_train, y_train, W_values, b_values):
    """The MSE for every pair (W_values[i], b_values[j]): a float64 tensor [len(W), len(b)], by broadcasting."""
    validate_xy(x_train, y_train)
    W = _as_1d(W_values, "W_values").view(-1, 1, 1)
    b = _as_1d(b_values, "b_values").view(1, -1, 1)
    return torch.mean((W * x_train.double().view(1, 1, -1) + b - y_train.double().view(1, 1, -1)) ** 2, dim=-1)


def default_ranges(x_train, y_train):
    """``(W_values, b_values)``, 121 points each around the best (W*, b*): half-widths ``max(2, |W*|)``
    for W and ``max(4, |b*|, max(y) - min(y))`` for b."""
    W_best, b_best = best_fit(x_train, y_train)
    w_half, b_half = max(2.0, abs(W_best)), max(4.0, abs(b_best), (y_train.max() - y_train.min()).item())
    return (torch.linspace(W_best - w_half, W_best + w_half, 121, dtype=torch.float64),
            torch.linspace(b_best - b_half, b_best + b_half, 121, dtype=torch.float64))


def plot_data(x_train, y_train, ax=None, question_x=None, label="training data"):
    """Scatter the data; with ``question_x``, mark that x with a dashed line and a '?' (its y is unknown).
    Returns ``[scatter]``, plus the dashed line and the '?' if asked."""
    validate_xy(x_train, y_train)
    ax = _axes(ax)
    artists = [ax.scatter(x_train.flatten(), y_train.flatten(), s=60, zorder=3, label=label)]
    if question_x is not None:
        question_x = validate_number(question_x, "question_x")
        artists.append(ax.axvline(question_x, color="tab:red", linestyle="--", linewidth=1,
                                  label=f"test: x = {question_x:g}, y = ?"))
        # Near the top of the axes (x in data, y in axes units): not at a height that reads as a y value.
        artists.append(ax.text(question_x, 0.9, " ?", transform=ax.get_xaxis_transform(), color="tab:red",
                               fontsize=18, fontweight="bold", va="center"))
    ax.set(xlabel="Hours (x)", ylabel="Points (y)")
    return artists


def _short(value):
    """A number as the lessons print W and b: at most 3 decimals, no trailing zeros (1.971, 2.5, 0)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def plot_line(W, b, ax=None, x_range=None, **kwargs):
    """Draw y = W x + b across ``x_range`` (default: the axes' x-limits); return the Line2D."""
    W, b = validate_number(W, "W"), validate_number(b, "b")
    ax = _axes(ax)
    lo, hi = x_range if x_range is not None else ax.get_xlim()
    kwargs.setdefault("label", f"H(x) = {_short(W)}x {'−' if b < 0 else '+'} {_short(abs(b))}")
    kwargs.setdefault("color", "tab:green")
    return ax.plot([lo, hi], [W * lo + b, W * hi + b], scalex=False, **kwargs)[0]


def plot_residuals(x_train, y_train, W, b, ax=None, squares=False):
    """Draw each error H(x) - y as a vertical segment (and, with ``squares``, a square of that side;
    true squares only on axes with equal aspect); return the artists drawn."""
    validate_xy(x_train, y_train)
    W, b = validate_number(W, "W"), validate_number(b, "b")
    ax = _axes(ax)
    artists = []
    for x, y in zip(x_train.flatten().tolist(), y_train.flatten().tolist()):
        h = W * x + b
        artists += ax.plot([x, x], [y, h], color="tab:red", linewidth=1.5)
        if squares:
            artists.append(ax.add_patch(plt.Rectangle((x, min(y, h)), abs(h - y), abs(h - y),
                                                      color="tab:red", alpha=0.15)))
    return artists


def plot_cost_vs_W(x_train, y_train, b=0.0, ax=None, W_values=None, **kwargs):
    """Plot cost(W) with b held fixed; return the Line2D. ``W_values`` default: see default_ranges."""
    b = validate_number(b, "b")
    W_values = _as_1d(default_ranges(x_train, y_train)[0] if W_values is None else W_values, "W_values")
    ax = _axes(ax)
    kwargs.setdefault("label", f"cost(W), b = {b:g}")
    line = ax.plot(W_values, cost_grid(x_train, y_train, W_values, [b])[:, 0], **kwargs)[0]
    ax.set(xlabel="W", ylabel="cost")
    return line


def plot_cost_contour(x_train, y_train, ax=None, W_values=None, b_values=None, levels=None):
    """Draw cost(W, b) as contour lines with the minimum as a star; return ``(contour_set, minimum_marker)``.
    ``levels``: the costs of the lines (default 12 log-spaced); ``W_values``, ``b_values``: see default_ranges."""
    W_default, b_default = default_ranges(x_train, y_train)
    W_values = _as_1d(W_default if W_values is None else W_values, "W_values")
    b_values = _as_1d(b_default if b_values is None else b_values, "b_values")
    ax = _axes(ax)
    costs = cost_grid(x_train, y_train, W_values, b_values)
    if levels is None:
        levels = torch.logspace(math.log10(max(costs.min().item(), 1e-3)), math.log10(costs.max().item()), 12).tolist()
    contour = ax.contour(W_values, b_values, costs.T, levels=levels, cmap="viridis")
    W_best, b_best = best_fit(x_train, y_train)
    marker = ax.plot([W_best], [b_best], "*", color="tab:red", markersize=14,
                     label=f"minimum (W={W_best:.3g}, b={b_best:.3g})")[0]
    ax.set(xlabel="W", ylabel="b")
    return contour, marker


def plot_cost_history(costs, ax=None, **kwargs):
    """Plot cost per epoch on a log y-axis; return the Line2D. ``costs`` must be finite and >= 0
    (``train_sgd`` stops before NaN/inf); a cost below LOG_FLOOR is drawn at LOG_FLOOR."""
    costs = _as_1d(costs, "costs")
    if bool((costs < 0).any()):
        raise ValueError("costs must be >= 0 (a mean of squares), got a negative value")
    ax = _axes(ax)
    line = ax.plot(range(len(costs)), costs.clamp(min=LOG_FLOOR), **kwargs)[0]
    ax.set(yscale="log", xlabel="epoch", ylabel="cost")
    ax.yaxis.set_minor_locator(NullLocator())           # ticks at powers of 10, labelled as plain text:
    ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))   # 10⁻⁴ draws in half the time of mathtext
    return line


def _power_of_ten(value, position=None):
    return "10" + str(round(math.log10(value)) if value > 0 else 0).translate(_SUPERSCRIPT)


def plot_descent_path(Ws, bs, ax=None, **kwargs):
    """Draw the path of (W, b) during training with its start marked; return ``(path_line, start_marker)``.
    Keyword arguments (color, marker, markersize, linewidth, label ...) override the default style."""
    Ws, bs = _as_1d(Ws, "Ws"), _as_1d(bs, "bs")
    if len(Ws) != len(bs):
        raise ValueError(f"Ws and bs must have the same length, got {len(Ws)} and {len(bs)}")
    ax = _axes(ax)
    style = {"label": "gradient descent path", "color": "tab:orange", "marker": ".", "markersize": 3,
             "linewidth": 1, **kwargs}
    return ax.plot(Ws, bs, **style)[0], ax.plot(Ws[:1], bs[:1], "o", color=style["color"], markersize=8)[0]
