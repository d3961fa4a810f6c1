"""/healthz: 200 "ok" when the database answers and can still write, 503 otherwise. The
write probe is real but rolled back, so it leaves nothing behind."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import Text, insert, text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db

# SQLite keeps a rolled-back write in memory, so a disk that is full at the file system is
# only seen by asking it: below this much free space the next commit may fail.
SQLITE_MIN_FREE_BYTES = 4 * 1024 * 1024
# More than one database page, so the probe must allocate pages (a full SQLite file refuses).
PROBE_BYTES = 2 * 8192


class HealthProbe(db.Model):
    """Stays empty: /healthz inserts a row and rolls it back to see that writes still work."""

    __tablename__ = "health_probes"

    id: Mapped[int] = mapped_column(primary_key=True)
    probed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filler: Mapped[str] = mapped_column(Text)


def database_problem() -> str | None:
    """None when the database reads and writes; otherwise what is wrong (for the log)."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.execute(insert(HealthProbe).values(probed_at=utcnow(), filler="x" * PROBE_BYTES))
    except Exception as exc:  # any database failure means "not healthy", never a crash page
        return f"{type(exc).__name__}: {getattr(exc, 'orig', exc)}"
    finally:
        db.session.rollback()
    if db.engine.dialect.name == "sqlite" and db.engine.url.database not in (None, "", ":memory:"):
        folder = Path(db.engine.url.database).resolve().parent
        if shutil.disk_usage(folder).free < SQLITE_MIN_FREE_BYTES:
            return f"less than {SQLITE_MIN_FREE_BYTES} bytes free beside the SQLite file"
    return None


def configure_health(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        problem = database_problem()
        if problem is not None:
            app.logger.warning("healthz: %s", problem)
            return "database unavailable", 503, {"Content-Type": "text/plain"}
        return "ok", 200, {"Content-Type": "text/plain"}
