"""pytest set-up for the whole repository (tests/ and the nbval run over notebooks/)."""

import matplotlib
import matplotlib.font_manager  # noqa: F401  (see below)


def pytest_configure(config):
    # Tests in this process draw off-screen. Kernels started by nbval are separate processes and
    # keep the inline backend.
    #
    # Importing matplotlib.font_manager above builds matplotlib's font cache on a brand-new
    # machine (it says so on stderr) here, once, so that no lesson's stored output shows that.
    matplotlib.use("Agg")
