"""Exercise checkers: a Korean Feedback, right or what is wrong; each wrapped: ``BLANK`` for a blank, never raising."""

from . import lessons_1_4, lessons_5_7
from .core import BLANK, Feedback, Mistake, guarded

CHECKERS = {name: guarded(getattr(module, name)) for module in (lessons_1_4, lessons_5_7) for name in dir(module)
            if name.startswith("check_")}
globals().update(CHECKERS)     # from lab_utils.checks import check_x_test, ...
