"""lab02_jupyter, the course's Jupyter Server extension (tools/jupyterlab-settings/lab02_jupyter.py).

Its effect in a real server (the favicons' Cache-Control, the extension loaded) is checked in
tests/test_browser.py's JupyterLab; benchmarks/browser_latency.py measures the time it saves.
"""

import logging
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


@pytest.mark.parametrize("base_url", ["/", "/user/learner-01/"])
def test_the_favicons_become_cacheable_under_the_servers_base_url(base_url):
    server = fake_server(base_url, immutable=["/static/lab/"])
    lab02_jupyter._load_jupyter_server_extension(server)
    assert server.web_app.settings["static_immutable_cache"] == ["/static/lab/", f"{base_url}static/favicons/"]


def test_the_extension_point_names_the_module():
    assert lab02_jupyter._jupyter_server_extension_points() == [{"module": "lab02_jupyter"}]
