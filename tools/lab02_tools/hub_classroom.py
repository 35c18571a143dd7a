"""A class on one JupyterHub, on this machine: the hub, its learners, the course's nbgitpuller link.

Used by tests/test_hub.py (one or two learners, in CI) and benchmarks/classroom.py (a sweep of N
learners). The hub is the pinned `jupyterhub` of requirements.txt with the pinned
configurable-http-proxy of tools/hub (`npm ci --prefix tools/hub`; lab02_tools.needs), the dummy authenticator and
SimpleLocalProcessSpawner: each learner gets a JupyterLab server of this very environment, with a
home folder under the hub's temporary folder. Everything listens on 127.0.0.1 only (hub, proxy and
its API, every learner's server), with random ports and secrets; hub, proxy, servers and kernels are
stopped at the end, also when a test fails.

The course reaches the learners as on a university hub: an nbgitpuller link (nbgitpuller is pinned in
both requirement files) that clones the course repository into the learner's home and opens the
contents page. Here the repository is a local snapshot of this one (its tracked files, committed in a
temporary git repository named like the GitHub one), so nothing leaves the machine.
"""

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from lab02_tools import ROOT, lessons, needs, servers

#: The course repository on GitHub, as the README's nbgitpuller link names it.
COURSE_REPO = "https://github.com/modu-dl-season2/lab02-linear-regression"
COURSE_BRANCH = "main"
COURSE_FOLDER = "lab02-linear-regression"       # where nbgitpuller puts it in the learner's home
CONTENTS_PAGE = f"notebooks/{lessons.INDEX}"
#: The lesson the learners run: the one with the training panel (lab02_tools.lessons).
TRAINING_LESSON = f"notebooks/{lessons.TRAINING.file}"

START_TIMEOUT_S = 120


def nbgitpuller_link(hub_url, repo=COURSE_REPO, branch=COURSE_BRANCH, folder=COURSE_FOLDER, page=CONTENTS_PAGE):
    """The link that puts the course into a learner's home and opens `page` in JupyterLab.

    `user-redirect` sends each learner to their own server (started if needed); nbgitpuller then
    clones the repository into ~/`folder`, or, when it is there already, merges the new commits
    without overwriting the learner's own changes.
    """
    query = urllib.parse.urlencode({"repo": repo, "branch": branch,
                                    "urlpath": f"lab/tree/{folder}/{page}"}, quote_via=urllib.parse.quote)
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def course_snapshot(where):
    """A git repository with this working tree's tracked files, named like the course on GitHub."""
    repo = Path(where) / COURSE_FOLDER
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git = ["git", "-c", "user.name=course", "-c", "user.email=course@example.com", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["checkout", "-q", "-B", COURSE_BRANCH], ["add", "-A"],
                 ["commit", "-q", "-m", "course"]):
        subprocess.run(git + args, cwd=repo, check=True, capture_output=True)
    return repo


CONFIG = """\
# Written by lab02_tools.hub_classroom: a hub for a class, on 127.0.0.1 only.
import sys
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {workdir!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {workdir!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {workdir!r} + "/cookie_secret"
c.JupyterHub.pid_file = {workdir!r} + "/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"        # any learner name, any password (a test hub only)
c.JupyterHub.spawner_class = "simple"             # SimpleLocalProcessSpawner: a process per learner
c.SimpleLocalProcessSpawner.home_dir_template = {workdir!r} + "/homes/{{username}}"
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [{singleuser!r}]                  # the project's environment
c.Spawner.default_url = "/lab"
c.Spawner.args = {args!r}
c.Spawner.environment = {environment!r}
c.Spawner.start_timeout = {start_timeout}
c.Spawner.http_timeout = {start_timeout}
c.JupyterHub.concurrent_spawn_limit = 0           # a whole class logs in at the same minute
c.JupyterHub.services = [{{"name": "classroom", "api_token": {service_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "classroom", "services": ["classroom"],
                             "scopes": ["read:hub", "admin:users", "admin:servers", "access:servers", "read:users"]}}]
"""


class Hub:
    """A running JupyterHub: its public URL, an API token for the benchmark, its log."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.port = servers.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(24)
        self.log_path = self.workdir / "jupyterhub.log"
        self.process = None

    def start(self):
        missing = needs.missing_hub()
        if missing:
            raise RuntimeError(missing)
        self.workdir.mkdir(parents=True, exist_ok=True)
        settings = self.workdir / "lab-settings"
        # No news prompt (it would fetch news) and every cell rendered (JupyterLab 4 otherwise renders
        # only the cells in view), as for the tools' other servers.
        servers.write_lab_settings(settings, servers.LAB_SETTINGS)
        args = servers.LAB_ARGS
        bin_dir = str(Path(sys.executable).parent)
        # matplotlib's font cache, built once here for every learner, as their home has it after their
        # first lesson. (A brand-new home builds it on the first import; on a busy machine that takes
        # over 5 s and matplotlib says "Matplotlib is building the font cache" on stderr.)
        mpl = self.workdir / "matplotlib"
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=True,
                       env=dict(os.environ, MPLCONFIGDIR=str(mpl)), capture_output=True, timeout=300)
        environment = {"MPLCONFIGDIR": str(mpl),"JUPYTERLAB_SETTINGS_DIR": str(settings),
                       "JUPYTERLAB_WORKSPACES_DIR": str(self.workdir / "workspaces"),
                       "JUPYTER_PLATFORM_DIRS": "1",
                       "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
        config = self.workdir / "jupyterhub_config.py"
        config.write_text(CONFIG.format(
            port=self.port, hub_port=servers.free_port(), proxy_api_port=servers.free_port(), proxy=str(needs.HUB_PROXY),
            workdir=str(self.workdir), singleuser=str(Path(bin_dir) / "jupyterhub-singleuser"),
            args=args, environment=environment, start_timeout=START_TIMEOUT_S,
            service_token=self.token), encoding="utf-8")
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""),
                   CONFIGPROXY_AUTH_TOKEN=secrets.token_hex(24))
        self.log = open(self.log_path, "w", encoding="utf-8")
        # Its own process group: the proxy and every learner's server and kernel are stopped with it.
        self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                        cwd=self.workdir, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                self.api("")                 # the hub's version: it is up and its proxy routes to it
                return self
            except urllib.error.HTTPError as error:
                if error.code not in (404, 502, 503):    # the proxy is up before its route to the hub
                    raise
                time.sleep(0.3)
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"jupyterhub did not answer within {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def api(self, path, method="GET", body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/hub/api/{path}", method=method, data=data,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def start_server(self, name):
        """Create learner `name` (if new) and start their server; wait until it answers."""
        with contextlib.suppress(urllib.error.HTTPError):
            self.api(f"users/{name}", method="POST")
        with contextlib.suppress(urllib.error.HTTPError):   # 400: already running
            self.api(f"users/{name}/server", method="POST")
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            user = self.api(f"users/{name}")
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{name}'s server did not start within {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def home(self, name):
        return self.workdir / "homes" / name

    def learner_processes(self):
        """{learner: [their server process and its kernels]} (psutil.Process objects)."""
        import psutil
        found = {}
        for child in psutil.Process(self.process.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                name = child.environ().get("JUPYTERHUB_USER")
                if name:
                    found.setdefault(name, []).append(child)
        return found

    def log_tail(self, lines=40):
        return servers.file_tail(self.log_path, lines)

    def stop(self):
        if self.process is not None:
            servers.stop_process_group(self.process, timeout=30)   # the hub stops servers and proxy
            self.log.close()


@contextlib.contextmanager
def running_hub(workdir):
    hub = Hub(workdir)
    try:
        yield hub.start()
    finally:
        hub.stop()


# --- a learner in the browser --------------------------------------------------------------------

def log_in(context, hub, name):
    """Log in as `name` in a browser context (the dummy authenticator takes any password)."""
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", secrets.token_hex(8))
    page.click("input[type=submit], button[type=submit]")
    # Away from the login form: to the spawn page, or to JupyterLab when the server is running already.
    page.wait_for_url(lambda url: "/hub/login" not in url, timeout=30_000)
    return page


# --- a learner without a browser: the kernel protocol over the server's websocket -------------------

class KernelClient:
    """One learner's kernel on the hub, driven as JupyterLab drives it (execute requests on a websocket)."""

    def __init__(self, hub, name):
        self.hub, self.name = hub, name
        self.base = f"{hub.url}/user/{name}"
        self.session = uuid.uuid4().hex
        self.problems = []          # stderr and errors the kernel sent

    def _request(self, path, method="GET", body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base}/api/{path}", method=method, data=data,
                                         headers={"Authorization": f"token {self.hub.token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    async def open(self, notebook_path):
        """Start a kernel for `notebook_path` (as opening it in JupyterLab does) and connect to it."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        session = await asyncio.to_thread(self._request, "sessions", "POST", {
            "path": notebook_path, "type": "notebook", "name": Path(notebook_path).name,
            "kernel": {"name": "python3"}})
        kernel = session["kernel"]["id"]
        url = f"ws://127.0.0.1:{self.hub.port}/user/{self.name}/api/kernels/{kernel}/channels?session_id={self.session}"
        self.ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.hub.token}"}),
                                          max_message_size=256 * 1024 * 1024)
        await self.execute("pass")      # the kernel is up and answers
        return self

    async def execute(self, code, timeout=600):
        """Run `code`; return (seconds, the text of its execute_result or stream stdout)."""
        msg_id = uuid.uuid4().hex
        message = {"header": {"msg_id": msg_id, "username": self.name, "session": self.session,
                              "msg_type": "execute_request", "version": "5.3",
                              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                   "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                   "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                               "allow_stdin": False, "stop_on_error": True}}
        start = time.perf_counter()
        await self.ws.write_message(json.dumps(message))
        stdout, replied, idle = [], False, False
        deadline = start + timeout
        while not (replied and idle):
            raw = await asyncio.wait_for(self.ws.read_message(), timeout=max(1.0, deadline - time.perf_counter()))
            if raw is None:
                raise RuntimeError(f"{self.name}: the kernel's websocket closed")
            if isinstance(raw, bytes):          # a binary frame (widget buffers): not ours to read
                continue
            reply = json.loads(raw)
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = reply["header"]["msg_type"], reply["content"]
            if kind == "stream" and content["name"] == "stdout":
                stdout.append(content["text"])
            elif kind == "stream":
                self.problems.append(content["text"])
            elif kind == "error":
                self.problems.append("\n".join(content["traceback"]))
            elif kind == "execute_result":
                stdout.append(content["data"].get("text/plain", ""))
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
                if content["status"] != "ok":
                    self.problems.append(f"{content.get('ename')}: {content.get('evalue')}")
        return time.perf_counter() - start, "".join(stdout)

    async def close(self):
        self.ws.close()


def code_cells(notebook_file):
    """The sources of a lesson's code cells, in order (what Run All executes)."""
    import nbformat
    nb = nbformat.read(notebook_file, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


#: Run in a learner's kernel after Run All: moves every slider of the lesson's panels to its
#: neighbouring values and back, as a hand on the slider does, timing each move until the panel
#: has handled it (the observers ran). Prints the milliseconds as JSON. Finds the sliders among the
#: live widgets, so it does not depend on how a panel names them.
MOVE_SLIDERS = """
def _classroom_moves(moves_per_slider, pace_s=0.0):
    import json, time
    import ipywidgets
    from ipywidgets.widgets.widget import _instances
    kinds = (ipywidgets.FloatSlider, ipywidgets.IntSlider, ipywidgets.SelectionSlider,
             ipywidgets.FloatLogSlider)
    sliders = [w for w in list(_instances.values()) if isinstance(w, kinds) and not w.disabled]
    times = []
    for slider in sliders:
        if isinstance(slider, ipywidgets.SelectionSlider):
            values = list(range(len(slider.options)))
            get, put = (lambda s=slider: s.index), (lambda v, s=slider: setattr(s, "index", v))
        else:
            count = int(round((slider.max - slider.min) / slider.step)) + 1
            values = [slider.min + k * slider.step for k in range(count)]
            values = [type(slider.value)(v) for v in values]
            get, put = (lambda s=slider: s.value), (lambda v, s=slider: setattr(s, "value", v))
        here = min(range(len(values)), key=lambda k: abs(values[k] - get()))
        # Away from the current value and back, towards the side with room: every move changes it.
        room = max(here, len(values) - 1 - here)
        half, way = min(moves_per_slider // 2, room), (-1 if here >= len(values) - 1 - here else 1)
        path = [here + way * k for k in list(range(1, half + 1)) + list(range(half - 1, -1, -1))]
        for k in path:
            start = time.perf_counter()
            put(values[k])
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(pace_s)      # a hand on a slider: one move every pace_s seconds
    print(json.dumps({"sliders": len(sliders), "ms": times}))
"""
