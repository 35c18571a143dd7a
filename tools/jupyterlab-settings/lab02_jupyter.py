"""A Jupyter Server extension of this course: the panels' moves reach the browser without delays.

Every move of a panel's slider makes the kernel send a burst of small messages (busy, the
slider's echo, the picture, the status text, idle) over the kernel's websocket. Two things in a
stock Jupyter Server slow that down:

- **Nagle's algorithm.** The server leaves it on for the kernel websocket, so a small message waits
  until the browser acknowledges the one before; browsers delay that acknowledgement (up to
  40 ms on Linux). The extension sets TCP_NODELAY on each kernel websocket, as web servers do for
  interactive traffic.
- **The busy icon.** JupyterLab shows a busy favicon while the kernel works, and the server marks
  its favicons ``no-cache``: each move made the browser ask the server for the icon again. The
  extension lets browsers keep the favicons (they change only with JupyterLab itself).

``benchmarks/browser_latency.py`` measures the difference. Turned on by
``etc/jupyter/jupyter_server_config.d/lab02-linear-regression-server.json`` (installed with this package);
``jupyter server extension disable lab02_jupyter`` turns it off.
"""


def _jupyter_server_extension_points():
    return [{"module": "lab02_jupyter"}]


def _no_delay(connection_class):
    """``connection_class`` (the server's kernel websocket connection) with TCP_NODELAY set on connect."""
    if getattr(connection_class, "_lab02_no_delay", False):
        return connection_class

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return connection_class.connect(self)

    return type(f"NoDelay{connection_class.__name__}", (connection_class,),
                {"connect": connect, "_lab02_no_delay": True, "__module__": __name__})


def _load_jupyter_server_extension(serverapp):
    settings = serverapp.web_app.settings
    connection_class = settings.get("kernel_websocket_connection_class")
    if connection_class is not None:
        settings["kernel_websocket_connection_class"] = _no_delay(connection_class)
        serverapp.log.info("lab02_jupyter: TCP_NODELAY on kernel websockets (%s)",
                           settings["kernel_websocket_connection_class"].__name__)
    else:
        serverapp.log.warning("lab02_jupyter: no kernel websocket connection class to set TCP_NODELAY on")
    favicons = settings.get("static_url_prefix", "/static/") + "favicons/"
    immutable = list(settings.get("static_immutable_cache") or [])
    if favicons not in immutable:
        settings["static_immutable_cache"] = immutable + [favicons]
    serverapp.log.info("lab02_jupyter: favicons cacheable (%s)", favicons)
