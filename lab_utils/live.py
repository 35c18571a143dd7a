"""What keeps the interactive panels of ``lab_utils.widgets`` fast to redraw: ``LiveFigure``.

A matplotlib figure drawn off-screen (no pyplot, so no global list of open figures) and handed out
as PNG bytes, every pixel exact (``png_bytes``: written for speed, about 0.6 ms for a panel's
picture against 8-13 ms for Pillow's PNG or lossless WebP, and quick for a browser to decode;
benchmarks/browser_latency.py measures the whole move). What never changes is drawn once into a
background; an update draws only the changing artists on top. One axes may have a changing frame
(limits, ticks); its frames are drawn when first needed, or ahead with ``prepare_frame``, and kept
(a few, least recently used). Nothing runs at import time.
"""

import collections
import struct
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

try:
    # ISA-L's deflate: the zlib format, about 8 times faster than zlib's at level 1.
    from isal.isal_zlib import compress as _deflate
except ImportError:  # pragma: no cover - isal is a dependency; zlib gives the same pixels, slower
    from zlib import compress as _deflate


def png_bytes(rgba):
    """``rgba`` (a height x width x 4 uint8 array, as matplotlib's Agg buffer) as PNG bytes.

    8-bit RGBA, every row with filter type 0 (none), deflate at level 1: about 0.6 ms for a 1170 x 369
    picture and about the size of Pillow's PNG. Pillow tries every filter on every row (8-13 ms here);
    on a plot's flat colours that buys little, so the rows go to deflate as they are.
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8 or 0 in rgba.shape:
        raise ValueError("rgba must be a height x width x 4 array of uint8, at least 1 x 1, "
                         f"got shape {rgba.shape} of {rgba.dtype}")
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 0                                  # each row starts with its filter type: none
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)   # 8 bits per channel, RGBA, no interlace
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", _deflate(rows, 1)) + _chunk(b"IEND", b"")


def _chunk(kind, data):
    """One PNG chunk: length, type, data, CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))



class LiveFigure:
    """An off-screen figure that renders to PNG bytes, redrawing only what changed.

    Usage: build the axes on ``figure``; register changing artists with ``dynamic(artist)``, artists
    that only come and go with ``stamp(artist)``, and at most one axes with a changing frame with
    ``frame_axes(ax)``; call ``freeze()`` once; then after each change call ``render(frame_key)`` with a
    hashable key of that axes' current limits.
    """

    #: How many frames of the changing axes are kept.
    MAX_FRAMES = 16
    #: What ``render`` returns (the Image widget's ``format``).
    FORMAT = "png"

    def __init__(self, figsize, dpi=90):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self._dynamic = []
        self._frame_ax = None
        self._frame_box = None
        self._frames = collections.OrderedDict()
        self._stamps = {}
        self._background = None
        self.picture = None

    def dynamic(self, artist):
        """Mark ``artist`` as changing (drawn on every render, on top of the rest); return it."""
        # Above the axes' spines (zorder 2.5), as a render draws it, so that a full draw of the figure
        # (the tests' reference) orders it the same against the axes' frame.
        artist.set_zorder(max(artist.get_zorder(), 2.6))
        self._dynamic.append(artist)
        return artist

    def stamp(self, artist):
        """Mark ``artist`` as changing only whether it shows (not its look or place); return it.

        It is drawn once, by ``freeze()``, and that image is laid over the picture while the artist is
        visible, in its place among the ``dynamic`` artists: for a fixed note, as text is slow to draw
        (about 0.1 ms a letter) and this takes a few hundredths of a millisecond.
        """
        self.dynamic(artist)
        self._stamps[artist] = None
        return artist

    def frame_axes(self, ax):
        """Mark ``ax`` as the axes whose limits and ticks change; return it."""
        self._frame_ax = ax
        return ax

    def freeze(self):
        """Fix the layout and draw the background (everything that never changes)."""
        # Constrained layout places the axes once (a draw that measures but paints nothing) ...
        self.figure.draw_without_rendering()
        self.figure.set_layout_engine("none")    # ... and they stay there
        renderer = self.canvas.get_renderer()
        if self._frame_ax is not None:
            self._pin_labels(self._frame_ax)
        hidden = list(self._dynamic) + ([self._frame_ax] if self._frame_ax else [])
        for artist in hidden:
            artist.set_visible(False)
        if self._frame_ax is not None:
            self._frame_box = self._column_of(self._frame_ax, renderer)
        self.canvas.draw()
        if self._frame_ax is not None:
            # The changing axes' title never changes: it goes into the background, above the strip.
            self._frame_ax.title.draw(renderer)
            self._frame_ax.title.set_visible(False)
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        for artist in hidden:
            artist.set_visible(True)
        for artist in self._stamps:
            self._stamps[artist] = self._drawn_alone(artist)

    def _drawn_alone(self, artist):
        """``artist`` drawn on a transparent canvas of the figure's size: (row, column, RGBA) of its pixels."""
        width, height = self.canvas.get_width_height()
        renderer = RendererAgg(width, height, self.figure.dpi)
        artist.draw(renderer)
        rgba = np.asarray(renderer.buffer_rgba())
        rows, columns = np.flatnonzero(rgba[..., 3].any(axis=1)), np.flatnonzero(rgba[..., 3].any(axis=0))
        if rows.size == 0:
            return None
        top, left = rows[0], columns[0]
        return top, left, rgba[top:rows[-1] + 1, left:columns[-1] + 1].astype(np.uint16)

    def _lay_over(self, stamp):
        """Composite a stamp over the canvas ("over", straight alpha; the canvas stays opaque)."""
        if stamp is None:
            return
        top, left, rgba = stamp
        canvas = np.asarray(self.canvas.buffer_rgba())
        region = canvas[top:top + rgba.shape[0], left:left + rgba.shape[1], :3]
        alpha = rgba[..., 3:]
        region[...] = (rgba[..., :3] * alpha + region * (255 - alpha) + 127) // 255

    @staticmethod
    def _pin_labels(ax):
        """Fix where the axis labels and title are, so a new frame does not measure its ticks to place them."""
        for axis in (ax.xaxis, ax.yaxis):
            label = axis.label
            point = label.get_transform().transform(label.get_position())
            axis.set_label_coords(*ax.transAxes.inverted().transform(point))
        # A title given its height by hand is not re-placed (by measuring the whole axes) on each draw.
        ax.set_title(ax.get_title(), y=ax.title.get_position()[1])

    def _column_of(self, ax, renderer):
        """The strip of the figure between ``ax``'s neighbours, up to just above ``ax``: its frame."""
        width, height = self.canvas.get_width_height()
        left, right = 0.0, float(width)
        mine = ax.get_position().transformed(self.figure.transFigure)
        for other in self.figure.axes:
            if other is ax or not other.get_visible():
                continue
            box = other.get_tightbbox(renderer)
            if box.x1 <= mine.x0:
                left = max(left, box.x1 + 1)
            elif box.x0 >= mine.x1:
                right = min(right, box.x0 - 1)
        top = ax.get_window_extent(renderer).y1 + 5    # room for the top tick label, below the title
        return Bbox.from_extents(left, 0, right, top)

    def prepare_frame(self, frame_key, set_limits):
        """Draw and keep the changing axes' frame for ``frame_key`` ahead of time (nothing is shown).

        ``set_limits(ax)`` gives the axes that key's limits; the axes' limits are put back after.
        A later ``render(frame_key)`` then pastes it instead of drawing it (the same pixels).
        """
        ax = self._frame_ax
        if ax is None or self._background is None or frame_key in self._frames:
            return
        limits = (ax.get_xlim(), ax.get_ylim())
        try:
            set_limits(ax)
            self._draw_frame(frame_key)
        finally:
            ax.set_xlim(*limits[0])
            ax.set_ylim(*limits[1])

    def _draw_frame(self, frame_key):
        """Draw the changing axes (without its changing artists) over the background; keep and return it."""
        ax, canvas = self._frame_ax, self.canvas
        own = [a for a in self._dynamic if a.axes is ax and a.get_visible()]
        canvas.restore_region(self._background)
        for artist in own:
            artist.set_visible(False)
        try:
            self.figure.draw_artist(ax)
        finally:
            for artist in own:
                artist.set_visible(True)
        frame = canvas.copy_from_bbox(self._frame_box)
        self._keep(frame_key, frame)
        # Back to the background, so that a new frame and a kept one give the same pixels even
        # where the axes drew past its strip.
        canvas.restore_region(self._background)
        return frame

    def _keep(self, frame_key, frame):
        self._frames[frame_key] = frame
        self._frames.move_to_end(frame_key)
        while len(self._frames) > self.MAX_FRAMES:
            self._frames.popitem(last=False)

    def render(self, frame_key=None):
        """Draw the current state and return it as PNG bytes (also kept in ``picture``)."""
        if self._background is None:
            raise RuntimeError("call freeze() once before render()")
        canvas = self.canvas
        canvas.restore_region(self._background)
        ax = self._frame_ax
        if ax is not None:
            frame = self._frames.get(frame_key)
            if frame is None:
                frame = self._draw_frame(frame_key)
            else:
                self._frames.move_to_end(frame_key)
            canvas.restore_region(frame)
        for artist in self._dynamic:
            if not artist.get_visible():
                continue
            if artist in self._stamps:
                self._lay_over(self._stamps[artist])
            else:
                artist.axes.draw_artist(artist)
        self.picture = png_bytes(canvas.buffer_rgba())
        return self.picture

    def png(self):
        """The last rendered picture as PNG bytes (for a notebook's stored, static output)."""
        if self.picture is None:
            raise RuntimeError("call render() before png()")
        return self.picture
