"""WSGI entry point: `python wsgi.py` serves Kring with waitress on KRING_HOST:KRING_PORT."""
import os
import sys

from app import create_app

app = create_app()

if __name__ == "__main__":
    from app.server import serve_app

    def start_mail_worker():
        if os.environ.get("KRING_WORKER_IN_PROCESS") == "1":
            # The embedded default needs nothing else: mail goes out from a background thread.
            from app.notify.worker import start_in_background

            start_in_background(app)

    sys.exit(serve_app(app, before_serving=start_mail_worker))
