"""The in-run reference of `make bench`: the least a page of 50 posts can cost on this stack.
A minimal Flask + Flask-SQLAlchemy app that selects the same thread's 50 stored-HTML posts in
one query and renders them with Jinja, served by waitress like Kring. Kring's pages are
printed as a percentage of its requests/s, which divides the machine's speed out.

Run: BENCH_DATABASE_URL=sqlite:///... BENCH_THREAD_ID=1 BENCH_PORT=8001 python bench/reference_app.py"""
from __future__ import annotations

import os

from flask import Flask, render_template_string
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><ol class="posts">
{% for post in posts %}<li class="post" id="p{{ post.number }}">
<header><strong>{{ post.name }}</strong> <time>{{ post.created_at }}</time></header>
<div class="prose">{{ post.body_html|safe }}</div></li>
{% endfor %}</ol></main></body></html>"""

POSTS = text("SELECT p.number, p.body_html, p.created_at, m.display_name AS name "
             "FROM posts p JOIN memberships m ON m.id = p.author_id "
             "WHERE p.thread_id = :thread ORDER BY p.number LIMIT 50")


def create_reference_app(database_url: str, thread_id: int) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    db = SQLAlchemy(app)

    @app.get("/thread")
    def thread():
        posts = db.session.execute(POSTS, {"thread": thread_id}).all()
        return render_template_string(PAGE, title="Thread", posts=posts)

    # The same page with its template compiled once and kept, as Flask keeps template files:
    # render_template_string above compiles the template again on every request (about half
    # of that page's time). Issue 12 set its targets against the page above (its figures
    # match it); this one is printed beside it as the floor of this stack.
    kept = app.jinja_env.from_string(PAGE)

    @app.get("/thread-kept")
    def thread_kept():
        posts = db.session.execute(POSTS, {"thread": thread_id}).all()
        return kept.render(title="Thread", posts=posts)

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app


if __name__ == "__main__":
    from waitress import serve

    serve(create_reference_app(os.environ["BENCH_DATABASE_URL"], int(os.environ["BENCH_THREAD_ID"])),
          host="127.0.0.1", port=int(os.environ["BENCH_PORT"]),
          threads=int(os.environ.get("BENCH_THREADS", "4")), _quiet=True)
