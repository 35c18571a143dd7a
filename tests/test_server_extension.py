"""lab02_jupyter, the course's Jupyter Server extension (tools/jupyterlab-settings/lab02_jupyter.py).

Unit tests with fakes, then a real Jupyter Server of this environment (as the set-up installs it,
under a hub-like base URL): its kernel websocket's socket has TCP_NODELAY and its favicons are
cacheable. benchmarks/browser_latency.py measures the time it saves.
"""

import asyncio
import json
import logging
import os
import subprocess
import sys
import types

import lab02_jupyter
import pytest
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection


class FakeHandler:
    def __init__(self):
        self.calls = []

    def set_nodelay(self, value):
        self.calls.append(("set_nodelay", value))


class FakeConnection:
    def __init__(self, handler):
        self.websocket_handler = handler

    def connect(self):
        self.websocket_handler.calls.append(("connect",))
        return "connected"


def fake_server(base_url="/", connection_class=FakeConnection, immutable=None):
    settings = {"kernel_websocket_connection_class": connection_class, "static_url_prefix": base_url + "static/"}
    if immutable is not None:
        settings["static_immutable_cache"] = immutable
    return types.SimpleNamespace(web_app=types.SimpleNamespace(settings=settings), log=logging.getLogger("test"))


def test_a_kernel_websocket_gets_tcp_nodelay_before_it_connects():
    server = fake_server()
    lab02_jupyter._load_jupyter_server_extension(server)
    connection_class = server.web_app.settings["kernel_websocket_connection_class"]
    assert issubclass(connection_class, FakeConnection) and connection_class is not FakeConnection
    handler = FakeHandler()
    assert connection_class(handler).connect() == "connected"
    assert handler.calls == [("set_nodelay", True), ("connect",)]


def test_it_wraps_whatever_connection_class_the_server_uses_once():
    wrapped = lab02_jupyter._no_delay(ZMQChannelsWebsocketConnection)
    assert issubclass(wrapped, ZMQChannelsWebsocketConnection)
    assert lab02_jupyter._no_delay(wrapped) is wrapped            # loading twice does not stack


def test_an_async_connect_gets_tcp_nodelay_too():
    """A gateway's connection class connects with a coroutine: TCP_NODELAY is set before it runs."""
    class AsyncConnection(FakeConnection):
        async def connect(self):
            self.websocket_handler.calls.append(("connect",))
            return "connected"

    handler = FakeHandler()
    connect = lab02_jupyter._no_delay(AsyncConnection)(handler).connect()
    assert handler.calls == [("set_nodelay", True)]
    assert asyncio.run(connect) == "connected" and handler.calls[-1] == ("connect",)


@pytest.mark.parametrize("base_url", ["/", "/user/learner-01/"])
def test_the_favicons_become_cacheable_under_the_servers_base_url(base_url):
    server = fake_server(base_url, immutable=["/static/lab/"])
    lab02_jupyter._load_jupyter_server_extension(server)
    lab02_jupyter._load_jupyter_server_extension(server)        # twice: no duplicate
    assert server.web_app.settings["static_immutable_cache"] == ["/static/lab/", f"{base_url}static/favicons/"]


#: A real Jupyter Server of this environment, in a fresh process: start a kernel, open its websocket
#: as a browser does, and report what the server side of that socket and the favicons look like.
REAL_SERVER = r"""
import asyncio, json, socket, sys
from tornado import httpclient, websocket
from jupyter_server.serverapp import ServerApp
from jupyter_server.services.kernels.connection.base import BaseKernelWebsocketConnection

async def main(base, root):
    app = ServerApp()
    app.initialize(argv=["--ServerApp.port=0", "--ServerApp.ip=127.0.0.1", f"--ServerApp.base_url={base}",
                         "--IdentityProvider.token=t", f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False"])
    url, auth = f"http://127.0.0.1:{app.port}{base}", {"Authorization": "token t"}
    client = httpclient.AsyncHTTPClient()
    kernel = json.loads((await client.fetch(url + "api/kernels", method="POST", body="{}", headers=auth)).body)["id"]
    report = {"favicon": (await client.fetch(url + "static/favicons/favicon-busy-1.ico")).headers["Cache-Control"]}
    opened = []
    original = BaseKernelWebsocketConnection.__init__
    def remember(self, *args, **kwargs):
        original(self, *args, **kwargs)
        opened.append(self)
    BaseKernelWebsocketConnection.__init__ = remember
    ws = await websocket.websocket_connect(httpclient.HTTPRequest(
        url.replace("http", "ws") + f"api/kernels/{kernel}/channels?session_id=test", headers=auth))
    for _ in range(100):
        if opened and opened[-1].websocket_handler.ws_connection is not None:
            break
        await asyncio.sleep(0.05)
    connection = opened[-1]
    report["class"] = type(connection).__name__
    sock = connection.websocket_handler.ws_connection.stream.socket
    report["nodelay"] = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    ws.close()
    await app.kernel_manager.shutdown_all()
    app.http_server.stop()
    print("REPORT " + json.dumps(report))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_a_real_server_of_this_environment_sets_tcp_nodelay_on_the_kernel_websocket(tmp_path):
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_PLATFORM_DIRS": "1"}
    done = subprocess.run([sys.executable, "-c", REAL_SERVER, "/user/learner-01/", str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, done.stdout[-2000:] + done.stderr[-3000:]
    report = json.loads(lines[-1][len("REPORT "):])
    assert report["class"].startswith("NoDelay"), report
    assert report["nodelay"] == 1, report
    assert "immutable" in report["favicon"], report


def test_the_extension_point_names_the_module():
    assert lab02_jupyter._jupyter_server_extension_points() == [{"module": "lab02_jupyter"}]
