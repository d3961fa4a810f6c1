"""Serving Kring with waitress: its limits come from the configuration, and the mistakes a
newcomer makes at start (a port in use, a public address with a known key) get one line."""
from __future__ import annotations

import errno
import gc
import sys

from flask import Flask
from waitress.server import create_server

from config import is_public_key

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def waitress_options(app: Flask) -> dict:
    """The waitress adjustments from the app's settings. The defaults (100 connections, a
    120 s idle timeout, 1 GB bodies buffered before the app sees them) let a handful of slow
    clients lock everyone else out."""
    config = app.config
    return {
        "host": config["HOST"],
        "port": config["PORT"],
        "threads": config["THREADS"],
        "connection_limit": config["CONNECTION_LIMIT"],
        "channel_timeout": config["CHANNEL_TIMEOUT"],
        "max_request_body_size": config["MAX_REQUEST_BODY"],
        # No Server header at all: nothing tells a scanner which software (or version) answers.
        "ident": "",
    }


def make_server(app: Flask, **overrides):
    """A bound but not yet running waitress server (tests pass port=0 for a free port)."""
    return create_server(app, **{**waitress_options(app), **overrides})


def refusal(app: Flask) -> str | None:
    """Why Kring must not start as configured, in one line, or None."""
    host = app.config["HOST"]
    if host not in LOOPBACK and is_public_key(app.secret_key):
        return (f"Refusing to listen on {host} with the built-in development secret key: "
                "set KRING_SECRET_KEY to a random value, or KRING_HOST=127.0.0.1.")
    return None


def settle_heap() -> None:
    """Move everything start-up made (modules, templates, the app) out of the collector's
    sight: otherwise each full collection walks them again, a pause of tens of milliseconds
    every few dozen requests (issue 12). Called once, after start-up, before serving."""
    gc.collect()
    gc.freeze()


def serve_app(app: Flask, *, before_serving=None) -> int:
    """Serve until stopped; the exit code for the shell. `before_serving` runs once the
    address is bound (the in-process mail worker starts there, not for a failed start)."""
    reason = refusal(app)
    if reason:
        print(reason, file=sys.stderr, flush=True)
        return 2
    host, port = app.config["HOST"], app.config["PORT"]
    try:
        server = make_server(app)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            line = f"Port {port} is already in use: stop the other program or set KRING_PORT to a free port."
        else:
            line = f"Cannot listen on {host}:{port} ({exc.strerror}): check KRING_HOST and KRING_PORT."
        print(line, file=sys.stderr, flush=True)
        return 1
    if before_serving is not None:
        before_serving()
    settle_heap()
    print(f"Kring is running on http://{host}:{port}/  (stop with Ctrl+C)", flush=True)
    server.run()  # returns after Ctrl+C, with waitress's threads stopped
    return 0
