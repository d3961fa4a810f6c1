"""A real waitress serving the test app from a thread, started and stopped one way for every
test that talks HTTP over a socket (browser journeys, the moderation journey, body limits)."""
from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from waitress import create_server, wasyncore

from app import create_app
from app.extensions import db


@contextlib.contextmanager
def serving(server, name: str = "waitress-test"):
    """Run `server` (bound, not yet running) in a thread; yield it; stop it from inside its own
    loop, because closing its sockets from this thread would pull them out from under a
    select() in progress (Bad file descriptor in the server thread)."""
    runner = threading.Thread(target=server.run, name=name, daemon=True)
    runner.start()
    try:
        yield server
    finally:
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError:  # the loop had already closed its trigger
            wasyncore.close_all(server._map)
        runner.join(timeout=5)
        server.task_dispatcher.shutdown(timeout=5)


def site_app(folder: Path, **config):
    """A test app on a fresh SQLite file in `folder`, its tables created."""
    app = create_app("test", DATABASE_URL=f"sqlite:///{folder / 'kring.db'}", **config)
    with app.app_context():
        db.create_all()
    return app


@contextlib.contextmanager
def served_site(app, name: str):
    """Serve `app` with waitress on 127.0.0.1:<free port>; yield what a browser test needs to
    reach it; afterwards release the app's database connections."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    try:
        with serving(server, name):
            yield {"app": app, "base": f"http://127.0.0.1:{port}", "origin": f"127.0.0.1:{port}"}
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
