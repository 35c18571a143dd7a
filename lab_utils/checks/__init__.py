"""Exercise checkers: a Feedback, right or what exactly is wrong (in Korean). ``core`` judges; ``lessons_1_4`` and
``lessons_5_7`` hold the checkers and known mistakes. Each is wrapped here once: a blank gets ``BLANK``, none raises."""

from . import lessons_1_4, lessons_5_7
from .core import BLANK, Feedback, Mistake, guarded

CHECKERS = {name: guarded(getattr(module, name)) for module in (lessons_1_4, lessons_5_7) for name in dir(module)
            if name.startswith("check_")}
globals().update(CHECKERS)     # from lab_utils.checks import check_x_test, ...
