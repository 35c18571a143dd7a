"""How a panel's picture is made: matplotlib's blitting recipe, off screen, sent as PNG bytes.

What never changes is drawn once into a background; a move puts it back and draws only the moving
artists over it. One axes whose limits change (cost per epoch) is left out of the background; its
frame (spines, ticks, labels) is drawn over a copy of it and kept per limits (the last MAX_FRAMES),
since an axes' ticks and labels cost more to draw than the rest of a move.
"""

import struct
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def png_bytes(rgba):
    """``rgba`` (height x width x 4 uint8, matplotlib's Agg buffer) as PNG bytes: rows unfiltered, zlib
    level 1; lossless, and 3x quicker than Pillow's encoder, which tries every filter on every row."""
    rgba = np.asarray(rgba)
    height, width = rgba.shape[:2]
    rows = np.zeros((height, 1 + 4 * width), np.uint8)      # each row starts with filter type 0
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    chunks = ((b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),    # 8 bits per channel, RGBA
              (b"IDAT", zlib.compress(rows, 1)), (b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(struct.pack(">I", len(data)) + kind + data       # length, type, data,
                                          + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))  # CRC-32
                                          for kind, data in chunks)


class LiveFigure:
    """An off-screen figure: build the axes on ``figure``; mark what moves with ``moving(artist)``; call
    ``freeze(changing_axes)`` once; then ``render()`` after each change. ``prepare(xlim, ylim)`` draws the
    changing axes' frame for other limits ahead of time."""

    MAX_FRAMES = 32     #: how many backgrounds with the changing axes' frame are kept (0: none)

    def __init__(self, figsize, dpi=90):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self._moving, self._axes, self._background, self._frames = [], None, None, {}
        self.picture = None

    def moving(self, artist):
        """Mark ``artist`` as one that changes (left out of the background); return it."""
        artist.set_animated(True)
        self._moving.append(artist)
        return artist

    def freeze(self, changing_axes=None):
        """Fix the layout and draw the background: everything but the moving artists and the axes whose
        limits change (at most one), whose frame is drawn for each new pair of limits, and kept."""
        self.figure.get_layout_engine().execute(self.figure)   # constrained layout places the axes once ...
        self.figure.set_layout_engine("none")      # ... and they stay there
        self._axes = changing_axes
        if changing_axes is not None:
            changing_axes.set_visible(False)
        self.canvas.draw()                         # animated artists are left out
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        if changing_axes is not None:
            changing_axes.set_visible(True)

    def _background_with_axes(self):
        """The background with the changing axes' frame at its current limits (kept per limits)."""
        key = self._axes.get_xlim(), self._axes.get_ylim()
        if key in self._frames:
            self._frames[key] = self._frames.pop(key)          # now the most recently used
            return self._frames[key]
        self.canvas.restore_region(self._background)
        plain = np.array(self.canvas.buffer_rgba())
        self.figure.draw_artist(self._axes)                   # its frame: moving artists are left out
        now = np.asarray(self.canvas.buffer_rgba())       # one uint32 per pixel: numpy compares 60x quicker
        drawn = np.flatnonzero((now.view(np.uint32) != plain.view(np.uint32)).any(axis=(0, 2)))
        frame = self.canvas.copy_from_bbox([[drawn[0], 0], [drawn[-1] + 1, len(plain)]])   # its columns
        if self.MAX_FRAMES:
            self._frames[key] = frame
            if len(self._frames) > self.MAX_FRAMES:
                del self._frames[next(iter(self._frames))]    # the least recently used
        return frame

    def prepare(self, xlim, ylim):
        """Draw and keep the changing axes' frame for these limits ahead of time."""
        limits = self._axes.get_xlim(), self._axes.get_ylim()
        self._axes.set(xlim=xlim, ylim=ylim)
        self._background_with_axes()
        self._axes.set(xlim=limits[0], ylim=limits[1])

    def render(self):
        """Draw the current state; return it as PNG bytes (kept in ``picture``)."""
        self.canvas.restore_region(self._background)
        if self._axes is not None:
            self.canvas.restore_region(self._background_with_axes())
        for artist in self._moving:
            if artist.get_visible():
                artist.axes.draw_artist(artist)
        self.picture = png_bytes(self.canvas.buffer_rgba())
        return self.picture
