"""WSGI entry point: `python wsgi.py` serves Kring with waitress on KRING_HOST:KRING_PORT."""
import os

from app import create_app

app = create_app()

if __name__ == "__main__":
    from waitress import serve

    host = os.environ.get("KRING_HOST", "127.0.0.1")
    port = int(os.environ.get("KRING_PORT", "8000"))
    if os.environ.get("KRING_WORKER_IN_PROCESS") == "1":
        # The embedded default needs nothing else: mail goes out from a background thread.
        from app.notify.worker import start_in_background

        start_in_background(app)
    print(f"Kring is running on http://{host}:{port}/  (stop with Ctrl+C)", flush=True)
    serve(app, host=host, port=port, threads=int(os.environ.get("KRING_THREADS", "8")),
          ident="Kring")
