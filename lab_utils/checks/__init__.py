"""Exercise checkers: each returns a Feedback, right or what exactly is wrong (in Korean); ``core`` judges, ``lessons_1_4``
and ``lessons_5_7`` hold each exercise's checker and its known mistakes. Each is wrapped here once, so none ever raises."""

from . import lessons_1_4, lessons_5_7
from .core import BLANK, Feedback, Mistake, never_raises

CHECKERS = {name: never_raises(getattr(module, name)) for module in (lessons_1_4, lessons_5_7) for name in dir(module)
            if name.startswith("check_")}
globals().update(CHECKERS)     # from lab_utils.checks import check_x_test, ...
