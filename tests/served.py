"""A real waitress serving the test app from a thread, started and stopped one way for every
test that talks HTTP over a socket (browser journeys, the moderation journey, body limits)."""
from __future__ import annotations

import contextlib
import threading

from waitress import wasyncore


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
