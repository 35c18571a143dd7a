"""The machinery behind the interactive panels of ``lab_utils.widgets``: fast figures, cached runs.

- ``LiveFigure``: a matplotlib figure drawn off-screen (no pyplot, so no global list of open
  figures) and handed out as PNG bytes. What never changes is drawn once into a background; an
  update draws only the changing artists on top. One axes may have a changing frame (limits,
  ticks); its frames are drawn once per set of limits and kept (a few, least recently used).
- ``RunCache``: one resumable ``SGDRun`` per (data, learning rate, start), trained as far as asked
  and no further, at most ``MAX_RUNS`` kept. Moving a slider back never trains again.
- ``BackgroundTrainer``: trains, in a daemon thread, the runs a panel will need next (every
  learning rate on its slider), a few epochs at a time, only while the kernel is idle: it pauses
  while a cell runs and while a panel redraws.

Nothing here runs at import time; the thread starts when the first panel asks for it.
"""

import atexit
import collections
import contextlib
import io
import threading
import time
import weakref

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image

from .data import validate_number, validate_xy
from .training import SGDRun


class LiveFigure:
    """An off-screen figure that renders to PNG, redrawing only what changed.

    Usage: build the axes on ``figure``; register changing artists with ``dynamic(artist)`` and at
    most one axes with a changing frame with ``frame_axes(ax)``; call ``freeze()`` once; then after
    each change call ``render(frame_key)`` with a hashable key of that axes' current limits.
    """

    #: How many frames of the changing axes are kept.
    MAX_FRAMES = 16

    def __init__(self, figsize, dpi=90):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self._dynamic = []
        self._frame_ax = None
        self._frame_box = None
        self._frames = collections.OrderedDict()
        self._background = None
        self.png = None

    def dynamic(self, artist):
        """Mark ``artist`` as changing (drawn on every render); return it."""
        self._dynamic.append(artist)
        return artist

    def frame_axes(self, ax):
        """Mark ``ax`` as the axes whose limits and ticks change; return it."""
        self._frame_ax = ax
        return ax

    def freeze(self):
        """Fix the layout and draw the background (everything that never changes)."""
        self.canvas.draw()                       # constrained layout places the axes once
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

    def has_frame(self, frame_key):
        return frame_key in self._frames

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
        """Draw the current state and return it as PNG bytes (also kept in ``png``)."""
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
            if artist.get_visible():
                artist.axes.draw_artist(artist)
        self.png = self._encode()
        return self.png

    def _encode(self):
        rgba = self.canvas.buffer_rgba()
        image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="png", compress_level=1)
        return out.getvalue()


#: How many trained runs RunCache keeps (each holds at most a few thousand epochs of numbers).
MAX_RUNS = 32


class _Entry:
    __slots__ = ("run", "lock")

    def __init__(self, run):
        self.run = run
        self.lock = threading.Lock()


class RunCache:
    """Resumable SGD runs, one per (x_train, y_train, lr, W0, b0), least recently used dropped."""

    def __init__(self, max_runs=MAX_RUNS):
        self.max_runs = validate_number(max_runs, "max_runs", integer=True, minimum=1)
        self._entries = collections.OrderedDict()
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._entries)

    def entry(self, x_train, y_train, lr, W0=0.0, b0=0.0):
        """Return the cache entry (``.run``, ``.lock``) for these data, learning rate and start."""
        validate_xy(x_train, y_train)
        key = (tuple(x_train.flatten().tolist()), tuple(y_train.flatten().tolist()),
               validate_number(lr, "lr", positive=True), validate_number(W0, "W0"), validate_number(b0, "b0"))
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry(SGDRun(x_train, y_train, lr=key[2], W0=key[3], b0=key[4]))
                while len(self._entries) > self.max_runs:
                    self._entries.popitem(last=False)
            else:
                self._entries.move_to_end(key)
        return entry


class BackgroundTrainer:
    """Trains ahead, in one daemon thread, whatever the followed panel's plan asks for next.

    A plan is a callable returning ``(entry, updates)`` (train ``entry.run`` to that many updates)
    or None when there is nothing left to do. The trainer holds only a weak reference to it, so a
    closed or forgotten panel stops the work. It pauses while a cell runs (IPython's
    pre/post_run_cell events) and inside ``hold()``, which panels use while they redraw.
    """

    #: Epochs per turn: about 3 ms, the longest a redraw waits for the thread to pause.
    CHUNK = 16
    #: Seconds of rest after each turn.
    PAUSE = 0.001

    def __init__(self):
        self._cond = threading.Condition()
        self._plan = None
        self._holds = 0
        self._cell_running = False
        self._hooked = False
        self._thread = None
        self._working = False
        self._stopping = False
        self.last_error = None

    def follow(self, plan):
        """Work on ``plan`` (a bound method) from now on, instead of any earlier one."""
        with self._cond:
            self._plan = weakref.WeakMethod(plan)
            self._hook_into_ipython()
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="lab_utils-background-training",
                                                daemon=True)
                self._thread.start()
                # A daemon thread still inside torch when the kernel exits makes the process print
                # "terminate called without an active exception": stop it first.
                atexit.register(self.stop)
            self._cond.notify_all()

    def forget(self, plan):
        """Stop working on ``plan`` if it is the one followed."""
        with self._cond:
            if self._plan is not None and self._plan() == plan:
                self._plan = None

    def wake(self):
        """Tell the trainer the plan may have changed (a panel moved to another setting)."""
        with self._cond:
            self._cond.notify_all()

    @contextlib.contextmanager
    def hold(self):
        """Pause the background work inside this block (it stops after the current few epochs)."""
        with self._cond:
            self._holds += 1
        try:
            yield
        finally:
            with self._cond:
                self._holds -= 1
                self._cond.notify_all()

    def stop(self, timeout=5.0):
        """End the thread after its current few epochs (at interpreter exit); False on timeout."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            thread = self._thread
        if thread is None or thread is threading.current_thread():
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def wait_until_done(self, timeout=60.0):
        """Block until the followed plan has nothing left to do; return False on timeout.

        Called from a notebook cell, the waiting cell does not count as running: the trainer works
        while it waits (otherwise it would wait for itself until the timeout).
        """
        with self._cond:
            in_cell, self._cell_running = self._cell_running, False
            self._cond.notify_all()
            try:
                return self._cond.wait_for(lambda: not self._working and self._next_job() is None, timeout)
            finally:
                self._cell_running = in_cell

    def _hook_into_ipython(self):
        if self._hooked:
            return
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with Jupyter
            return
        shell = get_ipython()
        if shell is None:
            return
        shell.events.register("pre_run_cell", self._cell_started)
        shell.events.register("post_run_cell", self._cell_finished)
        self._hooked = True

    def _cell_started(self, info=None):
        with self._cond:
            self._cell_running = True

    def _cell_finished(self, result=None):
        with self._cond:
            self._cell_running = False
            self._cond.notify_all()

    def _next_job(self):
        plan = self._plan() if self._plan is not None else None
        return plan() if plan is not None else None

    def _loop(self):
        while True:
            with self._cond:
                self._working = False
                self._cond.notify_all()
                while True:
                    if self._stopping:
                        return
                    job = None if (self._holds or self._cell_running) else self._next_job()
                    if job is not None:
                        break
                    self._cond.wait()
                self._working = True
            entry, updates = job
            try:
                with entry.lock:
                    ran = entry.run.advance(min(self.CHUNK, max(updates - entry.run.updates, 0)))
                if not ran and not entry.run.stopped:
                    raise RuntimeError(f"the plan asked for work that needs none: {updates} updates")
            except Exception as error:  # never let a background thread print a traceback in class
                with self._cond:
                    self.last_error = error
                    self._plan = None
            # Leave the interpreter lock free for a moment: the kernel's own threads (messages,
            # output) then never wait behind this one.
            time.sleep(self.PAUSE)


_cache = None
_trainer = None


def shared_cache():
    """The RunCache every panel in this kernel shares (made on first use)."""
    global _cache
    if _cache is None:
        _cache = RunCache()
    return _cache


def background_trainer():
    """The BackgroundTrainer every panel in this kernel shares (made on first use)."""
    global _trainer
    if _trainer is None:
        _trainer = BackgroundTrainer()
    return _trainer
