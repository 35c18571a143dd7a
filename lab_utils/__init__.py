"""Helpers for the Lab-02 Linear Regression lessons (모두를 위한 딥러닝 시즌2, PyTorch).

Modules (import the one you need; importing this package changes no global state):

- ``lab_utils.data``     : the lecture's training/test data and input validation
- ``lab_utils.training`` : hypothesis, cost, hand-made gradients, the SGD training loop (also for
                          many learning rates at once)
- ``lab_utils.plotting`` : figures for the lessons (every function takes ``ax=``)
- ``lab_utils.checks``   : exercise checkers that give a specific hint in Korean
- ``lab_utils.live``     : how a panel's picture is made: one figure, redrawn with blitting, as PNG
- ``lab_utils.views``    : what the training panel shows, as plain Python (no figure, no widgets)
- ``lab_utils.widgets``  : interactive panels (learning rate / epochs / Step, and W / b by hand)
"""

__version__ = "1.0.0"
