"""Helpers for the Lab-02 Linear Regression lessons (모두를 위한 딥러닝 시즌2, PyTorch); importing changes no
global state. Modules: ``data`` (the lecture's data, argument checks), ``training`` (cost, gradients, the SGD
loop), ``plotting`` (the lessons' figures), ``checks`` (exercise checkers, hints in Korean), ``views`` (what
the training panel shows), ``live`` (a panel's picture: blitting, PNG) and ``widgets`` (the panels)."""

__version__ = "1.0.0"
