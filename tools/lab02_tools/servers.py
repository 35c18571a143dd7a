"""Servers the tools start (JupyterLab, JupyterHub): their command line and settings, a free port,
stopping them with their kernels, their log's tail."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

#: On 127.0.0.1 only, and nothing that reaches the internet: no news, no update check, no PyPI
#: extension manager; as root in CI containers.
LAB_ARGS = ["--ServerApp.ip=127.0.0.1", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly"] + (
    ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])

#: JupyterLab user settings every server of the tools gets: never "Would you like to get notified
#: about official Jupyter news?" (it would fetch them); every cell rendered, also those out of view.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def write_lab_settings(folder, settings):
    """Write {"@scope/plugin": values} as JupyterLab user settings files under ``folder``."""
    for name, values in settings.items():
        target = Path(folder) / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")


def jupyterlab_command(workdir, port, token, open_browser=False):
    """The command and environment of a JupyterLab of this environment over ``workdir``/root, with its
    config, runtime files, user settings and workspaces under ``workdir`` (the environment's own
    settings, such as the course's saveState, still apply)."""
    workdir = Path(workdir)
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(workdir / "config"),
               JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(workdir / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(workdir / "workspaces"),
               JUPYTER_PLATFORM_DIRS="1")
    args = [sys.executable, "-m", "jupyterlab", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workdir / 'root'}"] + LAB_ARGS
    if not open_browser:
        args.append("--no-browser")
    return args, env


def free_port():
    """A TCP port on 127.0.0.1 that is free now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process_group(process, timeout):
    """SIGTERM a server started in its own process group, SIGKILL it after ``timeout`` s, then
    anything left in its group (a kernel or single-user server that outlived it)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def file_tail(path, lines=40):
    """The last ``lines`` lines of a server's log file ("" if it cannot be read)."""
    try:
        return "\n".join(Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
