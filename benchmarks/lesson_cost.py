"""What a lesson costs: Run All wall time against the floor, the kernel's peak memory, and its idle CPU.

    python benchmarks/lesson_cost.py            # every lesson, 3 runs each
    python benchmarks/lesson_cost.py --runs 5 notebooks/05_training_loop.ipynb

For each lesson, in a fresh kernel each run (notebooks/ as the working folder, as JupyterLab runs it):

- Run All: from starting the kernel to the last cell done, every code cell executed in order;
- floor: the same for a kernel that only imports torch, matplotlib (with the inline backend, as
  lessons draw) and ipywidgets: what any lesson of this course pays before it teaches anything;
- peak memory: the kernel process's high-water mark (VmHWM, Linux) after Run All;
- idle CPU: the CPU-seconds the kernel uses in the ``--idle`` seconds (default 20) after Run All,
  while nobody touches it (a learner reading). On a class hub every learner's kernel sits idle
  like this; nothing in lab_utils works in the background, so this should be about zero.

Goals: Run All <= 1.5 x the floor (issue 4), peak <= 400 MB (Binder guarantees 450 MB for
everything, the JupyterLab server included), idle CPU < 0.5 s in 20 s (issue 10). Medians over the
runs; this prints figures, it asserts nothing. Linux only (reads /proc).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager

from lab02_tools.lessons import LESSONS, NOTEBOOKS

FLOOR_CODE = "import torch, matplotlib, ipywidgets\n%matplotlib inline\nimport matplotlib.pyplot as plt"
#: A second reference, printed for context: the floor plus making one torch.optim.SGD, whose first use
#: imports torch._dynamo (about a second and 80 MB, paid once by every lesson that uses an optimizer).
OPTIMIZER_CODE = FLOOR_CODE + "\nW = torch.zeros(1, requires_grad=True)\ntorch.optim.SGD([W], lr=0.01)"


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


def cpu_seconds(pid):
    """User + system CPU time the process has used so far (/proc/PID/stat), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_in_fresh_kernel(cells, idle_s=0):
    """Start a kernel, run the cells in order; return (seconds, peak MB, CPU-seconds in idle_s idle)."""
    start = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(NOTEBOOKS), extra_arguments=["--IPKernelApp.log_level=ERROR"])
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        for source in cells:
            reply = kc.execute_interactive(source, output_hook=lambda msg: None, timeout=600)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"a cell failed: {reply['content'].get('ename')}: {source[:80]!r}")
        seconds = time.perf_counter() - start
        pid = km.provisioner.pid
        peak = peak_rss_mb(pid)
        before = cpu_seconds(pid)
        time.sleep(idle_s)                 # nobody touches the kernel: a learner reading
        return seconds, peak, cpu_seconds(pid) - before
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson")
    parser.add_argument("--runs", type=int, default=3, help="fresh kernels per lesson and for the floor")
    parser.add_argument("--idle", type=float, default=20, help="seconds of idle kernel after Run All (default 20)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    paths = [p.resolve() for p in args.notebooks] or [lesson.path for lesson in LESSONS]

    floor = [run_in_fresh_kernel([FLOOR_CODE]) for _ in range(args.runs)]
    floor_s = statistics.median(r[0] for r in floor)
    floor_mb = statistics.median(r[1] for r in floor)
    print(f"floor (fresh kernel, imports torch + matplotlib inline + ipywidgets): "
          f"{floor_s:.2f} s [{', '.join(f'{r[0]:.2f}' for r in floor)}], peak {floor_mb:.0f} MB")
    optim = [run_in_fresh_kernel([OPTIMIZER_CODE]) for _ in range(args.runs)]
    optim_s = statistics.median(r[0] for r in optim)
    print(f"floor + one torch.optim.SGD (reference; its first use imports torch._dynamo): "
          f"{optim_s:.2f} s [{', '.join(f'{r[0]:.2f}' for r in optim)}], "
          f"peak {statistics.median(r[1] for r in optim):.0f} MB")
    print(f"{args.runs} fresh kernels per lesson; medians; goals: <= 1.5 x floor, <= 400 MB, "
          f"idle CPU < 0.5 s in 20 s\n")
    print(f"{'lesson':36} {'Run All s':>9} {'runs':>24} {'x floor':>8} {'x f+SGD':>8} {'peak MB':>8} "
          f"{f'CPU s/{args.idle:g} s idle':>18}")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        cells = [c.source for c in nb.cells if c.cell_type == "code"]
        results = [run_in_fresh_kernel(cells, args.idle) for _ in range(args.runs)]
        seconds = statistics.median(r[0] for r in results)
        peak = statistics.median(r[1] for r in results)
        idle_cpu = statistics.median(r[2] for r in results)
        runs = ", ".join(f"{r[0]:.2f}" for r in results)
        ratio = seconds / floor_s
        flag = "" if ratio <= 1.5 and peak <= 400 and idle_cpu * 20 / max(args.idle, 1e-9) < 0.5 else "  <- over a goal"
        print(f"{path.name:36} {seconds:9.2f} {runs:>24} {ratio:8.2f} {seconds / optim_s:8.2f} {peak:8.0f} "
              f"{idle_cpu:18.2f}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
