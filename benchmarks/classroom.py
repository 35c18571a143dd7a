"""How many learners one hub machine holds: a whole class on one JupyterHub, running the same lesson at once.

    python benchmarks/classroom.py [--learners 1 4 8 16 24] [--moves 10] [--browsers 2]

For each class size N, a fresh JupyterHub on 127.0.0.1 (lab02_tools.hub_classroom: the pinned hub and
proxy, SimpleLocalProcessSpawner, this environment for every learner) starts N learners' servers and
puts the course in every home with nbgitpuller. Then, all at once, every learner runs the
training-panel lesson (every code cell in order, as Run All does, in their own kernel), waits until
the whole class has, and moves each slider of the panel `--moves` times, a move every 0.1 s as a hand
does. Most learners are driven through the kernel protocol (no browser: this machine cannot run 24
Chromiums); `--browsers` of them (when N allows) use JupyterLab in headless Chromium, which times a
key press on a slider to the new picture shown.

Per N it prints: the Run All time (median and slowest learner), the p50 / p95 of a slider move in
the kernel (from the value set to the panel's observers done) and in the browser, memory per learner
(PSS of the learner's server and kernel: shared library pages are divided among the processes that
share them, so N x PSS is what the class uses) and CPU-seconds per learner (server and kernel, from
the start of Run All to the last move). Then GB per learner, and the largest N with kernel p95 <= 100 ms
(and with p50 <= 100 ms, a typical move) and the learners per core it gives, for the README's sizing. A benchmark, not a test: it prints figures
and asserts nothing; the machine's other load shows in them (say so when you quote them).
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lab02_tools import hub_classroom as hc
from lab02_tools import jupyterlab_browser as jb
from lab02_tools import lessons, needs
from percentiles import percentile  # benchmarks/, this script's folder

GOAL_MS = 100
PACE_S = 0.1


def pull(hub, name, course):
    """nbgitpuller's API: clone the course into the learner's home."""
    query = urllib.parse.urlencode({"repo": str(course), "branch": hc.COURSE_BRANCH})
    request = urllib.request.Request(f"{hub.url}/user/{name}/git-pull/api?{query}",
                                     headers={"Authorization": f"token {hub.token}"})
    with urllib.request.urlopen(request, timeout=300) as response:
        for line in response:
            if line.startswith(b"data:"):
                event = json.loads(line[5:])
                if event.get("phase") == "finished":
                    return
                if event.get("phase") == "error":
                    raise RuntimeError(f"{name}: nbgitpuller: {event}")
    raise RuntimeError(f"{name}: nbgitpuller did not finish")


def usage(hub):
    """{learner: (PSS bytes, CPU seconds)} of each learner's server and kernels, now."""
    import psutil
    found = {}
    for name, processes in hub.learner_processes().items():
        pss = cpu = 0.0
        for process in processes:
            try:
                pss += process.memory_full_info().pss
                times = process.cpu_times()
                cpu += times.user + times.system
            except psutil.Error:
                pass
        found[name] = (pss, cpu)
    return found


async def kernel_learner(hub, name, cells, moves, everyone_ran):
    client = await hc.KernelClient(hub, name).open(f"{hc.COURSE_FOLDER}/{hc.TRAINING_LESSON}")
    await client.execute(f"import os; os.chdir({str(hub.home(name) / hc.COURSE_FOLDER / 'notebooks')!r})")
    start = time.perf_counter()
    for source in cells:
        await client.execute(source)
    run_all = time.perf_counter() - start
    await client.execute(hc.MOVE_SLIDERS)
    await everyone_ran()
    _, out = await client.execute(f"_classroom_moves({moves}, {PACE_S})")
    await client.close()
    if client.problems:
        raise RuntimeError(f"{name}: the lesson wrote to stderr or failed: {client.problems[:2]}")
    return run_all, json.loads(out.strip().splitlines()[-1])["ms"]


def browser_learners(hub, names, moves, ran, go, results):
    """A few learners in Chromium: Run All in JupyterLab, then time key presses on the sliders."""
    try:
        with jb.chromium() as browser:
            pages = []
            for name in names:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = hc.log_in(context, hub, name)
                page.goto(f"{hub.url}/user/{name}/lab/tree/{hc.COURSE_FOLDER}/{hc.TRAINING_LESSON}?reset")
                page.wait_for_selector(f"{jb.NOTEBOOK} .jp-MarkdownCell h1", timeout=jb.OPEN_TIMEOUT_MS)
                jb.wait_for_kernel_idle(page)
                pages.append(page)
            ran.wait()      # start Run All with the rest of the class
            started = time.perf_counter()
            for page in pages:
                page.evaluate(jb.WATCH_BUSY_JS, jb.NOTEBOOK)
                page.locator(".lm-MenuBar").get_by_text("Run", exact=True).first.click()
                page.get_by_text("Run All Cells", exact=True).click()
            for page in pages:
                page.wait_for_function(jb.ALL_RAN_JS, arg=jb.NOTEBOOK, timeout=jb.RUN_TIMEOUT_MS)
                jb.wait_for_kernel_idle(page, timeout=jb.RUN_TIMEOUT_MS)
                results.setdefault("run_all", []).append(time.perf_counter() - started)
            go.wait()
            for page in pages:
                times = []
                for handle, key in ((0, "ArrowLeft"), (1, "ArrowLeft")):
                    times += jb.slider_latencies(page, lessons.TRAINING.panel, handle, key, moves,
                                                 rest_ms=int(PACE_S * 1000))
                results.setdefault("ms", []).extend(t for t in times if t is not None)
                results["missed"] = results.get("missed", 0) + sum(t is None for t in times)
                problems = jb.output_problems(page)
                if problems:
                    raise RuntimeError(f"browser learner: {problems[:2]}")
    except Exception as error:  # reported by the main thread
        results["error"] = error
        for barrier in (ran, go):
            barrier.abort()


def one_class(n, moves, n_browsers, course, workdir):
    names = [f"learner{k + 1}" for k in range(n)]
    in_browser = names[:min(n_browsers, n - 1)]       # at least one learner without a browser
    in_kernel = [name for name in names if name not in in_browser]
    with hc.running_hub(workdir) as hub:
        with ThreadPoolExecutor(max_workers=min(n, 8)) as pool:
            list(pool.map(hub.start_server, names))
            list(pool.map(lambda name: pull(hub, name, course), names))
        before = usage(hub)
        # Two meeting points of the browser learners' thread and the kernel learners: start Run All
        # together; start moving once the whole class has run the lesson.
        ran = threading.Barrier(2 if in_browser else 1)
        go = threading.Barrier(2 if in_browser else 1)
        browser = {}
        thread = None
        if in_browser:
            thread = threading.Thread(target=browser_learners, args=(hub, in_browser, moves, ran, go, browser),
                                      daemon=True)
            thread.start()
        cells = hc.code_cells(hub.home(names[0]) / hc.COURSE_FOLDER / hc.TRAINING_LESSON)

        async def whole_class():
            loop = asyncio.get_running_loop()
            arrived = asyncio.Event()
            count = {"n": 0}

            async def everyone_ran():
                count["n"] += 1
                if count["n"] == len(in_kernel):
                    await loop.run_in_executor(None, go.wait)      # the browser learners too
                    arrived.set()
                await arrived.wait()

            await loop.run_in_executor(None, ran.wait)     # the browser learners have their page open
            return await asyncio.gather(*(kernel_learner(hub, name, cells, moves, everyone_ran)
                                          for name in in_kernel))

        try:
            results = asyncio.run(whole_class())
        except threading.BrokenBarrierError:
            thread.join(timeout=60)
            raise RuntimeError(f"the browser learners failed: {browser.get('error')!r}") from browser.get("error")
        if thread is not None:
            thread.join(timeout=900)
            if "error" in browser:
                raise browser["error"]
        after = usage(hub)
    run_alls = [r for r, _ in results] + browser.get("run_all", [])
    kernel_ms = [t for _, ms in results for t in ms]
    pss = [after[name][0] for name in names if name in after]
    cpu = [after[name][1] - before.get(name, (0, 0))[1] for name in names if name in after]
    return {"n": n, "run_all_median": statistics.median(run_alls), "run_all_max": max(run_alls),
            "kernel_p50": percentile(kernel_ms, 50), "kernel_p95": percentile(kernel_ms, 95),
            "kernel_moves": len(kernel_ms),
            "browser_p50": percentile(browser["ms"], 50) if browser.get("ms") else None,
            "browser_p95": percentile(browser["ms"], 95) if browser.get("ms") else None,
            "browser_moves": len(browser.get("ms", [])), "browser_missed": browser.get("missed", 0),
            "browsers": len(in_browser),
            "pss_mb": statistics.mean(pss) / 2**20, "cpu_s": statistics.mean(cpu)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[1, 4, 8, 16, 24])
    parser.add_argument("--moves", type=int, default=10, help="moves per slider and learner (default 10)")
    parser.add_argument("--browsers", type=int, default=2, help="learners driven in Chromium (default 2)")
    args = parser.parse_args()
    if any(n < 1 for n in args.learners) or args.moves < 2 or args.browsers < 0:
        parser.error("--learners must be >= 1, --moves >= 2, --browsers >= 0")
    missing = needs.missing_hub() or (needs.missing_browser() if args.browsers else None)
    if missing:
        sys.exit(missing)
    cores = os.cpu_count()
    print(f"machine: {cores} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB; "
          f"load average before: {os.getloadavg()[0]:.2f}; lesson: {hc.TRAINING_LESSON}; "
          f"{args.moves} moves per slider, one every {PACE_S} s")
    header = (f"{'N':>3} | {'Run All s (median/max)':>22} | {'kernel move ms p50/p95':>22} | "
              f"{'browser ms p50/p95':>19} | {'MB/learner':>10} | {'CPU-s/learner':>13}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="classroom-") as tmp:
        course = hc.course_snapshot(Path(tmp) / "origin")
        print(header + "\n" + "-" * len(header), flush=True)
        for k, n in enumerate(args.learners):
            r = one_class(n, args.moves, args.browsers, course, Path(tmp) / f"hub{k}")
            rows.append(r)
            browser = (f"{r['browser_p50']:.0f} / {r['browser_p95']:.0f}" if r["browser_p95"] is not None else "-")
            print(f"{n:>3} | {r['run_all_median']:>10.1f} / {r['run_all_max']:>9.1f} | "
                  f"{r['kernel_p50']:>10.1f} / {r['kernel_p95']:>9.1f} | {browser:>19} | "
                  f"{r['pss_mb']:>10.0f} | {r['cpu_s']:>13.1f}", flush=True)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    gb = statistics.mean(r["pss_mb"] for r in rows) / 1024
    print(f"GB per learner: {gb:.2f} (PSS of server + kernel, mean over the sizes tried); "
          f"CPU-seconds per learner: {statistics.mean(r['cpu_s'] for r in rows):.1f}")
    for label, key in ((f"p95 <= {GOAL_MS} ms", "kernel_p95"), (f"p50 <= {GOAL_MS} ms (a typical move)", "kernel_p50")):
        ok = [r["n"] for r in rows if r[key] <= GOAL_MS]
        if ok:
            print(f"largest N with kernel {label}: {max(ok)} of {[r['n'] for r in rows]}; "
                  f"learners per core: {max(ok) / cores:.1f}")
        else:
            print(f"no class size tried kept the kernel {label}")


if __name__ == "__main__":
    main()
