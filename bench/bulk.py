"""Bulk writing for the large seed (bench/seed_large.py): rows copied from a template row the
real services wrote, written with executemany on SQLite and COPY on PostgreSQL, with a
progress bar on stderr. Knows nothing of Kring's tables beyond what it is handed."""
from __future__ import annotations

import sys
import time
from datetime import datetime
from itertools import islice

BATCH = 20_000  # rows per executemany / per progress step


class Progress:
    """One line on stderr, redrawn in place: what is being written, how far, how long."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.started = time.monotonic()

    def show(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {label:<14} "
                         f"{done:>9,}/{total:,}  {time.monotonic() - self.started:6.1f} s ")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


class Writer:
    """Rows into one database through the driver connection (no ORM: a million objects
    would take minutes). `when` turns an aware UTC datetime into what the column stores."""

    def __init__(self, connection, progress: Progress):
        self.connection = connection  # the DBAPI connection (sqlite3 or psycopg)
        self.progress = progress

    def template(self, table: str, row_id: int) -> dict:
        """The row a service wrote, as stored: the model of every copy."""
        cursor = self.connection.cursor()
        cursor.execute(f"SELECT * FROM {table} WHERE id = {int(row_id)}")
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchone()))

    def next_id(self, table: str) -> int:
        cursor = self.connection.cursor()
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]

    def write(self, table: str, template: dict, keys: tuple[str, ...], values, total: int,
              label: str | None = None) -> None:
        """Insert one row per tuple in `values` (the columns `keys`, every other column as
        in `template`)."""
        columns = list(template)
        at = [columns.index(k) for k in keys]
        base = [template[c] for c in columns]

        def rows():
            for given in values:
                row = base.copy()
                for index, value in zip(at, given):
                    row[index] = value
                yield row
        done = 0
        it = rows()
        while batch := list(islice(it, BATCH)):
            self._insert(table, columns, batch)
            done += len(batch)
            self.progress.show(label or table, done, total)
        if done < total:
            self.progress.show(label or table, total, total)


class SqliteWriter(Writer):
    def __init__(self, connection, progress):
        super().__init__(connection, progress)
        # Only while seeding: a crash may leave a broken file, which a seed throws away
        # anyway. The journal stays WAL (as the app runs it): in WAL without syncs a bulk
        # insert is as fast as with no journal, and leaving WAL would need every other
        # connection closed.
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -200000")

    @staticmethod
    def when(moment: datetime) -> str:
        # The text SQLAlchemy's SQLite DateTime stores: naive UTC, always with microseconds.
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    def _insert(self, table, columns, batch):
        marks = ", ".join("?" * len(columns))
        self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)

    def finish(self) -> None:
        self.connection.commit()
        self.connection.execute("ANALYZE")
        self.connection.commit()


class PostgresWriter(Writer):
    @staticmethod
    def when(moment: datetime) -> datetime:
        return moment.replace(tzinfo=None)  # TIMESTAMP WITHOUT TIME ZONE, in UTC

    def _insert(self, table, columns, batch):
        with self.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)

    def finish(self) -> None:
        """Sequences past the ids written here, then statistics for the planner."""
        cursor = self.connection.cursor()
        cursor.execute("""SELECT table_name FROM information_schema.columns
                          WHERE column_name = 'id' AND table_schema = 'public'
                          AND column_default LIKE 'nextval%%'""")
        for (table,) in cursor.fetchall():
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
        self.connection.commit()
        self.connection.autocommit = True
        self.connection.execute("VACUUM ANALYZE")
        self.connection.autocommit = False


def writer_for(connection, dialect: str, progress: Progress) -> Writer:
    return (SqliteWriter if dialect == "sqlite" else PostgresWriter)(connection, progress)
